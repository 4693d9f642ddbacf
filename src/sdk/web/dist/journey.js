// Journey engine Web SDK 1.0.0, script-tag build: window.Journey.
// Generated from journey.mjs by build.mjs — edit journey.mjs, then run `node build.mjs`.
(function () {
'use strict';
// Journey engine Web SDK — one dependency-free ES module. dist/journey.js is this same file wrapped for a
// <script> tag (window.Journey); the engine serves both under /sdk/web/v1/. Guide: src/docs/web-sdk.md.
//
// What it promises, and how:
// - Nothing is thrown into the host page: every public function is wrapped (guard) and reports with
//   console.warn("[journey] …").
// - Nothing tracked is lost while offline or across reloads: every call that must reach the engine is an
//   item in one queue kept in localStorage, sent in order, retried with backoff.
// - Nothing is stored twice: each event carries an eventId made here, which the track API treats as an
//   idempotency key; in-app actions, tags and device registration are idempotent on the server.
//   So sending again after a doubtful failure (a timeout, a beacon, another tab) is always safe.

const VERSION = '1.0.0';
const MAX_BATCH = 100;            // events per track request (the API takes up to 1,000 and 1 MiB)
const MAX_BATCH_BYTES = 512 * 1024;
const MAX_BEACON_BYTES = 60000;   // browsers refuse beacons beyond ~64 KiB in flight
const MAX_QUEUE = 1000;           // items kept while offline; the oldest go first beyond it
const MAX_EVENT_DATA_CHARS = 32768, MAX_DATA_KEYS = 100; // the track API's limits (src/docs/limits.md)
const MAX_BACKOFF_MS = 60000;

let cfg = null;        // {projectId, key, baseUrl, flushInterval, inAppPollInterval, inApp}
let memory = {};       // stands in for localStorage when it is unavailable (private modes, disabled storage)
let sending = false;
let timer = null;
let failures = 0;      // consecutive failed sends: the backoff exponent
let pausedReason = null;
let pollTimer = null;
let shownMessages = new Set();
let current = null;    // the in-app message on screen: {id, userId, root, previousFocus}
let listening = false; // the page's listeners are added once, whatever the number of init calls

// ---------------------------------------------------------------------------------------------------------
// Public API

function init(options) {
  return guard('init', () => {
    const o = options || {};
    if (!isText(o.projectId, 256) || !isText(o.key, 512)) {
      return warn('init needs {projectId, key, baseUrl}: projectId and a publishable key (jpk_…)');
    }
    if (o.key.startsWith('jk_')) {
      warn('init: this is a secret key (jk_…); a web page must use a publishable key (jpk_…), see src/docs/keys.md');
    }
    const base = String(o.baseUrl || (typeof location !== 'undefined' ? location.origin : '')).replace(/\/+$/, '');
    cfg = {
      projectId: o.projectId, key: o.key, baseUrl: base,
      flushInterval: num(o.flushInterval, 1000), inAppPollInterval: num(o.inAppPollInterval, 60000),
      inApp: o.inApp !== false,
    };
    pausedReason = null;
    failures = 0;
    if (!read('device')) {
      write('device', 'web_' + uuid());
    }
    ensureDevice();
    if (!listening) {
      // Once per page, even if init is called again: the listeners read the current cfg.
      listening = true;
      addEventListener('online', () => { failures = 0; schedule(0); });
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') beacon(); else { schedule(0); pollInbox(); }
      });
      addEventListener('pagehide', beacon);
    }
    schedule(0);
    startInbox();
    return true;
  });
}

/** Names the user: later events are theirs, and the device (with its anonymous events) is joined to them. */
function setUserId(id) {
  return guard('setUserId', () => {
    if (!ready('setUserId')) return false;
    if (!isText(id, 256)) return warn('setUserId(id): id must be a string of 1 to 256 characters');
    if (read('user') === id) return true;
    dismiss(false); // a message on screen was the previous user's
    write('user', id);
    ensureDevice();
    schedule(0);
    startInbox();
    return true;
  });
}

/** Queues an event of `type` with `data`; false (and a warning) when it breaks the track API's rules. */
function trackEvent(type, data) {
  return guard('trackEvent', () => {
    if (!ready('trackEvent')) return false;
    const where = 'trackEvent(' + JSON.stringify(type) + ')';
    if (!isText(type, 128)) return warn(where + ': type must be a string of 1 to 128 characters; event dropped');
    if (type.startsWith('@')) return warn(where + ': names starting with "@" are reserved for automatic events; event dropped');
    const clean = values(data, 'data', where, false);
    if (!clean) return false;
    const user = read('user');
    enqueue({
      kind: 'event', id: uuid(),
      event: {
        eventId: uuid(), subjectType: user ? 'user' : 'device', subjectId: user || read('device'),
        type, data: clean, timestamp: Date.now(),   // the time it happened, not when a retry gets through
      },
    });
    schedule(cfg.flushInterval);
    return true;
  });
}

