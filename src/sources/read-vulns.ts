/** Reads the vulnerability sources (CISA KEV, FIRST EPSS, NVD API 2.0, CVE JSON 5 records) into the per-CVE store, noting which CVEs changed in meaning. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CveDataPatch } from '../domain/cve-data.js';
import type { Source } from '../domain/index.js';
import { FetchError } from '../fetch/index.js';
import type { SourceDeps } from './deps.js';
import { isWebLocation, SourceError } from './definitions.js';
import { listFiles } from './read-local.js';
import { notModified, type ReadResult, Tally } from './run-report.js';
import { parseCve5 } from './vulns/cve5.js';
import { parseEpssApi, parseEpssCsv } from './vulns/epss.js';
import { parseKevCatalog } from './vulns/kev.js';
import { cveDataChanged, mergeCveData } from './vulns/merge.js';
import { nvdPages } from './vulns/nvd-client.js';
import { parseNvdJsonFile } from './vulns/nvd.js';

const BATCH = 2000;

/** Merges what a source says into the stored records (atomically, in batches) and reports the CVEs whose meaning changed. */
export async function applyCvePatches(deps: SourceDeps, patches: readonly CveDataPatch[], tally: Tally, label: string): Promise<void> {
  const progress = deps.progress(label, patches.length);
  const now = deps.pipeline.now().toISOString();
  for (let i = 0; i < patches.length; i += BATCH) {
    const part = patches.slice(i, i + BATCH);
    for (const change of await deps.store.mergeCveData(part, mergeCveData, now)) {
      tally.entries++;
      tally.count(!change.written ? 'unchanged' : change.before ? 'updated' : 'inserted');
      if (cveDataChanged(change.before, change.after).length > 0) tally.cvesChanged.push(change.after.cve);
    }
    progress.tick(part.length);
  }
  progress.done();
}

interface Body {
  readonly bytes: Buffer;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

/** The source's bytes from the web (conditionally) or from a local mirror file; null when the web copy is unchanged. */
async function loadBody(source: Source, deps: SourceDeps, accept: string): Promise<Body | null> {
  if (isWebLocation(source.location)) {
    const r = await deps.fetcher.fetch({ url: source.location, etag: source.health.etag, lastModified: source.health.lastModified, accept });
    return r.kind === 'not-modified' ? null : { bytes: r.body, etag: r.etag, lastModified: r.lastModified };
  }
  const file = path.resolve(source.location);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new SourceError(`${source.location} cannot be read (no such file?)`);
  }
  if (size > deps.maxBytes) throw new SourceError(`${source.location}: ${size} bytes is over the limit of ${deps.maxBytes} bytes`);
  return { bytes: fs.readFileSync(file), etag: null, lastModified: null };
}

export async function readKev(source: Source, deps: SourceDeps): Promise<ReadResult> {
  const body = await loadBody(source, deps, 'application/json');
  if (!body) return notModified(source.health.etag, source.health.lastModified);
  const catalog = parseKevCatalog(body.bytes.toString('utf8'));
  const tally = new Tally();
  for (const w of catalog.warnings) tally.warn(w);
  // A CVE CISA takes out of the catalog loses its KEV status here too.
  const listed = new Set(catalog.records.map((r) => r.cve));
  const previous = await deps.store.loadCatalogs();
  const before = (previous.find((c) => c.name === 'kev')?.data as { cves?: string[] } | undefined)?.cves ?? [];
  const removed = before.filter((cve) => !listed.has(cve)).map((cve): CveDataPatch => ({ cve, kev: null }));
  await applyCvePatches(deps, [...catalog.records, ...removed], tally, source.name);
  await deps.store.saveCatalog('kev', catalog.version ?? 'unknown', { cves: [...listed].sort() }, deps.pipeline.now().toISOString());
  return tally.result({ etag: body.etag, lastModified: body.lastModified });
}

export async function readEpss(source: Source, deps: SourceDeps): Promise<ReadResult> {
  const body = await loadBody(source, deps, 'text/csv, application/gzip, */*;q=0.5');
  if (!body) return notModified(source.health.etag, source.health.lastModified);
  // FIRST's API answers JSON; its daily file is CSV, gzipped or not.
  const scores = body.bytes.subarray(0, 64).toString('utf8').trimStart().startsWith('{') ? parseEpssApi(body.bytes.toString('utf8')) : parseEpssCsv(body.bytes);
  const tally = new Tally();
  for (const w of scores.warnings) tally.warn(w);
  await applyCvePatches(deps, scores.records, tally, source.name);
  await deps.store.saveCatalog('epss', scores.date ?? scores.version ?? 'unknown', { model: scores.version ?? null }, deps.pipeline.now().toISOString());
  return tally.result({ etag: body.etag, lastModified: body.lastModified });
}

