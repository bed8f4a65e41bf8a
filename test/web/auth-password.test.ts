// Password hashing (scrypt with its parameters in the hash), the local-path rule for `next`, and the log-in throttle's arithmetic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNext } from '../../src/web/auth/next-path.js';
import { hashPassword, needsRehash, passwordProblem, SCRYPT, verifyPassword } from '../../src/web/auth/password.js';
import { LoginThrottle } from '../../src/web/auth/throttle.js';

test('a password hash round-trips, refuses a wrong password, and carries its parameters and a fresh salt', async () => {
  const password = 'correct horse battery staple';
  const a = await hashPassword(password);
  const b = await hashPassword(password);
  assert.match(a, new RegExp(`^scrypt\\$${SCRYPT.N}\\$8\\$1\\$[\\w-]{22}\\$[\\w-]{43}$`));
  assert.ok(SCRYPT.N >= 2 ** 15);
  assert.notEqual(a, b, 'each hash has its own 16-byte salt');
  assert.equal(await verifyPassword(password, a), true);
  assert.equal(await verifyPassword(password, b), true);
  assert.equal(await verifyPassword('correct horse battery stapler', a), false);
  assert.equal(await verifyPassword('', a), false);
  // NFKC: the same password typed with a composed or a decomposed accent is one password.
  const accented = await hashPassword('caf\u00e9 au lait, sans sucre');
  assert.equal(await verifyPassword('cafe\u0301 au lait, sans sucre', accented), true);
});

test('a hash made with weaker parameters still verifies and asks to be re-hashed; a corrupt one never verifies', async () => {
  const weak = await hashPassword('an older passphrase here', { N: 2 ** 10, r: 8, p: 1 });
  assert.match(weak, /^scrypt\$1024\$8\$1\$/);
  assert.equal(await verifyPassword('an older passphrase here', weak), true);
  assert.equal(needsRehash(weak), true);
  assert.equal(needsRehash(await hashPassword('a current passphrase')), false);
  for (const bad of ['', 'plain', weak.replace('$1024$', '$1000$'), weak.replace('$1024$', `$${2 ** 24}$`), weak.slice(0, -30), 'scrypt$test-account-without-password']) {
    assert.equal(await verifyPassword('an older passphrase here', bad), false, bad);
  }
});

test('passwords need 15 characters (counted as characters, not bytes) and at most 256', () => {
  assert.equal(passwordProblem('fourteen chars'), 'a password needs at least 15 characters (got 14)');
  assert.equal(passwordProblem('fifteen chars!!'), null);
  assert.match(passwordProblem('é'.repeat(14)) ?? '', /got 14/);
  assert.match(passwordProblem('x'.repeat(257)) ?? '', /at most 256/);
});

test('next is a path on this site, or "/"', () => {
  const cases: [string | undefined, string][] = [
    ['/items/itm_1?tab=iocs#x', '/items/itm_1?tab=iocs#x'], ['/sources', '/sources'], [undefined, '/'], ['', '/'],
    ['//evil.example', '/'], ['///evil.example', '/'], ['/\\evil.example', '/'], ['https://evil.example/', '/'], ['javascript:alert(1)', '/'],
    ['evil.example', '/'], ['/%2F%2Fevil.example', '/%2F%2Fevil.example'], ['/ok\r\nLocation: x', '/'], ['/a\tb', '/'], ['/login?next=/x', '/'],
    ['/logout', '/'], [`/${'a'.repeat(2001)}`, '/'], ['/../../etc', '/etc'],
  ];
  for (const [raw, expected] of cases) assert.equal(safeNext(raw), expected, String(raw));
});

test('the throttle doubles its delay per failure, locks an account at its limit, and forgets after the window', () => {
  const t = new LoginThrottle({ accountLimit: 3, addressLimit: 10, windowMs: 60_000, baseDelayMs: 100, maxDelayMs: 350 });
  assert.deepEqual([t.fail('a', 'ip', 0), t.fail('a', 'ip', 1), t.fail('a', 'ip', 2)], [100, 200, 350]);
  assert.equal(t.retryAfter('a', 'ip', 3), 60);
  assert.equal(t.retryAfter('b', 'ip', 3), 0, 'another account from the address is not locked yet');
  assert.equal(t.retryAfter('a', 'ip', 60_001), 0, 'the window has passed');
  t.fail('c', 'ip2', 0);
  t.succeed('c');
  assert.equal(t.fail('c', 'ip3', 1), 100, 'a success clears the account');
});
