// A site's alarms (/sites/{site}/alarms?state=&severity=&rule=&from=&to=): the list with filters, acknowledge,
// comment, assign and clear (as the name in "You", sent as X-GreenLoop-User), and each alarm's history.
// Data: GET /api/v1/alarms?site=..., GET /api/v1/alarms/{id}/history, POST /api/v1/alarms/{id}/{ack|comment|assign|clear},
// GET /api/v1/sites/{site} (time zone, meters), GET /api/v1/sites/{site}/alarm-rules. Updates from the live stream.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatQuantity, displayName, pageUrl, ApiError } from './common.js';
import { startLive, throttle } from './live.js';
import {
  send, bindUserField, severityLabel, stateLabel, loadSite, siteTime, siteMidnight, alarmsChanged,
} from './alarm-common.js';

const POLL_MS = 30_000;
const LIVE_REFRESH_MS = 5_000;

const view = document.getElementById('alarms');
const filters = document.getElementById('alarm-filters');
const tbody = document.getElementById('alarm-rows');

let site = null; // the site document
let zone = null;
let requestNumber = 0;
let pollTimer = 0;
const expanded = new Set(); // ids whose details are open; kept across refreshes
const drafts = new Map(); // id -> { note, assignee } typed but not sent; kept across refreshes

// ---------------------------------------------------------------------------------------------------------------
// Filters (in the query string)

function readUrl() {
  const q = new URLSearchParams(window.location.search);
  const f = filters.elements;
  f.state.value = q.has('state') ? q.get('state') : 'open';
  if (f.state.selectedIndex < 0) f.state.value = 'open';
  f.severity.value = q.get('severity') ?? '';
  if (f.severity.selectedIndex < 0) f.severity.value = '';
  f.from.value = q.get('from') ?? '';
  f.to.value = q.get('to') ?? '';
  return q.get('rule') ?? '';
}

function writeUrl() {
  const f = filters.elements;
  const q = new URLSearchParams();
  if (f.state.value !== 'open') q.set('state', f.state.value);
  for (const name of ['severity', 'rule', 'from', 'to']) if (f[name].value) q.set(name, f[name].value);
  const s = q.toString();
  history.replaceState(null, '', s ? `${window.location.pathname}?${s}` : window.location.pathname);
}

function query() {
  const f = filters.elements;
  // The default view: everything that needs someone, i.e. open alarms and cleared ones nobody has acknowledged yet.
  const state = f.state.value === 'open' ? 'active,acknowledged,clearedUnack' : f.state.value;
  return {
    site: ctx.site,
    state,
    severity: f.severity.value,
    rule: f.rule.value,
    from: f.from.value ? siteMidnight(f.from.value, zone) : '',
    // The end date is inclusive: up to the next local midnight.
    to: f.to.value ? siteMidnight(nextDay(f.to.value), zone) : '',
    limit: 500,
  };
}

function nextDay(date) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------------
// List

function ruleTitle(a) {
  return (ctx.lang === 'zh-CN' ? a.ruleNameZh || a.ruleName : a.ruleName) || a.rule;
}

function subjectCell(a) {
  const meter = site?.meters?.find((m) => m.key === a.subject);
  if (meter) {
    return el('td', null, el('a', { href: pageUrl('sites', ctx.site, 'meters', meter.key), class: 'subject-link' }, displayName(meter, meter.key)),
      el('div', { class: 'muted' }, el('code', null, meter.key)));
  }
  const node = site?.nodes?.find((n) => n.key === a.subject);
  return el('td', null, node ? displayName(node, node.key) : a.subject, node ? el('div', { class: 'muted' }, el('code', null, node.key)) : null);
}

function severityBadge(severity) {
  return el('span', { class: `severity severity-${severity}` }, severityLabel(severity));
}

function stateBadge(state) {
  return el('span', { class: `state-badge state-${state}` }, stateLabel(state));
}

