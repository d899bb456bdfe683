// Electricity cost page (/cost?site=&month=yyyy-MM): the month's two-part bill with every line (energy by tariff
// version and band, basic charge with the maximum demand and its interval, power-factor adjustment, funds), the
// completeness (a missing 15-minute interval is not billed), sources and UNVERIFIED values, the tariff's bands as
// 24-hour strips per season, and the site's electricity account, which a user with 'configure' can change here.
// Data: GET /api/v1/sites/{site}/electricity-bill?month=, GET /api/v1/tariffs/{key}, and for 'configure'
// GET /api/v1/tariffs, GET /api/v1/sites/{site} (its meters), PUT /api/v1/sites/{site}/electricity-account.
// Money is ¥ with two decimals; prices keep every digit the tariff gives.
import { ctx, t, getJson, sitePath, formatNumber, formatQuantity, formatPercent, displayName, el, showMessage, setBusy, ApiError } from './common.js';
import { createChart, baseOption, valueAxis, colors, escapeHtml, dot } from './charts.js';
import { periodLabel, completeness, unverifiedBadge, siteToday, showSiteNotFound, isMonth } from './accounting.js';

const view = document.getElementById('cost');
const site = view.dataset.site;
const canConfigure = view.dataset.canConfigure === 'true';
const content = document.getElementById('content');
const monthForm = document.getElementById('month-form');
const monthInput = document.getElementById('month-input');
const warning = document.getElementById('completeness-warning');
const setupCard = document.getElementById('setup-card');
const tariffCard = document.getElementById('tariff-card');
const accountCard = document.getElementById('account-card');
const accountForm = document.getElementById('account-form');
const bandChart = createChart('band-chart');

/** One colour per time-of-use band, the same in the chart, the table swatches and the 24-hour strips (css .tou-*). */
const bandColors = Object.freeze({
  CriticalPeak: '#a4161a', Peak: '#e0702a', Flat: '#2f6fd6', Valley: '#1f8a5b', DeepValley: '#2aa3b8',
});
const bandOrder = ['CriticalPeak', 'Peak', 'Flat', 'Valley', 'DeepValley'];

let currentMonth = null; // the site's local month, yyyy-MM
let month = null; // the month shown
let bill = null; // the last bill loaded (null: none)
let tariffs = null; // GET /tariffs, for the account form
let meters = []; // the site's meters, for the account form
let requestNumber = 0;
const tariffCache = new Map(); // key -> Promise of the tariff view

// ---------------------------------------------------------------------------------------------------------------
// Formatting

