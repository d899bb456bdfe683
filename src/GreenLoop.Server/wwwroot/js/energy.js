// Energy page (/sites/{site}/energy?period=2026-10 or ?period=2026): comprehensive energy consumption per GB/T
// 2589-2020 with its carriers and lineage, unit-product energy against the limit standard's levels, a monthly trend of
// the period's year, the period lock and the Excel export.
// Data: GET /api/v1/sites/{site}/overview (the site's current month), .../comparison?period= (YoY and MoM), .../reports/energy?period= (the period, and
// once per month of the year for the trend), POST .../periods/{period}/lock.
import { renderComparison } from './comparison.js';
import {
  ctx, t, getJson, sitePath, formatNumber, formatPercent, el, pageUrl, showMessage, setBusy, ApiError,
} from './common.js';
import { createChart, baseOption, valueAxis, colors, escapeHtml, dot } from './charts.js';
import {
  showReportError, showSiteNotFound,
  qty, exactQty, unitText, toTce, bigQuantity, figureLabel, factorName, figureBadges, unverifiedBadge, deductedBadge,
  overrideBadge, completeness, periodPicker, periodFromUrl, periodLabel, siteToday, setExportLink, lockButton, renderLock,
  renderNotCounted, monthsOf, isYear, meterUrl,
} from './accounting.js';
import { figureTree, expandableRow } from './lineage.js';

const view = document.getElementById('energy');
const content = document.getElementById('content');
const form = document.getElementById('period-form');
const trendChart = createChart('trend-chart');

let currentMonth = null; // the site's local month, yyyy-MM
let siteName = null; // in the page language, from the overview
let picker = null;
let requestNumber = 0;
const trendCache = new Map(); // year -> Promise of [{ period, report | null }]

/** True when the report has nothing metered (the API answers zeros at 100 % for an empty period). */
const isEmpty = (account) => (account.lines ?? []).length === 0 && !account.output && (account.notCounted ?? []).length === 0;

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function renderHead(report) {
  const name = siteName || report.siteName || report.site || ctx.site;
  document.getElementById('site-name').textContent = name;
  document.title = `${name} · ${t('energy.title')} · ${periodLabel(report.period)} · ${t('app.name')}`;
  document.getElementById('fact-period').textContent = periodLabel(report.period);
  document.getElementById('fact-dataset').textContent = report.dataSet ?? t('common.none');
  const empty = isEmpty(report.account);
  document.getElementById('fact-completeness').replaceChildren(
    empty ? t('common.none') : completeness(report.completeness));
}

let showLineage = () => {};

function stat(label, figure, value, extra) {
  const button = el('button', { type: 'button', class: 'stat-link', title: t('lineage.show') }, t('lineage.show'));
  button.addEventListener('click', () => showLineage(figure));
  return el('div', { class: 'stat', dataset: { key: figure?.key ?? '' } },
    el('div', { class: 'stat-head' }, el('span', { class: 'stat-label' }, label), figure ? button : null),
    value,
    extra ? el('div', { class: 'stat-extra' }, extra) : null);
}

function renderKpis(report) {
  const a = report.account;
  const box = document.getElementById('energy-kpis');
  if (isEmpty(a)) {
    box.replaceChildren(el('p', { class: 'empty' }, t('report.noData', periodLabel(report.period))));
    return;
  }
  const total = a.total;
  box.replaceChildren(
    stat(t('energy.total'), total, bigQuantity(toTce(total.value), 'tce', 1),
      [el('span', { class: 'secondary-value', id: 'total-kgce' }, qty(total.value, 'kgce')), ' ',
        completeness(total.completeness), ' ', ...figureBadges(total)]),
    stat(t('energy.output'), a.output, a.output ? bigQuantity(a.output.value, a.output.unit) : el('span', { class: 'kpi-value muted' }, t('energy.noOutput')),
      a.output ? [completeness(a.output.completeness), ' ', ...figureBadges(a.output)] : null),
    stat(t('energy.unit'), a.unitEnergy, a.unitEnergy ? bigQuantity(a.unitEnergy.value, a.unitEnergy.unit, 3) : el('span', { class: 'kpi-value muted' }, t('common.none')),
      a.unitEnergy ? figureBadges(a.unitEnergy) : null));
}

