/** `vigil kb sync` against a loopback server serving shared/data in place: ATT&CK through a collection index, a corrupt file, a wrong digest, an unreachable host. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CatalogSources, loadCatalogSources, newestCollection, syncCatalogs } from '../../src/knowledge/sync-catalogs.js';
import { loadCatalogs } from '../../src/knowledge/store-catalogs.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { SHARED } from '../helpers.js';

let server: http.Server;
let base = '';
let closedPort = 0;

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // An ATT&CK collection index in attack-stix-data's shape, whose newest ICS version is the bundle in shared/data.
    if (url.pathname === '/index.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        id: 'index', name: 'MITRE ATT&CK', collections: [{
          id: 'x-mitre-collection--90c00720-636b-4485-b342-8751d232bf09', name: 'ICS ATT&CK',
          versions: [{ version: '9.0', url: '/missing-old.json' }, { version: '18.1', url: '/attack/ics-attack-18.1.json' }, { version: '17.0', url: '/missing-17.json' }],
        }],
      }));
      return;
    }
    if (url.pathname === '/corrupt/known_exploited_vulnerabilities.json') {
      // The real catalog cut short: a download that stopped half-way.
      const full = fs.readFileSync(path.join(SHARED, 'kev/known_exploited_vulnerabilities.json'));
      res.end(full.subarray(0, full.length / 2));
      return;
    }
    const file = path.join(SHARED, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(SHARED) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nobody listens on: bound, then released.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const policy = { allowHosts: ['127.0.0.1'], retries: 0, perHostDelayMs: 0, connectTimeoutMs: 2000 };
const NOW = '2026-12-01T12:00:00.000Z';
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(path.join(SHARED, file))).digest('hex');

describe('kb sync', () => {
  let store: Store;
  before(async () => {
    store = await openSqliteStore(':memory:');
  });
  after(async () => store?.close());

  test('the shipped list of official URLs is valid and names only https sources', () => {
    const sources = loadCatalogSources();
    assert.deepEqual(sources.map((s) => s.catalog), ['attack', 'cwe', 'nist-800-53', 'nist-csf', 'csf-800-53', 'ctid-800-53', 'ctid-kev', 'kev', 'epss', 'tram']);
    assert.ok(sources.flatMap((s) => s.files).every((f) => f.url.startsWith('https://')));
    assert.equal(sources[0].files[0].collection, 'Enterprise ATT&CK');
  });

  test('downloads through the collection index and the guarded fetcher, verifies the digest, imports, and records the URL', async () => {
    const sources: CatalogSources = [
      { catalog: 'attack', title: 'ATT&CK ICS', files: [{ path: 'attack/ics-attack.json', url: `${base}/index.json`, collection: 'ICS ATT&CK', maxBytes: 20 * 1024 * 1024 }] },
      { catalog: 'kev', title: 'KEV', files: [{ path: 'kev/known_exploited_vulnerabilities.json', url: `${base}/kev/known_exploited_vulnerabilities.json`, maxBytes: 20 * 1024 * 1024, sha256: sha('kev/known_exploited_vulnerabilities.json') }] },
    ];
    const reports = await syncCatalogs(store, { sources, policy, now: NOW });
    assert.deepEqual(reports.map((r) => [r.catalog, r.ok, r.error]), [['attack', true, null], ['kev', true, null]]);
    assert.deepEqual(reports[0].downloads.map((d) => d.url), [`${base}/attack/ics-attack-18.1.json`], 'the newest version named by the index, resolved against it');
    assert.equal(reports[0].imported?.version, '18.1');
    assert.equal((await loadCatalogs(store)).technique('T0800')?.domain, 'ics');
    const history = await store.catalogHistory('attack');
    assert.equal(history[0].files[0].origin, `${base}/attack/ics-attack-18.1.json`);
    assert.equal(history[0].files[0].sha256, sha('attack/ics-attack-18.1.json'));
    assert.deepEqual(await store.catalogVersions(), { attack: '18.1', kev: '2025.08.25' });
  });

  test('a corrupt download, a wrong digest, a missing file and an unreachable host each name the catalog and keep its previous version', async () => {
    const kevFile = (url: string, extra = {}) => ({ path: 'kev/known_exploited_vulnerabilities.json', url, maxBytes: 20 * 1024 * 1024, ...extra });
    const sources: CatalogSources = [
      { catalog: 'kev', title: 'KEV, cut short', files: [kevFile(`${base}/corrupt/known_exploited_vulnerabilities.json`)] },
      { catalog: 'kev', title: 'KEV, tampered', files: [kevFile(`${base}/kev/known_exploited_vulnerabilities.json`, { sha256: '0'.repeat(64) })] },
      { catalog: 'cwe', title: 'CWE, gone', files: [{ path: 'cwe/cwec_v4.15.xml.gz', url: `${base}/cwe/cwec_v9.xml.gz`, maxBytes: 30 * 1024 * 1024 }] },
      { catalog: 'ctid-kev', title: 'unreachable', files: [{ path: 'ctid-mappings/kev-07.28.2025_attack-16.1-enterprise.json', url: `http://127.0.0.1:${closedPort}/kev.json`, maxBytes: 1024 * 1024 }] },
      { catalog: 'kev', title: 'KEV, over its cap', files: [kevFile(`${base}/kev/known_exploited_vulnerabilities.json`, { maxBytes: 4096 })] },
    ];
    const before = await store.catalogHistory();
    const reports = await syncCatalogs(store, { sources, policy, now: '2026-12-02T00:00:00.000Z' });
    assert.ok(reports.every((r) => !r.ok));
    assert.match(reports[0].error ?? '', /^kev\/known_exploited_vulnerabilities\.json: cannot be imported: /);
    assert.match(reports[1].error ?? '', /sha256 [0-9a-f]{64} is not the published 0{64}/);
    assert.match(reports[2].error ?? '', /HTTP 404/);
    assert.match(reports[3].error ?? '', /ECONNREFUSED/);
    assert.match(reports[4].error ?? '', /too large|over the cap|4096/i);
    assert.deepEqual(await store.catalogVersions(), { attack: '18.1', kev: '2025.08.25' });
    assert.equal((await store.catalogHistory()).length, before.length, 'no version was recorded');
  });

  test('the guard refuses loopback unless the host is allowed', async () => {
    const sources: CatalogSources = [{ catalog: 'kev', title: 'KEV', files: [{ path: 'kev/known_exploited_vulnerabilities.json', url: `${base}/kev/known_exploited_vulnerabilities.json`, maxBytes: 20 * 1024 * 1024 }] }];
    const [r] = await syncCatalogs(store, { sources, policy: { retries: 0 }, now: NOW });
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /loopback|blocked|private/i);
  });

  test('newestCollection picks the highest version, and names what an index lacks', () => {
    const index = { collections: [{ name: 'Mobile ATT&CK', versions: [{ version: '9.0', url: 'a' }, { version: '18.1', url: 'b' }, { version: '18.0', url: 'c' }] }] };
    assert.deepEqual(newestCollection(index, 'mobile att&ck'), { version: '18.1', url: 'b' });
    assert.throws(() => newestCollection(index, 'ICS ATT&CK'), /no collection "ICS ATT&CK" \(has: Mobile ATT&CK\)/);
    assert.throws(() => newestCollection({}, 'x'), /no "collections" list/);
  });
});
