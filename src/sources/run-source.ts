/** Runs one source: picks its reader, records its health, backs it off when it fails, and re-scores items whose CVE data changed. */
import type { Source, SourceHealth, SourceKind } from '../domain/index.js';
import { rescoreCves } from '../pipeline.js';
import type { SourceDeps } from './deps.js';
import { readFeed } from './read-feed.js';
import { readFolder, readPage } from './read-local.js';
import { readCve5, readEpss, readKev, readNvd } from './read-vulns.js';
import type { ReadResult, RunReport } from './run-report.js';

const READERS: Readonly<Record<SourceKind, (source: Source, deps: SourceDeps) => Promise<ReadResult>>> = {
  feed: readFeed, url: readPage, folder: readFolder, kev: readKev, epss: readEpss, nvd: readNvd, cve5: readCve5,
};

// A source failing for days is retried at least daily, so it recovers on its own when the outlet does.
const MAX_BACKOFF_MINUTES = 24 * 60;

/** The wait after `failures` failures in a row: the interval, doubled per failure, capped; a server's Retry-After wins when longer. */
export function backoffMinutes(intervalMinutes: number, failures: number, retryAfterMs?: number): number {
  const doubled = Math.min(MAX_BACKOFF_MINUTES, intervalMinutes * 2 ** Math.max(0, failures - 1));
  return Math.max(doubled, Math.ceil((retryAfterMs ?? 0) / 60_000));
}

const addMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();

function errorOf(e: unknown): { code: string; message: string; retryAfterMs?: number } {
  const err = e as Error & { code?: unknown; retryAfterMs?: number };
  const code = typeof err.code === 'string' ? err.code : err.name === 'SourceError' ? 'source' : 'error';
  return { code, message: err.message ?? String(e), retryAfterMs: err.retryAfterMs };
}

export async function runSource(source: Source, deps: SourceDeps): Promise<RunReport> {
  const started = deps.pipeline.now();
  const health = source.health;
  try {
    const read = await READERS[source.kind](source, deps);
    const rescored = await rescoreCves(deps.store, read.cvesChanged, deps.pipeline);
    const next: SourceHealth = {
      ...health,
      lastAttemptAt: started.toISOString(), lastSuccessAt: deps.pipeline.now().toISOString(), lastError: null, lastErrorCode: null, failures: 0,
      entriesSeen: read.notModified ? health.entriesSeen : read.entries, lastNew: read.inserted, lastUpdated: read.updated,
      nextRunAt: addMinutes(deps.pipeline.now(), source.intervalMinutes),
      etag: read.etag !== undefined ? read.etag : health.etag,
      lastModified: read.lastModified !== undefined ? read.lastModified : health.lastModified,
      cursor: read.cursor !== undefined ? read.cursor : health.cursor,
    };
    await deps.store.saveSourceHealth(source.name, next);
    return {
      ...read, source: source.name, status: read.notModified ? 'not-modified' : 'ok', error: null,
      cvesChanged: read.cvesChanged.length, itemsRescored: rescored.updated, nextRunAt: next.nextRunAt,
    };
  } catch (e) {
    const error = errorOf(e);
    const failures = health.failures + 1;
    const next: SourceHealth = {
      ...health, lastAttemptAt: started.toISOString(), lastError: error.message.slice(0, 1000), lastErrorCode: error.code, failures,
      nextRunAt: addMinutes(deps.pipeline.now(), backoffMinutes(source.intervalMinutes, failures, error.retryAfterMs)),
    };
    await deps.store.saveSourceHealth(source.name, next);
    return {
      source: source.name, status: 'error', error: { code: error.code, message: error.message }, notModified: false,
      entries: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0, warnings: [], cvesChanged: 0, itemsRescored: 0, nextRunAt: next.nextRunAt,
    };
  }
}
