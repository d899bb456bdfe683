// Shared helpers of the GreenLoop pages: page context, UI text, API access, number/time/unit formatting, DOM building.
// The server renders <body data-lang data-base data-api data-site> and <script id="ui-text"> (UiText as JSON);
// nothing here reads the browser's clock or time zone for site data: site-local wall times come from the API strings.

const body = document.body;

/** Page context rendered by the server. */
export const ctx = Object.freeze({
  lang: body.dataset.lang || 'en',
  base: body.dataset.base || '/',
  api: body.dataset.api || '/api/v1',
  site: body.dataset.site || 'demo',
});

// Changes made with the sign-in cookie must carry the page's anti-forgery token: every same-origin POST, PUT, PATCH
// and DELETE of every page script gets it here, in one place.
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content;
if (csrfToken && !window.fetch.greenloopCsrf) {
  const plainFetch = window.fetch.bind(window);
  const withToken = (input, init = {}) => {
    const method = String(init.method || (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && url.origin === window.location.origin) {
      const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
      headers.set('X-CSRF-TOKEN', csrfToken);
      return plainFetch(input, { ...init, headers });
    }
    return plainFetch(input, init);
  };
  withToken.greenloopCsrf = true;
  window.fetch = withToken;
}

const texts = JSON.parse(document.getElementById('ui-text')?.textContent || '{}');

/** UI text for a key, with {0}, {1}... replaced; an unknown key shows itself so a typo is visible, not blank. */
export function t(key, ...args) {
  const s = Object.hasOwn(texts, key) ? texts[key] : key;
  return args.length ? s.replace(/\{(\d+)\}/g, (m, i) => (args[i] ?? m)) : s;
}

/** Localised name of a carrier key; unknown carriers show the key with spaces. */
export function carrierLabel(carrier) {
  const key = `carrier.${carrier}`;
  return Object.hasOwn(texts, key) ? texts[key] : String(carrier ?? '').replaceAll('_', ' ');
}

export function kindLabel(kind) {
  const key = `kind.${kind}`;
  return Object.hasOwn(texts, key) ? texts[key] : String(kind ?? '');
}

export function flagLabel(flag) {
  const key = `flag.${flag}`;
  return Object.hasOwn(texts, key) ? texts[key] : String(flag ?? '');
}

/** Display name of an API object that has name/nameZh. */
export function displayName(item, fallback = '') {
  if (!item) return fallback;
  return (ctx.lang === 'zh-CN' ? item.nameZh || item.name : item.name || item.nameZh) || fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// API

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET a JSON document from the API; path is relative to /api/v1. Throws ApiError (status 0 = network). */
export async function getJson(path, params) {
  const url = new URL(ctx.api.replace(/\/$/, '') + path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, t('error.network'));
  }
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try {
      const problem = await response.json();
      const text = problem.detail || problem.title;
      if (text) detail += ` – ${text}`;
    } catch { /* not a ProblemDetails body */ }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

/** The API path of a site, with every segment escaped. */
export function sitePath(site, ...rest) {
  return ['/sites', site, ...rest].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

/** Link to a page of this UI (honours the app's path base). */
export function pageUrl(...segments) {
  return ctx.base.replace(/\/$/, '') + '/' + segments.map(encodeURIComponent).join('/');
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers and units

const unitLabels = {
  m3: 'm³', m2: 'm²', degC: '°C', 'mg/m3': 'mg/m³', 'Nm3': 'Nm³', 'm3/h': 'm³/h', 'Nm3/h': 'Nm³/h', pct: '%',
};

/** How a unit is written on screen (m3 -> m³, degC -> °C). */
export function unitLabel(unit) {
  return unitLabels[unit] ?? unit ?? '';
}

/** Fraction digits that keep about four significant figures without noise. */
function digitsFor(value) {
  const a = Math.abs(value);
  if (a >= 1000) return 0;
  if (a >= 100) return 1;
  if (a >= 1) return 2;
  return 3;
}

/** A number in the page language's convention (grouping, decimal mark). */
export function formatNumber(value, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
  const d = digits ?? digitsFor(value);
  return value.toLocaleString(ctx.lang, { minimumFractionDigits: 0, maximumFractionDigits: d });
}

/** A value with its unit: "81,234.5 kWh", "1,200 °C". */
export function formatQuantity(value, unit, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
  const u = unitLabel(unit);
  return u === '%' ? `${formatNumber(value, digits)}%` : `${formatNumber(value, digits)} ${u}`.trim();
}

/** A value and its unit as separate elements, for large figures with a small unit. */
export function quantityElement(value, unit, className) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return el('span', { class: `${className} muted` }, t('common.none'));
  }
  return el('span', { class: className }, el('span', { class: 'number' }, formatNumber(value)), ' ', el('span', { class: 'unit' }, unitLabel(unit)));
}

/** A 0..1 fraction as a percentage: 0.987 -> "98.7%". */
export function formatPercent(fraction, digits = 1) {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return t('common.none');
  return (fraction).toLocaleString(ctx.lang, { style: 'percent', maximumFractionDigits: digits });
}

/** CSS class for a completeness fraction: good (>= 95%), fair (>= 80%) or poor. */
export function completenessClass(fraction) {
  if (fraction === null || fraction === undefined) return 'poor';
  return fraction >= 0.95 ? 'good' : fraction >= 0.8 ? 'fair' : 'poor';
}

// ---------------------------------------------------------------------------------------------------------------
// Time. The API writes site-local instants with their offset ("2026-11-23T15:30:00+08:00"). The wall-clock part is
// what the site's people read, so the pages show it as written, whatever the browser's own time zone. For charts the
// wall clock is encoded as if it were UTC and the charts run with useUTC, which puts every point at its local time.

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?/;

/** The wall-clock parts of an ISO string: { date: "2026-11-23", time: "15:30", ms } (ms = wall clock as UTC). */
export function wallClock(iso) {
  const m = isoPattern.exec(iso || '');
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  return { date: `${y}-${mo}-${d}`, time: `${h}:${mi}`, ms: Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) };
}

/**
 * An instant (ISO, e.g. UTC "…Z") as the wall clock of a time zone (the site's, not the browser's): "2026-05-10 14:07";
 * without a zone, in UTC and marked so.
 */
export function formatInstant(iso, timeZone) {
  if (!iso) return t('common.none');
  try {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
      timeZone: timeZone || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${timeZone ? '' : ' UTC'}`;
  } catch {
    return iso;
  }
}

/** "2026-11-23 15:30" from an ISO string; the date is left out when it equals omitDate. */
export function formatWall(iso, omitDate) {
  const w = wallClock(iso);
  if (!w) return t('common.none');
  return w.date === omitDate ? w.time : `${w.date} ${w.time}`;
}

/** A period start shown at the precision of its grain. */
export function formatPeriod(iso, grain) {
  const w = wallClock(iso);
  if (!w) return t('common.none');
  if (grain === 'month') return w.date.slice(0, 7);
  if (grain === 'day') return w.date;
  return `${w.date} ${w.time}`;
}

/** Milliseconds (wall clock as UTC) of a local date "2026-11-23" at midnight. */
export function dateMs(date) {
  return wallClock(date).ms;
}

/** A local date string plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date, n) {
  const d = new Date(dateMs(date));
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A local date string plus n months, on the first of that month. */
export function addMonths(date, n) {
  const d = new Date(dateMs(date));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------------
// DOM

/** Builds an element; children are nodes or strings (always inserted as text, never as HTML). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Shows (or with text null, hides) the page's message banner; kind: info | error. */
export function showMessage(text, kind = 'error', ...extra) {
  const box = document.getElementById('message');
  if (!box) return;
  box.replaceChildren();
  box.hidden = !text;
  if (!text) return;
  box.className = `message message-${kind}`;
  box.append(el('span', null, text), ...extra);
}

/** A completeness cell: a small bar and the percentage. */
export function completenessBadge(fraction) {
  const pct = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) * 100 : 0;
  return el('span', { class: `completeness ${completenessClass(fraction)}` },
    el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { style: `width:${pct.toFixed(1)}%` })),
    el('span', { class: 'pct' }, formatPercent(fraction)));
}

/** Marks the view as loaded for assistive technology (and for UI tests waiting on it). */
export function setBusy(view, busy) {
  view?.setAttribute('aria-busy', busy ? 'true' : 'false');
}
