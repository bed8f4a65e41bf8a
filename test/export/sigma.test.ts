// Detection content per item: Sigma rules valid against SigmaHQ's JSON schema with real field names, and KQL/SPL hunts quoted for their language, for every example.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import YAML from 'yaml';
import type { Ioc, Item } from '../../src/domain/index.js';
import { huntSince, indicatorsOf, itemToQueries, kqlString, loadDetectionKb, splString } from '../../src/export/queries.js';
import { itemToSigma, sigmaValue } from '../../src/export/sigma.js';
import { KbError } from '../../src/knowledge/kb-error.js';
import { DEFAULT_KB_DIR } from '../../src/knowledge/load-kb.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import { EXAMPLES, SHARED, exampleFiles, testContext, useExampleItems } from '../helpers.js';

const SIGMA = path.join(SHARED, 'sigma');
// ajv-formats is CommonJS: under NodeNext its default import is module.exports, which carries the plugin as .default too.
const addFormats = addFormatsModule.default;

const { item, items } = useExampleItems();

function sigmaValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(SIGMA, 'json-schema', 'sigma-detection-rule-schema.json'), 'utf8'));
  assert.match(schema.$schema, /2020-12/, 'the detection schema is draft 2020-12, so Ajv2020 is the validator');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Sigma rules are YAML 1.2 core, where 2026-12-01 stays a string. */
const parseRule = (text: string) => YAML.parse(text, { schema: 'core' }) as Record<string, any>;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * The field names a log source really has: SigmaHQ's tests/logsource.json, and where it lists none (dns, firewall),
 * the fields SigmaHQ's own rules of that category use and those the taxonomy appendix names for it.
 */
function realFields(logsource: { category?: string; product?: string }): Set<string> {
  const ls = JSON.parse(fs.readFileSync(path.join(SIGMA, 'logsource.json'), 'utf8'));
  const product = logsource.product ?? 'empty';
  const category = logsource.category ?? '';
  const fields = new Set<string>([...(ls.legit[product]?.category?.[category] ?? []), ...(ls.addon[product]?.category?.[category] ?? [])]);
  if (fields.size > 0) return fields;
  for (const file of walk(path.join(SIGMA, 'rules')).filter((f) => f.endsWith('.yml'))) {
    const rule = parseRule(fs.readFileSync(file, 'utf8'));
    if (rule.logsource?.category !== category || (rule.logsource?.product ?? 'empty') !== product) continue;
    for (const [k, sel] of Object.entries(rule.detection)) if (k !== 'condition' && sel && typeof sel === 'object' && !Array.isArray(sel)) for (const f of Object.keys(sel)) fields.add(f.split('|')[0]);
  }
  const appendix = fs.readFileSync(path.join(SIGMA, 'specification', 'sigma-appendix-taxonomy.md'), 'utf8').split('\n');
  const at = appendix.findIndex((l) => l.trim() === `- \`category: ${category}\``);
  for (let i = at + 1; at >= 0 && i < appendix.length && !/^- /.test(appendix[i]); i++) {
    if (/^\s{4,}- `/.test(appendix[i])) for (const m of appendix[i].matchAll(/`([^`]+)`/g)) fields.add(m[1]);
  }
  return fields;
}

function detectionFields(rule: Record<string, any>): string[] {
  return Object.entries(rule.detection).filter(([k]) => k !== 'condition').flatMap(([, sel]) => Object.keys(sel as object));
}
function detectionValues(rule: Record<string, any>): string[] {
  return Object.entries(rule.detection).filter(([k]) => k !== 'condition').flatMap(([, sel]) => Object.values(sel as object).flat() as string[]);
}

/** What each example must export: rule keys, and the values (before any prefix) its rules must hold. */
const EXPECTED: Record<string, { keys: string[]; values: string[]; level: string | null; tags: string[] }> = {
  '01-saas-vendor-breach.txt': { keys: [], values: [], level: null, tags: [] },
  '02-ransomware-manufacturer.html': {
    keys: ['dns', 'proxy-host', 'hashes'], level: 'high', tags: ['attack.t1486', 'attack.impact', 'attack.t1133', 'attack.initial-access'],
    values: ['7r3adx3tntx5qc4uzxjdk465t7ql6rbvaxr565zb7ahvqg7jsaaoksfd.onion', 'SHA256=291efb6ad6d70180f23b9864c11504fd2cd82957201854fbcc1f9863547aaf03'],
  },
  '03-vpn-zero-day-exploited.txt': {
    keys: ['dns', 'proxy-host', 'proxy-url', 'hashes'], level: 'critical', tags: ['attack.t1190', 'attack.initial-access', 'attack.t1505.003', 'cve.2026-21847'],
    values: ['cdn-edge-metrics.net', '.cdn-edge-metrics.net', 'cdn-edge-metrics.net/upd/sync', 'SHA256=af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23'],
  },
  '04-aitm-phishing-bec.md': {
    keys: ['dns', 'proxy-host', 'proxy-url'], level: 'high', tags: ['attack.t1566.002', 'attack.t1557', 'attack.credential-access'],
    values: ['m365-session-check.net', 'brackenridgetitle-escrow.com', 'secure-docs-portal.com', 'login-portal-verify.com/auth', 'secure-docs-portal.com/view/8841'],
  },
  '05-npm-supply-chain.txt': {
    keys: ['dns', 'proxy-host', 'proxy-url', 'hashes'], level: 'high', tags: ['attack.t1195.002', 'attack.initial-access'],
    values: ['pkg-metrics-relay.io', 'telemetry-cdn-sync.net/v2/collect', 'MD5=f418c284da42a5551c1cb77683cc5fa1', 'SHA1=40c5e69c508252021f6d9195d047ffe131fbfab5'],
  },
  '06-low-xss-advisory.txt': { keys: [], values: [], level: null, tags: [] },
  '07-product-launch-informational.txt': { keys: [], values: [], level: null, tags: [] },
};

test('every example has expected Sigma content', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), exampleFiles());
});

