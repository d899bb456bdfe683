// A site's alarm rules (/sites/{site}/alarm-rules): the list with each condition in words, and an editor that builds
// the rule JSON of PUT /api/v1/sites/{site}/alarm-rules/{key} (src/GreenLoop.Domain/Alarms/AlarmRule.cs) and shows the
// server's ValidationProblem errors next to the fields they name ("condition.of[1].limit").
// Data: GET /api/v1/sites/{site} (meters, nodes, carriers), GET/POST/PUT/DELETE .../alarm-rules, GET /api/v1/notification-channels.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, displayName, carrierLabel, formatNumber, unitLabel, ApiError } from './common.js';
import { send, SEVERITIES, severityLabel, loadSite, siteTime } from './alarm-common.js';

const view = document.getElementById('alarm-rules');
const tbody = document.getElementById('rule-rows');
const editor = document.getElementById('rule-editor');
const form = document.getElementById('rule-form');
const conditionsBox = document.getElementById('conditions');

const TYPES = ['consumption', 'changeRate', 'range', 'noData', 'anomaly', 'unitEnergy', 'completeness'];
const GRAINS = ['15m', 'hour', 'day'];
const COMPARES = ['dayOnDay', 'weekOnWeek', 'sameHourYesterday'];
const FINDINGS = ['Drop', 'Reset', 'Spike', 'Gap', 'Rollover', 'Replacement'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

let site = null;
let rules = [];
let channels = [];
let editing = null; // key of the rule being edited, null for a new one

// ---------------------------------------------------------------------------------------------------------------
// Words

function meterOf(key) {
  return site?.meters?.find((m) => m.key === key);
}

function subjectText(s) {
  if (!s) return t('common.none');
  switch (s.kind) {
    case 'meter': { const m = meterOf(s.key); return m ? `${displayName(m, m.key)} (${m.key})` : s.key; }
    case 'node': {
      const n = site?.nodes?.find((x) => x.key === s.key);
      return t('rules.words.node', n ? displayName(n, n.key) : s.key, s.carrier ? carrierLabel(s.carrier) : t('rules.words.allCarriers'));
    }
    case 'site': return t('rules.words.site', s.carrier ? carrierLabel(s.carrier) : t('rules.words.allCarriers'));
    case 'eachMeter': return s.carrier ? t('rules.words.eachMeterOf', carrierLabel(s.carrier)) : t('rules.words.eachMeter');
    default: return s.kind;
  }
}

function unitOf(rule) {
  const m = rule.subject?.kind === 'meter' ? meterOf(rule.subject.key) : null;
  return m ? unitLabel(m.unit) : '';
}

function withUnit(value, unit) {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

function conditionText(c, rule) {
  const unit = unitOf(rule);
  switch (c.type) {
    case 'consumption': {
      const parts = [];
      if (c.limit !== null && c.limit !== undefined) parts.push(t('rules.words.consumption', t(`per.${c.per}`), withUnit(c.limit, unit)));
      for (const b of c.schedule ?? []) {
        const days = b.days?.length ? b.days.map((d) => t(`day.${d}`)).join(' ') : t('rules.words.everyDay');
        parts.push(t('rules.words.band', t(`per.${c.per}`), days, String(b.from).slice(0, 5), String(b.to).slice(0, 5), withUnit(b.limit, unit)));
      }
      return parts.join('; ');
    }
    case 'changeRate':
      return t('rules.words.changeRate', t(`rules.compare.${c.compare}`), formatNumber(c.thresholdPercent), c.minReference ? withUnit(c.minReference, unit) : '0');
    case 'range':
      if (c.min !== null && c.min !== undefined && c.max !== null && c.max !== undefined) return t('rules.words.outside', withUnit(c.min, unit), withUnit(c.max, unit));
      if (c.max !== null && c.max !== undefined) return t('rules.words.above', withUnit(c.max, unit));
      return t('rules.words.below', withUnit(c.min, unit));
    case 'noData': return t('rules.words.noData', c.minutes);
    case 'anomaly': return t('rules.words.anomaly', (c.kinds ?? []).map((k) => t(`finding.${k}`)).join(t('rules.words.or')), t(`per.${c.per}`));
    case 'unitEnergy':
      return t('rules.words.unitEnergy', carrierLabel(c.output), formatNumber(c.limit), Object.keys(c.coefficients ?? {}).map(carrierLabel).join(', '));
    case 'completeness': return t('rules.words.completeness', t(`per.${c.per}`), formatNumber(c.belowPercent));
    case 'all': return c.of.map((x) => `(${conditionText(x, rule)})`).join(t('rules.words.and'));
    case 'any': return c.of.map((x) => `(${conditionText(x, rule)})`).join(t('rules.words.or'));
    default: return c.type;
  }
}

function ruleWords(rule) {
  const parts = [conditionText(rule.condition, rule)];
  if (rule.forMinutes > 0) parts.push(t('rules.words.for', rule.forMinutes));
  return parts.join(t('rules.words.sep'));
}

// ---------------------------------------------------------------------------------------------------------------
// List

function renderRules() {
  const rows = rules.map(({ rule, updatedAt, judgedEarly }) => el('tr', { class: rule.enabled ? null : 'disabled-row', dataset: { key: rule.key } },
    el('td', null, el('span', { class: `state-badge ${rule.enabled ? 'state-on' : 'state-off'}` }, t(rule.enabled ? 'rules.on' : 'rules.off'))),
    el('td', null, el('span', { class: `severity severity-${rule.severity}` }, severityLabel(rule.severity))),
    el('td', null, el('div', null, displayName(rule, rule.key)), el('div', { class: 'muted' }, el('code', null, rule.key))),
    el('td', null, subjectText(rule.subject)),
    el('td', { class: 'rule-words' }, ruleWords(rule), el('div', { class: 'muted judging' }, judgingText(rule.condition, judgedEarly))),
    el('td', null, recipientsText(rule)),
    el('td', { class: 'nowrap' }, siteTime(updatedAt, site?.timeZone)),
    el('td', { class: 'nowrap' },
      el('button', { type: 'button', class: 'button small button-secondary', dataset: { action: 'edit' }, onclick: () => openEditor(rule) }, t('rules.edit')), ' ',
      el('button', { type: 'button', class: 'button small button-danger-outline', dataset: { action: 'delete' }, onclick: () => confirmDelete(rule) }, t('rules.delete')))));
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('rules.none')))]));
  document.getElementById('fact-rules').textContent = String(rules.length);
  document.getElementById('fact-enabled').textContent = String(rules.filter((r) => r.rule.enabled).length);
}

