// Cleaner-production audits (/audits?site=): one audit's water, energy and material balances and its options (方案)
// with their stages; forms to start an audit and add an option; the evaluation against an indicator system.
// Data: GET/POST /api/v1/sites/{site}/cp-audits, GET /cp-audits/{id}, POST/PUT /cp-audits/{id}/options,
// GET /api/v1/cp-indicator-systems, POST /api/v1/sites/{site}/cp-evaluations.
import { ctx, t, getJson, sitePath, el, showMessage, setBusy, formatNumber, unitLabel, carrierLabel } from './common.js';

const view = document.getElementById('audits');
const site = view.dataset.site;
const pick = document.getElementById('audit-pick');
const nextStage = { Proposed: 'Screened', Screened: 'Feasible', Feasible: 'Implemented' };

function q(v, unit) {
  return v === null || v === undefined ? t('common.none') : `${formatNumber(v, Math.abs(v) >= 100 ? 1 : 3)} ${unitLabel(unit ?? '')}`;
}

function row(label, value) {
  return el('tr', null, el('th', { scope: 'row' }, label), el('td', { class: 'num' }, value));
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

function nodeName(n) {
  return (ctx.lang === 'zh-CN' ? n.nameZh || n.name : n.name) || n.node;
}

function render(audit) {
  document.getElementById('audit-title').textContent = `${audit.audit.title} · ${audit.audit.period}`;
  const w = audit.water;
  document.getElementById('water-rows').replaceChildren(...(w ? [
    row(t('audits.w.intake'), q(w.intake, w.unit)),
    ...w.byNode.map((n) => row(`· ${nodeName(n)}`, q(n.value, w.unit))),
    row(t('audits.w.unaccounted'), q(w.unaccounted, w.unit)),
    row(t('audits.w.recycled'), q(w.recycled, w.unit)),
    row(t('audits.w.discharged'), q(w.discharged, w.unit)),
    row(t('audits.w.consumed'), q(w.consumed, w.unit)),
    row(t('audits.w.reuse'), q(w.reuseRatePercent, '%')),
  ] : [el('tr', null, el('td', { class: 'empty' }, t('audits.noWater')))]));
  const m = audit.materials;
  document.getElementById('material-rows').replaceChildren(...(m && m.unit ? [
    ...m.inputs.map((f) => row(`${t('audits.m.in')} ${f.key.replace('material.in.', '')}`, q(f.value, f.unit))),
    ...m.outputs.map((f) => row(`${t('audits.m.out')} ${f.key.replace('material.out.', '')}`, q(f.value, f.unit))),
    row(t('audits.m.unaccounted'), q(m.unaccounted, m.unit)),
    row(t('audits.m.closure'), q(m.closurePercent, '%')),
  ] : [el('tr', null, el('td', { class: 'empty' }, m?.reason ?? t('common.none')))]));
  document.getElementById('energy-rows').replaceChildren(...audit.energy.carriers.map((c) => el('tr', null,
    el('td', null, carrierLabel(c.carrier)),
    el('td', { class: 'num' }, q(c.site, c.unit)),
    el('td', { class: 'num' }, q(c.nodesTotal, c.unit)),
    el('td', { class: 'num' }, q(c.unaccounted, c.unit), c.unaccountedPercent !== null ? el('div', { class: 'muted small' }, q(c.unaccountedPercent, '%')) : null),
    el('td', null, c.byNode.map((n) => `${nodeName(n)} ${q(n.value, c.unit)}`).join('；')))));
  document.getElementById('option-rows').replaceChildren(...audit.options.map((o) => el('tr', { dataset: { id: o.id } },
    el('td', null, o.option.title),
    el('td', null, t(`kpis.area.${o.option.area}`)),
    el('td', { class: 'num' }, o.option.investmentYuan !== null && o.option.investmentYuan !== undefined ? q(o.option.investmentYuan, '元') : t('common.none')),
    el('td', null, el('span', { class: `action-state state-${o.stage}` }, t(`audits.stage.${o.stage}`))),
    el('td', null, nextStage[o.stage] ? el('button', {
      type: 'button', class: 'button small button-secondary', dataset: { action: 'advance' },
      onclick: () => change(audit.id, o.id, nextStage[o.stage]),
    }, t(`audits.to.${nextStage[o.stage]}`)) : null))));
}

async function change(auditId, optionId, stage) {
  try {
    await send('PUT', sitePath(site, 'cp-audits', String(auditId), 'options', String(optionId)), { stage });
    await show(auditId);
  } catch (error) {
    showMessage(error.message);
  }
}

async function show(id) {
  render(await getJson(sitePath(site, 'cp-audits', String(id))));
}

async function load(selectId) {
  const list = await getJson(sitePath(site, 'cp-audits'));
  document.getElementById('fact-audits').textContent = String(list.length);
  pick.replaceChildren(...list.map((a) => el('option', { value: String(a.id) }, `${a.audit.period} ${a.audit.title}`)));
  document.getElementById('audit-card').hidden = list.length === 0;
  if (list.length) {
    const id = selectId ?? list[0].id;
    pick.value = String(id);
    await show(id);
  }
}

pick.addEventListener('change', () => show(pick.value).catch((e) => showMessage(e.message)));

document.getElementById('audit-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.target.elements;
  try {
    const created = await send('POST', sitePath(site, 'cp-audits'), {
      title: f.title.value.trim(), period: f.period.value.trim(), team: f.team.value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean),
    });
    event.target.reset();
    await load(created.id);
  } catch (error) {
    showMessage(error.message);
  }
});