for (const [file, want] of Object.entries(EXPECTED)) {
  test(`Sigma rules of ${file} are valid Sigma with real fields, the item's indicators and no benign one`, () => {
    const it = item(file);
    const validate = sigmaValidator();
    const files = itemToSigma(it, { author: 'Vigil test', date: '2026-12-01' });
    assert.deepEqual(files.map((f) => f.filename), want.keys.map((k) => `${it.id}_${k}.yml`));
    const rules = files.map((f) => parseRule(f.yaml));
    for (const [i, rule] of rules.entries()) {
      const ok = validate(rule);
      assert.ok(ok, `${files[i].filename}: ${JSON.stringify(validate.errors)}`);
      assert.equal(typeof rule.date, 'string');
      assert.equal(rule.date, '2026-12-01');
      assert.match(files[i].yaml, /^date: '2026-12-01'$/m, 'the date is quoted, so a YAML 1.1 loader reads a string too');
      assert.equal(rule.status, 'experimental');
      assert.equal(rule.author, 'Vigil test');
      assert.equal(rule.level, want.level);
      assert.ok(isUuid(rule.id) && uuidVersion(rule.id) === 5, `${rule.id} is a v5 UUID`);
      assert.ok(rule.description.includes(it.title) && rule.description.includes(it.id), 'the description names the item');
      assert.deepEqual(rule.references, it.sources.map((s) => s.url));
      assert.ok(rule.falsepositives.length > 0);
      for (const t of want.tags) assert.ok(rule.tags.includes(t), `${t} in ${rule.tags.join(' ')}`);
      const known = realFields(rule.logsource);
      for (const f of detectionFields(rule)) assert.ok(known.has(f.split('|')[0]), `${f} is a field of ${JSON.stringify(rule.logsource)}: ${[...known].join(', ')}`);
    }
    const values = new Set(rules.flatMap(detectionValues));
    for (const v of want.values) assert.ok(values.has(v), `${v} in the rules`);
    // A benign reference may be the article itself, cited under references; it is never something to detect.
    const detections = JSON.stringify(rules.map((r) => r.detection));
    for (const b of it.iocs.filter((i) => i.benign)) assert.ok(!detections.includes(b.value), `benign ${b.value} (${b.benignReason}) is never detected on`);
  });
}

test('example 03: the benign documentation-range addresses stay out, the refanged download host and URL go in', () => {
  const it = item('03-vpn-zero-day-exploited.txt');
  const benign = it.iocs.filter((i) => i.benign).map((i) => i.value);
  assert.deepEqual(benign.sort(), ['198.51.100.23', '198.51.100.24', '203.0.113.61']);
  const dns = parseRule(itemToSigma(it).find((f) => f.filename.endsWith('_dns.yml'))!.yaml);
  assert.deepEqual(dns.logsource, { category: 'dns' });
  assert.deepEqual(dns.detection, {
    selection_query: { query: 'cdn-edge-metrics.net' },
    selection_query_endswith: { 'query|endswith': '.cdn-edge-metrics.net' },
    condition: '1 of selection_*',
  });
  assert.ok(dns.tags.includes('attack.t1190') && dns.tags.includes('attack.initial-access'));
  assert.ok(!dns.tags.includes('attack.t1133'), 'a technique the playbook only expects is no tag');
  const hashes = parseRule(itemToSigma(it).find((f) => f.filename.endsWith('_hashes.yml'))!.yaml);
  assert.deepEqual(hashes.logsource, { category: 'process_creation', product: 'windows' });
  assert.equal(hashes.detection.selection['Hashes|contains'], 'SHA256=af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23');
});

