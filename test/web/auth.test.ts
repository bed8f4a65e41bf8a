// Auth over the routes the router lists: every state-changing route refuses anonymous, cross-site, CSRF-less and viewer requests,
// every GET page carries the CSP; and log-in, log-out, sessions, set-up, tokens and the log-in throttle behave.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Hono } from 'hono';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { addUser, createToken, revokeToken, setRole } from '../../src/web/auth/accounts.js';
import { SAFE_METHODS, WRITE_EXCEPTIONS, writeRole } from '../../src/web/auth/index.js';
import { createSession } from '../../src/web/auth/sessions.js';
import { type AppEnv, ROLE_RANK, type Role } from '../../src/web/context.js';
import { signIn } from '../helpers.js';

const ORIGIN = 'http://localhost';
const PASSWORD = 'a passphrase long enough';

/** A concrete path for a route pattern: every parameter and wildcard becomes a sample segment. */
const concrete = (pattern: string) => pattern.replace(/:[A-Za-z_]\w*(\{[^}]*\})?\??/g, 'x1').replace(/\*/g, 'x1');

interface Route {
  readonly method: string;
  readonly path: string;
  /** The role a same-site request needs: the guard's (writeRole) or a stricter requireRole on the route. */
  readonly role: Role | 'public';
}

/** Every route with a state-changing method, as Hono's router lists them: not a hand-kept list. */
function stateChangingRoutes(app: Hono<AppEnv>): Route[] {
  const seen = new Map<string, Route>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || SAFE_METHODS.has(r.method)) continue;
    const key = `${r.method} ${r.path}`;
    const marked = (r.handler as { requiredRole?: Role }).requiredRole;
    const prior = seen.get(key)?.role ?? writeRole(r.method, r.path);
    const role = marked && (prior === 'public' || ROLE_RANK[marked] > ROLE_RANK[prior]) ? marked : prior;
    seen.set(key, { method: r.method, path: r.path, role });
  }
  return [...seen.values()];
}

let store: Store;
let app: Hono<AppEnv>;

/** Routes added after the app is built, as a later feature would: the guard covers them without being told. */
function addLaterRoutes(a: Hono<AppEnv>): void {
  a.post('/api/items/:id/notes', (c) => c.json({ ok: true, by: c.get('user')?.name }));
  a.delete('/api/items/:id/notes/:note', (c) => c.json({ ok: true }));
  a.put('/items/:id/verdict', (c) => c.text('saved'));
  a.patch('/sources/:name', (c) => c.text('changed'));
}

before(async () => {
  store = await openSqliteStore(':memory:');
  app = createApp({ store, auth: { throttle: { baseDelayMs: 0 } } });
  addLaterRoutes(app);
  await addUser(store, { name: 'admin', password: PASSWORD, role: 'admin' }, new Date());
});

const post = (path: string, method: string, headers: Record<string, string>, body?: string, to: Hono<AppEnv> = app) =>
  to.request(path, { method, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: body ?? '' });