/** When a rule is judged: while a period runs (only for figures that cannot fall), at its end, or on the clock. */
function judgingText(condition, judgedEarly) {
  if (condition?.type === 'noData') return t('rules.judging.clock');
  return t(judgedEarly ? 'rules.judging.early' : 'rules.judging.atEnd');
}

// The server's rule (AlarmPeriods.JudgedInProgress): early only when every part is a figure that cannot fall.
const EARLY_TYPES = ['consumption', 'changeRate', 'anomaly'];

function leafTypes(block) {
  if (block.dataset.json) {
    const walk = (c) => (c.type === 'all' || c.type === 'any' ? c.of.flatMap(walk) : [c.type]);
    return walk(JSON.parse(block.dataset.json));
  }
  return [block.querySelector('.condition-head [name="type"]')?.value];
}

/** Says in the editor when the rule being edited will be judged. */
function showJudging() {
  const types = [...conditionsBox.querySelectorAll(':scope > .condition-block')].flatMap(leafTypes);
  const hint = document.getElementById('judging-hint');
  if (!types.length) { hint.textContent = ''; return; }
  hint.textContent = judgingText({ type: types.length === 1 ? types[0] : 'all' }, types.every((x) => EARLY_TYPES.includes(x)));
}

function recipientsText(rule) {
  const keys = rule.recipients ?? [];
  const chip = (k) => el('span', { class: `tag ${channels.some((c) => c.key === k) ? '' : 'tag-unknown'}`, title: channels.some((c) => c.key === k) ? null : t('rules.unknownChannel') }, k);
  return [
    keys.length ? keys.map(chip) : el('span', { class: 'muted' }, t('common.none')),
    rule.escalation ? el('div', { class: 'muted' }, t('rules.words.escalation', rule.escalation.afterMinutes, rule.escalation.recipients.join(', '))) : null,
  ];
}