/** Merges tags into the current user's ({name: null} deletes one). Needs setUserId first. */
function setTags(tags) {
  return guard('setTags', () => {
    if (!ready('setTags')) return false;
    const user = read('user');
    if (!user) return warn('setTags: call setUserId first (tags belong to a user); tags dropped');
    const clean = values(tags, 'tags', 'setTags', true);
    if (!clean) return false;
    if (Object.keys(clean).length === 0) return warn('setTags: no tags given');
    enqueue({ kind: 'tags', id: uuid(), userId: user, tags: clean });
    schedule(0);
    return true;
  });
}

const TOPIC = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CHANNELS = ['webhook', 'email', 'push', 'sms', 'inapp'];

/**
 * Subscribes the current user to a topic of the project (subscribed true) or unsubscribes them, on one
 * channel ('email', 'push', 'sms', 'inapp', 'webhook') or on all (channel null). Needs setUserId first.
 */
function setSubscription(topic, channel, subscribed) {
  return guard('setSubscription', () => {
    if (!ready('setSubscription')) return false;
    const user = read('user');
    if (!user) return warn('setSubscription: call setUserId first (subscriptions belong to a user); dropped');
    if (typeof topic !== 'string' || !TOPIC.test(topic)) {
      return warn('setSubscription: topic must be 1 to 64 letters, digits, _, . or -, starting with a letter or digit; dropped');
    }
    if (channel != null && !CHANNELS.includes(channel)) {
      return warn('setSubscription: channel must be one of ' + CHANNELS.join(', ') + ', or null for all; dropped');
    }
    if (typeof subscribed !== 'boolean') return warn('setSubscription: subscribed must be true or false; dropped');
    enqueue({ kind: 'subscription', id: uuid(), userId: user,
      subscription: { topic, channel: channel == null ? 'all' : channel, status: subscribed ? 'subscribed' : 'unsubscribed' } });
    schedule(0);
    return true;
  });
}

/**
 * Reports a push the current user opened (a web push's notificationclick): @opened, recorded once per
 * message. Pass the messageId from the push's data. Needs setUserId first.
 */
function pushOpened(messageId) {
  return guard('pushOpened', () => {
    if (!ready('pushOpened')) return false;
    const user = read('user');
    if (!user) return warn('pushOpened: call setUserId first (the push was sent to a user); dropped');
    if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > 256) {
      return warn('pushOpened: messageId must be the push data\'s messageId (1 to 256 characters); dropped');
    }
    enqueue({ kind: 'opened', id: uuid(), userId: user, messageId });
    schedule(0);
    return true;
  });
}

/** Forgets the user: what they tracked is still sent; later events belong to the device again. */
function logout() {
  return guard('logout', () => {
    if (!ready('logout')) return false;
    remove('user');
    dismiss(false);
    stopInbox();
    schedule(0);
    return true;
  });
}

/** Starts sending what is queued now, without waiting for flushInterval (a send already under way goes on). */
function flush() {
  return guard('flush', () => (ready('flush') ? drain() : Promise.resolve()));
}

/** The web device id this browser registered (kept in localStorage). */
function getDeviceId() {
  return guard('getDeviceId', () => (cfg ? read('device') : null));
}


// ---------------------------------------------------------------------------------------------------------
// Validation: the track API's rules (API.md "data values"), so a bad value is reported here with its path
// instead of failing the whole batch on the server.

function values(input, path, where, tags) {
  if (input === undefined || input === null) {
    return tags ? (warn(where + ': expected an object of tag name to value'), null) : {};
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    return warn(where + ': ' + path + ' must be an object'), null;
  }
  const keys = Object.keys(input);
  if (keys.length > MAX_DATA_KEYS) {
    return warn(where + ': ' + path + ' has ' + keys.length + ' keys; at most ' + MAX_DATA_KEYS + ' are allowed; dropped'), null;
  }
  const out = {};
  for (const k of keys) {
    const at = path + '.' + k;
    if (k === '' || k.includes('\u0000')) return warn(where + ': ' + at + ': keys must be non-empty, without NUL; dropped'), null;
    let v = input[k];
    if (v instanceof Date) v = isNaN(v) ? undefined : v.toISOString();   // a Date is sent as an ISO-8601 time
    const problem = value(v);
    if (problem) return warn(where + ': ' + at + ' ' + problem + '; dropped'), null;
    out[k] = v;
  }
  if (!tags && JSON.stringify(out).length > MAX_EVENT_DATA_CHARS) {
    return warn(where + ': ' + path + ' is larger than ' + MAX_EVENT_DATA_CHARS + ' characters; dropped'), null;
  }
  return out;
}

