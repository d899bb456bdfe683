// Inspection rounds on the checklist-template page (/checklist-templates?site=, section #round-plans): the site's rounds
// (name, template, node, the schedule in words, window, assignee, the channels told of a late round, active or not) and,
// with 'improve', a form that makes a round (POST .../rounds) or changes one (PUT .../rounds/{id}; active: false makes
// it inactive), the body FieldService.Validate(RoundBody) checks. Only the schedule fields of the chosen kind are shown
// and sent. The form is the state: what is typed stays in it until it is saved, whatever the server answers; its
// ValidationProblem errors are shown on the fields they name ("schedule.times", "assignee"), and a ProblemDetails whose
// detail names a field ("node: no node 'x' at this site") on that field.
// Data: GET /api/v1/sites/{site} (nodes), GET .../checklist-templates, GET/POST/PUT .../rounds, and, for a user who may
// read them (configure for every site, as the API asks), GET /api/v1/notification-channels; otherwise keys are typed.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, displayName } from './common.js';

const view = document.getElementById('checklist-templates');
const section = document.getElementById('round-plans');
const site = view.dataset.site;
const canImprove = view.dataset.canImprove === 'true';
const canReadChannels = view.dataset.canReadChannels === 'true';
const list = document.getElementById('plan-list');
// The form is only on the page for users with 'improve'.
const card = document.getElementById('plan-card');
const form = document.getElementById('plan-form');
const timeList = document.getElementById('plan-time-list');
const errorsBox = document.getElementById('plan-errors');
const saveStatus = document.getElementById('plan-status');

// The order of the weekday checkboxes and of the days in words: a Chinese week starts on Monday.
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MAX_TIMES = 24;
// The API's default window; what an on-event round (no occurrences, so no window) is sent with.
const DEFAULT_WINDOW = 120;

let rounds = [];
let templates = [];
let nodes = [];
let channels = null; // null: the channels cannot be read, their keys are typed
let editing = null; // the round (as listed) the form changes; null: the form makes a new one
let dirty = false;

const orNull = (s) => (s && s.trim() ? s.trim() : null);
const roundsPath = (...rest) => sitePath(site, 'rounds', ...rest);
const sep = () => t('rounds.plan.sep');

/** The UI text of a key, or the fallback when there is none (t shows an unknown key as itself). */
function textOr(key, fallback) {
  const s = t(key);
  return s === key ? fallback : s;
}

const roleLabel = (role) => textOr(`users.role.${role}`, role);

function templateLabel(key) {
  const tv = templates.find((x) => x.key === key);
  return tv ? displayName(tv.template, key) : key;
}

function nodeLabel(key) {
  const node = nodes.find((n) => n.key === key);
  return node ? displayName(node, key) : key;
}

function channelLabel(key) {
  return channels?.find((c) => c.key === key)?.name ?? key;
}

/** A schedule in words: 每天 09:00, 每班 08:00、16:00、00:00, 每周一、四 10:00, 事件触发 (or the English). */
function scheduleText(schedule) {
  const times = (schedule.times ?? []).join(sep());
  if (schedule.kind === 'Weekly') {
    const days = DAYS.filter((d) => schedule.weekdays?.includes(d)).map((d) => t(`rounds.plan.day.${d}`)).join(sep());
    return t('rounds.plan.when.Weekly', days, times);
  }
  const key = `rounds.plan.when.${schedule.kind}`;
  const words = t(key, times);
  return words === key ? schedule.kind : words;
}

/** POSTs or PUTs JSON; throws an Error carrying the ValidationProblem's errors (path -> reasons) when the server sent some. */
async function send(method, path, body) {
  let response;
  try {
    response = await fetch(`${ctx.api}${path}`, {
      method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body),
    });
  } catch {
    throw Object.assign(new Error(t('error.network')), { errors: {} });
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(answer.detail || answer.title || `HTTP ${response.status}`), { errors: answer.errors || {}, detail: answer.detail });
  return answer;
}

// ---------------------------------------------------------------------------------------------------------------
// The list

