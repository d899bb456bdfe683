// Manual entry (/manual-entry): register readings of offline meters typed in from bills and delivery notes, the list
// of entries with their current version, and corrections (a new version with a reason) with the version history.
// Data: POST /api/v1/manual-entries, POST /api/v1/manual-entries/{id}/corrections, GET /api/v1/manual-entries?meter=,
// GET /api/v1/manual-entries/{id}. Instants come back in the meter's site time zone and are shown on its wall clock.
import { t, el, showMessage, setBusy, formatNumber, formatWall, unitLabel } from './common.js';
import { send, RequestError } from './alarm-common.js';

const view = document.getElementById('manual-entry');
const form = document.getElementById('entry-form');
const meterSelect = document.getElementById('entry-meter');
const filter = document.getElementById('filter-meter');
const tbody = document.getElementById('entry-rows');

let entries = [];
const open = new Set(); // entry ids whose details are shown

const $ = (id) => document.getElementById(id);

function selectedMeter() {
  const option = meterSelect.selectedOptions[0];
  return option?.value ? { key: option.value, unit: option.dataset.unit, zone: option.dataset.zone } : null;
}

function showMeter() {
  const m = selectedMeter();
  $('entry-unit').textContent = m ? unitLabel(m.unit) : '';
  $('entry-zone').textContent = m ? t('manual.zone', m.zone) : '';
}

function value(v, unit) {
  return `${formatNumber(v, 6)} ${unitLabel(unit)}`.trim();
}

function errorList(box, error) {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  const errors = error instanceof RequestError ? error.errors : null;
  box.replaceChildren(errors && Object.keys(errors).length
    ? el('ul', null, Object.entries(errors).map(([field, reasons]) => el('li', { dataset: { field } }, `${field}: ${reasons.join('; ')}`)))
    : el('span', null, error.message));
}

// ---------------------------------------------------------------------------------------------------------------
// List, history, correction

/** Loads and shows the entries; a failure is shown in the page's message (which a success leaves to the caller). */
async function load() {
  try {
    entries = await send('GET', `/manual-entries?limit=500${filter.value ? `&meter=${encodeURIComponent(filter.value)}` : ''}`);
    render();
  } catch (error) {
    showMessage(t('error.load', error.message));
  } finally {
    setBusy(view, false);
  }
}

function render() {
  $('fact-entries').textContent = String(entries.length);
  const rows = [];
  for (const e of entries) {
    const expanded = open.has(e.entryId);
    rows.push(el('tr', { class: 'entry-row', dataset: { id: e.entryId, meter: e.meter } },
      el('td', null, el('button', { type: 'button', class: 'expander', 'aria-expanded': String(expanded), 'aria-label': t('manual.history'), onclick: () => toggle(e.entryId) }),
        el('code', null, e.meter)),
      el('td', { class: 'nowrap' }, formatWall(e.ts)),
      el('td', { class: 'num value' }, value(e.value, e.unit)),
      el('td', { class: 'num version' }, `v${e.version}`),
      el('td', { class: 'by' }, e.enteredBy),
      el('td', { class: 'nowrap' }, formatWall(e.enteredAt)),
      el('td', null, e.document ?? ''),
      el('td', { class: 'nowrap' },
        el('button', { type: 'button', class: 'button small button-secondary', dataset: { action: 'correct' }, onclick: () => toggle(e.entryId, true) }, t('manual.correct')))));
    if (expanded) rows.push(detailRow(e));
  }
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('manual.none')))]));
  for (const id of open) loadHistory(id);
}

