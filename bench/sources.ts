/** Ingest from a loopback farm of 50 feeds x 100 entries: documents per second, CPU seconds and peak RSS, cold and then warm (every feed 304). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Fetcher } from '../src/fetch/index.js';
import { NO_CATALOGS } from '../src/knowledge/catalogs.js';
import { loadKb } from '../src/knowledge/load-kb.js';
import { NO_PROGRESS } from '../src/sources/progress.js';
import { runSources } from '../src/sources/scheduler.js';
import { openSqliteStore } from '../src/store/index.js';

const FEEDS = 50;
const ENTRIES = 100;
const here = path.dirname(fileURLToPath(import.meta.url));
const farm = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'feed-farm.ts'), String(FEEDS), String(ENTRIES)], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => farm.stdout.once('data', (d) => resolve(Number(String(d).trim()))));

// A database file, as a deployment has: an in-memory one would count every stored item as resident memory.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-'));
const store = await openSqliteStore(path.join(dir, 'bench.db'));
for (let f = 0; f < FEEDS; f++) {
  await store.saveSource({ name: `outlet-${f}`, kind: 'feed', location: `http://127.0.0.1:${port}/feed/${f}`, title: null, intervalMinutes: 60, enabled: true, fetchArticles: false }, '2026-12-01T00:00:00Z');
}
const deps = {
  store, progress: NO_PROGRESS, maxBytes: 64 * 1024 * 1024, nvdApiKey: null, nvdBackfillDays: 30, sleep: async () => {},
  fetcher: new Fetcher({ userAgent: 'Vigil-bench', allowHosts: ['127.0.0.1'], perHostDelayMs: 0, perHostConcurrency: 8, retries: 0 }),
  pipeline: { kb: loadKb(), catalogs: NO_CATALOGS, profile: null, profileName: null, now: () => new Date('2026-12-01T00:00:00Z'), asOf: '2026-12-01' },
};

async function pass(label: string) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const reports = await runSources(await store.listSources(), deps, { concurrency: 4, leaseMinutes: 30 });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const failed = reports.filter((r) => r.status === 'error');
  if (failed.length > 0) throw new Error(`${label}: ${failed.length} sources failed: ${failed[0].error?.message}`);
  const documents = reports.reduce((n, r) => n + r.inserted, 0);
  return {
    seconds: Math.round(seconds * 100) / 100, cpuSeconds: Math.round((used.user + used.system) / 1e4) / 100,
    documents, documentsPerSecond: Math.round(documents / seconds), notModified: reports.filter((r) => r.status === 'not-modified').length,
  };
}

const cold = await pass('cold');
const coldRss = Math.round(process.resourceUsage().maxRSS / 1024);
const warm = await pass('warm');
farm.kill('SIGTERM');
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({
  setup: { feeds: FEEDS, entriesPerFeed: ENTRIES, server: 'separate loopback process, ETag validators', store: 'SQLite file (WAL)', concurrency: 4 },
  cold: { ...cold, peakRssMB: coldRss },
  warm: { ...warm, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) },
  warmToColdTimeRatio: Math.round((warm.seconds / cold.seconds) * 10000) / 10000,
  warmToColdCpuRatio: Math.round((warm.cpuSeconds / Math.max(0.01, cold.cpuSeconds)) * 10000) / 10000,
}, null, 2)}\n`);
