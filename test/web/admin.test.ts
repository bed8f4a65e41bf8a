// Admin-only management of users and API tokens: the /admin/users page and its forms, the JSON API under /api, who may use
// them, the last-admin guard, the audit log, and that no secret is ever listed and every name is escaped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Hono } from 'hono';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { addUser } from '../../src/web/auth/accounts.js';
import { sha256 } from '../../src/web/auth/secrets.js';
import type { AppEnv, Role } from '../../src/web/context.js';
import { signIn } from '../helpers.js';

const PASSWORD = 'a passphrase long enough';
const XSS = '<img src=x onerror=alert(1)>';

let store: Store;
let app: Hono<AppEnv>;

before(async () => {
  store = await openSqliteStore(':memory:');
  app = createApp({ store, auth: { throttle: { baseDelayMs: 0 } } });
});
after(async () => store.close());

type Session = Awaited<ReturnType<typeof signIn>>;
const sessions = new Map<string, Session>();
async function session(name: string, role: Role = 'admin'): Promise<Session> {
  if (!sessions.has(name)) sessions.set(name, await signIn(store, role, name));
  return sessions.get(name)!;
}

/** A same-site form post of the signed-in `who`, with the session's CSRF token in the form field, as the page sends it. */
async function form(path: string, fields: Record<string, string>, who = 'root', role: Role = 'admin') {
  const s = await session(who, role);
  return app.request(path, {
    method: 'POST', headers: { cookie: s.cookie, accept: 'text/html', origin: 'http://localhost' }, body: new URLSearchParams({ _csrf: s.csrfToken, ...fields }),
  });
}

