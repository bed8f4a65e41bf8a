/**
 * The web benchmark: seeds synthetic items through the store's bulk import, starts the real server in its own process on
 * loopback, and drives the item page, the list page and search with autocannon; then grows the index to a million rows and
 * times store searches. Prints p50/p99, requests per second, RSS and each figure's ratio to its target.
 *
 * Sizes: VIGIL_BENCH_ITEMS (100000 full-size items), VIGIL_BENCH_SEARCH_DOCS (1000000 rows in the search index: the full
 * items plus compact ones), VIGIL_BENCH_SECONDS (10 per autocannon run), VIGIL_BENCH_CONNECTIONS (10).
 * VIGIL_BENCH_WORKERS=N serves with N web processes on one port (as `vigil serve --workers N`; 1 by default).
 * VIGIL_BENCH_DB=path keeps the seeded database between runs (seeded again when its item count or corpus version differs);
 * the search phase then grows a copy of it, so the pages always see exactly VIGIL_BENCH_ITEMS items.
 * VIGIL_BENCH_ONLY=search times the store searches alone (no autocannon runs); VIGIL_BENCH_ONLY=list the list page alone
 * (no item pages kept, which the list does not read: at 100,000 items keeping them takes most of a run).
 */
import { type ChildProcess, execFile, fork, spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { openSqliteStore } from '../src/store/index.js';
import type { Item } from '../src/domain/index.js';
import { createApp } from '../src/web/app.js';
import { addUser } from '../src/web/auth/accounts.js';
import { keepItemPages } from '../src/web/item-pages.js';
import { createSession } from '../src/web/auth/sessions.js';
import { startServer } from '../src/web/serve.js';
import { syntheticItem, templateItems } from './web-corpus.js';
import { timeKinds } from './search-kinds.js';

const TARGETS = { itemP99Ms: 25, itemRps: 2000, searchP95Ms: 50 };
/** The items of the list's first 20 pages, by priority: what a team opens most, the second item-page run. */
const TOP_ITEMS = 1000;
const here = fileURLToPath(import.meta.url);
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};

/** VIGIL_BENCH_WORKERS=N: the server as `vigil serve --workers N` runs it, N processes answering on one port. */
const WORKERS = int('VIGIL_BENCH_WORKERS', 1);

/** A web worker of the server (node:cluster): its own store connection and app, on the port the workers share. */
async function serveWorker(db: string): Promise<void> {
  const store = await openSqliteStore(db);
  await startServer(createApp({ store }), 0);
  process.on('message', (m) => {
    if (m === 'rss') process.send!({ rssMB: Math.round(process.memoryUsage().rss / 2 ** 20), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) });
    if (m === 'cpu') process.send!({ cpuMs: cpuMs() });
  });
}

/** This process's CPU time so far (user and system), in ms: the server's cost per request, steadier than latency on a shared machine. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The server's own process, so that autocannon's client work is not counted against it. */
async function serveChild(db: string): Promise<void> {
  if (cluster.isWorker) return serveWorker(db);
  const store = await openSqliteStore(db);
  // Every page is read signed in, as an analyst reads them: session lookup, read marks, visits and the per-user parts all count.
  const user = (await store.getUserByName('bench')) ?? await addUser(store, { name: 'bench', password: 'bench-password-for-loopback', role: 'analyst' }, new Date());
  const { id: session } = await createSession(store, user.id, { lifetimeMs: 12 * 3_600_000 }, new Date());
  const top = (await store.searchItems({ sort: 'priority', limit: TOP_ITEMS, offset: 0 })).items.map((r) => r.id);
  if (WORKERS > 1) {
    // Every worker listening (and so answering messages) before the bench starts: a message to one still opening is lost.
    let up = 0;
    const listening = new Promise<string>((resolve) => cluster.on('listening', (_w, a) => { if (++up === WORKERS) resolve(`http://127.0.0.1:${a.port}`); }));
    const workers = Array.from({ length: WORKERS }, () => cluster.fork());
    const url = await listening;
    process.on('message', async (m) => {
      if (m === 'rss') {
        const each = await Promise.all(workers.map((w) => new Promise<{ rssMB: number; peakRssMB: number }>((resolve) => { w.once('message', resolve); w.send('rss'); })));
        process.send!({ rssMB: each.reduce((n, r) => n + r.rssMB, 0), peakRssMB: each.reduce((n, r) => n + r.peakRssMB, 0), perWorker: each, note: 'the workers\' sum' });
      }
      if (m === 'cpu') {
        const each = await Promise.all(workers.map((w) => new Promise<{ cpuMs: number }>((resolve) => { w.once('message', resolve); w.send('cpu'); })));
        process.send!({ cpuMs: each.reduce((n, r) => n + r.cpuMs, 0) });
      }
      if (m === 'stop') {
        for (const w of workers) w.kill();
        void store.close().then(() => process.exit(0));
      }
    });
    process.send!({ url, cookie: `vigil_session=${session}`, top });
    return;
  }
  const server = await startServer(createApp({ store }), 0);
  process.on('message', (m) => {
    if (m === 'rss') process.send!({ rssMB: Math.round(process.memoryUsage().rss / 2 ** 20), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) });
    if (m === 'cpu') process.send!({ cpuMs: cpuMs() });
    if (m === 'stop') void server.close().then(() => store.close()).then(() => process.exit(0));
  });
  process.send!({ url: server.url, cookie: `vigil_session=${session}`, top });
}