test('a non-benign address gets a firewall rule on dst_ip; the benign ones beside it do not', () => {
  const base = item('03-vpn-zero-day-exploited.txt');
  const it: Item = { ...base, iocs: base.iocs.map((i) => (i.value === '198.51.100.23' ? { ...i, benign: false, benignReason: null } : i)) };
  const fw = itemToSigma(it).find((f) => f.filename.endsWith('_firewall.yml'));
  assert.ok(fw);
  const rule = parseRule(fw.yaml);
  assert.ok(sigmaValidator()(rule));
  assert.deepEqual(rule.logsource, { category: 'firewall' });
  assert.deepEqual(rule.detection, { selection: { dst_ip: '198.51.100.23' }, condition: 'selection' });
  assert.ok(!fw.yaml.includes('198.51.100.24') && !fw.yaml.includes('203.0.113.61'));
});

test('rule ids are stable per item and rule, and distinct across them', () => {
  const a = itemToSigma(item('03-vpn-zero-day-exploited.txt')).map((f) => parseRule(f.yaml).id);
  const again = itemToSigma(item('03-vpn-zero-day-exploited.txt'), { date: '2027-01-01' }).map((f) => parseRule(f.yaml).id);
  const b = itemToSigma(item('05-npm-supply-chain.txt')).map((f) => parseRule(f.yaml).id);
  assert.deepEqual(again, a, 'a later export of the same item updates the same rules');
  assert.equal(new Set([...a, ...b]).size, a.length + b.length);
});

test('Sigma wildcards and the escape character in an indicator are matched literally', () => {
  assert.equal(sigmaValue('a*b?c\\d'), 'a\\*b\\?c\\\\d');
  const base = item('03-vpn-zero-day-exploited.txt');
  const url: Ioc = { ...base.iocs.find((i) => i.type === 'url')!, value: 'https://cdn-edge-metrics.net/get?id=*&x=1' };
  const rule = parseRule(itemToSigma({ ...base, iocs: [url] }).find((f) => f.filename.endsWith('_proxy-url.yml'))!.yaml);
  assert.equal(rule.detection.selection['c-uri|contains'], 'cdn-edge-metrics.net/get\\?id=\\*&x=1');
  assert.ok(sigmaValidator()(rule));
});

test('a bad date is refused, and the validator does reject a rule that is not Sigma', () => {
  assert.throws(() => itemToSigma(item('03-vpn-zero-day-exploited.txt'), { date: '2026-13-01' }), /YYYY-MM-DD/);
  const rule = parseRule(itemToSigma(item('03-vpn-zero-day-exploited.txt'))[0].yaml);
  delete rule.detection;
  assert.equal(sigmaValidator()(rule), false);
});

test('hunts for example 03 cover its indicators since a week before the event window, and never a benign one', () => {
  const it = item('03-vpn-zero-day-exploited.txt');
  assert.equal(huntSince(it), '2026-06-22');
  const queries = itemToQueries(it);
  const kql = queries.filter((q) => q.language === 'kql');
  const spl = queries.filter((q) => q.language === 'spl');
  assert.ok(kql.length >= 4 && spl.length >= 4);
  const net = kql.find((q) => q.query.startsWith('DeviceNetworkEvents'));
  assert.ok(net);
  assert.equal(net.title, 'Network connections to the reported addresses and hosts since 2026-06-22 (Microsoft Defender XDR)');
  assert.match(net.query, /\| where Timestamp >= datetime\(2026-06-22\)\n\| where RemoteUrl has_any \("cdn-edge-metrics\.net"\)/);
  assert.match(kql.find((q) => q.query.startsWith('DeviceFileEvents'))!.query, /SHA256 in~ \("af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23"\)/);
  const dns = spl.find((q) => q.query.includes('datamodel=Network_Resolution.DNS'));
  assert.ok(dns);
  assert.match(dns.query, /where earliest="06\/22\/2026:00:00:00" \(DNS\.query IN \("cdn-edge-metrics\.net", "\*\.cdn-edge-metrics\.net"\)\)/);
  assert.ok(!queries.some((q) => q.query.includes('datamodel=Network_Traffic')), 'no traffic hunt: every address is benign');
  const all = queries.map((q) => q.query).join('\n');
  for (const b of it.iocs.filter((i) => i.benign)) assert.ok(!all.includes(b.value), `benign ${b.value} never hunted`);
});

test('the hunting window is the one the item\'s own detection guidance uses, for every example with indicators', () => {
  for (const [file, it] of items()) {
    const own = it.detection.content.map((c) => /since (\d{4}-\d{2}-\d{2})/.exec(c.title)?.[1]).find(Boolean);
    if (!own) continue;
    assert.equal(huntSince(it), own, file);
    assert.ok(itemToQueries(it).every((q) => q.title.includes(`since ${own}`)), file);
  }
  assert.equal(huntSince(item('05-npm-supply-chain.txt')), '2026-08-10', 'no window: 30 days before the 2026-09-09 disclosure');
});

