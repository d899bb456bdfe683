// Carbon page (/sites/{site}/carbon?period=2026-10 or ?period=2026): the GHG inventory by GHG Protocol scope
// (Scope 2 location- and market-based) and ISO 14064-1 category, emissions by source, the inventory lines, carbon
// intensity, and for every figure its lineage down to meters and factor versions; the period lock and Excel export.
// Data: GET /api/v1/sites/{site}/overview (the site's current month), .../reports/carbon?period=,
// POST .../periods/{period}/lock.
import {
  ctx, t, getJson, sitePath, carrierLabel, formatNumber, el, pageUrl, showMessage, setBusy, ApiError,
} from './common.js';
import { createChart, baseOption, colors, escapeHtml, dot } from './charts.js';
import {
  showReportError, showSiteNotFound,
  qty, bigQuantity, figureLabel, figureBadges, overrideBadge, periodPicker, periodFromUrl, periodLabel, siteToday,
  setExportLink, lockButton, renderLock, renderNotCounted, completeness,
} from './accounting.js';
import { figureTree, expandableRow } from './lineage.js';

const view = document.getElementById('carbon');
const content = document.getElementById('content');
const form = document.getElementById('period-form');
const sourceChart = createChart('source-chart');

let currentMonth = null;
let siteName = null; // in the page language, from the overview
let picker = null;
let requestNumber = 0;
let report = null;

const isEmpty = (inv) => (inv.lines ?? []).length === 0 && (inv.notCounted ?? []).length === 0;