function detailRow(e) {
  const correction = el('form', { class: 'rule-form correction-form', novalidate: true, onsubmit: (event) => correct(event, e) },
    el('h3', { class: 'small-note' }, t('manual.correction')),
    el('div', { class: 'form-row' },
      el('label', { class: 'field' }, t('manual.newValue'),
        el('span', { class: 'inline-field' }, el('input', { name: 'value', type: 'number', step: 'any', class: 'text-input', required: true, value: String(e.value) }), ' ',
          el('span', { class: 'unit' }, unitLabel(e.unit)))),
      el('label', { class: 'field field-wide' }, t('manual.reason'),
        el('input', { name: 'reason', type: 'text', class: 'text-input', maxlength: 2000, required: true, placeholder: t('manual.reasonPlaceholder') })),
      el('label', { class: 'field' }, t('manual.document'),
        el('input', { name: 'document', type: 'text', class: 'text-input', maxlength: 200, value: e.document ?? '' })),
      el('button', { type: 'submit', class: 'button' }, t('manual.saveCorrection'))),
    el('div', { class: 'message message-error correction-errors', role: 'alert', hidden: true }));
  const history = el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
    el('thead', null, el('tr', null,
      el('th', { class: 'num' }, t('manual.col.version')), el('th', { class: 'num' }, t('manual.col.value')), el('th', null, t('manual.col.by')),
      el('th', null, t('manual.col.at')), el('th', null, t('manual.col.document')), el('th', null, t('manual.col.reason')))),
    el('tbody', { class: 'version-rows' }, el('tr', null, el('td', { colspan: 6, class: 'empty' }, t('common.loading'))))));
  return el('tr', { class: 'entry-detail', dataset: { detailOf: e.entryId } },
    el('td', { colspan: 8 }, el('h3', { class: 'small-note' }, t('manual.history')), history, correction));
}

function toggle(id, focus = false) {
  if (open.has(id) && !focus) open.delete(id);
  else open.add(id);
  render();
  if (focus) tbody.querySelector(`tr[data-detail-of="${id}"] input[name="value"]`)?.focus();
}

async function loadHistory(id) {
  const target = tbody.querySelector(`tr[data-detail-of="${id}"] .version-rows`);
  if (!target) return;
  try {
    const h = await send('GET', `/manual-entries/${id}`);
    target.replaceChildren(...h.versions.map((v) => el('tr', { dataset: { version: v.version } },
      el('td', { class: 'num' }, `v${v.version}`),
      el('td', { class: 'num' }, value(v.value, v.unit)),
      el('td', null, v.enteredBy),
      el('td', { class: 'nowrap' }, formatWall(v.enteredAt)),
      el('td', null, v.document ?? ''),
      el('td', null, [v.reason, v.note].filter(Boolean).join(' — ')))));
  } catch (error) {
    target.replaceChildren(el('tr', null, el('td', { colspan: 6, class: 'empty' }, t('error.load', error.message))));
  }
}

async function correct(event, e) {
  event.preventDefault();
  const f = event.currentTarget;
  const box = f.querySelector('.correction-errors');
  const reason = f.elements.reason.value.trim();
  if (!reason) {
    errorList(box, new Error(t('manual.needReason')));
    return;
  }
  try {
    const v = await send('POST', `/manual-entries/${e.entryId}/corrections`, {
      value: f.elements.value.value === '' ? null : Number(f.elements.value.value),
      reason,
      document: f.elements.document.value.trim() || null,
    });
    await load();
    showMessage(t('manual.corrected', v.version), 'info');
  } catch (error) {
    errorList(box, error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// New entry

async function save(event) {
  event.preventDefault();
  const box = $('entry-errors');
  errorList(box, null);
  const m = selectedMeter();
  const date = $('entry-date').value;
  const time = $('entry-time').value || '00:00';
  const raw = $('entry-value').value;
  const body = {
    meter: m?.key ?? null,
    ts: date ? `${date}T${time}` : null,
    timeZone: m?.zone ?? null,
    value: raw === '' ? null : Number(raw),
    document: $('entry-document').value.trim() || null,
    note: $('entry-note').value.trim() || null,
  };
  try {
    const entry = await send('POST', '/manual-entries', body);
    $('entry-value').value = '';
    $('entry-document').value = '';
    $('entry-note').value = '';
    await load();
    showMessage(t('manual.saved', entry.meter, formatWall(entry.ts), value(entry.value, entry.unit)), 'info');
  } catch (error) {
    if (error.status === 409) {
      errorList(box, new Error(t('manual.exists', error.message)));
      // When a manual entry holds the instant, open it: correcting it is what the person wants.
      const held = entries.find((e) => e.meter === m?.key && formatWall(e.ts) === `${date} ${time}`);
      if (held) toggle(held.entryId, true);
    } else {
      errorList(box, error);
    }
  }
}

meterSelect.addEventListener('change', showMeter);
form.addEventListener('submit', save);
filter.addEventListener('change', () => { showMessage(null); load(); });
showMeter();
load();
