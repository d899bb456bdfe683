// Energy-flow page (/energy-flow?site=&from=&to=&unit=&node=&carrier=): the Sankey of a site or of one node's subtree
// from GET /api/v1/sites/{site}/energy-flow, the same flows as a table, each node's balance, the metering problems and,
// in standard coal, the coefficients used. from/to in the URL and the form are local dates, inclusive (the API's `to`
// is the day after); without them the API's default, this month so far, is shown. A click on a node with metered
// sub-nodes (in the chart, or its link in the table) drills into it (node=); the breadcrumb goes back up.
import {
  ctx, t, getJson, sitePath, carrierLabel, displayName, formatQuantity, formatPercent, completenessBadge, wallClock,
  dateMs, addDays, el, showMessage, setBusy, ApiError, pageUrl,
} from './common.js';
import { createChart, baseOption, colors, escapeHtml, dot } from './charts.js';

const view = document.getElementById('energy-flow');
const form = document.getElementById('controls');
const content = document.getElementById('content');
const chart = createChart('flow-chart');

/** One colour per carrier (the CSS uses the same for the overview's cards); others take the palette in turn. */
const carrierColors = {
  electricity: colors.primary, pv_electricity: '#2aa3b8', natural_gas: '#e0a526', fresh_water: colors.blue, water: colors.blue,
  steam: '#7c5cc4', heat: '#d1584a', compressed_air: '#8a96a3',
};
const remainderColor = '#9aa7b4';
const excessColor = '#d1443c';
const treeNodeColor = '#4a5866';

let state = null; // { from, to, unit, node, carrier }: from/to inclusive local dates or null (the API's default)
let report = null; // the last answer, kept to re-draw when only the carrier shown changes
let requestNumber = 0;

// ---------------------------------------------------------------------------------------------------------------
// State in the URL and the form

const isDate = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(dateMs(s));

function stateFromUrl() {
  const q = new URLSearchParams(window.location.search);
  return {
    from: isDate(q.get('from')) ? q.get('from') : null,
    to: isDate(q.get('to')) ? q.get('to') : null,
    unit: q.get('unit') === 'tce' ? 'tce' : 'energy',
    node: q.get('node') || null,
    carrier: q.get('carrier') || '',
  };
}

/** The page's URL for a state (the site kept as it came). */
function urlFor(s) {
  const q = new URLSearchParams(window.location.search);
  for (const [k, v] of [['from', s.from], ['to', s.to], ['node', s.node], ['carrier', s.unit === 'energy' ? s.carrier : '']]) {
    if (v) q.set(k, v); else q.delete(k);
  }
  if (s.unit === 'tce') q.set('unit', 'tce'); else q.delete('unit');
  const query = q.toString();
  return `${window.location.pathname}${query ? `?${query}` : ''}`;
}

function writeUrl(s, push) {
  const url = urlFor(s);
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}