async function loadRules() {
  rules = await getJson(sitePath(ctx.site, 'alarm-rules'));
  renderRules();
}

// ---------------------------------------------------------------------------------------------------------------
// Editor: the form holds the rule's own fields; each condition is a block built here.

function option(value, label, selected) {
  return el('option', { value, selected: selected ? true : null }, label);
}

function numberInput(name, value, path, attrs = {}) {
  const input = el('input', { type: 'number', step: 'any', class: 'text-input', name, 'data-path': path, ...attrs });
  input.value = value ?? '';
  return input;
}

function fieldOf(label, control, wide) {
  return el('label', { class: wide ? 'field field-wide' : 'field' }, label, control);
}

function grainSelect(name, value, path, grains = GRAINS) {
  return el('select', { name, 'data-path': path }, grains.map((g) => option(g, t(`grain.${g}`), g === value)));
}

/** A block for one leaf condition; its inputs are read back by readCondition. */
function conditionBlock(c) {
  const block = el('div', { class: 'condition-block' });
  const typeSelect = el('select', { name: 'type' }, TYPES.map((type) => option(type, t(`rules.type.${type}`), type === c.type)));
  const body = el('div', { class: 'form-row condition-fields' });
  const remove = el('button', { type: 'button', class: 'button small button-danger-outline', onclick: () => { block.remove(); renumber(); } }, t('rules.removeCondition'));
  const errors = el('div', { class: 'field-errors', 'data-errors-for': '' });
  typeSelect.addEventListener('change', () => {
    fill(body, { type: typeSelect.value });
    renumber();
  });
  block.append(el('div', { class: 'condition-head' }, el('span', { class: 'condition-number' }), fieldOf(t('rules.type'), typeSelect), remove), body, errors);
  fill(body, c);
  return block;
}

