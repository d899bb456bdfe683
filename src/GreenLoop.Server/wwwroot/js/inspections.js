// Inspections (/inspections?site=&id=): the latest inspections of the site, and one inspection read-only — the template
// and the version it was done with, round, node, who and when, each item's answer with its outcome (a failed item
// highlighted with the reason the server judged), its photos scaled to the width, and the work orders it opened.
// Data: GET /api/v1/sites/{site} (nodes, time zone), GET .../inspections, GET .../inspections/{id},
// GET .../checklist-templates/{key}?version=, GET .../rounds, GET .../work-orders/{id}, GET .../field-photos/{id}.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, displayName, formatNumber, formatInstant, formatWall, unitLabel, pageUrl } from './common.js';

const view = document.getElementById('inspections');
const site = view.dataset.site;
const listCard = document.getElementById('list-card');
const card = document.getElementById('inspection-card');

let siteDoc = null;
let rounds = null;
const templates = new Map(); // "key@version" -> template

const text = (zh, en) => (ctx.lang === 'zh-CN' ? zh || en : en || zh) ?? '';
const photoUrl = (id) => `${ctx.api}${sitePath(site, 'field-photos', String(id))}`;
const inspectionUrl = (id) => `${pageUrl('inspections')}?site=${encodeURIComponent(site)}&id=${id}`;
const workOrderUrl = (id) => `${pageUrl('work-orders')}?site=${encodeURIComponent(site)}&id=${id}`;
const templateUrl = (key, version) => `${pageUrl('checklist-templates')}?site=${encodeURIComponent(site)}&key=${encodeURIComponent(key)}&version=${version}`;
const has = (v) => v !== null && v !== undefined;

async function roundsOf() {
  rounds ??= await getJson(sitePath(site, 'rounds')).catch(() => []);
  return rounds;
}

async function templateOf(key, version) {
  const id = `${key}@${version}`;
  if (!templates.has(id)) templates.set(id, (await getJson(sitePath(site, 'checklist-templates', key), { version })).template);
  return templates.get(id);
}

function roundName(roundId) {
  const r = rounds?.find((x) => x.id === roundId);
  return r ? text(r.round.nameZh, r.round.name) : t('insp.unscheduled');
}

function limitsText(item) {
  const u = unitLabel(item.unit ?? '');
  if (has(item.min) && has(item.max)) return t('rounds.limits', `${formatNumber(item.min)}–${formatNumber(item.max)} ${u}`);
  if (has(item.min)) return t('rounds.limits', `≥ ${formatNumber(item.min)} ${u}`);
  if (has(item.max)) return t('rounds.limits', `≤ ${formatNumber(item.max)} ${u}`);
  return null;
}

function answerText(item, a, photos) {
  const none = t('insp.notAnswered');
  switch (item.type) {
    case 'PassFail': return a?.pass === true ? t('insp.pass') : a?.pass === false ? t('insp.fail') : none;
    case 'Number': return Number.isFinite(a?.number) ? `${formatNumber(a.number)} ${unitLabel(item.unit ?? '')}`.trim() : none;
    case 'Choice': return a?.choice ?? none;
    case 'Text': return a?.text ?? none;
    case 'Confirm': return a?.confirmed === true ? t('insp.confirmed') : a?.confirmed === false ? t('insp.notConfirmed') : none;
    case 'Photo': return photos ? t('insp.photoCount', photos) : none;
    // The template could not be read: whatever the answer holds.
    default: return [a?.pass, a?.number, a?.choice, a?.text, a?.confirmed].find(has)?.toString() ?? (photos ? t('insp.photoCount', photos) : none);
  }
}

function resultChip(failed) {
  return failed ? el('span', { class: 'chip chip-fail' }, t('insp.failedCount', failed)) : el('span', { class: 'chip chip-pass' }, t('insp.allPassed'));
}

function answerElement(item, index, inspection) {
  const a = inspection.answers.find((x) => x.item === item.key);
  const outcome = inspection.outcomes.find((o) => o.item === item.key);
  const photos = inspection.photos.filter((p) => p.item === item.key);
  const failed = outcome?.failed === true;
  // Items that can fail say whether they did; text and photos only record.
  const judged = outcome && ['PassFail', 'Number', 'Choice', 'Confirm'].includes(item.type);
  return el('li', { class: `answer${failed ? ' answer-failed' : ''}`, dataset: { item: item.key, failed: failed ? 'true' : 'false' } },
    el('div', { class: 'check-head' }, el('span', { class: 'check-no' }, String(index + 1)), el('h3', null, text(item.textZh, item.text) || item.key),
      judged ? el('span', { class: `chip ${failed ? 'chip-fail' : 'chip-pass'}` }, failed ? t('insp.fail') : t('insp.pass')) : null),
    el('p', { class: 'answer-value' }, answerText(item, a, photos.length),
      item.type === 'Number' && limitsText(item) ? el('span', { class: 'muted small' }, ` · ${limitsText(item)}`) : null),
    failed && (outcome.reason || outcome.reasonZh) ? el('p', { class: 'answer-reason' }, t('insp.reason', text(outcome.reasonZh, outcome.reason))) : null,
    a?.note ? el('p', { class: 'muted small answer-note' }, t('insp.note', a.note)) : null,
    photos.length ? el('div', { class: 'inspection-photos' }, photos.map((p) => el('a', { href: photoUrl(p.id), target: '_blank', rel: 'noopener' },
      el('img', { class: 'inspection-photo', src: photoUrl(p.id), alt: `${text(item.textZh, item.text)} · ${p.name}`, loading: 'lazy' })))) : null);
}

