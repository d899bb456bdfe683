// Meters page (/meters?site=, /sites/{site}/meters): the site's meters from GET /api/v1/sites/{site}/overview.
import {
  ctx, t, getJson, sitePath, carrierLabel, kindLabel, displayName, unitLabel, formatWall, completenessBadge, el,
  pageUrl, showMessage, setBusy, ApiError,
} from './common.js';

const view = document.getElementById('meters');
const content = document.getElementById('content');
const filter = document.getElementById('meter-filter');
const tbody = document.getElementById('meter-rows');

let overview = null;

function render() {
  const query = filter.value.trim().toLowerCase();
  const meters = [...(overview?.meters ?? [])]
    .sort((a, b) => a.key.localeCompare(b.key))
    .filter((m) => !query || [m.key, m.name, m.nameZh, carrierLabel(m.carrier)]
      .some((s) => s && s.toLowerCase().includes(query)));
  const rows = meters.map((m) => el('tr', null,
    el('td', null, el('a', { href: pageUrl('sites', overview.site ?? ctx.site, 'meters', m.key) }, el('code', null, m.key))),
    el('td', null, displayName(m, m.key)),
    el('td', null, carrierLabel(m.carrier)),
    el('td', null, kindLabel(m.kind)),
    el('td', null, unitLabel(m.unit)),
    el('td', null, m.lastReading ? formatWall(m.lastReading) : t('common.none')),
    el('td', { class: 'num' }, completenessBadge(m.completenessToday))));
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('common.noData')))]));
}

async function load() {
  try {
    overview = await getJson(sitePath(ctx.site, 'overview'));
    const name = displayName(overview, overview.site ?? ctx.site);
    document.getElementById('site-name').textContent = name;
    document.title = `${name} · ${t('meters.title')} · ${t('app.name')}`;
    document.getElementById('local-date').textContent = overview.localDate ?? t('common.none');
    document.getElementById('time-zone').textContent = overview.timeZone ?? t('common.none');
    document.getElementById('meter-count').textContent = t('meters.count', (overview.meters ?? []).length);
    content.hidden = false;
    showMessage(null);
    render();
  } catch (error) {
    content.hidden = true;
    document.getElementById('meter-count').textContent = t('common.none');
    if (error instanceof ApiError && error.status === 404) {
      showMessage(t('error.siteNotFound', ctx.site), 'error', ' ', el('a', { href: pageUrl() }, t('nav.overview')));
    } else {
      showMessage(t('error.load', error.message), 'error', ' ',
        el('button', { type: 'button', class: 'button small', onclick: () => load() }, t('common.retry')));
    }
  } finally {
    setBusy(view, false);
  }
}

filter.addEventListener('input', () => overview && render());
load();