// Returns why v is not a valid value, or '' when it is: string, finite number, boolean, null, or an array
// whose elements are all strings or all numbers. Times are strings (ISO-8601 with offset) or Unix ms numbers.
function value(v) {
  if (v === null || typeof v === 'boolean') return '';
  if (typeof v === 'string') return v.includes('\u0000') ? 'must not contain the NUL character' : '';
  if (typeof v === 'number') return Number.isFinite(v) ? '' : 'must be a finite number';
  if (Array.isArray(v)) {
    const strings = v.every((x) => typeof x === 'string'), numbers = v.every((x) => typeof x === 'number');
    if (!strings && !numbers) return 'must be an array whose elements are all strings or all numbers';
    if (numbers && !v.every(Number.isFinite)) return 'must hold finite numbers only';
    if (strings && v.some((x) => x.includes('\u0000'))) return 'must not contain the NUL character';
    return '';
  }
  if (v === undefined) return 'is undefined (use null for "no value")';
  if (typeof v === 'object') return 'is a nested object; use flat keys such as "item_id"';
  return 'is a ' + typeof v + '; use a string, number, boolean, array or null';
}

// ---------------------------------------------------------------------------------------------------------
// The queue: [{kind: 'event'|'device'|'tags'|'subscription'|'iam', id, …}] in localStorage, read and written whole on every
// change so that a reload (or another tab) sees exactly what is still to be sent.

function enqueue(item) {
  const q = queue();
  q.push(item);
  if (q.length > MAX_QUEUE) {
    warn('the offline queue is full; dropping the oldest ' + (q.length - MAX_QUEUE) + ' item(s)');
    q.splice(0, q.length - MAX_QUEUE);
  }
  write('queue', JSON.stringify(q));
}

function queue() {
  try { return JSON.parse(read('queue') || '[]'); } catch (e) { return []; }
}

function done(ids) {
  const set = new Set(ids);
  write('queue', JSON.stringify(queue().filter((i) => !set.has(i.id))));
}

function schedule(delay) {
  if (!cfg || pausedReason) return;
  if (timer && failures > 0) return; // a backoff is running: new events wait for it (coming online resets it)
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => { timer = null; drain(); }, delay);
}

// Sends the queue front to back: a run of events as one track request, any other item alone. Stops at the
// first failure and tries again after a backoff (1 s, 2 s, 4 s … 60 s, with jitter, or Retry-After).
async function drain() {
  if (sending || !cfg || pausedReason) return;
  sending = true;
  try {
    for (;;) {
      const q = queue();
      if (q.length === 0) { failures = 0; return; }
      const batch = q[0].kind === 'event' ? eventRun(q) : [q[0]];
      const r = await send(batch);
      if (r.ok) { failures = 0; done(batch.map((i) => i.id)); continue; }
      if (r.drop) { done(r.drop); continue; }
      if (r.pause) { pausedReason = r.pause; warn(r.pause + '; sending stops until init is called again'); return; }
      failures++;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => { timer = null; drain(); }, Math.max(backoff, r.retryAfter || 0));
      return;
    }
  } finally {
    sending = false;
  }
}

function eventRun(q) {
  const run = [];
  let bytes = 0;
  for (const item of q) {
    if (item.kind !== 'event' || run.length >= MAX_BATCH) break;
    bytes += JSON.stringify(item.event).length;
    if (run.length > 0 && bytes > MAX_BATCH_BYTES) break;
    run.push(item);
  }
  return run;
}

