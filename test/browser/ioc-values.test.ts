// Hostile IOC values planted straight into the store (past the extractor, which stops a value at < > and quotes) are shown
// literally and run nowhere in a real browser: the IOC table, its attributes, the copy buttons, every export, the false-positive list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { after, before, describe, test } from 'node:test';
import { marked } from 'marked';
import type { Ioc, IocType, Item } from '../../src/domain/index.js';
import { FORMATS } from '../../src/export/formats.js';
import { defang } from '../../src/extract/refang.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { UNDEFANG_SOURCE } from '../../src/web/static-script.js';
import { EXAMPLES, signIn, testContext, unescaped } from '../helpers.js';
import { type BrowserRig, CHROMIUM, injectedMarkup, type Page, serveToBrowser, signedInContext, watch } from './browser.js';

/** Values no extractor would return: each breaks out of text, an attribute, a script string or a template if it is not escaped. */
const HOSTILE: readonly [IocType, string][] = [
  ['url', 'https://evil.example/?q="><script>alert(1)</script>&x=`1`'],
  ['url', "javascript:alert(document.domain)//'<img src=x onerror=alert(2)>"],
  ['domain', '"><svg onload=alert(3)>.evil.example'],
  ['domain', "javascript:console.log('xss-ioc-4')"],
  ['email', "'onmouseover='alert(5)'@x.example"],
  ['file', '`${alert(6)}`<b>.exe'],
  ['path', 'C:\\Users\\<script>console.error("xss-ioc-7")</script>\\a.exe'],
  ['registry', `HKLM\\Software\\'"><img src=x onerror=alert(8)>`],
  ['sha256', '</code></td></tr></table><script>alert(9)</script>'],
  ['ipv4', '" autofocus onfocus="alert(10)'],
];
const ID = 'itm_hostile_iocs';
const undefang = vm.runInNewContext(`${UNDEFANG_SOURCE}; vigilUndefang`) as (type: string, text: string) => string;

function hostileItem(base: Item): Item {
  const iocs: Ioc[] = HOSTILE.map(([type, value], n) => ({
    type, value, display: defang(value, type),
    context: `Seen as ${value} <i onmouseover=alert(${100 + n})>in the wild</i>.`,
    confidence: 'high', rule: `'"><img src=x onerror=alert(${200 + n})> \`rule\``,
    benign: n === 9, benignReason: n === 9 ? '<script>alert(300)</script> "a reference"' : null,
  }));
  return { ...base, id: ID, title: 'Hostile indicators <img src=x onerror=alert("title")>', iocs };
}

