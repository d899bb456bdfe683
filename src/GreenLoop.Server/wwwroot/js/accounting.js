// Shared by the energy and carbon pages (and the factor library): units of accounting figures, exact factor values,
// badges, POST requests, the period picker with Excel export and period lock, and the lock card.
// Periods are the API's: a local month "2026-10" or a year "2026". The current month is the site's (from the
// overview's localDate), never the browser's.
import {
  ctx, t, getJson, sitePath, formatNumber, formatWall, unitLabel, carrierLabel, el, showMessage, ApiError, pageUrl,
  completenessBadge, displayName,
} from './common.js';

// ---------------------------------------------------------------------------------------------------------------
// Units and numbers

/** A unit of an accounting figure as written on screen: kgce/m2 -> kgce/m², tCO2e -> tCO₂e, 10^4Nm3 -> 10⁴Nm³. */
export function unitText(unit) {
  if (!unit) return '';
  const known = unitLabel(unit);
  if (known !== unit) return known;
  return unit
    .replace(/10\^4/g, '10⁴')
    .replace(/(N?m)3\b/g, '$1³')
    .replace(/\bm2\b/g, 'm²')
    .replace(/CO2/g, 'CO₂')
    .replace(/CH4/g, 'CH₄')
    .replace(/N2O/g, 'N₂O');
}

/**
 * A figure with its unit, about four significant figures (the convention of common.js formatNumber); intensities
 * (kgce/m², kgCO₂e/m²) below 100 keep three decimals, so a value next to a limit level is never rounded onto it;
 * tonnes (tce, tCO₂e) keep one decimal, as inventories are reported.
 */
export function qty(value, unit, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
  const d = digits ?? (String(unit ?? '').includes('/') && Math.abs(value) < 100 ? 3
    : (unit === 'tCO2e' || unit === 'tce') && Math.abs(value) >= 1 ? 1 : undefined);
  return `${formatNumber(value, d)} ${unitText(unit)}`.trim();
}

/** A reference value exactly as the data set has it (no rounding: 0.1229 stays 0.1229). */
export function exact(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
  return value.toLocaleString(ctx.lang, { maximumFractionDigits: 10 });
}

/** A reference value with its unit, exactly. */
export function exactQty(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
  return `${exact(value)} ${unitText(unit)}`.trim();
}

/**
 * A completeness badge that never rounds a gap up to 100 %: 0.9996 shows as 99.9 %, so an "estimated" figure is never
 * labelled complete.
 */
export function completeness(fraction) {
  const shown = Number.isFinite(fraction) && fraction < 1 ? Math.floor(fraction * 1000) / 1000 : fraction;
  const badgeNode = completenessBadge(shown);
  badgeNode.title = Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)}%` : '';
  return badgeNode;
}

/** kgce -> tce. */
export const toTce = (kgce) => kgce / 1000;

/** A big figure as separate number and unit elements (styled like the overview's KPIs). */
export function bigQuantity(value, unit, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return el('span', { class: 'kpi-value muted' }, t('common.none'));
  }
  return el('span', { class: 'kpi-value' },
    el('span', { class: 'number' }, formatNumber(value, digits)), ' ', el('span', { class: 'unit' }, unitText(unit)));
}

/** An API instant ("2026-11-23T16:00:00+00:00") as "2026-11-23 16:00 UTC" (the offset written when not UTC). */
export function formatInstant(iso) {
  if (!iso) return t('common.none');
  const m = /([+-]\d{2}:\d{2}|Z)$/.exec(iso);
  const zone = !m || m[1] === 'Z' || m[1] === '+00:00' ? 'UTC' : `UTC${m[1]}`;
  return `${formatWall(iso)} ${zone}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

