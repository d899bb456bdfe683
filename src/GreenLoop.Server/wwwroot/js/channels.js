// Notification channels (/channels): the list, an editor per kind (robot or webhook URL and secret; SMTP host, port,
// TLS, from, to, user, password; quiet hours), "Send test" with the delivery result, and the delivery log.
// Data: GET/PUT/DELETE /api/v1/notification-channels[/{key}], POST .../{key}/test, GET /api/v1/notification-deliveries.
// Secrets come back as ******** and sending that mask keeps the stored secret.
import { t, getJson, el, showMessage, setBusy } from './common.js';
import { formatInstant } from './accounting.js';
import { send, textOr } from './alarm-common.js';

const MASK = '********';
const view = document.getElementById('channels');
const tbody = document.getElementById('channel-rows');
const editor = document.getElementById('channel-editor');
const form = document.getElementById('channel-form');

let channels = [];
let editing = null;

const kindLabel = (k) => textOr(`channels.kind.${k}`, k);

function quietText(q) {
  if (!q) return el('span', { class: 'muted' }, t('channels.quietNone'));
  return `${String(q.start).slice(0, 5)}–${String(q.end).slice(0, 5)} (${q.timeZone})`;
}

function targetText(c) {
  if (c.kind === 'email') return [`${c.smtpHost ?? ''}${c.smtpPort ? `:${c.smtpPort}` : ''}`, el('div', { class: 'muted' }, `→ ${(c.to ?? []).join(', ')}`)];
  // Robot URLs carry their access token in the query: show the address without it.
  try {
    const u = new URL(c.url);
    return el('code', { title: t('channels.tokenHidden') }, `${u.origin}${u.pathname}${u.search ? '?…' : ''}`);
  } catch {
    return c.url ?? '';
  }
}

function renderChannels() {
  const rows = channels.map((c) => el('tr', { class: c.enabled ? null : 'disabled-row', dataset: { key: c.key } },
    el('td', null, el('span', { class: `state-badge ${c.enabled ? 'state-on' : 'state-off'}` }, t(c.enabled ? 'rules.on' : 'rules.off'))),
    el('td', null, el('code', null, c.key)),
    el('td', null, c.name),
    el('td', null, el('span', { class: `tag kind-${c.kind}` }, kindLabel(c.kind)), c.secret ? el('span', { class: 'muted', title: t('channels.secretSet') }, ' 🔒') : null),
    el('td', { class: 'target' }, targetText(c)),
    el('td', null, quietText(c.quietHours)),
    el('td', { class: 'nowrap' },
      el('button', { type: 'button', class: 'button small', dataset: { action: 'test' }, onclick: (e) => test(c, e.currentTarget) }, t('channels.test')), ' ',
      el('button', { type: 'button', class: 'button small button-secondary', dataset: { action: 'edit' }, onclick: () => openEditor(c) }, t('rules.edit')), ' ',
      el('button', { type: 'button', class: 'button small button-danger-outline', dataset: { action: 'delete' }, onclick: () => confirmDelete(c) }, t('rules.delete')),
      el('div', { class: 'test-result', role: 'status', dataset: { resultOf: c.key } }))));
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 7, class: 'empty' }, t('channels.none')))]));
  document.getElementById('fact-channels').textContent = String(channels.length);
}

async function loadChannels() {
  channels = await getJson('/notification-channels');
  renderChannels();
}