const isOpen = (a) => a.state === 'active' || a.state === 'acknowledged';
const canAck = (a) => a.state === 'active' || a.state === 'clearedUnack';

function draftOf(id) {
  if (!drafts.has(id)) drafts.set(id, { note: '', assignee: null });
  return drafts.get(id);
}

function actionButtons(a) {
  return el('div', { class: 'alarm-actions' },
    canAck(a) ? el('button', { type: 'button', class: 'button small', dataset: { action: 'ack' }, onclick: () => act(a, 'ack') }, t('alarms.ack')) : null,
    isOpen(a) ? el('button', { type: 'button', class: 'button small button-secondary', dataset: { action: 'clear' }, onclick: () => act(a, 'clear') }, t('alarms.clear')) : null);
}

function row(a) {
  const open = expanded.has(a.id);
  const toggle = el('button', {
    type: 'button', class: 'expander', 'aria-expanded': open ? 'true' : 'false', 'aria-label': t('alarms.details'), title: t('alarms.details'),
    onclick: () => {
      if (expanded.has(a.id)) expanded.delete(a.id); else expanded.add(a.id);
      render(lastList);
    },
  });
  const tr = el('tr', { class: `alarm-row sev-${a.severity} ${open ? 'open' : ''}`, dataset: { id: a.id, state: a.state } },
    el('td', null, toggle),
    el('td', null, severityBadge(a.severity)),
    el('td', null, stateBadge(a.state), a.historical ? el('div', { class: 'muted small-note', title: t('alarms.historical.help') }, t('alarms.historical')) : null),
    el('td', { class: 'alarm-rule' }, el('div', null, ruleTitle(a)), el('div', { class: 'muted' }, ctx.lang === 'zh-CN' ? a.detailZh : a.detailEn)),
    subjectCell(a),
    el('td', { class: 'nowrap' }, siteTime(a.raisedAt, zone), a.endedAt ? el('div', { class: 'muted' }, t('alarms.endedAt', siteTime(a.endedAt, zone))) : null),
    el('td', { class: 'num' }, formatQuantity(a.value, a.unit)),
    el('td', { class: 'num' }, formatQuantity(a.limit, a.unit)),
    el('td', null, a.assignee ?? el('span', { class: 'muted' }, t('common.none'))),
    el('td', null, actionButtons(a)));
  if (!open) return [tr];
  return [tr, el('tr', { class: 'alarm-detail-row', dataset: { detailOf: a.id } }, el('td', { colspan: 10 }, details(a)))];
}