/** The limit scale: level bands from 0 to beyond level 3, the plant's value marked. Lower is better. */
function renderVerdict(report) {
  const a = report.account;
  const box = document.getElementById('verdict');
  const v = a.verdict;
  document.getElementById('verdict-standard').textContent = v ? v.standard : '';
  if (isEmpty(a)) {
    box.replaceChildren(el('p', { class: 'empty' }, t('report.noData', periodLabel(report.period))));
    return;
  }
  if (!a.unitEnergy) {
    box.replaceChildren(el('p', { class: 'verdict-message verdict-none' }, t('verdict.noOutput')));
    return;
  }
  if (!v) {
    box.replaceChildren(el('p', { class: 'verdict-message verdict-none' }, t('verdict.noClass')));
    return;
  }
  // Incomplete data gives a provisional verdict: never shown as a pass (nor a final fail).
  const provisional = v.provisional === true;
  const pass = !provisional && v.level !== null && v.level !== undefined;
  const verdictText = ctx.lang === 'zh-CN' ? v.verdictZh : v.verdict;
  const value = qty(v.value, v.unit, 3);
  const message = provisional ? t('verdict.provisional', value, v.standard, formatPercent(v.completeness), verdictText)
    : pass ? t('verdict.pass', value, v.standard, verdictText)
      : t('verdict.fail', value, v.standard, qty(v.level3, v.unit, 3));
  const state = provisional ? 'provisional' : pass ? 'pass' : 'fail';

  const max = Math.max(v.level3 * 1.2, v.value * 1.08);
  const pos = (x) => `${Math.max(0, Math.min(100, (x / max) * 100)).toFixed(2)}%`;
  const width = (from, to) => `width:${(((to - from) / max) * 100).toFixed(2)}%`;
  const band = (cls, from, to, label) => el('div', { class: `band ${cls}`, style: width(from, to), title: label }, el('span', null, label));
  const scale = el('div', { class: 'limit-scale', role: 'img', 'aria-label': message },
    el('div', { class: 'limit-bands' },
      band('band-1', 0, v.level1, t('verdict.level', 1)),
      band('band-2', v.level1, v.level2, t('verdict.level', 2)),
      band('band-3', v.level2, v.level3, t('verdict.level', 3)),
      band('band-over', v.level3, max, t('verdict.over'))),
    el('div', { class: `limit-marker ${state}`, style: `left:${pos(v.value)}` },
      el('span', { class: 'limit-marker-label' }, t('verdict.plant', value))),
    el('div', { class: 'limit-ticks' },
      el('span', { style: `left:0` }, formatNumber(0)),
      [v.level1, v.level2, v.level3].map((x, i) => el('span', { style: `left:${pos(x)}`, title: t('verdict.level', i + 1) }, qty(x, v.unit, 3)))));

  const productClass = ctx.lang === 'zh-CN' && v.productClassZh
    ? String(v.productClassZh).replace(/\s*1级\s*$/, '')
    : String(v.productClass ?? '').replace(/\s*level\s*1\s*$/i, '');
  box.replaceChildren(
    el('p', { class: `verdict-message verdict-${state}`, id: 'verdict-message' },
      el('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, provisional ? '!' : pass ? '✓' : '✕'), ' ', message),
    scale,
    el('dl', { class: 'verdict-facts' },
      el('div', null, el('dt', null, t('verdict.productClass')), el('dd', null, productClass || t('common.none'))),
      el('div', null, el('dt', null, t('verdict.levels')), el('dd', null,
        `${t('verdict.level', 1)} ≤ ${qty(v.level1, v.unit, 3)} · ${t('verdict.level', 2)} ≤ ${qty(v.level2, v.unit, 3)} · ${t('verdict.level', 3)} ≤ ${qty(v.level3, v.unit, 3)}`)),
      el('div', null, el('dt', null, t('verdict.lowerIsBetter')), el('dd', null, v.unverified ? unverifiedBadge() : t('verdict.verifiedLimits')))));
}

function renderCarriers(report) {
  const a = report.account;
  const lines = a.lines ?? [];
  const total = a.total.value;
  const rows = lines.flatMap((line) => {
    const act = line.activity?.[0];
    const f = line.factors?.[0];
    const exported = line.key.endsWith('.export');
    const cells = [
      el('td', null, el('span', { class: 'cell-label' }, figureLabel(line)), exported ? [' ', deductedBadge()] : null),
      el('td', null, (act?.meters ?? []).map((m) => el('a', { class: 'meter-key', href: meterUrl(ctx.site, m, act.period) }, el('code', null, m)))),
      el('td', { class: 'num' }, act ? qty(act.quantity, act.unit) : t('common.none')),
      el('td', null, f ? [el('span', { class: 'coef' }, exactQty(f.value, f.unit)), el('div', { class: 'factor-name' }, factorName(f), ' ', f.unverified ? unverifiedBadge() : null, f.override ? overrideBadge() : null)] : t('common.none')),
      el('td', { class: 'source' }, f ? [el('span', { class: 'source-text', title: f.source }, f.source), el('div', { class: 'muted' }, t('lineage.yearVersion', f.year || t('common.none'), f.libraryVersion))] : t('common.none')),
      el('td', { class: 'num' }, qty(line.value, 'kgce')),
      el('td', { class: 'num' }, total ? formatPercent(line.value / total) : t('common.none')),
      el('td', { class: 'num' }, completeness(line.completeness), line.estimated ? [' ', figureBadges({ estimated: true })] : null),
    ];
    return expandableRow(cells, line, ctx.site, 8, exported ? 'deducted' : null);
  });
  document.getElementById('carrier-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('report.noData', periodLabel(report.period))))]));
  document.getElementById('carrier-total').replaceChildren(rows.length ? el('tr', { class: 'total-row' },
    el('td', { colspan: 5 }, t('energy.total'), ' ', el('span', { class: 'muted' }, `(${qty(toTce(total), 'tce', 1)})`)),
    el('td', { class: 'num', id: 'carrier-total-kgce' }, qty(total, 'kgce')),
    el('td', { class: 'num' }, formatPercent(1)),
    el('td', { class: 'num' }, completeness(a.total.completeness))) : '');
}

function renderLineage(report, figure) {
  const a = report.account;
  const box = document.getElementById('lineage');
  const shown = figure ?? a.unitEnergy ?? a.total;
  box.replaceChildren(isEmpty(a) ? el('p', { class: 'empty' }, t('report.noData', periodLabel(report.period))) : figureTree(shown, ctx.site, 2));
}

// ---------------------------------------------------------------------------------------------------------------
// Trend: one energy report per month of the period's year, up to the current month.

function trendFor(year) {
  if (!trendCache.has(year)) {
    const months = monthsOf(year, currentMonth);
    trendCache.set(year, Promise.all(months.map((p) =>
      getJson(sitePath(ctx.site, 'reports', 'energy'), { period: p })
        .then((report) => ({ period: p, report }))
        .catch(() => ({ period: p, report: null, failed: true })))));
  }
  return trendCache.get(year);
}

function renderTrend(year, results, selected) {
  const categories = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const byPeriod = new Map(results.map((r) => [r.period, r.report]));
  const seriesKeys = [];
  for (const r of results) {
    for (const line of r.report?.account?.lines ?? []) if (!seriesKeys.some((s) => s.key === line.key)) seriesKeys.push(line);
  }
  const unitLabel = results.map((r) => r.report?.account?.unitEnergy?.unit).find(Boolean) ?? 'kgce';
  const verdict = results.map((r) => r.report?.account?.verdict).find(Boolean);
  const failed = results.filter((r) => r.failed).length;
  document.getElementById('trend-title').textContent = t('energy.trendYear', year);
  document.getElementById('trend-note').textContent = failed ? t('energy.trendFailed', failed) : t('energy.trendNote');

  const bars = seriesKeys.map((line) => ({
    name: figureLabel(line),
    type: 'bar',
    stack: 'energy',
    barMaxWidth: 36,
    emphasis: { focus: 'series' },
    data: categories.map((p) => {
      const report = byPeriod.get(p);
      if (!report || isEmpty(report.account)) return null; // a month without data is a gap, never a zero
      const l = report.account.lines.find((x) => x.key === line.key);
      return l ? +toTce(l.value).toFixed(3) : 0;
    }),
  }));
  const unitSeries = {
    name: t('energy.unit'),
    type: 'line',
    yAxisIndex: 1,
    symbolSize: 7,
    connectNulls: false,
    lineStyle: { width: 2, color: colors.text },
    itemStyle: { color: colors.text },
    data: categories.map((p) => {
      const u = byPeriod.get(p)?.account?.unitEnergy;
      return u ? +u.value.toFixed(4) : null;
    }),
    markLine: verdict ? {
      symbol: 'none',
      silent: true,
      label: { position: 'insideEndTop', color: colors.textSoft, fontSize: 11 },
      data: [1, 2, 3].map((level) => ({
        yAxis: verdict[`level${level}`],
        name: t('verdict.level', level),
        label: { formatter: `${t('verdict.level', level)} ≤ ${qty(verdict[`level${level}`], verdict.unit, 3)}` },
        lineStyle: { type: 'dashed', width: 1, color: level === 3 ? '#d1443c' : level === 2 ? '#e0a526' : colors.primary },
      })),
    } : undefined,
  };
  const selectedIndex = categories.indexOf(selected);
  if (selectedIndex >= 0 && bars.length) {
    bars[0].markArea = { silent: true, itemStyle: { color: 'rgba(47,111,214,0.07)' }, data: [[{ xAxis: selected }, { xAxis: selected }]] };
  }
  const unitMax = verdict ? Math.ceil(verdict.level3 * 1.15) : undefined;
  trendChart.setOption({
    ...baseOption(),
    grid: { left: 12, right: 16, top: 48, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: colors.textSoft } },
    tooltip: {
      ...baseOption().tooltip,
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const lines = [`<b>${escapeHtml(periodLabel(params[0].axisValue))}</b>`];
        for (const p of params) {
          if (p.value === null || p.value === undefined) continue;
          const unit = p.seriesType === 'line' ? unitLabel : 'tce';
          lines.push(`${dot(p.color)}${escapeHtml(p.seriesName)}: <b>${escapeHtml(qty(p.value, unit, p.seriesType === 'line' ? 3 : 1))}</b>`);
        }
        if (lines.length === 1) lines.push(escapeHtml(t('common.noData')));
        return lines.join('<br>');
      },
    },
    xAxis: {
      type: 'category',
      data: categories,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: colors.grid } },
      axisLabel: { color: colors.textSoft, formatter: (v) => v.slice(5) },
    },
    yAxis: [
      valueAxis('tce'),
      { ...valueAxis(unitText(unitLabel), { splitLine: { show: false }, position: 'right', nameTextStyle: { color: colors.textSoft, align: 'right' } }), min: 0, max: unitMax },
    ],
    series: [...bars, unitSeries],
  }, { notMerge: true });
}

