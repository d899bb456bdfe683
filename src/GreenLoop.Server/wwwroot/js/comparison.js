// Year-on-year (同比) and period-on-period (环比) card: GET /api/v1/sites/{site}/comparison?period=&node=.
// Each value is the node's total of a carrier as GET .../energy answers it; a period without data shows "—" and no change.
import { t, getJson, sitePath, el, formatNumber, unitLabel, carrierLabel, formatPercent } from './common.js';

/** A change as "+12.3%" with a class saying up or down; "—" without one. */
function change(c) {
  if (!c || c.percent === null || c.percent === undefined) return el('span', { class: 'muted' }, t('common.none'));
  const sign = c.percent > 0 ? '+' : '';
  return el('span', { class: c.percent > 0 ? 'change up' : c.percent < 0 ? 'change down' : 'change' }, `${sign}${formatNumber(c.percent, 1)}%`);
}

function value(total, unit) {
  if (total.value === null || total.value === undefined) return el('span', { class: 'muted', title: t('compare.noData') }, t('common.none'));
  return el('span', { title: `${t('common.completeness')} ${formatPercent(total.completeness)}` }, `${formatNumber(total.value)} ${unitLabel(unit)}`);
}

function rows(list) {
  return list.map((r) => el('tr', { dataset: { carrier: r.carrier } },
    el('td', null, carrierLabel(r.carrier), r.perOutput ? el('span', { class: 'muted small' }, ` / ${carrierLabel(r.perOutput)}`) : null),
    el('td', { class: 'num' }, value(r.current, r.unit)),
    el('td', { class: 'num' }, value(r.previous, r.unit)),
    el('td', { class: 'num mom' }, change(r.mom)),
    el('td', { class: 'num' }, value(r.lastYear, r.unit)),
    el('td', { class: 'num yoy' }, change(r.yoy))));
}

/** Fills <paramref name="box"/> with the comparison of <paramref name="period"/> (yyyy-MM-dd, yyyy-MM or yyyy). */
export async function renderComparison(box, site, period, node) {
  const c = await getJson(sitePath(site, 'comparison'), node ? { period, node } : { period });
  const head = el('tr', null,
    el('th', null, t('col.carrier')), el('th', { class: 'num' }, c.period), el('th', { class: 'num' }, `${t('compare.previous')} ${c.previousPeriod}`),
    el('th', { class: 'num' }, t('compare.mom')), el('th', { class: 'num' }, `${t('compare.lastYear')} ${c.lastYearPeriod}`), el('th', { class: 'num' }, t('compare.yoy')));
  const all = [...c.rows, ...c.unitConsumption];
  box.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'data comparison-table' }, el('thead', null, head),
    el('tbody', null, all.length ? rows(all) : el('tr', null, el('td', { colspan: 6, class: 'empty' }, t('compare.none')))))));
}