// One request for a batch. Answers {ok} | {drop: ids} | {pause: reason} | {retryAfter} (retry).
async function send(batch) {
  const first = batch[0];
  const p = '/v1/projects/' + enc(cfg.projectId);
  let res;
  try {
    if (first.kind === 'event') {
      res = await call('POST', p + '/track', { events: batch.map((i) => i.event) });
    } else if (first.kind === 'device') {
      res = await call('POST', p + '/devices', deviceBody(first.userId));
    } else if (first.kind === 'tags') {
      res = await call('PUT', p + '/users/' + enc(first.userId) + '/tags', { tags: first.tags });
    } else if (first.kind === 'subscription') {
      res = await call('PUT', p + '/users/' + enc(first.userId) + '/subscriptions', { subscriptions: [first.subscription] });
    } else if (first.kind === 'opened') {
      res = await call('POST', p + '/messages/' + enc(first.messageId) + '/opened?userId=' + enc(first.userId));
    } else if (first.kind === 'iam') {
      res = await call('POST', p + '/inapp/' + enc(first.messageId) + '/' + first.action + '?userId=' + enc(first.userId),
        first.detail || undefined);
    } else {
      return { drop: [first.id] };
    }
  } catch (e) {
    return {}; // offline, DNS, CORS, connection reset: try again later
  }
  if (res.ok) {
    if (first.kind === 'device') write('device-user', first.userId || '');
    return { ok: true };
  }
  if (res.status === 401 || res.status === 403) {
    return { pause: 'the engine refused the key (' + res.status + ' ' + (await message(res)) + ')' };
  }
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return { retryAfter: 1000 * (parseInt(res.headers.get('Retry-After'), 10) || 0) };
  }
  // Any other 4xx will not get better by sending it again. For a batch of events, drop only the ones named.
  const body = await res.json().catch(() => ({}));
  if (first.kind === 'event' && res.status === 400 && Array.isArray(body.details)) {
    const bad = new Set();
    for (const d of body.details) {
      const m = /^events\[(\d+)\]/.exec(d.path || '');
      if (m && batch[+m[1]]) bad.add(+m[1]);
      warn('the engine refused ' + (m ? batch[+m[1]].event.type + ' ' : '') + (d.path || '') + ': ' + d.message);
    }
    if (bad.size > 0) return { drop: [...bad].map((i) => batch[i].id) };
  }
  if ((first.kind === 'iam' || first.kind === 'opened') && res.status === 404) return { drop: [first.id] }; // the message is gone: nothing to record
  warn((first.kind === 'event' ? 'track' : first.kind) + ' refused (' + res.status + ' ' + (body.message || '') + '); dropped');
  return { drop: batch.map((i) => i.id) };
}

function call(method, path, body) {
  const init = { method, headers: { Authorization: 'Bearer ' + cfg.key } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(cfg.baseUrl + path, init);
}

async function message(res) {
  try { return (await res.json()).message || ''; } catch (e) { return ''; }
}

// The page is going away (or hidden, which on phones is often the last chance): hand the queued events to
// sendBeacon, which outlives the page. A beacon cannot carry an Authorization header, so the publishable key
// rides as ?key= (the engine accepts only publishable keys there) and the body is text/plain (no preflight).
// The events stay queued: a beacon's fate is unknown, and their eventIds make a second sending harmless.
function beacon() {
  try {
    if (!cfg || pausedReason || !navigator.sendBeacon || !cfg.key.startsWith('jpk_')) return;
    const events = queue().filter((i) => i.kind === 'event').map((i) => i.event);
    const url = cfg.baseUrl + '/v1/projects/' + enc(cfg.projectId) + '/track?key=' + enc(cfg.key);
    let chunk = [];
    const post = () => chunk.length && navigator.sendBeacon(url, new Blob([JSON.stringify({ events: chunk })], { type: 'text/plain' }));
    for (const e of events) {
      if (chunk.length >= MAX_BATCH || JSON.stringify(chunk.concat([e])).length > MAX_BEACON_BYTES) {
        if (!post()) return;
        chunk = [];
      }
      chunk.push(e);
    }
    post();
  } catch (e) {
    /* the page is leaving: nothing to report to */
  }
}

// ---------------------------------------------------------------------------------------------------------
// Device: registered once per browser (the engine records @first_session on its first registration), and
// again whenever the user changes, so the device's events — those tracked before setUserId, with
// subjectType "device" — are counted as the user's: the engine joins a device's events to its registered user.

function ensureDevice() {
  const user = read('user') || '';
  const pending = queue().some((i) => i.kind === 'device' && (i.userId || '') === user);
  if (read('device-user') === null || (user && read('device-user') !== user)) {
    if (!pending) enqueue({ kind: 'device', id: uuid(), userId: user || null });
  }
}

function deviceBody(userId) {
  const body = { deviceId: read('device'), platform: 'web' };
  if (userId) body.userId = userId;
  try { body.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || undefined; } catch (e) { /* none */ }
  return body;
}

// ---------------------------------------------------------------------------------------------------------
// In-app messages: the user's inbox (GET …/users/{id}/inapp) is polled; a message not yet displayed is shown
// as a modal (or a banner when its content says "layout": "banner"). Displayed, clicked (with the button) and
// closed are recorded through the queue, so they survive a reload too; the engine records each once.
//
// Content fields (the template of the journey's inapp step): title, body, layout, button, buttonUrl,
// button2, button2Url. Text only — nothing from a message is inserted as HTML.

function startInbox() {
  stopInbox();
  if (!cfg.inApp || !read('user')) return;
  pollInbox();
  pollTimer = setInterval(pollInbox, Math.max(1000, cfg.inAppPollInterval));
}

function stopInbox() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
}

