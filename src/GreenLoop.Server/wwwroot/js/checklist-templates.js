// Checklist templates (/checklist-templates?site=&key=&version=): the site's templates (latest version, item count,
// export, earlier versions read-only) and a builder of the template JSON that POST .../checklist-templates takes
// (src/GreenLoop.Domain/Optimise/Field/Checklist.cs): ordered items of each type, only the type's own fields shown, the
// SOP step, a meter, required, and what a failure means. The form is the state: what is typed stays in it until it is
// saved, whatever the server answers; its ValidationProblem errors are shown on the items and fields they name. A
// template file (the export) is read in the browser and loaded into the builder, to be reviewed before it is saved.
// Data: GET /api/v1/sites/{site} (meters, time zone), GET/POST .../checklist-templates, GET .../{key}?version=,
// GET .../{key}/export.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, displayName, formatInstant } from './common.js';

const view = document.getElementById('checklist-templates');
const site = view.dataset.site;
const canImprove = view.dataset.canImprove === 'true';
const list = document.getElementById('tpl-list');
const editorCard = document.getElementById('editor-card');
const form = document.getElementById('tpl-form');
const fields = document.getElementById('tpl-fields');
const itemsBox = document.getElementById('tpl-items');
const addButton = document.getElementById('add-item');
const saveArea = document.getElementById('save-area');
const errorsBox = document.getElementById('form-errors');
const saveStatus = document.getElementById('save-status');
const importFile = document.getElementById('import-file');

const TYPES = ['PassFail', 'Number', 'Choice', 'Text', 'Photo', 'Confirm'];
const SEVERITIES = ['Low', 'Medium', 'High', 'Critical'];
// The types that can fail (text and photos only record), so only they say what a failure means.
const FAILING_TYPES = ['PassFail', 'Number', 'Choice', 'Confirm'];
const MAX_ITEMS = 100;

let templates = []; // the latest version of each template
let meters = [];
let siteZone = null;
// 'new', 'import', 'edit' (a new version of an existing key) or 'view' (read-only).
let mode = null;
let dirty = false;

const orNull = (s) => (s && s.trim() ? s.trim() : null);
const lines = (s) => [...new Set(s.split('\n').map((x) => x.trim()).filter(Boolean))];
const templatesPath = (...rest) => sitePath(site, 'checklist-templates', ...rest);
const exportUrl = (key, version) => `${ctx.api}${templatesPath(key, 'export')}${version ? `?version=${version}` : ''}`;
const latestOf = (key) => templates.find((x) => x.key === key);

