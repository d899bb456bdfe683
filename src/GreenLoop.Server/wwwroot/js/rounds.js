// Inspection rounds on a phone (/rounds?site=): today's occurrences (mine, or all) with their state; one round done
// item by item (pass/fail, numbers with unit and limits, choices, text, confirmation, photos from the camera, the live
// value of an item's meter). The draft is saved in localStorage as the user goes; a submission is sent as multipart with
// a submissionId made once per occurrence and kept with the draft. A send that fails (network, 5xx) stays in an outbox
// in localStorage and is retried on the next page load, when the browser comes online and every 30 s, always with the
// same submissionId, so the server stores it once. Data: GET /rounds/occurrences, /checklist-templates/{key},
// /meters/{meter}/series; POST /inspections.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatNumber, formatWall, unitLabel, pageUrl } from './common.js';

const view = document.getElementById('rounds');
const site = view.dataset.site;
const canInspect = view.dataset.canInspect === 'true';
const list = document.getElementById('occurrences');
const roundCard = document.getElementById('round-card');
const listCard = document.getElementById('list-card');
const form = document.getElementById('round-form');
const outboxBox = document.getElementById('outbox');

const RETRY_MS = 30_000;
const LIVE_MS = 60_000;
const draftPrefix = `greenloop.round.${site}.`;
const outboxKey = `greenloop.outbox.${site}`;

let mine = true;
let current = null; // { occurrence, template, draft }
let liveTimer = null;
let flushing = false;

const text = (zh, en) => (ctx.lang === 'zh-CN' ? zh || en : en || zh) ?? '';
const inspectionUrl = (id) => `${pageUrl('inspections')}?site=${encodeURIComponent(site)}&id=${id}`;
const draftKey = (o) => `${draftPrefix}${o.round}.${o.due}`;

// ---------------------------------------------------------------------------------------------------------------
// Storage: drafts (one per occurrence) and the outbox (submissions waiting to be sent).

function read(key, fallback) {
  try {
    const v = window.localStorage.getItem(key);
    return v ? JSON.parse(v) : fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    showMessage(t('rounds.storageFull'));
    return false;
  }
}

function loadDraft(o) {
  const d = read(draftKey(o), null);
  if (d && d.submissionId) return d;
  return { submissionId: window.crypto.randomUUID(), startedAt: new Date().toISOString(), answers: {}, photos: {} };
}

function saveDraft() {
  if (current) write(draftKey(current.occurrence), current.draft);
}

const outbox = () => read(outboxKey, []);
const setOutbox = (entries) => (entries.length ? write(outboxKey, entries) : window.localStorage.removeItem(outboxKey));

// ---------------------------------------------------------------------------------------------------------------
// Sending

function dataUrlBlob(dataUrl) {
  const [head, b64] = dataUrl.split(',');
  const type = /data:([^;]+)/.exec(head)?.[1] || 'application/octet-stream';
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

function reasonsOf(answer, status) {
  if (answer && answer.errors) return Object.entries(answer.errors).map(([k, r]) => `${k}: ${[].concat(r).join('; ')}`);
  if (answer && (answer.detail || answer.title)) return [answer.detail || answer.title];
  return [`HTTP ${status}`];
}

/** Sends one outbox entry: 'stored' (with the inspection), 'retry' (network, 5xx) or 'refused' (with reasons). */
async function send(entry) {
  const body = new FormData();
  body.append('submission', JSON.stringify(entry.submission));
  for (const p of entry.photos) body.append(`photo.${p.item}`, dataUrlBlob(p.dataUrl), p.name);
  let response;
  try {
    response = await fetch(`${ctx.api}${sitePath(site, 'inspections')}`, { method: 'POST', headers: { Accept: 'application/json' }, body });
  } catch {
    return { outcome: 'retry' };
  }
  const answer = await response.json().catch(() => null);
  if (response.status === 200 || response.status === 201) return { outcome: 'stored', inspection: answer };
  if (response.status >= 500 || response.status === 408 || response.status === 429) return { outcome: 'retry' };
  return { outcome: 'refused', reasons: reasonsOf(answer, response.status) };
}

function showOutbox() {
  const waiting = outbox();
  outboxBox.hidden = waiting.length === 0;
  outboxBox.replaceChildren(...(waiting.length ? [el('span', null, t('rounds.outbox', waiting.length)), ' ',
    el('button', { type: 'button', class: 'button small touch', id: 'retry-now', onclick: () => flush() }, t('rounds.retryNow'))] : []));
}

function submittedMessage(inspection, name) {
  const orders = inspection?.workOrders ?? [];
  const links = orders.map((id) => el('a', { class: 'wo-link', href: `${pageUrl('work-orders')}?site=${encodeURIComponent(site)}&id=${id}` }, t('rounds.workOrder', id)));
  showMessage(`${t('rounds.submitted')}${name ? ` · ${name}` : ''}${inspection?.failed ? ` · ${t('rounds.failedItems', inspection.failed)}` : ''}`, 'info',
    ...(links.length ? [' ', t('rounds.opened'), ' ', ...links.flatMap((a, i) => (i ? [' ', a] : [a]))] : []),
    ...(inspection?.id ? [' ', el('a', { class: 'inspection-link', href: inspectionUrl(inspection.id) }, t('rounds.viewInspection'))] : []));
  document.getElementById('message').classList.add('submitted');
}

/** Sends every waiting submission in order; keeps the ones that cannot be sent yet. */
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    let stored = false;
    for (const entry of outbox()) {
      const result = await send(entry);
      if (result.outcome === 'retry') continue;
      setOutbox(outbox().filter((e) => e.submission.submissionId !== entry.submission.submissionId));
      if (result.outcome === 'stored') {
        window.localStorage.removeItem(entry.draftKey);
        if (current && draftKey(current.occurrence) === entry.draftKey) closeRound();
        submittedMessage(result.inspection, entry.name);
        stored = true;
      } else {
        // Refused: the draft is kept (it was never removed) so the answers can be corrected and sent again.
        showMessage(`${t('rounds.refused')} ${result.reasons.join(' · ')}`);
      }
    }
    showOutbox();
    if (stored) await loadList();
  } finally {
    flushing = false;
  }
}

