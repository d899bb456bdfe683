// Overview page (/ and /sites/{site}): today's load curve, energy by carrier and workshop, completeness, meters.
// Data: GET /api/v1/sites/{site}/overview, fetched again when the live stream reports new data of the site (at most
// every 2 s), and every 30 s while the stream is down.
import {
  ctx, t, getJson, sitePath, carrierLabel, kindLabel, displayName, formatQuantity, formatPercent, formatWall,
  wallClock, dateMs, completenessBadge, quantityElement, completenessClass, el, pageUrl, showMessage, setBusy, ApiError,
} from './common.js';
import { createChart, baseOption, valueAxis, timeAxis, colors, escapeHtml, dot } from './charts.js';
import { startLive, throttle } from './live.js';

const REFRESH_MS = 30_000;
const LIVE_REFRESH_MS = 2_000;
const QUARTER_MS = 15 * 60_000;

const view = document.getElementById('overview');
const content = document.getElementById('content');
const carrierSelect = document.getElementById('workshop-carrier');

const loadChart = createChart('load-chart');
const completenessChart = createChart('completeness-chart');
const workshopsToday = createChart('workshops-today');
const workshopsMonth = createChart('workshops-month');

let last = null;
let timer = 0;
let live = null;

carrierSelect.addEventListener('change', () => last && renderWorkshops(last));

// ---------------------------------------------------------------------------------------------------------------

function renderHead(o) {
  const name = displayName(o, o.site);
  document.getElementById('site-name').textContent = name;
  document.title = `${name} · ${t('overview.title')} · ${t('app.name')}`;
  document.getElementById('local-date').textContent = o.localDate ?? t('common.none');
  document.getElementById('local-time').textContent = wallClock(o.now)?.time ?? t('common.none');
  document.getElementById('time-zone').textContent = o.timeZone ?? t('common.none');
  const updated = wallClock(o.now);
  document.getElementById('updated').textContent = updated ? t('common.updated', updated.time) : t('common.none');
}

function renderLoadCurve(o) {
  const curve = o.loadCurve ?? { unit: 'kW', points: [] };
  const unit = curve.unit || 'kW';
  const dayStart = dateMs(o.localDate);
  const data = [];
  let previous = null;
  for (const p of curve.points ?? []) {
    const w = wallClock(p.start);
    if (!w) continue;
    // A missing quarter is a gap in the line, never a drop to zero.
    if (previous !== null && w.ms - previous > QUARTER_MS * 1.5) data.push([previous + QUARTER_MS, null]);
    // A quarter's mean power is drawn at the middle of its quarter.
    data.push({ value: [w.ms + QUARTER_MS / 2, p.value], start: p.start });
    previous = w.ms;
  }

  loadChart.setOption({
    ...baseOption(),
    grid: { left: 12, right: 20, top: 40, bottom: 8, containLabel: true },
    xAxis: timeAxis(dayStart, dayStart + 24 * 3_600_000, '15m'),
    yAxis: valueAxis(unit),
    tooltip: {
      ...baseOption().tooltip,
      formatter: (params) => {
        const p = params.find((x) => x.data && x.data.start);
        if (!p) return '';
        const from = wallClock(p.data.start);
        const to = new Date(from.ms + QUARTER_MS).toISOString().slice(11, 16);
        return `${escapeHtml(from.time)}–${to}<br>${dot(colors.primary)}${escapeHtml(t('overview.meanPower'))}: `
          + `<b>${escapeHtml(formatQuantity(p.data.value[1], unit))}</b>`;
      },
    },
    series: [{
      name: t('overview.meanPower'),
      type: 'line',
      data,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 2, color: colors.primary },
      itemStyle: { color: colors.primary },
      areaStyle: {
        color: {
          type: 'linear', x: 0, y: 0, x2: 0, y2: 1,
          colorStops: [{ offset: 0, color: 'rgba(31,138,91,0.28)' }, { offset: 1, color: 'rgba(31,138,91,0.02)' }],
        },
      },
    }],
    graphic: data.length ? [] : [noDataGraphic()],
  }, { notMerge: true });
}