describe('hostile IOC values in a browser', { skip: fs.existsSync(CHROMIUM) ? false : `no ${CHROMIUM} here (.ci/run installs it)` }, () => {
  let store: Store;
  let rig: BrowserRig;
  let cookie: string;
  let item: Item;

  before(async () => {
    store = await openSqliteStore(':memory:');
    const f = '03-vpn-zero-day-exploited.txt';
    const base = (await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext())).item;
    // importItems stores the item as it is: no extraction or enrichment stands between these values and the page.
    item = hostileItem(base);
    await store.importItems([item], '2026-12-01T12:00:00.000Z');
    ({ cookie } = await signIn(store, 'analyst', 'ann'));
    rig = await serveToBrowser({ store });
  });
  after(async () => {
    await rig?.close();
    await store?.close();
  });

  /** A page with the CSP bypassed (only escaping protects it), the clipboard allowed, watched, and every request off our server noted. */
  async function open() {
    const context = await signedInContext(rig, cookie, { bypassCSP: true, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const seen = watch(page);
    const foreign: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(rig.server.url)) foreign.push(r.url()); });
    const inert = async () => {
      assert.deepEqual(await injectedMarkup(page), [], `${page.url()}: no live markup`);
      assert.deepEqual([...seen.dialogs, ...seen.errors, ...seen.console, ...foreign], [], 'no dialog, script error, console message or outside request');
    };
    return { context, page, inert };
  }
  const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

  test('the IOC table shows every value, context, rule and reason literally; attributes hold only what they should', async () => {
    const { context, page, inert } = await open();
    await page.goto(`${rig.server.url}/items/${ID}`);
    // Handlers would fire on focus, hover or an opened disclosure: tab, hover every row, open every piece of evidence.
    for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
    for (const row of await page.locator('#iocs tbody tr').all()) await row.hover();
    for (const summary of await page.locator('#iocs details.evidence > summary').all()) await summary.click();
    const sorted = (xs: readonly string[]) => [...xs].sort();
    assert.deepEqual(sorted(await texts(page, '#iocs code.copy-value')), sorted(item.iocs.map((i) => i.display)));
    assert.deepEqual(sorted(await texts(page, '#iocs tbody tr > td:nth-child(3)')), sorted(item.iocs.map((i) => i.context)));
    assert.deepEqual(sorted(await texts(page, '#iocs details.evidence blockquote')), sorted(item.iocs.map((i) => i.context)));
    assert.deepEqual(sorted(await texts(page, '#iocs details.evidence figcaption code')), sorted(item.iocs.map((i) => i.rule)));
    assert.ok((await page.locator('#iocs').innerText()).includes('<script>alert(300)</script> "a reference"'), 'the benign reason, as text');
    // The review forms carry each display in a hidden field: the attribute gives it back whole.
    assert.deepEqual(sorted(await page.locator('#iocs input[name="display"]').evaluateAll((es) => es.map((e) => (e as HTMLInputElement).value))), sorted(item.iocs.map((i) => i.display)));
    const data = await page.locator('#iocs').evaluate((root) => [...root.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('data-')).map((a) => `${a.name}=${a.value}`)));
    assert.deepEqual([...new Set(data)].sort(), [...new Set([...HOSTILE.map(([t]) => `data-type=${t}`), 'data-copy=shown', 'data-copy=raw'])].sort());
    assert.equal(await page.title(), 'Hostile indicators <img src=x onerror=alert("title")> · Vigil');
    await inert();
    await context.close();
  });

  test('Copy gives the shown value and Copy raw the live one, character for character; the status line stays text', async () => {
    const { context, page, inert } = await open();
    await page.goto(`${rig.server.url}/items/${ID}`);
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    const status = page.locator('[role="status"]');
    for (const ioc of item.iocs) {
      const holder = page.locator('#iocs .copyable').filter({ has: page.locator('code.copy-value', { hasText: ioc.display }) }).first();
      await holder.locator('button[data-copy="shown"]').click();
      await page.waitForFunction((t) => document.querySelector('[role="status"]')?.textContent === `Copied ${t}`, ioc.display);
      assert.equal(await clipboard(), ioc.display, `${ioc.type}: Copy`);
      if (ioc.display !== ioc.value) {
        await holder.locator('button[data-copy="raw"]').click();
        await page.waitForFunction((t) => document.querySelector('[role="status"]')?.textContent === `Copied ${t}`, ioc.value);
        assert.equal(await clipboard(), ioc.value, `${ioc.type}: Copy raw refangs to the planted value`);
        assert.equal(undefang(ioc.type, ioc.display), ioc.value);
      }
      assert.equal(await status.evaluate((e) => e.children.length), 0, 'the status line holds text, never elements');
    }
    await inert();
    await context.close();
  });

  test('every export, downloaded from the page or opened in the tab, is inert and carries the values literally', async () => {
    const { context, page, inert } = await open();
    await page.goto(`${rig.server.url}/items/${ID}`);
    const files = new Map<string, string>();
    for (const link of await page.locator('nav.exports a').all()) {
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      files.set((await link.textContent())!, fs.readFileSync((await download.path())!, 'utf8'));
    }
    assert.deepEqual([...files.keys()].sort(), FORMATS.filter((f) => f.name !== 'blocklist').map((f) => f.name).sort());
    const malicious = item.iocs.filter((i) => !i.benign);
    const csv = files.get('csv')!;
    for (const i of item.iocs) assert.ok(csv.includes(`"${i.value.replace(/"/g, '""')}"`), `csv: ${i.value}`);
    const misp = JSON.stringify(JSON.parse(files.get('misp')!));
    for (const i of malicious.filter((x) => x.type !== 'ipv4')) assert.ok(misp.includes(JSON.stringify(i.value)), `misp: ${i.value}`);
    const stix = JSON.stringify(JSON.parse(files.get('stix')!));
    for (const i of malicious.filter((x) => ['url', 'domain', 'email'].includes(x.type))) assert.ok(stix.includes(JSON.stringify(i.value).slice(1, -1)), `stix: ${i.value}`);
    // The brief rendered as a Markdown reader would: each value is one code span, shown as it is, and no tag comes alive.
    const brief = await marked.parse(files.get('markdown')!);
    const spans = [...brief.matchAll(/<td><code>([\s\S]*?)<\/code>/g)].map((m) => unescaped(m[1]));
    for (const i of item.iocs) assert.ok(spans.includes(i.display), `markdown: ${i.display}`);
    assert.doesNotMatch(brief, /<(script|img|svg|b|i)\b/, 'no tag from a value, a context or a reason is live in the rendered brief');

    // Opened directly, as a link in a chat would open them: a download, or a non-HTML document with the values as text.
    const displayed: string[] = [];
    for (const f of FORMATS) {
      const url = `${rig.server.url}/api/items/${ID}/export/${f.name}${f.name === 'blocklist' ? '?type=url' : ''}`;
      const res = await page.request.get(url);
      assert.equal(res.status(), 200, f.name);
      assert.doesNotMatch(res.headers()['content-type'], /html/, `${f.name} is never served as HTML`);
      assert.equal(res.headers()['x-content-type-options'], 'nosniff');
      const shown = await page.goto(url).then(() => true, (e: Error) => {
        if (/Download is starting|ERR_ABORTED/.test(e.message)) return false;
        throw e;
      });
      if (shown) {
        displayed.push(f.name);
        assert.notEqual(await page.evaluate(() => document.contentType), 'text/html', f.name);
        await inert();
      }
    }
    assert.ok(['misp', 'blocklist', 'queries'].every((n) => displayed.includes(n)), `JSON and plain text open in the tab: ${displayed.join(', ')}`);
    await page.goto(`${rig.server.url}/api/items/${ID}/export/blocklist?type=url`);
    const lines = (await page.locator('body').innerText()).split('\n');
    for (const i of malicious.filter((x) => x.type === 'url')) assert.ok(lines.includes(i.value), `the blocklist shows ${i.value} as text`);
    await inert();
    await context.close();
  });

  test('marked a false positive with a hostile reason: the list, the audit log and the item show value and reason as text', async () => {
    const { context, page, inert } = await open();
    await page.goto(`${rig.server.url}/items/${ID}`);
    const ioc = item.iocs[2];
    const reason = `<img src=x onerror=alert(400)> "quoted" 'single' \`tick\``;
    const row = page.locator('#iocs tbody tr').filter({ has: page.locator('code.copy-value', { hasText: ioc.display }) }).first();
    await row.locator('details.review > summary').click();
    await row.locator('input[name="reason"]').fill(reason);
    await Promise.all([page.waitForURL(`${rig.server.url}/items/${ID}#iocs`), row.locator('button[value="false-positive"]').click()]);
    const rejected = (await page.locator('#iocs').innerText()).split('Rejected by analyst')[1] ?? '';
    assert.ok(rejected.includes(ioc.display) && rejected.includes(reason), 'the row moved under "Rejected by analyst" with its reason');
    await inert();
    await page.goto(`${rig.server.url}/false-positives`);
    const list = await page.locator('main').innerText();
    assert.ok(list.includes(ioc.display) && list.includes(reason), list);
    await inert();
    await page.goto(`${rig.server.url}/audit`);
    assert.ok((await page.locator('main').innerText()).includes(reason), 'the audit log shows the reason as text');
    await inert();
    await context.close();
  });
});