const ask = <T>(child: ChildProcess, message?: string) => new Promise<T>((resolve) => {
  child.once('message', (m) => resolve(m as T));
  if (message) child.send(message);
});

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

interface Cannon { latency: { p50: number; p99: number; p97_5: number }; requests: { average: number }; non2xx: number; errors: number; '2xx': number }

async function cannon(url: string, cookie: string, paths: () => string, seconds: number, connections: number) {
  const r: Cannon = await autocannon({
    // As a browser asks (Chrome's Accept-Encoding): pages kept compressed are sent compressed.
    url, connections, duration: seconds, headers: { cookie, 'accept-encoding': 'gzip, deflate, br, zstd' }, requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths() }) }],
  });
  return { p50Ms: r.latency.p50, p99Ms: r.latency.p99, rps: round(r.requests.average, 0), ok: r['2xx'], non2xx: r.non2xx, errors: r.errors };
}

const toMs = (v: string, unit: string) => Number(v) * (unit === 'us' ? 1e-3 : unit === 's' ? 1e3 : 1);

/**
 * The item page again with wrk (Debian's `wrk`, when on PATH), beside autocannon: on a 2-core machine the client shares the
 * server's cores, and wrk spends about 2.4 times less CPU a request than autocannon (17,000 against 7,000 rps on a plain
 * node server answering 19 KB here), so it leaves the server more of the machine.
 */
