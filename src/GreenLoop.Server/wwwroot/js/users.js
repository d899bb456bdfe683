// Users and API keys (/users, administrators): list, create, disable/enable users; create (key shown once) and revoke keys.
// Data: GET/POST /api/v1/users, PUT /api/v1/users/{id}, GET/POST /api/v1/api-keys, DELETE /api/v1/api-keys/{id}.
import { t, getJson, el, showMessage, setBusy } from './common.js';
import { formatInstant } from './accounting.js';
import { send, textOr } from './alarm-common.js';

const view = document.getElementById('users');

const roleText = (r) => `${textOr(`users.role.${r.role}`, r.role)} (${r.site ?? t('users.allSites')})`;

async function loadUsers() {
  const users = await getJson('/users');
  document.getElementById('user-rows').replaceChildren(...users.map((u) => el('tr', { dataset: { user: u.userName } },
    el('td', null, el('code', null, u.userName)),
    el('td', null, u.displayName ?? ''),
    el('td', null, u.roles.map(roleText).join('; ')),
    el('td', null, el('span', { class: `state-badge ${u.disabled || u.lockedOut ? 'state-failed' : 'state-on'}` },
      t(u.disabled ? 'users.disabled' : u.lockedOut ? 'users.locked' : 'users.active'))),
    el('td', null, el('button', {
      type: 'button', class: 'button small button-secondary',
      onclick: async () => {
        try {
          await send('PUT', `/users/${u.id}`, { displayName: u.displayName, disabled: !u.disabled, roles: u.roles });
          await loadUsers();
        } catch (error) { showMessage(error.message); }
      },
    }, t(u.disabled ? 'users.enable' : 'users.disable'))))));
}

function keyState(k) {
  if (k.revokedAt) return ['state-off', 'keys.revoked'];
  if (k.expiresAt && new Date(k.expiresAt) <= new Date()) return ['state-failed', 'keys.expired'];
  return ['state-on', 'keys.valid'];
}

async function loadKeys() {
  const keys = await getJson('/api-keys');
  document.getElementById('key-rows').replaceChildren(...keys.map((k) => {
    const [cls, label] = keyState(k);
    return el('tr', { dataset: { key: k.name } },
      el('td', null, k.name),
      el('td', null, el('code', null, `gl_${k.prefix}_…`)),
      el('td', null, k.site ?? t('users.allSites')),
      el('td', null, k.permissions.map((p) => textOr(`keys.perm.${p}`, p)).join(', ')),
      el('td', null, k.expiresAt ? formatInstant(k.expiresAt) : t('common.none')),
      el('td', null, k.lastUsedAt ? formatInstant(k.lastUsedAt) : t('common.none')),
      el('td', null, el('span', { class: `state-badge ${cls}` }, t(label))),
      el('td', null, k.revokedAt ? null : el('button', {
        type: 'button', class: 'button small button-danger-outline',
        onclick: async () => {
          try { await send('DELETE', `/api-keys/${k.id}`); await loadKeys(); } catch (error) { showMessage(error.message); }
        },
      }, t('keys.revoke'))));
  }));
}

const problems = (error) => Object.values(error.errors ?? {}).flat().join('; ') || error.message;

document.getElementById('user-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.currentTarget.elements;
  const body = {
    userName: f.userName.value.trim(),
    displayName: f.displayName.value.trim() || null,
    password: f.password.value || null,
    roles: [{ role: f.role.value, site: f.site.value.trim() || null }],
  };
  try {
    const created = await send('POST', '/users', body);
    showMessage(created.generatedPassword ? t('users.generated', created.user.userName, created.generatedPassword) : '', 'info');
    event.currentTarget.reset();
    await loadUsers();
  } catch (error) { showMessage(problems(error)); }
});

document.getElementById('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.currentTarget.elements;
  const body = {
    name: f.name.value.trim(),
    site: f.site.value.trim() || null,
    permissions: [...event.currentTarget.querySelectorAll('input[name=perm]:checked')].map((i) => i.value),
    expiresInDays: f.expiresInDays.value ? Number(f.expiresInDays.value) : null,
  };
  try {
    const created = await send('POST', '/api-keys', body);
    const box = document.getElementById('new-key');
    box.replaceChildren(el('span', null, t('keys.created')), ' ', el('code', { id: 'created-key' }, created.key));
    box.hidden = false;
    await loadKeys();
  } catch (error) { showMessage(problems(error)); }
});

try {
  await Promise.all([loadUsers(), loadKeys()]);
} catch (error) {
  showMessage(t('error.load', error.message));
} finally {
  setBusy(view, false);
}
