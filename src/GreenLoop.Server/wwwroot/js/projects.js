// Projects (/projects?site=&id=): the register of energy-saving and cleaner-production projects with each one's
// economics (ROI, payback, NPV, IRR, tCO2e avoided per year, abatement cost; the verified figures beside the planned
// once a baseline model has verified the savings), totals by state, planned against verified, the marginal abatement
// cost curve (a bar per project: width = tCO2e per year, height = ¥ per tCO2e, cheapest first); one project's detail:
// economics planned and verified, carbon terms with their factors, lines, state history and state changes, documents,
// the linked model and the M&V workbook; the form that registers a project (improve permission).
// Data: GET/POST /api/v1/sites/{site}/projects, GET /projects/portfolio, GET /projects/{id}, PUT /projects/{id}/state,
// POST /projects/{id}/documents, GET /projects/{id}/documents/{doc}, GET /projects/{id}/verification.xlsx,
// GET /mv-models, GET /api/v1/sites/{site}.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatNumber, unitLabel, carrierLabel, pageUrl, ApiError, formatInstant } from './common.js';
import { createChart, baseOption, valueAxis, colors, escapeHtml, dot } from './charts.js';

const view = document.getElementById('projects');
const site = view.dataset.site;
const states = ['Idea', 'Proposed', 'Approved', 'InProgress', 'Commissioned', 'Verified', 'Rejected'];
let macChart = null;
let siteDoc = null;
let models = [];

// ---------------------------------------------------------------------------------------------------------------
// Formatting: every figure with its unit.

const none = () => t('common.none');
const has = (v) => v !== null && v !== undefined && Number.isFinite(v);

function money(v) {
  return has(v) ? `${formatNumber(v)} ${t('unit.yuan')}` : none();
}

function perYear(v) {
  return has(v) ? `${formatNumber(v)} ${t('unit.yuanPerYear')}` : none();
}

function percent(v) {
  return has(v) ? `${formatNumber(v)}%` : none();
}

function years(v) {
  return has(v) ? `${formatNumber(v)} ${t('unit.years')}` : t('projects.noPayback');
}

function tonnes(v) {
  return has(v) ? `${formatNumber(v)} ${t('unit.tPerYear')}` : none();
}

function perTonne(v) {
  return has(v) ? `${formatNumber(v)} ${t('unit.yuanPerTonne')}` : none();
}

/** About four significant figures, for small factors such as tCO2e per kWh. */
function sig(v) {
  return has(v) ? v.toLocaleString(ctx.lang, { maximumSignificantDigits: 4 }) : none();
}

function irr(result) {
  if (!result) return none();
  if (result.kind === 'single' && has(result.rate)) return `${formatNumber(result.rate * 100)}%`;
  if (result.kind === 'multiple') {
    return el('span', { class: 'irr-note', title: result.rates.map((r) => `${formatNumber(r * 100)}%`).join(' · ') }, t('projects.irr.multiple'));
  }
  return el('span', { class: 'irr-note', title: t('projects.irr.noneHint') }, t('projects.irr.none'));
}

function title(p) {
  return (ctx.lang === 'zh-CN' ? p.titleZh || p.title : p.title || p.titleZh) || '';
}

function stateChip(state) {
  return el('span', { class: `project-state state-${state}` }, t(`projects.state.${state}`));
}

/** An instant (ISO, UTC) as the site's wall clock, "2026-05-10 14:07"; the site's zone, not the browser's. */
function local(iso) {
  return iso ? formatInstant(iso, siteDoc?.timeZone) : none();
}

function projectUrl(id) {
  const q = new URLSearchParams();
  if (site !== 'demo') q.set('site', site);
  if (id) q.set('id', String(id));
  const query = q.toString();
  return pageUrl('projects') + (query ? `?${query}` : '');
}

function modelUrl(id) {
  const q = new URLSearchParams();
  if (site !== 'demo') q.set('site', site);
  q.set('id', String(id));
  return `${pageUrl('models')}?${q}`;
}

function nodeName(key) {
  const node = siteDoc?.nodes?.find((n) => n.key === key);
  if (!node) return key ?? none();
  return (ctx.lang === 'zh-CN' ? node.nameZh || node.name : node.name) || key;
}

function priceUnit(project, carrier) {
  return project.prices.find((p) => p.carrier === carrier)?.unit ?? '';
}