function writeForm(s) {
  for (const radio of form.elements.unit) radio.checked = radio.value === s.unit;
  if (s.from) form.elements.from.value = s.from;
  if (s.to) form.elements.to.value = s.to;
  document.getElementById('carrier-field').hidden = s.unit === 'tce';
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const nodeName = (n) => displayName(n, n?.id ?? '');
const carrierColor = (carrier, i = 0) => carrierColors[carrier] ?? colors.palette[i % colors.palette.length];

function kindLabel(kind) {
  return t(`flow.kind.${kind}`);
}

/** The nodes and links shown: every carrier, or (per carrier) only the one chosen. */
function shown(r) {
  const pick = r.unit === 'energy' && state.carrier ? state.carrier : null;
  const links = r.links.filter((l) => !pick || l.carrier === pick);
  const ids = new Set(links.flatMap((l) => [l.source, l.target]));
  return { nodes: r.nodes.filter((n) => ids.has(n.id)), links, balances: r.balances.filter((b) => !pick || b.carrier === pick), pick };
}

/** Column of each node: carriers 0, the node drawn 1, each sub-node one further; a remainder right of its node, an excess left. */
function depths(nodes, links) {
  const depth = new Map();
  const out = new Map();
  for (const l of links) {
    if (!out.has(l.source)) out.set(l.source, []);
    out.get(l.source).push(l.target);
  }
  const queue = nodes.filter((n) => n.kind === 'carrier').map((n) => n.id);
  for (const id of queue) depth.set(id, 0);
  while (queue.length) {
    const id = queue.shift();
    for (const next of out.get(id) ?? []) {
      if (depth.has(next)) continue;
      depth.set(next, depth.get(id) + 1);
      queue.push(next);
    }
  }
  for (const l of links.filter((x) => x.kind === 'excess')) depth.set(l.source, Math.max(0, (depth.get(l.target) ?? 1) - 1));
  return depth;
}

function colorOf(n, i) {
  if (n.kind === 'remainder') return remainderColor;
  if (n.kind === 'excess') return excessColor;
  if (n.kind === 'carrier' || n.carrier) return carrierColor(n.carrier, i);
  return treeNodeColor;
}

function tooltip(byId) {
  return (p) => {
    if (p.dataType === 'edge') {
      const l = p.data.raw;
      const lines = [`<b>${escapeHtml(nodeName(byId.get(l.source)))} → ${escapeHtml(nodeName(byId.get(l.target)))}</b>`,
        `${dot(l.kind === 'remainder' ? remainderColor : l.kind === 'excess' ? excessColor : carrierColor(l.carrier))}${escapeHtml(carrierLabel(l.carrier))}: `
          + `<b>${escapeHtml(formatQuantity(l.value, l.unit))}</b>`
          + (l.unit !== l.quantityUnit ? ` (${escapeHtml(formatQuantity(l.quantity, l.quantityUnit))})` : ''),
        `${escapeHtml(kindLabel(l.kind))} · ${escapeHtml(t('flow.completenessOf', formatPercent(l.completeness)))}`];
      return lines.join('<br>');
    }
    const n = p.data.raw;
    return [`<b>${escapeHtml(nodeName(n))}</b>`,
      `${dot(colorOf(n))}${escapeHtml(n.carrier ? carrierLabel(n.carrier) : t('flow.unit.tce'))}: <b>${escapeHtml(formatQuantity(n.value, n.unit))}</b>`,
      escapeHtml(t('flow.completenessOf', formatPercent(n.completeness))),
      n.drill ? `<i>${escapeHtml(t('flow.drillTo', nodeName(n)))}</i>` : ''].filter(Boolean).join('<br>');
  };
}

function renderChart(r, s) {
  // The chart may have been hidden until now: take its size before laying the labels out on it.
  chart.resize();
  const byId = new Map(r.nodes.map((n) => [n.id, n]));
  const depth = depths(s.nodes, s.links);
  const maxDepth = Math.max(0, ...depth.values());
  const width = chart.getWidth();
  const narrow = width < 600;
  // Small nodes are drawn a gap apart and their two-line labels must not overlap: the chart grows with its fullest column.
  const gap = narrow ? 22 : 26;
  const perColumn = new Map();
  for (const d of depth.values()) perColumn.set(d, (perColumn.get(d) ?? 0) + 1);
  const height = Math.max(narrow ? 420 : 480, Math.round(Math.max(0, ...perColumn.values()) * (gap + 8) + 240));
  const dom = document.getElementById('flow-chart');
  if (dom.clientHeight !== height) {
    dom.style.height = `${height}px`;
    chart.resize();
  }
  // Each column's labels get the room up to the next column; the last column's sit left of their nodes.
  const labelWidth = Math.max(40, Math.floor(width / (maxDepth + 1)) - 26);
  const carriers = [...new Set(s.links.map((l) => l.carrier))];
  const data = s.nodes.map((n) => ({
    name: n.id,
    depth: depth.get(n.id) ?? 0,
    value: n.value,
    raw: n,
    itemStyle: { color: colorOf(n, carriers.indexOf(n.carrier)), borderColor: n.kind === 'excess' ? excessColor : undefined },
    label: { position: (depth.get(n.id) ?? 0) >= maxDepth && maxDepth > 0 ? 'left' : 'right' },
  }));
  const links = s.links.map((l) => ({
    source: l.source,
    target: l.target,
    value: l.value,
    raw: l,
    lineStyle: {
      color: l.kind === 'remainder' ? remainderColor : l.kind === 'excess' ? excessColor : carrierColor(l.carrier, carriers.indexOf(l.carrier)),
      opacity: l.kind === 'excess' ? 0.55 : 0.32,
    },
  }));
  chart.setOption({
    ...baseOption(),
    tooltip: { ...baseOption().tooltip, trigger: 'item', formatter: tooltip(byId) },
    series: [{
      type: 'sankey',
      left: 8,
      right: 8,
      // Room for half a two-line label above the top node and below the bottom one.
      top: 18,
      bottom: 18,
      nodeAlign: 'left',
      nodeWidth: narrow ? 10 : 14,
      nodeGap: gap,
      draggable: false,
      layoutIterations: 32,
      emphasis: { focus: 'adjacency' },
      label: {
        color: colors.text,
        fontSize: narrow ? 10 : 12,
        lineHeight: narrow ? 12 : 14,
        width: labelWidth,
        overflow: 'truncate',
        formatter: (p) => `${nodeName(p.data.raw)}\n${formatQuantity(p.data.raw.value, p.data.raw.unit)}`,
      },
      lineStyle: { curveness: 0.5 },
      data,
      links,
    }],
    graphic: s.links.length ? [] : [{
      type: 'text', left: 'center', top: 'middle', style: { text: t('flow.noData'), fill: colors.muted, fontSize: 14 },
    }],
  }, { notMerge: true });
}

function drillLink(n) {
  return el('a', {
    class: 'drill-link', href: urlFor({ ...state, node: n.node }), title: t('flow.drillTo', nodeName(n)), dataset: { node: n.node },
    onclick: (event) => { event.preventDefault(); drill(n.node); },
  }, t('flow.drill'));
}

function renderFlows(r, s) {
  const byId = new Map(r.nodes.map((n) => [n.id, n]));
  document.getElementById('flow-table').classList.toggle('flow-table-hide-tce', r.unit !== 'tce');
  const rows = s.links.map((l) => {
    const target = byId.get(l.target);
    return el('tr', { class: l.kind === 'remainder' ? 'flow-remainder' : l.kind === 'excess' ? 'flow-excess' : null, dataset: { kind: l.kind, source: l.source, target: l.target } },
      el('td', null, nodeName(byId.get(l.source))),
      el('td', null, nodeName(target), target?.drill ? drillLink(target) : null),
      el('td', null, kindLabel(l.kind)),
      el('td', null, carrierLabel(l.carrier)),
      el('td', { class: 'num' }, formatQuantity(l.value, l.unit)),
      el('td', { class: 'num tce-only' }, formatQuantity(l.quantity, l.quantityUnit)),
      el('td', { class: 'num' }, completenessBadge(l.completeness)));
  });
  document.getElementById('flow-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('flow.noData')))]));
}

function renderBalances(r, s) {
  const nameOfKey = new Map(r.nodes.filter((n) => n.kind === 'node').map((n) => [n.node, nodeName(n)]));
  const rows = s.balances.map((b) => el('tr', { class: b.remainder < 0 ? 'flow-excess' : null, dataset: { node: b.node, carrier: b.carrier } },
    el('td', null, displayName(b, b.node)),
    el('td', null, carrierLabel(b.carrier)),
    el('td', { class: 'num' }, formatQuantity(b.inflow, b.unit)),
    el('td', { class: 'num' }, formatQuantity(b.outflow, b.unit)),
    el('td', { class: `num${b.remainder < 0 ? ' negative' : ''}` }, formatQuantity(b.remainder, b.unit)),
    el('td', { class: 'num' }, b.remainderPercent === null ? t('common.none') : formatQuantity(b.remainderPercent, 'pct', 1)),
    el('td', { class: 'num' }, completenessBadge(b.completeness)),
    el('td', null, (b.missingChildren ?? []).map((k) => nameOfKey.get(k) ?? k).join(ctx.lang === 'zh-CN' ? '、' : ', '))));
  document.getElementById('balance-rows').replaceChildren(
    ...(rows.length ? rows : [el('tr', null, el('td', { colspan: 8, class: 'empty' }, t('flow.noData')))]));
}

function renderProblems(r) {
  const items = r.problems.map((p) => el('li', { dataset: { kind: p.kind, node: p.node } }, ctx.lang === 'zh-CN' ? p.messageZh : p.message));
  document.getElementById('problems').replaceChildren(...(items.length ? items : [el('li', { class: 'problem-none' }, t('flow.noProblems'))]));
}

function renderCoefficients(r) {
  const card = document.getElementById('coefficients-card');
  card.hidden = r.unit !== 'tce';
  if (card.hidden) return;
  const rows = r.carriers.map((c) => {
    const f = c.coefficient;
    const coefficient = c.counted && f
      ? [el('span', { class: 'coef' }, `${formatQuantity(f.value, f.unit, 4)}${c.unitScale !== 1 ? ` × ${c.unitScale}` : ''}`), ' ',
        f.unverified ? el('span', { class: 'badge badge-unverified', title: t('badge.unverified.help') }, t('badge.unverified')) : null,
        f.override ? el('span', { class: 'badge badge-override', title: t('badge.override.help') }, t('badge.override')) : null,
        el('div', { class: 'factor-name' }, f.id)]
      : el('span', { class: 'reason' }, t('flow.notCounted', (ctx.lang === 'zh-CN' ? c.reasonZh : c.reason) ?? ''));
    const source = f ? `${(ctx.lang === 'zh-CN' ? f.sourceZh ?? f.source : f.source) ?? ''}${f.year ? ` · ${f.year}` : ''}` : '';
    return el('tr', { class: c.counted ? null : 'muted', dataset: { carrier: c.carrier } },
      el('td', null, carrierLabel(c.carrier)),
      el('td', { class: 'num' }, formatQuantity(c.quantity, c.unit)),
      el('td', null, coefficient),
      el('td', { class: 'source' }, el('span', { class: 'source-text' }, source)));
  });
  document.getElementById('coefficient-rows').replaceChildren(...rows);
}

function renderPath(r) {
  const nav = document.getElementById('flow-path');
  const items = [];
  r.path.forEach((p, i) => {
    if (i > 0) items.push(el('span', { class: 'sep', 'aria-hidden': 'true' }, '›'));
    const name = displayName(p, p.node);
    if (i === r.path.length - 1) {
      items.push(el('span', { 'aria-current': 'page' }, name));
    } else {
      const node = i === 0 ? null : p.node;
      items.push(el('a', { href: urlFor({ ...state, node }), dataset: { node: p.node }, onclick: (event) => { event.preventDefault(); drill(node); } }, name));
    }
  });
  nav.replaceChildren(...items);
}

function renderCarrierChoice(r) {
  const select = form.elements.carrier;
  const carriers = [...new Set(r.links.map((l) => l.carrier))];
  select.replaceChildren(el('option', { value: '' }, t('flow.allCarriers')),
    ...carriers.map((c) => el('option', { value: c, selected: c === state.carrier }, carrierLabel(c))));
  if (state.carrier && !carriers.includes(state.carrier)) select.value = '';
}

function render() {
  const r = report;
  const s = shown(r);
  document.getElementById('chart-note').textContent = t(r.unit === 'tce' ? 'flow.chartNoteTce' : 'flow.chartNoteEnergy');
  renderChart(r, s);
  renderFlows(r, s);
  renderBalances(r, s);
  renderProblems(r);
  renderCoefficients(r);
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

function notFound() {
  content.hidden = true;
  document.getElementById('flow-path').replaceChildren();
  if (state.node) {
    showMessage(t('flow.nodeNotFound', ctx.site, state.node), 'error', ' ',
      el('a', { href: urlFor({ ...state, node: null }), onclick: (event) => { event.preventDefault(); drill(null); } }, t('flow.title')));
  } else {
    form.hidden = true;
    showMessage(t('error.siteNotFound', ctx.site), 'error', ' ', el('a', { href: pageUrl() }, t('nav.overview')));
  }
}

async function load() {
  const number = ++requestNumber;
  const s = state;
  setBusy(view, true);
  try {
    const answer = await getJson(sitePath(ctx.site, 'energy-flow'), {
      from: s.from, to: s.to ? addDays(s.to, 1) : null, unit: s.unit, node: s.node,
    });
    if (number !== requestNumber) return;
    report = answer;
    const from = wallClock(answer.from)?.date;
    const to = addDays(wallClock(answer.to)?.date, -1);
    if (!s.from) form.elements.from.value = from;
    if (!s.to) form.elements.to.value = to;
    document.getElementById('site-name').textContent = displayName({ name: answer.siteName, nameZh: answer.siteNameZh }, answer.site);
    document.getElementById('fact-period').textContent = `${from} – ${to}`;
    document.getElementById('fact-completeness').replaceChildren(answer.hasData ? completenessBadge(answer.completeness) : t('common.none'));
    document.getElementById('fact-dataset').textContent = answer.dataSet;
    document.title = `${t('flow.title')} · ${displayName(answer.path.at(-1), answer.node)} · ${t('app.name')}`;
    content.hidden = false;
    showMessage(answer.hasData ? null : t('flow.noData'), 'info');
    renderPath(answer);
    renderCarrierChoice(answer);
    render();
  } catch (error) {
    if (number !== requestNumber) return;
    if (error instanceof ApiError && error.status === 404) {
      notFound();
    } else {
      showMessage(t('error.load', error.message), 'error', ' ',
        el('button', { type: 'button', class: 'button small', onclick: () => load() }, t('common.retry')));
    }
  } finally {
    if (number === requestNumber) setBusy(view, false);
  }
}

/** Draws a node's subtree (null: the whole site); the browser's Back returns to the one before. */
function drill(node) {
  state = { ...state, node };
  writeUrl(state, true);
  load();
}

function apply(next) {
  if (next.from && next.to && next.from > next.to) {
    showMessage(t('error.badRange'), 'error');
    return;
  }
  state = next;
  writeForm(state);
  writeUrl(state, false);
  load();
}

form.addEventListener('change', (event) => {
  if (event.target.name === 'unit') apply({ ...state, unit: event.target.value });
  if (event.target.name === 'carrier') {
    state = { ...state, carrier: event.target.value };
    writeUrl(state, false);
    if (report) render();
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  if (!isDate(from) || !isDate(to)) return;
  apply({ ...state, from, to });
});

chart.on('click', (p) => {
  if (p.dataType === 'node' && p.data?.raw?.drill) drill(p.data.raw.node);
});

// Labels are as wide as the chart's columns: draw again when the chart's width changes (a phone turned, a window resized).
let drawnWidth = 0;
new ResizeObserver(() => {
  const width = document.getElementById('flow-chart').clientWidth;
  if (report && width > 0 && Math.abs(width - drawnWidth) > 8) {
    drawnWidth = width;
    renderChart(report, shown(report));
  }
}).observe(document.getElementById('flow-chart'));

window.addEventListener('popstate', () => {
  state = stateFromUrl();
  writeForm(state);
  load();
});

state = stateFromUrl();
writeForm(state);
load();
