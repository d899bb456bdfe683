// The number of alarms needing attention (open, or cleared but unacknowledged) of the page's site next to "Alarms" in the top bar (_Layout.cshtml), on every page.
// Counted when the page loads, every minute, and when a page says alarms changed (alarm-common.js alarmsChanged).
import { ctx, t, getJson } from './common.js';

const REFRESH_MS = 60_000;
const LIMIT = 2000;
const badge = document.getElementById('nav-alarm-count');

async function count() {
  if (!badge) return;
  try {
    // All sites' alarms that need someone (open, or cleared but not acknowledged), filtered here: asking for a site
    // that does not exist would answer 404, which the browser reports as an error on every page of that site.
    const all = await getJson('/alarms', { state: 'active,acknowledged,clearedUnack', limit: LIMIT });
    const mine = all.filter((a) => a.site === ctx.site);
    const unacknowledged = mine.filter((a) => a.state !== 'acknowledged').length;
    badge.hidden = mine.length === 0;
    badge.textContent = all.length >= LIMIT ? `${mine.length}+` : String(mine.length);
    badge.classList.toggle('has-active', unacknowledged > 0);
    badge.title = t('alarms.navCount', mine.length, unacknowledged);
  } catch {
    // A site that does not exist, or the server away: no number rather than a wrong one.
    badge.hidden = true;
  }
}

document.addEventListener('greenloop:alarms-changed', count);
setInterval(count, REFRESH_MS);
count();
