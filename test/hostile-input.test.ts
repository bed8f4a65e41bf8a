// Hostile documents finish with the right output: nesting, long runs and floods that made stages super-linear.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingest } from '../src/pipeline.js';
import { openSqliteStore } from '../src/store/index.js';
import { testContext } from './helpers.js';

async function analyze(text: string, origin = 'hostile.txt') {
  const store = await openSqliteStore(':memory:');
  try {
    return (await ingest(store, { bytes: Buffer.from(text), origin }, testContext())).item;
  } finally {
    await store.close();
  }
}

// A guard against hangs, not a performance assertion: the benchmark measures speed.
const guard = { timeout: 120_000 };

test('HTML nested thousands deep is read as text, not parsed recursively', guard, async () => {
  const html = `<html><head><title>Deep</title></head><body>${'<div>'.repeat(5000)}Attackers exploited CVE-2026-20001 in Acme Gateway.${'</div>'.repeat(5000)}</body></html>`;
  const item = await analyze(html, 'deep.html');
  assert.equal(item.title, 'Deep');
  assert.deepEqual(item.facts.cves.map((c) => c.id), ['CVE-2026-20001']);
});

test('Markdown quoted thousands deep is read as plain text', guard, async () => {
  const item = await analyze(`# Quote\n\n${'> '.repeat(20000)}CVE-2026-20002 is exploited.`, 'deep.md');
  assert.deepEqual(item.facts.cves.map((c) => c.id), ['CVE-2026-20002']);
});

test('long runs of blanks, abbreviations, group names and versions complete with the facts intact', guard, async () => {
  const text = [
    'Title: Flood',
    '',
    `Acme Corp patched CVE-2026-20003.${' \t'.repeat(100_000)}`,
    'J. '.repeat(60_000),
    'Zqx group '.repeat(7_000),
    'Foo 1.1 '.repeat(25_000),
    'between March 1 and '.repeat(5_000),
  ].join('\n');
  const item = await analyze(text);
  assert.deepEqual(item.facts.cves.map((c) => c.id), ['CVE-2026-20003']);
  assert.ok(item.facts.organisations.length < 1000);
});

test('fifteen thousand URLs give one bounded IOC table', guard, async () => {
  const urls = Array.from({ length: 15_000 }, (_, i) => `hxxp://evil${i}[.]com/x`).join(' ');
  const item = await analyze(`Title: URLs\n\nThe C2 servers were ${urls}.`);
  assert.ok(item.iocs.length >= 15_000);
  assert.equal(item.iocs.filter((i) => i.type === 'url' && i.confidence === 'high').length, 15_000);
});