/** Shows one inspection; false (with the reason shown) when it cannot be read. */
async function showInspection(id) {
  let inspection;
  try {
    inspection = await getJson(sitePath(site, 'inspections', String(id)));
  } catch (error) {
    showMessage(error.status === 404 ? t('insp.notFound', id) : t('error.load', error.message));
    return false;
  }
  const [template, , orders] = await Promise.all([
    templateOf(inspection.template, inspection.version).catch(() => null),
    roundsOf(),
    Promise.all(inspection.workOrders.map((w) => getJson(sitePath(site, 'work-orders', String(w))).catch(() => ({ id: w })))),
  ]);
  const round = rounds.find((r) => r.id === inspection.round);
  const nodeKey = round?.round.node;
  const node = siteDoc?.nodes?.find((n) => n.key === nodeKey);
  // The template's items in order; without the template, the items that were answered.
  const items = template?.items ?? [...new Set([...inspection.answers.map((a) => a.item), ...inspection.photos.map((p) => p.item)])].map((key) => ({ key }));
  const name = template ? displayName(template, inspection.template) : inspection.template;
  const fact = (label, value, cls) => el('div', null, el('dt', null, label), el('dd', { class: cls }, value));

  document.getElementById('inspection-title').textContent = `${t('insp.one', inspection.id)} · ${name}`;
  document.getElementById('inspection').replaceChildren(
    el('dl', { class: 'wo-facts' },
      fact(t('insp.template'), el('a', { class: 'template-link', href: templateUrl(inspection.template, inspection.version) }, `${name} · ${t('tpl.version', inspection.version)}`)),
      fact(t('insp.round'), roundName(inspection.round), 'inspection-round'),
      fact(t('insp.due'), inspection.due ? formatWall(inspection.due) : t('common.none')),
      fact(t('insp.node'), node ? displayName(node, node.key) : nodeKey ?? t('common.none')),
      fact(t('insp.doneBy'), inspection.doneBy, 'inspection-by'),
      fact(t('insp.started'), formatInstant(inspection.startedAt, siteDoc?.timeZone)),
      fact(t('insp.submitted'), formatInstant(inspection.submittedAt, siteDoc?.timeZone)),
      fact(t('insp.result'), resultChip(inspection.failed), 'inspection-result')),
    el('h3', null, t('insp.answers')),
    el('ol', { class: 'answer-list' }, items.map((item, i) => answerElement(item, i, inspection))),
    el('h3', null, t('insp.workOrders')),
    orders.length
      ? el('ul', { class: 'inspection-orders' }, orders.map((w) => el('li', null,
        el('a', { class: 'wo-link', href: workOrderUrl(w.id) }, t('insp.workOrder', w.id)),
        w.order ? [' ', w.order.title, ' ', el('span', { class: `chip wo-state wo-state-${w.state}` }, t(`wo.state.${w.state}`))] : null)))
      : el('p', { class: 'muted' }, t('insp.noWorkOrders')));
  card.dataset.id = String(inspection.id);
  card.hidden = false;
  listCard.hidden = true;
  showMessage(null);
  const url = new URL(window.location.href);
  url.searchParams.set('id', String(inspection.id));
  window.history.replaceState(null, '', url);
  window.scrollTo(0, 0);
  return true;
}

async function showList() {
  const [inspections, latest] = await Promise.all([
    getJson(sitePath(site, 'inspections'), { limit: 50 }), getJson(sitePath(site, 'checklist-templates')).catch(() => []), roundsOf(),
  ]);
  const names = new Map(latest.map((tv) => [tv.key, displayName(tv.template, tv.key)]));
  const rows = inspections.map((i) => el('li', { class: 'inspection-row', dataset: { id: String(i.id) } },
    el('a', { class: 'inspection-open', href: inspectionUrl(i.id), onclick: (e) => { e.preventDefault(); showInspection(i.id); } },
      el('span', { class: 'wo-title' }, `#${i.id} ${names.get(i.template) ?? i.template}`),
      el('span', { class: 'muted small' }, `${formatInstant(i.submittedAt, siteDoc?.timeZone)} · ${roundName(i.round)} · ${i.doneBy}`)),
    resultChip(i.failed)));
  document.getElementById('inspection-list').replaceChildren(...(rows.length ? rows : [el('li', { class: 'empty' }, t('insp.none'))]));
}

document.getElementById('inspection-close').addEventListener('click', async () => {
  card.hidden = true;
  listCard.hidden = false;
  const url = new URL(window.location.href);
  url.searchParams.delete('id');
  window.history.replaceState(null, '', url);
  try { await showList(); } catch (error) { showMessage(t('error.load', error.message)); }
});

(async () => {
  try {
    siteDoc = await getJson(sitePath(site)).catch(() => null);
    const id = Number(new URLSearchParams(window.location.search).get('id')) || null;
    if (!id || !(await showInspection(id))) await showList();
  } catch (error) {
    showMessage(t('error.load', error.message));
  } finally {
    setBusy(view, false);
  }
})();