function details(a) {
  const draft = draftOf(a.id);
  const note = el('textarea', { class: 'text-input', name: 'note', rows: 2, maxlength: 2000, placeholder: t('alarms.notePlaceholder') });
  note.value = draft.note;
  note.addEventListener('input', () => { draft.note = note.value; });
  const assignee = el('input', { class: 'text-input', name: 'assignee', type: 'text', maxlength: 64, placeholder: t('alarms.assigneePlaceholder') });
  assignee.value = draft.assignee ?? a.assignee ?? '';
  assignee.addEventListener('input', () => { draft.assignee = assignee.value; });
  const history = el('tbody', { class: 'history-rows' }, el('tr', null, el('td', { colspan: 4, class: 'empty' }, t('common.loading'))));
  loadHistory(a, history);
  return el('div', { class: 'alarm-detail' },
    el('dl', { class: 'alarm-facts' },
      fact(t('alarms.startedAt'), siteTime(a.startedAt, zone)),
      fact(t('alarms.raisedAt'), siteTime(a.raisedAt, zone)),
      fact(t('alarms.endedAtLabel'), siteTime(a.endedAt, zone)),
      fact(t('alarms.acknowledged'), a.acknowledgedAt ? `${siteTime(a.acknowledgedAt, zone)} · ${a.acknowledgedBy}` : t('common.none')),
      fact(t('alarms.cleared'), a.clearedAt ? `${siteTime(a.clearedAt, zone)} · ${a.clearedBy}` : t('common.none')),
      fact(t('alarms.escalated'), siteTime(a.escalatedAt, zone)),
      fact(t('alarms.col.rule'), el('code', null, a.rule)),
      fact(t('alarms.action'), el('a', {
        class: 'open-action', href: `${pageUrl('reviews')}?site=${encodeURIComponent(a.site)}&alarm=${a.id}#new-action-card`,
      }, t('alarms.openAction')))),
    el('div', { class: 'alarm-detail-grid' },
      el('div', null,
        el('h3', null, t('alarms.history')),
        el('table', { class: 'data history-table' },
          el('thead', null, el('tr', null, el('th', null, t('col.at')), el('th', null, t('col.event')), el('th', null, t('col.by')), el('th', null, t('col.detail')))),
          history)),
      el('div', { class: 'alarm-forms' },
        el('h3', null, t('alarms.act')),
        el('label', { class: 'field' }, t('alarms.note'), note),
        el('div', { class: 'form-row' },
          el('button', { type: 'button', class: 'button small', dataset: { action: 'comment' }, onclick: () => act(a, 'comment', note.value) }, t('alarms.comment')),
          canAck(a) ? el('button', { type: 'button', class: 'button small button-secondary', onclick: () => act(a, 'ack', note.value) }, t('alarms.ackWithNote')) : null,
          isOpen(a) ? el('button', { type: 'button', class: 'button small button-secondary', onclick: () => act(a, 'clear', note.value) }, t('alarms.clearWithNote')) : null),
        el('label', { class: 'field' }, t('alarms.col.assignee'), assignee),
        el('div', { class: 'form-row' },
          el('button', { type: 'button', class: 'button small', dataset: { action: 'assign' }, onclick: () => act(a, 'assign', assignee.value) }, t('alarms.assign'))),
        el('div', { class: 'message', role: 'status', hidden: true, dataset: { messageOf: a.id } }))));
}

function fact(label, value) {
  return el('div', null, el('dt', null, label), el('dd', null, value));
}

async function loadHistory(a, tbodyEl) {
  try {
    const entries = await getJson(`/alarms/${a.id}/history`);
    tbodyEl.replaceChildren(...entries.map((h) => el('tr', { class: `history-${h.kind}` },
      el('td', { class: 'nowrap' }, siteTime(h.at, zone)),
      el('td', null, el('span', { class: `history-kind kind-${h.kind}` }, t(`alarms.event.${h.kind}`))),
      el('td', null, h.by),
      el('td', null, (ctx.lang === 'zh-CN' ? h.textZh ?? h.text : h.text) ?? ''))));
    if (!entries.length) tbodyEl.replaceChildren(el('tr', null, el('td', { colspan: 4, class: 'empty' }, t('alarms.noHistory'))));
  } catch (error) {
    tbodyEl.replaceChildren(el('tr', null, el('td', { colspan: 4, class: 'empty' }, t('error.load', error.message))));
  }
}

let lastList = [];

function render(list) {
  lastList = list;
  const rows = list.flatMap(row);
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 10, class: 'empty' }, t('alarms.none')))]));
  document.getElementById('alarm-count').textContent = t('alarms.shown', list.length);
}

async function renderFacts() {
  // The facts count open alarms whatever the filters say.
  const attention = await getJson('/alarms', { site: ctx.site, state: 'active,acknowledged,clearedUnack', limit: 2000 });
  document.getElementById('fact-open').textContent = String(attention.filter(isOpen).length);
  document.getElementById('fact-active').textContent = String(attention.filter((a) => a.state !== 'acknowledged').length);
}

