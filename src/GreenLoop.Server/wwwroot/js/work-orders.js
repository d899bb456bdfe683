// Work orders (/work-orders?site=&id=): my work, all open, all, by due date with overdue marked; one work order's
// detail (source: an inspection item, linked to the inspection's page, or an alarm, with links; history; photos before and after; state buttons the
// lifecycle and the user's permission allow; parts, hours, cost, comment); a form to open one by hand.
// Data: GET/POST /api/v1/sites/{site}/work-orders, GET/PUT /work-orders/{id}, POST /work-orders/{id}/photos.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatNumber, formatInstant, pageUrl } from './common.js';

const view = document.getElementById('work-orders');
const site = view.dataset.site;
const canOperate = view.dataset.canOperate === 'true';
// An inspector (inspect without operate) works on their own work orders and may take an unassigned one.
const canInspect = view.dataset.canInspect === 'true';
const me = view.dataset.user;
const canImprove = view.dataset.canImprove === 'true';
const detailCard = document.getElementById('detail-card');
const newForm = document.getElementById('wo-form');

/** The states a work order may move to from each state (as the server's lifecycle allows). */
const next = {
  Open: ['InProgress', 'OnHold', 'Done', 'Cancelled'],
  Assigned: ['InProgress', 'OnHold', 'Done', 'Cancelled'],
  InProgress: ['OnHold', 'Done', 'Cancelled'],
  OnHold: ['InProgress', 'Cancelled'],
  Done: ['Verified', 'InProgress'],
  Verified: [],
  Cancelled: [],
};

let filter = 'mine';
// The site's time zone: the API gives instants in UTC; the page shows the site's wall clock.
let siteZone = null;
let openId = Number(new URLSearchParams(window.location.search).get('id')) || null;