describe('every state-changing route, enumerated from the router', () => {
  test('the enumeration finds the log-in routes and the routes added later', () => {
    const keys = stateChangingRoutes(app).map((r) => `${r.method} ${r.path}`);
    for (const k of ['POST /login', 'POST /logout', 'POST /setup', 'POST /api/items/:id/notes', 'DELETE /api/items/:id/notes/:note', 'PUT /items/:id/verdict', 'PATCH /sources/:name']) {
      assert.ok(keys.includes(k), `${k} in ${keys.join(', ')}`);
    }
    assert.deepEqual(Object.keys(WRITE_EXCEPTIONS).sort(), ['POST /login', 'POST /logout', 'POST /read', 'POST /setup', 'POST /views', 'POST /views/:id/delete'], 'the exceptions are named, and few');
  });

  test('anonymous requests are refused: 401 JSON for scripts, a redirect to the log-in page for browsers', async () => {
    for (const r of stateChangingRoutes(app).filter((x) => x.role !== 'public')) {
      const path = concrete(r.path);
      const json = await post(path, r.method, { origin: ORIGIN });
      assert.equal(json.status, 401, `${r.method} ${path}`);
      const body = await json.json();
      assert.equal(body.error.code, 'unauthenticated', `${r.method} ${path}`);
      assert.match(json.headers.get('www-authenticate') ?? '', /^Bearer/);
      const html = await post(path, r.method, { origin: ORIGIN, accept: 'text/html' });
      // The JSON API answers JSON whatever the Accept header says.
      assert.equal(html.status, path.startsWith('/api/') ? 401 : 303, `${r.method} ${path}`);
      if (!path.startsWith('/api/')) assert.equal(html.headers.get('location'), '/login');
    }
  });

  test('a valid session cookie from another site is refused (Origin or Sec-Fetch-Site), public forms included', async () => {
    for (const r of stateChangingRoutes(app)) {
      const path = concrete(r.path);
      const s = await signIn(store, 'admin', 'cross-admin');
      for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }] as Record<string, string>[]) {
        const res = await post(path, r.method, { ...s.headers, ...headers });
        assert.equal(res.status, 403, `${r.method} ${path} ${JSON.stringify(headers)}`);
        assert.equal((await res.json()).error.code, 'cross-site');
      }
    }
  });

  test('the browser\'s own Sec-Fetch-Site decides over Origin, as under a no-referrer policy a same-origin form says "Origin: null"', async () => {
    const s = await signIn(store, 'analyst', 'sfs-analyst');
    for (const site of ['same-origin', 'none']) {
      const res = await post('/api/items/itm_1/notes', 'POST', { ...s.headers, origin: 'null', 'sec-fetch-site': site });
      assert.equal(res.status, 200, site);
    }
    const forged = await post('/api/items/itm_1/notes', 'POST', { ...s.headers, origin: ORIGIN, 'sec-fetch-site': 'cross-site' });
    assert.equal(forged.status, 403);
    assert.equal((await app.request('/')).headers.get('referrer-policy'), 'same-origin');
  });

  test('a same-site session request without its CSRF token, or with another session\'s, is refused', async () => {
    for (const r of stateChangingRoutes(app).filter((x) => x.role !== 'public')) {
      const path = concrete(r.path);
      const s = await signIn(store, 'admin', 'csrf-admin');
      const other = await signIn(store, 'admin', 'csrf-admin');
      for (const headers of [{ cookie: s.cookie }, { cookie: s.cookie, 'x-csrf-token': other.csrfToken }, { cookie: s.cookie, 'x-csrf-token': '' }] as Record<string, string>[]) {
        const res = await post(path, r.method, { ...headers, origin: ORIGIN, 'sec-fetch-site': 'same-origin' });
        assert.equal(res.status, 403, `${r.method} ${path}`);
        assert.equal((await res.json()).error.code, 'csrf');
      }
      const form = await post(path, r.method, { cookie: s.cookie, origin: ORIGIN }, `_csrf=${encodeURIComponent(other.csrfToken)}`);
      assert.equal(form.status, 403, `${r.method} ${path}: form field of another session`);
    }
  });

  test('a role below the route\'s is refused with 403; the role it needs, same-site with its token, gets through', async () => {
    for (const r of stateChangingRoutes(app).filter((x) => x.role !== 'public')) {
      const path = concrete(r.path);
      const below = (['viewer', 'analyst'] as const).filter((role) => ROLE_RANK[role] < ROLE_RANK[r.role as Role]);
      for (const role of below) {
        const s = await signIn(store, role, `below-${role}`);
        const res = await post(path, r.method, { ...s.headers, origin: ORIGIN, 'sec-fetch-site': 'same-origin' });
        assert.equal(res.status, 403, `${role} on ${r.method} ${path}`);
        assert.equal((await res.json()).error.code, 'forbidden');
      }
      const s = await signIn(store, r.role as Role, `enough-${r.role}`);
      const ok = await post(path, r.method, { ...s.headers, origin: ORIGIN, 'sec-fetch-site': 'same-origin' });
      assert.ok(![401, 403].includes(ok.status), `${r.role} on ${r.method} ${path}: ${ok.status}`);
      const again = await signIn(store, r.role as Role, `enough-${r.role}`);
      const field = await post(path, r.method, { cookie: again.cookie }, `_csrf=${encodeURIComponent(again.csrfToken)}`);
      assert.ok(![401, 403].includes(field.status), `${r.role} on ${r.method} ${path} with the form field: ${field.status}`);
    }
  });

  test('with anonymous read on, every state-changing route but log-in and set-up still refuses an anonymous request', async () => {
    const open = createApp({ store, auth: { anonymousRead: true, throttle: { baseDelayMs: 0 } } });
    addLaterRoutes(open);
    const routes = stateChangingRoutes(open);
    assert.ok(routes.length >= 25, `${routes.length} routes`);
    assert.deepEqual(routes.filter((r) => r.role === 'public').map((r) => `${r.method} ${r.path}`).sort(), ['POST /login', 'POST /setup']);
    const users = (await store.listUsers()).length;
    // A form that would change something if it got through: the route's own checks never see it.
    const body = new URLSearchParams({ name: 'anonymous-made', password: PASSWORD, confirm: PASSWORD, role: 'admin', user: 'admin', _csrf: '' }).toString();
    for (const r of routes.filter((x) => x.role !== 'public')) {
      const path = concrete(r.path);
      for (const headers of [{ origin: ORIGIN }, { 'sec-fetch-site': 'same-origin' }, {}] as Record<string, string>[]) {
        const res = await post(path, r.method, headers, body, open);
        assert.equal(res.status, 401, `${r.method} ${path} ${JSON.stringify(headers)}`);
        assert.equal((await res.json()).error.code, 'unauthenticated');
      }
      const html = await post(path, r.method, { origin: ORIGIN, accept: 'text/html' }, body, open);
      assert.equal(html.status, path.startsWith('/api/') ? 401 : 303, `${r.method} ${path}`);
    }
    assert.equal((await store.listUsers()).length, users, 'no account was made');
  });

  test('the account and token routes need an admin, marked on each route', () => {
    const admin = stateChangingRoutes(app).filter((r) => /^\/(admin|api\/users|api\/tokens)(\/|$)/.test(r.path));
    assert.equal(admin.length, 12, admin.map((r) => `${r.method} ${r.path}`).join(', '));
    for (const r of admin) assert.equal(r.role, 'admin', `${r.method} ${r.path}`);
    const reads = app.routes.filter((x) => x.method === 'GET' && /^\/(admin|api\/users|api\/tokens)(\/|$)/.test(x.path));
    assert.deepEqual([...new Set(reads.map((x) => x.path))].sort(), ['/admin/users', '/api/tokens', '/api/users']);
    for (const path of new Set(reads.map((x) => x.path))) {
      assert.ok(reads.some((x) => x.path === path && (x.handler as { requiredRole?: Role }).requiredRole === 'admin'), `GET ${path}`);
    }
  });

  test('the viewer default is analyst: a viewer may only sign out and keep their own list state (saved views, read marks)', async () => {
    const viewerOk = stateChangingRoutes(app).filter((r) => r.role === 'viewer').map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(viewerOk.sort(), ['POST /logout', 'POST /read', 'POST /views', 'POST /views/:id/delete']);
    const s = await signIn(store, 'analyst', 'writer');
    const res = await post('/api/items/itm_1/notes', 'POST', { ...s.headers, origin: ORIGIN });
    assert.deepEqual(await res.json(), { ok: true, by: 'writer' });
  });
});