function submission(o, template, draft) {
  const answers = template.items.filter((i) => i.type !== 'Photo').map((i) => ({ item: i.key, ...(draft.answers[i.key] || {}) }))
    .filter((a) => Object.keys(a).length > 1);
  return {
    submissionId: draft.submissionId, roundId: o.round, due: o.due, template: o.template, startedAt: draft.startedAt, answers,
  };
}

async function submit(event) {
  event.preventDefault();
  if (!current) return;
  const { occurrence: o, template, draft } = current;
  const photos = Object.entries(draft.photos).flatMap(([item, ps]) => ps.map((p) => ({ item, name: p.name, dataUrl: p.dataUrl })));
  const entry = { draftKey: draftKey(o), name: text(o.roundNameZh, o.roundName), submission: submission(o, template.template, draft), photos };
  // Queued first: whatever happens to the request or the page, the submission is on the phone until the server has it.
  const waiting = outbox().filter((e) => e.submission.submissionId !== draft.submissionId);
  if (!write(outboxKey, [...waiting, entry])) return;
  document.getElementById('round-submit').disabled = true;
  try {
    await flush();
    if (outbox().some((e) => e.submission.submissionId === draft.submissionId)) showMessage(t('rounds.willRetry'), 'info');
  } finally {
    document.getElementById('round-submit').disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One round

function answered(item, draft) {
  const a = draft.answers[item.key] || {};
  switch (item.type) {
    case 'PassFail': return a.pass !== undefined && a.pass !== null;
    case 'Number': return Number.isFinite(a.number);
    case 'Choice': return !!a.choice;
    case 'Text': return !!(a.text && a.text.trim());
    case 'Confirm': return a.confirmed === true;
    default: return (draft.photos[item.key] || []).length >= Math.max(1, item.photos);
  }
}

function progress() {
  const items = current.template.template.items;
  const done = items.filter((i) => answered(i, current.draft)).length;
  document.getElementById('progress-bar').style.width = `${items.length ? (100 * done) / items.length : 0}%`;
  document.getElementById('progress-text').textContent = t('rounds.progress', done, items.length);
}

function setAnswer(item, patch) {
  current.draft.answers[item.key] = { ...(current.draft.answers[item.key] || {}), ...patch };
  saveDraft();
  progress();
}

function choiceButtons(item, values, labels, selected, onPick, failing = []) {
  const group = el('div', { class: 'choice-group', role: 'group' });
  values.forEach((v, i) => {
    const button = el('button', {
      type: 'button', class: `choice touch${failing.includes(v) ? ' choice-fail' : ''}${v === selected ? ' selected' : ''}`,
      'aria-pressed': v === selected ? 'true' : 'false', dataset: { value: String(v) },
    }, labels[i]);
    button.addEventListener('click', () => {
      group.querySelectorAll('button').forEach((b) => { b.classList.remove('selected'); b.setAttribute('aria-pressed', 'false'); });
      button.classList.add('selected');
      button.setAttribute('aria-pressed', 'true');
      onPick(v);
    });
    group.append(button);
  });
  return group;
}

function limitsText(item) {
  const u = unitLabel(item.unit ?? '');
  if (item.min !== null && item.min !== undefined && item.max !== null && item.max !== undefined) return t('rounds.limits', `${formatNumber(item.min)}–${formatNumber(item.max)} ${u}`);
  if (item.min !== null && item.min !== undefined) return t('rounds.limits', `≥ ${formatNumber(item.min)} ${u}`);
  if (item.max !== null && item.max !== undefined) return t('rounds.limits', `≤ ${formatNumber(item.max)} ${u}`);
  return u;
}

const outOfLimits = (item, n) => Number.isFinite(n) && ((item.min !== null && item.min !== undefined && n < item.min) || (item.max !== null && item.max !== undefined && n > item.max));

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function photoControl(item) {
  const previews = el('div', { class: 'photo-previews' });
  const render = () => previews.replaceChildren(...(current.draft.photos[item.key] || []).map((p, i) => el('figure', { class: 'photo-preview' },
    el('img', { src: p.dataUrl, alt: p.name }),
    el('button', { type: 'button', class: 'button small button-secondary touch', onclick: () => {
      current.draft.photos[item.key].splice(i, 1);
      saveDraft();
      render();
      progress();
    } }, t('rounds.removePhoto')))));
  const input = el('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'photo-input', name: `photo.${item.key}`, multiple: item.photos > 1 ? true : null });
  input.addEventListener('change', async () => {
    for (const file of input.files) {
      const dataUrl = await readFile(file);
      (current.draft.photos[item.key] ||= []).push({ name: file.name || `${item.key}.jpg`, dataUrl });
    }
    input.value = '';
    saveDraft();
    render();
    progress();
  });
  render();
  return el('div', { class: 'photo-control' },
    el('label', { class: 'button button-secondary touch photo-button' }, t('rounds.takePhoto'), input),
    item.photos > 0 ? el('span', { class: 'muted small' }, t('rounds.photosNeeded', item.photos)) : null, previews);
}

function itemControl(item) {
  const a = current.draft.answers[item.key] || {};
  switch (item.type) {
    case 'PassFail':
      return choiceButtons(item, [true, false], [t('rounds.pass'), t('rounds.fail')], a.pass, (v) => setAnswer(item, { pass: v }), [false]);
    case 'Number': {
      const input = el('input', { type: 'number', inputmode: 'decimal', step: 'any', class: 'number-input touch', name: item.key, value: Number.isFinite(a.number) ? String(a.number) : null });
      const warn = el('span', { class: 'limit-warning', hidden: true }, t('rounds.outOfLimits'));
      const check = () => {
        const n = input.value === '' ? null : Number(input.value);
        const bad = outOfLimits(item, n);
        input.classList.toggle('out-of-limits', bad);
        warn.hidden = !bad;
        return n;
      };
      input.addEventListener('input', () => setAnswer(item, { number: check() }));
      check();
      return el('div', { class: 'number-control' }, el('div', { class: 'number-row' }, input, el('span', { class: 'unit' }, unitLabel(item.unit ?? ''))),
        el('div', { class: 'muted small' }, limitsText(item)), warn);
    }
    case 'Choice':
      return choiceButtons(item, item.choices, item.choices, a.choice, (v) => setAnswer(item, { choice: v }), item.failingChoices || []);
    case 'Text': {
      const area = el('textarea', { rows: 3, name: item.key, class: 'touch' });
      area.value = a.text ?? '';
      area.addEventListener('input', () => setAnswer(item, { text: area.value }));
      return area;
    }
    case 'Confirm': {
      const box = el('input', { type: 'checkbox', name: item.key, class: 'confirm-box' });
      box.checked = a.confirmed === true;
      box.addEventListener('change', () => setAnswer(item, { confirmed: box.checked }));
      return el('label', { class: 'confirm touch' }, box, ' ', t('rounds.confirm'));
    }
    default:
      return photoControl(item);
  }
}

async function liveValue(item, target) {
  try {
    const day = current.occurrence.due.slice(0, 10);
    const series = await getJson(sitePath(site, 'meters', item.meter, 'series'), { grain: '15m', from: day });
    const last = [...series.points].reverse().find((p) => p.value !== null && p.value !== undefined);
    target.replaceChildren(t('rounds.live'), ' ', el('strong', null, last ? `${formatNumber(last.value)} ${unitLabel(series.unit)}` : t('common.none')),
      ...(last ? [el('span', { class: 'muted small' }, ` (${formatWall(last.start, day)})`)] : []));
  } catch (error) {
    target.textContent = `${t('rounds.live')} ${t('common.none')}`;
    target.title = error.message;
  }
}

function refreshLive() {
  document.querySelectorAll('#items .live-value').forEach((node) => {
    const item = current?.template.template.items.find((i) => i.key === node.dataset.item);
    if (item) liveValue(item, node);
  });
}

function renderRound() {
  const { occurrence: o, template } = current;
  document.getElementById('round-title').textContent = text(o.roundNameZh, o.roundName);
  document.getElementById('round-meta').textContent = `${t('rounds.due')} ${formatWall(o.due)} · ${text(template.template.nameZh, template.template.name)} v${template.version}${o.node ? ` · ${o.node}` : ''}`;
  const items = template.template.items.map((item, i) => el('li', { class: 'check-item', dataset: { item: item.key, type: item.type } },
    el('div', { class: 'check-head' }, el('span', { class: 'check-no' }, String(i + 1)), el('h3', null, text(item.textZh, item.text)),
      item.required === false ? el('span', { class: 'muted small' }, t('rounds.optional')) : null),
    item.instructions || item.instructionsZh ? el('p', { class: 'muted small instructions' }, text(item.instructionsZh, item.instructions)) : null,
    item.meter ? el('p', { class: 'live-value', dataset: { item: item.key } }, t('rounds.live'), ' …') : null,
    itemControl(item),
    item.type !== 'Photo' && item.photos > 0 ? photoControl(item) : null));
  document.getElementById('items').replaceChildren(...items);
  document.getElementById('round-submit').hidden = !canInspect;
  progress();
  refreshLive();
  clearInterval(liveTimer);
  liveTimer = setInterval(refreshLive, LIVE_MS);
}

async function openRound(o) {
  try {
    const template = await getJson(sitePath(site, 'checklist-templates', o.template));
    current = { occurrence: o, template, draft: loadDraft(o) };
    saveDraft();
    renderRound();
    listCard.hidden = true;
    roundCard.hidden = false;
    showMessage(null);
    window.scrollTo(0, 0);
  } catch (error) {
    showMessage(t('error.load', error.message));
  }
}

function closeRound() {
  current = null;
  clearInterval(liveTimer);
  roundCard.hidden = true;
  listCard.hidden = false;
}

// ---------------------------------------------------------------------------------------------------------------
// Today's list

function renderList(occurrences) {
  const waiting = new Set(outbox().map((e) => e.draftKey));
  const rows = occurrences.map((o) => {
    const key = draftKey(o);
    const hasDraft = !!window.localStorage.getItem(key);
    const done = o.state === 'DoneOnTime' || o.state === 'DoneLate';
    return el('li', { class: `occurrence state-${o.state}`, dataset: { round: o.round, due: o.due } },
      el('div', { class: 'occurrence-main' },
        el('strong', null, text(o.roundNameZh, o.roundName)),
        el('span', { class: 'muted small' }, `${formatWall(o.due)}–${formatWall(o.windowEnd, o.due.slice(0, 10))}${o.node ? ` · ${o.node}` : ''}`),
        el('span', { class: 'chips' }, el('span', { class: `chip state-chip chip-${o.state}` }, t(`rounds.state.${o.state}`)),
          waiting.has(key) ? el('span', { class: 'chip chip-waiting' }, t('rounds.waiting')) : hasDraft && !done ? el('span', { class: 'chip' }, t('rounds.draft')) : null)),
      done ? (o.inspection ? el('a', { class: 'inspection-link', href: inspectionUrl(o.inspection) }, t('rounds.done')) : el('span', { class: 'muted small' }, t('rounds.done')))
        : el('button', { type: 'button', class: 'button touch open-round', onclick: () => openRound(o) }, hasDraft ? t('rounds.continue') : t('rounds.start')));
  });
  list.replaceChildren(...(rows.length ? rows : [el('li', { class: 'empty' }, mine ? t('rounds.noneMine') : t('rounds.none'))]));
}

async function loadList() {
  try {
    const occurrences = await getJson(sitePath(site, 'rounds', 'occurrences'), { mine: mine ? 'true' : undefined });
    renderList(occurrences);
  } catch (error) {
    showMessage(t('error.load', error.message));
  }
}

document.querySelectorAll('#list-card .seg').forEach((b) => b.addEventListener('click', () => {
  mine = b.dataset.mine === 'true';
  document.querySelectorAll('#list-card .seg').forEach((x) => { x.classList.toggle('active', x === b); x.setAttribute('aria-pressed', x === b ? 'true' : 'false'); });
  document.getElementById('list-title').textContent = mine ? t('rounds.today') : t('rounds.todayAll');
  loadList();
}));
document.getElementById('round-close').addEventListener('click', () => { closeRound(); loadList(); });
form.addEventListener('submit', submit);
window.addEventListener('online', () => flush());
setInterval(() => { if (outbox().length) flush(); }, RETRY_MS);

(async () => {
  showOutbox();
  await flush();
  await loadList();
  setBusy(view, false);
})();