function fill(body, c) {
  const p = ''; // paths are set by renumber()
  const carriers = carriersOf();
  switch (c.type) {
    case 'consumption': {
      const bands = el('div', { class: 'bands' });
      for (const b of c.schedule ?? []) bands.append(bandRow(b));
      body.replaceChildren(
        fieldOf(t('rules.per'), grainSelect('per', c.per ?? 'hour', `${p}per`)),
        fieldOf(t('rules.limit'), numberInput('limit', c.limit, `${p}limit`, { min: 0 })),
        el('div', { class: 'bands-box', 'data-path': `${p}schedule` },
          el('div', { class: 'form-hint' }, t('rules.schedule.help')),
          bands,
          el('button', { type: 'button', class: 'button small button-secondary', onclick: () => { bands.append(bandRow({})); renumber(); } }, t('rules.addBand'))));
      break;
    }
    case 'changeRate':
      body.replaceChildren(
        fieldOf(t('rules.compare'), el('select', { name: 'compare', 'data-path': 'compare' }, COMPARES.map((x) => option(x, t(`rules.compare.${x}`), x === (c.compare ?? 'dayOnDay'))))),
        fieldOf(t('rules.thresholdPercent'), numberInput('thresholdPercent', c.thresholdPercent, 'thresholdPercent', { min: 0 })),
        fieldOf(t('rules.minReference'), numberInput('minReference', c.minReference, 'minReference', { min: 0 })));
      break;
    case 'range':
      body.replaceChildren(
        fieldOf(t('col.min'), numberInput('min', c.min, 'min')),
        fieldOf(t('col.max'), numberInput('max', c.max, 'max')),
        el('div', { class: 'form-hint' }, t('rules.range.help')));
      break;
    case 'noData':
      body.replaceChildren(fieldOf(t('rules.minutes'), numberInput('minutes', c.minutes ?? 60, 'minutes', { min: 1, step: 1 })),
        el('div', { class: 'form-hint' }, t('rules.noData.help')));
      break;
    case 'anomaly': {
      const kinds = c.kinds ?? ['Drop', 'Reset', 'Spike'];
      body.replaceChildren(
        el('fieldset', { class: 'checks', 'data-path': 'kinds' }, el('legend', null, t('rules.kinds')),
          FINDINGS.map((k) => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'kinds', value: k, checked: kinds.includes(k) ? true : null }), ' ', t(`finding.${k}`)))),
        fieldOf(t('rules.per'), grainSelect('per', c.per ?? 'hour', 'per')));
      break;
    }
    case 'unitEnergy': {
      const coefficients = Object.entries(c.coefficients ?? { electricity: 0.1229, natural_gas: 1.2143 }).map(([k, v]) => `${k}=${v}`).join('\n');
      const text = el('textarea', { name: 'coefficients', class: 'text-input', rows: 3, spellcheck: 'false', 'data-path': 'coefficients' });
      text.value = coefficients;
      body.replaceChildren(
        fieldOf(t('rules.output'), el('select', { name: 'output', 'data-path': 'output' }, carriers.map((x) => option(x, carrierLabel(x), x === (c.output ?? 'tile_output'))))),
        fieldOf(t('rules.unitLimit'), numberInput('limit', c.limit, 'limit', { min: 0 })),
        fieldOf(t('rules.coefficients'), text, true),
        el('div', { class: 'form-hint' }, t('rules.coefficients.help')));
      break;
    }
    case 'completeness':
      body.replaceChildren(
        fieldOf(t('rules.belowPercent'), numberInput('belowPercent', c.belowPercent ?? 95, 'belowPercent', { min: 0, max: 100 })),
        fieldOf(t('rules.per'), grainSelect('per', c.per ?? 'day', 'per')));
      break;
    default:
      body.replaceChildren(el('p', { class: 'form-hint' }, c.type));
  }
}

function bandRow(b) {
  const from = el('input', { type: 'time', name: 'from', class: 'text-input', 'data-path': 'from' });
  from.value = b.from ? String(b.from).slice(0, 5) : '08:00';
  const to = el('input', { type: 'time', name: 'to', class: 'text-input', 'data-path': 'to' });
  to.value = b.to ? String(b.to).slice(0, 5) : '18:00';
  const row = el('div', { class: 'band-row' },
    el('fieldset', { class: 'checks days' }, el('legend', { class: 'visually-hidden' }, t('rules.days')),
      DAYS.map((d) => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'days', value: d, checked: b.days?.includes(d) ? true : null }), t(`dayShort.${d}`)))),
    fieldOf(t('rules.from'), from), fieldOf(t('rules.to'), to),
    fieldOf(t('rules.limit'), numberInput('bandLimit', b.limit, 'limit', { min: 0 })),
    el('button', { type: 'button', class: 'button small button-danger-outline', onclick: () => { row.remove(); renumber(); } }, '×'));
  return row;
}

/** Gives every condition block, band and input the JSON path the server names in its errors. */
function renumber() {
  showJudging();
  const blocks = [...conditionsBox.querySelectorAll(':scope > .condition-block')];
  const single = blocks.length === 1;
  document.getElementById('combine-field').hidden = single;
  blocks.forEach((block, i) => {
    const base = single ? 'condition' : `condition.of[${i}]`;
    block.dataset.path = base;
    block.querySelector('.condition-number').textContent = single ? '' : `${i + 1}.`;
    block.querySelector('[data-errors-for]').dataset.errorsFor = base;
    for (const input of block.querySelectorAll('.condition-fields > * [data-path], .condition-fields > [data-path]')) {
      if (input.closest('.band-row')) continue;
      input.dataset.path = `${base}.${input.dataset.path.split('.').at(-1)}`;
    }
    block.querySelectorAll('.band-row').forEach((row, j) => {
      row.dataset.path = `${base}.schedule[${j}]`;
      for (const input of row.querySelectorAll('[data-path]')) input.dataset.path = `${base}.schedule[${j}].${input.dataset.path.split('.').at(-1)}`;
    });
  });
}

