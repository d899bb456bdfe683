// The top bar's site switcher (_Layout.cshtml): every site the user may read (GET /api/v1/sites), shown once there is
// more than one; choosing one opens the same page for that site through /go/{site}?nav= (UiRoutes.ForNav).
import { ctx, getJson, displayName } from './common.js';

const select = document.getElementById('site-switch');

async function load() {
  if (!select || document.body.dataset.signedIn !== 'true') return;
  let sites;
  try {
    sites = await getJson('/sites');
  } catch {
    return; // signed out, or the server away: the top bar keeps its links
  }
  if (!Array.isArray(sites) || sites.length < 2) return;
  select.replaceChildren(...sites.map((s) => {
    const option = document.createElement('option');
    option.value = s.key;
    option.textContent = displayName(s, s.key);
    option.selected = s.key === ctx.site;
    return option;
  }));
  select.closest('.siteswitch').hidden = false;
  select.addEventListener('change', () => {
    const nav = document.body.dataset.nav || '';
    window.location.href = `${ctx.base}go/${encodeURIComponent(select.value)}${nav ? `?nav=${encodeURIComponent(nav)}` : ''}`;
  });
}

load();
