// The number of open alarms of the page's site next to "Alarms" in the top bar (_Layout.cshtml), on every page.
// Counted when the page loads, every minute, and when a page says alarms changed (alarm-common.js alarmsChanged).
import { ctx, t, getJson } from './common.js';

const REFRESH_MS = 60_000;
const LIMIT = 2000;
const badge = document.getElementById('nav-alarm-count');

async function count() {
  if (!badge) return;
  try {
    // All sites' open alarms (at most one per rule and subject), filtered here: asking for a site that does not exist
    // would answer 404, which the browser reports as an error on every page of that site.
    const all = await getJson('/alarms', { state: 'active,acknowledged', limit: LIMIT });
    const open = all.filter((a) => a.site === ctx.site);
    const active = open.filter((a) => a.state === 'active').length;
    badge.hidden = open.length === 0;
    badge.textContent = all.length >= LIMIT ? `${open.length}+` : String(open.length);
    badge.classList.toggle('has-active', active > 0);
    badge.title = t('alarms.navCount', open.length, active);
  } catch {
    // A site that does not exist, or the server away: no number rather than a wrong one.
    badge.hidden = true;
  }
}

document.addEventListener('greenloop:alarms-changed', count);
setInterval(count, REFRESH_MS);
count();
