// Live updates of the page's site over server-sent events (GET /api/v1/sites/{site}/live, docs/api.md): a status dot
// in the top bar (connecting / live / offline), a toast for every alarm event, and a callback for each `derived` event
// so the page can refresh what it shows. While the stream is down the pages fall back to polling.
import { ctx, t, el, sitePath } from './common.js';

/** Waits before opening the stream again after the browser gave up on it (a 5xx, a proxy error page). */
const REOPEN_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const TOAST_MS = 10_000;
const STATES = ['connecting', 'live', 'offline'];

let indicator = null;
let toasts = null;

function loadStyles() {
  if (document.querySelector('link[data-live-css]')) return;
  document.head.append(el('link', { rel: 'stylesheet', href: `${ctx.base.replace(/\/$/, '')}/css/live.css`, 'data-live-css': true }));
}

function showState(state) {
  if (!indicator) {
    indicator = el('span', { id: 'live-status', class: 'live-status', role: 'status' },
      el('span', { class: 'live-dot', 'aria-hidden': 'true' }), el('span', { class: 'live-label' }));
    const topbar = document.querySelector('.topbar');
    const languages = topbar?.querySelector('.langswitch');
    if (languages) topbar.insertBefore(indicator, languages);
    else (topbar ?? document.body).append(indicator);
  }
  indicator.dataset.state = state;
  indicator.title = t(`live.help.${state}`);
  indicator.querySelector('.live-label').textContent = t(`live.${state}`);
}

/** A known key's text, else the raw value (an alarm engine may add states and severities before the UI knows them). */
function textOr(key, raw) {
  const s = t(key);
  return s === key ? raw : s;
}

function showAlarm(alarm) {
  if (!toasts) {
    toasts = el('div', { class: 'toasts', role: 'log', 'aria-live': 'polite', 'aria-label': t('live.alarm') });
    document.body.append(toasts);
  }
  const title = (ctx.lang === 'zh-CN' ? alarm.titleZh || alarm.title : alarm.title || alarm.titleZh) || alarm.id;
  const severity = String(alarm.severity ?? '').toLowerCase();
  const state = String(alarm.state ?? '');
  const toast = el('div', { class: `toast severity-${severity} state-${state.toLowerCase()}`, dataset: { alarm: alarm.id ?? '' } },
    el('div', { class: 'toast-body' },
      el('div', { class: 'toast-head' },
        el('span', { class: 'toast-severity' }, textOr(`live.severity.${severity}`, alarm.severity ?? '')),
        el('span', { class: 'toast-state' }, `${t('live.alarm')} · ${textOr(`live.state.${state}`, alarm.state ?? '')}`)),
      el('div', { class: 'toast-title' }, title)),
    el('button', { type: 'button', class: 'toast-close', title: t('live.close'), 'aria-label': t('live.close'), onclick: () => toast.remove() }, '×'));
  toasts.append(toast);
  setTimeout(() => toast.remove(), TOAST_MS);
}

/**
 * Opens the site's event stream and keeps it open. onDerived(event) runs for every `derived` event
 * ({site, meters, from, to}); onAlarm(event) for every `alarm` event of the site ({id, site, state, severity, title,
 * titleZh}); onState(state, previous) when the stream's state changes ('connecting', 'live',
 * 'offline'). Returns { state } (a getter), so a page can ask whether to poll.
 */
export function startLive({ onDerived, onAlarm, onState } = {}) {
  loadStyles();
  let state = null;
  let source = null;
  let failures = 0;
  let reopenTimer = 0;

  const setState = (next) => {
    if (next === state || !STATES.includes(next)) return;
    const previous = state;
    state = next;
    showState(next);
    onState?.(next, previous);
  };

  const open = () => {
    clearTimeout(reopenTimer);
    source = new EventSource(new URL(ctx.api.replace(/\/$/, '') + sitePath(ctx.site, 'live'), window.location.origin));
    source.addEventListener('open', () => {
      failures = 0;
      setState('live');
    });
    source.addEventListener('error', () => {
      setState('offline');
      // The browser reconnects by itself after a dropped connection; after an error answer it gives up (CLOSED),
      // and then we open a new stream ourselves, a little later each time.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        reopenTimer = setTimeout(open, REOPEN_MS[Math.min(failures++, REOPEN_MS.length - 1)]);
      }
    });
    source.addEventListener('derived', (message) => {
      const event = parse(message);
      if (event && event.site === ctx.site) onDerived?.(event);
    });
    source.addEventListener('alarm', (message) => {
      const event = parse(message);
      if (event && event.site === ctx.site) {
        showAlarm(event);
        onAlarm?.(event);
      }
    });
  };

  // Closing the stream when the page goes away spares the server a dead subscriber until its next heartbeat.
  window.addEventListener('pagehide', () => {
    clearTimeout(reopenTimer);
    source?.close();
  });
  // A page restored from the back/forward cache comes back with its stream closed.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    setState('connecting');
    open();
  });

  setState('connecting');
  open();
  return { get state() { return state; } };
}

function parse(message) {
  try {
    return JSON.parse(message.data);
  } catch {
    return null;
  }
}

/**
 * Wraps fn so that it runs at most once per ms: the first call runs at once, calls during the wait are merged into one
 * run at its end.
 */
export function throttle(fn, ms) {
  let last = -Infinity;
  let timer = 0;
  return () => {
    if (timer) return;
    const wait = last + ms - performance.now();
    const run = () => {
      timer = 0;
      last = performance.now();
      fn();
    };
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
}
