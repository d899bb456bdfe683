// PDCA reviews and improvement actions (/reviews?site=): actions by due date with overdue and effectiveness and their
// next step; each review with its frozen KPI values, later adjustments and minutes; forms to record a review and open
// an action. Data: GET/POST /api/v1/sites/{site}/reviews, POST /reviews/{id}/hold, GET/POST/PUT /actions, GET /kpis.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatNumber, unitLabel, pageUrl } from './common.js';

const view = document.getElementById('reviews');
const site = view.dataset.site;
// ?action=N (a link from a work order): the action's row is marked and scrolled to.
const focusAction = Number(new URLSearchParams(window.location.search).get('action')) || null;
const reviewForm = document.getElementById('review-form');
const actionForm = document.getElementById('action-form');

const next = { Open: 'InProgress', InProgress: 'Done', Done: 'Verified' };

function value(v, unit) {
  return v === null || v === undefined ? t('common.none') : `${formatNumber(v, Math.abs(v) >= 100 ? 1 : 4)} ${unitLabel(unit ?? '')}`;
}

async function send(method, path, body) {
  const response = await fetch(`${ctx.api}${path}`, {
    method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const errors = answer.errors ? Object.entries(answer.errors).map(([k, r]) => `${k}: ${r.join('; ')}`).join(' · ') : answer.detail;
    throw new Error(errors || `HTTP ${response.status}`);
  }
  return answer;
}

function effect(a) {
  const e = a.effectiveness;
  if (!e) return t('common.none');
  return el('span', { class: e.improved === true ? 'effect-good' : e.improved === false ? 'effect-bad' : 'muted' }, ctx.lang === 'zh-CN' ? e.reasonZh : e.reason);
}

async function advance(a) {
  const state = next[a.state];
  let body = { state };
  if (state === 'Done' && !a.action.evidence) {
    const evidence = window.prompt(t('reviews.askEvidence'));
    if (!evidence) return;
    body = { state, evidence };
  }
  try {
    await send('PUT', sitePath(site, 'actions', String(a.id)), body);
    showMessage(t('reviews.moved', a.action.title, t(`reviews.state.${state}`)), 'info');
    await load();
  } catch (error) {
    showMessage(error.message);
  }
}

function renderActions(actions) {
  document.getElementById('fact-open').textContent = String(actions.filter((a) => a.state === 'Open' || a.state === 'InProgress').length);
  document.getElementById('fact-overdue').textContent = String(actions.filter((a) => a.overdue).length);
  const rows = actions.map((a) => el('tr', { dataset: { id: a.id }, class: [a.overdue ? 'overdue-row' : null, a.id === focusAction ? 'focus-row' : null].filter(Boolean).join(' ') || null },
    el('td', null, a.action.title, a.alarmId ? el('div', { class: 'muted small' }, t('reviews.fromAlarm', a.alarmId)) : null,
      a.action.workOrder ? el('div', { class: 'small' }, el('a', { class: 'work-order-link', href: workOrderUrl(a.action.workOrder) }, t('reviews.fromWorkOrder', a.action.workOrder))) : null),
    el('td', null, a.action.owner),
    el('td', { class: 'nowrap' }, a.action.dueDate, a.overdue ? el('div', { class: 'overdue' }, t('reviews.overdue')) : null),
    el('td', null, el('span', { class: `action-state state-${a.state}` }, t(`reviews.state.${a.state}`))),
    el('td', null, effect(a)),
    el('td', null, next[a.state] ? el('button', { type: 'button', class: 'button small button-secondary', dataset: { action: 'advance' }, onclick: () => advance(a) },
      t(`reviews.to.${next[a.state]}`)) : null)));
  document.getElementById('action-rows').replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 6, class: 'empty' }, t('reviews.noActions')))]));
  document.querySelector('#action-rows .focus-row')?.scrollIntoView({ block: 'center' });
}

/** The work-orders page showing one work order. */
function workOrderUrl(id) {
  const q = new URLSearchParams();
  if (site !== 'demo') q.set('site', site);
  q.set('id', String(id));
  return `${pageUrl('work-orders')}?${q}`;
}

async function hold(review) {
  try {
    await send('POST', sitePath(site, 'reviews', String(review.id), 'hold'));
    showMessage(t('reviews.heldNow', review.review.title), 'info');
    await load();
  } catch (error) {
    showMessage(error.message);
  }
}