function carriersOf() {
  return [...new Set((site?.meters ?? []).map((m) => m.carrier))].sort();
}

function fillSubject(kind, key, carrier) {
  const f = form.elements;
  f.subjectKind.value = kind;
  const keyField = form.querySelector('[data-for="subject-key"]');
  const carrierField = form.querySelector('[data-for="subject-carrier"]');
  keyField.hidden = kind === 'site' || kind === 'eachMeter';
  carrierField.hidden = kind === 'meter';
  if (kind === 'meter') {
    f.subjectKey.replaceChildren(...(site?.meters ?? []).map((m) => option(m.key, `${displayName(m, m.key)} (${m.key}, ${unitLabel(m.unit)})`, m.key === key)));
  } else if (kind === 'node') {
    f.subjectKey.replaceChildren(...(site?.nodes ?? []).map((n) => option(n.key, `${displayName(n, n.key)} (${n.key})`, n.key === key)));
  }
  f.subjectCarrier.replaceChildren(option('', kind === 'eachMeter' ? t('rules.anyCarrier') : t('rules.noCarrier'), !carrier),
    ...carriersOf().map((c) => option(c, carrierLabel(c), c === carrier)));
}

function openEditor(rule) {
  editing = rule?.key ?? null;
  clearErrors();
  const f = form.elements;
  const r = rule ?? {
    key: '', name: '', nameZh: '', severity: 'major', enabled: true, subject: { kind: 'meter' },
    condition: { type: 'consumption', per: 'hour', limit: null, schedule: [] }, clearRatio: 0.9, forMinutes: 0, recipients: [],
  };
  document.getElementById('editor-title').textContent = rule ? t('rules.editing', displayName(rule, rule.key)) : t('rules.new');
  f.key.value = r.key;
  f.key.readOnly = Boolean(rule);
  f.name.value = r.name ?? '';
  f.nameZh.value = r.nameZh ?? '';
  f.severity.value = r.severity;
  f.enabled.checked = r.enabled !== false;
  fillSubject(r.subject?.kind ?? 'meter', r.subject?.key, r.subject?.carrier);
  f.forMinutes.value = r.forMinutes ?? 0;
  f.clearRatio.value = r.clearRatio ?? 0.9;
  f.recipients.value = (r.recipients ?? []).join(', ');
  f.escalationAfter.value = r.escalation?.afterMinutes ?? '';
  f.escalationRecipients.value = (r.escalation?.recipients ?? []).join(', ');
  const combined = r.condition.type === 'all' || r.condition.type === 'any';
  f.combine.value = combined ? r.condition.type : 'any';
  const leaves = combined ? r.condition.of : [r.condition];
  // Trees deeper than one AND/OR level are not editable here; they stay as the API has them until replaced.
  conditionsBox.replaceChildren(...leaves.map((c) => (c.type === 'all' || c.type === 'any')
    ? el('div', { class: 'condition-block nested', dataset: { json: JSON.stringify(c) } },
      el('div', { class: 'condition-head' }, el('span', { class: 'condition-number' }), el('code', null, conditionText(c, r))),
      el('div', { class: 'condition-fields' }), el('div', { class: 'field-errors', 'data-errors-for': '' }))
    : conditionBlock(c)));
  renumber();
  editor.hidden = false;
  history.replaceState(null, '', rule ? `#edit=${encodeURIComponent(rule.key)}` : '#new');
  editor.scrollIntoView({ behavior: 'smooth', block: 'start' });
  (rule ? f.name : f.key).focus({ preventScroll: true });
}

