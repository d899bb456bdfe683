// The signed-in user's account page (/account): change one's own password through POST /api/v1/auth/password.
// The server checks the current password and the new one's rules; its errors show next to the fields they name.
import { t, showMessage } from './common.js';
import { send } from './alarm-common.js';

const form = document.getElementById('password-form');

function showErrors(errors) {
  for (const box of form.querySelectorAll('[data-errors-for]')) box.textContent = '';
  for (const [field, reasons] of Object.entries(errors || {})) {
    const box = form.querySelector(`[data-errors-for="${field}"]`);
    if (box) box.textContent = reasons.join(' ');
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  showMessage(null);
  const f = form.elements;
  if (f.newPassword.value !== f.confirmPassword.value) {
    showErrors({ confirmPassword: [t('account.mismatch')] });
    return;
  }
  showErrors({});
  try {
    await send('POST', '/auth/password', { currentPassword: f.currentPassword.value, newPassword: f.newPassword.value });
    form.reset();
    showMessage(t('account.changed'), 'info');
  } catch (error) {
    if (error.errors) showErrors(error.errors);
    else showMessage(error.message || String(error), 'error');
  }
});
