// Baseline models and savings (/models?site=&id=): the site's models; one model's spec, coefficients (estimate,
// standard error, t, p), R², adjusted R², F and its p, CV(RMSE), NMBE, n, parameters, change points and driver ranges,
// its checks (ASHRAE Guideline 14, DOE EnPI) with the refusal in full when it may not be used, observed against
// predicted and the residuals per baseline period; the savings of the reporting period (actual against the adjusted
// baseline per period, cumulative savings with their 68 % and 90 % uncertainty band, totals, normalised savings, the
// checks of the reporting data); the non-routine adjustments; refitting, adding an adjustment and defining a model
// (improve permission).
// Data: GET/POST /api/v1/sites/{site}/mv-models, GET /mv-models/{id}, POST /mv-models/{id}/refit,
// POST /mv-models/{id}/adjustments, GET /mv-models/{id}/savings, GET /projects, GET /api/v1/sites/{site}.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatNumber, unitLabel, pageUrl, ApiError } from './common.js';
import { createChart, baseOption, valueAxis, colors } from './charts.js';

const view = document.getElementById('models');
const site = view.dataset.site;
let siteDoc = null;
let current = null;
const charts = {};

const none = () => t('common.none');
const has = (v) => v !== null && v !== undefined && Number.isFinite(v);

/**
 * A statistic with about four significant figures ("1.204", "12,345", "0.01234"), in scientific notation when tiny
 * or huge ("3.12e-45"): coefficients, standard errors, t, p, R², F.
 */
function stat(v) {
  if (!has(v)) return none();
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e7 ? v.toLocaleString(ctx.lang, { maximumSignificantDigits: 4 }) : v.toExponential(2);
}

function qty(v, unit) {
  return has(v) ? `${formatNumber(v)} ${unitLabel(unit)}`.trim() : none();
}

function pct(fraction) {
  return has(fraction) ? `${formatNumber(fraction * 100)}%` : none();
}

function name(spec) {
  return (ctx.lang === 'zh-CN' ? spec.nameZh || spec.name : spec.name || spec.nameZh) || '';
}

function msg(item) {
  return ctx.lang === 'zh-CN' ? item.messageZh || item.message : item.message;
}

function local(iso) {
  if (!iso) return none();
  const zone = siteDoc?.timeZone;
  try {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
      timeZone: zone || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${zone ? '' : ' UTC'}`;
  } catch {
    return iso;
  }
}

function modelUrl(id) {
  const q = new URLSearchParams();
  if (site !== 'demo') q.set('site', site);
  if (id) q.set('id', String(id));
  const query = q.toString();
  return pageUrl('models') + (query ? `?${query}` : '');
}

function projectUrl(id) {
  const q = new URLSearchParams();
  if (site !== 'demo') q.set('site', site);
  q.set('id', String(id));
  return `${pageUrl('projects')}?${q}`;
}

function usableChip(usable) {
  return el('span', { class: `model-usable ${usable ? 'usable' : 'refused'}` }, t(usable ? 'models.usable' : 'models.refused'));
}

function formLabel(form) {
  return t(`models.form.${form}`);
}

async function send(method, path, body) {
  const response = await fetch(`${ctx.api}${path}`, {
    method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body ?? {}),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.errors ? Object.entries(answer.errors).map(([k, r]) => `${k}: ${r.join('; ')}`).join(' · ') : answer.detail || `HTTP ${response.status}`);
  }
  return answer;
}

function chart(id) {
  charts[id] ??= createChart(id);
  return charts[id];
}

// ---------------------------------------------------------------------------------------------------------------
// The list

function renderList(list) {
  document.getElementById('fact-count').textContent = String(list.length);
  document.getElementById('fact-usable').textContent = String(list.filter((m) => m.result?.usable).length);
  const rows = list.map((m) => el('tr', { class: 'model-row', dataset: { id: m.id } },
    el('td', null, el('a', { href: modelUrl(m.id), class: 'model-link', onclick: (event) => openModel(event, m.id) }, `#${m.id} ${name(m.spec)}`)),
    el('td', null, el('code', null, m.spec.subject), el('div', { class: 'muted small' }, `IPMVP ${t('models.option', m.option)} · ${t(`models.grain.${m.spec.grain}`)}`)),
    el('td', null, formLabel(m.spec.form), m.spec.drivers.length ? el('div', { class: 'muted small' }, m.spec.drivers.join(', ')) : null),
    el('td', { class: 'nowrap' }, `${m.spec.baselineFrom} – ${m.spec.baselineTo}`),
    el('td', { class: 'nowrap' }, m.spec.reportingFrom ? `${m.spec.reportingFrom} – ${m.spec.reportingTo}` : none()),
    el('td', { class: 'num' }, stat(m.result?.fit?.ols.rSquared)),
    el('td', { class: 'num' }, has(m.result?.fit?.cvRmse) ? `${stat(m.result.fit.cvRmse)}%` : none()),
    el('td', null, m.result ? usableChip(m.result.usable) : none())));
  document.getElementById('model-rows').replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('models.none')))]));
}

