// Meter page (/sites/{site}/meters/{meter}): one meter's series at a chosen grain and date range, its flags and events.
// The site comes from <body data-site>, the meter from <div id="meter" data-meter>; grain and range from the query
// string (?grain=hour&from=2026-11-22&to=2026-11-23, dates inclusive and local to the site).
// Data: GET /api/v1/sites/{site}/overview (the site's local date), .../meters/{meter}/series and .../events, and
// .../derivation-failures (a banner if derivation set this meter aside); loaded
// again when the site's live stream reports new data of this meter in the range shown (at most every 2 s).
import {
  ctx, t, getJson, sitePath, carrierLabel, kindLabel, flagLabel, displayName, unitLabel, formatQuantity,
  formatPercent, formatPeriod, formatWall, wallClock, dateMs, addDays, addMonths, el, pageUrl, showMessage, setBusy,
  ApiError,
} from './common.js';
import { createChart, baseOption, valueAxis, timeAxis, colors, flagColors, primaryFlag, escapeHtml, dot } from './charts.js';
import { startLive, throttle } from './live.js';

const GRAINS = ['15m', 'hour', 'day', 'month'];
const MAX_TABLE_ROWS = 1000;
const HOUR_MS = 3_600_000;
const LIVE_REFRESH_MS = 2_000;

const view = document.getElementById('meter');
const meter = view.dataset.meter;
const form = document.getElementById('controls');
const content = document.getElementById('content');
const chart = createChart('series-chart');

let today = null; // the site's local date, from the overview
let state = null; // { grain, from, to } as shown in the form (inclusive dates)
let requestNumber = 0;
let failed = null; // this meter's derivation failure, if derivation set it aside

// ---------------------------------------------------------------------------------------------------------------
// Range

/** The default range of a grain, ending today: 15m today, hour 2 days, day 31 days, month 12 months. */
function defaultRange(grain) {
  switch (grain) {
    case '15m': return { from: today, to: today };
    case 'hour': return { from: addDays(today, -1), to: today };
    case 'month': return { from: addMonths(today, -11), to: today };
    default: return { from: addDays(today, -30), to: today };
  }
}

/** The API's half-open range [from, to) in local dates; a month range covers whole months. */
function apiRange(s) {
  return s.grain === 'month'
    ? { from: `${s.from.slice(0, 7)}-01`, to: addMonths(s.to, 1) }
    : { from: s.from, to: addDays(s.to, 1) };
}