async function pollInbox() {
  try {
    const user = read('user');
    if (!cfg || !cfg.inApp || !user || current || pausedReason || document.visibilityState === 'hidden') return;
    const res = await call('GET', '/v1/projects/' + enc(cfg.projectId) + '/users/' + enc(user) + '/inapp');
    if (!res.ok) return;
    const inbox = await res.json();
    const next = (inbox.messages || []).find((m) => !m.displayedAt && !shownMessages.has(m.messageId));
    if (next && !current && read('user') === user) show(next, user);
  } catch (e) {
    /* offline: the next poll tries again */
  }
}

function show(m, userId) {
  shownMessages.add(m.messageId);
  const c = m.content || {};
  style();
  const banner = c.layout === 'banner';
  const root = el('div', banner ? 'journey-iam journey-iam--banner' : 'journey-iam journey-iam--modal');
  const box = el('div', 'journey-iam__box');
  const titleId = 'journey-iam-title-' + m.messageId, bodyId = 'journey-iam-body-' + m.messageId;
  box.setAttribute('role', banner ? 'region' : 'dialog');
  if (!banner) box.setAttribute('aria-modal', 'true');
  box.setAttribute(c.title ? 'aria-labelledby' : 'aria-label', c.title ? titleId : 'Message');
  if (c.body) box.setAttribute('aria-describedby', bodyId);
  box.tabIndex = -1;
  const close = el('button', 'journey-iam__close', '\u00d7');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', () => dismiss(true));
  box.appendChild(close);
  if (c.title) box.appendChild(Object.assign(el('h2', 'journey-iam__title', String(c.title)), { id: titleId }));
  if (c.body) box.appendChild(Object.assign(el('p', 'journey-iam__body', String(c.body)), { id: bodyId }));
  const actions = el('div', 'journey-iam__actions');
  for (const [name, urlField, cls] of [['button2', 'button2Url', 'secondary'], ['button', 'buttonUrl', 'primary']]) {
    if (!c[name]) continue;
    const b = el('button', 'journey-iam__button journey-iam__button--' + cls, String(c[name]));
    b.type = 'button';
    b.dataset.journeyButton = name;
    b.addEventListener('click', () => clicked(name, safeUrl(c[urlField])));
    actions.appendChild(b);
  }
  if (actions.children.length) box.appendChild(actions);
  root.appendChild(box);
  root.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); dismiss(true); }
    if (e.key === 'Tab' && !banner) trapFocus(e, box);
  });
  if (!banner) root.addEventListener('click', (e) => { if (e.target === root) dismiss(true); });
  current = { id: m.messageId, userId, root, previousFocus: document.activeElement };
  document.body.appendChild(root);
  // A modal takes the focus (to its main button, else the dialog) and gives it back when it closes; a banner
  // does not interrupt, but Escape closes it once the user is in it.
  if (!banner) (actions.querySelector('.journey-iam__button--primary') || box).focus();
  action('displayed');
}

function clicked(button, url) {
  if (!current) return;
  action('clicked', url ? { button, url } : { button });
  dismiss(true);
  if (url) {
    flush();
    location.assign(url);
  }
}

function dismiss(record) {
  if (!current) return;
  if (record) action('closed');
  const { root, previousFocus } = current;
  current = null;
  root.remove();
  if (previousFocus && previousFocus.focus) previousFocus.focus();
}

function action(name, detail) {
  if (!current) return;
  enqueue({ kind: 'iam', id: uuid(), messageId: current.id, userId: current.userId, action: name, detail });
  schedule(0);
}

function trapFocus(e, box) {
  const f = [...box.querySelectorAll('button, a[href]')];
  if (f.length === 0) return;
  const first = f[0], last = f[f.length - 1];
  if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}