test('items without non-benign indicators get no rules and no hunts', () => {
  for (const f of ['01-saas-vendor-breach.txt', '06-low-xss-advisory.txt', '07-product-launch-informational.txt']) {
    assert.deepEqual(itemToSigma(item(f)), [], f);
    assert.deepEqual(itemToQueries(item(f)), [], f);
  }
});

test('hunts group hosts of URLs and e-mail addresses as domains, and mail senders as addresses', () => {
  const it = item('04-aitm-phishing-bec.md');
  const found = indicatorsOf(it);
  assert.deepEqual([...found.domain].sort(), ['brackenridgetitle-escrow.com', 'login-portal-verify.com', 'm365-session-check.net', 'secure-docs-portal.com']);
  assert.deepEqual([...found.email].sort(), ['closing@brackenridgetitle-escrow.com', 'notifications@secure-docs-portal.com']);
  assert.deepEqual(found.ip, []);
  const mail = itemToQueries(it).find((q) => q.query.startsWith('EmailEvents'));
  assert.ok(mail);
  assert.match(mail.query, /SenderFromAddress in~ \("notifications@secure-docs-portal\.com", "closing@brackenridgetitle-escrow\.com"\)/);
});

/** The string literals of a query, read back with backslash escapes, the way KQL and SPL read them. */
function literals(query: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < query.length; i++) {
    if (query[i] !== '"') continue;
    let s = '';
    for (i++; i < query.length && query[i] !== '"'; i++) {
      if (query[i] === '\\') {
        i++;
        s += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[query[i]] ?? query[i];
      } else s += query[i];
    }
    assert.ok(i < query.length, `an unterminated literal in ${query}`);
    out.push(s);
  }
  return out;
}

test('a value with a quote and a backslash is escaped for KQL and SPL and reads back unchanged', () => {
  const hostile = 'evil"host\\x.com';
  assert.equal(kqlString(hostile), '"evil\\"host\\\\x.com"');
  assert.equal(splString(hostile), '"evil\\"host\\\\x.com"');
  assert.equal(kqlString('a\nb'), '"a\\nb"');
  const base = item('05-npm-supply-chain.txt');
  const domain: Ioc = { ...base.iocs.find((i) => i.type === 'domain' && !i.benign)!, value: hostile };
  const queries = itemToQueries({ ...base, iocs: [domain] });
  assert.ok(queries.length > 0);
  for (const q of queries) {
    const read = literals(q.query);
    assert.ok(read.some((l) => l === hostile || l === `*.${hostile}` || l === `*${hostile}*`), `${q.title}: ${JSON.stringify(read)}`);
    assert.ok(!q.query.includes(`"${hostile}"`), 'the raw value never appears unescaped');
  }
});

function kbWith(edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-detection-kb-'));
  fs.writeFileSync(path.join(dir, 'detection-queries.yaml'), edit(fs.readFileSync(path.join(DEFAULT_KB_DIR, 'detection-queries.yaml'), 'utf8')));
  return dir;
}

test('kb/detection-queries.yaml is validated: a broken entry names the file and the field', () => {
  const kb = loadDetectionKb();
  assert.ok(kb.sigma.length >= 5 && kb.queries.length >= 10);
  const cases: [(t: string) => string, RegExp][] = [
    [(t) => t.replace('ip: { field: RemoteIP, op: in }', 'ip: { field: RemoteIP, op: equals }'), /detection-queries\.yaml: \/queries\/0\/match\/ip\/op/],
    [(t) => t.replace('      ip:\n        - { field: dst_ip }', '      ipaddr:\n        - { field: dst_ip }'), /detection-queries\.yaml: \/sigma\/0\/match\/ipaddr/],
    [(t) => t.replace('since {since} (Microsoft Sentinel DnsEvents)', 'since {start} (Microsoft Sentinel DnsEvents)'), /detection-queries\.yaml: \/queries\/1\/title: unknown placeholder \{start\}/],
    [(t) => t.replace('field: DNS.query, op: domain', 'field: Web.query, op: domain'), /detection-queries\.yaml: \/queries\/\d+\/match\/domain\/field: "Web\.query" is not a field of Network_Resolution\.DNS/],
    [(t) => t.replace('language: spl', 'language: eql'), /detection-queries\.yaml: \/queries\/\d+\/language: must be kql or spl/],
  ];
  for (const [edit, message] of cases) {
    const dir = kbWith(edit);
    assert.throws(() => loadDetectionKb(dir), (e: unknown) => e instanceof KbError && message.test(e.message), String(message));
    fs.rmSync(dir, { recursive: true });
  }
});
