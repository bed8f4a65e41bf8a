// The item page's polish: evidence one click away, "+N more" collapse, copy buttons (defanged by default, raw refanged in the
// browser), the static script under the CSP, and the print, dark-mode and focus styles.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { test } from 'node:test';
import { IOC_TYPES } from '../../src/domain/index.js';
import { defang } from '../../src/extract/refang.js';
import { renderToString } from './render.js';
import { SCRIPT, UNDEFANG_SOURCE } from '../../src/web/static-script.js';
import { STYLESHEET } from '../../src/web/static.js';
import { EXAMPLES, escaped, testContext, useExampleItems } from '../helpers.js';
import { ingest, mergeStories } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { Item } from '../../src/domain/index.js';

const { item, items } = useExampleItems();

test('every fact on the page has its evidence one click away, with the rule and the outlet', async () => {
  const it = item('03-vpn-zero-day-exploited.txt');
  const html = await renderToString(it);
  const analysis = html.slice(html.indexOf('id="analysis"'), html.indexOf('id="checklist"'));
  assert.match(analysis, /<h3>Facts read from the reporting<\/h3>/);
  const cve = it.facts.cves[0];
  assert.ok(cve, 'the example cites a CVE');
  const at = analysis.indexOf(`<li>${cve.id} <details class="evidence">`);
  assert.ok(at > 0, `${cve.id} is listed with its evidence`);
  const details = analysis.slice(at, analysis.indexOf('</details>', at));
  assert.match(details, new RegExp(`<summary>evidence<span class="sr-only"> for ${cve.id}</span></summary>`));
  assert.ok(details.includes(`<code>${cve.evidence.rule}</code>`));
  assert.ok(details.includes(it.sources[0].outlet), 'the outlet it was read from');
  const attack = html.slice(html.indexOf('id="attack"'), html.indexOf('id="disclaimer"'));
  assert.equal((attack.match(/<details class="evidence">/g) ?? []).length, it.attack.filter((t) => t.evidence.length > 0).length);
});

/** The table row of the IOC shown as `display` on the page. */
function iocRow(html: string, display: string): string {
  const at = html.indexOf(`<code class="copy-value">${escaped(display)}</code>`, html.indexOf('id="iocs"'));
  assert.ok(at > 0, `${display} is in the IOC table`);
  return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at));
}

/** Each IOC row holds one evidence figure: the sentence, the rule behind its confidence and the outlet of its report. */
function assertIocEvidence(html: string, it: Item, outletOf: (value: string) => string) {
  for (const i of it.iocs) {
    const row = iocRow(html, i.display);
    assert.equal((row.match(/<details class="evidence">/g) ?? []).length, 1, `${i.value}: one evidence disclosure`);
    const details = row.slice(row.indexOf('<details class="evidence">'), row.indexOf('</details>'));
    assert.ok(details.includes(`<summary>evidence<span class="sr-only"> for ${i.type} ${escaped(i.display)}</span></summary>`), `${i.value}: the summary names it`);
    assert.ok(details.includes(`<blockquote>${escaped(i.context)}</blockquote>`), `${i.value}: the sentence`);
    assert.ok(details.includes(`rule <code>${escaped(i.rule)}</code> · ${escaped(outletOf(i.value))}</figcaption>`), `${i.value}: the rule and ${outletOf(i.value)}`);
  }
}

test('every IOC has its evidence one click away: the sentence, the rule behind its confidence and its outlet', async () => {
  const it = item('03-vpn-zero-day-exploited.txt');
  assert.ok(it.iocs.length >= 5);
  const html = await renderToString(it);
  assertIocEvidence(html, it, () => 'Perimeter Brief');
  // The confidence cell reads as a technique's basis: the level, then the evidence; the rule is inside, not repeated beside it.
  assert.match(iocRow(html, 'hxxps://cdn-edge-metrics[.]net/upd/sync'), /<td>(high|medium|low)<details class="evidence">/);
});

test('on an item of two reports, each IOC names the outlet of the report it was read from', async () => {
  const store = await openSqliteStore(':memory:');
  const [vpn, ransomware] = [item('03-vpn-zero-day-exploited.txt'), item('02-ransomware-manufacturer.html')];
  const read = (f: string) => ({ bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true });
  const a = await ingest(store, read('03-vpn-zero-day-exploited.txt'), testContext());
  const b = await ingest(store, read('02-ransomware-manufacturer.html'), testContext());
  const merged = await mergeStories(store, a.item.id, b.item.id, testContext());
  await store.close();
  assert.equal(merged.sources.length, 2);
  const from = new Map([...vpn.iocs.map((i) => [i.value, vpn.sources[0].outlet] as const), ...ransomware.iocs.map((i) => [i.value, ransomware.sources[0].outlet] as const)]);
  assert.deepEqual(new Set(merged.iocs.map((i) => from.get(i.value))), new Set(['Perimeter Brief', 'industrial-threat-desk.example']), 'IOCs of both reports');
  assertIocEvidence(await renderToString(merged), merged, (value) => from.get(value)!);
});