/** True if any factor at any depth of the figure is a site override. */
function usesOverride(figure) {
  return (figure.factors ?? []).some((f) => f.override) || (figure.parts ?? []).some(usesOverride);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function renderHead(r) {
  const inv = r.inventory;
  const name = siteName || r.siteName || r.site || ctx.site;
  document.getElementById('site-name').textContent = name;
  document.title = `${name} · ${t('carbon.title')} · ${periodLabel(r.period)} · ${t('app.name')}`;
  document.getElementById('fact-period').textContent = periodLabel(r.period);
  document.getElementById('fact-method').textContent = (ctx.lang === 'zh-CN' ? inv.methodZh || inv.method : inv.method) ?? t('common.none');
  document.getElementById('fact-gwp').textContent = inv.gwpSet ?? t('common.none');
  document.getElementById('fact-dataset').textContent = r.dataSet ?? t('common.none');
  document.getElementById('fact-completeness').replaceChildren(isEmpty(inv) ? t('common.none') : completeness(r.completeness));
}

function showLineage(figure, scroll = true) {
  const box = document.getElementById('lineage');
  box.replaceChildren(figureTree(figure, ctx.site, 2));
  document.getElementById('lineage-note').textContent = t('lineage.showing', figureLabel(figure));
  for (const card of document.querySelectorAll('#scope-kpis .figure-card')) {
    card.setAttribute('aria-pressed', String(card.dataset.key === figure.key));
  }
  if (scroll) document.getElementById('lineage-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function figureCard(figure, className) {
  const card = el('button', { type: 'button', class: `kpi figure-card ${className}`, 'aria-pressed': 'false', dataset: { key: figure.key } },
    el('h3', null, figureLabel(figure)),
    bigQuantity(figure.value, figure.unit, figure.unit === 'tCO2e' ? 1 : 2),
    el('div', { class: 'stat-extra' }, completeness(figure.completeness), ' ', figureBadges(figure), usesOverride(figure) ? overrideBadge() : null));
  card.addEventListener('click', () => showLineage(figure));
  return card;
}

function renderKpis(r) {
  const inv = r.inventory;
  const box = document.getElementById('scope-kpis');
  if (isEmpty(inv)) {
    box.replaceChildren(el('p', { class: 'empty' }, t('report.noData', periodLabel(r.period))));
    return;
  }
  box.replaceChildren(
    figureCard(inv.scope1, 'scope-1'),
    figureCard(inv.scope2Location, 'scope-2'),
    figureCard(inv.scope2Market, 'scope-2'),
    figureCard(inv.totalLocation, 'total'),
    figureCard(inv.totalMarket, 'total'),
    inv.intensityLocation ? figureCard(inv.intensityLocation, 'intensity')
      : el('div', { class: 'kpi intensity' }, el('h3', null, t('carbon.intensity')), el('span', { class: 'kpi-value muted' }, t('carbon.noOutput'))));
}

function renderIso(r) {
  const lines = r.inventory.lines ?? [];
  const sum = (pred) => lines.filter(pred).reduce((s, l) => s + l.figure.value, 0);
  const cat = (n) => [
    sum((l) => l.isoCategory === n && l.basis !== 'market'),
    sum((l) => l.isoCategory === n && l.basis !== 'location'),
  ];
  const rows = [1, 2].map((n) => {
    const [loc, mkt] = cat(n);
    return el('tr', { dataset: { category: n } },
      el('td', null, el('b', null, t('iso.category', n)), ' ', t(`iso.${n}`)),
      el('td', { class: 'num' }, qty(loc, 'tCO2e', 1)),
      el('td', { class: 'num' }, qty(mkt, 'tCO2e', 1)));
  });
  rows.push(el('tr', { class: 'total-row' },
    el('td', null, t('carbon.total')),
    el('td', { class: 'num' }, qty(r.inventory.totalLocation.value, 'tCO2e', 1)),
    el('td', { class: 'num' }, qty(r.inventory.totalMarket.value, 'tCO2e', 1))));
  document.getElementById('iso-rows').replaceChildren(...rows);
}

function renderSources(r) {
  const lines = (r.inventory.lines ?? []).filter((l) => l.basis !== 'market' && l.figure.value > 0);
  const total = lines.reduce((s, l) => s + l.figure.value, 0);
  sourceChart.setOption({
    ...baseOption(),
    tooltip: {
      ...baseOption().tooltip,
      trigger: 'item',
      formatter: (p) => `${dot(p.color)}${escapeHtml(p.name)}<br><b>${escapeHtml(qty(p.value, 'tCO2e', 1))}</b> (${formatNumber(p.percent, 1)}%)`,
    },
    legend: { orient: 'vertical', right: 8, top: 'middle', icon: 'circle', itemWidth: 10, textStyle: { color: colors.text } },
    series: [{
      type: 'pie',
      radius: ['45%', '72%'],
      center: ['32%', '52%'],
      avoidLabelOverlap: true,
      itemStyle: { borderColor: '#fff', borderWidth: 2 },
      label: { formatter: (p) => `${formatNumber(p.percent, 1)}%`, color: colors.textSoft },
      data: lines.map((l) => ({ name: figureLabel(l.figure), value: +l.figure.value.toFixed(3), key: l.figure.key })),
    }],
    graphic: lines.length ? [{
      type: 'text', left: '32%', top: '52%',
      style: { text: `${formatNumber(total, 0)}\ntCO₂e`, fill: colors.text, fontSize: 13, fontWeight: 600, align: 'center', verticalAlign: 'middle' },
    }] : [{ type: 'text', left: 'center', top: 'middle', style: { text: t('common.noData'), fill: colors.muted, fontSize: 14 } }],
  }, { notMerge: true });
}

sourceChart.on('click', (p) => {
  const line = (report?.inventory?.lines ?? []).find((l) => l.figure.key === p.data?.key);
  if (line) showLineage(line.figure);
});

function renderLines(r) {
  const order = (l) => [l.scope, l.source, l.carrier, l.basis ?? ''].join('|');
  const lines = [...(r.inventory.lines ?? [])].sort((a, b) => order(a).localeCompare(order(b)));
  const gas = (v, digits) => (v ? formatNumber(v, Math.abs(v) >= 1 ? digits : undefined) : '0');
  const rows = lines.flatMap((l) => expandableRow([
    el('td', { class: 'nowrap' }, t(`scope.${l.scope}`)),
    el('td', { class: 'nowrap' }, t('iso.category', l.isoCategory)),
    el('td', null, t(`source.${l.source}`)),
    el('td', null, carrierLabel(l.carrier)),
    el('td', null, l.basis ? t(`basis.${l.basis}`) : t('common.none')),
    el('td', { class: 'num' }, gas(l.co2, 1)),
    el('td', { class: 'num' }, gas(l.ch4)),
    el('td', { class: 'num' }, gas(l.n2o)),
    el('td', { class: 'num' }, qty(l.figure.value, l.figure.unit)),
    el('td', { class: 'num' }, completeness(l.figure.completeness)),
    el('td', null, figureBadges(l.figure), usesOverride(l.figure) ? overrideBadge() : null),
  ], l.figure, ctx.site, 11, `scope-row-${l.scope}`));
  document.getElementById('line-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: 11, class: 'empty' }, t('report.noData', periodLabel(r.period))))]));
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

async function load() {
  const number = ++requestNumber;
  const period = picker.get();
  setBusy(view, true);
  setExportLink('carbon', period);
  try {
    const r = await getJson(sitePath(ctx.site, 'reports', 'carbon'), { period });
    if (number !== requestNumber) return;
    report = r;
    content.hidden = false;
    form.hidden = false;
    showMessage(null);
    renderHead(r);
    renderKpis(r);
    renderIso(r);
    renderSources(r);
    renderLines(r);
    renderNotCounted(r.inventory.notCounted);
    if (isEmpty(r.inventory)) {
      document.getElementById('lineage').replaceChildren(el('p', { class: 'empty' }, t('report.noData', periodLabel(r.period))));
    } else {
      showLineage(r.inventory.totalLocation, false);
    }
    renderLock(r);
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
  lockButton(() => picker.get(), (p) => p === currentMonth || p === currentMonth.slice(0, 4), () => load());
  await load();
}

start();