function renderCompleteness(o) {
  const value = Number.isFinite(o.completenessToday) ? o.completenessToday : null;
  const cls = completenessClass(value);
  const color = cls === 'good' ? colors.primary : cls === 'fair' ? '#e0a526' : '#d1443c';
  completenessChart.setOption({
    ...baseOption(),
    tooltip: { show: false },
    series: [{
      type: 'gauge',
      min: 0,
      max: 100,
      startAngle: 210,
      endAngle: -30,
      radius: '92%',
      center: ['50%', '56%'],
      progress: { show: true, width: 16, itemStyle: { color } },
      axisLine: { lineStyle: { width: 16, color: [[1, colors.grid]] } },
      pointer: { show: false },
      axisTick: { show: false },
      splitLine: { distance: 4, length: 6, lineStyle: { color: colors.muted, width: 1 } },
      axisLabel: { distance: 22, color: colors.textSoft, fontSize: 11, formatter: (v) => `${v}%` },
      anchor: { show: false },
      title: { show: true, offsetCenter: [0, '38%'], color: colors.textSoft, fontSize: 13 },
      detail: {
        valueAnimation: true,
        offsetCenter: [0, '0%'],
        fontSize: 30,
        fontWeight: 600,
        color: colors.text,
        formatter: () => formatPercent(value),
      },
      data: [{ value: value === null ? 0 : +(value * 100).toFixed(1), name: o.localDate ?? '' }],
    }],
  }, { notMerge: true });
}

function carriersOf(o) {
  const seen = new Map();
  for (const row of [...(o.today ?? []), ...(o.month ?? [])]) {
    if (!seen.has(row.carrier)) seen.set(row.carrier, row.unit);
  }
  // Electricity leads; the others keep the API's order.
  return [...seen.keys()].sort((a, b) => (b === 'electricity') - (a === 'electricity'));
}

function kpiBlock(label, row) {
  return el('div', { class: 'kpi-block' },
    el('div', { class: 'kpi-label' },
      el('span', null, label),
      row ? el('span', { class: `kpi-complete ${completenessClass(row.completeness)}`, title: t('common.completeness') },
        `${t('common.completenessShort')} ${formatPercent(row.completeness)}`) : null),
    row ? quantityElement(row.value, row.unit, 'kpi-value') : el('span', { class: 'kpi-value muted' }, t('common.noData')));
}

function renderCarrierCards(o) {
  const box = document.getElementById('carrier-cards');
  const carriers = carriersOf(o);
  if (carriers.length === 0) {
    box.replaceChildren(el('p', { class: 'empty' }, t('common.noData')));
    return;
  }
  box.replaceChildren(...carriers.map((carrier) => {
    const today = (o.today ?? []).find((r) => r.carrier === carrier);
    const month = (o.month ?? []).find((r) => r.carrier === carrier);
    return el('article', { class: `kpi carrier-${carrier}` },
      el('h3', null, carrierLabel(carrier)),
      el('div', { class: 'kpi-row' }, kpiBlock(t('common.today'), today), kpiBlock(t('common.month'), month)));
  }));
}

function renderWorkshops(o) {
  const carriers = [...new Set([...(o.workshopsToday ?? []), ...(o.workshopsMonth ?? [])].map((r) => r.carrier))];
  const current = carriers.includes(carrierSelect.value) ? carrierSelect.value
    : carriers.includes('electricity') ? 'electricity' : carriers[0];
  const options = carriers.map((c) => el('option', { value: c, selected: c === current }, carrierLabel(c)));
  carrierSelect.replaceChildren(...options);
  carrierSelect.disabled = carriers.length === 0;
  const today = (o.workshopsToday ?? []).filter((r) => r.carrier === current);
  const month = (o.workshopsMonth ?? []).filter((r) => r.carrier === current);
  // Both charts get the same height so their bars line up side by side.
  const height = Math.max(200, 60 + Math.max(today.length, month.length) * 32);
  workshopBars(workshopsToday, today, colors.primary, height);
  workshopBars(workshopsMonth, month, colors.blue, height);
}