// ---------------------------------------------------------------------------------------------------------------
// One model

function fact(label, value) {
  return el('div', null, el('dt', null, label), el('dd', null, value));
}

function statRow(key, label, value) {
  return el('tr', { dataset: { key } }, el('th', { scope: 'row' }, label), el('td', { class: 'num' }, value));
}

function checkLabel(key) {
  if (key.startsWith('range:')) return t('models.check.range', key.slice(6));
  const k = `models.check.${key}`;
  const text = t(k);
  return text === k ? key : text;
}

function checkRows(checks) {
  return checks.map((c) => el('tr', { class: `check-row ${c.passed ? 'check-pass' : 'check-fail'}`, dataset: { key: c.key } },
    el('td', null, el('span', { class: `check-chip ${c.passed ? 'pass' : 'fail'}` }, t(c.passed ? 'models.pass' : 'models.fail'))),
    el('td', null, checkLabel(c.key), el('div', { class: 'muted small' }, ctx.lang === 'zh-CN' ? c.standardZh || c.standard : c.standard)),
    // The savings uncertainty is a fraction of the savings; its limit is stated in percent.
    el('td', { class: 'num' }, c.key.startsWith('fsu-') && has(c.value) ? `${formatNumber(c.value * 100)}%` : stat(c.value)),
    el('td', { class: 'nowrap' }, c.limit),
    el('td', { class: 'check-message' }, msg(c))));
}

function refusal(box, en, zh) {
  const text = ctx.lang === 'zh-CN' ? zh || en : en;
  box.hidden = !text;
  box.replaceChildren(...(text ? [el('strong', null, t('models.refusal')), ' ', el('span', { class: 'refusal-text' }, text)] : []));
}

function renderModel(m) {
  current = m;
  const r = m.result;
  const fit = r?.fit;
  document.getElementById('model-card').hidden = false;
  document.getElementById('model-card').dataset.id = String(m.id);
  document.getElementById('model-title').textContent = `#${m.id} ${name(m.spec)}`;
  document.getElementById('model-usable').replaceChildren(r ? usableChip(r.usable) : '');
  document.getElementById('back-to-list').href = modelUrl(null);
  refusal(document.getElementById('model-refusal'), r?.refusal, r?.refusalZh);
  const s = m.spec;
  // replaceChildren would write a null as the text "null": absent facts are filtered out.
  document.getElementById('spec-facts').replaceChildren(...[
    fact(t('models.col.subject'), el('code', null, s.subject)),
    fact(t('models.optionLabel'), `IPMVP ${t('models.option', m.option)}`),
    fact(t('meter.grain'), t(`models.grain.${s.grain}`)),
    fact(t('models.col.form'), formLabel(s.form)),
    fact(t('models.drivers'), s.drivers.length ? el('span', null, ...s.drivers.flatMap((d, i) => [i ? ', ' : '', el('code', null, d)])) : none()),
    fact(t('models.baseline'), `${s.baselineFrom} – ${s.baselineTo}`),
    fact(t('models.reporting'), s.reportingFrom ? `${s.reportingFrom} – ${s.reportingTo}` : none()),
    fact(t('models.unit'), r ? `${unitLabel(r.unit)} · ${r.carrier}` : none()),
    s.projectId ? fact(t('models.project'), el('a', { href: projectUrl(s.projectId) }, `#${s.projectId}`)) : null,
    fact(t('models.fitted'), r ? `${r.fittedBy} · ${local(r.fittedAt)}` : none()),
  ].filter(Boolean));

  const stats = fit ? [
    statRow('n', 'n', String(fit.ols.n)),
    statRow('parameters', t('models.parameters'), String(fit.parameters)),
    statRow('r2', 'R²', stat(fit.ols.rSquared)),
    statRow('adjr2', t('models.adjR2'), stat(fit.ols.adjustedRSquared)),
    statRow('f', 'F', stat(fit.ols.f)),
    statRow('fp', t('models.fp'), stat(fit.ols.fp)),
    statRow('cvrmse', 'CV(RMSE)', `${stat(fit.cvRmse)}%`),
    statRow('nmbe', 'NMBE', `${stat(fit.nmbe)}%`),
    statRow('rho', t('models.rho'), stat(fit.autocorrelation)),
    ...fit.ranges.map((g) => statRow(`range:${g.driver}`, t('models.range', g.driver),
      `${stat(g.min)} – ${stat(g.max)} (${t('models.meanSd', stat(g.mean), stat(g.standardDeviation))})`)),
  ] : [el('tr', null, el('td', { class: 'empty' }, t('models.noFit')))];
  document.getElementById('stat-rows').replaceChildren(...stats);
  document.getElementById('coef-rows').replaceChildren(...(fit ? fit.ols.coefficients.map((c) => el('tr', { class: 'coef-row', dataset: { name: c.name } },
    el('td', null, c.name === 'intercept' ? t('models.intercept') : el('code', null, c.name)),
    el('td', { class: 'num estimate' }, stat(c.estimate)),
    el('td', { class: 'num se' }, stat(c.standardError)),
    el('td', { class: 'num t' }, stat(c.t)),
    el('td', { class: 'num p' }, stat(c.p)))) : []));
  const cp = document.getElementById('change-points');
  cp.hidden = !fit || fit.changePoints.length === 0;
  cp.textContent = fit && fit.changePoints.length ? t('models.changePoints', fit.changePoints.map(stat).join(', ')) : '';
  document.getElementById('check-rows').replaceChildren(...(r?.checks.length ? checkRows(r.checks) : [el('tr', null, el('td', { colspan: 5, class: 'empty' }, t('models.noChecks')))]));

  const excluded = (r?.baseline ?? []).filter((p) => p.excluded);
  document.getElementById('excluded-box').hidden = excluded.length === 0;
  document.getElementById('excluded-list').replaceChildren(...excluded.slice(0, 200).map((p) => el('li', null,
    el('b', null, p.period), ' ', ctx.lang === 'zh-CN' ? p.excludedZh || p.excluded : p.excluded)));

  renderFitCharts(r);
  renderAdjustments(m);
}

