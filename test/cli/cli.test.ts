// The vigil command line as a user runs it: the analyze/API contract, refusals, kb and profile errors, the schema.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { EXAMPLES, ROOT } from '../helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-'));

function vigil(args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: tmp, input: opts.input, env: { ...process.env, VIGIL_DB: '', ...opts.env }, encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const example = path.join(EXAMPLES, '03-vpn-zero-day-exploited.txt');
const withoutTime = (item: any) => ({ ...item, enrichment: { ...item.enrichment, enrichedAt: '' } });

test('analyze prints exactly the item that GET /api/items/:id serves after ingest', async () => {
  const db = path.join(tmp, 'contract.db');
  const analyzed = vigil(['analyze', '--as-of', '2026-12-01', example]);
  assert.equal(analyzed.code, 0, analyzed.stderr);
  const item = JSON.parse(analyzed.stdout);
  assert.equal(item.schema, 'vigil.item/1');
  assert.ok(!fs.existsSync(path.join(tmp, 'data')), 'analyze writes no database');
  const ingested = vigil(['ingest', '--db', db, '--as-of', '2026-12-01', example]);
  assert.equal(ingested.code, 0, ingested.stderr);
  assert.match(ingested.stdout, /document inserted, item itm_[0-9a-f]+ inserted \(CRITICAL/);
  const store = await openSqliteStore(db);
  const served = await (await createApp({ store, auth: { anonymousRead: true } }).request(`/api/items/${item.id}`)).json();
  await store.close();
  assert.deepEqual(withoutTime(served), withoutTime(item));
});

test('analyze reads stdin and prints Markdown with every section', () => {
  const r = vigil(['analyze', '--format', 'markdown', '-'], { input: fs.readFileSync(example) });
  assert.equal(r.code, 0, r.stderr);
  for (const h of ['## Executive summary', '## Technical analysis', '## Action checklist', '## Recovery guidance', '## Key forensic artifacts', '## Detection guidance', '## Indicators of compromise', '## Compliance framework mappings', '## MITRE ATT&CK mapping', '## Guidance disclaimer']) {
    assert.ok(r.stdout.includes(h), h);
  }
  assert.match(r.stdout, /CVE-2026-21847/);
});

const bad: [string, string | Buffer, string][] = [
  ['empty.txt', '', 'is empty'],
  ['binary.txt', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]), 'binary'],
  ['latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'not valid UTF-8'],
  ['report.pdf', '%PDF-1.4', 'unknown format'],
  ['big.txt', 'x'.repeat(5000), 'over the limit of 4096 bytes'],
];
for (const [name, content, message] of bad) {
  test(`ingest refuses ${name}: one line on stderr, non-zero exit, nothing written`, async () => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    const db = path.join(tmp, `bad-${name}.db`);
    const r = vigil(['ingest', '--db', db, file], { env: { VIGIL_MAX_DOCUMENT_BYTES: '4096' } });
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(message), r.stderr);
    assert.equal(r.stdout, '');
    const store = await openSqliteStore(db);
    assert.equal(await store.countItems(), 0);
    await store.close();
  });
}

test('a missing file and a bad flag are clear errors', () => {
  const r = vigil(['analyze', path.join(tmp, 'nope.txt')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nope\.txt: cannot be read/);
  const f = vigil(['analyze', '--format', 'xml', example]);
  assert.notEqual(f.code, 0);
  assert.match(f.stderr, /--format must be json or markdown/);
});

test('a broken kb file stops start-up with its file and field; a bad profile names its field', () => {
  const kb = path.join(tmp, 'kb-broken');
  fs.cpSync(path.join(ROOT, 'kb'), kb, { recursive: true });
  const meta = path.join(kb, 'meta.yaml');
  fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace(/^version:.*$/m, 'version: 7'));
  const r = vigil(['analyze', '--kb-dir', kb, example]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /kb: meta\.yaml: \/version: /);
  const profile = path.join(tmp, 'profile.yaml');
  fs.writeFileSync(profile, 'sectors: healthcare\n');
  const p = vigil(['analyze', '--profile', profile, example]);
  assert.notEqual(p.code, 0);
  assert.match(p.stderr, /profile: .*profile\.yaml: \/sectors: /);
});

test('a profile brings its regimes: an EU team sees the GDPR clock for exposed personal data', () => {
  const profile = path.join(tmp, 'eu.yaml');
  fs.writeFileSync(profile, 'name: Example GmbH\nsectors: [manufacturing]\njurisdictions: [eu]\n');
  const r = vigil(['analyze', '--as-of', '2026-12-01', '--profile', profile, path.join(EXAMPLES, '02-ransomware-manufacturer.html')]);
  assert.equal(r.code, 0, r.stderr);
  const item = JSON.parse(r.stdout);
  assert.equal(item.enrichment.profile, 'eu.yaml');
  const gdpr = item.triage.deadlines.find((d: { citation: string }) => /33/.test(d.citation));
  assert.ok(gdpr, JSON.stringify(item.triage.deadlines.map((d: { citation: string }) => d.citation)));
  assert.match(gdpr.due, /^2026-05-2\dT00:00:00Z$/, '72 hours from disclosure, as a timestamp');
});

test('schema prints the JSON Schema of an item, and docs/item.schema.json is that schema', () => {
  const r = vigil(['schema']);
  const schema = JSON.parse(r.stdout);
  assert.equal(schema.$id, 'Item');
  assert.ok(schema.required.includes('checklist'));
  assert.equal(fs.readFileSync(path.join(ROOT, 'docs/item.schema.json'), 'utf8'), r.stdout, 'regenerate with: npm run -s schema > docs/item.schema.json');
});