async function send(method, path, body) {
  const response = await fetch(`${ctx.api}${path}`, {
    method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body ?? {}),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.errors ? Object.entries(answer.errors).map(([k, r]) => `${k}: ${r.join('; ')}`).join(' · ') : answer.detail || `HTTP ${response.status}`);
  }
  return answer;
}

// ---------------------------------------------------------------------------------------------------------------
// The register, totals and the MAC curve

function cell(key, planned, verified, format) {
  const main = verified ?? planned;
  return el('td', { class: 'num', dataset: { key } }, format(main[key]),
    verified ? el('div', { class: 'muted small' }, t('projects.plannedShort'), ' ', format(planned[key])) : null);
}

function renderList(list) {
  document.getElementById('fact-count').textContent = String(list.length);
  const rows = list.map((p) => {
    const e = p.verified ?? p.planned;
    return el('tr', { class: 'project-row', dataset: { id: p.id } },
      el('td', null, el('a', { href: projectUrl(p.id), class: 'project-link', onclick: (event) => openProject(event, p.id) }, title(p.project)),
        el('div', { class: 'muted small' }, t(`projects.category.${p.project.category}`), p.project.node ? ` · ${nodeName(p.project.node)}` : '')),
      el('td', null, stateChip(p.state)),
      el('td', null, p.project.owner),
      cell('investment', p.planned, p.verified, money),
      cell('annualBenefit', p.planned, p.verified, perYear),
      cell('roi', p.planned, p.verified, percent),
      cell('simplePayback', p.planned, p.verified, years),
      cell('npv', p.planned, p.verified, money),
      el('td', { class: 'num', dataset: { key: 'irr' } }, irr(e.irr)),
      cell('tonnesPerYear', p.planned, p.verified, tonnes),
      cell('abatementCost', p.planned, p.verified, perTonne),
      el('td', null, el('span', { class: `basis basis-${e.basis}` }, t(`projects.basis.${e.basis}`))));
  });
  document.getElementById('project-rows').replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 12, class: 'empty' }, t('projects.none')))]));
}

function renderPortfolio(portfolio, list) {
  document.getElementById('fact-planned').textContent = perYear(list.reduce((s, p) => s + p.planned.annualBenefit, 0));
  document.getElementById('fact-verified').textContent = perYear(portfolio.verifiedAnnualBenefit);
  document.getElementById('fact-tonnes').textContent = tonnes(portfolio.curve.reduce((s, b) => s + b.tonnesPerYear, 0));
  document.getElementById('total-rows').replaceChildren(...portfolio.totals.map((s) => el('tr', { dataset: { state: s.state } },
    el('td', null, stateChip(s.state)),
    el('td', { class: 'num' }, String(s.projects)),
    el('td', { class: 'num' }, money(s.investment)),
    el('td', { class: 'num' }, perYear(s.plannedAnnualBenefit)),
    el('td', { class: 'num' }, has(s.verifiedAnnualBenefit) ? perYear(s.verifiedAnnualBenefit) : none()))));
  const compare = (label, planned, verified, format) => el('tr', null, el('th', { scope: 'row' }, label),
    el('td', { class: 'num' }, el('div', { class: 'muted small' }, t('projects.planned')), format(planned)),
    el('td', { class: 'num' }, el('div', { class: 'muted small' }, t('projects.verified')), format(verified)));
  document.getElementById('compare-rows').replaceChildren(
    compare(t('projects.col.benefit'), portfolio.plannedAnnualBenefit, portfolio.verifiedAnnualBenefit, perYear),
    compare(t('projects.col.tonnes'), portfolio.plannedTonnes, portfolio.verifiedTonnes, tonnes));
  const left = portfolio.notOnCurve.map((id) => list.find((p) => p.id === id)).filter(Boolean);
  const note = document.getElementById('not-on-curve');
  note.hidden = left.length === 0;
  note.textContent = left.length ? t('projects.notOnCurve', left.map((p) => title(p.project)).join('、')) : '';
  renderMac(portfolio);
}

/** One rectangle per project: from its cumulative start to end on x, from 0 to its cost on y. */
function macBar(_params, api) {
  const a = api.coord([api.value(0), 0]);
  const b = api.coord([api.value(1), api.value(2)]);
  const x = Math.min(a[0], b[0]);
  const y = Math.min(a[1], b[1]);
  const verified = api.value(5) === 1;
  return {
    type: 'rect',
    shape: { x, y, width: Math.max(Math.abs(b[0] - a[0]) - 1, 1), height: Math.max(Math.abs(b[1] - a[1]), 1) },
    style: { fill: verified ? colors.primary : colors.blue, opacity: 0.85, stroke: '#fff', lineWidth: 1 },
  };
}