async function send(method, path, body) {
  const isForm = body instanceof FormData;
  const response = await fetch(`${ctx.api}${path}`, {
    method, headers: isForm ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const errors = answer.errors ? Object.entries(answer.errors).map(([k, r]) => `${k}: ${[].concat(r).join('; ')}`).join(' · ') : answer.detail || answer.title;
    throw new Error(errors || `HTTP ${response.status}`);
  }
  return answer;
}

const link = (id) => `${pageUrl('work-orders')}?site=${encodeURIComponent(site)}&id=${id}`;
const stateChip = (state) => el('span', { class: `chip wo-state wo-state-${state}` }, t(`wo.state.${state}`));
const priorityChip = (p) => el('span', { class: `chip wo-priority wo-priority-${p}` }, t(`wo.priority.${p}`));

function sourceOf(w) {
  if (w.source === 'inspection' && w.inspection) {
    return el('span', { class: 'wo-source' }, t('wo.fromInspection'), ' ',
      el('a', { class: 'inspection-link', href: `${pageUrl('inspections')}?site=${encodeURIComponent(site)}&id=${w.inspection}` }, t('wo.inspection', w.inspection)),
      w.item ? [' · ', t('wo.item'), ' ', el('code', null, w.item)] : null);
  }
  if (w.source === 'alarm' && w.alarm) {
    return el('span', { class: 'wo-source' }, t('wo.fromAlarm'), ' ',
      el('a', { class: 'alarm-link', href: `${pageUrl('sites', site, 'alarms')}?alarm=${w.alarm}` }, t('wo.alarm', w.alarm)));
  }
  return el('span', { class: 'wo-source muted' }, t('wo.manual'));
}

function renderList(orders) {
  const rows = orders.map((w) => el('li', { class: `wo-row${w.overdue ? ' overdue-row' : ''}`, dataset: { id: w.id, state: w.state } },
    el('a', { class: 'wo-open', href: link(w.id), onclick: (e) => { e.preventDefault(); showDetail(w.id); } },
      el('span', { class: 'wo-title' }, `#${w.id} ${w.order.title}`),
      el('span', { class: 'chips' }, stateChip(w.state), priorityChip(w.order.priority)),
      el('span', { class: 'muted small' },
        el('span', { class: 'wo-due' }, `${t('wo.due')} ${w.order.dueDate ?? t('common.none')}`),
        w.overdue ? el('span', { class: 'overdue' }, ` · ${t('wo.overdueMark')}`) : null,
        w.order.assignee ? ` · ${w.order.assignee}` : '', w.order.node ? ` · ${w.order.node}` : ''))));
  document.getElementById('wo-list').replaceChildren(...(rows.length ? rows : [el('li', { class: 'empty' }, t('wo.none'))]));
}

async function loadList() {
  const params = filter === 'mine' ? { mine: 'true', open: 'true' } : filter === 'open' ? { open: 'true' } : {};
  const [orders, open] = await Promise.all([getJson(sitePath(site, 'work-orders'), params), getJson(sitePath(site, 'work-orders'), { open: 'true' })]);
  document.getElementById('fact-open').textContent = String(open.length);
  document.getElementById('fact-overdue').textContent = String(open.filter((w) => w.overdue).length);
  renderList(orders);
}

async function change(w, body) {
  try {
    await send('PUT', sitePath(site, 'work-orders', String(w.id)), body);
    showMessage(body.state ? t('wo.moved', w.id, t(`wo.state.${body.state}`)) : t('wo.saved', w.id), 'info');
    await Promise.all([showDetail(w.id), loadList()]);
  } catch (error) {
    showMessage(`${t('wo.changeFailed')} ${error.message}`);
  }
}

function numberOrNull(v) {
  return v === '' || v === null || v === undefined ? null : Number(v);
}

/** A page of this site (the default site needs no ?site=), with more query parameters. */
function sitePage(page, params = {}) {
  const q = new URLSearchParams(params);
  if (site !== 'demo') q.set('site', site);
  const query = q.toString();
  return pageUrl(page) + (query ? `?${query}` : '');
}

/**
 * What the work order became: its corrective action (of a review) and its project, linked; with 'improve', buttons to
 * make them (once each: POST …/work-orders/{id}/action or /project; a second call answers the same one).
 */
function followUp(w) {
  const links = [
    w.action ? el('a', { class: 'action-link', href: sitePage('reviews', { action: String(w.action) }) }, t('wo.actionLink', w.action)) : null,
    w.project ? el('a', { class: 'project-link', href: sitePage('projects', { id: String(w.project) }) }, t('wo.projectLink', w.project)) : null,
  ].filter(Boolean);
  if (!links.length && !canImprove) return null;
  const box = el('div', { class: 'wo-follow-up' }, el('h3', null, t('wo.followUp')), links.length ? el('p', { class: 'chips' }, links) : el('p', { class: 'muted small' }, t('wo.followUpHint')));
  if (!canImprove || (w.action && w.project)) return box;
  const reviewSelect = el('select', { name: 'reviewId', id: 'follow-review' }, el('option', { value: '' }, t('wo.noReview')));
  getJson(sitePath(site, 'reviews')).then((reviews) => reviews.forEach((r) => reviewSelect.append(el('option', { value: String(r.id) }, `#${r.id} ${r.review.title} (${r.review.period})`)))).catch(() => {});
  const make = async (button, path, body) => {
    button.disabled = true;
    try {
      const made = await send('POST', sitePath(site, 'work-orders', String(w.id), path), body);
      showMessage(t(path === 'action' ? 'wo.actionMade' : 'wo.projectMade', made.id), 'info');
      await showDetail(w.id);
    } catch (error) {
      button.disabled = false;
      showMessage(`${t('wo.followUpFailed')} ${error.message}`);
    }
  };
  box.append(el('div', { class: 'form-row' },
    w.action ? null : el('label', { class: 'field' }, t('wo.review'), reviewSelect),
    w.action ? null : el('button', { type: 'button', class: 'button button-secondary touch', id: 'make-action', onclick: (e) => make(e.currentTarget, 'action', reviewSelect.value ? { reviewId: Number(reviewSelect.value) } : {}) }, t('wo.makeAction')),
    w.project ? null : el('button', { type: 'button', class: 'button button-secondary touch', id: 'make-project', onclick: (e) => make(e.currentTarget, 'project', {}) }, t('wo.makeProject'))));
  return box;
}

/** Whether the user may work on the work order: with operate any, with inspect only their own or an unassigned one. */
function mayWork(w) {
  return canOperate || (canInspect && (!w.order.assignee || w.order.assignee === me));
}

function workForm(w) {
  const f = el('form', { id: 'work-form', class: 'work-form', autocomplete: 'off', novalidate: true },
    el('div', { class: 'form-row' },
      el('label', { class: 'field' }, t('wo.f.hours'), el('input', { name: 'hours', type: 'number', step: 'any', min: '0', inputmode: 'decimal', value: w.order.hours ?? null })),
      el('label', { class: 'field' }, t('wo.f.cost'), el('input', { name: 'cost', type: 'number', step: 'any', min: '0', inputmode: 'decimal', value: w.order.cost ?? null })),
      el('label', { class: 'field' }, t('wo.f.assignee'), el('input', { name: 'assignee', type: 'text', maxlength: '100', value: w.order.assignee ?? null, readonly: !canOperate })),
      el('label', { class: 'field' }, t('wo.f.due'), el('input', { name: 'dueDate', type: 'date', value: w.order.dueDate ?? null, readonly: !canOperate }))),
    el('label', { class: 'field field-wide' }, t('wo.f.parts'), el('textarea', { name: 'parts', rows: 2, placeholder: t('wo.f.partsHint') })),
    el('label', { class: 'field field-wide' }, t('wo.f.comment'), el('textarea', { name: 'comment', rows: 2, maxlength: '4000' })),
    el('div', { class: 'state-buttons' },
      el('button', { type: 'submit', class: 'button button-secondary touch', dataset: { action: 'save' } }, t('wo.save')),
      !canOperate && !w.order.assignee ? el('button', { type: 'button', class: 'button touch', id: 'take-button', onclick: () => change(w, { assignee: me }) }, t('wo.take')) : null,
      next[w.state].filter((s) => (s !== 'Verified' || canImprove) && (s !== 'Cancelled' || canOperate)).map((s) => el('button', { type: 'button', class: `button touch state-button to-${s}`, dataset: { state: s }, onclick: () => f.apply(s) }, t(`wo.to.${s}`)))));
  f.elements.parts.value = (w.order.parts || []).map((p) => `${p.part}, ${p.quantity}, ${p.unit}${p.cost !== null && p.cost !== undefined ? `, ${p.cost}` : ''}`).join('\n');
  f.body = () => {
    const e = f.elements;
    const body = {};
    const hours = numberOrNull(e.hours.value);
    const cost = numberOrNull(e.cost.value);
    if (hours !== null && hours !== w.order.hours) body.hours = hours;
    if (cost !== null && cost !== w.order.cost) body.cost = cost;
    if (e.assignee.value.trim() && e.assignee.value.trim() !== (w.order.assignee ?? '')) body.assignee = e.assignee.value.trim();
    if (e.dueDate.value && e.dueDate.value !== w.order.dueDate) body.dueDate = e.dueDate.value;
    if (e.comment.value.trim()) body.comment = e.comment.value.trim();
    const parts = e.parts.value.split('\n').map((l) => l.split(/[,，]/).map((s) => s.trim())).filter((p) => p[0])
      .map(([part, quantity, unit, cost]) => ({ part, quantity: Number(quantity) || 0, unit: unit || 'pcs', cost: cost ? Number(cost) : null }));
    if (JSON.stringify(parts) !== JSON.stringify((w.order.parts || []).map((p) => ({ part: p.part, quantity: p.quantity, unit: p.unit, cost: p.cost ?? null })))) body.parts = parts;
    return body;
  };
  f.apply = (state) => change(w, { ...f.body(), state });
  f.addEventListener('submit', (event) => { event.preventDefault(); change(w, f.body()); });
  return f;
}

function photoForm(w) {
  const f = el('form', { id: 'photo-form', class: 'form-row', autocomplete: 'off' },
    el('label', { class: 'field' }, t('wo.f.photoWhen'), el('select', { name: 'item' }, el('option', { value: 'before' }, t('wo.before')), el('option', { value: 'after' }, t('wo.after')))),
    el('label', { class: 'button button-secondary touch photo-button' }, t('wo.addPhoto'), el('input', { type: 'file', name: 'file', accept: 'image/*', capture: 'environment', class: 'photo-input' })));
  f.elements.file.addEventListener('change', async () => {
    const file = f.elements.file.files[0];
    if (!file) return;
    const body = new FormData();
    body.append('file', file, file.name);
    body.append('item', f.elements.item.value);
    try {
      await send('POST', sitePath(site, 'work-orders', String(w.id), 'photos'), body);
      showMessage(t('wo.photoAdded'), 'info');
      await showDetail(w.id);
    } catch (error) {
      showMessage(`${t('wo.photoFailed')} ${error.message}`);
    }
  });
  return f;
}

async function showDetail(id) {
  try {
    const w = await getJson(sitePath(site, 'work-orders', String(id)));
    openId = w.id;
    detailCard.hidden = false;
    detailCard.dataset.id = String(w.id);
    document.getElementById('detail-title').textContent = `#${w.id} ${w.order.title}`;
    const photos = (item) => w.photos.filter((p) => p.item === item).map((p) => el('a', { href: `${ctx.api}${sitePath(site, 'field-photos', String(p.id))}`, target: '_blank' },
      el('img', { class: 'wo-photo', src: `${ctx.api}${sitePath(site, 'field-photos', String(p.id))}?size=thumb`, alt: p.name, loading: 'lazy' })));
    const parts = w.order.parts || [];
    // el() drops null children; replaceChildren would print them as "null", so the detail is built inside one element.
    document.getElementById('detail').replaceChildren(el('div', { class: 'wo-detail' },
      el('p', { class: 'chips' }, stateChip(w.state), priorityChip(w.order.priority), w.overdue ? el('span', { class: 'chip overdue' }, t('wo.overdueMark')) : null),
      el('dl', { class: 'wo-facts' },
        el('div', null, el('dt', null, t('wo.source')), el('dd', null, sourceOf(w))),
        el('div', null, el('dt', null, t('wo.due')), el('dd', { class: 'wo-due' }, w.order.dueDate ?? t('common.none'))),
        el('div', null, el('dt', null, t('wo.f.assignee')), el('dd', null, w.order.assignee ?? t('common.none'))),
        el('div', null, el('dt', null, t('wo.f.node')), el('dd', null, w.order.node ?? t('common.none'))),
        el('div', null, el('dt', null, t('wo.f.hours')), el('dd', { class: 'wo-hours' }, w.order.hours !== null && w.order.hours !== undefined ? formatNumber(w.order.hours) : t('common.none'))),
        el('div', null, el('dt', null, t('wo.f.cost')), el('dd', null, w.order.cost !== null && w.order.cost !== undefined ? formatNumber(w.order.cost) : t('common.none'))),
        el('div', null, el('dt', null, t('wo.f.parts')), el('dd', null, parts.length ? parts.map((p) => `${p.part} ×${formatNumber(p.quantity)} ${p.unit}`).join('；') : t('common.none'))),
        el('div', null, el('dt', null, t('wo.created')), el('dd', null, `${formatInstant(w.createdAt, siteZone)} · ${w.createdBy}`))),
      w.order.description ? el('p', { class: 'wo-description' }, w.order.description) : null,
      el('h3', null, t('wo.photos')),
      el('div', { class: 'wo-photos' },
        el('div', null, el('h4', null, t('wo.before')), el('div', { class: 'photo-previews' }, photos('before'))),
        el('div', null, el('h4', null, t('wo.after')), el('div', { class: 'photo-previews' }, photos('after')))),
      mayWork(w) && (canOperate || w.order.assignee === me) ? photoForm(w) : null,
      mayWork(w) && next[w.state].length ? el('h3', null, t('wo.work')) : null,
      mayWork(w) && (next[w.state].length || w.state === 'Done') ? workForm(w) : null,
      followUp(w),
      el('h3', null, t('wo.history')),
      el('ol', { class: 'wo-history' }, w.history.map((h) => el('li', null, el('span', { class: 'muted small' }, `${formatInstant(h.at, siteZone)} · ${h.by}`), ' ', h.what, h.note ? el('div', { class: 'small' }, h.note) : null)))));
    const url = new URL(window.location.href);
    url.searchParams.set('id', String(w.id));
    window.history.replaceState(null, '', url);
  } catch (error) {
    showMessage(t('error.load', error.message));
  }
}

document.querySelectorAll('#list-card .seg').forEach((b) => b.addEventListener('click', async () => {
  filter = b.dataset.filter;
  document.querySelectorAll('#list-card .seg').forEach((x) => { x.classList.toggle('active', x === b); x.setAttribute('aria-pressed', x === b ? 'true' : 'false'); });
  try { await loadList(); } catch (error) { showMessage(t('error.load', error.message)); }
}));

document.getElementById('detail-close').addEventListener('click', () => {
  detailCard.hidden = true;
  openId = null;
  const url = new URL(window.location.href);
  url.searchParams.delete('id');
  window.history.replaceState(null, '', url);
});

newForm?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = newForm.elements;
  const orNull = (v) => (v && v.trim() ? v.trim() : null);
  try {
    const w = await send('POST', sitePath(site, 'work-orders'), {
      title: f.title.value.trim(), description: orNull(f.description.value), node: orNull(f.node.value), priority: f.priority.value,
      assignee: canOperate ? orNull(f.assignee.value) : null, dueDate: orNull(f.dueDate.value),
    });
    newForm.reset();
    showMessage(t('wo.createdOne', w.id), 'info');
    await Promise.all([loadList(), showDetail(w.id)]);
  } catch (error) {
    showMessage(`${t('wo.createFailed')} ${error.message}`);
  }
});

(async () => {
  try {
    siteZone = (await getJson(sitePath(site)).catch(() => null))?.timeZone ?? null;
    await loadList();
    if (openId) await showDetail(openId);
  } catch (error) {
    showMessage(t('error.load', error.message));
  } finally {
    setBusy(view, false);
  }
})();
