// Meter balance page (/balance?site=&meter=&from=&to=): a parent meter per day against the sum of its sub-meters,
// from GET /api/v1/sites/{site}/meters/{meter}/balance (grain day), each sub-meter's own days from its series, and the
// difference in the meter's unit and in %. Dates are local and inclusive (the API's `to` is the day after); by default
// the 30 days before the site's today and today. The parent meters come from the site document (GET /sites/{site}).
import {
  ctx, t, getJson, sitePath, displayName, formatQuantity, formatNumber, unitLabel, wallClock, dateMs, addDays, el, pageUrl,
  showMessage, setBusy, ApiError,
} from './common.js';
import { createChart, baseOption, valueAxis, colors, escapeHtml, dot } from './charts.js';

const view = document.getElementById('balance');
const form = document.getElementById('controls');
const content = document.getElementById('content');
const chart = createChart('balance-chart');

let today = null; // the site's local date, from the overview
let meters = []; // the site's meter definitions
let state = null; // { meter, from, to }
let requestNumber = 0;

const isDate = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(dateMs(s));
const subMetersOf = (key) => meters.filter((m) => m.parent === key);
const meterOf = (key) => meters.find((m) => m.key === key);
const parents = () => meters.filter((m) => subMetersOf(m.key).length > 0);

function stateFromUrl() {
  const q = new URLSearchParams(window.location.search);
  return {
    meter: q.get('meter') || parents()[0]?.key || null,
    from: isDate(q.get('from')) ? q.get('from') : addDays(today, -30),
    to: isDate(q.get('to')) ? q.get('to') : today,
  };
}

function writeUrl(s) {
  const q = new URLSearchParams(window.location.search);
  q.set('meter', s.meter ?? '');
  q.set('from', s.from);
  q.set('to', s.to);
  history.replaceState(null, '', `${window.location.pathname}?${q}`);
}