async function load() {
  const number = ++requestNumber;
  setBusy(view, true);
  writeUrl();
  try {
    const [list] = await Promise.all([getJson('/alarms', query()), renderFacts()]);
    if (number !== requestNumber) return;
    showMessage(null);
    render(list);
  } catch (error) {
    if (number !== requestNumber) return;
    showMessage(t('error.load', error.message), 'error', ' ',
      el('button', { type: 'button', class: 'button small', onclick: () => load() }, t('common.retry')));
  } finally {
    if (number === requestNumber) setBusy(view, false);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

function actionMessage(id, text, kind) {
  const box = tbody.querySelector(`[data-message-of="${id}"]`);
  if (box) {
    box.hidden = !text;
    box.className = `message message-${kind}`;
    box.textContent = text ?? '';
  } else if (text) {
    showMessage(text, kind);
  }
}

async function act(a, action, text) {
  const value = (text ?? '').trim();
  const bodies = {
    ack: { comment: value || null },
    clear: { reason: value || null },
    comment: { text: value },
    assign: { assignee: value || null },
  };
  if (action === 'comment' && !value) {
    actionMessage(a.id, t('alarms.needComment'), 'error');
    return;
  }
  for (const b of tbody.querySelectorAll(`tr[data-id="${a.id}"] button, tr[data-detail-of="${a.id}"] button`)) b.disabled = true;
  try {
    await send('POST', `/alarms/${a.id}/${action}`, bodies[action]);
    const draft = draftOf(a.id);
    if (action === 'assign') draft.assignee = null; else draft.note = '';
    alarmsChanged();
    await load();
    actionMessage(a.id, t(`alarms.done.${action}`), 'info');
  } catch (error) {
    // 409: somebody else acted first (or the rule cleared it); the list shows what is true now.
    if (error.status === 409) await load();
    actionMessage(a.id, t('alarms.failed', error.message), 'error');
    if (error.status !== 409) for (const b of tbody.querySelectorAll(`tr[data-id="${a.id}"] button, tr[data-detail-of="${a.id}"] button`)) b.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Live updates: new, acknowledged and cleared alarms arrive as `alarm` events; rules judge new data after each
// derivation pass, so a `derived` event may have raised or cleared some too.

const refresh = throttle(() => {
  alarmsChanged();
  load();
}, LIVE_REFRESH_MS);

function liveStateChanged(state) {
  clearInterval(pollTimer);
  if (state === 'offline') pollTimer = setInterval(load, POLL_MS);
  else if (state === 'live') refresh();
}

async function start() {
  const ruleKey = readUrl();
  // Actions are recorded under the signed-in user; a stored name from before sign-in existed is not sent.
  const userField = document.getElementById('user-name');
  if (userField) bindUserField(userField);
  try {
    site = await loadSite();
    if (!site) {
      showMessage(t('error.siteNotFound', ctx.site));
      filters.hidden = true;
      document.getElementById('content').hidden = true;
      setBusy(view, false);
      return;
    }
    zone = site.timeZone;
    document.getElementById('site-name').textContent = displayName(site, ctx.site);
    document.getElementById('time-zone').textContent = zone;
    const rules = await getJson(sitePath(ctx.site, 'alarm-rules'));
    filters.elements.rule.append(...rules.map((r) => el('option', { value: r.rule.key }, displayName(r.rule, r.rule.key))));
    filters.elements.rule.value = rules.some((r) => r.rule.key === ruleKey) ? ruleKey : '';
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? t('error.siteNotFound', ctx.site) : t('error.load', error.message);
    showMessage(text, 'error', ' ', el('button', { type: 'button', class: 'button small', onclick: () => window.location.reload() }, t('common.retry')));
    setBusy(view, false);
    return;
  }
  filters.addEventListener('change', (event) => {
    if (event.target.id === 'user-name') return;
    if (filters.elements.from.value && filters.elements.to.value && filters.elements.from.value > filters.elements.to.value) {
      showMessage(t('error.badRange'));
      return;
    }
    load();
  });
  filters.addEventListener('submit', (event) => event.preventDefault());
  await load();
  startLive({ onAlarm: refresh, onDerived: refresh, onState: liveStateChanged });
}

start();