function renderMac(portfolio) {
  macChart ??= createChart('mac-chart');
  const data = portfolio.curve.map((b) => ({
    name: (ctx.lang === 'zh-CN' ? b.titleZh || b.title : b.title || b.titleZh) || String(b.project),
    // [start tCO2e/a, end tCO2e/a, ¥/tCO2e, tCO2e/a, project id, verified?]
    value: [b.cumulativeTonnes - b.tonnesPerYear, b.cumulativeTonnes, b.abatementCost, b.tonnesPerYear, b.project, b.basis === 'verified' ? 1 : 0],
  }));
  const base = baseOption();
  macChart.setOption({
    ...base,
    grid: { ...base.grid, bottom: 28 },
    tooltip: {
      ...base.tooltip,
      trigger: 'item',
      formatter: (p) => `${dot(p.value[5] ? colors.primary : colors.blue)}<b>${escapeHtml(p.name)}</b><br>`
        + `${escapeHtml(t('projects.col.tonnes'))}: ${escapeHtml(tonnes(p.value[3]))}<br>`
        + `${escapeHtml(t('projects.col.abatement'))}: ${escapeHtml(perTonne(p.value[2]))}<br>`
        + `${escapeHtml(t(p.value[5] ? 'projects.basis.verified' : 'projects.basis.planned'))}`,
    },
    xAxis: {
      ...valueAxis(''), min: 0, name: t('projects.macX'), nameLocation: 'middle', nameGap: 24,
      nameTextStyle: { color: colors.textSoft }, splitLine: { show: false },
    },
    yAxis: valueAxis(t('unit.yuanPerTonne')),
    series: [{
      name: t('projects.mac'), type: 'custom', renderItem: macBar, encode: { x: [0, 1], y: 2, tooltip: [3, 2] }, data,
    }],
  }, true);
}

// ---------------------------------------------------------------------------------------------------------------
// One project

function fact(label, value) {
  return el('div', null, el('dt', null, label), el('dd', null, value));
}

const economicsRows = [
  ['investment', 'projects.col.investment', money],
  ['annualBenefit', 'projects.col.benefit', perYear],
  ['annualRunningCost', 'projects.col.running', perYear],
  ['annualNetBenefit', 'projects.col.net', perYear],
  ['roi', 'projects.col.roi', percent],
  ['simplePayback', 'projects.col.payback', years],
  ['discountedPayback', 'projects.col.discountedPayback', years],
  ['npv', 'projects.col.npv', money],
  ['irr', 'projects.col.irr', null],
  ['tonnesPerYear', 'projects.col.tonnes', tonnes],
  ['abatementCost', 'projects.col.abatement', perTonne],
];

function renderEconomics(p) {
  const rate = `${formatNumber(p.project.discountRate * 100)}%`;
  document.getElementById('economics-rows').replaceChildren(...economicsRows.map(([key, label, format]) => el('tr', { dataset: { key } },
    el('th', { scope: 'row' }, t(label), key === 'npv' || key === 'discountedPayback' ? el('div', { class: 'muted small' }, t('projects.atRate', rate, p.project.lifeYears)) : null),
    el('td', { class: 'num planned' }, format ? format(p.planned[key]) : irr(p.planned.irr)),
    el('td', { class: 'num verified' }, p.verified ? (format ? format(p.verified[key]) : irr(p.verified.irr)) : none()))));
}

function renderCarbon(p) {
  const rows = [p.planned, p.verified].filter(Boolean).flatMap((e) => e.carbon.map((c) => el('tr', { dataset: { basis: e.basis, carrier: c.carrier } },
    el('td', null, carrierLabel(c.carrier)),
    el('td', null, t(`projects.basis.${e.basis}`)),
    el('td', { class: 'num' }, `${formatNumber(c.annualEnergy)} ${unitLabel(c.unit || priceUnit(p.project, c.carrier))}${t('unit.perYearSuffix')}`),
    el('td', { class: 'num' }, has(c.intensity) ? `${sig(c.intensity)} tCO₂e/${unitLabel(c.unit)}` : none()),
    el('td', { class: 'num' }, has(c.tonnes) ? tonnes(c.tonnes) : el('span', { class: 'muted' }, ctx.lang === 'zh-CN' ? c.reasonZh || c.reason : c.reason)),
    el('td', { class: 'small' }, ctx.lang === 'zh-CN' ? c.sourceZh || c.source : c.source),
    el('td', { class: 'small' }, c.factors.length ? el('ul', { class: 'factor-list' }, c.factors.map((f) => el('li', null,
      el('b', null, ctx.lang === 'zh-CN' ? f.nameZh || f.name : f.name), ' ', `${sig(f.value)} ${unitLabel(f.unit)}`,
      el('div', { class: 'muted' }, ctx.lang === 'zh-CN' ? f.sourceZh || f.source : f.source, f.year ? ` · ${f.year}` : ''),
      f.unverified ? el('span', { class: 'badge badge-unverified', title: t('badge.unverified.help') }, t('badge.unverified')) : null))) : none()))));
  document.getElementById('carbon-rows').replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('projects.noCarbon')))]));
}