function writeForm(s) {
  const select = form.elements.meter;
  select.replaceChildren(el('option', { value: '', disabled: true }, t('balance.pickMeter')),
    ...parents().map((m) => el('option', { value: m.key, selected: m.key === s.meter }, `${displayName(m, m.key)} (${m.key})`)));
  if (!parents().some((m) => m.key === s.meter)) select.value = '';
  form.elements.from.value = s.from;
  form.elements.to.value = s.to;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const cell = (value, unit) => el('td', { class: `num${value !== null && value !== undefined && value < 0 ? ' negative' : ''}` }, formatQuantity(value, unit));
const percentCell = (value) => el('td', { class: `num${value !== null && value !== undefined && value < 0 ? ' negative' : ''}` },
  value === null || value === undefined ? t('common.none') : formatQuantity(value, 'pct', 2));

function renderTable(parent, balance, series) {
  const unit = balance.unit;
  const children = balance.children.map(meterOf).filter(Boolean);
  document.getElementById('balance-head').replaceChildren(el('tr', null,
    el('th', null, t('balance.col.day')),
    el('th', { class: 'num' }, `${t('balance.col.parent')} · ${displayName(parent, parent.key)}`),
    children.map((c) => el('th', { class: 'num', title: c.key }, displayName(c, c.key))),
    el('th', { class: 'num' }, t('balance.col.children')),
    el('th', { class: 'num' }, t('balance.col.difference')),
    el('th', { class: 'num' }, t('balance.col.differencePct'))));

  const byDay = new Map(children.map((c, i) => [c.key, new Map((series[i]?.points ?? []).map((p) => [wallClock(p.start).date, p.value]))]));
  const rows = balance.points.map((p) => {
    const day = wallClock(p.start).date;
    return el('tr', { dataset: { day }, class: p.loss !== null && p.loss < 0 ? 'flow-excess' : null },
      el('td', { class: 'nowrap' }, day),
      cell(p.parent, unit),
      children.map((c) => cell(byDay.get(c.key).get(day) ?? null, unit)),
      cell(p.children, unit),
      cell(p.loss, unit),
      percentCell(p.lossPercent));
  });
  document.getElementById('balance-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: children.length + 5, class: 'empty' }, t('balance.noData')))]));

  // The total over the days both the parent and its sub-meters have data.
  const both = balance.points.filter((p) => p.parent !== null && p.children !== null);
  const total = both.reduce((a, p) => ({ parent: a.parent + p.parent, children: a.children + p.children }), { parent: 0, children: 0 });
  const days = new Set(both.map((p) => wallClock(p.start).date));
  const loss = total.parent - total.children;
  const pct = total.parent > 0 ? (loss / total.parent) * 100 : null;
  document.getElementById('balance-total').replaceChildren(...(both.length ? [el('tr', { class: 'total-row' },
    el('td', null, t('balance.total')),
    cell(total.parent, unit),
    children.map((c) => cell([...byDay.get(c.key)].filter(([d]) => days.has(d)).reduce((a, [, v]) => a + (v ?? 0), 0), unit)),
    cell(total.children, unit),
    cell(loss, unit),
    percentCell(pct))] : []));
  document.getElementById('fact-difference').textContent = both.length
    ? `${formatQuantity(loss, unit)} · ${pct === null ? t('common.none') : formatQuantity(pct, 'pct', 2)}` : t('common.none');
}

function renderChart(balance) {
  const unit = balance.unit;
  const days = balance.points.map((p) => wallClock(p.start).date);
  chart.setOption({
    ...baseOption(),
    grid: { left: 12, right: 16, top: 44, bottom: 12, containLabel: true },
    legend: { top: 0, right: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: colors.textSoft } },
    tooltip: {
      ...baseOption().tooltip,
      formatter: (params) => {
        const p = balance.points[params[0]?.dataIndex];
        if (!p) return '';
        return [`<b>${escapeHtml(wallClock(p.start).date)}</b>`,
          `${dot(colors.primary)}${escapeHtml(t('balance.col.parent'))}: <b>${escapeHtml(formatQuantity(p.parent, unit))}</b>`,
          `${dot(colors.blue)}${escapeHtml(t('balance.col.children'))}: <b>${escapeHtml(formatQuantity(p.children, unit))}</b>`,
          `${dot(colors.palette[4])}${escapeHtml(t('balance.col.difference'))}: ${escapeHtml(formatQuantity(p.loss, unit))}`
            + ` (${escapeHtml(p.lossPercent === null ? t('common.none') : formatQuantity(p.lossPercent, 'pct', 2))})`].join('<br>');
      },
    },
    xAxis: { type: 'category', data: days, axisLabel: { color: colors.textSoft, hideOverlap: true, formatter: (d) => d.slice(5) }, axisLine: { lineStyle: { color: colors.grid } } },
    yAxis: [
      valueAxis(unit),
      {
        type: 'value', name: '%', position: 'right', splitLine: { show: false },
        nameTextStyle: { color: colors.textSoft }, axisLabel: { color: colors.textSoft, formatter: (v) => `${formatNumber(v)}%` },
      },
    ],
    series: [
      { name: t('balance.col.parent'), type: 'bar', barMaxWidth: 18, itemStyle: { color: colors.primary }, data: balance.points.map((p) => p.parent) },
      { name: t('balance.col.children'), type: 'bar', barMaxWidth: 18, itemStyle: { color: colors.blue }, data: balance.points.map((p) => p.children) },
      {
        name: t('balance.col.differencePct'), type: 'line', yAxisIndex: 1, symbolSize: 5, connectNulls: false,
        lineStyle: { color: colors.palette[4], width: 2 }, itemStyle: { color: colors.palette[4] }, data: balance.points.map((p) => p.lossPercent),
      },
    ],
    graphic: days.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: t('balance.noData'), fill: colors.muted, fontSize: 14 } }],
  }, { notMerge: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

async function load() {
  const number = ++requestNumber;
  const s = state;
  const parent = meterOf(s.meter);
  document.getElementById('fact-meter').textContent = parent ? displayName(parent, parent.key) : (s.meter ?? t('common.none'));
  document.getElementById('fact-unit').textContent = parent ? unitLabel(parent.unit) : t('common.none');
  if (!parent || subMetersOf(parent.key).length === 0) {
    content.hidden = true;
    const up = parent?.parent ? meterOf(parent.parent) : null;
    showMessage(parent ? t('balance.noSubMeters', parent.key) : parents().length ? t('error.meterNotFound', ctx.site, s.meter ?? '') : t('balance.noParents'), 'info',
      ...(up ? [' ', t('balance.parentIs'), ' ', el('a', { href: `${window.location.pathname}?site=${encodeURIComponent(ctx.site)}&meter=${encodeURIComponent(up.key)}` }, displayName(up, up.key))] : []));
    setBusy(view, false);
    return;
  }
  setBusy(view, true);
  const range = { grain: 'day', from: s.from, to: addDays(s.to, 1) };
  try {
    const balance = await getJson(sitePath(ctx.site, 'meters', parent.key, 'balance'), range);
    const series = await Promise.all(balance.children.map((c) => getJson(sitePath(ctx.site, 'meters', c, 'series'), range)));
    if (number !== requestNumber) return;
    content.hidden = false;
    showMessage(balance.points.length ? null : t('balance.noData'), 'info');
    document.getElementById('meter-link').href = pageUrl('sites', ctx.site, 'meters', parent.key);
    renderTable(parent, balance, series);
    renderChart(balance);
  } catch (error) {
    if (number !== requestNumber) return;
    showMessage(t('error.load', error.message), 'error', ' ',
      el('button', { type: 'button', class: 'button small', onclick: () => load() }, t('common.retry')));
  } finally {
    if (number === requestNumber) setBusy(view, false);
  }
}

function apply(next) {
  if (next.from > next.to) {
    showMessage(t('error.badRange'), 'error');
    return;
  }
  state = next;
  writeForm(state);
  writeUrl(state);
  load();
}

form.addEventListener('change', (event) => {
  if (event.target.name === 'meter') apply({ ...state, meter: event.target.value });
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  if (!isDate(from) || !isDate(to)) return;
  apply({ ...state, from, to });
});

async function start() {
  try {
    const [overview, site] = await Promise.all([getJson(sitePath(ctx.site, 'overview')), getJson(sitePath(ctx.site))]);
    today = overview.localDate;
    meters = site.meters ?? [];
  } catch (error) {
    content.hidden = true;
    if (error instanceof ApiError && error.status === 404) {
      form.hidden = true;
      showMessage(t('error.siteNotFound', ctx.site), 'error', ' ', el('a', { href: pageUrl() }, t('nav.overview')));
    } else {
      showMessage(t('error.load', error.message), 'error', ' ', el('button', { type: 'button', class: 'button small', onclick: () => window.location.reload() }, t('common.retry')));
    }
    setBusy(view, false);
    return;
  }
  state = stateFromUrl();
  writeForm(state);
  writeUrl(state);
  await load();
}

start();
