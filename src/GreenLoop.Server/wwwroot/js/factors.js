// Factor library (/factors?site=&kind=&q=): the shipped reference data set with sources, years and UNVERIFIED flags,
// filtered by kind and text on the server; and the site's overrides with a form to add one.
// Data: GET /api/v1/reference/factors?kind=&q=, GET/POST /api/v1/sites/{site}/factor-overrides.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, ApiError } from './common.js';
import { exactQty, unitText, factorName, factorSource, unverifiedBadge, postJson, formatInstant } from './accounting.js';

const view = document.getElementById('factors');
const kindSelect = document.getElementById('kind-filter');
const search = document.getElementById('factor-search');
const tbody = document.getElementById('factor-rows');
const overrideForm = document.getElementById('override-form');

let all = []; // the whole data set, for the kind list, the id list and the form's hints
let requestNumber = 0;
let searchTimer = 0;
let started = false; // the view counts as loaded once the library and the overrides have both arrived

// ---------------------------------------------------------------------------------------------------------------
// Library

function valueCell(f) {
  if (f.value !== null && f.value !== undefined) return exactQty(f.value, f.unit);
  // A range, a text or nothing: shown as the source has it, never as a number.
  return el('span', { class: 'muted', title: t('factors.noNumber') }, f.rawValue || t('common.none'), f.unit ? ` ${unitText(f.unit)}` : '');
}

function renderFactors(list) {
  const rows = list.factors.map((f) => el('tr', { class: f.unverified ? 'unverified-row' : null, dataset: { id: f.id } },
    el('td', null, el('code', { class: 'factor-id' }, f.id), f.unverified ? el('div', null, unverifiedBadge()) : null),
    el('td', null, factorName(f), ctx.lang === 'zh-CN' ? null : el('div', { class: 'muted' }, f.nameZh)),
    el('td', { class: 'num' }, valueCell(f)),
    el('td', { class: 'source' }, el('span', { class: 'source-text' }, factorSource(f) || t('common.none')),
      f.provenance ? el('div', { class: 'muted provenance' }, t('factors.provenance'), ' ', f.provenance) : null),
    el('td', null, f.year || t('common.none')),
    el('td', { class: 'notes' }, el('span', { class: 'source-text' }, f.notes)),
    el('td', null, el('button', {
      type: 'button', class: 'button small button-secondary', onclick: () => prefill(f),
    }, t('overrides.use')))));
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('factors.none')))]));
  document.getElementById('factor-count').textContent = t('factors.shown', list.count, all.length);
}

// Long sources and notes are clamped to three lines; a click on the cell shows all of it.
tbody.addEventListener('click', (event) => {
  const cell = event.target.closest('td.source, td.notes');
  if (cell) cell.classList.toggle('expanded');
});

function writeUrl() {
  const q = new URLSearchParams(window.location.search);
  for (const [k, v] of [['kind', kindSelect.value], ['q', search.value.trim()]]) {
    if (v) q.set(k, v); else q.delete(k);
  }
  const s = q.toString();
  history.replaceState(null, '', s ? `${window.location.pathname}?${s}` : window.location.pathname);
}

async function loadFactors() {
  const number = ++requestNumber;
  setBusy(view, true);
  writeUrl();
  try {
    const list = await getJson('/reference/factors', { kind: kindSelect.value, q: search.value.trim() });
    if (number !== requestNumber) return;
    showMessage(null);
    renderFactors(list);
  } catch (error) {
    if (number !== requestNumber) return;
    showMessage(t('error.load', error.message), 'error', ' ',
      el('button', { type: 'button', class: 'button small', onclick: () => loadFactors() }, t('common.retry')));
  } finally {
    if (number === requestNumber && started) setBusy(view, false);
  }
}

kindSelect.addEventListener('change', () => loadFactors());
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(loadFactors, 200);
});

// ---------------------------------------------------------------------------------------------------------------
// Overrides