function closeEditor() {
  editor.hidden = true;
  editing = null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the form back as the API's JSON. Empty number fields are sent as null and left for the server to judge.

function num(input) {
  const v = input?.value?.trim();
  return v === '' || v === undefined ? null : Number(v);
}

function keys(text) {
  return text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
}

function readCondition(block) {
  if (block.dataset.json) return JSON.parse(block.dataset.json);
  const type = block.querySelector('select[name=type]').value;
  const q = (name) => block.querySelector(`.condition-fields [name="${name}"]`);
  switch (type) {
    case 'consumption':
      return {
        type, per: q('per').value, limit: num(q('limit')),
        schedule: [...block.querySelectorAll('.band-row')].map((row) => ({
          days: [...row.querySelectorAll('input[name=days]:checked')].map((x) => x.value),
          from: `${row.querySelector('[name=from]').value || '00:00'}:00`,
          to: `${row.querySelector('[name=to]').value || '00:00'}:00`,
          limit: num(row.querySelector('[name=bandLimit]')),
        })),
      };
    case 'changeRate':
      return { type, compare: q('compare').value, thresholdPercent: num(q('thresholdPercent')), minReference: num(q('minReference')) ?? 0 };
    case 'range':
      return { type, min: num(q('min')), max: num(q('max')) };
    case 'noData':
      return { type, minutes: num(q('minutes')) };
    case 'anomaly':
      return { type, kinds: [...block.querySelectorAll('input[name=kinds]:checked')].map((x) => x.value), per: q('per').value };
    case 'unitEnergy': {
      const coefficients = {};
      for (const line of q('coefficients').value.split(/\n|;/)) {
        const [k, v] = line.split('=').map((s) => s?.trim());
        if (k) coefficients[k] = v === undefined || v === '' ? null : Number(v);
      }
      return { type, output: q('output').value, limit: num(q('limit')), coefficients };
    }
    case 'completeness':
      return { type, belowPercent: num(q('belowPercent')), per: q('per').value };
    default:
      return { type };
  }
}

function readRule() {
  const f = form.elements;
  const blocks = [...conditionsBox.querySelectorAll(':scope > .condition-block')];
  const leaves = blocks.map(readCondition);
  const kind = f.subjectKind.value;
  const subject = { kind };
  if (kind === 'meter' || kind === 'node') subject.key = f.subjectKey.value || null;
  if (kind !== 'meter' && f.subjectCarrier.value) subject.carrier = f.subjectCarrier.value;
  const after = num(f.escalationAfter);
  const escalationTo = keys(f.escalationRecipients.value);
  return {
    key: f.key.value.trim(),
    name: f.name.value.trim(),
    nameZh: f.nameZh.value.trim() || null,
    subject,
    condition: leaves.length === 1 ? leaves[0] : { type: f.combine.value, of: leaves },
    severity: f.severity.value,
    clearRatio: num(f.clearRatio) ?? 0.9,
    forMinutes: num(f.forMinutes) ?? 0,
    recipients: keys(f.recipients.value),
    escalation: after !== null || escalationTo.length ? { afterMinutes: after ?? 0, recipients: escalationTo } : null,
    enabled: f.enabled.checked,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors by path: on the field with that path, else on the nearest enclosing part that has one, else at the bottom.

function clearErrors() {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of form.querySelectorAll('.field-errors')) node.replaceChildren();
  const box = document.getElementById('form-errors');
  box.hidden = true;
  box.replaceChildren();
}

function targetFor(path) {
  let p = path;
  while (p) {
    const holder = form.querySelector(`[data-errors-for="${CSS.escape(p)}"]`);
    if (holder) return { holder };
    const field = form.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (field) return { field };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

function showErrors(errors, fallback) {
  const box = document.getElementById('form-errors');
  const rest = [];
  for (const [rawPath, reasons] of Object.entries(errors ?? {})) {
    // ASP.NET writes binding errors with a "$." prefix; the validator writes plain paths.
    const path = rawPath.replace(/^\$\.?/, '').replace(/^rule\./, '');
    const target = targetFor(path);
    const text = reasons.join('; ');
    if (target?.holder) {
      target.holder.append(el('div', { class: 'field-error' }, path === target.holder.dataset.errorsFor ? text : `${path}: ${text}`));
    } else if (target?.field) {
      target.field.setAttribute('aria-invalid', 'true');
      const holder = target.field.closest('label, fieldset, .bands-box') ?? target.field;
      holder.append(el('div', { class: 'field-error', 'data-error-path': path }, text));
    } else {
      rest.push(`${path || t('rules.theRule')}: ${text}`);
    }
  }
  if (fallback && !Object.keys(errors ?? {}).length) rest.push(fallback);
  box.hidden = rest.length === 0;
  box.replaceChildren(...rest.map((r) => el('div', null, r)));
  form.querySelector('[aria-invalid], .field-error')?.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const rule = readRule();
  if (!rule.key) {
    showErrors({ key: [t('rules.needKey')] });
    return;
  }
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    const path = sitePath(ctx.site, 'alarm-rules');
    if (editing) await send('PUT', `${path}/${encodeURIComponent(rule.key)}`, rule);
    else await send('POST', path, rule);
    closeEditor();
    await loadRules();
    showMessage(t('rules.saved', displayName(rule, rule.key)), 'info');
  } catch (error) {
    showErrors(error.errors, t('rules.rejected', error.message));
  } finally {
    submit.disabled = false;
  }
});

document.getElementById('cancel-edit').addEventListener('click', closeEditor);
document.getElementById('new-rule').addEventListener('click', () => openEditor(null));
document.getElementById('add-condition').addEventListener('click', () => {
  conditionsBox.append(conditionBlock({ type: 'consumption', per: 'hour', schedule: [] }));
  renumber();
});
form.elements.subjectKind.addEventListener('change', () => fillSubject(form.elements.subjectKind.value, null, null));

// ---------------------------------------------------------------------------------------------------------------
// Delete

function confirmDelete(rule) {
  const dialog = document.getElementById('delete-dialog');
  document.getElementById('delete-title').textContent = t('rules.deleteTitle', displayName(rule, rule.key));
  dialog.returnValue = '';
  dialog.onclose = async () => {
    if (dialog.returnValue !== 'delete') return;
    try {
      await send('DELETE', `${sitePath(ctx.site, 'alarm-rules')}/${encodeURIComponent(rule.key)}`);
      if (editing === rule.key) closeEditor();
      await loadRules();
      showMessage(t('rules.deleted', displayName(rule, rule.key)), 'info');
    } catch (error) {
      showMessage(t('rules.deleteFailed', error.message));
    }
  };
  dialog.showModal();
}

// ---------------------------------------------------------------------------------------------------------------

async function start() {
  form.elements.severity.append(...SEVERITIES.map((s) => option(s, severityLabel(s), s === 'major')));
  try {
    site = await loadSite();
    if (!site) {
      showMessage(t('error.siteNotFound', ctx.site));
      document.getElementById('content').hidden = true;
      setBusy(view, false);
      return;
    }
    document.getElementById('site-name').textContent = displayName(site, ctx.site);
    document.getElementById('time-zone').textContent = site.timeZone;
    [channels] = await Promise.all([getJson('/notification-channels'), loadRules()]);
    renderRules();
    document.getElementById('channel-keys').replaceChildren(...channels.map((c) => el('option', { value: c.key }, c.name)));
    document.getElementById('channel-hint').textContent = channels.length
      ? t('rules.knownChannels', channels.map((c) => `${c.key} (${c.name})`).join(', '))
      : t('rules.noChannels');
    const m = /^#edit=(.+)$/.exec(window.location.hash);
    const rule = m && rules.find((r) => r.rule.key === decodeURIComponent(m[1]));
    if (rule) openEditor(rule.rule);
    else if (window.location.hash === '#new') openEditor(null);
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? t('error.siteNotFound', ctx.site) : t('error.load', error.message);
    showMessage(text, 'error', ' ', el('button', { type: 'button', class: 'button small', onclick: () => window.location.reload() }, t('common.retry')));
  }
  setBusy(view, false);
}

start();