/** A JSON call, with a session (cookie and CSRF header) or with a bearer token. */
async function api(method: string, path: string, body?: unknown, auth: { who?: string; role?: Role; token?: string } = {}) {
  const headers: Record<string, string> = auth.token ? { authorization: `Bearer ${auth.token}` } : (await session(auth.who ?? 'root', auth.role ?? 'admin')).headers;
  return app.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

const adminPage = async (who = 'root', role: Role = 'admin') => (await app.request('/admin/users', { headers: { ...(await session(who, role)).headers, accept: 'text/html' } })).text();
const logIn = (name: string, password: string) => app.request('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
const auditActions = async () => (await store.auditLog({ limit: 1000, offset: 0 })).filter((e) => e.itemId === null).map((e) => [e.actor, e.action, e.target]);

describe('the admin page and its forms', () => {
  test('an admin adds a user, changes their role, resets their password and removes them; each change is audited', async () => {
    const added = await form('/admin/users', { name: 'Bob', role: 'viewer', password: PASSWORD, confirm: PASSWORD });
    assert.equal(added.status, 303);
    assert.equal(added.headers.get('location'), '/admin/users?done=user-added');
    assert.equal((await store.getUserByName('bob'))?.role, 'viewer');
    assert.equal((await logIn('bob', PASSWORD)).status, 200, 'the new account signs in');
    const notice = await (await app.request('/admin/users?done=user-added', { headers: (await session('root')).headers })).text();
    assert.match(notice, /<p class="notice" role="status">User added\.<\/p>/);

    assert.equal((await form('/admin/users/bob/role', { role: 'analyst' })).status, 303);
    assert.equal((await store.getUserByName('bob'))?.role, 'analyst');

    const bobSession = await session('bob', 'analyst');
    assert.equal((await form('/admin/users/bob/password', { password: 'the reset passphrase', confirm: 'the reset passphrase' })).status, 303);
    assert.equal((await app.request('/api/items', { headers: bobSession.headers })).status, 401, "the reset ended bob's sessions");
    assert.equal((await logIn('bob', PASSWORD)).status, 401);
    assert.equal((await logIn('bob', 'the reset passphrase')).status, 200);

    assert.equal((await form('/admin/users/bob/remove', {})).status, 303);
    assert.equal(await store.getUserByName('bob'), null);
    assert.deepEqual((await auditActions()).filter(([, , target]) => target === 'user bob'), [
      ['root', 'user.remove', 'user bob'], ['root', 'user.password', 'user bob'], ['root', 'user.role', 'user bob'], ['root', 'user.add', 'user bob'],
    ]);
    const log = await (await app.request('/audit', { headers: (await session('root')).headers })).text();
    assert.match(log, /<td>root<\/td><td><code>user\.remove<\/code><\/td><td><span class="muted">none<\/span><\/td><td>user bob<\/td>/);
  });

  test('the password rules the CLI enforces hold, a refused form keeps what was typed (never the password), and errors are escaped', async () => {
    const weak = await form('/admin/users', { name: 'carol', role: 'viewer', password: 'short', confirm: 'short' });
    assert.equal(weak.status, 400);
    const html = await weak.text();
    assert.match(html, /<p class="form-error" role="alert">a password needs at least 15 characters \(got 5\)<\/p>/);
    assert.match(html, /name="name" autocomplete="username" maxlength="64" required="" value="carol"/);
    assert.match(html, /<option value="viewer" selected="">viewer<\/option>/);
    assert.doesNotMatch(html, /value="short"/);
    const differ = await form('/admin/users', { name: 'carol', password: PASSWORD, confirm: `${PASSWORD}!` });
    assert.equal(differ.status, 400);
    assert.match(await differ.text(), /The two passwords differ\./);
    assert.match(await (await form('/admin/users', { name: 'root', password: PASSWORD, confirm: PASSWORD })).text(), /a user named &quot;root&quot; exists/);
    const hostile = await form('/admin/users', { name: XSS, password: PASSWORD, confirm: PASSWORD });
    assert.equal(hostile.status, 400);
    const page = await hostile.text();
    assert.ok(!page.includes(XSS), 'the refused name comes back escaped');
    assert.match(page, /got &quot;&lt;img src=x onerror=alert\(1\)&gt;&quot;/);
    assert.match(page, /value="&lt;img src=x onerror=alert\(1\)&gt;"/);
    assert.equal((await form('/admin/users/nobody/role', { role: 'viewer' })).status, 404);
    assert.equal((await form('/admin/users/root/role', { role: 'superuser' })).status, 400);
  });

  test('a token made on the page is shown once, works for the API, is listed without its secret, and stops at revocation', async () => {
    await addUser(store, { name: 'dana', password: PASSWORD, role: 'analyst' }, new Date());
    const made = await form('/admin/tokens', { user: 'dana', name: XSS, role: 'viewer', expiresDays: '30' });
    assert.equal(made.status, 201);
    assert.equal(made.headers.get('cache-control'), 'no-store');
    const shown = await made.text();
    const token = /<code class="copy-value">(vgl_[\w-]{43})<\/code>/.exec(shown)?.[1] ?? '';
    assert.ok(token, 'the secret is on the page that made it');
    assert.ok(!shown.includes(XSS), 'the token name is escaped');
    assert.match(shown, /New token “&lt;img src=x onerror=alert\(1\)&gt;”/);
    assert.match(shown, /For dana, acting as viewer, until 20\d\d-/);

    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await app.request('/api/items', { headers: bearer })).status, 200);
    assert.equal((await app.request('/api/users', { headers: bearer })).status, 403, 'a viewer token manages nothing');

    const listed = await adminPage();
    assert.ok(!listed.includes(token) && !listed.includes(token.slice(4)) && !listed.includes(sha256(token)), 'the list page holds no secret');
    assert.ok(!listed.includes(XSS));
    assert.match(listed, /<td>&lt;img src=x onerror=alert\(1\)&gt;<\/td><td>dana<\/td><td>viewer<\/td>/);
    const [record] = await store.listApiTokens((await store.getUserByName('dana'))!.id);
    assert.match(listed, new RegExp(`<td class="date">${record.lastUsedAt!.slice(0, 16).replace('T', ' ')} UTC</td>`), 'its last use is listed');

    const revoked = await form(`/admin/tokens/${record.id}/revoke`, {});
    assert.equal(revoked.headers.get('location'), '/admin/users?done=token-revoked');
    const refused = await app.request('/api/items', { headers: bearer });
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, 'invalid-token');
    assert.equal((await form(`/admin/tokens/${record.id}/revoke`, {})).status, 404);
    const actions = (await auditActions()).filter(([, , target]) => target === `token ${record.id}`);
    assert.deepEqual(actions, [['root', 'token.revoke', `token ${record.id}`], ['root', 'token.create', `token ${record.id}`]]);
    assert.equal((await form('/admin/tokens', { user: 'dana', name: 'too high', role: 'admin' })).status, 400, "never above the owner's role");
    assert.equal((await form('/admin/tokens', { user: 'dana', name: 'bad days', expiresDays: 'soon' })).status, 400);
  });

  test('only an admin sees the Users link', async () => {
    assert.match(await adminPage(), /<a href="\/profile">Profile<\/a> <a href="\/admin\/users">Users<\/a><\/nav>/);
    for (const role of ['viewer', 'analyst'] as const) {
      const s = await session(`link-${role}`, role);
      const html = await (await app.request('/', { headers: { ...s.headers, accept: 'text/html' } })).text();
      assert.match(html, /<a href="\/profile">Profile<\/a><\/nav>/, role);
    }
  });
});

