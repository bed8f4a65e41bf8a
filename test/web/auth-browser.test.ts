// Signing in with a real browser (Debian's chromium through playwright-core): the set-up, log-out and log-in forms as a person
// uses them, under the real CSP and referrer policy, and no axe-core violations on the account pages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { axeViolations, type BrowserRig, CHROMIUM, serveToBrowser } from '../browser/browser.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';

const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const PASSWORD = 'a long passphrase here';

let store: Store;
let rig: BrowserRig;

before(async () => {
  if (!HAVE_CHROMIUM) return;
  store = await openSqliteStore(':memory:');
  rig = await serveToBrowser({ store, auth: { setupCode: '0123456789ab' } });
});
after(async () => {
  await rig?.close();
  await store?.close();
});

test('set up, sign out and sign in again in a browser, with accessible forms', { skip: HAVE_CHROMIUM ? false : 'chromium is not installed here (.ci/run installs it)' }, async () => {
  const page = await rig.browser.newPage();
  const violations = () => axeViolations(page);
  await page.goto(`${rig.server.url}/sources`);
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
  await page.goto(`${rig.server.url}/sources`);
  assert.equal(page.url(), `${rig.server.url}/login?next=%2Fsources`);
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
