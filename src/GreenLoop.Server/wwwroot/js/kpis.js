// KPI board (/kpis?site=&period=): every KPI of the site against baseline and target with its status; one KPI's
// monthly trend and the terms behind its value; ready definitions to add; quantities to record with evidence.
// Data: GET /api/v1/sites/{site}/kpis?period=, /kpis/{key}/trend?year=, /api/v1/kpi-library, /quantities; PUT /kpis/{key};
// POST /quantities, PUT /quantities/{id}/evidence.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatNumber, completenessBadge, unitLabel, ApiError } from './common.js';
import { createChart, baseOption, valueAxis, colors } from './charts.js';

const view = document.getElementById('kpis');
const site = view.dataset.site;
const rowsBody = document.getElementById('kpi-rows');
const periodForm = document.getElementById('period-form');
const recordForm = document.getElementById('record-form');
let trendChart = null;
let board = null;

const params = new URLSearchParams(window.location.search);

function name(kpi) {
  return (ctx.lang === 'zh-CN' ? kpi.nameZh || kpi.name : kpi.name) || kpi.key;
}

function value(v, unit) {
  return v === null || v === undefined ? t('common.none') : `${formatNumber(v, Math.abs(v) >= 100 ? 1 : 4)} ${unitLabel(unit)}`;
}

function statusChip(status) {
  return el('span', { class: `kpi-status kpi-${status.status}${status.provisional ? ' provisional' : ''}`, title: ctx.lang === 'zh-CN' ? status.reasonZh : status.reason },
    t(`kpis.status.${status.status}`), status.provisional ? ` · ${t('kpis.provisional')}` : '');
}

function reasonOf(item) {
  return ctx.lang === 'zh-CN' ? item.reasonZh || item.reason : item.reason;
}

function renderBoard() {
  document.getElementById('fact-period').textContent = board.period;
  const count = (s) => board.kpis.filter((r) => r.status.status === s).length;
  document.getElementById('fact-on').textContent = String(count('onTrack'));
  document.getElementById('fact-risk').textContent = String(count('atRisk'));
  document.getElementById('fact-off').textContent = String(count('offTrack'));
  document.getElementById('export-link').href = `${ctx.api}${sitePath(site, 'kpis.xlsx')}?period=${encodeURIComponent(board.period)}`;
  const rows = board.kpis.map((r) => el('tr', { dataset: { key: r.kpi.key }, class: 'kpiboard-row' },
    el('td', null,
      el('button', { type: 'button', class: 'linkish', onclick: () => showDetail(r) }, name(r.kpi)),
      el('div', { class: 'muted' }, t(`kpis.area.${r.kpi.area}`), ' · ', t(r.kpi.direction === 'Lower' ? 'kpis.lower' : 'kpis.higher'))),
    el('td', { class: 'num' }, r.baseline ? [value(r.baseline.value, r.kpi.unit), el('div', { class: 'muted' }, r.baseline.period, r.baseline.entered ? ` · ${t('kpis.entered')}` : '')] : t('common.none')),
    el('td', { class: 'num' }, r.target ? [value(r.target.value, r.kpi.unit), el('div', { class: 'muted' }, r.target.period,
      r.target.changePercent !== null && r.target.changePercent !== undefined ? ` · ${formatNumber(r.target.changePercent, 1)} %` : '')] : t('common.none')),
    el('td', { class: 'num kpiboard-value' }, r.current.value === null
      ? el('span', { class: 'muted no-value', title: reasonOf(r.current) }, t('kpis.noValue'))
      : value(r.current.value, r.kpi.unit),
    r.current.value === null ? el('div', { class: 'muted small' }, reasonOf(r.current)) : null),
    el('td', null, statusChip(r.status), r.status.projection !== null && r.status.projection !== undefined
      ? el('div', { class: 'muted small' }, t('kpis.projection'), ' ', value(r.status.projection, r.kpi.unit)) : null),
    el('td', null, r.kpi.owner ? [r.kpi.owner.department, r.kpi.owner.person ? el('div', { class: 'muted' }, r.kpi.owner.person) : null] : t('common.none'))));
  rowsBody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 6, class: 'empty' }, t('kpis.none')))]));
}