test('long groups collapse behind "+N more" without a script', async () => {
  const it = item('02-ransomware-manufacturer.html');
  const html = await renderToString(it);
  const mappings = html.slice(html.indexOf('id="mappings"'), html.indexOf('id="attack"'));
  const long = it.mappings.filter((g) => g.entries.length > 8);
  assert.ok(long.length > 0);
  for (const g of long) assert.ok(mappings.includes(`<summary>+${g.entries.length - 8} more<span class="sr-only"> ${g.framework.replace(/&/g, '&amp;')}</span></summary>`), g.framework);
  const shortGroup = it.mappings.find((g) => g.entries.length <= 8);
  if (shortGroup) assert.doesNotMatch(mappings.slice(mappings.indexOf(shortGroup.framework)).split('<h3>')[0], /more<span/);
});

test('IOCs show defanged with copy buttons the script reveals; "copy raw" refangs exactly what defang() changed', async () => {
  const html = await renderToString(item('03-vpn-zero-day-exploited.txt'));
  const iocs = html.slice(html.indexOf('id="iocs"'), html.indexOf('id="mappings"'));
  assert.match(iocs, /<span class="copyable" data-type="url"><code class="copy-value">hxxps:\/\/cdn-edge-metrics\[\.\]net\/upd\/sync<\/code><button type="button" class="copy noprint" data-copy="shown" hidden="">Copy/);
  assert.match(iocs, /data-copy="raw" hidden="">Copy raw/);
  assert.doesNotMatch(iocs, /cdn-edge-metrics\.net/);
  // A hash is the same defanged or not: no "copy raw" for it.
  assert.doesNotMatch(iocs.slice(iocs.indexOf('af8c6e14')).split('</td>')[0], /Copy raw/);

  const undefang = vm.runInNewContext(`${UNDEFANG_SOURCE}; vigilUndefang`) as (type: string, text: string) => string;
  const samples: [string, string][] = [
    ['url', 'https://a.b.example.com/x.y/z?q=1.2#f.g'], ['url', 'http://198.51.100.7:8080/a.b'], ['url', 'ftp://files.example.net/p'],
    ['url', 'hxxp-not-a-scheme.example'], ['url', 'https://[2001:db8::1]/a.b'], ['domain', 'login.micros0ft-support.com'],
    ['ipv4', '203.0.113.9'], ['cidr', '198.51.100.0/24'], ['email', 'first.last@mail.bad-domain.org'], ['ipv6', '2001:db8::dead:beef'],
    ['sha256', 'af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23'], ['path', 'C:\\Users\\Public\\a.b.exe'],
  ];
  for (const it of items().values()) for (const i of it.iocs) samples.push([i.type, i.value]);
  assert.ok(samples.length > 40);
  for (const [type, value] of samples) {
    assert.ok((IOC_TYPES as readonly string[]).includes(type));
    assert.equal(undefang(type, defang(value, type as never)), value, `${type} ${value}`);
  }
});

test('the script is one static file that only reveals, copies, opens for print and posts step forms', () => {
  assert.doesNotThrow(() => new vm.Script(SCRIPT), 'the script parses');
  assert.match(SCRIPT, /'x-csrf-token'/);
  assert.match(SCRIPT, /beforeprint/);
  assert.doesNotMatch(SCRIPT, /innerHTML|eval\(|document\.write/, 'the script writes text, never markup');
});

test('the stylesheet holds print, dark-mode and focus rules', () => {
  assert.match(STYLESHEET, /@media print \{[^}]*button, form, details\.review/);
  assert.match(STYLESHEET, /@media \(prefers-color-scheme: dark\)/);
  assert.match(STYLESHEET, /:focus-visible \{ outline:3px solid/);
  assert.match(STYLESHEET, /\.sr-only \{/);
});

test('each CVE shows its SSVC decision with the points behind it, and every publisher\'s vector when there are several', async () => {
  const it = item('03-vpn-zero-day-exploited.txt');
  const v = it.vulnerabilities.find((x) => x.cve === 'CVE-2026-21847');
  assert.ok(v?.ssvc, 'a KEV-listed CVE with a vector gets an SSVC decision');
  const html = await renderToString({ ...it, vulnerabilities: [{ ...v, vectors: [...v.vectors, { ...v.vectors[0], source: 'cna:Ironvale' }] }] });
  assert.ok(html.includes(`SSVC <strong>${v.ssvc.decision}</strong>`), 'the decision is shown');
  for (const r of v.ssvc.reasons) assert.ok(html.includes(escaped(r)), r);
  assert.match(html, /2 CVSS vectors by publisher/);
  assert.match(html, /CVSS 3\.1, cna:Ironvale/);
});
