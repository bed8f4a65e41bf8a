// Signing in with a real browser (Debian's chromium through playwright-core): the set-up, log-out and log-in forms as a person
// uses them, under the real CSP and referrer policy, and no axe-core violations on the account pages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { type Server, startServer } from '../../src/web/serve.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'a long passphrase here';

let store: Store;
let server: Server;
let browser: Browser;

before(async () => {
  if (!CHROMIUM) return;
  store = await openSqliteStore(':memory:');
  server = await startServer(createApp({ store, auth: { setupCode: '0123456789ab' } }), 0);
  browser = await chromium.launch({ executablePath: CHROMIUM });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

test('set up, sign out and sign in again in a browser, with accessible forms', { skip: CHROMIUM ? false : 'chromium is not installed here (.ci/run installs it)' }, async () => {
  const page = await browser.newPage();
  const violations = async () => {
    await page.evaluate(AXE);
    return page.evaluate(async () => (await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string }[] }> } }).axe.run()).violations.map((v) => v.id));
  };
  await page.goto(`${server.url}/sources`);
  assert.equal(new URL(page.url()).pathname, '/setup');
  assert.deepEqual(await violations(), []);
  await page.fill('input[name=code]', '0123456789ab');
  await page.fill('input[name=name]', 'Owner');
  await page.fill('input[name=password]', PASSWORD);
  await page.fill('input[name=confirm]', PASSWORD);
  await page.click('button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.locator('.user-menu').innerText(), 'owner (admin)\nSign out');
  assert.deepEqual(await violations(), []);
  await page.click('.user-menu button');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(await violations(), []);
  await page.goto(`${server.url}/sources`);
  assert.equal(page.url(), `${server.url}/login?next=%2Fsources`);
  await page.fill('input[name=name]', 'owner');
  await page.fill('input[name=password]', 'not the passphrase at all');
  await page.click('button[type=submit]');
  assert.equal(await page.locator('.form-error').innerText(), 'Wrong name or password.');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/sources');
  const cookies = await page.context().cookies();
  assert.deepEqual(cookies.map((c) => [c.name, c.httpOnly, c.sameSite]), [['vigil_session', true, 'Lax']]);
});