function workshopBars(chart, rows, color, height) {
  const sorted = [...rows].sort((a, b) => a.value - b.value); // largest on top of a horizontal bar chart
  const unit = sorted[0]?.unit ?? '';
  chart.setOption({
    ...baseOption(),
    // containLabel only estimates from sampled labels and cut the start off a long workshop name; ECharts 6's outer
    // bounds measure every axis label.
    grid: { left: 12, right: 96, top: 12, bottom: 28, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      ...baseOption().tooltip,
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const p = params[0];
        return `${escapeHtml(p.name)}<br>${dot(color)}<b>${escapeHtml(formatQuantity(p.value, unit))}</b>`;
      },
    },
    xAxis: valueAxis(unit, { nameLocation: 'middle', nameGap: 28, nameTextStyle: { color: colors.textSoft }, splitNumber: 4 }),
    yAxis: {
      type: 'category',
      data: sorted.map((r) => displayName(r, r.node)),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: colors.grid } },
      axisLabel: { color: colors.text },
    },
    series: [{
      type: 'bar',
      data: sorted.map((r) => r.value),
      barMaxWidth: 22,
      itemStyle: { color, borderRadius: [0, 4, 4, 0] },
      label: { show: true, position: 'right', color: colors.textSoft, fontSize: 11, formatter: (p) => formatQuantity(p.value, unit) },
    }],
    graphic: sorted.length ? [] : [noDataGraphic()],
  }, { notMerge: true });
  chart.getDom().style.height = `${height}px`;
  chart.resize();
}

function renderMeters(o) {
  const meters = [...(o.meters ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const rows = meters.map((m) => el('tr', null,
    el('td', null, el('a', { href: pageUrl('sites', o.site ?? ctx.site, 'meters', m.key) }, el('code', null, m.key))),
    el('td', null, displayName(m, m.key)),
    el('td', null, carrierLabel(m.carrier)),
    el('td', null, kindLabel(m.kind)),
    el('td', null, m.lastReading ? formatWall(m.lastReading, o.localDate) : t('common.none')),
    el('td', { class: 'num' }, completenessBadge(m.completenessToday))));
  document.getElementById('meter-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: 6, class: 'empty' }, t('common.noData')))]));
}

function noDataGraphic() {
  return {
    type: 'text',
    left: 'center',
    top: 'middle',
    style: { text: t('common.noData'), fill: colors.muted, fontSize: 14 },
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function refresh() {
  clearTimeout(timer);
  if (document.hidden && last) return;
  try {
    const o = await getJson(sitePath(ctx.site, 'overview'));
    last = o;
    content.hidden = false;
    showMessage(null);
    renderHead(o);
    renderLoadCurve(o);
    renderCompleteness(o);
    renderCarrierCards(o);
    renderWorkshops(o);
    renderMeters(o);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      // A site that does not exist will not appear by retrying.
      content.hidden = true;
      showMessage(t('error.siteNotFound', ctx.site), 'error',
        ' ', el('a', { href: pageUrl() }, t('nav.overview')));
      setBusy(view, false);
      return;
    }
    showMessage(last ? t('error.loadRetrying', error.message) : t('error.load', error.message), 'error');
    content.hidden = !last;
  }
  setBusy(view, false);
  // Once the site is known to exist, its live stream tells when there is new data; polling is the fallback.
  if (!live && last) live = startLive({ onDerived: throttle(refresh, LIVE_REFRESH_MS), onState: liveStateChanged });
  if (!document.hidden && live?.state !== 'live') timer = setTimeout(refresh, REFRESH_MS);
}

function liveStateChanged(state, previous) {
  const label = document.querySelector('.refresh-dot');
  if (label) label.textContent = t(state === 'live' ? 'live.updatesLive' : 'common.autoRefresh');
  if (state === 'live') {
    clearTimeout(timer);
    // Back after an outage: catch up on what the stream could not tell.
    if (previous === 'offline') refresh();
  } else if (previous === 'live' && !document.hidden) {
    clearTimeout(timer);
    timer = setTimeout(refresh, REFRESH_MS);
  }
}

// A hidden tab skips its refreshes and catches up when shown again.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) refresh();
  else clearTimeout(timer);
});

refresh();
