// ECharts set-up shared by the pages: one look (colours, fonts, tooltips), flag colours, resize handling.
// echarts.min.js is loaded by a classic <script> before the page modules and provides the global `echarts`.
import { ctx, formatNumber, unitLabel } from './common.js';

const echarts = window.echarts;

/** Colours of the UI; the CSS uses the same values (css/site.css :root). */
export const colors = Object.freeze({
  primary: '#1f8a5b',
  primarySoft: 'rgba(31, 138, 91, 0.14)',
  blue: '#2f6fd6',
  blueSoft: 'rgba(47, 111, 214, 0.16)',
  muted: '#8a96a3',
  grid: '#e6eaee',
  text: '#1f2a33',
  textSoft: '#5b6875',
  palette: ['#1f8a5b', '#2f6fd6', '#e0a526', '#7c5cc4', '#d1584a', '#2aa3b8', '#8a96a3'],
});

/** One colour per flag shown on charts; rollover/replacement/reset share "event". Same as .flag-* in the CSS. */
export const flagColors = Object.freeze({
  estimated: '#e0a526',
  gap: '#9aa7b4',
  drop: '#d1443c',
  spike: '#8e44c9',
  event: '#2f6fd6',
});

const flagPriority = ['drop', 'spike', 'gap', 'estimated', 'event'];
const eventFlags = new Set(['rollover', 'replacement', 'reset']);

/** The single flag that colours a point: the most serious of its flags, or null. */
export function primaryFlag(flags) {
  if (!flags || flags.length === 0) return null;
  const set = new Set(flags.map((f) => (eventFlags.has(f) ? 'event' : f)));
  return flagPriority.find((f) => set.has(f)) ?? null;
}

const fontFamily = getComputedStyle(document.body).fontFamily;

/** A chart in the element with the given id, resized with its container. */
export function createChart(id) {
  const dom = document.getElementById(id);
  const chart = echarts.init(dom, null, { renderer: 'canvas', locale: ctx.lang === 'zh-CN' ? 'ZH' : 'EN' });
  new ResizeObserver(() => chart.resize()).observe(dom);
  return chart;
}

/** Options every chart starts from. */
export function baseOption() {
  return {
    useUTC: true,
    color: colors.palette,
    textStyle: { fontFamily, color: colors.text },
    animationDuration: 300,
    grid: { left: 12, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      confine: true,
      backgroundColor: 'rgba(255,255,255,0.97)',
      borderColor: colors.grid,
      textStyle: { color: colors.text, fontFamily, fontSize: 12 },
      extraCssText: 'box-shadow: 0 4px 16px rgba(20,40,60,.12); border-radius: 8px;',
    },
  };
}

/** A value axis whose labels carry the unit. */
export function valueAxis(unit, extra) {
  return {
    type: 'value',
    name: unitLabel(unit),
    nameTextStyle: { color: colors.textSoft, align: 'left' },
    axisLabel: { color: colors.textSoft, formatter: (v) => formatNumber(v) },
    splitLine: { lineStyle: { color: colors.grid } },
    ...extra,
  };
}

/** Axis label of a wall-clock instant at the precision of a grain: "15:00", "11-23" at midnight, "2026-11". */
export function timeLabel(ms, grain) {
  const iso = new Date(ms).toISOString();
  if (grain === 'month') return iso.slice(0, 7);
  if (grain === 'day') return iso.slice(5, 10);
  const time = iso.slice(11, 16);
  return time === '00:00' ? iso.slice(5, 10) : time;
}

/** A time axis over wall-clock milliseconds (see common.js: wall clock encoded as UTC). */
export function timeAxis(min, max, grain) {
  return {
    type: 'time',
    min,
    max,
    axisLine: { lineStyle: { color: colors.grid } },
    axisLabel: { color: colors.textSoft, hideOverlap: true, formatter: (v) => timeLabel(v, grain) },
    splitLine: { show: false },
  };
}

/** Escapes text for ECharts tooltips, which are HTML. */
export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** A coloured dot for tooltips. */
export function dot(color) {
  return `<span style="display:inline-block;width:8px;height:8px;border-radius:50%;background:${color};margin-right:6px"></span>`;
}