describe('reads', () => {
  const getRoutes = () => [...new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path))];

  test('every GET route answers with the CSP header, signed in or not', async () => {
    const s = await signIn(store, 'viewer', 'csp-viewer');
    assert.ok(getRoutes().length >= 10);
    for (const pattern of getRoutes()) {
      for (const headers of [s.headers, {}, { accept: 'text/html' }]) {
        const res = await app.request(concrete(pattern), { headers });
        assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/, `${pattern} ${res.status}`);
        assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      }
    }
  });

  test('reading needs a user: pages redirect to the log-in page and back, the API answers 401 JSON', async () => {
    const page = await app.request('/items/itm_9?tab=iocs', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), `/login?next=${encodeURIComponent('/items/itm_9?tab=iocs')}`);
    const api = await app.request('/api/items');
    assert.equal(api.status, 401);
    assert.deepEqual(Object.keys((await api.json()).error).sort(), ['code', 'message']);
    for (const open of ['/login', '/static/vigil.css', '/static/vigil.svg', '/healthz']) assert.equal((await app.request(open)).status, 200, open);
    const icon = await app.request('/favicon.ico');
    assert.deepEqual([icon.status, icon.headers.get('location')], [301, '/static/vigil.svg'], 'a browser asking for /favicon.ico is led to the icon');
    const s = await signIn(store, 'viewer', 'reader');
    assert.equal((await app.request('/api/items', { headers: s.headers })).status, 200);
    const html = await (await app.request('/', { headers: { ...s.headers, accept: 'text/html' } })).text();
    assert.match(html, /class="user-menu"><span>reader <span class="muted">\(viewer\)<\/span>/);
    assert.match(html, new RegExp(`<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${s.csrfToken}"/>`));
  });

  test('anonymous read (off by default) opens the pages and the read API, never a write', async () => {
    const open = createApp({ store, auth: { anonymousRead: true } });
    assert.equal((await open.request('/api/items')).status, 200);
    const html = await (await open.request('/')).text();
    assert.match(html, /<a href="\/login">Sign in<\/a>/);
    const write = await open.request('/logout', { method: 'POST', headers: { origin: ORIGIN } });
    assert.equal(write.status, 401);
  });
});

