// A morning in the news center, in a real browser: sign in, filter, search, open an item, tick a step, reload, export.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { addUser } from '../../src/web/auth/accounts.js';
import { EXAMPLES, exampleFiles, testContext } from '../helpers.js';
import { type BrowserRig, injectedMarkup, screenshot, serveToBrowser, watch } from './browser.js';

const PASSWORD = 'a long enough pass phrase';
let store: Store;
let rig: BrowserRig;

before(async () => {
  store = await openSqliteStore(':memory:');
  for (const f of exampleFiles()) await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext());
  await addUser(store, { name: 'ana', password: PASSWORD, role: 'analyst' }, new Date());
  rig = await serveToBrowser({ store });
});
after(async () => {
  await rig?.close();
  await store?.close();
});

test('sign in, filter, search, open an item, tick a step, reload and see it kept, export it', async () => {
  const context = await rig.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${rig.server.url}/`);
  assert.match(page.url(), /\/login\b/, 'a reader is sent to sign in');
  await page.fill('input[name="name"]', 'ana');
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(`${rig.server.url}/`), page.click('form button[type="submit"]')]);
  await screenshot(page, 'flow-1-list');

  // Filter with the form: only CRITICAL items. Before it, every severity is listed, so the filter has others to exclude.
  const badges = () => page.locator('main table.items tbody tr .badge').allTextContents();
  assert.deepEqual([...new Set(await badges())].sort(), ['CRITICAL', 'HIGH', 'INFORMATIONAL', 'LOW']);
  const group = page.locator('details:has(input[name="severity"])');
  if ((await group.count()) > 0 && !(await group.first().evaluate((d) => (d as HTMLDetailsElement).open))) await group.first().locator('summary').click();
  await page.check('input[name="severity"][value="CRITICAL"]');
  await Promise.all([page.waitForURL(/severity=CRITICAL/), page.click('form.filters button[type="submit"]')]);
  const critical = await page.locator('main a[href^="/items/"]').allTextContents();
  assert.equal(critical.length, 1, `only the CRITICAL item is listed: ${critical.join(' | ')}`);
  assert.match(critical[0], /SecureEdge/);
  assert.deepEqual(await badges(), ['CRITICAL'], 'no row of another severity');
  for (const other of ['Ashwren ransomware', 'Kestrel Stor', 'Larkspur Security', 'Mirrorgate']) {
    assert.equal(await page.locator('main a[href^="/items/"]', { hasText: other }).count(), 0, `${other} (not CRITICAL) is filtered out`);
  }

  // Search for a CVE as typed.
  await page.fill('input[name="q"]', 'CVE-2026-21847');
  await Promise.all([page.waitForURL(/q=CVE-2026-21847/), page.click('form.filters button[type="submit"]')]);
  const found = await page.locator('main a[href^="/items/"]').allTextContents();
  assert.ok(found.some((t) => /SecureEdge/.test(t)), found.join(' | '));
  await screenshot(page, 'flow-2-search');

  // Open the item and tick its first containment step.
  await Promise.all([page.waitForURL(/\/items\/itm_/), page.locator('main a[href^="/items/"]', { hasText: 'SecureEdge' }).first().click()]);
  const itemUrl = page.url();
  const step = page.locator('.step').first();
  await step.locator('input[type="checkbox"][name="done"]').check();
  await step.locator('button[type="submit"]').click();
  await step.locator('[data-step-status]').filter({ hasText: 'Done by ana' }).waitFor();
  await page.reload();
  assert.match(await page.locator('.step').first().locator('[data-step-status]').textContent() ?? '', /^Done by ana at /, 'the tick is kept across a reload');
  assert.ok(await page.locator('.step').first().locator('input[name="done"][type="checkbox"]').isChecked());
  await screenshot(page, 'flow-3-item');

  // Export the item as a STIX 2.1 bundle from its page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('nav.exports a', { hasText: 'stix' }).click()]);
  const bundle = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  assert.equal(bundle.type, 'bundle');
  assert.ok(bundle.objects.some((o: { type: string; name?: string }) => o.type === 'vulnerability' && o.name === 'CVE-2026-21847'));
  assert.equal(page.url(), itemUrl);
  assert.deepEqual(await injectedMarkup(page), []);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.console, [], 'no console message on any page of the morning');
  await context.close();
});
