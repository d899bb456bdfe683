// File import (/import): upload a CSV or .xlsx file, preview it, map its columns to meters, check (a dry run that
// writes nothing), import in the background with a progress bar, and show the summary with a link to the quarantine.
// Data: POST /api/v1/imports (multipart), GET .../{id}/preview, POST .../{id}/validate, POST .../{id}/commit,
// GET .../{id} (polled every 500 ms while importing). The server runs the same importer as `greenloop import`.
import { ctx, t, el, showMessage, setBusy, formatNumber, formatQuantity, formatWall, kindLabel, unitLabel } from './common.js';
import { send, RequestError } from './alarm-common.js';

const POLL_MS = 500;
const view = document.getElementById('import');
const meters = JSON.parse(document.getElementById('import-meters')?.textContent || '[]');
const maxBytes = Number(view.dataset.maxBytes);
const maxMb = view.dataset.maxMb;

const $ = (id) => document.getElementById(id);
const mapForm = $('map-form');

let upload = null; // { id, fileName, sizeBytes }
let preview = null; // { columns, rows, delimiter, headerRow }
let validated = null; // the mapping the last report was made with

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** A file size in KB below 1 MB, else in MB. */
function fileSize(bytes) {
  return bytes < 1024 * 1024 ? formatQuantity(bytes / 1024, 'KB', 1) : formatQuantity(bytes / (1024 * 1024), 'MB', 1);
}

function stateLabel(state) {
  return t(`import.state.${state}`);
}

function setState(state) {
  $('fact-state').textContent = state ? stateLabel(state) : t('common.none');
}

function errorText(error) {
  if (error instanceof RequestError && error.errors && Object.keys(error.errors).length) {
    return Object.entries(error.errors).map(([field, reasons]) => `${field}: ${reasons.join('; ')}`).join(' · ');
  }
  return error.message;
}

/** A column as the mapping names it: its header text when that is unambiguous, else its 1-based number. */
function columnRef(column) {
  const names = preview.columns.map((c) => c.name);
  const unique = names.filter((n) => n === column.name).length === 1;
  return $('has-header').checked && unique && !/^\d+$/.test(column.name) && !column.name.startsWith('column ')
    ? column.name : String(column.number);
}

function meterLabel(m) {
  const name = ctx.lang === 'zh-CN' ? m.nameZh || m.name : m.name;
  return `${m.key} — ${name} (${unitLabel(m.unit)})`;
}

function meterOptions(selected) {
  const groups = new Map();
  for (const m of meters) {
    if (!groups.has(m.site)) groups.set(m.site, []);
    groups.get(m.site).push(el('option', { value: m.key, selected: m.key === selected }, meterLabel(m)));
  }
  return [el('option', { value: '' }, t('import.notImported')),
    ...[...groups].map(([site, options]) => el('optgroup', { label: site }, options))];
}

function columnOptions(select, selectedNumber) {
  select.replaceChildren(...preview.columns.map((c) => el('option', { value: String(c.number), selected: c.number === selectedNumber },
    `${c.number}. ${c.name}`)));
}

// ---------------------------------------------------------------------------------------------------------------
// Upload and preview

async function uploadFile(event) {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) {
    showMessage(t('import.chooseFile'));
    return;
  }
  if (file.size > maxBytes) {
    showMessage(t('import.tooLarge', formatNumber(file.size / (1024 * 1024), 1), maxMb));
    return;
  }
  showMessage(null);
  const button = $('upload-button');
  button.disabled = true;
  button.textContent = t('import.uploading');
  try {
    const body = new FormData();
    body.append('file', file, file.name);
    let response;
    try {
      // The signed-in user is who uploads; common.js adds the page's anti-forgery token to this POST.
      response = await fetch(`${ctx.api.replace(/\/$/, '')}/imports`, { method: 'POST', headers: { Accept: 'application/json' }, body });
    } catch {
      throw new RequestError(0, t('error.network'));
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new RequestError(response.status, answer.detail || answer.title || `HTTP ${response.status}`, answer.errors);
    upload = answer;
    validated = null;
    $('upload-info').hidden = false;
    $('upload-info').textContent = t('import.uploaded', answer.fileName, fileSize(answer.sizeBytes), answer.uploadedBy);
    setState(answer.state);
    showPreview(answer.preview);
  } catch (error) {
    showMessage(t('import.error', errorText(error)));
  } finally {
    button.disabled = false;
    button.textContent = t('import.upload');
  }
}