function renderFitCharts(r) {
  const fit = r?.fit;
  const used = (r?.baseline ?? []).filter((p) => !p.excluded);
  const ok = fit && used.length === fit.ols.fitted.length;
  const periods = ok ? used.map((p) => p.period) : [];
  const unit = r?.unit ?? '';
  const base = baseOption();
  chart('fit-chart').setOption({
    ...base,
    legend: { top: 0 },
    xAxis: { type: 'category', data: periods, axisLabel: { color: colors.textSoft, hideOverlap: true } },
    yAxis: valueAxis(unit, { scale: true }),
    series: [
      { name: t('models.observed'), type: 'line', data: ok ? used.map((p) => p.y) : [], symbolSize: 4, lineStyle: { width: 0 }, itemStyle: { color: colors.blue } },
      { name: t('models.predicted'), type: 'line', data: ok ? fit.ols.fitted : [], symbol: 'none', itemStyle: { color: colors.primary } },
    ],
  }, true);
  chart('residual-chart').setOption({
    ...base,
    legend: { top: 0 },
    xAxis: { type: 'category', data: periods, axisLabel: { color: colors.textSoft, hideOverlap: true } },
    yAxis: valueAxis(unit),
    series: [{ name: t('models.residual'), type: 'bar', data: ok ? fit.ols.residuals : [], itemStyle: { color: colors.muted } }],
  }, true);
}

function renderAdjustments(m) {
  document.getElementById('adjustments-card').hidden = false;
  const unit = unitLabel(m.result?.unit ?? '');
  const rows = m.spec.adjustments.map((a) => el('tr', null,
    el('td', { class: 'nowrap' }, a.from === a.to ? a.from : `${a.from} – ${a.to}`),
    el('td', { class: 'num' }, `${formatNumber(a.amount)} ${unit}`.trim(), el('div', { class: 'muted small' }, t('models.perPeriod'))),
    el('td', null, a.reason),
    el('td', null, a.by ?? none(), a.at ? el('div', { class: 'muted small' }, local(a.at)) : null)));
  document.getElementById('adjustment-rows').replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 4, class: 'empty' }, t('models.noAdjustments')))]));
}

// ---------------------------------------------------------------------------------------------------------------
// Savings