describe('log-in, sessions and log-out', () => {
  const login = (a: Hono<AppEnv>, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    a.request('/login', { method: 'POST', headers: { accept: 'text/html', origin: ORIGIN, ...headers }, body: new URLSearchParams(fields) });

  test('log-in rotates the session, goes to a local next, and log-out deletes the session', async () => {
    const earlier = await signIn(store, 'admin');
    const res = await login(app, { name: 'ADMIN ', password: PASSWORD, next: '/items/itm_1?x=1' }, { cookie: earlier.cookie });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/items/itm_1?x=1');
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^vigil_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    const cookie = setCookie.split(';')[0];
    assert.notEqual(cookie, earlier.cookie);
    assert.equal((await app.request('/api/items', { headers: { cookie: earlier.cookie } })).status, 401, 'the session it came with ended');
    const page = await (await app.request('/', { headers: { cookie, accept: 'text/html' } })).text();
    const csrf = /name="_csrf" value="([\w-]+)"/.exec(page)?.[1] ?? '';
    const out = await app.request('/logout', { method: 'POST', headers: { cookie, accept: 'text/html', origin: ORIGIN }, body: new URLSearchParams({ _csrf: csrf }) });
    assert.equal(out.status, 303);
    assert.match(out.headers.get('set-cookie') ?? '', /^vigil_session=; Max-Age=0/);
    assert.equal((await app.request('/api/items', { headers: { cookie } })).status, 401, 'the session is gone from the store');
  });

  test('a wrong password or unknown name is one answer; the JSON form gives a code', async () => {
    const wrong = await login(app, { name: 'admin', password: 'not the passphrase at all' });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /Wrong name or password\./);
    const nobody = await app.request('/login', { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ name: 'nobody', password: PASSWORD }) });
    assert.equal(nobody.status, 401);
    assert.equal((await nobody.json()).error.code, 'bad-credentials');
  });

  test('a log-in form over 16 KiB is refused before it is read', async () => {
    const res = await login(app, { name: 'admin', password: 'x'.repeat(20_000) });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.code, 'too-large');
  });

  test('next never leaves the site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x', ' /x', '/logout']) {
      const res = await login(app, { name: 'admin', password: PASSWORD, next });
      assert.equal(res.status, 303, next);
      const location = res.headers.get('location') ?? '';
      assert.ok(location.startsWith('/') && !location.startsWith('//') && !location.includes('\\'), `${next} -> ${location}`);
      assert.ok(!/evil|javascript|logout/.test(location), `${next} -> ${location}`);
    }
    const page = await app.request(`/login?next=${encodeURIComponent('//evil.example')}`);
    assert.match(await page.text(), /name="next" value="\/"/);
  });

  test('a session ends at its idle timeout, and at its lifetime however active it is', async () => {
    let now = Date.parse('2026-12-01T08:00:00Z');
    const clocked = createApp({ store, auth: { now: () => new Date(now), sessionIdleMs: 30 * 60_000, sessionLifetimeMs: 2 * 3_600_000 } });
    const user = await store.getUserByName('admin');
    const idle = await createSession(store, user!.id, { lifetimeMs: 2 * 3_600_000 }, new Date(now));
    const active = await createSession(store, user!.id, { lifetimeMs: 2 * 3_600_000 }, new Date(now));
    const read = async (id: string) => (await clocked.request('/api/items', { headers: { cookie: `vigil_session=${id}` } })).status;
    for (let minutes = 20; minutes <= 100; minutes += 20) {
      now += 20 * 60_000;
      assert.equal(await read(active.id), 200, `active at +${minutes} min`);
    }
    assert.equal(await read(idle.id), 401, 'idle for 100 minutes');
    now += 25 * 60_000;
    assert.equal(await read(active.id), 401, 'past its 2 hours');
  });

  test('secure cookies when the site is https: __Host- prefix, Secure, and the public origin may post', async () => {
    const https = createApp({ store, auth: { siteUrl: 'https://vigil.example/' } });
    const res = await login(https, { name: 'admin', password: PASSWORD }, { origin: 'https://vigil.example' });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('set-cookie') ?? '', /^__Host-vigil_session=[\w-]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const cross = await login(https, { name: 'admin', password: PASSWORD }, { origin: 'https://vigil.example.evil.test' });
    assert.equal(cross.status, 403);
  });

  test('log-in is throttled per account, then per address, with a delay after each failure', async () => {
    const throttled = createApp({ store, auth: { throttle: { accountLimit: 3, addressLimit: 5, baseDelayMs: 0 } } });
    for (let i = 0; i < 3; i++) assert.equal((await login(throttled, { name: 'admin', password: `wrong ${i} but long enough` })).status, 401);
    const locked = await login(throttled, { name: 'admin', password: PASSWORD });
    assert.equal(locked.status, 429, 'even the right password waits out the window');
    assert.ok(Number(locked.headers.get('retry-after')) > 800);
    assert.match(await locked.text(), /Too many failed attempts: try again in 15 minutes\./);
    const json = await throttled.request('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'admin', password: PASSWORD }) });
    assert.equal((await json.json()).error.code, 'rate-limited');
    for (const name of ['someone', 'someone-else']) assert.equal((await login(throttled, { name, password: 'a guess long enough' })).status, 401);
    assert.equal((await login(throttled, { name: 'a-third-name', password: PASSWORD })).status, 429, 'the address has used its 5 failures');
    assert.equal((await login(app, { name: 'admin', password: PASSWORD })).status, 303, 'another app instance keeps its own count');
  });
});