function renderLines(p) {
  const e = p.verified ?? p.planned;
  const rows = [
    ...p.project.investment.map((l) => el('tr', null, el('td', null, t('projects.line.investment')), el('td', null, t(`projects.cost.${l.category}`)),
      el('td', { class: 'num' }, money(l.amount)), el('td', { class: 'small' }, l.description ?? ''))),
    ...e.benefits.map((l) => el('tr', null, el('td', null, t('projects.line.benefit')), el('td', null, t(`projects.benefit.${l.category}`)),
      el('td', { class: 'num' }, perYear(l.annualAmount),
        has(l.annualEnergy) ? el('div', { class: 'muted small' }, `${formatNumber(l.annualEnergy)} ${unitLabel(priceUnit(p.project, l.carrier))}${t('unit.perYearSuffix')}`) : null),
      el('td', { class: 'small' }, l.carrier ? `${carrierLabel(l.carrier)} · ` : '', l.description ?? ''))),
    ...p.project.prices.map((l) => el('tr', null, el('td', null, t('projects.line.price')), el('td', null, carrierLabel(l.carrier)),
      el('td', { class: 'num' }, `${sig(l.price)} ${t('unit.yuan')}/${unitLabel(l.unit)}`), el('td', { class: 'small' }, l.source))),
  ];
  document.getElementById('line-rows').replaceChildren(...rows);
}

const events = [
  [/^registered from audit (\d+) option (\d+)$/, (m) => t('projects.ev.fromAudit', m[1], m[2])],
  [/^registered$/, () => t('projects.ev.registered')],
  [/^record changed$/, () => t('projects.ev.changed')],
  [/^note$/, () => t('projects.ev.note')],
  [/^state (\w+) -> (\w+)$/, (m) => t('projects.ev.state', t(`projects.state.${m[1]}`), t(`projects.state.${m[2]}`))],
  [/^model (\d+)$/, (m) => t('projects.ev.model', m[1])],
  [/^verified: ([-\d.]+) (\S+) per year by model (\d+)$/, (m) => t('projects.ev.verified', formatNumber(Number(m[1])), `${unitLabel(m[2])}${t('unit.perYearSuffix')}`, m[3])],
];

/** A history entry's "what" in the UI language ("state Commissioned -> Verified; model 1" → "状态 已投运 → 已验证；模型 1"). */
function what(text) {
  return text.split('; ').map((part) => {
    for (const [re, f] of events) {
      const m = re.exec(part);
      if (m) return f(m);
    }
    return part;
  }).join(ctx.lang === 'zh-CN' ? '；' : '; ');
}

function renderHistory(p) {
  document.getElementById('history-rows').replaceChildren(...p.history.map((h) => el('tr', { class: 'history-row' },
    el('td', { class: 'nowrap' }, local(h.at)), el('td', null, h.by), el('td', null, what(h.what)), el('td', null, h.note ?? ''))));
  const form = document.getElementById('state-form');
  if (!form) return;
  form.elements.state.replaceChildren(...states.map((s) => el('option', { value: s, selected: s === p.state }, t(`projects.state.${s}`))));
  form.elements.modelId.replaceChildren(el('option', { value: '' }, '—'), ...models.map((m) => el('option', { value: String(m.id), selected: m.id === p.modelId },
    `#${m.id} ${(ctx.lang === 'zh-CN' ? m.spec.nameZh || m.spec.name : m.spec.name) || ''}`)));
  form.dataset.id = String(p.id);
}