function renderSavings(s, unit) {
  const card = document.getElementById('savings-card');
  card.hidden = false;
  refusal(document.getElementById('savings-refusal'), s.usable ? null : s.refusal, s.usable ? null : s.refusalZh);
  const yesNo = (v) => (v === null || v === undefined ? none() : t(v ? 'models.yes' : 'models.no'));
  const n = s.normalised;
  document.getElementById('savings-facts').replaceChildren(
    fact(t('models.reporting'), `${s.from} – ${s.to} (${t('models.days', s.days)})`),
    fact(t('models.col.adjusted'), qty(s.adjustedBaseline, unit)),
    fact(t('models.col.actual'), qty(s.actual, unit)),
    fact(t('models.savings'), el('span', { id: 'savings-total' }, qty(s.savings, unit))),
    fact(t('models.savingsFraction'), pct(s.savingsFraction)),
    fact(t('models.u68'), has(s.uncertainty68) ? `±${formatNumber(s.uncertainty68 * 100)}% (±${qty(s.band68, unit)})` : none()),
    fact(t('models.u90'), has(s.uncertainty90) ? `±${formatNumber(s.uncertainty90 * 100)}% (±${qty(s.band90, unit)})` : none()),
    fact(t('models.exceeds68'), yesNo(s.exceeds68)),
    fact(t('models.exceeds90'), yesNo(s.exceeds90)),
    fact(t('models.normalised'), n ? (has(n.value) ? `${qty(n.value, unit)} (${pct(n.fraction)})` : (ctx.lang === 'zh-CN' ? n.reasonZh || n.reason : n.reason) ?? none()) : none()));
  document.getElementById('savings-check-rows').replaceChildren(...checkRows(s.checks));
  document.getElementById('period-rows').replaceChildren(...(s.periods.length ? s.periods.map((p) => el('tr', null,
    el('td', { class: 'nowrap' }, p.period),
    el('td', { class: 'num' }, qty(p.actual, unit)),
    el('td', { class: 'num' }, qty(p.predicted, unit)),
    el('td', { class: 'num' }, p.adjustment ? qty(p.adjustment, unit) : none()),
    el('td', { class: 'num' }, qty(p.adjustedBaseline, unit)),
    el('td', { class: 'num' }, qty(p.savings, unit)),
    el('td', { class: 'num' }, qty(p.cumulative, unit)),
    el('td', { class: 'num' }, has(p.band68) ? `±${qty(p.band68, unit)}` : none()),
    el('td', { class: 'num' }, has(p.band90) ? `±${qty(p.band90, unit)}` : none()))) : [el('tr', null, el('td', { colspan: 9, class: 'empty' }, t('models.noPeriods')))]));

  const periods = s.periods.map((p) => p.period);
  const lower = (band) => s.periods.map((p) => (has(p[band]) ? p.cumulative - p[band] : null));
  const width = (band) => s.periods.map((p) => (has(p[band]) ? 2 * p[band] : null));
  const area = (label, band, color) => [
    { name: label, type: 'line', data: lower(band), stack: band, stackStrategy: 'all', yAxisIndex: 1, symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false }, silent: true, legendHoverLink: false },
    { name: label, type: 'line', data: width(band), stack: band, stackStrategy: 'all', yAxisIndex: 1, symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color }, tooltip: { show: false } },
  ];
  const base = baseOption();
  chart('savings-chart').setOption({
    ...base,
    grid: { ...base.grid, top: 56 },
    legend: { top: 0, data: [t('models.col.actual'), t('models.col.adjusted'), t('models.col.cumulative'), t('models.band90'), t('models.band68')] },
    xAxis: { type: 'category', data: periods, axisLabel: { color: colors.textSoft, hideOverlap: true } },
    yAxis: [valueAxis(unit), valueAxis(unit, { splitLine: { show: false }, nameTextStyle: { color: colors.textSoft, align: 'right' } })],
    series: [
      { name: t('models.col.actual'), type: 'bar', data: s.periods.map((p) => p.actual), itemStyle: { color: colors.blue } },
      { name: t('models.col.adjusted'), type: 'line', data: s.periods.map((p) => p.adjustedBaseline), symbol: 'none', itemStyle: { color: colors.muted }, lineStyle: { type: 'dashed' } },
      ...area(t('models.band90'), 'band90', 'rgba(31, 138, 91, 0.12)'),
      ...area(t('models.band68'), 'band68', 'rgba(31, 138, 91, 0.22)'),
      { name: t('models.col.cumulative'), type: 'line', data: s.periods.map((p) => p.cumulative), yAxisIndex: 1, symbol: 'none', itemStyle: { color: colors.primary }, lineStyle: { width: 2 } },
    ],
  }, true);
}

async function loadSavings(m) {
  const card = document.getElementById('savings-card');
  if (!m.spec.reportingFrom) {
    card.hidden = false;
    refusal(document.getElementById('savings-refusal'), null, null);
    document.getElementById('savings-facts').replaceChildren(el('p', { class: 'muted' }, t('models.noReporting')));
    return;
  }
  try {
    renderSavings(await getJson(sitePath(site, 'mv-models', String(m.id), 'savings')), m.result?.unit ?? '');
  } catch (error) {
    card.hidden = true;
    showMessage(t('error.load', error.message));
  }
}