function renderReview(detail) {
  const r = detail.review;
  const adjustments = new Map(detail.adjustments.map((a) => [a.key, a]));
  return el('article', { class: 'review', dataset: { id: detail.id } },
    el('h3', null, r.title, ' ', el('span', { class: `review-state state-${detail.state}` }, t(`reviews.state.${detail.state}`))),
    el('p', { class: 'muted' }, `${r.meetingDate} · ${t('kpis.period')} ${r.period} · ${t(`reviews.cycle.${r.cycle}`)} · ${r.attendees.join('、')}`),
    detail.frozen.length ? el('table', { class: 'data' },
      el('thead', null, el('tr', null, el('th', null, t('kpis.col.kpi')), el('th', { class: 'num' }, t('reviews.col.frozen')),
        el('th', { class: 'num' }, t('kpis.col.target')), el('th', null, t('kpis.col.status')), el('th', { class: 'num' }, t('reviews.col.now')))),
      el('tbody', null, detail.frozen.map((f) => el('tr', null,
        el('td', null, ctx.lang === 'zh-CN' ? f.nameZh || f.name : f.name),
        el('td', { class: 'num' }, value(f.value, f.unit)),
        el('td', { class: 'num' }, value(f.target, f.unit)),
        el('td', null, t(`kpis.status.${f.status}`)),
        el('td', { class: 'num' }, adjustments.has(f.key)
          ? el('span', { class: 'adjusted', title: t('reviews.adjustedHint') }, value(adjustments.get(f.key).current, f.unit))
          : t('reviews.unchanged')))))) : null,
    r.decisions.length ? el('ol', { class: 'decisions' }, r.decisions.map((d) => el('li', null, d))) : null,
    el('div', { class: 'form-row' },
      detail.state === 'draft' ? el('button', { type: 'button', class: 'button small', dataset: { action: 'hold' }, onclick: () => hold(detail) }, t('reviews.hold')) : null,
      el('a', { class: 'button small button-secondary', href: `${ctx.api}${sitePath(site, 'reviews', String(detail.id), 'minutes.xlsx')}` }, t('reviews.minutes')),
      el('button', { type: 'button', class: 'button small button-secondary', onclick: () => window.print() }, t('reviews.print'))));
}

async function load() {
  const [list, actions, board] = await Promise.all([
    getJson(sitePath(site, 'reviews')), getJson(sitePath(site, 'actions')), getJson(sitePath(site, 'kpis')),
  ]);
  document.getElementById('fact-reviews').textContent = String(list.length);
  renderActions(actions);
  const details = await Promise.all(list.slice(0, 10).map((r) => getJson(sitePath(site, 'reviews', String(r.id)))));
  document.getElementById('review-list').replaceChildren(...(details.length ? details.map(renderReview) : [el('p', { class: 'empty' }, t('reviews.none'))]));
  actionForm.elements.reviewId.replaceChildren(el('option', { value: '' }, '—'), ...list.map((r) => el('option', { value: String(r.id) }, `${r.review.meetingDate} ${r.review.title}`)));
  actionForm.elements.kpi.replaceChildren(el('option', { value: '' }, '—'), ...board.kpis.map((k) => el('option', { value: k.kpi.key }, ctx.lang === 'zh-CN' ? k.kpi.nameZh || k.kpi.name : k.kpi.name)));
}

reviewForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = reviewForm.elements;
  const split = (text, re) => text.split(re).map((s) => s.trim()).filter(Boolean);
  try {
    await send('POST', sitePath(site, 'reviews'), {
      title: f.title.value.trim(), meetingDate: f.meetingDate.value, period: f.period.value.trim(), cycle: f.cycle.value,
      attendees: split(f.attendees.value, /[,，、]/), findings: [], decisions: split(f.decisions.value, /\n/),
    });
    reviewForm.reset();
    showMessage(t('reviews.created'), 'info');
    await load();
  } catch (error) {
    showMessage(error.message);
  }
});

// Opened from an alarm's details (?alarm=N): the action is that alarm's corrective action.
const fromAlarm = Number(new URLSearchParams(window.location.search).get('alarm')) || null;
if (fromAlarm) {
  actionForm.prepend(el('p', { class: 'message message-info', id: 'from-alarm' }, t('reviews.fromAlarm', fromAlarm)));
}

actionForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = actionForm.elements;
  const orNull = (v) => (v && v.trim() ? v.trim() : null);
  try {
    await send('POST', sitePath(site, 'actions'), {
      alarmId: fromAlarm,
      reviewId: f.reviewId.value ? Number(f.reviewId.value) : null,
      action: { title: f.title.value.trim(), owner: f.owner.value.trim(), dueDate: f.dueDate.value, kpi: orNull(f.kpi.value), beforePeriod: orNull(f.beforePeriod.value), afterPeriod: orNull(f.afterPeriod.value) },
    });
    actionForm.reset();
    showMessage(t('reviews.opened'), 'info');
    await load();
  } catch (error) {
    showMessage(error.message);
  }
});

try {
  await load();
} catch (error) {
  showMessage(t('error.load', error.message));
} finally {
  setBusy(view, false);
}