describe('API tokens', () => {
  test('a bearer token reads and writes by its role without CSRF; Basic (feed readers) only reads', async () => {
    await signIn(store, 'analyst', 'token-owner');
    const { token } = await createToken(store, { user: 'token-owner', name: 'siem' }, new Date());
    assert.match(token, /^vgl_[\w-]{43}$/);
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await app.request('/api/items', { headers: bearer })).status, 200);
    const write = await app.request('/api/items/itm_1/notes', { method: 'POST', headers: { ...bearer, origin: 'https://elsewhere.example' } });
    assert.deepEqual(await write.json(), { ok: true, by: 'token-owner' });
    const basic = { authorization: `Basic ${Buffer.from(`feedreader:${token}`).toString('base64')}` };
    assert.equal((await app.request('/feeds/items.rss', { headers: basic })).status, 200);
    const basicWrite = await app.request('/api/items/itm_1/notes', { method: 'POST', headers: basic });
    assert.equal(basicWrite.status, 401);
    assert.match((await basicWrite.json()).error.message, /Bearer/);
    const unknown = await app.request('/api/items', { headers: { authorization: 'Bearer vgl_not-a-token' } });
    assert.equal(unknown.status, 401);
    assert.equal((await unknown.json()).error.code, 'invalid-token');
    const [listed] = (await store.listApiTokens()).filter((t) => t.name === 'siem');
    assert.ok(listed.lastUsedAt, 'last use is recorded');
  });

  test('a token acts at most with its owner\'s role today, and stops at expiry or revocation', async () => {
    await signIn(store, 'analyst', 'demoted');
    const { token, record } = await createToken(store, { user: 'demoted', name: 'ci', role: 'analyst' }, new Date());
    const note = () => app.request('/api/items/itm_1/notes', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await note()).status, 200);
    await setRole(store, 'demoted', 'viewer');
    assert.equal((await note()).status, 403);
    await assert.rejects(createToken(store, { user: 'demoted', name: 'x', role: 'admin' }, new Date()), /cannot have the role admin/);
    const old = await createToken(store, { user: 'demoted', name: 'old', expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000));
    const expired = await app.request('/api/items', { headers: { authorization: `Bearer ${old.token}` } });
    assert.equal(expired.status, 401);
    assert.match((await expired.json()).error.message, /expired at/);
    await revokeToken(store, record.id);
    assert.equal((await note()).status, 401);
    await assert.rejects(revokeToken(store, record.id), /no token with id/);
  });
});