describe('the JSON API', () => {
  test('an admin session adds, changes, resets and removes users; the answers never carry a hash', async () => {
    const added = await api('POST', '/api/users', { name: 'erin', password: PASSWORD });
    assert.equal(added.status, 201);
    const { user } = await added.json();
    assert.deepEqual(Object.keys(user).sort(), ['createdAt', 'id', 'name', 'passwordChangedAt', 'role']);
    assert.equal(user.role, 'analyst', 'analyst unless told');
    assert.equal((await (await api('POST', '/api/users/erin/role', { role: 'viewer' })).json()).user.role, 'viewer');
    const reset = await api('POST', '/api/users/erin/password', { password: 'another passphrase here' });
    assert.equal(reset.status, 200);
    assert.equal((await logIn('erin', 'another passphrase here')).status, 200);
    const users = await (await api('GET', '/api/users')).json();
    assert.ok(users.users.some((u: { name: string }) => u.name === 'erin'));
    assert.doesNotMatch(JSON.stringify(users), /scrypt|passwordHash/);
    const removed = await api('DELETE', '/api/users/erin');
    assert.equal(removed.status, 200);
    assert.equal((await removed.json()).removed.name, 'erin');
    assert.deepEqual((await auditActions()).filter(([, , t]) => t === 'user erin').map(([, action]) => action), ['user.remove', 'user.password', 'user.role', 'user.add']);
  });

  test('refusals are JSON with a code', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/users', { name: 'frank', password: 'short' }, 400, 'weak-password'],
      ['POST', '/api/users', { name: 'frank', password: PASSWORD, confirm: 'something else entirely' }, 400, 'password-mismatch'],
      ['POST', '/api/users', { name: 'root', password: PASSWORD }, 409, 'name-taken'],
      ['POST', '/api/users', { name: 'no spaces', password: PASSWORD }, 400, 'bad-name'],
      ['POST', '/api/users', { name: 'frank', password: PASSWORD, role: 'owner' }, 400, 'bad-role'],
      ['POST', '/api/users/nobody/role', { role: 'viewer' }, 404, 'no-such-user'],
      ['DELETE', '/api/users/nobody', undefined, 404, 'no-such-user'],
      ['POST', '/api/tokens', { user: 'root', name: '' }, 400, 'bad-name'],
      ['POST', '/api/tokens', { user: 'root', name: 'x', expiresDays: 0 }, 400, 'bad-expiry'],
      ['DELETE', '/api/tokens/tok_nothing', undefined, 404, 'no-such-token'],
      ['GET', '/api/tokens?user=nobody', undefined, 404, 'no-such-user'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await api(method, path, body);
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}`);
      const answer = await res.json();
      assert.equal(answer.error.code, code, `${method} ${path}`);
      assert.equal(typeof answer.error.message, 'string');
    }
    const notJson = await app.request('/api/users', { method: 'POST', headers: { ...(await session('root')).headers, 'content-type': 'application/json' }, body: '[' });
    assert.equal((await notJson.json()).error.code, 'bad-request');
  });

  test('an admin token manages tokens: the secret is in the answer that made it only, the token works, and revoked it stops', async () => {
    await addUser(store, { name: 'gwen', password: PASSWORD, role: 'admin' }, new Date());
    const admin = await (await api('POST', '/api/tokens', { user: 'gwen', name: 'automation' })).json();
    assert.equal(admin.record.role, 'admin');
    const made = await api('POST', '/api/tokens', { user: 'gwen', name: 'siem pull', role: 'viewer', expiresDays: '90' }, { token: admin.token });
    assert.equal(made.status, 201);
    assert.equal(made.headers.get('cache-control'), 'no-store');
    const { token, record } = await made.json();
    assert.match(token, /^vgl_[\w-]{43}$/);
    assert.deepEqual(Object.keys(record).sort(), ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'role', 'user']);
    assert.equal((await app.request('/api/items', { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const listed = await (await api('GET', '/api/tokens?user=gwen', undefined, { token: admin.token })).json();
    assert.deepEqual(listed.tokens.map((t: { name: string; role: string }) => [t.name, t.role]), [['automation', 'admin'], ['siem pull', 'viewer']]);
    const text = JSON.stringify(listed);
    for (const secret of [token, admin.token, sha256(token), sha256(admin.token)]) assert.ok(!text.includes(secret), 'no secret or hash is listed');
    assert.ok(listed.tokens[1].lastUsedAt, 'its use is recorded');
    const revoked = await api('DELETE', `/api/tokens/${record.id}`, undefined, { token: admin.token });
    assert.deepEqual(await revoked.json(), { revoked: record.id });
    assert.equal((await app.request('/api/items', { headers: { authorization: `Bearer ${token}` } })).status, 401);
    assert.deepEqual((await auditActions()).filter(([, , t]) => t === `token ${record.id}`), [['gwen', 'token.revoke', `token ${record.id}`], ['gwen', 'token.create', `token ${record.id}`]]);
  });
});

describe('who may manage accounts', () => {
  const reads = ['/admin/users', '/api/users', '/api/tokens'];

  test('a viewer and an analyst get 403, on the pages, the API and the forms', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const s = await session(`not-admin-${role}`, role);
      for (const path of reads) {
        const res = await app.request(path, { headers: s.headers });
        assert.equal(res.status, 403, `${role} ${path}`);
        assert.equal((await res.json()).error.code, 'forbidden');
      }
      const page = await app.request('/admin/users', { headers: { ...s.headers, accept: 'text/html' } });
      assert.equal(page.status, 403);
      assert.match(await page.text(), /this needs the admin role; you are/);
      const add = await form('/admin/users', { name: 'sneaky', password: PASSWORD, confirm: PASSWORD }, `not-admin-${role}`, role);
      assert.equal(add.status, 403);
      assert.equal((await api('POST', '/api/users', { name: 'sneaky', password: PASSWORD }, { who: `not-admin-${role}`, role })).status, 403);
    }
    assert.equal(await store.getUserByName('sneaky'), null);
  });

  test('anonymous requests are refused, also with anonymous read on', async () => {
    const open = createApp({ store, auth: { anonymousRead: true } });
    for (const a of [app, open]) {
      for (const path of reads) {
        const res = await a.request(path);
        assert.equal(res.status, 401, path);
        assert.equal((await res.json()).error.code, 'unauthenticated');
      }
      const page = await a.request('/admin/users', { headers: { accept: 'text/html' } });
      assert.equal(page.status, 303);
      assert.equal(page.headers.get('location'), `/login?next=${encodeURIComponent('/admin/users')}`);
    }
  });

  test('the last admin cannot be demoted or removed, by form or API; with another admin they can', async () => {
    const lone = await openSqliteStore(':memory:');
    const a = createApp({ store: lone });
    const s = await signIn(lone, 'admin', 'only');
    const post = (path: string, fields: Record<string, string>) =>
      a.request(path, { method: 'POST', headers: { cookie: s.cookie, accept: 'text/html' }, body: new URLSearchParams({ _csrf: s.csrfToken, ...fields }) });
    const demote = await post('/admin/users/only/role', { role: 'analyst' });
    assert.equal(demote.status, 409);
    assert.match(await demote.text(), /<p class="form-error" role="alert">&quot;only&quot; is the only admin: make another admin first<\/p>/);
    assert.equal((await post('/admin/users/only/remove', {})).status, 409);
    for (const [method, path, body] of [['POST', '/api/users/only/role', { role: 'viewer' }], ['DELETE', '/api/users/only', undefined]] as const) {
      const res = await a.request(path, { method, headers: { ...s.headers, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      assert.equal(res.status, 409);
      assert.equal((await res.json()).error.code, 'last-admin');
    }
    assert.equal((await lone.getUserByName('only'))?.role, 'admin');
    assert.equal((await post('/admin/users', { name: 'second', role: 'admin', password: PASSWORD, confirm: PASSWORD })).status, 303);
    assert.equal((await post('/admin/users/only/role', { role: 'analyst' })).status, 303, 'with a second admin the first may step down');
    assert.equal((await lone.getUserByName('only'))?.role, 'analyst');
    await lone.close();
  });
});
