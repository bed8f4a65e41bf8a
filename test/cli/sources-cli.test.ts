// `vigil sources ...` and `vigil fetch` as a user runs them, against the loopback feed server; and the schedule in `vigil serve`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../helpers.js';
import { type FeedServer, startFeedServer } from '../sources/feed-server.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sources-cli-'));
let server: FeedServer;
before(async () => { server = await startFeedServer(); });
after(() => server.close());

// Async, not spawnSync: the loopback server lives in this process and must keep answering.
function vigil(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: tmp, env: { ...process.env, VIGIL_DB: '', VIGIL_FETCH_ALLOW_HOSTS: '127.0.0.1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('sources add, list, disable, enable, test, fetch and remove', async () => {
  const db = path.join(tmp, 's.db');
  const feed = `${server.url}/feeds/databreaches.xml`;
  let r = await vigil(['sources', 'add', feed, '--db', db, '--no-articles', '--interval', '30']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /added feed source 127-0-0-1: http:\/\/127\.0\.0\.1:\d+\/feeds\/databreaches\.xml \(every 30 min\)/);
  r = await vigil(['sources', 'add', feed, '--db', db, '--name', '127-0-0-1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /a source named "127-0-0-1" exists/);
  r = await vigil(['sources', 'test', '127-0-0-1', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /127-0-0-1: 10 entries, 10 new/);
  r = await vigil(['sources', 'list', '--db', db]);
  assert.match(r.stdout, /127-0-0-1\tfeed\tnever run\t-\t0\tnow\t/, 'test stored nothing');
  r = await vigil(['sources', 'disable', '127-0-0-1', '--db', db]);
  assert.match(r.stdout, /disabled/);
  r = await vigil(['fetch', '--db', db]);
  assert.match(r.stdout, /no enabled sources/);
  await vigil(['sources', 'enable', '127-0-0-1', '--db', db]);
  r = await vigil(['fetch', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /127-0-0-1: 10 entries, 10 new, 0 updated, 0 unchanged/);
  r = await vigil(['fetch', '--db', db, '--source', '127-0-0-1']);
  assert.match(r.stdout, /127-0-0-1: not modified/);
  r = await vigil(['sources', 'list', '--db', db, '--json']);
  const [listed] = JSON.parse(r.stdout);
  assert.equal(listed.health.entriesSeen, 10);
  assert.ok(listed.health.lastSuccessAt);
  r = await vigil(['sources', 'remove', '127-0-0-1', '--db', db]);
  assert.equal(r.code, 0);
  r = await vigil(['sources', 'remove', '127-0-0-1', '--db', db]);
  assert.match(r.stderr, /no source named "127-0-0-1"/);
});

test('a failing fetch exits 1 with the error per source, and the others complete', async () => {
  const db = path.join(tmp, 'f.db');
  await vigil(['sources', 'add', `${server.url}/hostile/redirect-private`, '--db', db, '--name', 'bad']);
  await vigil(['sources', 'add', `${server.url}/feeds/proofpoint.xml`, '--db', db, '--name', 'good', '--no-articles']);
  const r = await vigil(['fetch', '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /bad: error \(blocked-address\): .*10\.0\.0\.1.*private network/);
  assert.match(r.stdout, /good: 10 entries, 10 new/);
  // Without the explicit allowance, the guard refuses the loopback server itself.
  const refused = await vigil(['fetch', '--db', db, '--source', 'good'], { VIGIL_FETCH_ALLOW_HOSTS: '' });
  assert.match(refused.stdout, /good: error \(blocked-address\): .*127\.0\.0\.1.*loopback/);
});

test('bad definitions are refused by field; --defaults adds the default list once; OPML imports feeds', async () => {
  const db = path.join(tmp, 'd.db');
  let r = await vigil(['sources', 'add', 'ftp://example.org/feed', '--db', db]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /a feed source needs an http\(s\) URL/);
  r = await vigil(['sources', 'add', 'https://example.org/feed', '--kind', 'gopher', '--db', db]);
  assert.match(r.stderr, /kind must be one of feed, kev, epss, nvd, cve5, url, folder/);
  r = await vigil(['sources', 'add', 'https://example.org/feed', '--interval', '1', '--db', db]);
  assert.match(r.stderr, /intervalMinutes/);
  r = await vigil(['sources', 'add', '--defaults', '--db', db]);
  assert.match(r.stdout, /added (\d+) default sources: cisa-kev, first-epss, nvd/);
  assert.ok(Number(/added (\d+)/.exec(r.stdout)![1]) >= 15);
  r = await vigil(['sources', 'add', '--defaults', '--db', db]);
  assert.match(r.stdout, /added 0 default sources \(all present already\)/);
  const opml = path.join(tmp, 'feeds.opml');
  fs.writeFileSync(opml, `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
    <outline text="News"><outline text="Krebs" type="rss" xmlUrl="https://krebsonsecurity.com/feed/"/>
    <outline text="Example" type="rss" xmlUrl="https://blog.example.org/rss.xml"/></outline></body></opml>`);
  r = await vigil(['sources', 'import', opml, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 feeds, 1 added, 1 present already/);
});

test('vigil serve adds the defaults to an empty database and runs due sources in-process', async () => {
  const db = path.join(tmp, 'serve.db');
  await vigil(['sources', 'add', `${server.url}/feeds/securityweek.xml`, '--db', db, '--name', 'sw', '--no-articles']);
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--db', db, '--no-examples'], {
    cwd: tmp, env: { ...process.env, VIGIL_DB: '', VIGIL_FETCH_ALLOW_HOSTS: '127.0.0.1', VIGIL_ANONYMOUS_READ: '1' },
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no fetch line: ${out}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /news center at (http:\/\/\S+)/.exec(out);
        if (m && /fetch: sw: 10 entries, 10 new/.test(out)) { clearTimeout(t); resolve(m[1]); }
      });
    });
    assert.doesNotMatch(out, /added the \d+ default sources/, 'a database with sources gets no defaults');
    const api = await (await fetch(`${url}/api/sources`)).json();
    assert.equal(api.sources[0].name, 'sw');
    assert.equal(api.sources[0].health.entriesSeen, 10);
    const page = await (await fetch(`${url}/sources`)).text();
    assert.match(page, /<td>ok<\/td>/, out);
    assert.equal((await (await fetch(`${url}/api/items`)).json()).total, 10);
  } finally {
    child.kill('SIGTERM');
  }
});

test('vigil ingest URL reads one page through the guarded fetcher; a page source polls it with validators', async () => {
  const db = path.join(tmp, 'u.db');
  server.set('/advisory/vpn', `<!doctype html><html><head><title>VPN advisory</title><meta property="og:site_name" content="Loopback CERT"></head>
    <body><article><h1>VPN advisory</h1><p>${'Attackers are exploiting CVE-2026-11111 in Contoso VPN gateways, the vendor said on 1 December 2026. '.repeat(5)}</p></article></body></html>`, 'text/html');
  let r = await vigil(['ingest', '--db', db, `${server.url}/advisory/vpn`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /advisory\/vpn: document inserted, item itm_[0-9a-f]+ inserted/);
  r = await vigil(['ingest', '--db', db, `${server.url}/hostile/metadata`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /169\.254\.169\.254/);
  await vigil(['sources', 'add', `${server.url}/advisory/vpn`, '--kind', 'url', '--name', 'vpn-page', '--db', db]);
  r = await vigil(['fetch', '--db', db]);
  assert.match(r.stdout, /vpn-page: 1 entries, 0 new, 0 updated, 1 unchanged/);
  r = await vigil(['fetch', '--db', db]);
  assert.match(r.stdout, /vpn-page: not modified/);
});

test('two workers on one database run each due source once between them', async () => {
  const db = path.join(tmp, 'w.db');
  for (const f of ['securityweek', 'proofpoint', 'databreaches', 'crowdstrike']) {
    await vigil(['sources', 'add', `${server.url}/feeds/${f}.xml`, '--db', db, '--name', f, '--no-articles']);
  }
  const start = () => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), 'worker', '--db', db], {
      cwd: tmp, env: { ...process.env, VIGIL_DB: '', VIGIL_FETCH_ALLOW_HOSTS: '127.0.0.1', VIGIL_ANONYMOUS_READ: '1' },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    return { child, out: () => out };
  };
  const workers = [start(), start()];
  try {
    const lines = () => workers.flatMap((w) => w.out().split('\n').filter((l) => l.startsWith('fetch: ')));
    const deadline = Date.now() + 60_000;
    while (lines().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1000));
    const runs = lines().map((l) => l.split(':')[1].trim()).sort();
    assert.deepEqual(runs, ['crowdstrike', 'databreaches', 'proofpoint', 'securityweek'], workers.map((w) => w.out()).join('\n---\n'));
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
  }
});