async function showDetail(row) {
  const card = document.getElementById('detail-card');
  card.hidden = false;
  document.getElementById('detail-title').textContent = name(row.kpi);
  document.getElementById('detail-formula').textContent = `${t('kpis.formula')} ${row.kpi.formula}`;
  document.getElementById('term-rows').replaceChildren(...row.current.terms.map((term) => el('tr', null,
    el('td', null, el('code', null, term.call)),
    el('td', { class: 'num' }, term.value === null ? el('span', { class: 'muted' }, ctx.lang === 'zh-CN' ? term.reasonZh : term.reason) : value(term.value, term.unit)),
    el('td', null, term.value === null ? t('common.none') : completenessBadge(term.completeness)),
    el('td', null, ctx.lang === 'zh-CN' ? term.sourceZh : term.source))));
  const year = board.period.slice(0, 4);
  try {
    const trend = await getJson(sitePath(site, 'kpis', row.kpi.key, 'trend'), { year });
    trendChart ??= createChart('trend-chart');
    const months = trend.months.map((m) => m.period);
    const line = (label, v) => (v === null || v === undefined ? null : {
      name: label, type: 'line', data: months.map(() => v), symbol: 'none', lineStyle: { type: 'dashed' },
    });
    trendChart.setOption({
      ...baseOption(),
      legend: { top: 0 },
      xAxis: { type: 'category', data: months },
      yAxis: valueAxis(trend.kpi.unit),
      series: [
        { name: name(trend.kpi), type: 'bar', data: trend.months.map((m) => m.value), itemStyle: { color: colors.primary } },
        line(t('kpis.col.baseline'), trend.baseline),
        line(t('kpis.col.target'), trend.target),
      ].filter(Boolean),
    }, true);
  } catch (error) {
    showMessage(t('error.load', error.message));
  }
  card.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

async function loadBoard(period) {
  try {
    board = await getJson(sitePath(site, 'kpis'), { period });
    periodForm.elements.period.value = board.period;
    renderBoard();
  } catch (error) {
    showMessage(error instanceof ApiError && error.status === 404 ? t('error.siteNotFound', site) : t('error.load', error.message));
  }
}

/** Every site's board for the same period, when there is more than one site (needs read for every site; else hidden). */
async function loadGroup(period) {
  let boards;
  try {
    boards = await getJson('/kpis', { period });
  } catch {
    return;
  }
  const card = document.getElementById('group-card');
  card.hidden = boards.length < 2;
  if (card.hidden) return;
  const siteName = (b) => (ctx.lang === 'zh-CN' ? b.siteNameZh || b.siteName : b.siteName) || b.site;
  document.getElementById('group-rows').replaceChildren(...boards.flatMap((b) => b.kpis.map((r) => el('tr', { dataset: { site: b.site, key: r.kpi.key } },
    el('td', null, siteName(b)),
    el('td', null, name(r.kpi)),
    el('td', { class: 'num' }, r.current.value === null ? el('span', { class: 'muted', title: reasonOf(r.current) }, t('kpis.noValue')) : value(r.current.value, r.kpi.unit)),
    el('td', { class: 'num' }, r.target ? value(r.target.value, r.kpi.unit) : t('common.none')),
    el('td', null, statusChip(r.status))))));
}

async function loadLibrary() {
  const library = await getJson('/kpi-library');
  const keys = document.getElementById('quantity-keys');
  keys.replaceChildren(...library.kpis.flatMap((k) => k.needs).map((q) => el('option', { value: q.key }, ctx.lang === 'zh-CN' ? q.nameZh : q.name)));
  document.getElementById('library-list').replaceChildren(...library.kpis.map((k) => el('li', null,
    el('b', null, name(k.definition)), ' ', el('code', null, k.definition.formula),
    el('div', { class: 'muted small' }, ctx.lang === 'zh-CN' ? k.noteZh : k.note),
    el('button', { type: 'button', class: 'button small button-secondary', onclick: () => addFromLibrary(k.definition) }, t('kpis.add')))));
}

async function addFromLibrary(definition) {
  const response = await fetch(`${ctx.api}${sitePath(site, 'kpis', definition.key)}`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(definition),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const errors = problem.errors ? Object.entries(problem.errors).map(([f, r]) => `${f}: ${r.join('; ')}`).join(' · ') : problem.detail;
    showMessage(`${t('kpis.addFailed')} ${errors ?? response.status}`);
    return;
  }
  showMessage(t('kpis.added', name(definition)), 'info');
  await loadBoard(board?.period);
}

async function loadQuantities() {
  const list = await getJson(sitePath(site, 'quantities'));
  document.getElementById('quantity-rows').replaceChildren(...list.slice(0, 50).map((q) => el('tr', null,
    el('td', null, el('code', null, q.key), q.note ? el('div', { class: 'muted small' }, q.note) : null),
    el('td', { class: 'nowrap' }, q.from === q.to ? q.from : `${q.from} – ${q.to}`),
    el('td', { class: 'num' }, value(q.value, q.unit)),
    el('td', null, q.evidenceName ? el('a', { href: `${ctx.api}${sitePath(site, 'quantities', String(q.id), 'evidence')}` }, q.evidenceName) : t('common.none')),
    el('td', null, q.recordedBy))));
}

recordForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = recordForm.elements;
  const body = { key: f.key.value.trim(), period: f.period.value.trim(), value: Number(f.value.value), unit: f.unit.value.trim(), note: f.note.value.trim() || null };
  const response = await fetch(`${ctx.api}${sitePath(site, 'quantities')}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const errors = answer.errors ? Object.entries(answer.errors).map(([k, r]) => `${k}: ${r.join('; ')}`).join(' · ') : answer.detail;
    showMessage(`${t('kpis.recordFailed')} ${errors ?? response.status}`);
    return;
  }
  if (f.file.files.length) {
    const form = new FormData();
    form.append('file', f.file.files[0]);
    const upload = await fetch(`${ctx.api}${sitePath(site, 'quantities', String(answer.id), 'evidence')}`, { method: 'PUT', body: form });
    if (!upload.ok) showMessage(`${t('kpis.evidenceFailed')} HTTP ${upload.status}`);
  }
  recordForm.reset();
  showMessage(t('kpis.recorded', body.key), 'info');
  await Promise.all([loadQuantities(), loadBoard(board?.period)]);
});

periodForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const period = periodForm.elements.period.value.trim();
  const url = new URL(window.location.href);
  url.searchParams.set('period', period);
  window.history.replaceState(null, '', url);
  setBusy(view, true);
  await Promise.all([loadBoard(period), loadGroup(period)]);
  setBusy(view, false);
});

await Promise.all([loadBoard(params.get('period')), loadGroup(params.get('period')), loadLibrary().catch((e) => showMessage(t('error.load', e.message))), loadQuantities().catch(() => {})]);
setBusy(view, false);
