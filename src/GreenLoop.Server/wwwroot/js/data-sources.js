// Data sources (/data-sources): MQTT brokers and Modbus TCP devices with their live health (state, last value, counters,
// problems by kind, last error) and a JSON settings editor. Saving applies at once (hot reload on the server).
// Data: GET/PUT/DELETE /api/v1/data-sources[/{key}]. Passwords come back as ******** and sending that mask keeps them.
// Meters of the current site that derivation set aside: GET /api/v1/sites/{site}/derivation-failures (a card, hidden when none).
import { ctx, t, getJson, el, showMessage, setBusy, formatNumber, sitePath } from './common.js';
import { formatInstant } from './accounting.js';
import { send, textOr } from './alarm-common.js';

const view = document.getElementById('sources');
const tbody = document.getElementById('source-rows');
const editor = document.getElementById('source-editor');
const form = document.getElementById('source-form');
const detail = document.getElementById('source-detail');

const EXAMPLES = {
  modbus: {
    host: '192.168.1.50', port: 502, unitId: 1, pollSeconds: 10, timeoutMs: 1000,
    points: [
      { meter: 'kiln1.gas', function: 3, address: 0, addressBase: 0, type: 'float32', wordOrder: 'big', byteOrder: 'big', scale: 1, offset: 0 },
      { meter: 'kiln1.kwh', function: 4, address: 100, addressBase: 0, type: 'uint32', wordOrder: 'big', byteOrder: 'big', scale: 0.1, offset: 0 },
    ],
  },
  mqtt: {
    host: '127.0.0.1', port: 1883, username: null, password: null,
    subscriptions: [
      { topic: 'plant/+/readings', qos: 1, format: 'reading' },
    ],
  },
};

let sources = [];
let editing = null;
let shown = null;
let loadFailed = false;

function stateBadge(s) {
  const status = s.status;
  if (!status) return el('span', { class: 'state-badge state-held' }, t('sources.state.pending'));
  const cls = { Connected: 'state-on', Disabled: 'state-off', Invalid: 'state-failed', Disconnected: 'state-failed', Connecting: 'state-held' }[status.state] ?? 'state-off';
  return [
    el('span', { class: `state-badge ${cls}`, title: status.stateDetail ?? '' }, textOr(`sources.state.${status.state}`, status.state)),
    status.stateSince ? el('div', { class: 'muted' }, t('sources.since', formatInstant(status.stateSince))) : null,
  ];
}

function target(s) {
  const x = s.settings ?? {};
  return el('code', null, `${x.host ?? '?'}:${x.port ?? (s.kind === 'mqtt' ? 1883 : 502)}${s.kind === 'modbus' ? ` #${x.unitId ?? 1}` : ''}`);
}

function lastValue(status) {
  const v = status?.lastValue;
  if (!v) return el('span', { class: 'muted' }, t('common.none'));
  return [el('code', null, v.meter), ' = ', el('strong', null, formatNumber(v.value)), el('div', { class: 'muted' }, formatInstant(v.ts))];
}

const count = (n) => formatNumber(n ?? 0, 0);

function render() {
  const rows = sources.map((s) => el('tr', { class: s.enabled ? null : 'disabled-row', dataset: { key: s.key } },
    el('td', null, stateBadge(s)),
    el('td', null, el('code', null, s.key)),
    el('td', null, el('span', { class: `tag kind-${s.kind}` }, textOr(`sources.kind.${s.kind}`, s.kind))),
    el('td', null, target(s)),
    el('td', null, lastValue(s.status)),
    el('td', { class: 'num' }, count(s.status?.messages)),
    el('td', { class: 'num' }, count(s.status?.accepted)),
    el('td', { class: 'num' }, count(s.status?.rejected)),
    el('td', { class: 'num' }, count(s.status?.problemCount)),
    el('td', { class: 'delivery-error' }, s.status?.lastError ?? s.status?.stateDetail ?? ''),
    el('td', { class: 'nowrap' },
      el('button', { type: 'button', class: 'button small button-secondary', dataset: { action: 'details' }, onclick: () => showDetail(s.key) }, t('sources.details')), ' ',
      el('button', { type: 'button', class: 'button small button-secondary', dataset: { action: 'edit' }, onclick: () => openEditor(s) }, t('rules.edit')), ' ',
      el('button', { type: 'button', class: 'button small button-danger-outline', dataset: { action: 'delete' }, onclick: () => confirmDelete(s) }, t('rules.delete')))));
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 11, class: 'empty' }, t('sources.none')))]));
  document.getElementById('fact-sources').textContent = String(sources.length);
  document.getElementById('fact-connected').textContent = String(sources.filter((s) => s.status?.state === 'Connected').length);
  document.getElementById('fact-problems').textContent = String(sources.filter((s) => (s.status?.problemCount ?? 0) > 0).length);
  if (shown) renderDetail();
}