document.getElementById('option-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.target.elements;
  try {
    await send('POST', sitePath(site, 'cp-audits', pick.value, 'options'), {
      title: f.title.value.trim(), area: f.area.value, investmentYuan: f.investmentYuan.value ? Number(f.investmentYuan.value) : null,
    });
    event.target.reset();
    await show(pick.value);
  } catch (error) {
    showMessage(error.message);
  }
});

document.getElementById('evaluation-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.target.elements;
  const box = document.getElementById('evaluation-result');
  try {
    const r = await send('POST', sitePath(site, 'cp-evaluations'), { period: f.period.value.trim(), systemKey: f.systemKey.value });
    box.replaceChildren(
      el('p', null, el('b', null, r.grade ? t('audits.grade', r.grade) : t('audits.noGrade')), ' ', ctx.lang === 'zh-CN' ? r.reasonZh : r.reason),
      el('p', { class: 'muted' }, `Y_I ${formatNumber(r.scoreI, 1)} · Y_II ${formatNumber(r.scoreII, 1)} · Y_III ${formatNumber(r.scoreIII, 1)}`,
        r.usesUnverified ? ` · ${t('badge.unverified')}` : ''),
      el('table', { class: 'data' }, el('tbody', null, r.indicators.map((s) => el('tr', null,
        el('td', null, ctx.lang === 'zh-CN' ? s.nameZh || s.name : s.name),
        el('td', { class: 'num' }, s.value !== null ? q(s.value, s.unit) : t('common.none')),
        el('td', null, s.applies ? [s.meetsI ? 'I ' : '', s.meetsII ? 'II ' : '', s.meetsIII ? 'III' : ''].join('') || '—' : (ctx.lang === 'zh-CN' ? s.reasonZh : s.reason)))))));
  } catch (error) {
    showMessage(error.message);
  }
});

try {
  const systems = await getJson('/cp-indicator-systems');
  document.querySelector('#evaluation-form select[name=systemKey]').replaceChildren(...systems.map((s) => el('option', { value: s.key }, ctx.lang === 'zh-CN' ? s.nameZh || s.name : s.name)));
  await load();
} catch (error) {
  showMessage(t('error.load', error.message));
} finally {
  setBusy(view, false);
}