describe('first-run set-up', () => {
  test('with no account every page leads to /setup, which makes one admin once', async () => {
    const fresh = await openSqliteStore(':memory:');
    const a = createApp({ store: fresh, auth: { setupCode: 'c0ffee123456' } });
    assert.equal((await a.request('/', { headers: { accept: 'text/html' } })).headers.get('location'), '/setup');
    assert.equal((await a.request('/login', { headers: { accept: 'text/html' } })).headers.get('location'), '/setup');
    assert.equal((await a.request('/api/items')).status, 401);
    assert.match(await (await a.request('/setup')).text(), /name="code"/);
    const form = (fields: Record<string, string>) => a.request('/setup', { method: 'POST', headers: { accept: 'text/html', origin: ORIGIN }, body: new URLSearchParams(fields) });
    const base = { code: 'c0ffee123456', name: 'Owner', password: PASSWORD, confirm: PASSWORD };
    assert.equal((await form({ ...base, code: 'c0ffee123457' })).status, 401);
    const short = await form({ ...base, password: 'short', confirm: 'short' });
    assert.equal(short.status, 400);
    assert.match(await short.text(), /at least 15 characters \(got 5\)/);
    assert.match(await (await form({ ...base, confirm: `${PASSWORD}!` })).text(), /The two passwords differ\./);
    const done = await form(base);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/');
    const cookie = (done.headers.get('set-cookie') ?? '').split(';')[0];
    assert.equal((await a.request('/api/items', { headers: { cookie } })).status, 200);
    assert.deepEqual((await fresh.listUsers()).map((u) => [u.name, u.role]), [['owner', 'admin']]);
    const again = await form({ ...base, name: 'intruder' });
    assert.equal(again.status, 409);
    assert.equal((await a.request('/setup', { headers: { accept: 'text/html' } })).headers.get('location'), '/login');
    assert.equal((await fresh.listUsers()).length, 1);
    await fresh.close();
  });

  test('two set-ups at once make one admin', async () => {
    const fresh = await openSqliteStore(':memory:');
    const a = createApp({ store: fresh });
    const form = (name: string) => a.request('/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: PASSWORD }) });
    const statuses = (await Promise.all([form('first'), form('second')])).map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409]);
    assert.equal((await fresh.listUsers()).length, 1);
    await fresh.close();
  });
});