/** ¥ with two decimals: "¥12,345.67", "−¥1.20"; signed: "+¥…" for a surcharge. */
function money(value, signed = false) {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
  const text = Math.abs(value).toLocaleString(ctx.lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const sign = value < 0 ? '−' : signed && value > 0 ? '+' : '';
  return `${sign}¥${text}`;
}

/** A price with every digit the tariff gives (0.02766875 stays so) and its unit. */
function price(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
  return `${value.toLocaleString(ctx.lang, { maximumFractionDigits: 8 })} ${unit}`;
}

/**
 * A number in a table cell with its unit in a span that phones hide (the column header names the unit there, so
 * the amount column still fits a 390 px screen).
 */
function cell(text, unit) {
  if (text === t('common.none')) return text;
  return [text, el('span', { class: 'cell-unit' }, ` ${unit}`)];
}

const kwhCell = (value) => cell(formatNumber(value), 'kWh');
const priceCell = (value, unit) => cell(value === null || value === undefined || !Number.isFinite(value) ? t('common.none')
  : value.toLocaleString(ctx.lang, { maximumFractionDigits: 8 }), unit);

const kwh = (value) => formatQuantity(value, 'kWh');
const bandLabel = (band) => t(`cost.band.${band}`);
const swatch = (band) => el('span', { class: `swatch tou-${band}`, 'aria-hidden': 'true' });

/** "2025-06-20T10:15:00" (local) -> "2025-06-20 10:15–10:30": the 15-minute interval that starts there. */
function interval(localStart) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(localStart ?? '');
  if (!m) return t('common.none');
  const end = Number(m[2]) * 60 + Number(m[3]) + 15;
  const hhmm = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${m[1]} ${m[2]}:${m[3]}–${hhmm(end)}`;
}

function shiftMonth(p, n) {
  const [y, m] = p.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
}

function daysIn(p) {
  const [y, m] = p.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const fact = (label, value, id) => el('div', null, el('dt', null, label), el('dd', id ? { id } : null, value));

// ---------------------------------------------------------------------------------------------------------------
// The bill

function renderHead(b) {
  document.getElementById('fact-month').textContent = periodLabel(b.month);
  const name = ctx.lang === 'zh-CN' ? b.tariffNameZh || b.tariffName : b.tariffName;
  document.getElementById('fact-tariff').replaceChildren(el('a', { href: '#tariff-card' }, name));
  document.getElementById('fact-completeness').replaceChildren(completeness(b.completeness));
  document.title = `${t('cost.title')} · ${periodLabel(b.month)} · ${t('app.name')}`;
}

function stat(label, value, extra, id) {
  return el('div', { class: 'stat' },
    el('div', { class: 'stat-head' }, el('span', { class: 'stat-label' }, label)),
    el('span', { class: 'kpi-value', id }, value),
    extra ? el('div', { class: 'stat-extra' }, extra) : null);
}

function renderSummary(b) {
  const x = b.bill;
  const funds = x.surcharges.reduce((s, f) => s + f.amount, 0);
  document.getElementById('summary-note').textContent = t('cost.currency');
  document.getElementById('summary').replaceChildren(
    stat(t('cost.total'), money(x.total), null, 'total-amount'),
    el('dl', { class: 'cost-facts cost-breakdown' },
      fact(t('cost.energy'), money(x.energyCharge)),
      fact(t('cost.basic'), x.basic ? money(x.basic.amount) : t('cost.none')),
      fact(t('cost.pf'), x.powerFactor ? money(x.powerFactor.amount, true) : t('cost.pfNoneShort')),
      fact(t('cost.funds'), money(funds))),
    el('dl', { class: 'cost-facts' },
      fact(t('cost.kwh'), kwh(x.kwh), 'summary-kwh'),
      fact(t('cost.average'), x.kwh > 0 ? price(Math.round((x.total / x.kwh) * 10000) / 10000, '¥/kWh') : t('common.none'), 'summary-average'),
      fact(t('cost.peakShare'), formatPercent(x.peakShare), 'summary-peak')));
}

function renderBandChart(b) {
  const byBand = new Map();
  for (const l of b.bill.energy) {
    const s = byBand.get(l.band) ?? { kwh: 0, amount: 0 };
    byBand.set(l.band, { kwh: s.kwh + l.kwh, amount: s.amount + l.amount });
  }
  const bands = bandOrder.filter((band) => byBand.has(band));
  bandChart.setOption({
    ...baseOption(),
    grid: { left: 12, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      ...baseOption().tooltip,
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const p = params[0];
        const s = byBand.get(bands[p.dataIndex]);
        return `${dot(p.color)}<b>${escapeHtml(p.name)}</b><br>${escapeHtml(money(s.amount))} · ${escapeHtml(kwh(s.kwh))}`
          + `<br>${escapeHtml(t('cost.share'))}: ${escapeHtml(formatPercent(b.bill.kwh > 0 ? s.kwh / b.bill.kwh : null))}`;
      },
    },
    xAxis: {
      type: 'category',
      data: bands.map(bandLabel),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: colors.grid } },
      axisLabel: { color: colors.textSoft, interval: 0 },
    },
    yAxis: valueAxis('¥'),
    series: [{
      name: t('cost.col.amount'),
      type: 'bar',
      barMaxWidth: 48,
      data: bands.map((band) => ({ value: +byBand.get(band).amount.toFixed(2), itemStyle: { color: bandColors[band] } })),
    }],
  }, { notMerge: true });
}

/** The lines grouped by tariff version (a row naming the version, then its bands), so the table fits a phone. */
function renderEnergy(b) {
  const x = b.bill;
  const rows = [];
  let version = null;
  for (const l of x.energy) {
    if (l.validFrom !== version) {
      version = l.validFrom;
      rows.push(el('tr', { class: 'version-row' }, el('td', { colspan: 4 }, t('cost.versionFrom', version))));
    }
    rows.push(el('tr', { dataset: { band: l.band, version: l.validFrom } },
      el('td', { class: 'nowrap' }, swatch(l.band), ' ', bandLabel(l.band)),
      el('td', { class: 'num' }, kwhCell(l.kwh)),
      el('td', { class: 'num' }, priceCell(l.price, '¥/kWh')),
      el('td', { class: 'num' }, money(l.amount))));
  }
  document.getElementById('energy-rows').replaceChildren(...(rows.length ? rows
    : [el('tr', null, el('td', { colspan: 4, class: 'empty' }, t('cost.noEnergy')))]));
  document.getElementById('energy-total').replaceChildren(el('tr', { class: 'total-row' },
    el('td', null, t('cost.energyTotal')),
    el('td', { class: 'num' }, kwhCell(x.kwh)),
    el('td', { class: 'num' }, x.kwh > 0 ? priceCell(Math.round((x.energyCharge / x.kwh) * 10000) / 10000, '¥/kWh') : ''),
    el('td', { class: 'num', id: 'energy-charge' }, money(x.energyCharge))));
}

function basicRule(basic, account) {
  if (basic.basis === 'Capacity') return t('cost.rule.capacity');
  if (account.contractDemandKw === null || account.contractDemandKw === undefined) return t('cost.rule.demand');
  return basic.excessKw > 0 ? t('cost.rule.excess') : t('cost.rule.contract');
}

function renderBasic(b) {
  const c = b.bill.basic;
  const box = document.getElementById('basic');
  document.getElementById('basic-rule').textContent = c ? basicRule(c, b.account) : '';
  if (!c) {
    box.replaceChildren(el('p', { class: 'empty' }, t('cost.noBasic')));
    return;
  }
  const capacity = c.basis === 'Capacity';
  const unit = capacity ? t('cost.unit.kvaMonth') : t('cost.unit.kwMonth');
  const days = daysIn(b.month);
  box.replaceChildren(
    el('dl', { class: 'cost-facts' },
      fact(t('cost.a.basis'), t(`cost.basis.${c.basis}`)),
      c.maxDemandKw !== null && c.maxDemandKw !== undefined
        ? fact(t('cost.maxDemand'), formatQuantity(c.maxDemandKw, 'kW'), 'max-demand') : null,
      c.maxDemandAt ? fact(t('cost.maxDemandAt'), interval(c.maxDemandAt), 'max-demand-at') : null,
      b.account.contractDemandKw ? fact(t('cost.a.contract'), formatQuantity(b.account.contractDemandKw, 'kW')) : null,
      capacity && b.account.capacityKva ? fact(t('cost.a.capacity'), formatQuantity(b.account.capacityKva, 'kVA')) : null,
      fact(t('cost.quantity'), formatQuantity(c.quantity, capacity ? 'kVA' : 'kW')),
      c.excessKw > 0 ? fact(t('cost.excess'), [formatQuantity(c.excessKw, 'kW'), ' ', unverifiedBadge()], 'excess') : null),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
      el('thead', null, el('tr', null, el('th', null, t('cost.col.version')), el('th', { class: 'num' }, t('cost.col.unitPrice', unit)),
        el('th', { class: 'num' }, t('cost.col.days')), el('th', { class: 'num' }, t('cost.col.amount')))),
      el('tbody', { id: 'basic-parts' }, c.parts.map((p) => el('tr', null,
        el('td', { class: 'nowrap' }, p.validFrom),
        el('td', { class: 'num' }, priceCell(p.price, unit)),
        el('td', { class: 'num' }, t('cost.daysOf', p.days, days)),
        el('td', { class: 'num' }, money(p.amount))))),
      el('tfoot', null, el('tr', { class: 'total-row' }, el('td', { colspan: 3 }, t('cost.basic')), el('td', { class: 'num', id: 'basic-amount' }, money(c.amount)))))));
}

function renderPowerFactor(b) {
  const f = b.bill.powerFactor;
  const box = document.getElementById('power-factor');
  if (!f) {
    const reason = b.reactiveMeters.length === 0 ? t('cost.pfNoMeter') : t('cost.pfNoStandard');
    box.replaceChildren(el('p', { class: 'pf-none', id: 'pf-line' }, reason));
    return;
  }
  const percent = `${f.percent > 0 ? '+' : f.percent < 0 ? '−' : ''}${formatNumber(Math.abs(f.percent), 2)}%`;
  box.replaceChildren(
    el('p', { class: 'pf-line', id: 'pf-line' },
      t('cost.pfLine', f.billed.toFixed(2), f.standard.toFixed(2), percent, money(f.amount, true))),
    el('dl', { class: 'cost-facts' },
      fact(t('cost.pfActive'), kwh(f.activeKwh)),
      fact(t('cost.pfReactive'), formatQuantity(f.reactiveKvarh, 'kvarh')),
      fact(t('cost.pfCos'), f.powerFactor.toFixed(4)),
      fact(t('cost.pfBilled'), f.billed.toFixed(2), 'pf-billed'),
      fact(t('cost.pfStandard'), [f.standard.toFixed(2), b.unverified.some((u) => u.startsWith('power-factor table')) ? [' ', unverifiedBadge()] : null]),
      fact(t('cost.pfPercent'), percent, 'pf-percent'),
      fact(t('cost.pfBase'), money(f.base)),
      fact(t('cost.pf'), money(f.amount, true), 'pf-amount')));
}

function renderFunds(b) {
  const rows = b.bill.surcharges.map((s) => el('tr', null,
    el('td', { class: 'fund-name' }, displayName(s, s.name)),
    el('td', { class: 'num' }, kwhCell(s.kwh)),
    el('td', { class: 'num' }, priceCell(s.price, '¥/kWh')),
    el('td', { class: 'num' }, money(s.amount))));
  document.getElementById('fund-rows').replaceChildren(...(rows.length ? rows
    : [el('tr', null, el('td', { colspan: 4, class: 'empty' }, t('cost.noFunds')))]));
}

function renderCompleteness(b) {
  const missing = b.intervalsExpected - b.intervalsFound;
  const exact = `${(Math.floor(b.completeness * 10000) / 100).toFixed(2)}%`;
  document.getElementById('completeness').replaceChildren(
    el('dl', { class: 'cost-facts' },
      fact(t('cost.intervalsFound'), t('cost.intervalsOf', formatNumber(b.intervalsFound, 0), formatNumber(b.intervalsExpected, 0)), 'intervals'),
      fact(t('common.completeness'), completeness(b.completeness)),
      fact(t('cost.meters'), b.meters.join(', ')),
      fact(t('cost.reactiveMeters'), b.reactiveMeters.length ? b.reactiveMeters.join(', ') : t('cost.noneMeter'))),
    missing > 0 ? el('p', { class: 'cost-warning' }, missingText(b, missing, exact)) : el('p', { class: 'muted' }, t('cost.allIntervals')));
  warning.hidden = missing <= 0;
  warning.replaceChildren(missing > 0 ? missingText(b, missing, exact) : '');
}

/** Intervals not billed: missing data in a past month; in the month under way also the ones still to come. */
function missingText(b, missing, exact) {
  return b.month === currentMonth
    ? t('cost.monthUnderWay', formatNumber(b.intervalsFound, 0), formatNumber(b.intervalsExpected, 0), exact)
    : t('cost.missingWarning', formatNumber(missing, 0), exact);
}

function renderSources(b) {
  document.getElementById('unverified').replaceChildren(...(b.unverified.length
    ? b.unverified.map((u) => el('li', null, unverifiedBadge(), ' ', u))
    : [el('li', { class: 'muted' }, t('cost.noUnverified'))]));
  document.getElementById('sources').replaceChildren(...b.sources.map((s) => el('li', null, s)));
}

function render(b) {
  renderHead(b);
  renderSummary(b);
  renderBandChart(b);
  renderEnergy(b);
  renderBasic(b);
  renderPowerFactor(b);
  renderFunds(b);
  renderCompleteness(b);
  renderSources(b);
}

// ---------------------------------------------------------------------------------------------------------------
// The tariff: versions, prices, and each season's bands as a 24-hour strip

function minutes(hhmm) {
  if (hhmm === '24:00') return 1440;
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** [7, 8, 9] -> "7–9月" / "Jul–Sep"; [1, 2, 12] -> "1–2, 12月" / "Jan–Feb, Dec". */
function monthsLabel(months) {
  const sorted = [...months].sort((a, b) => a - b);
  const runs = [];
  for (const m of sorted) {
    const last = runs.at(-1);
    if (last && m === last[1] + 1) last[1] = m;
    else runs.push([m, m]);
  }
  const name = (m) => (ctx.lang === 'zh-CN' ? String(m) : new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' }));
  const text = runs.map(([a, b]) => (a === b ? name(a) : `${name(a)}–${name(b)}`)).join(', ');
  return ctx.lang === 'zh-CN' ? `${text}月` : text;
}

function seasonLabel(season, index, seasons) {
  const months = season.months?.length ? monthsLabel(season.months)
    : seasons.slice(0, index).some((s) => s.months?.length) ? t('cost.season.otherMonths') : t('cost.season.allMonths');
  const days = season.days === 'weekdays' ? t('cost.season.weekdays') : season.days === 'weekends' ? t('cost.season.weekends') : null;
  return days ? `${months} · ${days}` : months;
}

function strip(periods) {
  const sorted = [...periods].sort((a, b) => minutes(a.from) - minutes(b.from));
  return el('div', { class: 'tou-day' },
    el('div', { class: 'tou-strip', role: 'img', 'aria-label': sorted.map((p) => `${p.from}–${p.to} ${bandLabel(p.band)}`).join('; ') },
      sorted.map((p) => el('span', {
        class: `tou-seg tou-${p.band}`,
        style: `width:${(((minutes(p.to) - minutes(p.from)) / 1440) * 100).toFixed(4)}%`,
        title: `${p.from}–${p.to} ${bandLabel(p.band)}`,
        dataset: { band: p.band, from: p.from, to: p.to },
      }))),
    el('div', { class: 'tou-hours', 'aria-hidden': 'true' }, [0, 6, 12, 18, 24].map((h) => el('span', { style: `left:${(h / 24) * 100}%` }, String(h)))));
}

function renderVersion(version, inBill) {
  const prices = bandOrder.filter((band) => version.prices.some((p) => p.band === band));
  return el('article', { class: 'tariff-version', dataset: { validFrom: version.validFrom } },
    el('h3', { class: 'cost-h3' }, t('cost.versionFrom', version.validFrom), inBill ? [' ', el('span', { class: 'chip chip-pass' }, t('cost.inThisBill'))] : null),
    el('div', { class: 'tariff-grid' },
      el('div', { class: 'table-wrap' }, el('table', { class: 'data tariff-prices' },
        el('thead', null, el('tr', null, el('th', null, t('cost.col.band')), el('th', { class: 'num' }, t('cost.col.rate')))),
        el('tbody', null,
          prices.map((band) => el('tr', null, el('td', { class: 'nowrap' }, swatch(band), ' ', bandLabel(band)),
            el('td', { class: 'num' }, price(version.prices.find((p) => p.band === band).price, '¥/kWh')))),
          version.demandPrice !== null && version.demandPrice !== undefined
            ? el('tr', null, el('td', null, t('cost.demandPrice')), el('td', { class: 'num' }, price(version.demandPrice, t('cost.unit.kwMonth')))) : null,
          version.capacityPrice !== null && version.capacityPrice !== undefined
            ? el('tr', null, el('td', null, t('cost.capacityPrice')), el('td', { class: 'num' }, price(version.capacityPrice, t('cost.unit.kvaMonth')))) : null,
          (version.surcharges ?? []).map((s) => el('tr', null, el('td', null, displayName(s, s.name)), el('td', { class: 'num' }, price(s.price, '¥/kWh'))))))),
      el('div', { class: 'tou-seasons' },
        version.seasons.length === 0
          ? [el('p', { class: 'tou-season-label' }, t('cost.season.none')), strip([{ from: '00:00', to: '24:00', band: 'Flat' }])]
          : version.seasons.map((s, i) => el('div', { class: 'tou-season' }, el('p', { class: 'tou-season-label' }, seasonLabel(s, i, version.seasons)), strip(s.periods))))),
    el('p', { class: 'tariff-source' }, el('span', { class: 'muted' }, `${t('cost.source')}: `), version.source),
    version.unverified.length ? el('ul', { class: 'cost-list unverified-list' }, version.unverified.map((u) => el('li', null, unverifiedBadge(), ' ', u))) : null);
}

function tariffOf(key) {
  if (!tariffCache.has(key)) {
    const p = getJson(`/tariffs/${encodeURIComponent(key)}`);
    p.catch(() => tariffCache.delete(key));
    tariffCache.set(key, p);
  }
  return tariffCache.get(key);
}

async function renderTariff(key, b) {
  if (!key) {
    tariffCard.hidden = true;
    return;
  }
  let v;
  try {
    v = await tariffOf(key);
  } catch {
    // A user with read-park alone may not read tariffs: the bill still says which one it used.
    tariffCard.hidden = true;
    return;
  }
  const x = v.tariff;
  const used = new Set([...(b?.bill.energy ?? []).map((l) => l.validFrom), ...(b?.bill.basic?.parts ?? []).map((p) => p.validFrom)]);
  document.getElementById('tariff-title').textContent = `${t('cost.tariff')}: ${displayName(x, x.key)}`;
  document.getElementById('tariff-note').textContent = [x.key, x.region, x.voltageLevel, v.reference ? t('cost.reference') : t('cost.own')].filter(Boolean).join(' · ');
  const versions = [...x.versions].sort((a, c) => (a.validFrom < c.validFrom ? 1 : -1));
  document.getElementById('tariff').replaceChildren(
    el('p', { class: 'tou-legend' }, bandOrder.map((band) => el('span', { class: 'tou-legend-item' }, swatch(band), bandLabel(band)))),
    ...versions.map((version) => renderVersion(version, used.has(version.validFrom))));
  tariffCard.hidden = false;
}

// ---------------------------------------------------------------------------------------------------------------
// The account: shown to everyone; the form for 'configure'

function meterLabel(key) {
  const m = meters.find((x) => x.key === key);
  return m ? `${displayName(m, key)} (${key})` : key;
}

function renderAccountView(account) {
  const box = document.getElementById('account-view');
  if (!account) {
    box.replaceChildren(fact(t('cost.account'), t('cost.noAccount')));
    return;
  }
  const pf = account.powerFactorStandard === null || account.powerFactorStandard === undefined ? t('cost.a.pfNone') : account.powerFactorStandard.toFixed(2);
  box.replaceChildren(...[
    fact(t('cost.a.tariff'), account.tariff),
    fact(t('cost.a.basis'), t(`cost.basis.${account.basis}`)),
    account.capacityKva ? fact(t('cost.a.capacity'), formatQuantity(account.capacityKva, 'kVA')) : null,
    account.contractDemandKw ? fact(t('cost.a.contract'), formatQuantity(account.contractDemandKw, 'kW')) : null,
    fact(t('cost.a.pfStandard'), pf),
    fact(t('cost.a.activeMeters'), account.activeMeters.map(meterLabel).join(', ') || t('common.none')),
    fact(t('cost.a.reactiveMeters'), account.reactiveMeters.map(meterLabel).join(', ') || t('cost.noneMeter')),
  ].filter(Boolean));
}

function meterChecks(fieldset, unit, selected) {
  const legend = fieldset.querySelector('legend');
  const candidates = meters.filter((m) => String(m.unit).toLowerCase() === unit.toLowerCase() && m.kind !== 'Instantaneous');
  fieldset.replaceChildren(legend, ...(candidates.length
    ? candidates.map((m) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: fieldset.dataset.field, value: m.key, checked: selected.includes(m.key) }), ' ', meterLabel(m.key)))
    : [el('span', { class: 'muted small' }, t('cost.a.noMeters', unit))]));
}

function fillForm(account) {
  if (!accountForm) return;
  const f = accountForm.elements;
  const keys = (tariffs ?? []).map((v) => v.tariff.key);
  f.tariff.replaceChildren(...(tariffs ?? []).map((v) => el('option', { value: v.tariff.key },
    `${displayName(v.tariff, v.tariff.key)} (${v.tariff.key})${v.reference ? ` · ${t('cost.reference')}` : ''}`)));
  if (account && !keys.includes(account.tariff)) f.tariff.append(el('option', { value: account.tariff }, account.tariff));
  f.tariff.value = account?.tariff ?? keys[0] ?? '';
  f.basis.value = account?.basis ?? 'Demand';
  f.capacityKva.value = account?.capacityKva ?? '';
  f.contractDemandKw.value = account?.contractDemandKw ?? '';
  const pf = account ? account.powerFactorStandard : 0.9;
  f.powerFactorStandard.value = pf === null || pf === undefined ? '' : Number(pf).toFixed(2);
  meterChecks(document.getElementById('active-meters'), 'kWh', account?.activeMeters ?? []);
  meterChecks(document.getElementById('reactive-meters'), 'kvarh', account?.reactiveMeters ?? []);
  basisChanged();
}

/** Capacity is asked for by capacity, the contracted demand by demand. */
function basisChanged() {
  const basis = accountForm.elements.basis.value;
  accountForm.elements.capacityKva.closest('label').hidden = basis !== 'Capacity';
  accountForm.elements.contractDemandKw.closest('label').hidden = basis !== 'Demand';
}

function readForm() {
  const f = accountForm.elements;
  const number = (input) => (input.closest('label').hidden || input.value.trim() === '' ? null : Number(input.value));
  const checked = (name) => [...accountForm.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  return {
    tariff: f.tariff.value,
    basis: f.basis.value,
    capacityKva: number(f.capacityKva),
    contractDemandKw: number(f.contractDemandKw),
    powerFactorStandard: f.powerFactorStandard.value === '' ? null : Number(f.powerFactorStandard.value),
    activeMeters: checked('activeMeters'),
    reactiveMeters: checked('reactiveMeters'),
  };
}

function clearErrors() {
  for (const node of accountForm.querySelectorAll('.field-error')) node.remove();
  for (const node of accountForm.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  const box = document.getElementById('account-errors');
  box.hidden = true;
  box.replaceChildren();
}

/** The ValidationProblem's reasons next to the fields they name; anything else above the save button. */
function showErrors(errors, summary) {
  const rest = [];
  for (const [rawPath, raw] of Object.entries(errors ?? {})) {
    // ASP.NET writes binding errors with a "$." prefix; the validator writes plain field names.
    const path = rawPath.replace(/^\$\.?/, '');
    const reasons = [].concat(raw);
    const holder = accountForm.querySelector(`fieldset[data-field="${CSS.escape(path)}"]`)
      ?? accountForm.elements[path]?.closest?.('label');
    if (holder && !holder.hidden) {
      (holder.tagName === 'FIELDSET' ? holder : accountForm.elements[path]).setAttribute('aria-invalid', 'true');
      holder.append(el('div', { class: 'field-error', dataset: { errorFor: path } }, reasons.join('; ')));
    } else {
      rest.push(`${path || t('cost.a.form')}: ${reasons.join('; ')}`);
    }
  }
  const box = document.getElementById('account-errors');
  box.replaceChildren(el('div', null, summary), ...rest.map((r) => el('div', null, r)));
  box.hidden = false;
  (accountForm.querySelector('[aria-invalid]') ?? box).scrollIntoView({ block: 'center' });
}

async function saveAccount(event) {
  event.preventDefault();
  clearErrors();
  const status = document.getElementById('account-status');
  status.textContent = '';
  const button = document.getElementById('account-save');
  button.disabled = true;
  try {
    let response;
    try {
      response = await fetch(`${ctx.api}${sitePath(site, 'electricity-account')}`, {
        method: 'PUT', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(readForm()),
      });
    } catch {
      showErrors({}, t('cost.a.rejected', t('error.network')));
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      showErrors(answer.errors, t('cost.a.rejected', answer.title || answer.detail || `HTTP ${response.status}`));
      return;
    }
    status.textContent = t('cost.a.saved');
    await load();
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Month and loading

function setMonth(p) {
  month = p;
  monthInput.value = p;
  monthInput.max = currentMonth;
  document.getElementById('month-next').disabled = p >= currentMonth;
  const q = new URLSearchParams(window.location.search);
  q.set('month', p);
  history.replaceState(null, '', `${window.location.pathname}?${q}`);
  for (const [id, ext] of [['xlsx-link', 'xlsx'], ['csv-link', 'csv']]) {
    const link = document.getElementById(id);
    link.href = `${ctx.api}${sitePath(site, `electricity-bill.${ext}`)}?month=${encodeURIComponent(p)}`;
    link.setAttribute('download', `electricity-bill-${site}-${p}.${ext}`);
  }
}

async function load() {
  const number = ++requestNumber;
  setBusy(view, true);
  setMonth(month);
  try {
    let answer = null;
    let problem = null;
    try {
      answer = await getJson(sitePath(site, 'electricity-bill'), { month });
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 400)) throw error;
      problem = error;
    }
    if (number !== requestNumber) return;
    bill = answer;
    const noAccount = problem?.status === 404;
    showMessage(problem && !noAccount ? t('cost.cannotBill', problem.message) : null);
    setupCard.hidden = !noAccount;
    content.hidden = !bill;
    for (const link of monthForm.querySelectorAll('.controls-actions a')) link.hidden = !bill;
    if (bill) render(bill);
    else {
      warning.hidden = true;
      document.getElementById('fact-completeness').textContent = t('common.none');
      document.getElementById('fact-month').textContent = periodLabel(month);
    }
    // The account: from the bill when there is one; without a bill (a month the tariff does not cover) from the API.
    const account = bill?.account ?? (noAccount ? null : await getJson(sitePath(site, 'electricity-account')).catch(() => null));
    if (number !== requestNumber) return;
    if (!bill) document.getElementById('fact-tariff').textContent = account?.tariff ?? t('common.none');
    renderAccountView(account);
    accountCard.hidden = !account && !canConfigure;
    // Without an account the form comes first (right under the set-up steps); with one, the tariff does.
    if (account) tariffCard.after(accountCard);
    else tariffCard.before(accountCard);
    if (accountForm && !accountForm.dataset.filled) {
      fillForm(account);
      accountForm.dataset.filled = 'true';
    }
    await renderTariff(account?.tariff ?? accountForm?.elements.tariff.value, bill);
  } catch (error) {
    if (number !== requestNumber) return;
    content.hidden = true;
    showMessage(t('error.load', error.message), 'error', ' ', el('button', { type: 'button', class: 'button small', onclick: () => load() }, t('common.retry')));
  } finally {
    if (number === requestNumber) setBusy(view, false);
  }
}

function go(p) {
  if (!isMonth(p) || p > currentMonth) return;
  month = p;
  load();
}

async function start() {
  const today = await siteToday();
  if (!today.found) {
    showSiteNotFound(content, monthForm);
    setBusy(view, false);
    return;
  }
  currentMonth = today.month;
  const asked = new URLSearchParams(window.location.search).get('month');
  month = isMonth(asked) && asked <= currentMonth ? asked : currentMonth;
  document.getElementById('month-prev').addEventListener('click', () => go(shiftMonth(month, -1)));
  document.getElementById('month-next').addEventListener('click', () => go(shiftMonth(month, 1)));
  monthInput.addEventListener('change', () => go(monthInput.value));
  monthForm.addEventListener('submit', (event) => event.preventDefault());
  // The site's meters name the account's meters (reading them needs 'read'; without it the keys are shown), and the
  // tariffs fill the form; a failure leaves the page with what it has.
  [meters, tariffs] = await Promise.all([
    getJson(sitePath(site)).then((s) => s.meters ?? []).catch(() => []),
    accountForm ? getJson('/tariffs').catch(() => []) : null,
  ]);
  if (accountForm) {
    accountForm.addEventListener('submit', saveAccount);
    accountForm.elements.basis.addEventListener('change', basisChanged);
    accountForm.elements.tariff.addEventListener('change', () => { if (!bill) renderTariff(accountForm.elements.tariff.value, null); });
  }
  await load();
}

start();