async function refreshPreview(event) {
  event.preventDefault();
  if (!upload) return;
  try {
    const query = new URLSearchParams({ skipRows: $('skip-rows').value || '0', hasHeader: String($('has-header').checked), delimiter: $('delimiter').value });
    showPreview(await send('GET', `/imports/${encodeURIComponent(upload.id)}/preview?${query}`));
    showMessage(null);
  } catch (error) {
    showMessage(t('import.error', errorText(error)));
  }
}

function showPreview(p) {
  preview = p;
  $('preview-card').hidden = false;
  $('map-card').hidden = false;
  $('report-card').hidden = true;
  $('commit-card').hidden = true;
  $('preview-note').textContent = [t('import.previewNote', p.rows.length), p.delimiter ? t('import.delimiterFound', p.delimiter === 'tab' ? t('import.delimiter.tab') : p.delimiter) : null]
    .filter(Boolean).join(' · ');
  $('preview-head').replaceChildren(el('tr', null, el('th', { class: 'num' }, t('import.col.row')),
    ...p.columns.map((c) => el('th', { dataset: { column: c.number } }, `${c.number}. ${c.name} `, el('span', { class: 'tag' }, t(`import.guess.${c.guess}`))))));
  $('preview-rows').replaceChildren(...p.rows.map((r) => el('tr', null, el('td', { class: 'num muted' }, String(r.row)),
    ...p.columns.map((c, i) => el('td', null, r.cells[i] ?? '')))));
  buildMapping();
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping

function sample(column) {
  const row = preview.rows.find((r) => (r.cells[column.number - 1] ?? '') !== '');
  return row ? row.cells[column.number - 1] : '';
}

function buildMapping() {
  const columns = preview.columns;
  const time = columns.find((c) => c.guess === 'time') ?? columns[0];
  columnOptions($('time-column'), time?.number);
  const meterColumn = columns.find((c) => /meter|表/i.test(c.name) && c.number !== time?.number)
    ?? columns.find((c) => c.guess === 'text' && c.number !== time?.number) ?? columns[1];
  columnOptions($('meter-column'), meterColumn?.number);
  const valueColumn = columns.find((c) => c.guess === 'number' && c.number !== time?.number && c.number !== meterColumn?.number) ?? columns[2];
  columnOptions($('value-column'), valueColumn?.number);
  renderValueColumns();
  showLayout();
}

function renderValueColumns() {
  const time = Number($('time-column').value);
  const keys = new Set(meters.map((m) => m.key));
  $('value-columns').replaceChildren(...preview.columns.filter((c) => c.number !== time).map((c) => el('tr', { dataset: { column: c.number } },
    el('td', null, `${c.number}. ${c.name}`),
    el('td', { class: 'muted' }, sample(c)),
    el('td', null, el('select', { class: 'meter-select', dataset: { column: c.number }, 'aria-label': `${t('import.col.meter')}: ${c.name}` },
      meterOptions(keys.has(c.name) ? c.name : ''))))));
}

function layout() {
  return mapForm.querySelector('input[name="layout"]:checked')?.value ?? 'wide';
}

function showLayout() {
  const long = layout() === 'long';
  $('wide-fields').hidden = long;
  $('long-fields').hidden = !long;
}

function column(number) {
  return preview.columns.find((c) => c.number === Number(number));
}

function mapping() {
  const stamp = $('stamp').value || null;
  const interval = $('interval').value ? Number($('interval').value) : null;
  const m = {
    layout: layout(),
    timeColumn: columnRef(column($('time-column').value)),
    dateFormats: $('date-format').value.split('|').map((f) => f.trim()).filter(Boolean),
    timeZone: $('time-zone').value.trim() || null,
    stamp,
    intervalMinutes: interval,
    shiftToMeterConvention: $('shift').checked && stamp ? (stamp === 'periodEnding' ? 'periodBeginning' : 'periodEnding') : null,
    repairMidnight: $('repair-midnight').checked,
    decimalSeparator: $('decimal').value,
    delimiter: $('delimiter').value,
    skipRows: Number($('skip-rows').value || 0),
    hasHeader: $('has-header').checked,
  };
  if (m.layout === 'long') {
    m.meterColumn = columnRef(column($('meter-column').value));
    m.valueColumn = columnRef(column($('value-column').value));
  } else {
    m.map = [...document.querySelectorAll('#value-columns select.meter-select')]
      .filter((s) => s.value)
      .map((s) => ({ column: columnRef(column(s.dataset.column)), meter: s.value }));
  }
  return m;
}

function mapErrors(error) {
  const box = $('map-errors');
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
// Report

function meterKind(key) {
  return meters.find((m) => m.key === key)?.kind;
}

function renderMeters(tbody, summary) {
  tbody.replaceChildren(...(summary.meters.length ? summary.meters.map((m) => el('tr', { dataset: { meter: m.meter } },
    el('td', null, el('code', null, m.meter)),
    el('td', null, m.kind ? kindLabel(m.kind) : kindLabel(meterKind(m.meter) ?? '')),
    el('td', { class: 'num' }, m.consumption === null || m.consumption === undefined ? t('common.none') : formatQuantity(m.consumption, m.unit))))
    : [el('tr', null, el('td', { colspan: 3, class: 'empty' }, t('common.noData')))]));
}

function span(summary) {
  return summary.firstInstant ? `${formatWall(summary.firstInstant)} – ${formatWall(summary.lastInstant)}` : t('common.none');
}

function renderReport(report) {
  const s = report.summary;
  $('report-card').hidden = false;
  $('r-rows').textContent = t('data.rows', formatNumber(s.rowsRead, 0));
  $('r-values').textContent = formatNumber(s.values, 0);
  $('r-accepted').textContent = formatNumber(s.accepted, 0);
  $('r-rejected').textContent = formatNumber(s.rejected, 0);
  $('r-repaired').textContent = formatNumber(s.repaired, 0);
  $('r-duplicates').textContent = formatNumber(s.duplicatesInFile, 0);
  $('r-stored').textContent = formatNumber(s.alreadyStored, 0);
  $('r-span').textContent = span(s);
  renderMeters($('meter-sums'), s);
  $('issues-note').textContent = report.issueCount > report.issues.length ? t('import.issuesShown', report.issues.length, report.issueCount) : `(${report.issueCount})`;
  $('issue-rows').replaceChildren(...(report.issues.length ? report.issues.map((i) => el('tr', { dataset: { row: i.row } },
    el('td', { class: 'num' }, String(i.row)),
    el('td', null, i.field),
    el('td', null, ctx.lang === 'zh-CN' ? i.reasonZh ?? i.reason : i.reason),
    el('td', null, el('code', null, i.rawLine))))
    : [el('tr', null, el('td', { colspan: 4, class: 'empty' }, t('import.noIssues')))]));
  $('repairs').hidden = report.repairs.length === 0;
  $('repair-rows').replaceChildren(...report.repairs.map((r) => el('tr', null,
    el('td', { class: 'num' }, String(r.row)), el('td', null, r.field), el('td', null, ctx.lang === 'zh-CN' ? r.whatZh ?? r.what : r.what))));
  $('commit-button').disabled = s.accepted === 0;
}

async function validate(event) {
  event.preventDefault();
  if (!upload) return;
  mapErrors(null);
  showMessage(null);
  const button = $('validate-button');
  button.disabled = true;
  button.textContent = t('import.validating');
  const m = mapping();
  try {
    const report = await send('POST', `/imports/${encodeURIComponent(upload.id)}/validate`, m);
    validated = m;
    renderReport(report);
    $('commit-card').hidden = true;
  } catch (error) {
    validated = null;
    $('report-card').hidden = true;
    if (error.status === 400) mapErrors(error);
    else showMessage(t('import.error', errorText(error)));
  } finally {
    button.disabled = false;
    button.textContent = t('import.validate');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Commit and progress

function renderProgress(status) {
  const p = status.progress;
  const bar = $('commit-progress');
  bar.value = p.fraction ?? 0;
  bar.setAttribute('aria-valuetext', p.rowsTotal === null ? t('import.counting') : t('import.progress', formatNumber(p.rowsDone, 0), formatNumber(p.rowsTotal, 0)));
  $('progress-text').textContent = bar.getAttribute('aria-valuetext');
  setState(status.state);
}

function renderDone(status) {
  const r = status.result;
  $('commit-result').hidden = false;
  if (status.state === 'failed') {
    showMessage(t('import.failed', status.error ?? ''));
    $('commit-summary').textContent = t('import.failed', status.error ?? '');
  } else {
    $('commit-summary').textContent = t('import.done', formatNumber(r.summary.accepted, 0), formatNumber(r.summary.rejected, 0), formatNumber(r.summary.repaired, 0));
  }
  $('commit-facts').hidden = !r;
  if (!r) return;
  const s = r.summary;
  $('c-rows').textContent = t('data.rows', formatNumber(s.rowsRead, 0));
  $('c-accepted').textContent = formatNumber(s.accepted, 0);
  $('c-rejected').textContent = formatNumber(s.rejected, 0);
  $('c-repaired').textContent = formatNumber(s.repaired, 0);
  $('c-duplicates').textContent = formatNumber(s.duplicatesInFile, 0);
  $('c-stored').textContent = formatNumber(s.alreadyStored, 0);
  $('c-span').textContent = span(s);
  renderMeters($('commit-meters'), s);
}

async function poll() {
  try {
    const status = await send('GET', `/imports/${encodeURIComponent(upload.id)}`);
    renderProgress(status);
    if (status.state === 'committing') {
      setTimeout(poll, POLL_MS);
      return;
    }
    renderDone(status);
    setBusy(view, false);
  } catch (error) {
    showMessage(t('import.error', errorText(error)));
    setTimeout(poll, POLL_MS * 4);
  }
}

async function commit() {
  if (!upload || !validated) return;
  showMessage(null);
  const button = $('commit-button');
  button.disabled = true;
  try {
    const status = await send('POST', `/imports/${encodeURIComponent(upload.id)}/commit`, validated);
    for (const id of ['upload-button', 'refresh-preview', 'validate-button']) $(id).disabled = true;
    $('commit-card').hidden = false;
    $('commit-result').hidden = true;
    setBusy(view, true);
    renderProgress(status);
    setTimeout(poll, POLL_MS);
  } catch (error) {
    button.disabled = false;
    showMessage(t('import.error', errorText(error)));
  }
}

// ---------------------------------------------------------------------------------------------------------------

$('upload-form').addEventListener('submit', uploadFile);
$('preview-form').addEventListener('submit', refreshPreview);
mapForm.addEventListener('submit', validate);
mapForm.addEventListener('change', (event) => {
  if (event.target.name === 'layout') showLayout();
  if (event.target.id === 'time-column') renderValueColumns();
  // A report belongs to the mapping it was made with.
  if (validated) {
    validated = null;
    $('report-card').hidden = true;
  }
});
$('commit-button').addEventListener('click', commit);
$('another').addEventListener('click', () => window.location.reload());
setBusy(view, false);