function rowOf(rv) {
  const r = rv.round;
  const name = displayName(r, `#${rv.id}`);
  // The name in the other language, when it says something else.
  const other = ctx.lang === 'zh-CN' ? r.name : r.nameZh;
  const s = r.schedule;
  const who = [
    r.assignee?.role ? t('rounds.plan.role', roleLabel(r.assignee.role)) : null,
    r.assignee?.person ? t('rounds.plan.person', r.assignee.person) : null,
  ].filter(Boolean).join(' · ');
  return el('li', { class: `tpl-row plan-row${rv.active ? '' : ' plan-inactive'}`, dataset: { id: String(rv.id), active: String(rv.active) } },
    el('div', { class: 'tpl-main' },
      el('strong', { class: 'plan-name' }, name, other && other !== name ? el('span', { class: 'plan-other-name muted' }, ` · ${other}`) : null),
      el('span', { class: 'plan-when' }, el('span', { class: 'plan-schedule' }, scheduleText(s)),
        s.kind === 'OnEvent' ? null : [' · ', el('span', { class: 'plan-window' }, t('rounds.plan.window', s.windowMinutes))]),
      el('span', { class: 'muted small plan-meta' }, el('span', { class: 'plan-template' }, templateLabel(r.template)),
        r.node ? [' · ', el('span', { class: 'plan-node' }, nodeLabel(r.node))] : null),
      el('span', { class: 'muted small plan-meta' }, el('span', { class: 'plan-assignee' }, who), ' · ',
        el('span', { class: 'plan-recipients' }, r.recipients?.length ? t('rounds.plan.recipients', r.recipients.map(channelLabel).join(sep())) : t('rounds.plan.noRecipients')))),
    el('div', { class: 'tpl-row-actions' },
      el('span', { class: `chip plan-state ${rv.active ? 'chip-pass' : 'chip-inactive'}` }, t(rv.active ? 'rounds.plan.active' : 'rounds.plan.inactive')),
      canImprove ? el('button', { type: 'button', class: 'button touch edit-plan', onclick: () => openForm(rv) }, t('rounds.plan.edit')) : null));
}

function renderList() {
  list.replaceChildren(...(rounds.length ? rounds.map(rowOf) : [el('li', { class: 'empty' }, t('rounds.plan.none'))]));
}

async function loadRounds() {
  rounds = await getJson(roundsPath());
  renderList();
}

// ---------------------------------------------------------------------------------------------------------------
// The form

const option = (value, label) => el('option', { value }, label);

function fillSelects(r) {
  const f = form.elements;
  f.template.replaceChildren(option('', templates.length ? t('rounds.plan.pickTemplate') : t('rounds.plan.noTemplates')),
    ...templates.map((tv) => option(tv.key, `${displayName(tv.template, tv.key)} (${tv.key})`)));
  // What is not at this site (any more) stays visible, so the user sees what the server will refuse.
  if (r.template && !templates.some((x) => x.key === r.template)) f.template.append(option(r.template, t('rounds.plan.unknownTemplate', r.template)));
  f.template.value = r.template ?? '';
  f.node.replaceChildren(option('', t('rounds.plan.noNode')), ...nodes.map((n) => option(n.key, `${displayName(n, n.key)} (${n.key})`)));
  if (r.node && !nodes.some((n) => n.key === r.node)) f.node.append(option(r.node, t('rounds.plan.unknownNode', r.node)));
  f.node.value = r.node ?? '';
  // A role the API took that is not one of the roles listed stays as it is.
  const role = r.assignee?.role ?? '';
  for (const o of f.role.querySelectorAll('option.other-role')) o.remove();
  if (role && ![...f.role.options].some((o) => o.value === role)) f.role.append(el('option', { value: role, class: 'other-role' }, role));
  f.role.value = role;
}

function renumberTimes() {
  const rows = [...timeList.children];
  rows.forEach((li, i) => li.querySelector('input').setAttribute('aria-label', t('rounds.plan.time', i + 1)));
  document.getElementById('plan-no-times').hidden = rows.length > 0;
  document.getElementById('add-time').disabled = rows.length >= MAX_TIMES;
}

function timeRow(value) {
  const input = el('input', { type: 'time', step: '60', class: 'plan-time' });
  input.value = value ?? '';
  const li = el('li', { class: 'plan-time-row' }, input,
    el('button', {
      type: 'button', class: 'button button-secondary touch remove-time',
      onclick: () => {
        li.remove();
        dirty = true;
        renumberTimes();
      },
    }, t('rounds.plan.removeTime')));
  return li;
}