/** Figure label in the page language; carrier keys inside labels become carrier names. */
export function figureLabel(figure) {
  const key = figure?.key ?? '';
  let m = /^energy\.(.+?)(\.export)?$/.exec(key);
  if (m && m[1] !== 'total' && m[1] !== 'unit') {
    return m[2] ? t('energy.exportLine', carrierLabel(m[1])) : carrierLabel(m[1]);
  }
  m = /^ghg\.scope1\.(combustion|process)\.(.+)$/.exec(key);
  if (m) return `${t(`source.${m[1]}`)}: ${carrierLabel(m[2])}`;
  m = /^ghg\.scope2\.(location|market|heat)\.(.+)$/.exec(key);
  if (m) {
    return m[1] === 'heat' ? `${t('source.heat')}: ${carrierLabel(m[2])}`
      : `${t('source.electricity')}: ${carrierLabel(m[2])} (${t(`basis.${m[1]}`)})`;
  }
  if (key === 'output') return t('energy.output');
  return (ctx.lang === 'zh-CN' ? figure?.labelZh || figure?.label : figure?.label || figure?.labelZh) || key;
}

/** Name of a reference row in the page language. */
export function factorName(f) {
  return (ctx.lang === 'zh-CN' ? f?.nameZh || f?.name || f?.nameEn : f?.name || f?.nameEn || f?.nameZh) || f?.id || '';
}

/** The standard or publication a reference value comes from, in the page's language. */
export function factorSource(f) {
  return (ctx.lang === 'zh-CN' ? f?.sourceZh || f?.source : f?.source || f?.sourceZh) || '';
}

// ---------------------------------------------------------------------------------------------------------------
// Badges

export function badge(kind, text, title) {
  return el('span', { class: `badge badge-${kind}`, title }, text);
}

export const unverifiedBadge = () => badge('unverified', t('badge.unverified'), t('badge.unverified.help'));
export const estimatedBadge = () => badge('estimated', t('badge.estimated'), t('badge.estimated.help'));
export const overrideBadge = () => badge('override', t('badge.override'), t('badge.override.help'));
export const deductedBadge = () => badge('deducted', t('badge.deducted'), t('badge.deducted.help'));

/** The badges a figure deserves: estimated inputs and UNVERIFIED factors (at any depth). */
export function figureBadges(figure) {
  return [figure?.estimated ? estimatedBadge() : null, figure?.usesUnverified ? unverifiedBadge() : null];
}

// ---------------------------------------------------------------------------------------------------------------
// Links

/** First and last local date of a period: 2026-10 -> 2026-10-01..2026-10-31; 2026 -> 2026-01-01..2026-12-31. */
export function periodDates(period) {
  if (/^\d{4}$/.test(period)) return { from: `${period}-01-01`, to: `${period}-12-31` };
  const [y, m] = period.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
}

/** The meter page showing a meter over a period (daily for a month, monthly for a year). */
export function meterUrl(site, meter, period) {
  const { from, to } = periodDates(period);
  const grain = /^\d{4}$/.test(period) ? 'month' : 'day';
  return `${pageUrl('sites', site, 'meters', meter)}?${new URLSearchParams({ grain, from, to })}`;
}

// ---------------------------------------------------------------------------------------------------------------
// API

/** POST JSON to the API; throws ApiError whose message is the server's own explanation (ProblemDetails detail). */
export async function postJson(path, body) {
  const url = new URL(ctx.api.replace(/\/$/, '') + path, window.location.origin);
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  } catch {
    throw new ApiError(0, t('error.network'));
  }
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch { /* not a ProblemDetails body */ }
    throw new ApiError(response.status, detail);
  }
  return response.status === 204 ? null : response.json();
}

// ---------------------------------------------------------------------------------------------------------------
// Period picker, export and lock (markup: Pages/Shared/_PeriodControls.cshtml and _LockCard.cshtml)

const RECENT_MONTHS = 36;
const RECENT_YEARS = 6;

export const isMonth = (p) => typeof p === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(p);
export const isYear = (p) => typeof p === 'string' && /^\d{4}$/.test(p);

/** The months (yyyy-MM) of a year up to and including the current month. */
export function monthsOf(year, currentMonth) {
  const months = [];
  for (let m = 1; m <= 12; m++) {
    const p = `${year}-${String(m).padStart(2, '0')}`;
    if (p > currentMonth) break;
    months.push(p);
  }
  return months;
}