async function loadOverrides() {
  const body = document.getElementById('override-rows');
  try {
    const overrides = await getJson(sitePath(ctx.site, 'factor-overrides'));
    const rows = [...overrides].reverse().map((o) => {
      const reference = all.find((f) => f.id === o.factorId);
      return el('tr', { dataset: { id: o.id } },
        el('td', null, el('code', null, o.factorId), reference ? el('div', { class: 'muted' }, factorName(reference)) : null),
        el('td', null, o.year ?? t('overrides.anyYear')),
        el('td', { class: 'num' }, exactQty(o.value, o.unit),
          reference && reference.value !== null ? el('div', { class: 'muted' }, t('overrides.reference', exactQty(reference.value, reference.unit))) : null),
        el('td', null, o.reason),
        el('td', null, o.by),
        el('td', { class: 'nowrap' }, formatInstant(o.at)));
    });
    body.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 6, class: 'empty' }, t('overrides.none')))]));
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? t('error.siteNotFound', ctx.site) : t('error.load', error.message);
    body.replaceChildren(el('tr', null, el('td', { colspan: 6, class: 'empty' }, text)));
    overrideForm.hidden = error instanceof ApiError && error.status === 404;
  }
}

function formMessage(text, kind) {
  const box = document.getElementById('override-message');
  box.hidden = !text;
  box.className = `message message-${kind}`;
  box.textContent = text ?? '';
}

function hint() {
  const id = overrideForm.elements.factor.value.trim();
  const f = all.find((x) => x.id === id);
  const box = document.getElementById('override-reference');
  box.replaceChildren(...(f ? [
    t('overrides.current'), ' ', el('b', null, f.value !== null ? exactQty(f.value, f.unit) : (f.rawValue || t('common.none'))),
    ` · ${factorSource(f)}`, f.year ? ` · ${f.year}` : '', ' ', f.unverified ? unverifiedBadge() : null,
  ] : []));
  overrideForm.elements.unit.placeholder = f?.unit ? f.unit : '';
}

function prefill(f) {
  overrideForm.elements.factor.value = f.id;
  overrideForm.elements.unit.value = f.unit ?? '';
  formMessage(null);
  hint();
  overrideForm.scrollIntoView({ behavior: 'smooth', block: 'center' });
  overrideForm.elements.value.focus({ preventScroll: true });
}

overrideForm.elements.factor.addEventListener('input', hint);

overrideForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const e = overrideForm.elements;
  const value = e.value.value.trim() === '' ? Number.NaN : Number(e.value.value);
  if (!e.factor.value.trim()) {
    formMessage(t('overrides.needFactor'), 'error');
    return;
  }
  if (!Number.isFinite(value)) {
    formMessage(t('overrides.needValue'), 'error');
    return;
  }
  const submit = overrideForm.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    // The server checks the rest (known factor, non-negative value, a reason, the year) and says what is wrong.
    const saved = await postJson(sitePath(ctx.site, 'factor-overrides'), {
      factor: e.factor.value.trim(),
      year: e.year.value.trim() || null,
      value,
      unit: e.unit.value.trim() || null,
      reason: e.reason.value,
    });
    formMessage(t('overrides.saved', saved.factorId, exactQty(saved.value, saved.unit)), 'info');
    overrideForm.reset();
    hint();
    await loadOverrides();
  } catch (error) {
    formMessage(error.status === 400 ? t('overrides.rejected', error.message) : t('error.load', error.message), 'error');
  } finally {
    submit.disabled = false;
  }
});

// ---------------------------------------------------------------------------------------------------------------

async function start() {
  const q = new URLSearchParams(window.location.search);
  search.value = q.get('q') ?? '';
  try {
    const full = await getJson('/reference/factors');
    all = full.factors;
    document.getElementById('fact-dataset').textContent = full.dataSet;
    document.getElementById('fact-count').textContent = String(full.count);
    document.getElementById('fact-unverified').textContent = String(all.filter((f) => f.unverified).length);
    const kinds = [...new Set(all.map((f) => f.kind))].sort();
    kindSelect.append(...kinds.map((k) => el('option', { value: k }, k)));
    if (kinds.includes(q.get('kind'))) kindSelect.value = q.get('kind');
    document.getElementById('factor-ids').replaceChildren(...[...new Set(all.map((f) => f.id))].map((id) => el('option', { value: id })));
  } catch (error) {
    showMessage(t('error.load', error.message), 'error', ' ',
      el('button', { type: 'button', class: 'button small', onclick: () => window.location.reload() }, t('common.retry')));
    setBusy(view, false);
    return;
  }
  await Promise.all([loadOverrides(), loadFactors()]);
  started = true;
  setBusy(view, false);
}

start();