async function wrkItems(url: string, cookie: string, itemsN: number, seconds: number, connections: number, dir: string) {
  if (spawnSync('wrk', ['--version']).error) return { skipped: 'wrk is not on PATH (apt-get install wrk)' };
  const script = path.join(dir, 'items.lua');
  fs.writeFileSync(script, `request = function()\n  return wrk.format("GET", string.format("/items/itm_bench_%08x", math.random(0, ${itemsN - 1})))\nend\n`);
  const out = await new Promise<string>((resolve, reject) => execFile('wrk', [
    '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', `Cookie: ${cookie}`, '-H', 'Accept-Encoding: gzip, deflate, br, zstd', '-s', script, url,
  ], (e, stdout) => (e ? reject(e) : resolve(stdout))));
  const at = (q: string) => { const m = new RegExp(`^\\s+${q}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(out); return m ? round(toMs(m[1], m[2])) : null; };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const bad = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return { p50Ms: at('50'), p99Ms: at('99'), rps: rps ? round(Number(rps[1]), 0) : null, non2xx: bad ? Number(bad[1]) : 0 };
}

/** Store searches as the list's first page asks them, 100 of each kind of query, over the grown index (bench/search-kinds.ts). */
async function timeSearches(db: string, searchN: number, templates: Item[]) {
  const store = await openSqliteStore(db);
  const r = await timeKinds(store, searchN, templates);
  await store.close();
  return r;
}

async function main(): Promise<void> {
  const itemsN = int('VIGIL_BENCH_ITEMS', 100_000);
  const searchN = Math.max(itemsN, int('VIGIL_BENCH_SEARCH_DOCS', 1_000_000));
  const seconds = int('VIGIL_BENCH_SECONDS', 10);
  const connections = int('VIGIL_BENCH_CONNECTIONS', 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-web-'));
  const kept = process.env.VIGIL_BENCH_DB ? path.resolve(process.env.VIGIL_BENCH_DB) : null;
  let db = kept ?? path.join(dir, 'web.db');
  const templates = await templateItems();
  const now = '2026-12-01T00:00:00.000Z';

  const seed = async (first: number, to: number, compact: boolean) => {
    const store = await openSqliteStore(db);
    // A kept database already holds the corpus's first items: only the rest are written.
    const from = Math.min(to, Math.max(first, (await store.searchItems({ sort: 'priority', limit: 1, offset: 0 })).total));
    const start = performance.now();
    for (let b = from; b < to; b += 1000) {
      await store.importItems(Array.from({ length: Math.min(1000, to - b) }, (_, i) => syntheticItem(templates, b + i, compact).item), now);
      if ((b - from) % 20_000 === 0) process.stderr.write(`bench web: ${b} / ${to} items\n`);
    }
    const s = (performance.now() - start) / 1000;
    await store.close();
    return { items: to - from, seconds: round(s, 1), perSecond: round((to - from) / s, 0) };
  };

  const seedFull = await seedOrReuse(db, itemsN, () => {
    process.stderr.write(`bench web: seeding ${itemsN} items\n`);
    return seed(0, itemsN, false);
  });
  const only = process.env.VIGIL_BENCH_ONLY;
  const pagesKept = only === 'list' ? null : await keepPagesTimed(db);
  if (only === 'search') {
    if (kept && searchN > itemsN) db = copyDb(kept, path.join(dir, 'web.db'));
    const seedCompact = searchN > itemsN ? await seed(itemsN, searchN, true) : null;
    const searchStore = await timeSearches(db, searchN, templates);
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`${JSON.stringify({ items: itemsN, searchRows: searchN, seed: { full: seedFull, compact: seedCompact }, searchStore,
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => round(l, 1)) } }, null, 2)}\n`);
    return;
  }
  const dbMB = Math.round(fs.statSync(db).size / 2 ** 20);

  const child = fork(here, ['--serve', db], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { url, cookie, top } = await ask<{ url: string; cookie: string; top: string[] }>(child);
  const rnd = () => Math.floor(Math.random() * itemsN);
  const id = (n: number) => `itm_bench_${n.toString(16).padStart(8, '0')}`;
  const maxPage = Math.max(1, Math.min(200, Math.floor(itemsN / 50)));
  const listPaths = ['/', '/?sort=date', '/?severity=HIGH', '/?severity=CRITICAL&severity=HIGH&sort=date', '/?triage=URGENT&affects=no'];
  /** A run's server CPU per request (the workers' sum), steadier than latency on a shared machine. */
  const serverCpu = async (run: () => ReturnType<typeof cannon>) => {
    const before = await ask<{ cpuMs: number }>(child, 'cpu');
    const r = await run();
    const after = await ask<{ cpuMs: number }>(child, 'cpu');
    return { r, cpuMs: round((after.cpuMs - before.cpuMs) / Math.max(1, r.ok + r.non2xx), 3) };
  };
  const listPhase = async () => {
    process.stderr.write('bench web: list page\n');
    const listPath = () => {
      const p = listPaths[rnd() % listPaths.length];
      return rnd() % 3 === 0 ? `${p}${p.includes('?') ? '&' : '?'}page=${1 + (rnd() % maxPage)}` : p;
    };
    const { r, cpuMs } = await serverCpu(() => cannon(url, cookie, listPath, seconds, connections));
    return { listPage: r, listServerCpuMs: cpuMs };
  };
  if (only === 'list') {
    const list = await listPhase();
    await new Promise((resolve) => { child.once('exit', resolve); child.send('stop'); });
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`${JSON.stringify({ items: itemsN, seed: { full: seedFull }, autocannon: { seconds, connections, signedIn: 'analyst', serverProcesses: WORKERS, ...list },
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => round(l, 1)) } }, null, 2)}\n`);
    return;
  }
  process.stderr.write('bench web: item page, any item\n');
  const { r: itemPage, cpuMs: itemServerCpuMs } = await serverCpu(() => cannon(url, cookie, () => `/items/${id(rnd())}`, seconds, connections));
  process.stderr.write('bench web: item page, any item, with wrk\n');
  const itemPageWrk = await wrkItems(url, cookie, itemsN, seconds, connections, dir);
  process.stderr.write(`bench web: item page, the top ${top.length} items (each opened once first)\n`);
  for (let i = 0; i < top.length; i += connections) {
    await Promise.all(top.slice(i, i + connections).map((t) => fetch(`${url}/items/${t}`, { headers: { cookie } }).then((r) => r.arrayBuffer())));
  }
  const itemPageTop = await cannon(url, cookie, () => `/items/${top[Math.floor(Math.random() * top.length)]}`, seconds, connections);
  const { listPage, listServerCpuMs } = await listPhase();
  process.stderr.write('bench web: search over HTTP\n');
  const searchHttp = await cannon(url, cookie, () => `/api/items?q=${encodeURIComponent(syntheticItem(templates, rnd()).cve)}`, seconds, connections);
  const serverRss = await ask<{ rssMB: number; peakRssMB: number }>(child, 'rss');
  await new Promise((resolve) => { child.once('exit', resolve); child.send('stop'); });

  if (kept && searchN > itemsN) db = copyDb(kept, path.join(dir, 'web.db'));
  process.stderr.write(`bench web: growing the search index to ${searchN} rows\n`);
  const seedCompact = searchN > itemsN ? await seed(itemsN, searchN, true) : null;
  const searchStore = await timeSearches(db, searchN, templates);
  const searchP95 = searchStore.allP95Ms;
  fs.rmSync(dir, { recursive: true, force: true });

  process.stdout.write(`${JSON.stringify({
    items: itemsN, searchRows: searchN, dbMB, seed: { full: seedFull, pagesKept, compact: seedCompact },
    autocannon: { seconds, connections, signedIn: 'analyst', serverProcesses: WORKERS, acceptEncoding: 'gzip, deflate, br, zstd (as Chrome sends)', itemPage, itemPageTop, listPage, searchHttp, itemServerCpuMsPerRequest: itemServerCpuMs, listServerCpuMsPerRequest: listServerCpuMs },
    wrk: { threads: 1, connections, itemPage: itemPageWrk },
    searchStore,
    rss: { server: serverRss, benchPeakMB: Math.round(process.resourceUsage().maxRSS / 1024) },
    targets: TARGETS,
    ratios: {
      itemP99: round(itemPage.p99Ms / TARGETS.itemP99Ms), itemRps: round(itemPage.rps / TARGETS.itemRps),
      itemTopP99: round(itemPageTop.p99Ms / TARGETS.itemP99Ms), itemTopRps: round(itemPageTop.rps / TARGETS.itemRps),
      listRps: round(listPage.rps / TARGETS.itemRps), searchP95: round(searchP95 / TARGETS.searchP95Ms),
      note: 'latency ratios: at most 1 meets the target; rps ratios: at least 1 meets it',
    },
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => round(l, 1)) },
    note: 'searchRows are rows of the item_search table and its FTS5 (trigram) index, one per item: the first `items` full size, the rest compact (long sections emptied, search text whole)',
  }, null, 2)}\n`);
}

/** The item pages rendered and kept as the server's keeper does after writes (none left to do in a kept database). */
async function keepPagesTimed(db: string) {
  const store = await openSqliteStore(db);
  const start = performance.now();
  const cpu = process.cpuUsage();
  process.stderr.write('bench web: keeping the item pages\n');
  const items = await keepItemPages(store);
  const s = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  await store.close();
  return { items, seconds: round(s, 1), cpuMsPerItem: items ? round((used.user + used.system) / 1000 / items) : 0 };
}

/** Bumped when web-corpus.ts makes other items: a kept database of an older corpus is seeded again. */
const CORPUS_VERSION = '1';

/** Seeds `db` unless it is a kept database of this corpus with `items` items (their migrations run when it is opened). */
async function seedOrReuse<T>(db: string, items: number, seed: () => Promise<T>): Promise<T | { reused: true; items: number }> {
  const mark = `${db}.corpus`;
  const expected = `${CORPUS_VERSION} ${items}`;
  if (fs.existsSync(db) && fs.existsSync(mark) && fs.readFileSync(mark, 'utf8') === expected) {
    process.stderr.write(`bench web: reusing ${db}\n`);
    return { reused: true, items };
  }
  for (const f of [db, `${db}-wal`, `${db}-shm`, mark]) fs.rmSync(f, { force: true });
  const r = await seed();
  fs.writeFileSync(mark, expected);
  return r;
}

/** A copy of a closed SQLite database (its WAL checkpointed into it first). */
function copyDb(from: string, to: string): string {
  fs.copyFileSync(from, to);
  if (fs.existsSync(`${from}-wal`)) fs.copyFileSync(`${from}-wal`, `${to}-wal`);
  return to;
}


if (process.argv[2] === '--serve') await serveChild(process.argv[3]);
else await main();