trendChart.on('click', (params) => {
  const period = params.name;
  if (typeof period === 'string' && /^\d{4}-\d{2}$/.test(period) && period <= currentMonth) {
    picker.set(period);
    load();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Loading

async function load() {
  const number = ++requestNumber;
  const period = picker.get();
  setBusy(view, true);
  setExportLink('energy', period);
  const year = period.slice(0, 4);
  const trend = trendFor(year);
  try {
    const report = await getJson(sitePath(ctx.site, 'reports', 'energy'), { period });
    if (number !== requestNumber) return;
    content.hidden = false;
    form.hidden = false;
    showMessage(null);
    renderHead(report);
    renderKpis(report);
    renderVerdict(report);
    renderCarriers(report);
    renderNotCounted(report.account.notCounted);
    showLineage = (figure) => {
      renderLineage(report, figure);
      document.getElementById('lineage').scrollIntoView({ behavior: 'smooth', block: 'start' });
    };
    renderLineage(report);
    renderLock(report);
    renderComparison(document.getElementById('comparison'), ctx.site, period)
      .catch((error) => document.getElementById('comparison').replaceChildren(el('p', { class: 'empty' }, t('error.load', error.message))));
    const results = await trend;
    if (number !== requestNumber) return;
    renderTrend(year, results, isYear(period) ? null : period);
  } catch (error) {
    if (number !== requestNumber) return;
    showReportError(error, content, form, () => load());
  } finally {
    if (number === requestNumber) setBusy(view, false);
  }
}

async function start() {
  const today = await siteToday();
  if (!today.found) {
    showSiteNotFound(content, form);
    setBusy(view, false);
    return;
  }
  currentMonth = today.month;
  siteName = today.name;
  picker = periodPicker(currentMonth, () => load());
  picker.set(periodFromUrl() ?? currentMonth);
  lockButton(() => picker.get(), (p) => p === currentMonth || p === currentMonth.slice(0, 4), async () => {
    trendCache.clear();
    await load();
  });
  await load();
}

start();
