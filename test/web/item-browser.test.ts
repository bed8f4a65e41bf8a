// The item page in a real browser (headless Chromium, never downloaded): no axe-core violations in light and dark mode,
// keyboard navigation and a step ticked with the keyboard alone, the script running under the CSP, copy buttons, and a step
// ticked through the JSON API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { axeAcross, type Browser, type BrowserRig, CHROMIUM, type Page, serveToBrowser, signedInContext } from '../browser/browser.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { EXAMPLES, exampleFiles, signIn, testContext } from '../helpers.js';


describe('the item page in a browser', { skip: fs.existsSync(CHROMIUM) ? false : `no ${CHROMIUM} here (.ci/run installs it)` }, () => {
  let store: Store;
  let rig: BrowserRig;
  const ids: Record<string, string> = {};
  let cookie: string;
  const signedIn = (options: Parameters<Browser['newContext']>[0] = {}) => signedInContext(rig, cookie, options);

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
    ({ cookie } = await signIn(store, 'analyst', 'ann'));
    rig = await serveToBrowser({ store });
  });
  after(async () => {
    await rig?.close();
    await store?.close();
  });

  test('no axe-core violations on the item pages, the audit log and the false-positive list, light and dark', async () => {
    const pages = [...Object.values(ids).map((id) => `/items/${id}`), '/audit', '/false-positives', '/'];
    assert.deepEqual(await axeAcross(rig, cookie, pages), []);
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

  /** Presses Tab until the focused element matches `selector` (at most `max` presses): the way a keyboard user gets there. */
  async function tabTo(page: Page, selector: string, max = 400): Promise<number> {
    for (let presses = 1; presses <= max; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return presses;
    }
    throw new Error(`${selector} was not reached in ${max} presses of Tab`);
  }
  const focusVisible = (page: Page) => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle !== 'none');

  test('with the keyboard only, a step is ticked and assigned (script on: saved in place) and kept after a reload', async () => {
    const page = await (await signedIn()).newPage();
    await page.goto(`${rig.server.url}/items/${ids['02-ransomware-manufacturer.html']}`);
    const id = await page.locator('.step').first().getAttribute('id');
    const step = page.locator(`#${id}`);
    assert.equal(await step.locator('input[name=done][type=checkbox]').isChecked(), false);
    await tabTo(page, `#${id} input[name=done][type=checkbox]`);
    assert.ok(await focusVisible(page), 'the focused box shows its focus');
    await page.keyboard.press('Space');
    await step.locator('[data-step-status]').filter({ hasText: 'Done by ann' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'assignee');
    await page.keyboard.type('bob');
    await page.keyboard.press('Enter');
    await step.locator('[data-step-status]').filter({ hasText: 'Assigned to bob' }).waitFor();
    await page.reload();
    assert.match(await step.locator('[data-step-status]').textContent() ?? '', /^Done by ann at .* UTC\. Assigned to bob\./);
    assert.equal(await step.locator('input[name=done][type=checkbox]').isChecked(), true);
    await page.close();
  });

  test('with the keyboard only and no script, the step form posts and the tick is kept after a reload', async () => {
    const context = await signedIn({ javaScriptEnabled: false });
    const page = await context.newPage();
    const itemPath = `/items/${ids['02-ransomware-manufacturer.html']}`;
    await page.goto(`${rig.server.url}${itemPath}`);
    const id = await page.locator('.step').nth(1).getAttribute('id');
    const step = page.locator(`#${id}`);
    assert.equal(await step.locator('input[name=done][type=checkbox]').isChecked(), false);
    await tabTo(page, `#${id} input[name=done][type=checkbox]`);
    await page.keyboard.press('Space');
    // The assignee, the note, then the button: Enter on it posts the form, and the answer leads back to the page.
    await tabTo(page, `#${id} button[type=submit]`, 3);
    const [posted] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.keyboard.press('Enter')]);
    assert.equal(posted.status(), 303);
    await page.waitForURL(`${rig.server.url}${itemPath}#${id}`);
    await page.reload();
    assert.match(await step.locator('[data-step-status]').textContent() ?? '', /^Done by ann at .* UTC\. Unassigned\./);
    assert.equal(await step.locator('input[name=done][type=checkbox]').isChecked(), true);
    await context.close();
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