async function showModel(id) {
  for (const card of ['model-card', 'savings-card', 'adjustments-card']) document.getElementById(card).hidden = !id;
  if (!id) return;
  let m;
  try {
    m = await getJson(sitePath(site, 'mv-models', String(id)));
  } catch (error) {
    for (const card of ['model-card', 'savings-card', 'adjustments-card']) document.getElementById(card).hidden = true;
    showMessage(error instanceof ApiError && error.status === 404 ? t('models.notFound', id) : t('error.load', error.message));
    return;
  }
  renderModel(m);
  await loadSavings(m);
}

async function openModel(event, id) {
  event.preventDefault();
  window.history.pushState(null, '', modelUrl(id));
  setBusy(view, true);
  await showModel(id);
  setBusy(view, false);
  document.getElementById('model-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

window.addEventListener('popstate', async () => {
  setBusy(view, true);
  await showModel(Number(new URLSearchParams(window.location.search).get('id')) || null);
  setBusy(view, false);
});

async function loadList() {
  renderList(await getJson(sitePath(site, 'mv-models')));
}

// ---------------------------------------------------------------------------------------------------------------
// Changes (improve permission)

document.getElementById('refit')?.addEventListener('click', async () => {
  if (!current) return;
  try {
    await send('POST', sitePath(site, 'mv-models', String(current.id), 'refit'));
    showMessage(t('models.refitted'), 'info');
    await Promise.all([showModel(current.id), loadList()]);
  } catch (error) {
    showMessage(`${t('models.refitFailed')} ${error.message}`);
  }
});

document.getElementById('adjustment-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const f = form.elements;
  if (!current) return;
  try {
    await send('POST', sitePath(site, 'mv-models', String(current.id), 'adjustments'), {
      from: f.from.value, to: f.to.value, amount: Number(f.amount.value), reason: f.reason.value.trim(),
    });
    form.reset();
    showMessage(t('models.adjusted'), 'info');
    await showModel(current.id);
  } catch (error) {
    showMessage(`${t('models.adjustFailed')} ${error.message}`);
  }
});

document.getElementById('model-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const f = form.elements;
  try {
    const created = await send('POST', sitePath(site, 'mv-models'), {
      name: f.name.value.trim(),
      nameZh: f.nameZh.value.trim() || null,
      subject: f.subject.value.trim(),
      grain: f.grain.value,
      form: f.form.value,
      baselineFrom: f.baselineFrom.value,
      baselineTo: f.baselineTo.value,
      reportingFrom: f.reportingFrom.value || null,
      reportingTo: f.reportingTo.value || null,
      drivers: f.drivers.value.split('\n').map((d) => d.trim()).filter(Boolean),
      projectId: f.projectId.value ? Number(f.projectId.value) : null,
    });
    form.reset();
    showMessage(t('models.created', name(created.spec)), 'info');
    window.history.pushState(null, '', modelUrl(created.id));
    await Promise.all([loadList(), showModel(created.id)]);
  } catch (error) {
    showMessage(`${t('models.createFailed')} ${error.message}`);
  }
});

async function fillForm() {
  const form = document.getElementById('model-form');
  if (!form) return;
  const meters = siteDoc?.meters ?? [];
  const carriers = [...new Set(meters.map((m) => m.carrier))];
  const nodes = ['_site', ...(siteDoc?.nodes ?? []).map((n) => n.key)];
  document.getElementById('subject-options').replaceChildren(
    ...meters.map((m) => el('option', { value: `meter:${m.key}` }, (ctx.lang === 'zh-CN' ? m.nameZh || m.name : m.name) || m.key)),
    ...nodes.flatMap((n) => carriers.map((c) => el('option', { value: `node:${n}:${c}` }))));
  const projects = await getJson(sitePath(site, 'projects')).catch(() => []);
  form.elements.projectId.append(...projects.map((p) => el('option', { value: String(p.id) },
    `#${p.id} ${(ctx.lang === 'zh-CN' ? p.project.titleZh || p.project.title : p.project.title) || ''}`)));
}

try {
  siteDoc = await getJson(sitePath(site));
  await Promise.all([loadList(), showModel(Number(new URLSearchParams(window.location.search).get('id')) || null), fillForm()]);
} catch (error) {
  showMessage(error instanceof ApiError && error.status === 404 ? t('error.siteNotFound', site) : t('error.load', error.message));
} finally {
  setBusy(view, false);
}
