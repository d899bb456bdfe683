// Shared by the alarm, alarm-rule and channel pages: writes to the API with the person's name, ValidationProblem
// errors by path, severity and state labels, and the site's wall clock for the alarm API's UTC instants.
import { ctx, t, getJson, sitePath, ApiError } from './common.js';

const USER_KEY = 'greenloop.user';

/** The name the person gave (remembered in this browser), sent as X-GreenLoop-User until sign-in exists. */
export function userName() {
  try {
    return localStorage.getItem(USER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setUserName(name) {
  try {
    if (name) localStorage.setItem(USER_KEY, name);
    else localStorage.removeItem(USER_KEY);
  } catch { /* storage switched off: the name lasts for this page only */ }
}

/** Wires an <input> to the remembered name. */
export function bindUserField(input) {
  if (!input) return;
  input.value = userName();
  input.addEventListener('input', () => setUserName(input.value.trim()));
}

/** An API error with the ValidationProblem's errors (path -> reasons) when the server sent some. */
export class RequestError extends ApiError {
  constructor(status, message, errors) {
    super(status, message);
    this.errors = errors ?? {};
  }
}

/** POST / PUT / DELETE JSON to the API (path relative to /api/v1); null for 204. Throws RequestError. */
export async function send(method, path, body) {
  const url = new URL(ctx.api.replace(/\/$/, '') + path, window.location.origin);
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const name = userName();
  // Header values are ISO-8859-1: a Chinese name goes percent-encoded rather than making fetch throw.
  if (name) headers['X-GreenLoop-User'] = /^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new RequestError(0, t('error.network'));
  }
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    let errors;
    try {
      const problem = await response.json();
      errors = problem.errors;
      detail = problem.detail || problem.title || detail;
    } catch { /* not a ProblemDetails body */ }
    throw new RequestError(response.status, detail, errors);
  }
  return response.status === 204 ? null : response.json();
}

/** A known key's text, else the raw value. */
export function textOr(key, raw) {
  const s = t(key);
  return s === key ? String(raw ?? '') : s;
}

export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'];
export const STATES = ['active', 'acknowledged', 'clearedUnack', 'cleared'];

export const severityLabel = (s) => textOr(`live.severity.${s}`, s);
export const stateLabel = (s) => textOr(`live.state.${s}`, s);

/** The site document (time zone, nodes, meters); null when the site does not exist. */
export async function loadSite(site = ctx.site) {
  try {
    return await getJson(sitePath(site));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

// The alarm API writes instants in UTC; people read them on the site's wall clock, whatever the browser's zone.
const formatters = new Map();

function partsIn(zone, ms) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, wallMs: Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) };
}

/** "+08:00": the offset of a site clock's wall time from UTC. */
function offsetText(wallMs, ms) {
  const minutes = Math.round((wallMs - ms) / 60000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "2026-11-19 21:00 +08:00" on the site's clock, with its offset, for an API instant; "—" for none. */
export function siteTime(iso, zone) {
  if (!iso) return t('common.none');
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return t('common.none');
  if (!zone) return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} +00:00`;
  const p = partsIn(zone, ms);
  return `${p.date} ${p.time} ${offsetText(p.wallMs, Math.floor(ms / 1000) * 1000)}`;
}

/** The instant (ISO, UTC) at which the site's clock shows midnight of a local date "2026-11-19". */
export function siteMidnight(date, zone) {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  if (!zone) return new Date(wall).toISOString();
  // Two rounds find the offset in force at that wall time (one more than a daylight-saving change needs).
  let utc = wall;
  for (let i = 0; i < 2; i++) utc = wall - (partsIn(zone, utc).wallMs - utc);
  return new Date(utc).toISOString();
}

/** Tells the nav's open-alarm count (js/alarm-count.js) to count again. */
export function alarmsChanged() {
  document.dispatchEvent(new CustomEvent('greenloop:alarms-changed'));
}
