// Drill-down lineage of an accounting figure (the API's Figure: key, label, value, unit, formula, activity, factors,
// parts, usesUnverified, completeness, estimated): a tree of <details> elements, one per figure, opened on click and
// expanded recursively down to the metered activity data (with links to the meters) and the reference factors.
import { ctx, t, carrierLabel, el, pageUrl } from './common.js';
import {
  qty, exactQty, figureLabel, factorName, factorSource, figureBadges, unverifiedBadge, overrideBadge, periodLabel, meterUrl,
  formatInstant, completeness,
} from './accounting.js';

/** Link to the factor library showing one reference row. */
function factorUrl(id) {
  const [kind, ...rest] = String(id).split('/');
  const q = new URLSearchParams({ kind, q: rest.join('/') });
  if (ctx.site !== 'demo') q.set('site', ctx.site);
  return `${pageUrl('factors')}?${q}`;
}

function activityTable(activity, site) {
  return el('table', { class: 'data lineage-data' },
    el('caption', null, t('lineage.activity')),
    el('thead', null, el('tr', null,
      el('th', null, t('col.carrier')),
      el('th', { class: 'num' }, t('col.quantity')),
      el('th', null, t('col.meters')),
      el('th', null, t('period.label')),
      el('th', { class: 'num' }, t('col.completeness')))),
    el('tbody', null, activity.map((a) => el('tr', null,
      el('td', null, carrierLabel(a.carrier)),
      el('td', { class: 'num' }, qty(a.quantity, a.unit)),
      el('td', null, (a.meters ?? []).length
        ? a.meters.map((m) => el('a', { class: 'meter-link', href: meterUrl(site, m, a.period) }, el('code', null, m)))
        : el('span', { class: 'muted' }, t('lineage.noMeters'))),
      el('td', { class: 'nowrap' }, periodLabel(a.period)),
      el('td', { class: 'num' }, completeness(a.completeness))))));
}

function factorTable(factors) {
  return el('table', { class: 'data lineage-data' },
    el('caption', null, t('lineage.factors')),
    el('thead', null, el('tr', null,
      el('th', null, t('col.factor')),
      el('th', { class: 'num' }, t('col.value')),
      el('th', null, t('col.source')),
      el('th', null, t('col.year')),
      el('th', null, t('report.dataSet')))),
    el('tbody', null, factors.map((f) => el('tr', { class: f.unverified ? 'unverified-row' : null },
      el('td', null,
        el('a', { href: factorUrl(f.id) }, el('code', null, f.id)),
        el('div', { class: 'factor-name' }, factorName(f), ' ', f.unverified ? unverifiedBadge() : null, f.override ? overrideBadge() : null)),
      el('td', { class: 'num' }, exactQty(f.value, f.unit)),
      el('td', { class: 'source' },
        f.override
          ? el('span', null, t('lineage.overrideBy', f.override.reason, f.override.by, formatInstant(f.override.at)))
          : factorSource(f)),
      el('td', { class: 'nowrap' }, f.year || t('common.none')),
      el('td', { class: 'nowrap' }, f.libraryVersion || t('common.none'))))));
}

/**
 * One figure as an expandable tree node. depth: how many levels start open (0: closed). Children are built when a
 * node is first opened, so a large inventory costs nothing until someone looks.
 */
export function figureTree(figure, site, depth = 0) {
  const node = el('details', { class: 'fig', dataset: { key: figure.key } });
  const summary = el('summary', null,
    el('span', { class: 'fig-label' }, figureLabel(figure)),
    el('span', { class: 'fig-value' }, qty(figure.value, figure.unit)),
    el('span', { class: 'fig-badges' }, figureBadges(figure)));
  node.append(summary);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    const body = el('div', { class: 'fig-body' });
    body.append(el('p', { class: 'fig-formula' }, el('span', { class: 'fig-term' }, t('lineage.formula')), ' ', el('code', null, (ctx.lang === 'zh-CN' ? figure.formulaZh || figure.formula : figure.formula) || t('common.none'))));
    const lowest = Number.isFinite(figure.completeness) ? figure.completeness : null;
    if (lowest !== null && ((figure.activity ?? []).length || (figure.parts ?? []).length)) {
      body.append(el('p', { class: 'fig-completeness' }, el('span', { class: 'fig-term' }, t('lineage.lowestCompleteness')), ' ', completeness(lowest)));
    }
    if ((figure.activity ?? []).length) body.append(activityTable(figure.activity, site));
    if ((figure.factors ?? []).length) body.append(factorTable(figure.factors));
    if ((figure.parts ?? []).length) {
      body.append(el('div', { class: 'fig-parts' },
        el('p', { class: 'fig-term' }, t('lineage.parts', figure.parts.length)),
        figure.parts.map((p) => figureTree(p, site, depth - 1))));
    }
    node.append(body);
  };
  node.addEventListener('toggle', () => { if (node.open) build(); });
  if (depth > 0) {
    build();
    node.open = true;
  }
  return node;
}

/**
 * A table row for a figure that expands, below itself, into the figure's lineage. Returns [row, detailRow].
 * The first cell gets the toggle button; clicking anywhere on the row toggles too.
 */
export function expandableRow(cells, figure, site, colspan, className) {
  const detail = el('tr', { class: 'lineage-row', hidden: true }, el('td', { colspan }));
  const toggle = el('button', {
    type: 'button', class: 'expander', 'aria-expanded': 'false', title: t('lineage.expand'),
  }, el('span', { class: 'visually-hidden' }, t('lineage.expand')));
  const row = el('tr', { class: `expandable ${className ?? ''}`.trim(), dataset: { key: figure.key } }, cells);
  row.firstChild.prepend(toggle);
  const flip = () => {
    const open = detail.hidden;
    if (open && !detail.firstChild.firstChild) detail.firstChild.append(figureTree(figure, site, 1));
    detail.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    row.classList.toggle('open', open);
  };
  row.addEventListener('click', (event) => {
    if (event.target.closest('a')) return; // meter and factor links keep working
    flip();
  });
  return [row, detail];
}