function renderRecipients(keys) {
  const box = document.getElementById('plan-channels');
  const typed = document.getElementById('plan-recipient-keys');
  box.hidden = channels === null;
  typed.hidden = channels !== null;
  if (channels === null) {
    form.elements.recipientKeys.value = keys.join(', ');
    return;
  }
  const check = (key, label, checked, className) => {
    const input = el('input', { type: 'checkbox', name: 'recipients', value: key });
    input.checked = checked;
    return el('label', { class: `check touch ${className ?? ''}`.trim() }, input, label);
  };
  // A key that is no channel (deleted since, or given through the API) stays, checked and marked, so saving does not drop it unseen.
  const unknown = keys.filter((k) => !channels.some((c) => c.key === k));
  const boxes = [...channels.map((c) => check(c.key, `${c.name} (${c.key})`, keys.includes(c.key))),
    ...unknown.map((k) => check(k, t('rounds.plan.unknownChannel', k), true, 'tag-unknown'))];
  box.replaceChildren(...(boxes.length ? boxes : [el('span', { class: 'muted small' }, t('rounds.plan.noChannels'))]));
}

function showKindFields() {
  const kind = form.elements.kind.value;
  for (const node of form.querySelectorAll('[data-applies]')) {
    node.hidden = node.dataset.applies === 'timed' ? kind === 'OnEvent' : node.dataset.applies !== kind;
  }
  const note = document.getElementById('plan-kind-note');
  note.textContent = textOr(`rounds.plan.kindNote.${kind}`, '');
  note.hidden = !note.textContent;
}

/** Shows a round in the form (a new one when rv is null); stay: keep the scroll position (after a save). */
function render(rv, stay = false) {
  editing = rv;
  const r = rv?.round ?? {
    name: '', nameZh: null, template: '', node: null, assignee: {}, recipients: [],
    schedule: { kind: 'Daily', times: ['09:00'], weekdays: [], windowMinutes: DEFAULT_WINDOW },
  };
  const f = form.elements;
  f.nameZh.value = r.nameZh ?? '';
  f.name.value = r.name ?? '';
  fillSelects(r);
  f.kind.value = r.schedule.kind;
  f.windowMinutes.value = String(r.schedule.windowMinutes ?? DEFAULT_WINDOW);
  for (const box of form.querySelectorAll('input[name=weekdays]')) box.checked = (r.schedule.weekdays ?? []).includes(box.value);
  timeList.replaceChildren(...(r.schedule.times ?? []).map(timeRow));
  renumberTimes();
  f.person.value = r.assignee?.person ?? '';
  renderRecipients(r.recipients ?? []);
  f.active.checked = rv ? rv.active : true;
  showKindFields();
  clearErrors();
  saveStatus.textContent = '';
  dirty = false;
  document.getElementById('plan-title').textContent = rv ? t('rounds.plan.editTitle', displayName(r, `#${rv.id}`)) : t('rounds.plan.newTitle');
  card.dataset.id = rv ? String(rv.id) : '';
  card.hidden = false;
  if (!stay) card.scrollIntoView({ block: 'start' });
}