async function loadDeliveries() {
  const body = document.getElementById('delivery-rows');
  try {
    const list = await getJson('/notification-deliveries', { limit: 200 });
    const rows = list.map((d) => el('tr', { class: d.ok ? null : 'delivery-failed', dataset: { id: d.id } },
      el('td', { class: 'nowrap' }, formatInstant(d.at)),
      el('td', null, el('code', null, d.alarmId)),
      el('td', null, textOr(`channels.transition.${d.transition}`, d.transition)),
      el('td', null, el('code', null, d.channel)),
      el('td', { class: 'num' }, String(d.attempt)),
      el('td', null, el('span', { class: `state-badge ${d.ok ? 'state-on' : d.heldUntil ? 'state-held' : 'state-failed'}` },
        t(d.ok ? 'channels.ok' : d.heldUntil ? 'channels.held' : 'channels.failed'))),
      el('td', { class: 'num' }, d.status ?? t('common.none')),
      el('td', { class: 'delivery-error' }, d.error ?? ''),
      el('td', { class: 'nowrap' }, d.heldUntil ? formatInstant(d.heldUntil) : t('common.none'))));
    body.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 9, class: 'empty' }, t('channels.noDeliveries')))]));
    document.getElementById('fact-failed').textContent = String(list.filter((d) => !d.ok && !d.heldUntil).length);
  } catch (error) {
    body.replaceChildren(el('tr', null, el('td', { colspan: 9, class: 'empty' }, t('error.load', error.message))));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Send test

async function test(c, button) {
  const box = tbody.querySelector(`[data-result-of="${CSS.escape(c.key)}"]`);
  button.disabled = true;
  box.className = 'test-result';
  box.textContent = t('channels.testing');
  try {
    const deliveries = await send('POST', `/notification-channels/${encodeURIComponent(c.key)}/test`);
    const d = deliveries[0];
    const r = d?.lastResult;
    const outcome = String(d?.outcome ?? '').toLowerCase();
    box.className = `test-result ${outcome === 'delivered' ? 'good' : 'poor'}`;
    box.textContent = outcome === 'delivered'
      ? t('channels.testOk', r?.statusCode ?? t('common.none'), d.attempts)
      : t('channels.testFailed', textOr(`channels.outcome.${outcome}`, d?.outcome ?? ''), r?.statusCode ?? t('common.none'), r?.error ?? '', d?.attempts ?? 0);
  } catch (error) {
    box.className = 'test-result poor';
    box.textContent = t('channels.testError', error.message);
  } finally {
    button.disabled = false;
    loadDeliveries();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Editor

function showKind(kind) {
  for (const row of form.querySelectorAll('[data-kinds]')) row.hidden = !row.dataset.kinds.split(' ').includes(kind);
  document.getElementById('kind-hint').textContent = kind === 'email' ? '' : t(`channels.hint.${kind}`);
  document.getElementById('kind-hint').hidden = kind === 'email';
}

function openEditor(c) {
  editing = c?.key ?? null;
  const f = form.elements;
  errors(null);
  document.getElementById('channel-editor-title').textContent = c ? t('channels.editing', c.name) : t('channels.new');
  f.key.value = c?.key ?? '';
  f.key.readOnly = Boolean(c);
  f.name.value = c?.name ?? '';
  f.kind.value = c?.kind ?? 'webhook';
  f.enabled.checked = c?.enabled ?? true;
  f.url.value = c?.url ?? '';
  f.secret.value = c?.secret ?? '';
  f.smtpHost.value = c?.smtpHost ?? '';
  f.smtpPort.value = c?.smtpPort ?? '';
  f.useTls.value = c?.useTls === true ? 'true' : c?.useTls === false ? 'false' : '';
  f.from.value = c?.from ?? '';
  f.to.value = (c?.to ?? []).join(', ');
  f.username.value = c?.username ?? '';
  f.password.value = c?.password ?? '';
  f.quiet.checked = Boolean(c?.quietHours);
  f.quietStart.value = c?.quietHours ? String(c.quietHours.start).slice(0, 5) : '22:00';
  f.quietEnd.value = c?.quietHours ? String(c.quietHours.end).slice(0, 5) : '07:00';
  f.quietZone.value = c?.quietHours?.timeZone ?? 'Asia/Shanghai';
  showKind(f.kind.value);
  editor.hidden = false;
  editor.scrollIntoView({ behavior: 'smooth', block: 'start' });
  (c ? f.name : f.key).focus({ preventScroll: true });
}

function closeEditor() {
  editor.hidden = true;
  editing = null;
}

function readChannel() {
  const f = form.elements;
  const kind = f.kind.value;
  const value = (input) => input.value.trim() || null;
  const channel = { key: f.key.value.trim(), kind, name: f.name.value.trim(), enabled: f.enabled.checked };
  if (kind === 'email') {
    Object.assign(channel, {
      smtpHost: value(f.smtpHost),
      smtpPort: f.smtpPort.value ? Number(f.smtpPort.value) : null,
      useTls: f.useTls.value === '' ? null : f.useTls.value === 'true',
      from: value(f.from),
      to: f.to.value.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean),
      username: value(f.username),
      password: f.password.value || null,
    });
  } else {
    Object.assign(channel, { url: value(f.url), secret: f.secret.value || null });
  }
  if (f.quiet.checked) {
    channel.quietHours = { start: `${f.quietStart.value || '00:00'}:00`, end: `${f.quietEnd.value || '00:00'}:00`, timeZone: f.quietZone.value.trim() };
  }
  return channel;
}

// The channel API reports its problems as one "channel" entry of sentences that each start with the field they are
// about ("Url is required..."; "SmtpHost ..."); each sentence goes next to its field where one matches.
const FIELD_OF = [
  [/^Url\b/, 'url'], [/^SmtpHost\b/, 'smtpHost'], [/^SmtpPort\b/, 'smtpPort'], [/^From\b/, 'from'], [/^To\b/, 'to'],
  [/^Username and Password\b/, 'password'], [/^QuietHours time zone\b/, 'quietZone'], [/^QuietHours\b/, 'quietStart'],
  [/^Key\b/, 'key'], [/^Name\b/, 'name'], [/^the channel's key\b/, 'key'],
];

function errors(problem) {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  const box = document.getElementById('channel-errors');
  box.hidden = true;
  box.replaceChildren();
  if (!problem) return;
  const rest = [];
  const sentences = Object.values(problem.errors ?? {}).flat().flatMap((s) => s.split(/;\s+/));
  if (!sentences.length) rest.push(problem.message);
  for (const sentence of sentences) {
    const match = FIELD_OF.find(([re]) => re.test(sentence));
    const input = match ? form.elements[match[1]] : null;
    if (input && !input.closest('[hidden]')) {
      input.setAttribute('aria-invalid', 'true');
      input.closest('label').append(el('div', { class: 'field-error' }, sentence));
    } else {
      rest.push(sentence);
    }
  }
  box.hidden = rest.length === 0;
  box.replaceChildren(...rest.map((r) => el('div', null, r)));
}

form.elements.kind.addEventListener('change', () => showKind(form.elements.kind.value));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const channel = readChannel();
  errors(null);
  if (!channel.key) {
    errors({ errors: { key: ['Key is required.'] } });
    return;
  }
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    if (!editing && channels.some((c) => c.key === channel.key)) {
      errors({ errors: { key: [t('channels.keyExists', channel.key)] } });
      return;
    }
    await send('PUT', `/notification-channels/${encodeURIComponent(channel.key)}`, channel);
    closeEditor();
    await loadChannels();
    showMessage(t('channels.saved', channel.name), 'info');
  } catch (error) {
    errors(error);
  } finally {
    submit.disabled = false;
  }
});

document.getElementById('cancel-channel').addEventListener('click', closeEditor);
document.getElementById('new-channel').addEventListener('click', () => openEditor(null));
document.getElementById('reload-deliveries').addEventListener('click', loadDeliveries);

function confirmDelete(c) {
  const dialog = document.getElementById('delete-channel-dialog');
  document.getElementById('delete-channel-title').textContent = t('channels.deleteTitle', c.name);
  dialog.returnValue = '';
  dialog.onclose = async () => {
    if (dialog.returnValue !== 'delete') return;
    try {
      await send('DELETE', `/notification-channels/${encodeURIComponent(c.key)}`);
      if (editing === c.key) closeEditor();
      await loadChannels();
      showMessage(t('channels.deleted', c.name), 'info');
    } catch (error) {
      showMessage(t('channels.deleteFailed', error.message));
    }
  };
  dialog.showModal();
}

async function start() {
  try {
    await Promise.all([loadChannels(), loadDeliveries()]);
  } catch (error) {
    showMessage(t('error.load', error.message), 'error', ' ',
      el('button', { type: 'button', class: 'button small', onclick: () => window.location.reload() }, t('common.retry')));
  }
  setBusy(view, false);
}

start();
