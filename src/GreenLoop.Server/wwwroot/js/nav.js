// The top bar's menu button (phones): opens and closes the list of sections; Escape closes it.
const topbar = document.querySelector('.topbar');
const toggle = topbar?.querySelector('.navtoggle');

function setOpen(open) {
  topbar.classList.toggle('nav-open', open);
  toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
}

if (topbar && toggle) {
  toggle.addEventListener('click', () => setOpen(!topbar.classList.contains('nav-open')));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && topbar.classList.contains('nav-open')) {
      setOpen(false);
      toggle.focus();
    }
  });
}