function showDetail(key) {
  shown = key;
  renderDetail();
  detail.hidden = false;
}

function renderDetail() {
  const s = sources.find((x) => x.key === shown);
  if (!s) { detail.hidden = true; return; }
  document.getElementById('source-detail-title').textContent = t('sources.detailTitle', s.key);
  const status = s.status;
  document.getElementById('source-detail-note').textContent =
    [t('sources.version', s.version), status ? t('sources.restarts', status.starts) : null, t('sources.detailNote')].filter(Boolean).join(' · ');
  const problems = Object.entries(status?.problems ?? {}).sort((a, b) => b[1] - a[1]);
  document.getElementById('problem-rows').replaceChildren(...(problems.length
    ? problems.map(([kind, n]) => el('tr', null, el('td', null, el('code', null, kind)), el('td', { class: 'num' }, count(n))))
    : [el('tr', null, el('td', { colspan: 2, class: 'empty' }, t('sources.noProblems')))]));
}

/** The card of meters set aside by derivation (their error, attempts and next try); hidden when there are none. */
async function loadDerivationFailures() {
  if (!ctx.site) return;
  // The page's site may not exist (yet): ask only for a site the tenant has.
  const sites = await getJson('/sites').catch(() => []);
  if (!sites.some((x) => x.key === ctx.site)) return;
  const failures = await getJson(sitePath(ctx.site, 'derivation-failures')).catch(() => []);
  document.getElementById('derivation-failures').hidden = failures.length === 0;
  document.getElementById('derivation-failure-rows').replaceChildren(...failures.map((f) => el('tr', null,
    el('td', null, el('code', null, f.meter)),
    el('td', null, f.error),
    el('td', { class: 'num' }, count(f.attempts)),
    el('td', null, formatInstant(f.retryAt)))));
}

async function load() {
  try {
    sources = await getJson('/data-sources');
    render();
    await loadDerivationFailures();
    if (loadFailed) showMessage('');
    loadFailed = false;
  } catch (error) {
    loadFailed = true;
    showMessage(t('error.load', error.message));
  } finally {
    setBusy(view, false);
  }
}

function openEditor(s) {
  editing = s?.key ?? null;
  const f = form.elements;
  errors([]);
  document.getElementById('source-editor-title').textContent = s ? t('sources.editing', s.key) : t('sources.new');
  f.key.value = s?.key ?? '';
  f.key.readOnly = Boolean(s);
  f.kind.value = s?.kind ?? 'modbus';
  f.enabled.checked = s?.enabled ?? true;
  f.apiKeyId.value = s?.apiKeyId ?? '';
  f.settings.value = s ? JSON.stringify(s.settings, null, 2) : JSON.stringify(EXAMPLES[f.kind.value], null, 2);
  editor.hidden = false;
  editor.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function errors(list) {
  const box = document.getElementById('source-errors');
  box.hidden = list.length === 0;
  box.replaceChildren(...list.map((e) => el('div', null, e)));
}

async function save(event) {
  event.preventDefault();
  const f = form.elements;
  let settings;
  try {
    settings = JSON.parse(f.settings.value);
  } catch (error) {
    errors([t('sources.badJson', error.message)]);
    return;
  }
  const key = f.key.value.trim();
  try {
    await send('PUT', `/data-sources/${encodeURIComponent(key)}`, { kind: f.kind.value, enabled: f.enabled.checked, apiKeyId: f.apiKeyId.value ? Number(f.apiKeyId.value) : null, settings });
    editor.hidden = true;
    editing = null;
    showMessage(t('sources.saved', key), 'info');
    await load();
  } catch (error) {
    errors(Object.values(error.errors ?? {}).flat().length ? Object.values(error.errors).flat() : [error.message]);
  }
}

function confirmDelete(s) {
  const dialog = document.getElementById('delete-source-dialog');
  document.getElementById('delete-source-title').textContent = t('sources.deleteTitle', s.key);
  dialog.returnValue = '';
  dialog.onclose = async () => {
    if (dialog.returnValue !== 'delete') return;
    try {
      await send('DELETE', `/data-sources/${encodeURIComponent(s.key)}`);
      showMessage(t('sources.deleted', s.key), 'info');
      if (shown === s.key) shown = null;
      await load();
    } catch (error) {
      showMessage(error.message);
    }
  };
  dialog.showModal();
}

document.getElementById('new-source').addEventListener('click', () => openEditor(null));
document.getElementById('cancel-source').addEventListener('click', () => { editor.hidden = true; editing = null; });
document.getElementById('insert-example').addEventListener('click', () => {
  form.elements.settings.value = JSON.stringify(EXAMPLES[form.elements.kind.value], null, 2);
});
form.addEventListener('submit', save);

await load();
setInterval(load, 2000);
