// The item page in a real browser (headless Chromium, never downloaded): no axe-core violations in light and dark mode,
// keyboard navigation, the script running under the CSP, copy buttons, and a step ticked through the JSON API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { axeViolations, type Browser, type BrowserRig, CHROMIUM, type Page, serveToBrowser } from '../browser/browser.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { EXAMPLES, exampleFiles, signIn, testContext } from '../helpers.js';


describe('the item page in a browser', { skip: fs.existsSync(CHROMIUM) ? false : `no ${CHROMIUM} here (.ci/run installs it)` }, () => {
  let store: Store;
  let rig: BrowserRig;
  const ids: Record<string, string> = {};
  let session: { name: string; value: string };
  const signedIn = async (options: Parameters<Browser['newContext']>[0] = {}) => {
    const context = await rig.browser.newContext(options);
    await context.addCookies([{ ...session, url: rig.server.url }]);
    return context;
  };

  before(async () => {
    store = await openSqliteStore(':memory:');
    for (const f of exampleFiles()) ids[f] = (await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext())).item.id;
    const vpn = ids['03-vpn-zero-day-exploited.txt'];
    const who = { actor: 'ann', at: '2026-12-01T10:00:00.000Z' };
    await store.updateStep(vpn, 'recovery:recover-edge-return-to-service', { done: true, assignee: 'bob', note: 'after the vendor fix' }, who);
    await store.addEvidence(vpn, { fileName: 'vpn.tar', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', storedAt: 'WORM share', note: null }, who);
    await store.setTechniqueVerdict(vpn, 'T1136', 'rejected', 'no new accounts', who);
    await store.setIocVerdict(vpn, 'ipv4', '203.0.113.61', 'rejected', 'scanner', true, who);
    // Signed in as an analyst, so the forms are on the page too: every page of the browser carries the session cookie.
    const { cookie } = await signIn(store, 'analyst', 'ann');
    session = { name: cookie.split('=')[0], value: cookie.split('=')[1] };
    rig = await serveToBrowser({ store });
  });
  after(async () => {
    await rig?.close();
    await store?.close();
  });

  const axe = axeViolations;

  test('no axe-core violations on the item pages, the audit log and the false-positive list, light and dark', async () => {
    const pages = [...Object.values(ids).map((id) => `/items/${id}`), '/audit', '/false-positives', '/'];
    for (const scheme of ['light', 'dark'] as const) {
      const context = await signedIn({ colorScheme: scheme });
      const page = await context.newPage();
      for (const p of pages) {
        await page.goto(`${rig.server.url}${p}`);
        assert.deepEqual(await axe(page), [], `${p} (${scheme})`);
      }
      await context.close();
    }
  });

  test('the page is keyboard navigable: skip link first, then summaries open with Enter', async () => {
    const page = await (await signedIn()).newPage();
    const res = await page.goto(`${rig.server.url}/items/${ids['02-ransomware-manufacturer.html']}`);
    // The browser asked for gzip and read the page joined from its kept compressed parts (src/web/page-bytes.ts).
    assert.equal((await res?.allHeaders())?.['content-encoding'], 'gzip');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => location.hash), '#content');
    const more = page.locator('#mappings details.more > summary').first();
    await more.focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#mappings details.more').first().evaluate((d) => (d as HTMLDetailsElement).open), true);
    // Every control can be reached: nothing interactive has a negative tabindex.
    assert.equal(await page.locator('a[tabindex^="-"], button[tabindex^="-"], summary[tabindex^="-"], input[tabindex^="-"]').count(), 0);
    await page.close();
  });

  test('under the CSP the script reveals copy buttons; Copy gives the defanged value, Copy raw the live one', async () => {
    const context = await signedIn({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${rig.server.url}/items/${ids['03-vpn-zero-day-exploited.txt']}`);
    const holder = page.locator('#iocs .copyable[data-type="url"]').first();
    await holder.locator('button[data-copy="shown"]').waitFor({ state: 'visible' });
    await holder.locator('button[data-copy="shown"]').click();
    await page.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.startsWith('Copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'hxxps://cdn-edge-metrics[.]net/upd/sync');
    await holder.locator('button[data-copy="raw"]').click();
    await page.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.includes('https://'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'https://cdn-edge-metrics.net/upd/sync');
    assert.deepEqual(errors, [], 'no CSP or script errors');
    await context.close();
  });

  test('printed, the page drops forms and buttons and shows the notes they held', async () => {
    const page = await (await signedIn()).newPage();
    await page.goto(`${rig.server.url}/items/${ids['03-vpn-zero-day-exploited.txt']}`);
    const step = page.locator('#step-recovery-recover-edge-return-to-service');
    assert.equal(await step.locator('.step-note').isVisible(), false, 'on screen the note is in its text box');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await step.locator('form').isVisible(), false);
    assert.equal(await page.locator('button.copy').first().isVisible(), false);
    assert.equal(await page.locator('details.review').first().isVisible(), false);
    assert.equal(await step.locator('.step-note').textContent(), 'Note: after the vendor fix');
    assert.equal(await step.locator('.step-note').isVisible(), true);
    assert.match(await step.locator('[data-step-status]').textContent() ?? '', /^Done by ann at 2026-12-01 10:00 UTC\. Assigned to bob\./);
    await page.close();
  });

  test('ticking a step saves through the JSON API without a reload, and a reload shows the same state', async () => {
    const page = await (await signedIn()).newPage();
    const id = ids['03-vpn-zero-day-exploited.txt'];
    await page.goto(`${rig.server.url}/items/${id}`);
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1; });
    const step = page.locator('#step-containment-contain-edge-restrict-exposure');
    await step.locator('input[type=checkbox][name=done]').check();
    await step.locator('[data-step-status]').filter({ hasText: 'Done by ann' }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'no navigation happened');
    assert.equal(await step.evaluate((e) => e.classList.contains('step-done')), true);
    await page.reload();
    assert.match(await step.locator('[data-step-status]').textContent() ?? '', /^Done by ann at \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Unassigned\./);
    assert.equal((await store.auditLog({ itemId: id, limit: 1, offset: 0 }))[0].action, 'step.done');
    await page.close();
  });
});
