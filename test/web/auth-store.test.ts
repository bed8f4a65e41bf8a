// Accounts in the store on both engines: users, the first-user guard, sessions and tokens with their owner; and nothing secret at rest.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import type { UserRecord } from '../../src/domain/user.js';
import { openSqliteStore, openStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { addUser, createToken, removeUser, setPassword, setRole } from '../../src/web/auth/accounts.js';
import { sha256 } from '../../src/web/auth/secrets.js';
import { ROOT } from '../helpers.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const engines = storeEngines();
const T0 = '2026-12-01T12:00:00.000Z';
const user = (name: string, over: Partial<UserRecord> = {}): UserRecord => ({
  id: `usr_${name}`, name, role: 'analyst', passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA', createdAt: T0, passwordChangedAt: T0, ...over,
});

for (const [engine, location] of Object.entries(engines)) {
  describe(`account store on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here (.ci/run installs it)' : false }, () => {
    let store: Store;
    before(async () => {
      store = await openStore(await location());
    });
    after(async () => store?.close());

    test('the first user is made once, even by two set-ups at the same moment; names are unique', async () => {
      const results = await Promise.all([store.createUser(user('one', { role: 'admin' }), { onlyFirst: true }), store.createUser(user('two', { role: 'admin' }), { onlyFirst: true })]);
      assert.deepEqual(results.sort(), ['created', 'not-first']);
      assert.equal(await store.countUsers(), 1);
      const [first] = await store.listUsers();
      await store.removeUser(first.id);
      assert.equal(await store.createUser(user('alice', { role: 'admin' }), { onlyFirst: true }), 'created');
      assert.equal(await store.createUser(user('alice')), 'name-taken');
      assert.equal(await store.createUser(user('bob')), 'created');
      assert.deepEqual((await store.listUsers()).map((u) => u.name), ['alice', 'bob']);
      assert.deepEqual(await store.getUserByName('bob'), user('bob'));
      assert.equal(await store.updateUser('usr_bob', { role: 'viewer', passwordHash: 'scrypt$new', passwordChangedAt: '2026-12-02T00:00:00.000Z' }), true);
      assert.deepEqual(await store.getUser('usr_bob'), user('bob', { role: 'viewer', passwordHash: 'scrypt$new', passwordChangedAt: '2026-12-02T00:00:00.000Z' }));
      assert.equal(await store.updateUser('usr_nobody', { role: 'viewer' }), false);
    });

    test('sessions come back with their user, are touched, and end one by one, per user, or by expiry', async () => {
      const s = (id: string, expiresAt: string, userId = 'usr_alice') => ({ idHash: sha256(id), userId, createdAt: T0, expiresAt, lastSeenAt: T0 });
      await store.saveSession(s('a', '2026-12-01T20:00:00.000Z'));
      await store.saveSession(s('b', '2026-12-01T13:00:00.000Z'));
      await store.saveSession(s('c', '2026-12-01T20:00:00.000Z', 'usr_bob'));
      const found = await store.getSession(sha256('a'));
      assert.deepEqual(found, { session: s('a', '2026-12-01T20:00:00.000Z'), user: await store.getUser('usr_alice') });
      await store.touchSession(sha256('a'), '2026-12-01T12:30:00.000Z');
      assert.equal((await store.getSession(sha256('a')))?.session.lastSeenAt, '2026-12-01T12:30:00.000Z');
      assert.equal(await store.deleteSessions({ expiredBefore: '2026-12-01T14:00:00.000Z' }), 1);
      assert.equal(await store.getSession(sha256('b')), null);
      assert.equal(await store.deleteSessions({ userId: 'usr_bob' }), 1);
      await store.deleteSession(sha256('a'));
      assert.equal(await store.getSession(sha256('a')), null);
    });

    test('tokens come back by hash with their owner, record their last use, and go with revocation or their owner', async () => {
      const t = { id: 'tok_1', userId: 'usr_bob', name: 'siem', role: 'viewer' as const, tokenHash: sha256('vgl_x'), createdAt: T0, lastUsedAt: null, expiresAt: null };
      await store.saveApiToken(t);
      await store.saveApiToken({ ...t, id: 'tok_2', userId: 'usr_alice', tokenHash: sha256('vgl_y'), expiresAt: '2027-01-01T00:00:00.000Z' });
      assert.deepEqual(await store.getApiToken(sha256('vgl_x')), { token: t, user: await store.getUser('usr_bob') });
      await store.touchApiToken('tok_1', '2026-12-01T13:00:00.000Z');
      assert.deepEqual((await store.listApiTokens('usr_bob')).map((x) => [x.id, x.lastUsedAt]), [['tok_1', '2026-12-01T13:00:00.000Z']]);
      assert.deepEqual((await store.listApiTokens()).map((x) => x.id), ['tok_1', 'tok_2']);
      assert.equal(await store.revokeApiToken('tok_2'), true);
      assert.equal(await store.revokeApiToken('tok_2'), false);
      await store.saveSession({ idHash: sha256('bob-session'), userId: 'usr_bob', createdAt: T0, expiresAt: '2026-12-02T00:00:00.000Z', lastSeenAt: T0 });
      assert.equal(await store.removeUser('usr_bob'), true);
      assert.equal(await store.getApiToken(sha256('vgl_x')), null);
      assert.equal(await store.getSession(sha256('bob-session')), null);
      assert.equal(await store.removeUser('usr_bob'), false);
    });

    test('a change made for someone appends its audit row, without a secret; one without (the log-in re-hash) appends none', async () => {
      const who = { actor: 'carol', at: T0 };
      const before = (await store.auditLog({ limit: 1000, offset: 0 })).length;
      assert.equal(await store.createUser(user('dave'), { who }), 'created');
      assert.equal(await store.updateUser('usr_dave', { role: 'viewer' }, { who }), true);
      assert.equal(await store.updateUser('usr_dave', { role: 'viewer' }, { who }), true, 'the same role again changes nothing to audit');
      assert.equal(await store.updateUser('usr_dave', { passwordHash: 'scrypt$secret-hash', passwordChangedAt: '2026-12-02T00:00:00.000Z' }, { who }), true);
      assert.equal(await store.updateUser('usr_dave', { passwordHash: 'scrypt$rehashed' }), true);
      const t = { id: 'tok_d', userId: 'usr_dave', name: 'pull', role: 'viewer' as const, tokenHash: sha256('vgl_d'), createdAt: T0, lastUsedAt: null, expiresAt: null };
      await store.saveApiToken(t, { who });
      await store.saveApiToken({ ...t, id: 'tok_e', tokenHash: sha256('vgl_e') }, { who });
      assert.equal(await store.revokeApiToken('tok_d', { who }), true);
      assert.equal(await store.revokeApiToken('tok_d', { who }), false);
      assert.equal(await store.removeUser('usr_dave', { who }), true);
      const all = await store.auditLog({ limit: 1000, offset: 0 });
      const rows = all.slice(0, all.length - before).reverse();
      assert.deepEqual(rows.map((r) => [r.actor, r.action, r.itemId, r.target, r.before, r.after]), [
        ['carol', 'user.add', null, 'user dave', null, { role: 'analyst' }],
        ['carol', 'user.role', null, 'user dave', { role: 'analyst' }, { role: 'viewer' }],
        ['carol', 'user.password', null, 'user dave', null, { passwordChangedAt: '2026-12-02T00:00:00.000Z' }],
        ['carol', 'token.create', null, 'token tok_d', null, { name: 'pull', owner: 'dave', role: 'viewer', expiresAt: null }],
        ['carol', 'token.create', null, 'token tok_e', null, { name: 'pull', owner: 'dave', role: 'viewer', expiresAt: null }],
        ['carol', 'token.revoke', null, 'token tok_d', { name: 'pull', owner: 'dave', role: 'viewer' }, null],
        ['carol', 'user.remove', null, 'user dave', { role: 'viewer', tokens: 1 }, null],
      ]);
      const dump = JSON.stringify(rows);
      assert.ok(!dump.includes('scrypt$') && !dump.includes(sha256('vgl_d')), 'no hash in the log');
    });

    test('asked to keep an admin, the store refuses to take the role from the last one, also when two admins demote each other at once', async () => {
      assert.equal((await store.getUser('usr_alice'))?.role, 'admin');
      assert.equal(await store.createUser(user('erin', { role: 'admin' })), 'created');
      const results = await Promise.all([
        store.updateUser('usr_alice', { role: 'analyst' }, { keepAdmin: true }),
        store.updateUser('usr_erin', { role: 'viewer' }, { keepAdmin: true }),
      ]);
      assert.deepEqual(results.map(String).sort(), ['last-admin', 'true']);
      const admins = (await store.listUsers()).filter((u) => u.role === 'admin');
      assert.equal(admins.length, 1);
      assert.equal(await store.removeUser(admins[0].id, { keepAdmin: true }), 'last-admin');
      assert.equal(await store.updateUser(admins[0].id, { role: 'viewer' }, { keepAdmin: true }), 'last-admin');
      assert.equal(await store.updateUser(admins[0].id, { passwordChangedAt: T0 }, { keepAdmin: true }), true, 'other changes to the last admin go through');
      assert.equal((await store.getUser(admins[0].id))?.role, 'admin');
      assert.equal(await store.removeUser('usr_nobody', { keepAdmin: true }), false);
    });
  });
}

describe('accounts', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-accounts-'));
  const PASSWORD = 'the first passphrase';

  test('the database never holds a password, a session id or a token: only their hashes', async () => {
    const file = path.join(tmp, 'at-rest.db');
    const store = await openSqliteStore(file);
    await addUser(store, { name: 'keeper', password: PASSWORD, role: 'admin' }, new Date());
    const { token } = await createToken(store, { user: 'keeper', name: 'pull' }, new Date());
    const login = await createApp({ store }).request('/login', { method: 'POST', headers: { accept: 'text/html' }, body: new URLSearchParams({ name: 'keeper', password: PASSWORD }) });
    const sessionId = /vigil_session=([\w-]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    assert.equal(sessionId.length, 43);
    await store.close();
    const db = new SqliteDatabase(file, { readonly: true });
    const dump = ['users', 'sessions', 'api_tokens'].map((t) => JSON.stringify(db.prepare(`select * from ${t}`).all())).join('\n');
    db.close();
    for (const secret of [PASSWORD, token, token.slice(4), sessionId]) assert.ok(!dump.includes(secret), 'a secret at rest');
    assert.ok(dump.includes(sha256(token)) && dump.includes(sha256(sessionId)));
    assert.match(dump, /"password_hash":"scrypt\$32768\$8\$1\$/);
  });

  test('the last admin stays; a new password signs the account out everywhere', async () => {
    const store = await openSqliteStore(':memory:');
    const admin = await addUser(store, { name: 'Root', password: PASSWORD, role: 'admin' }, new Date());
    assert.equal(admin.name, 'root');
    await assert.rejects(removeUser(store, 'root'), /only admin/);
    await assert.rejects(setRole(store, 'ROOT', 'analyst'), /only admin: make another admin first/);
    await assert.rejects(addUser(store, { name: 'root', password: PASSWORD, role: 'viewer' }, new Date()), /a user named "root" exists/);
    await assert.rejects(addUser(store, { name: 'bad name', password: PASSWORD, role: 'viewer' }, new Date()), /a user name is 1 to 64 letters/);
    await assert.rejects(addUser(store, { name: 'short', password: 'short', role: 'viewer' }, new Date()), /at least 15 characters/);
    await store.saveSession({ idHash: sha256('s'), userId: admin.id, createdAt: T0, expiresAt: '2099-01-01T00:00:00.000Z', lastSeenAt: T0 });
    await setPassword(store, 'root', 'the second passphrase', new Date());
    assert.equal(await store.getSession(sha256('s')), null);
    await store.close();
  });

  test('vigil users and vigil tokens from the command line', () => {
    const db = path.join(tmp, 'cli.db');
    const vigil = (args: string[], input?: string) => {
      const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), ...args, '--db', db], { input, encoding: 'utf8', env: { ...process.env, VIGIL_DB: '' } });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const first = vigil(['users', 'add', 'Admin', '--password-stdin'], `${PASSWORD}\n`);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'added admin (admin)\n', 'the first account is an admin');
    assert.equal(vigil(['users', 'add', 'ana', '--password-stdin'], `${PASSWORD}\n`).stdout, 'added ana (analyst)\n');
    const weak = vigil(['users', 'add', 'weak', '--password-stdin'], 'short\n');
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /at least 15 characters \(got 5\)/);
    const noTty = vigil(['users', 'add', 'x']);
    assert.match(noTty.stderr, /--password-stdin/);
    const created = vigil(['tokens', 'create', '--user', 'ana', '--name', 'siem-pull', '--role', 'viewer', '--expires-days', '30']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^vgl_[\w-]{43}\n$/);
    assert.match(created.stderr, /token tok_[\w-]+ \(viewer\) for ana, expires 20\d\d-.*not shown again/);
    const tokens = JSON.parse(vigil(['tokens', 'list', '--json']).stdout);
    assert.deepEqual(tokens.map((t: { user: string; name: string; role: string; lastUsedAt: null }) => [t.user, t.name, t.role, t.lastUsedAt]), [['ana', 'siem-pull', 'viewer', null]]);
    assert.ok(!JSON.stringify(tokens).includes(created.stdout.trim()));
    assert.equal(vigil(['tokens', 'revoke', tokens[0].id]).code, 0);
    assert.equal(vigil(['users', 'role', 'ana', 'viewer']).stdout, 'ana is now viewer\n');
    assert.match(vigil(['users', 'remove', 'admin']).stderr, /only admin/);
    assert.equal(vigil(['users', 'passwd', 'ana', '--password-stdin'], 'a brand new passphrase\n').code, 0);
    assert.equal(vigil(['users', 'remove', 'ana']).stdout, 'removed ana\n');
    assert.deepEqual(JSON.parse(vigil(['users', 'list', '--json']).stdout).map((u: { name: string; role: string }) => [u.name, u.role]), [['admin', 'admin']]);
  });
});