/** CVE JSON 5 records from a folder (a Vulnrichment or cvelistV5 clone), a file, or one record's URL; unchanged files are skipped. */
export async function readCve5(source: Source, deps: SourceDeps): Promise<ReadResult> {
  const tally = new Tally();
  const patches: CveDataPatch[] = [];
  const take = (text: string, what: string) => {
    try {
      const parsed = parseCve5(text);
      for (const w of parsed.warnings) tally.warn(`${what}: ${w}`);
      patches.push(...parsed.records);
    } catch (e) {
      tally.fail(what, e);
    }
  };
  const local = !isWebLocation(source.location) && fs.existsSync(source.location) && fs.statSync(source.location).isDirectory();
  if (!local) {
    const body = await loadBody(source, deps, 'application/json');
    if (!body) return notModified(source.health.etag, source.health.lastModified);
    take(body.bytes.toString('utf8'), source.location);
    await applyCvePatches(deps, patches, tally, source.name);
    return tally.result({ etag: body.etag, lastModified: body.lastModified });
  }
  const root = path.resolve(source.location);
  const seen: [string, string][] = [];
  for (const file of listFiles(root, /^CVE-\d{4}-\d+\.json$/i)) {
    const bytes = fs.readFileSync(file);
    const key = `file:${path.relative(root, file)}`;
    const hash = createHash('sha256').update(bytes).digest('hex');
    if ((await deps.store.getSourceEntry(source.name, key))?.entryHash === hash) {
      tally.entries++;
      tally.count('unchanged');
      continue;
    }
    take(bytes.toString('utf8'), path.relative(root, file));
    seen.push([key, hash]);
  }
  await applyCvePatches(deps, patches, tally, source.name);
  const now = deps.pipeline.now().toISOString();
  for (const [key, hash] of seen) await deps.store.saveSourceEntry(source.name, key, { entryHash: hash, documentId: key.replace(/^.*\//, '').replace(/\.json$/i, '') }, now);
  return tally.result();
}

/** NVD data feed files (a yearly or "modified" file, gzipped or not, or a folder of them): the offline way to backfill. */
async function readNvdFiles(source: Source, deps: SourceDeps): Promise<ReadResult> {
  const root = path.resolve(source.location);
  const files = fs.existsSync(root) && fs.statSync(root).isDirectory() ? listFiles(root, /\.json(\.gz)?$/i) : [root];
  const tally = new Tally();
  const now = deps.pipeline.now().toISOString();
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const key = `file:${path.relative(path.dirname(root), file)}`;
    const hash = createHash('sha256').update(bytes).digest('hex');
    if ((await deps.store.getSourceEntry(source.name, key))?.entryHash === hash) continue;
    try {
      const parsed = parseNvdJsonFile(bytes, path.basename(file));
      for (const w of parsed.warnings) tally.warn(w);
      await applyCvePatches(deps, parsed.records, tally, `${source.name} ${path.basename(file)}`);
      await deps.store.saveSourceEntry(source.name, key, { entryHash: hash, documentId: path.basename(file) }, now);
    } catch (e) {
      tally.fail(file, e);
    }
  }
  return tally.result();
}

/** NVD CVE API 2.0, incrementally: CVEs modified since the last run (a first run reads the last nvdBackfillDays); or NVD files. */
export async function readNvd(source: Source, deps: SourceDeps): Promise<ReadResult> {
  if (!isWebLocation(source.location)) return readNvdFiles(source, deps);
  const end = deps.pipeline.now();
  const start = source.health.cursor ?? new Date(end.getTime() - deps.nvdBackfillDays * 86_400_000).toISOString();
  const tally = new Tally();
  let progress: ReturnType<SourceDeps['progress']> | null = null;
  const pages = nvdPages({
    baseUrl: source.location,
    apiKey: deps.nvdApiKey,
    lastModStart: start,
    lastModEnd: end.toISOString(),
    sleep: deps.sleep,
    now: () => Date.now(),
    get: async (url, headers) => {
      const r = await deps.fetcher.fetch({ url, headers, accept: 'application/json' });
      if (r.kind !== 'ok') throw new FetchError('http-status', url, 'NVD answered 304 to an unconditional request', { status: 304 });
      return r.body.toString('utf8');
    },
  });
  for await (const page of pages) {
    progress ??= deps.progress(source.name, page.totalResults);
    for (const w of page.warnings) tally.warn(w);
    await applyCvePatches(deps, page.records, tally, `${source.name} page`);
    progress.tick(page.records.length);
  }
  progress?.done();
  return tally.result({ cursor: end.toISOString() });
}