function shiftMonth(period, n) {
  const [y, m] = period.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** "2026-10" -> "2026年10月" / "October 2026"; "2026" -> "2026年" / "2026". */
export function periodLabel(period) {
  if (isYear(period)) return t('period.yearLabel', period);
  if (!isMonth(period)) return period ?? t('common.none');
  const [y, m] = period.split('-').map(Number);
  const name = new Date(Date.UTC(y, m - 1, 1)).toLocaleString(ctx.lang, { month: 'long', timeZone: 'UTC' });
  return t('period.monthLabel', y, m, name);
}

/**
 * Wires the period form. onChange(period) runs when the user picks another period (the URL is updated first).
 * Returns { set(period) } to show a period chosen by the page.
 */
export function periodPicker(currentMonth, onChange) {
  const form = document.getElementById('period-form');
  const select = form.elements.period;
  let period = null;

  function fill(grain, selected) {
    const options = [];
    if (grain === 'year') {
      const y = Number(currentMonth.slice(0, 4));
      for (let i = 0; i < RECENT_YEARS; i++) options.push(String(y - i));
    } else {
      for (let i = 0; i < RECENT_MONTHS; i++) options.push(shiftMonth(currentMonth, -i));
    }
    if (selected && !options.includes(selected)) options.push(selected);
    options.sort().reverse();
    select.replaceChildren(...options.map((p) => el('option', { value: p, selected: p === selected }, periodLabel(p))));
  }

  function set(p) {
    period = p;
    const grain = isYear(p) ? 'year' : 'month';
    for (const radio of form.elements.grain) radio.checked = radio.value === grain;
    fill(grain, p);
    const q = new URLSearchParams(window.location.search);
    q.set('period', p);
    history.replaceState(null, '', `${window.location.pathname}?${q}`);
  }

  form.addEventListener('change', (event) => {
    if (event.target.name === 'grain') {
      // Month -> the month's year; year -> the latest month of that year that has begun.
      const next = event.target.value === 'year' ? period.slice(0, 4)
        : (period === currentMonth.slice(0, 4) ? currentMonth : `${period}-12` > currentMonth ? currentMonth : `${period}-12`);
      set(next);
      onChange(next);
    } else if (event.target.name === 'period') {
      set(select.value);
      onChange(select.value);
    }
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  return { set, get: () => period };
}

/** The period in the URL when it is a valid one, else null. */
export function periodFromUrl() {
  const p = new URLSearchParams(window.location.search).get('period');
  return isMonth(p) || isYear(p) ? p : null;
}

/**
 * The site's current local month and its name in the page language, from its overview (the browser's month if the
 * overview cannot be read; the reports carry only the site's English name).
 */
export async function siteToday() {
  try {
    const o = await getJson(sitePath(ctx.site, 'overview'));
    const name = displayName(o, '') || null;
    if (typeof o.localDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.localDate)) return { month: o.localDate.slice(0, 7), found: true, name };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { month: null, found: false };
  }
  const now = new Date();
  return { month: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`, found: true };
}

/** Points the Excel link at the report of the period (GET /api/v1/sites/{site}/reports/{report}.xlsx?period=). */
export function setExportLink(report, period) {
  const link = document.getElementById('export-link');
  const url = new URL(`${ctx.api.replace(/\/$/, '')}${sitePath(ctx.site, 'reports', `${report}.xlsx`)}`, window.location.origin);
  url.searchParams.set('period', period);
  link.href = url.pathname + url.search;
  link.setAttribute('download', `${ctx.site}-${report}-${period}.xlsx`);
}

/**
 * The lock button: a confirm dialog, then POST /sites/{site}/periods/{period}/lock. onLocked runs after a lock
 * succeeded; a refusal (already locked, bad period) shows the server's reason in the page message.
 */
export function lockButton(getPeriod, isCurrent, onLocked) {
  const button = document.getElementById('lock-button');
  const dialog = document.getElementById('lock-dialog');
  button.addEventListener('click', () => {
    const period = getPeriod();
    document.getElementById('lock-dialog-title').textContent = t('lock.confirmTitle', periodLabel(period));
    const warning = document.getElementById('lock-dialog-warning');
    warning.hidden = !isCurrent(period);
    warning.textContent = t('lock.inProgress');
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'lock') return;
    const period = getPeriod();
    button.disabled = true;
    try {
      await postJson(sitePath(ctx.site, 'periods', period, 'lock'), {});
      await onLocked(period);
    } catch (error) {
      showMessage(t('lock.failed', error.message), 'error');
      button.disabled = false;
    }
  });
}

/** Label of a figure key named by an adjustment. */
function adjustmentLabel(key) {
  const k = `figure.${key}`;
  const text = t(k);
  return text === k ? key : text;
}

/** Fills the lock facts, the lock card and the lock button from a report; returns true when locked. */
export function renderLock(report) {
  const lock = report.lock;
  const fact = document.getElementById('fact-lock');
  const status = document.getElementById('lock-status');
  const button = document.getElementById('lock-button');
  const adjustments = report.adjustments ?? [];
  if (lock) {
    fact.replaceChildren(badge('locked', t('lock.locked')));
    status.replaceChildren(
      badge('locked', t('lock.locked')), ' ',
      t('lock.lockedBy', formatInstant(lock.lockedAt), lock.by), ' ',
      el('span', { class: 'muted' }, t('lock.lockedFigures')));
  } else {
    fact.replaceChildren(badge('open', t('lock.open')));
    status.replaceChildren(badge('open', t('lock.open')), ' ', t('lock.openText'));
  }
  button.disabled = !!lock;
  button.textContent = lock ? t('lock.alreadyLocked') : t('lock.button');

  const rows = adjustments.map((a) => el('tr', null,
    el('td', null, adjustmentLabel(a.key)),
    el('td', { class: 'num' }, qty(a.locked, a.unit)),
    el('td', { class: 'num' }, qty(a.current, a.unit)),
    el('td', { class: `num ${a.difference > 0 ? 'delta-up' : 'delta-down'}` }, `${a.difference > 0 ? '+' : ''}${qty(a.difference, a.unit)}`)));
  const empty = lock ? t('lock.noAdjustments') : t('lock.notLockedNoAdjustments');
  document.getElementById('adjustment-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: 4, class: 'empty' }, empty))]));

  const notice = document.getElementById('notice');
  if (lock && adjustments.length) {
    notice.hidden = false;
    notice.replaceChildren(el('span', null, t('lock.adjustmentsNotice', adjustments.length)), ' ',
      el('a', { href: '#lock-card' }, t('lock.seeAdjustments')));
  } else {
    notice.hidden = true;
  }
  return !!lock;
}

/** The "not counted" table (carriers metered but left out, with the calculator's reason). */
export function renderNotCounted(items) {
  const card = document.getElementById('not-counted-card');
  const list = items ?? [];
  card.hidden = list.length === 0;
  document.getElementById('not-counted-rows').replaceChildren(...list.map((n) => el('tr', null,
    el('td', null, carrierLabel(n.carrier)),
    el('td', { class: 'num' }, qty(n.quantity, n.unit)),
    ctx.lang === 'zh-CN' && n.reasonZh
      ? el('td', { class: 'reason', lang: 'zh-CN' }, n.reasonZh)
      : el('td', { class: 'reason', lang: 'en' }, n.reason))));
}

/** A report page whose site does not exist: hide the content and the period form, point back to the overview. */
export function showSiteNotFound(content, form) {
  content.hidden = true;
  form.hidden = true;
  showMessage(t('error.siteNotFound', ctx.site), 'error', ' ', el('a', { href: pageUrl() }, t('nav.overview')));
}

/** A report that failed to load: 404 means the site is gone; anything else offers a retry. */
export function showReportError(error, content, form, retry) {
  if (error instanceof ApiError && error.status === 404) {
    showSiteNotFound(content, form);
    return;
  }
  content.hidden = true;
  showMessage(t('error.load', error.message), 'error', ' ',
    el('button', { type: 'button', class: 'button small', onclick: retry }, t('common.retry')));
}
