// The admin page in a real browser (Debian's chromium through playwright-core): an admin adds a user and makes and revokes a
// token through the forms, under the real CSP; token names from the XSS corpus run nowhere, even with the CSP bypassed; no
// axe-core violations.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { axeViolations, type BrowserRig, CHROMIUM, injectedMarkup, type Page, serveToBrowser, watch } from '../browser/browser.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { addUser, createToken } from '../../src/web/auth/accounts.js';
import { ROOT } from '../helpers.js';

const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SKIP = HAVE_CHROMIUM ? false : 'chromium is not installed here (.ci/run installs it)';
const PASSWORD = 'a long passphrase here';
// The corpus test/browser/xss.test.ts plants through feeds; a token name holds any of them up to 100 characters.
const PAYLOADS = fs.readFileSync(path.join(ROOT, 'test/browser/xss-payloads.txt'), 'utf8').split('\n')
  .filter((l) => l.trim() && !l.startsWith('#') && l.trim().length <= 100);

let store: Store;
let rig: BrowserRig;

before(async () => {
  if (!HAVE_CHROMIUM) return;
  store = await openSqliteStore(':memory:');
  await addUser(store, { name: 'root', password: PASSWORD, role: 'admin' }, new Date());
  const who = { actor: 'root', at: new Date().toISOString() };
  for (const p of PAYLOADS) await createToken(store, { user: 'root', name: p }, new Date(), who);
  rig = await serveToBrowser({ store });
});
after(async () => {
  await rig?.close();
  await store?.close();
});

async function signInAs(page: Page, name: string): Promise<void> {
  await page.goto(`${rig.server.url}/login?next=%2Fadmin%2Fusers`);
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/admin/users');
}

test('an admin adds a user, makes a token that is shown once and revokes it, through the page', { skip: SKIP }, async () => {
  const page = await rig.browser.newPage();
  const seen = watch(page);
  await signInAs(page, 'root');
  assert.deepEqual(await axeViolations(page), []);
  await page.click('nav a[href="/admin/users"]');
  assert.equal(new URL(page.url()).pathname, '/admin/users');

  const add = page.locator('form[action="/admin/users"]');
  await add.locator('input[name=name]').fill('newbie');
  await add.locator('select[name=role]').selectOption('viewer');
  await add.locator('input[name=password]').fill(PASSWORD);
  await add.locator('input[name=confirm]').fill(PASSWORD);
  await add.locator('button[type=submit]').click();
  assert.equal(await page.locator('.notice').innerText(), 'User added.');
  assert.ok((await store.getUserByName('newbie'))?.role === 'viewer');

  const make = page.locator('form[action="/admin/tokens"]');
  await make.locator('input[name=name]').fill('siem pull');
  await make.locator('select[name=user]').selectOption('newbie');
  await make.locator('button[type=submit]').click();
  const secret = await page.locator('.new-token .copy-value').innerText();
  assert.match(secret, /^vgl_[\w-]{43}$/);
  assert.deepEqual(await axeViolations(page), []);
  const read = await fetch(`${rig.server.url}/api/items`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(read.status, 200);

  await page.goto(`${rig.server.url}/admin/users`);
  assert.ok(!(await page.content()).includes(secret), 'shown once: not on the page again');
  await page.locator('tr', { hasText: 'siem pull' }).locator('button', { hasText: 'Revoke' }).click();
  assert.equal(await page.locator('.notice').innerText(), 'Token revoked: it no longer opens anything.');
  assert.equal((await fetch(`${rig.server.url}/api/items`, { headers: { authorization: `Bearer ${secret}` } })).status, 401);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
});

test(`${PAYLOADS.length} XSS payloads as token names run nowhere on the admin page or the audit log, even with the CSP bypassed`, { skip: SKIP }, async () => {
  assert.ok(PAYLOADS.length >= 80, `${PAYLOADS.length} payloads fit a token name`);
  const context = await rig.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const seen = watch(page);
  await signInAs(page, 'root');
  let text = '';
  for (const url of ['/admin/users', '/audit']) {
    await page.goto(`${rig.server.url}${url}`, { waitUntil: 'load' });
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    await page.mouse.move(200, 200);
    assert.deepEqual(await injectedMarkup(page), [], url);
    text += await page.evaluate(() => document.body.innerText);
  }
  await context.close();
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  assert.ok(text.includes('<img src=x onerror=alert(12)>'), 'a payload is shown as text');
});