function renderVerification(p) {
  const box = document.getElementById('verification');
  const link = document.getElementById('model-link');
  link.hidden = !p.modelId;
  if (p.modelId) link.href = modelUrl(p.modelId);
  document.getElementById('workbook-link').href = `${ctx.api}${sitePath(site, 'projects', String(p.id), 'verification.xlsx')}`;
  const v = p.verification;
  if (!v) {
    box.replaceChildren(el('p', { class: 'muted' }, p.modelId ? t('projects.notVerifiedYet', p.modelId) : t('projects.noModel')));
    return;
  }
  const r = v.result;
  const unit = unitLabel(v.unit);
  box.replaceChildren(el('dl', { class: 'facts verification-facts' },
    fact(t('projects.model'), el('a', { href: modelUrl(v.modelId) }, `#${v.modelId} · IPMVP ${t('models.option', r.option)}`)),
    fact(t('models.reporting'), `${r.from} – ${r.to} (${t('models.days', r.days)})`),
    fact(t('models.savings'), has(r.savings) ? `${formatNumber(r.savings)} ${unit}` : none()),
    fact(t('models.savingsFraction'), has(r.savingsFraction) ? `${formatNumber(r.savingsFraction * 100)}%` : none()),
    fact(t('projects.annualEnergy'), `${formatNumber(v.annualEnergy)} ${unit}${t('unit.perYearSuffix')}`),
    fact(t('projects.annualMoney'), perYear(v.annualMoney)),
    fact(t('models.u68'), has(r.uncertainty68) ? `±${formatNumber(r.uncertainty68 * 100)}%` : none()),
    fact(t('models.u90'), has(r.uncertainty90) ? `±${formatNumber(r.uncertainty90 * 100)}%` : none()),
    fact(t('projects.verifiedBy'), `${v.verifiedBy} · ${local(v.verifiedAt)}`)),
  el('p', { class: 'muted small' }, t('models.method'), ' ', el('code', null, r.method)));
}

function renderDocuments(p) {
  const items = p.documents.map((d) => el('li', null,
    el('a', { href: `${ctx.api}${sitePath(site, 'projects', String(p.id), 'documents', String(d.id))}`, download: d.name }, d.name),
    el('span', { class: 'muted small' }, ` · ${formatNumber(d.bytes / 1024)} KB · ${d.uploadedBy} · ${local(d.uploadedAt)}`)));
  document.getElementById('document-list').replaceChildren(...(items.length ? items : [el('li', { class: 'muted' }, t('projects.noDocuments'))]));
}

async function showDetail(id) {
  const card = document.getElementById('detail-card');
  if (!id) {
    card.hidden = true;
    return;
  }
  let p;
  try {
    p = await getJson(sitePath(site, 'projects', String(id)));
  } catch (error) {
    card.hidden = true;
    showMessage(error instanceof ApiError && error.status === 404 ? t('projects.notFound', id) : t('error.load', error.message));
    return;
  }
  card.hidden = false;
  card.dataset.id = String(p.id);
  document.getElementById('detail-title').textContent = title(p.project);
  document.getElementById('detail-state').replaceChildren(stateChip(p.state));
  document.getElementById('back-to-list').href = projectUrl(null);
  const b = p.project;
  document.getElementById('detail-facts').replaceChildren(...[
    fact(t('col.category'), t(`projects.category.${b.category}`)),
    fact(t('reviews.col.owner'), b.owner),
    fact(t('projects.f.node'), b.node ? nodeName(b.node) : none()),
    fact(t('projects.startDate'), b.startDate ?? none()),
    fact(t('projects.commissionDate'), b.commissionDate ?? none()),
    fact(t('projects.f.life'), `${b.lifeYears} ${t('unit.years')}`),
    fact(t('projects.rate'), `${formatNumber(b.discountRate * 100)}%`),
    fact(t('projects.created'), `${p.createdBy} · ${local(p.createdAt)}`),
    b.workOrder ? fact(t('projects.workOrder'), el('a', { class: 'work-order-link', href: `${pageUrl('work-orders')}?${new URLSearchParams({ ...(site !== 'demo' ? { site } : {}), id: String(b.workOrder) })}` }, `#${b.workOrder}`)) : null].filter(Boolean));
  document.getElementById('detail-description').textContent = b.description ?? '';
  renderEconomics(p);
  renderCarbon(p);
  renderLines(p);
  renderHistory(p);
  renderVerification(p);
  renderDocuments(p);
}