/** The body PUT and POST .../rounds take, as the form says; hidden fields are not sent. */
function readRound() {
  const f = form.elements;
  const kind = f.kind.value;
  const nameZh = orNull(f.nameZh.value);
  const minutes = f.windowMinutes.value.trim() === '' ? NaN : Number(f.windowMinutes.value);
  const recipients = channels === null
    ? f.recipientKeys.value.split(/[\s,，、;；]+/).filter(Boolean)
    : [...form.querySelectorAll('input[name=recipients]:checked')].map((b) => b.value);
  return {
    round: {
      name: f.name.value.trim() || nameZh || '',
      nameZh,
      template: f.template.value,
      node: f.node.value || null,
      schedule: {
        kind,
        // Every time as typed, an empty one too: the server's reason names the times, nothing is dropped unseen.
        times: kind === 'OnEvent' ? [] : [...timeList.querySelectorAll('input.plan-time')].map((i) => i.value),
        weekdays: kind === 'Weekly' ? [...form.querySelectorAll('input[name=weekdays]:checked')].map((b) => b.value) : [],
        // Not a whole number: sent as -1, so the server's reason ("5 to 1440 minutes") names the field.
        windowMinutes: kind === 'OnEvent' ? DEFAULT_WINDOW : Number.isInteger(minutes) ? minutes : -1,
      },
      assignee: { role: f.role.value || null, person: orNull(f.person.value) },
      recipients: [...new Set(recipients)],
    },
    active: f.active.checked,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors: on the fields they name, the rest above the save button with the server's reason.

const ERROR_TARGETS = {
  name: () => form.elements.name,
  nameZh: () => form.elements.nameZh,
  template: () => form.elements.template,
  node: () => form.elements.node,
  'schedule.kind': () => form.elements.kind,
  'schedule.windowMinutes': () => form.elements.windowMinutes,
  'schedule.times': () => document.getElementById('plan-times'),
  'schedule.weekdays': () => document.getElementById('plan-weekdays'),
  assignee: () => document.getElementById('plan-assignee'),
  recipients: () => document.getElementById('plan-recipients'),
};

function clearErrors() {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of form.querySelectorAll('.has-errors')) node.classList.remove('has-errors');
  errorsBox.hidden = true;
  errorsBox.replaceChildren();
}

function showErrors(error) {
  const errors = { ...error.errors };
  // A reason the service found later (a node or template not at this site) comes as a detail naming its field.
  const named = /^([\w.]+): (.+)$/s.exec(error.detail ?? '');
  if (!Object.keys(errors).length && named && ERROR_TARGETS[named[1]]) errors[named[1]] = [named[2]];
  const rest = [];
  for (const [rawPath, raw] of Object.entries(errors)) {
    // ASP.NET writes binding errors as "$.round.schedule.windowMinutes"; the validator writes "schedule.windowMinutes".
    const path = rawPath.replace(/^\$\.?/, '').replace(/^round\./, '');
    const reasons = [].concat(raw).join('; ');
    const target = ERROR_TARGETS[path]?.();
    if (!target) {
      rest.push(`${path}: ${reasons}`);
      continue;
    }
    const message = el('div', { class: 'field-error' }, reasons);
    if (target.tagName === 'FIELDSET') {
      target.classList.add('has-errors');
      for (const input of target.querySelectorAll('input, select')) input.setAttribute('aria-invalid', 'true');
      target.append(message);
    } else {
      target.setAttribute('aria-invalid', 'true');
      target.closest('label').append(message);
    }
  }
  errorsBox.replaceChildren(el('div', null, t('rounds.plan.rejected', error.message)), ...rest.map((r) => el('div', null, r)));
  errorsBox.hidden = false;
  (form.querySelector('.field-error') ?? errorsBox).scrollIntoView({ block: 'center' });
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring

/** Whether the form may be replaced: nothing unsaved in it, or the user agrees to drop it. */
function mayReplace() {
  return !dirty || window.confirm(t('rounds.plan.discard'));
}

/** Opens the form on a round (null: a new one), with the templates as they are now (one may have been saved above). */
async function openForm(rv) {
  if (!mayReplace()) return;
  try {
    templates = await getJson(sitePath(site, 'checklist-templates'));
  } catch (error) {
    showMessage(t('error.load', error.message));
    return;
  }
  render(rv);
  form.elements.nameZh.focus({ preventScroll: true });
}

if (form) {
  form.addEventListener('input', () => { dirty = true; });
  form.addEventListener('change', (event) => {
    dirty = true;
    if (event.target === form.elements.kind) showKindFields();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    saveStatus.textContent = '';
    const body = readRound();
    const button = document.getElementById('save-plan');
    button.disabled = true;
    try {
      const saved = editing ? await send('PUT', roundsPath(String(editing.id)), body) : await send('POST', roundsPath(), body);
      dirty = false;
      await loadRounds().catch(() => {});
      // The form now shows what the server stored, to be changed further; the page stays by the save button.
      render(saved, true);
      saveStatus.textContent = t(saved.active ? 'rounds.plan.saved' : 'rounds.plan.savedInactive');
      saveStatus.dataset.id = String(saved.id);
    } catch (error) {
      // The form keeps everything typed; the reasons go beside what they are about.
      showErrors(error);
    } finally {
      button.disabled = false;
    }
  });

  document.getElementById('add-time').addEventListener('click', () => {
    if (timeList.children.length >= MAX_TIMES) return;
    const li = timeRow('');
    timeList.append(li);
    dirty = true;
    renumberTimes();
    li.querySelector('input').focus();
  });

  document.getElementById('new-plan').addEventListener('click', () => openForm(null));

  document.getElementById('plan-close').addEventListener('click', () => {
    if (!mayReplace()) return;
    card.hidden = true;
    editing = null;
    dirty = false;
  });
}

(async () => {
  try {
    const [siteDoc, siteTemplates] = await Promise.all([getJson(sitePath(site)), getJson(sitePath(site, 'checklist-templates'))]);
    nodes = siteDoc.nodes ?? [];
    templates = siteTemplates;
    // Without the right to read the channels (or when the API says so after all) their keys are typed instead.
    if (canReadChannels) channels = await getJson('/notification-channels').catch(() => null);
    await loadRounds();
  } catch (error) {
    showMessage(t('error.load', error.message));
  } finally {
    setBusy(section, false);
  }
})();