/** POSTs JSON; throws an Error carrying the ValidationProblem's errors (path -> reasons) when the server sent some. */
async function post(path, body) {
  let response;
  try {
    response = await fetch(`${ctx.api}${path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body),
    });
  } catch {
    throw Object.assign(new Error(t('error.network')), { errors: {} });
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(answer.detail || answer.title || `HTTP ${response.status}`), { errors: answer.errors || {} });
  return answer;
}

function setUrl(params) {
  const url = new URL(window.location.href);
  url.searchParams.delete('key');
  url.searchParams.delete('version');
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.set(k, String(v));
  window.history.replaceState(null, '', url);
}

/** Whether the editor may be replaced: nothing unsaved in it, or the user agrees to drop it. */
function mayReplace() {
  return !dirty || window.confirm(t('tpl.discard'));
}

// ---------------------------------------------------------------------------------------------------------------
// One item of the builder

function labelled(text, control, wide = false) {
  return el('label', { class: wide ? 'field field-wide' : 'field' }, text, control);
}

function textInput(field, value, attrs = {}) {
  const input = el('input', { type: 'text', dataset: { field }, ...attrs });
  input.value = value ?? '';
  return input;
}

function numberInput(field, value, attrs = {}) {
  const input = el('input', { type: 'number', step: 'any', inputmode: 'decimal', dataset: { field }, ...attrs });
  input.value = value === null || value === undefined ? '' : String(value);
  return input;
}

function textArea(field, value, rows = 2) {
  const area = el('textarea', { rows, maxlength: '4000', dataset: { field } });
  area.value = value ?? '';
  return area;
}

function selectOf(field, values, label, selected) {
  const select = el('select', { dataset: { field } }, values.map((v) => el('option', { value: v }, label(v))));
  select.value = selected;
  return select;
}

function checkbox(field, checked) {
  const box = el('input', { type: 'checkbox', dataset: { field } });
  box.checked = checked;
  return box;
}

function meterSelect(selected) {
  const select = el('select', { dataset: { field: 'meter' } }, el('option', { value: '' }, t('tpl.i.noMeter')),
    meters.map((m) => el('option', { value: m.key }, `${displayName(m, m.key)} (${m.key})`)));
  // A meter of another plant (an imported file) stays visible, so the user sees what the server will refuse.
  if (selected && !meters.some((m) => m.key === selected)) select.append(el('option', { value: selected }, t('tpl.i.unknownMeter', selected)));
  select.value = selected ?? '';
  return select;
}

/** A key no other item has: item1, item2, … */
function freshKey() {
  const used = new Set([...itemsBox.querySelectorAll('[data-field="key"]')].map((i) => i.value.trim()));
  let n = itemsBox.children.length + 1;
  while (used.has(`item${n}`)) n++;
  return `item${n}`;
}

function itemElement(item, editable) {
  const type = selectOf('type', TYPES, (v) => t(`tpl.type.${v}`), TYPES.includes(item.type) ? item.type : 'PassFail');
  const photos = numberInput('photos', item.photos ?? 0, { min: '0', max: '10', step: '1', inputmode: 'numeric' });
  const choices = textArea('choices', (item.choices ?? []).join('\n'), 3);
  const failing = el('fieldset', { class: 'checks failing-choices', dataset: { field: 'failingChoices' } });
  const renderFailing = (checked) => {
    const values = lines(choices.value);
    failing.replaceChildren(el('legend', null, t('tpl.i.failing')), ...(values.length
      ? values.map((v) => {
        const box = el('input', { type: 'checkbox', value: v });
        box.checked = checked.has(v);
        return el('label', { class: 'check touch' }, box, v);
      })
      : [el('span', { class: 'muted small' }, t('tpl.i.failingNone'))]));
  };
  renderFailing(new Set(item.failingChoices ?? []));
  choices.addEventListener('input', () => renderFailing(new Set([...failing.querySelectorAll('input:checked')].map((b) => b.value))));

  const tools = editable ? el('div', { class: 'tpl-item-tools' },
    el('button', { type: 'button', class: 'button button-secondary small touch move-up', title: t('tpl.i.up'), 'aria-label': t('tpl.i.up'), onclick: () => move(li, -1) }, '↑'),
    el('button', { type: 'button', class: 'button button-secondary small touch move-down', title: t('tpl.i.down'), 'aria-label': t('tpl.i.down'), onclick: () => move(li, 1) }, '↓'),
    el('button', { type: 'button', class: 'button button-danger-outline small touch remove-item', onclick: () => remove(li) }, t('tpl.i.remove'))) : null;

  const li = el('li', { class: 'tpl-item', dataset: { type: type.value } },
    el('div', { class: 'tpl-item-head' }, el('span', { class: 'check-no' }), tools),
    el('div', { class: 'form-row' },
      labelled(t('tpl.i.key'), textInput('key', item.key, { maxlength: '64', spellcheck: 'false', autocapitalize: 'off' })),
      labelled(t('tpl.i.type'), type)),
    el('div', { class: 'form-row' },
      labelled(t('tpl.i.textZh'), textInput('textZh', item.textZh, { maxlength: '500' }), true),
      labelled(t('tpl.i.text'), textInput('text', item.text, { maxlength: '500' }), true)),
    el('div', { class: 'form-row' },
      labelled(t('tpl.i.instructionsZh'), textArea('instructionsZh', item.instructionsZh), true),
      labelled(t('tpl.i.instructions'), textArea('instructions', item.instructions), true)),
    el('div', { class: 'form-row', dataset: { only: 'Number' } },
      labelled(t('tpl.i.unit'), textInput('unit', item.unit, { maxlength: '32', spellcheck: 'false' })),
      labelled(t('tpl.i.min'), numberInput('min', item.min)),
      labelled(t('tpl.i.max'), numberInput('max', item.max))),
    el('div', { class: 'form-row', dataset: { only: 'Choice' } }, labelled(t('tpl.i.choices'), choices, true), failing),
    el('div', { class: 'form-row' },
      labelled(t('tpl.i.photos'), photos),
      labelled(t('tpl.i.meter'), meterSelect(item.meter), true),
      el('label', { class: 'check touch' }, checkbox('required', item.required !== false), t('tpl.i.required'))),
    el('div', { class: 'form-row', dataset: { fails: 'true' } },
      labelled(t('tpl.i.severity'), selectOf('severity', SEVERITIES, (v) => t(`tpl.severity.${v}`), SEVERITIES.includes(item.onFail?.severity) ? item.onFail.severity : 'Medium')),
      el('label', { class: 'check touch' }, checkbox('workOrder', item.onFail?.workOrder === true), t('tpl.i.workOrder'))),
    el('div', { class: 'item-errors' }));

  const showTypeFields = () => {
    li.dataset.type = type.value;
    for (const row of li.querySelectorAll('[data-only]')) row.hidden = row.dataset.only !== type.value;
    for (const row of li.querySelectorAll('[data-fails]')) row.hidden = !FAILING_TYPES.includes(type.value);
  };
  type.addEventListener('change', () => {
    // A photo item asks for at least one photo.
    if (type.value === 'Photo' && !(Number(photos.value) > 0)) photos.value = '1';
    showTypeFields();
  });
  showTypeFields();
  return li;
}

function renumber() {
  const items = [...itemsBox.children];
  items.forEach((li, i) => {
    li.querySelector('.check-no').textContent = String(i + 1);
    const up = li.querySelector('.move-up');
    const down = li.querySelector('.move-down');
    if (up) up.disabled = i === 0;
    if (down) down.disabled = i === items.length - 1;
    const remove = li.querySelector('.remove-item');
    if (remove) remove.disabled = items.length === 1;
  });
  if (addButton) addButton.disabled = items.length >= MAX_ITEMS;
}

function move(li, by) {
  const other = by < 0 ? li.previousElementSibling : li.nextElementSibling;
  if (!other) return;
  if (by < 0) other.before(li);
  else other.after(li);
  dirty = true;
  renumber();
  li.querySelector(by < 0 ? '.move-up' : '.move-down')?.focus();
}

function remove(li) {
  if (itemsBox.children.length === 1) return;
  li.remove();
  dirty = true;
  renumber();
}

// ---------------------------------------------------------------------------------------------------------------
// The template as the form says

function readItem(li) {
  const f = (name) => li.querySelector(`[data-field="${name}"]`);
  const type = f('type').value;
  const textZh = orNull(f('textZh').value);
  const photos = Number(f('photos').value);
  const item = {
    key: f('key').value.trim(),
    text: f('text').value.trim() || textZh || '',
    textZh,
    type,
    instructions: orNull(f('instructions').value),
    instructionsZh: orNull(f('instructionsZh').value),
    unit: null,
    min: null,
    max: null,
    choices: [],
    failingChoices: [],
    // Not a whole number: sent as -1, so the server's reason ("photos: 0 to 10") names the field.
    photos: Number.isInteger(photos) ? photos : -1,
    required: f('required').checked,
    meter: f('meter').value || null,
    onFail: FAILING_TYPES.includes(type) ? { severity: f('severity').value, workOrder: f('workOrder').checked } : { severity: 'Medium', workOrder: false },
  };
  // Only the fields of the item's type are sent: what is hidden is not saved.
  if (type === 'Number') {
    const number = (input) => (input.value.trim() === '' ? null : Number(input.value));
    Object.assign(item, { unit: orNull(f('unit').value), min: number(f('min')), max: number(f('max')) });
  }
  if (type === 'Choice') {
    item.choices = lines(f('choices').value);
    item.failingChoices = [...li.querySelectorAll('.failing-choices input:checked')].map((b) => b.value).filter((c) => item.choices.includes(c));
  }
  return item;
}

function readTemplate() {
  const e = form.elements;
  const nameZh = orNull(e.nameZh.value);
  return {
    key: e.key.value.trim(),
    name: e.name.value.trim() || nameZh || '',
    nameZh,
    description: orNull(e.description.value),
    items: [...itemsBox.children].map(readItem),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors: ValidationProblem errors on the items ("items[2]") and fields ("key", "name") they name, the rest above
// the save button with the server's reason.

function clearErrors() {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of itemsBox.querySelectorAll('.tpl-item.has-errors')) node.classList.remove('has-errors');
  if (errorsBox) {
    errorsBox.hidden = true;
    errorsBox.replaceChildren();
  }
}

function showErrors(errors, summary) {
  const rest = [];
  const items = [...itemsBox.children];
  for (const [rawPath, raw] of Object.entries(errors)) {
    // ASP.NET writes binding errors with a "$." prefix; the validator writes plain paths.
    const path = rawPath.replace(/^\$\.?/, '');
    const reasons = [].concat(raw);
    const at = /^items\[(\d+)\]/.exec(path);
    const li = at ? items[Number(at[1])] : null;
    if (li) {
      li.classList.add('has-errors');
      li.querySelector('.item-errors').append(...reasons.map((r) => el('div', { class: 'field-error' }, r)));
      // "unit: a number needs its unit": mark the field the reason starts with.
      for (const r of reasons) li.querySelector(`[data-field="${CSS.escape(/^\w+/.exec(r)?.[0] ?? '')}"]`)?.setAttribute('aria-invalid', 'true');
      continue;
    }
    const field = /^(key|name|nameZh|description)$/.test(path) ? form.elements[path] : null;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.closest('label').append(el('div', { class: 'field-error' }, reasons.join('; ')));
      continue;
    }
    rest.push(`${path}: ${reasons.join('; ')}`);
  }
  errorsBox.replaceChildren(el('div', null, summary), ...rest.map((r) => el('div', null, r)));
  errorsBox.hidden = false;
  (form.querySelector('[aria-invalid], .field-error') ?? errorsBox).scrollIntoView({ block: 'center' });
}

// ---------------------------------------------------------------------------------------------------------------
// The editor

/**
 * Shows a template in the editor. mode: 'new', 'import' (key editable), 'edit' (the next version of an existing key)
 * or 'view' (read-only); info: { version, latest, from, fileName, stay } (stay: keep the scroll position).
 */
function render(template, nextMode, info = {}) {
  mode = nextMode;
  const readOnly = mode === 'view' || !canImprove;
  const e = form.elements;
  e.key.value = template.key ?? '';
  e.key.readOnly = mode === 'edit';
  e.nameZh.value = template.nameZh ?? '';
  e.name.value = template.name ?? '';
  e.description.value = template.description ?? '';
  const items = template.items?.length ? template.items : [{ key: 'item1', type: 'PassFail' }];
  itemsBox.replaceChildren(...items.map((item) => itemElement(item, !readOnly)));
  renumber();
  fields.disabled = readOnly;
  if (addButton) addButton.hidden = readOnly;
  if (saveArea) saveArea.hidden = readOnly;
  clearErrors();
  if (saveStatus) saveStatus.textContent = '';
  dirty = mode === 'import';

  const name = displayName(template, template.key);
  const title = document.getElementById('editor-title');
  const note = document.getElementById('editor-note');
  const existing = latestOf(template.key);
  if (mode === 'view') {
    title.textContent = t('tpl.viewTitle', name, info.version);
    note.replaceChildren(t('tpl.viewNote', info.latest ?? info.version), ' ',
      el('a', { class: 'export-version', href: exportUrl(template.key, info.version), download: `checklist-${template.key}-v${info.version}.json` }, t('tpl.exportVersion')),
      canImprove ? [' ', el('button', { type: 'button', class: 'button button-secondary small touch', id: 'edit-from', onclick: () => render(template, 'edit', { from: info.version, version: info.latest }) }, t('tpl.editFrom'))] : null);
  } else if (mode === 'edit') {
    title.textContent = t('tpl.editTitle', name);
    note.replaceChildren(info.from && info.from !== info.version ? t('tpl.editFromNote', info.from, info.version + 1) : t('tpl.editNote', info.version, info.version + 1));
  } else if (mode === 'import') {
    title.textContent = t('tpl.importTitle', info.fileName ?? '');
    note.replaceChildren(t('tpl.importNote', items.length), existing ? [' ', t('tpl.importExists', existing.key, existing.version)] : null);
  } else {
    title.textContent = t('tpl.newTitle');
    note.replaceChildren(t('tpl.newNote'));
  }
  editorCard.hidden = false;
  editorCard.dataset.mode = mode;
  if (!info.stay) editorCard.scrollIntoView({ block: 'start' });
}

async function openLatest(key) {
  if (!mayReplace()) return;
  try {
    const tv = await getJson(templatesPath(key));
    render(tv.template, canImprove ? 'edit' : 'view', { version: tv.version, latest: tv.version });
    setUrl({ key });
  } catch (error) {
    showMessage(t('error.load', error.message));
  }
}

async function openVersion(key, version) {
  if (!mayReplace()) return;
  try {
    const tv = await getJson(templatesPath(key), { version });
    render(tv.template, 'view', { version: tv.version, latest: latestOf(key)?.version ?? tv.version });
    setUrl({ key, version });
  } catch (error) {
    showMessage(t('error.load', error.message));
  }
}

function closeEditor() {
  if (!mayReplace()) return;
  editorCard.hidden = true;
  mode = null;
  dirty = false;
  setUrl({});
}

/** What is wrong with a file's template before it goes into the editor, or null. */
function importProblem(template) {
  if (!template || typeof template !== 'object' || typeof template.key !== 'string' || !Array.isArray(template.items)) return t('tpl.notTemplate');
  const bad = template.items.findIndex((i) => !i || (i.type !== undefined && !TYPES.includes(i.type)));
  return bad < 0 ? null : t('tpl.badType', bad + 1, template.items[bad]?.type);
}

// ---------------------------------------------------------------------------------------------------------------
// The list

function renderList() {
  const rows = templates.map((tv) => {
    const versions = el('select', { class: 'version-select', 'aria-label': t('tpl.versions') }, el('option', { value: '' }, t('tpl.pickVersion')),
      Array.from({ length: tv.version }, (_, i) => tv.version - i).map((v) => el('option', { value: String(v) }, v === tv.version ? `${t('tpl.version', v)} ${t('tpl.latest')}` : t('tpl.version', v))));
    versions.addEventListener('change', () => {
      const version = Number(versions.value);
      versions.value = '';
      if (version) openVersion(tv.key, version);
    });
    return el('li', { class: 'tpl-row', dataset: { key: tv.key, version: String(tv.version) } },
      el('div', { class: 'tpl-main' },
        el('strong', { class: 'tpl-name' }, displayName(tv.template, tv.key)),
        el('span', { class: 'muted small tpl-meta' }, el('code', null, tv.key), ' · ', el('span', { class: 'tpl-version' }, t('tpl.version', tv.version)),
          ` · ${t('tpl.items', tv.template.items.length)} · ${t('tpl.updated', formatInstant(tv.createdAt, siteZone))} · ${tv.createdBy}`)),
      el('div', { class: 'tpl-row-actions' },
        el('button', { type: 'button', class: 'button touch open-template', onclick: () => openLatest(tv.key) }, canImprove ? t('tpl.edit') : t('tpl.view')),
        el('a', { class: 'button button-secondary touch export-link', href: exportUrl(tv.key), download: `checklist-${tv.key}-v${tv.version}.json` }, t('tpl.export')),
        el('label', { class: 'field version-pick' }, t('tpl.versions'), versions)));
  });
  list.replaceChildren(...(rows.length ? rows : [el('li', { class: 'empty' }, t('tpl.none'))]));
}

async function loadList() {
  templates = await getJson(templatesPath());
  renderList();
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring

form.addEventListener('input', () => { if (mode !== 'view') dirty = true; });
form.addEventListener('change', () => { if (mode !== 'view') dirty = true; });

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!canImprove || mode === 'view') return;
  clearErrors();
  saveStatus.textContent = '';
  const body = readTemplate();
  const before = latestOf(body.key)?.version ?? 0;
  const button = document.getElementById('save-template');
  button.disabled = true;
  try {
    const saved = await post(templatesPath(), body);
    dirty = false;
    await loadList().catch(() => {});
    // The editor now shows what the server stored, as the next version's base; the page stays by the save button.
    render(saved.template, 'edit', { version: saved.version, stay: true });
    setUrl({ key: saved.key });
    saveStatus.textContent = saved.version > before ? t('tpl.savedAs', saved.version) : t('tpl.unchanged', saved.version);
    saveStatus.dataset.version = String(saved.version);
  } catch (error) {
    // The form keeps everything typed; the reasons go beside what they are about.
    showErrors(error.errors, t('tpl.rejected', error.message));
  } finally {
    button.disabled = false;
  }
});

addButton?.addEventListener('click', () => {
  if (itemsBox.children.length >= MAX_ITEMS) return;
  const li = itemElement({ key: freshKey(), type: 'PassFail' }, true);
  itemsBox.append(li);
  dirty = true;
  renumber();
  li.querySelector('[data-field="textZh"]').focus();
});

document.getElementById('editor-close').addEventListener('click', closeEditor);

document.getElementById('new-template')?.addEventListener('click', () => {
  if (!mayReplace()) return;
  render({ key: '', name: '', items: [{ key: 'item1', type: 'PassFail' }] }, 'new');
  setUrl({});
  form.elements.key.focus();
});

importFile?.addEventListener('change', async () => {
  const file = importFile.files[0];
  importFile.value = '';
  if (!file || !mayReplace()) return;
  let parsed;
  try {
    parsed = JSON.parse(await file.text());
  } catch (error) {
    showMessage(t('tpl.importFailed', error.message));
    return;
  }
  // The export is the template itself; a template as the API lists it (with its version) is taken too.
  const template = parsed && typeof parsed.template === 'object' && parsed.template !== null ? parsed.template : parsed;
  const problem = importProblem(template);
  if (problem) {
    showMessage(t('tpl.importFailed', problem));
    return;
  }
  showMessage(null);
  render(template, 'import', { fileName: file.name });
  setUrl({});
});

(async () => {
  try {
    const siteDoc = await getJson(sitePath(site));
    meters = siteDoc.meters ?? [];
    siteZone = siteDoc.timeZone ?? null;
    await loadList();
    const query = new URLSearchParams(window.location.search);
    const key = query.get('key');
    const version = Number(query.get('version')) || null;
    if (key && version) await openVersion(key, version);
    else if (key) await openLatest(key);
  } catch (error) {
    showMessage(t('error.load', error.message));
  } finally {
    setBusy(view, false);
  }
})();
