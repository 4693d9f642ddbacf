// Unit tests of the SDK's queue, validation and retries without a browser: `node --test test/` (Node 20).
// The browser behaviour (CORS, beacons, localStorage across reloads, in-app UI) is tested in a real Chromium
// by journey-api's WebSdkBrowserTest, which is what CI runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// The few browser globals the SDK touches, in memory.
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
globalThis.addEventListener = () => {};
globalThis.document = { addEventListener: () => {}, visibilityState: 'visible' };
globalThis.location = { origin: 'http://shop.test', href: 'http://shop.test/' };
const warnings = [];
console.warn = (w) => warnings.push(String(w));
const requests = [];
let answer = () => ({ status: 202, body: { accepted: 1, duplicates: 0 } });
globalThis.fetch = async (url, init) => {
  requests.push({ url, method: init.method, headers: init.headers, body: init.body && JSON.parse(init.body) });
  const a = answer(url);
  if (a === 'offline') throw new TypeError('Failed to fetch');
  return { ok: a.status < 300, status: a.status, headers: { get: () => null }, json: async () => a.body || {} };
};

const J = await import('../journey.mjs');
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const tracked = () => requests.filter((r) => r.url.endsWith('/track')).flatMap((r) => r.body.events);

test('nothing is thrown before init, and calls say why they did nothing', () => {
  assert.equal(J.trackEvent('x'), false);
  assert.match(warnings.pop(), /trackEvent before init/);
});

test('init registers the device once and sends typed events with an eventId', async () => {
  J.init({ projectId: 'p1', key: 'jpk_test', baseUrl: 'http://engine.test/', flushInterval: 0, inApp: false });
  assert.equal(J.trackEvent('purchase', { amount: 10000, name: 'Mug', ok: true, at: '2024-04-19T14:23:56+09:00',
    ms: 1681721331085, skus: ['a'], n: [1, 2], none: null, when: new Date(0) }), true);
  await wait(20);
  const device = requests.find((r) => r.url.endsWith('/devices'));
  assert.equal(device.body.platform, 'web');
  assert.match(device.body.deviceId, /^web_/);
  assert.equal(device.headers.Authorization, 'Bearer jpk_test');
  const [e] = tracked();
  assert.equal(e.subjectType, 'device');
  assert.equal(e.subjectId, device.body.deviceId);
  assert.match(e.eventId, /^[0-9a-f-]{36}$/);
  assert.equal(e.data.when, '1970-01-01T00:00:00.000Z');
  assert.equal(e.data.none, null);
});

test('invalid data is refused with the path, like the API would', () => {
  warnings.length = 0;
  assert.equal(J.trackEvent('x', { a: { b: 1 } }), false);
  assert.equal(J.trackEvent('x', { a: [1, 'b'] }), false);
  assert.equal(J.trackEvent('x', { a: Infinity }), false);
  assert.equal(J.trackEvent('x', { a: undefined }), false);
  assert.equal(J.trackEvent('@first_session'), false);
  assert.equal(J.trackEvent('x'.repeat(129)), false);
  assert.equal(J.trackEvent('x', Object.fromEntries([...Array(101).keys()].map((i) => ['k' + i, i]))), false);
  assert.equal(warnings.length, 7);
  assert.match(warnings[0], /data\.a is a nested object/);
  assert.match(warnings[1], /data\.a must be an array whose elements are all strings or all numbers/);
});

test('a failed send is retried with the same eventId; nothing is lost while offline', async () => {
  requests.length = 0;
  let calls = 0;
  answer = () => (++calls <= 2 ? 'offline' : { status: 202 });
  J.trackEvent('retry_me', { i: 1 });
  await wait(100);
  J.trackEvent('retry_me_too'); // tracking more while failing does not cut the backoff short
  await wait(300);
  assert.equal(tracked().length, 1);
  await wait(4000); // backoff: ~0.5–1 s, then ~1–2 s
  const sent = tracked().filter((e) => e.type === 'retry_me');
  assert.ok(sent.length >= 3, 'sent ' + sent.length + ' times');
  assert.equal(new Set(sent.map((e) => e.eventId)).size, 1);
  assert.equal(new Set(tracked().filter((e) => e.type === 'retry_me_too').map((e) => e.eventId)).size, 1);
  assert.equal(JSON.parse(localStorage.getItem('journey:p1:queue')).length, 0);
});

test('setUserId joins the device to the user; later events are the user\'s; logout goes back to the device', async () => {
  answer = () => ({ status: 200 });
  requests.length = 0;
  J.setUserId('ann');
  J.trackEvent('after_login');
  J.setTags({ tier: 'gold', old: null });
  assert.equal(J.setSubscription('news', 'email', false), true);
  assert.equal(J.setSubscription('no spaces', null, true), false);
  assert.equal(J.setSubscription('news', 'fax', true), false);
  assert.equal(J.pushOpened('m-1:push'), true);
  assert.equal(J.pushOpened(''), false);
  await wait(50);
  const opened = requests.find((r) => r.url.includes('/messages/'));
  assert.ok(opened.url.endsWith('/messages/m-1%3Apush/opened?userId=ann'), opened.url);
  assert.equal(opened.method, 'POST');
  const subscriptions = requests.find((r) => r.url.endsWith('/users/ann/subscriptions'));
  assert.deepEqual(subscriptions.body, { subscriptions: [{ topic: 'news', channel: 'email', status: 'unsubscribed' }] });
  const device = requests.find((r) => r.url.endsWith('/devices'));
  assert.equal(device.body.userId, 'ann');
  assert.equal(tracked().find((e) => e.type === 'after_login').subjectId, 'ann');
  const tags = requests.find((r) => r.url.endsWith('/users/ann/tags'));
  assert.deepEqual(tags.body, { tags: { tier: 'gold', old: null } });
  J.logout();
  J.trackEvent('after_logout');
  await wait(50);
  assert.equal(tracked().find((e) => e.type === 'after_logout').subjectType, 'device');
  assert.equal(J.setTags({ a: 1 }), false);
  assert.equal(J.setSubscription('news', null, true), false, 'no user after logout');
  assert.equal(J.pushOpened('m-1:push'), false, 'no user after logout');
});

test('events the engine refuses by path are dropped, the others kept', async () => {
  requests.length = 0;
  answer = (url) => (url.endsWith('/track') && requests.filter((r) => r.url.endsWith('/track')).length === 1
    ? { status: 400, body: { details: [{ path: 'events[0].data.x', message: 'nope' }] } } : { status: 202 });
  J.trackEvent('first');
  J.trackEvent('second');
  await wait(50);
  const second = requests.filter((r) => r.url.endsWith('/track'))[1];
  assert.deepEqual(second.body.events.map((e) => e.type), ['second']);
});