/** Where one period ends, in wall-clock milliseconds. */
function periodEnd(startMs, grain) {
  switch (grain) {
    case '15m': return startMs + HOUR_MS / 4;
    case 'hour': return startMs + HOUR_MS;
    case 'day': return startMs + 24 * HOUR_MS;
    default: {
      const d = new Date(startMs);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
}

const isDate = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(dateMs(s));

function stateFromUrl() {
  const q = new URLSearchParams(window.location.search);
  const grain = GRAINS.includes(q.get('grain')) ? q.get('grain') : 'hour';
  const range = defaultRange(grain);
  const from = isDate(q.get('from')) ? q.get('from') : range.from;
  const to = isDate(q.get('to')) ? q.get('to') : range.to;
  return { grain, from, to };
}

function writeForm(s) {
  for (const radio of form.elements.grain) radio.checked = radio.value === s.grain;
  form.elements.from.value = s.from;
  form.elements.to.value = s.to;
}

function writeUrl(s) {
  const q = new URLSearchParams(window.location.search);
  q.set('grain', s.grain);
  q.set('from', s.from);
  q.set('to', s.to);
  history.replaceState(null, '', `${window.location.pathname}?${q}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function renderHead(series) {
  const name = displayName(series, meter);
  document.getElementById('meter-name').textContent = name;
  document.title = `${name} · ${t('meter.title')} · ${t('app.name')}`;
  document.getElementById('meter-unit').textContent = unitLabel(series.unit) || t('common.none');
  document.getElementById('meter-tags').replaceChildren(
    el('span', { class: 'tag' }, carrierLabel(series.carrier)),
    el('span', { class: 'tag' }, kindLabel(series.kind)));
}

/**
 * Where a period is drawn: hours and quarters at their middle (axis ticks are their boundaries); days and months at
 * their start, under the tick that names them, with the axis widened by half a period on both sides.
 */
const atStart = (grain) => grain === 'day' || grain === 'month';
const halfPeriod = (grain) => (grain === 'month' ? 15 * 24 * HOUR_MS : grain === 'day' ? 12 * HOUR_MS : 0);

/** Chart points, with a null wherever periods are missing (a gap, not a zero). */
function chartPoints(points, grain) {
  const out = [];
  let previousEnd = null;
  for (const p of points) {
    const w = wallClock(p.start);
    if (!w) continue;
    const end = periodEnd(w.ms, grain);
    if (previousEnd !== null && w.ms > previousEnd) out.push({ gap: true, x: previousEnd });
    out.push({ x: atStart(grain) ? w.ms : (w.ms + end) / 2, p });
    previousEnd = end;
  }
  return out;
}

function tooltipFor(series, isInstant) {
  const unit = series.unit;
  return (params) => {
    const item = params.find((x) => x.data && x.data.p);
    if (!item) return '';
    const p = item.data.p;
    const lines = [`<b>${escapeHtml(formatPeriod(p.start, series.grain))}</b>`];
    if (isInstant) {
      lines.push(`${dot(colors.blue)}${escapeHtml(t('col.mean'))}: <b>${escapeHtml(formatQuantity(p.value, unit))}</b>`);
      lines.push(`${dot(colors.blueSoft)}${escapeHtml(t('col.min'))} / ${escapeHtml(t('col.max'))}: `
        + `${escapeHtml(formatQuantity(p.min, unit))} / ${escapeHtml(formatQuantity(p.max, unit))}`);
    } else {
      const flag = primaryFlag(p.flags);
      lines.push(`${dot(flag ? flagColors[flag] : colors.primary)}${escapeHtml(t('meter.consumption'))}: `
        + `<b>${escapeHtml(formatQuantity(p.value, unit))}</b>`);
    }
    lines.push(`${dot(colors.muted)}${escapeHtml(t('meter.completeness'))}: ${escapeHtml(formatPercent(p.completeness))}`);
    if (p.flags?.length) {
      const chips = p.flags.map((f) => {
        const color = flagColors[primaryFlag([f])] ?? colors.muted;
        return `<span style="color:${color};font-weight:600">${escapeHtml(flagLabel(f))}</span>`;
      });
      lines.push(`${escapeHtml(t('col.flags'))}: ${chips.join(' · ')}`);
    }
    return lines.join('<br>');
  };
}

function renderChart(series, range) {
  const isInstant = series.kind === 'Instantaneous';
  const unit = series.unit;
  const pts = chartPoints(series.points ?? [], series.grain);
  const xy = (x, y) => [x, y ?? null];
  const completeness = pts.map((c) => (c.gap ? xy(c.x, null) : { value: xy(c.x, c.p.completeness * 100), p: c.p }));

  const out = [];
  if (isInstant) {
    // The band is a stack: an invisible line at min plus a filled (max - min) on top of it.
    out.push({
      name: t('meter.band'), type: 'line', stack: 'band', stackStrategy: 'all', symbol: 'none',
      lineStyle: { opacity: 0 }, itemStyle: { color: colors.blueSoft },
      data: pts.map((c) => xy(c.x, c.gap ? null : c.p.min)),
    }, {
      name: t('meter.band'), type: 'line', stack: 'band', stackStrategy: 'all', symbol: 'none',
      lineStyle: { opacity: 0 }, areaStyle: { color: colors.blueSoft }, itemStyle: { color: colors.blueSoft },
      data: pts.map((c) => xy(c.x, c.gap || c.p.min === null || c.p.max === null ? null : c.p.max - c.p.min)),
    }, {
      name: t('meter.mean'), type: 'line', showSymbol: pts.length < 60, symbolSize: 4,
      lineStyle: { width: 2, color: colors.blue }, itemStyle: { color: colors.blue },
      data: pts.map((c) => (c.gap ? xy(c.x, null) : { value: xy(c.x, c.p.value), p: c.p })),
    });
    for (const [flag, color] of Object.entries(flagColors)) {
      const flagged = pts.filter((c) => !c.gap && primaryFlag(c.p.flags) === flag);
      if (flagged.length === 0) continue;
      out.push({
        name: flagLabel(flag), type: 'scatter', symbolSize: 10, z: 5, itemStyle: { color, borderColor: '#fff', borderWidth: 1 },
        data: flagged.map((c) => ({ value: xy(c.x, c.p.value), p: c.p })), tooltip: { show: false },
      });
    }
  } else {
    out.push({
      name: t('meter.consumption'), type: 'bar', barMaxWidth: 28, barMinWidth: 1,
      itemStyle: { color: colors.primary, borderRadius: [3, 3, 0, 0] },
      data: pts.filter((c) => !c.gap).map((c) => {
        const flag = primaryFlag(c.p.flags);
        return { value: xy(c.x, c.p.value), p: c.p, itemStyle: flag ? { color: flagColors[flag] } : undefined };
      }),
    });
  }
  out.push({
    name: t('meter.completeness'), type: 'line', yAxisIndex: 1, symbol: 'none', z: 1,
    lineStyle: { width: 1, type: 'dashed', color: colors.muted }, itemStyle: { color: colors.muted },
    data: completeness,
  });

  const many = pts.length > 150;
  chart.setOption({
    ...baseOption(),
    grid: { left: 12, right: 16, top: 44, bottom: many ? 56 : 12, containLabel: true },
    legend: {
      top: 0, right: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: colors.textSoft },
      data: isInstant ? [t('meter.mean'), t('meter.band'), t('meter.completeness')] : [t('meter.consumption'), t('meter.completeness')],
    },
    tooltip: { ...baseOption().tooltip, formatter: tooltipFor(series, isInstant) },
    xAxis: timeAxis(dateMs(range.from) - halfPeriod(series.grain), dateMs(range.to) - halfPeriod(series.grain), series.grain),
    yAxis: [
      valueAxis(unit, isInstant ? { scale: true } : {}),
      {
        type: 'value', min: 0, max: 100, name: '%', position: 'right', splitLine: { show: false },
        nameTextStyle: { color: colors.textSoft }, axisLabel: { color: colors.textSoft, formatter: '{value}%' },
      },
    ],
    dataZoom: many ? [{ type: 'inside' }, { type: 'slider', height: 20, bottom: 8 }] : [],
    series: out,
    graphic: pts.length ? [] : [{
      type: 'text', left: 'center', top: 'middle', style: { text: t('meter.noData'), fill: colors.muted, fontSize: 14 },
    }],
  }, { notMerge: true });
}

function flagChips(flags) {
  return (flags ?? []).map((f) => el('span', { class: `chip flag-${primaryFlag([f])}` }, flagLabel(f)));
}

function renderTable(series) {
  const isInstant = series.kind === 'Instantaneous';
  const heads = isInstant
    ? [t('col.start'), t('col.mean'), t('col.min'), t('col.max'), t('col.completeness'), t('col.flags')]
    : [t('col.start'), t('col.consumption'), t('col.completeness'), t('col.flags')];
  document.getElementById('data-head').replaceChildren(
    el('tr', null, heads.map((h, i) => el('th', { class: i > 0 && i < heads.length - 1 ? 'num' : null }, h))));

  const points = series.points ?? [];
  const shown = points.slice(-MAX_TABLE_ROWS);
  document.getElementById('data-note').textContent =
    points.length > shown.length ? t('common.rowsShown', shown.length, points.length) : '';
  const rows = shown.map((p) => {
    const flag = primaryFlag(p.flags);
    const cells = [el('td', null, formatPeriod(p.start, series.grain))];
    cells.push(el('td', { class: 'num' }, formatQuantity(p.value, series.unit)));
    if (isInstant) {
      cells.push(el('td', { class: 'num' }, formatQuantity(p.min, series.unit)));
      cells.push(el('td', { class: 'num' }, formatQuantity(p.max, series.unit)));
    }
    cells.push(el('td', { class: 'num' }, formatPercent(p.completeness)));
    cells.push(el('td', null, flagChips(p.flags)));
    return el('tr', { class: flag ? `flagged flag-row-${flag}` : null }, cells);
  });
  document.getElementById('data-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: heads.length, class: 'empty' }, t('meter.noData')))]));
}

function renderEvents(events) {
  const sorted = [...(events ?? [])].sort((a, b) => (wallClock(b.ts)?.ms ?? 0) - (wallClock(a.ts)?.ms ?? 0));
  const rows = sorted.map((e) => el('tr', null,
    el('td', { class: 'nowrap' }, formatWall(e.ts)),
    el('td', null, el('span', { class: `chip flag-${primaryFlag([e.kind]) ?? 'event'}` }, flagLabel(e.kind))),
    el('td', null, (ctx.lang === 'zh-CN' ? e.detailZh ?? e.detail : e.detail) ?? '')));
  document.getElementById('event-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: 3, class: 'empty' }, t('meter.noEvents')))]));
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

function notFound() {
  content.hidden = true;
  form.hidden = true;
  showMessage(t('error.meterNotFound', ctx.site, meter), 'error', ' ',
    el('a', { href: pageUrl('sites', ctx.site, 'meters') }, t('meter.backToList')));
}

/** Loads the series of the range in the form; quiet (a live update) keeps the page as it is until the data is in. */
async function loadSeries(quiet = false) {
  const number = ++requestNumber;
  const s = state;
  const range = apiRange(s);
  if (!quiet) {
    setBusy(view, true);
    document.getElementById('range-label').textContent = t('common.loading');
  }
  const base = sitePath(ctx.site, 'meters', meter);
  try {
    const [series, events] = await Promise.all([
      getJson(`${base}/series`, { grain: s.grain, from: range.from, to: range.to }),
      // Events are secondary: without them the series still shows.
      getJson(`${base}/events`, { from: range.from, to: range.to }).catch((error) => ({ error })),
      // A meter set aside by derivation says so, with its error (GET .../derivation-failures).
      getJson(sitePath(ctx.site, 'derivation-failures')).catch(() => []),
    ]).then(([a, b, failures]) => { failed = (failures || []).find((f) => f.meter === meter) || null; return [a, b]; });
    if (number !== requestNumber) return;
    content.hidden = false;
    if (failed) {
      showMessage(t('meter.derivationFailed', failed.error, failed.attempts, formatWall(failed.retryAt)), 'error');
    } else {
      showMessage(events.error ? t('error.load', events.error.message) : null, 'error');
    }
    renderHead(series);
    document.getElementById('range-label').textContent =
      `${s.grain === 'month' ? s.from.slice(0, 7) : s.from} – ${s.grain === 'month' ? s.to.slice(0, 7) : s.to} · ${t(`grain.${s.grain}`)}`;
    renderChart(series, range);
    renderTable(series);
    renderEvents(events.error ? [] : events);
  } catch (error) {
    if (number !== requestNumber) return;
    if (error instanceof ApiError && error.status === 404) {
      notFound();
    } else {
      document.getElementById('range-label').textContent = '';
      showMessage(t('error.load', error.message), 'error', ' ',
        el('button', { type: 'button', class: 'button small', onclick: () => loadSeries() }, t('common.retry')));
    }
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
  loadSeries();
}

form.addEventListener('change', (event) => {
  // A new grain starts from its own default range; dates wait for Apply.
  if (event.target.name === 'grain') {
    const grain = event.target.value;
    apply({ grain, ...defaultRange(grain) });
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  if (!isDate(from) || !isDate(to)) return;
  apply({ grain: state.grain, from, to });
});

async function start() {
  try {
    const overview = await getJson(sitePath(ctx.site, 'overview'));
    today = overview.localDate;
    document.getElementById('site-name').replaceChildren(
      el('a', { href: pageUrl('sites', ctx.site) }, displayName(overview, overview.site ?? ctx.site)));
    document.getElementById('time-zone').textContent = overview.timeZone ?? t('common.none');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      content.hidden = true;
      form.hidden = true;
      showMessage(t('error.siteNotFound', ctx.site), 'error', ' ', el('a', { href: pageUrl() }, t('nav.overview')));
      setBusy(view, false);
      return;
    }
    // Without the overview the browser's date stands in for the site's; the series request may still work.
  }
  if (!isDate(today)) {
    const now = new Date();
    today = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())).toISOString().slice(0, 10);
  }
  state = stateFromUrl();
  writeForm(state);
  writeUrl(state);
  await loadSeries();
  const reload = throttle(() => loadSeries(true), LIVE_REFRESH_MS);
  startLive({
    onDerived: (event) => {
      if (event.meters?.includes(meter) && overlapsShown(event)) reload();
    },
    // Back after an outage: the stream could not tell what changed meanwhile.
    onState: (next, previous) => {
      if (next === 'live' && previous === 'offline') reload();
    },
  });
}

/** Whether a derived span [from, to) (site-local ISO instants) touches the dates shown. */
function overlapsShown(event) {
  const range = apiRange(state);
  const from = wallClock(event.from)?.date;
  const to = wallClock(event.to)?.date;
  return !from || !to || (from < range.to && to >= range.from);
}

start();
