// The IOC CSV (RFC 4180, formula-injection safe, parsed back cell by cell) and the plain-text blocklists (benign values never in them).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Ioc, Item } from '../../src/domain/index.js';
import { blocklist } from '../../src/export/blocklist.js';
import { CSV_COLUMNS, csvCell, iocsToCsv } from '../../src/export/csv.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import { EXAMPLES, exampleFiles, testContext, useExampleItems } from '../helpers.js';

/** RFC 4180 as a strict reader sees it: CRLF between records, quotes doubled inside quoted fields, no bare line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      continue;
    }
    if (c === '"') {
      if (cell !== '' || wasQuoted) throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = true;
      wasQuoted = true;
    } else if (c === ',') {
      row.push(cell); cell = ''; wasQuoted = false;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; wasQuoted = false; i++;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else {
      if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
      cell += c;
    }
  }
  if (quoted) throw new Error('an unterminated quoted field');
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

const { item, items } = useExampleItems();
const ioc = (over: Partial<Ioc> & Pick<Ioc, 'type' | 'value'>): Ioc =>
  ({ display: over.value, context: 'seen in the report', confidence: 'high', rule: 'test', benign: false, benignReason: null, ...over });

const HOSTILE_TITLE = '=HYPERLINK("http://evil.example","x")';
const MESSY = 'a "quoted", value,\nwith a newline';

function hostileItem(): Item {
  const base = item('03-vpn-zero-day-exploited.txt');
  return {
    ...base,
    id: 'itm_hostile',
    title: HOSTILE_TITLE,
    firstReported: null,
    sources: [{ documentId: 'doc_x', outlet: 'x', title: 'x', url: null, published: null }],
    iocs: [
      ioc({ type: 'file', value: '@SUM(1+1)' }),
      ioc({ type: 'file', value: "+cmd|' /C calc'!A0" }),
      ioc({ type: 'file', value: '-2+3', confidence: 'medium' }),
      ioc({ type: 'file', value: MESSY }),
      ioc({ type: 'file', value: '\tTAB', benign: true, benignReason: '=1+1', confidence: 'low' }),
      ioc({ type: 'file', value: '\rCR' }),
    ],
  };
}

test('every cell that a spreadsheet would run as a formula starts with a single quote', () => {
  for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.equal(csvCell(s), `'${s}`);
  for (const s of ['1+1', 'a=b', ' =1', "'already", '', 'hxxps://evil[.]com']) assert.equal(csvCell(s), s);
});

test('hostile titles and values: RFC 4180 that parses back to the same text, each formula defused', () => {
  const csv = iocsToCsv([hostileItem()]);
  assert.ok(csv.endsWith('\r\n'));
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, 7);
  for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length);
  const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  for (const r of rows.slice(1)) assert.equal(r[col('item_title')], `'${HOSTILE_TITLE}`);
  assert.deepEqual(rows.slice(1).map((r) => r[col('value')]), ["'@SUM(1+1)", "'+cmd|' /C calc'!A0", "'-2+3", MESSY, "'\tTAB", "'\rCR"]);
  assert.deepEqual(rows.slice(1).map((r) => r[col('display')]), ["'@SUM(1+1)", "'+cmd|' /C calc'!A0", "'-2+3", MESSY, "'\tTAB", "'\rCR"]);
  assert.deepEqual(rows.slice(1).map((r) => [r[col('confidence')], r[col('benign')], r[col('benign_reason')]]), [
    ['high', 'false', ''], ['high', 'false', ''], ['medium', 'false', ''], ['high', 'false', ''], ['low', 'true', "'=1+1"], ['high', 'false', ''],
  ]);
  assert.deepEqual(rows.slice(1).map((r) => [r[col('first_reported')], r[col('source_url')]]), Array(6).fill(['', '']));
  // The text itself, for the messy value: quotes doubled, the comma and newline inside one quoted field.
  assert.ok(csv.includes('"a ""quoted"", value,\nwith a newline"'));
  assert.ok(csv.startsWith('"item_id","item_title","type","value","display","confidence","benign","benign_reason","first_reported","source_url"\r\n'));
  assert.ok(csv.includes('"itm_hostile","\'=HYPERLINK(""http://evil.example"",""x"")","file","\'@SUM(1+1)","\'@SUM(1+1)","high","false","","",""\r\n'));
});

test('the example items: one row per IOC, refanged value, defanged display, benign marked with its reason', () => {
  const all = [...items().values()];
  const rows = parseCsv(iocsToCsv(all));
  assert.equal(rows.length, 1 + all.reduce((n, i) => n + i.iocs.length, 0));
  const find = (value: string) => rows.find((r) => r[3] === value);
  assert.deepEqual(find('https://cdn-edge-metrics.net/upd/sync'), [
    'itm_acdc7191d37a1eba', 'Ironvale patches SecureEdge VPN zero-day exploited since late June; CISA adds flaw to KEV', 'url',
    'https://cdn-edge-metrics.net/upd/sync', 'hxxps://cdn-edge-metrics[.]net/upd/sync', 'high', 'false', '', '2026-07-14T18:40:00.000Z',
    'https://perimeter-brief.example/2026/07/14/ironvale-secureedge-cve-2026-21847-exploited',
  ]);
  assert.deepEqual(find('198.51.100.23')?.slice(2, 8), ['ipv4', '198.51.100.23', '198[.]51[.]100[.]23', 'low', 'true', 'documentation range 198.51.100.0/24 (RFC 5737)']);
  assert.deepEqual(find('registry.npmjs.org')?.slice(6, 8), ['true', 'well-known service domain: the npm registry (kb/benign-domains.yaml)']);
  assert.equal(parseCsv(iocsToCsv([])).length, 1, 'no items: the header alone');
});

test('blocklists: the actionable values of one type, sorted and deduplicated, under a header naming Vigil, the time and the items', () => {
  const all = [...items().values()];
  const at = '2026-12-01T12:00:00.000Z';
  assert.equal(blocklist(all, 'sha256', at), [
    '# Vigil blocklist: sha256',
    '# Generated: 2026-12-01T12:00:00.000Z',
    '# Rule: indicators not marked benign, with high or medium confidence; refanged, sorted, deduplicated.',
    '# Items: itm_440fa716f4e0318a itm_acdc7191d37a1eba itm_c8f3a357ae2de75c',
    '# Entries: 5',
    '13384b15bfe993c9916adfbc87463ed318d4d4b1807294de4c1b9c6dc764f94c',
    '291efb6ad6d70180f23b9864c11504fd2cd82957201854fbcc1f9863547aaf03',
    '4ec7afe440ab6973bb0c0992cc3d0abef12e2dcc2e2db0ff21d3d8e17feb7a1b',
    'af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23',
    'e632c02df63dab965d399a4b5c7873bea5cfe85b091c019c74515b49495e9cb4',
    '',
  ].join('\n'));
  assert.equal(blocklist([...all, ...all], 'sha256', new Date(at)), blocklist(all, 'sha256', at), 'deduplicated; a Date is the same time');
  const urls = blocklist(all, 'url', at).split('\n').filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(urls, [
    'http://secure-docs-portal.com/view/8841', 'https://cdn-edge-metrics.net/upd/sync', 'https://login-portal-verify.com/auth',
    'https://npm-account-review.com/verify', 'https://telemetry-cdn-sync.net/v2/collect',
  ]);
  // Every address in the examples is a documentation address: none is blocked.
  assert.match(blocklist(all, 'ipv4', at), /# Items: none\n# Entries: 0\n$/);
});

test('benign and low-confidence values never appear in a blocklist, and no value can smuggle in a line', () => {
  const all = [...items().values()];
  for (const type of ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'path', 'file'] as const) {
    const lines = new Set(blocklist(all, type, '2026-12-01T12:00:00Z').split('\n'));
    for (const i of all.flatMap((x) => x.iocs).filter((x) => x.benign && x.type === type)) assert.ok(!lines.has(i.value), `benign ${i.value} in ${type}`);
  }
  const domains = blocklist(all, 'domain', '2026-12-01T12:00:00Z');
  for (const benign of ['registry.npmjs.org', 'login.microsoftonline.com']) assert.ok(!domains.includes(benign));

  const base = item('04-aitm-phishing-bec.md');
  const crafted: Item = {
    ...base,
    id: 'itm_crafted\n0.0.0.0',
    iocs: [
      ioc({ type: 'domain', value: 'good-evil.net' }),
      ioc({ type: 'domain', value: 'low-evil.net', confidence: 'low' }),
      ioc({ type: 'domain', value: 'victim.com', confidence: 'high', benign: true, benignReason: 'the victim' }),
      ioc({ type: 'domain', value: 'evil.net\n1.1.1.1' }),
      ioc({ type: 'domain', value: '# evil.net' }),
    ],
  };
  const list = blocklist([crafted], 'domain', 'then\nnow');
  assert.equal(list, [
    '# Vigil blocklist: domain',
    '# Generated: then now',
    '# Rule: indicators not marked benign, with high or medium confidence; refanged, sorted, deduplicated.',
    '# Items: itm_crafted 0.0.0.0',
    '# Entries: 1',
    "# Skipped: 2 value(s) that would break the one-value-a-line format (a line break, control character, leading '#' or blank)",
    'good-evil.net',
    '',
  ].join('\n'));
});