async function openProject(event, id) {
  event.preventDefault();
  window.history.pushState(null, '', projectUrl(id));
  setBusy(view, true);
  await showDetail(id);
  setBusy(view, false);
  document.getElementById('detail-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

window.addEventListener('popstate', async () => {
  setBusy(view, true);
  await showDetail(new URLSearchParams(window.location.search).get('id'));
  setBusy(view, false);
});

async function loadList() {
  const [list, portfolio] = await Promise.all([getJson(sitePath(site, 'projects')), getJson(sitePath(site, 'projects', 'portfolio'))]);
  renderList(list);
  renderPortfolio(portfolio, list);
}

function currentId() {
  return Number(new URLSearchParams(window.location.search).get('id')) || null;
}

// ---------------------------------------------------------------------------------------------------------------
// Changes (improve permission)

document.getElementById('state-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const f = form.elements;
  try {
    await send('PUT', sitePath(site, 'projects', form.dataset.id, 'state'), {
      state: f.state.value, modelId: f.modelId.value ? Number(f.modelId.value) : null, note: f.note.value.trim() || null,
    });
    f.note.value = '';
    showMessage(t('projects.changed'), 'info');
    await Promise.all([showDetail(form.dataset.id), loadList()]);
  } catch (error) {
    showMessage(`${t('projects.changeFailed')} ${error.message}`);
  }
});

document.getElementById('document-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const id = document.getElementById('detail-card').dataset.id;
  if (!form.elements.file.files.length) return;
  const data = new FormData();
  data.append('file', form.elements.file.files[0]);
  const response = await fetch(`${ctx.api}${sitePath(site, 'projects', id, 'documents')}`, { method: 'POST', body: data });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    showMessage(`${t('projects.uploadFailed')} ${problem.detail || `HTTP ${response.status}`}`);
    return;
  }
  form.reset();
  showMessage(t('projects.uploaded'), 'info');
  await showDetail(id);
});

/** Lines of a textarea split at ";" (or "；"): one array of trimmed fields per non-empty line. */
function lines(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.split(/[;；]/).map((s) => s.trim()));
}

function number(text, what, line) {
  const v = Number(String(text).replace(/[,\s_]/g, ''));
  if (text === '' || !Number.isFinite(v)) throw new Error(t('projects.badLine', what, line.join('; ')));
  return v;
}

function body(f) {
  const investment = lines(f.investment.value).map((l) => ({ category: l[0], amount: number(l[1] ?? '', t('projects.f.investment'), l), description: l[2] || null }));
  const benefits = lines(f.benefits.value).map((l) => ({
    category: l[0],
    annualAmount: l[1] ? number(l[1], t('projects.f.benefits'), l) : null,
    carrier: l[2] || null,
    annualEnergy: l[3] ? number(l[3], t('projects.f.benefits'), l) : null,
    description: l[4] || null,
  }));
  const prices = lines(f.prices.value).map((l) => ({ carrier: l[0], price: number(l[1] ?? '', t('projects.f.prices'), l), unit: l[2] ?? '', source: l[3] ?? '' }));
  return {
    title: f.title.value.trim(),
    titleZh: f.titleZh.value.trim() || null,
    category: f.category.value,
    description: f.description.value.trim() || null,
    owner: f.owner.value.trim(),
    node: f.node.value || null,
    lifeYears: Number(f.lifeYears.value),
    discountRate: Number(f.discountRate.value) / 100,
    annualRunningCost: Number(f.annualRunningCost.value || 0),
    investment,
    benefits,
    prices,
  };
}

document.getElementById('project-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  try {
    const created = await send('POST', sitePath(site, 'projects'), body(form.elements));
    form.reset();
    showMessage(t('projects.registered', title(created.project)), 'info');
    window.history.pushState(null, '', projectUrl(created.id));
    await Promise.all([loadList(), showDetail(created.id)]);
  } catch (error) {
    showMessage(`${t('projects.registerFailed')} ${error.message}`);
  }
});

// ---------------------------------------------------------------------------------------------------------------

try {
  [siteDoc, models] = await Promise.all([
    getJson(sitePath(site)),
    getJson(sitePath(site, 'mv-models')).catch(() => []),
  ]);
  const nodeSelect = document.querySelector('#project-form select[name=node]');
  nodeSelect?.append(...(siteDoc.nodes ?? []).map((n) => el('option', { value: n.key }, nodeName(n.key))));
  await Promise.all([loadList(), showDetail(currentId())]);
} catch (error) {
  showMessage(error instanceof ApiError && error.status === 404 ? t('error.siteNotFound', site) : t('error.load', error.message));
} finally {
  setBusy(view, false);
}