function safeUrl(u) {
  // Only web links: a message must not be able to run script through a javascript: URL.
  try { return u && /^https?:$/.test(new URL(u, location.href).protocol) ? String(u) : null; } catch (e) { return null; }
}

// Every colour, size and font comes from a CSS variable with a default, so the host page restyles the
// message with e.g. :root { --journey-iam-accent: #0a7; } — see src/docs/web-sdk.md for the list.
function style() {
  if (document.getElementById('journey-iam-style')) return;
  const s = document.createElement('style');
  s.id = 'journey-iam-style';
  s.textContent = `
.journey-iam{position:fixed;z-index:var(--journey-iam-z,2147483000);font-family:var(--journey-iam-font,system-ui,sans-serif);color:var(--journey-iam-fg,#1d1d1f)}
.journey-iam--modal{inset:0;display:flex;align-items:center;justify-content:center;background:var(--journey-iam-backdrop,rgba(0,0,0,.45))}
.journey-iam--banner{left:0;right:0;top:0;display:flex;justify-content:center;padding:12px}
.journey-iam__box{position:relative;box-sizing:border-box;width:min(92vw,var(--journey-iam-width,420px));padding:24px 24px 20px;background:var(--journey-iam-bg,#fff);border-radius:var(--journey-iam-radius,12px);box-shadow:var(--journey-iam-shadow,0 10px 40px rgba(0,0,0,.25))}
.journey-iam--banner .journey-iam__box{width:min(96vw,var(--journey-iam-banner-width,720px));padding:14px 48px 14px 18px}
.journey-iam__title{margin:0 32px 8px 0;font-size:var(--journey-iam-title-size,1.25rem);line-height:1.3}
.journey-iam__body{margin:0 0 16px;font-size:var(--journey-iam-body-size,1rem);line-height:1.5;color:var(--journey-iam-muted,#3a3a3c)}
.journey-iam--banner .journey-iam__body{margin-bottom:0}
.journey-iam--banner .journey-iam__actions{margin-top:10px}
.journey-iam__actions{display:flex;gap:8px;justify-content:flex-end;flex-wrap:wrap}
.journey-iam__button{font:inherit;cursor:pointer;padding:8px 16px;border-radius:var(--journey-iam-button-radius,8px);border:1px solid var(--journey-iam-accent,#2f5bea)}
.journey-iam__button--primary{background:var(--journey-iam-accent,#2f5bea);color:var(--journey-iam-accent-fg,#fff)}
.journey-iam__button--secondary{background:transparent;color:var(--journey-iam-accent,#2f5bea)}
.journey-iam__close{position:absolute;top:8px;right:8px;width:32px;height:32px;font-size:22px;line-height:1;border:0;border-radius:50%;background:transparent;color:inherit;cursor:pointer}
.journey-iam__button:focus-visible,.journey-iam__close:focus-visible{outline:3px solid var(--journey-iam-focus,#ffb400);outline-offset:2px}`;
  document.head.appendChild(s);
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

function guard(name, fn) {
  try {
    return fn();
  } catch (e) {
    warn(name + ' failed: ' + (e && e.message ? e.message : e));
    return false;
  }
}

function warn(text) {
  try { console.warn('[journey] ' + text); } catch (e) { /* no console */ }
  return false;
}

function ready(name) {
  return cfg ? true : warn(name + ' before init({projectId, key, baseUrl}); ignored');
}

function storageKey(name) {
  return 'journey:' + cfg.projectId + ':' + name;
}

function read(name) {
  try { return localStorage.getItem(storageKey(name)); } catch (e) { return memory[storageKey(name)] ?? null; }
}

function write(name, v) {
  try { localStorage.setItem(storageKey(name), v); } catch (e) { memory[storageKey(name)] = v; }
}

function remove(name) {
  try { localStorage.removeItem(storageKey(name)); } catch (e) { delete memory[storageKey(name)]; }
}

function uuid() {
  if (typeof crypto !== 'undefined' && crypto.randomUUID) return crypto.randomUUID(); // secure contexts only
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function isText(v, max) {
  return typeof v === 'string' && v.length > 0 && v.length <= max && !v.includes('\u0000');
}

function num(v, fallback) {
  return typeof v === 'number' && v >= 0 ? v : fallback;
}

function enc(s) {
  return encodeURIComponent(s);
}

window.Journey = { init, setUserId, trackEvent, setTags, setSubscription, pushOpened, logout, flush, getDeviceId, version: VERSION };
})();
