/** `vigil kb sync`: downloads the official catalogs named in kb/catalog-sources.yaml through the guarded fetcher, verifies them and imports each; a failure names the catalog and keeps its previous version. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Fetcher, type FetcherDeps, type FetchPolicy } from '../fetch/index.js';
import type { Store } from '../store/index.js';
import { CATALOG_NAMES, importCatalogs, type ImportReport } from './import-catalogs.js';
import { KbError } from './kb-error.js';
import { type CatalogSourceFile, CatalogSourceFileSchema } from './kb-schema.js';
import { compareVersions, parseKbYaml } from './kb-yaml.js';
import { DEFAULT_KB_DIR } from './load-kb.js';

export type CatalogSources = CatalogSourceFile;

export interface SyncReport {
  readonly catalog: string;
  readonly ok: boolean;
  /** The import's report when the catalog was downloaded and imported. */
  readonly imported: ImportReport | null;
  /** Each file's final URL and size. */
  readonly downloads: readonly { url: string; bytes: number }[];
  readonly error: string | null;
}

export interface SyncOptions {
  readonly sources: CatalogSources;
  /** Sync only this catalog. */
  readonly only?: string;
  /** The fetcher's policy (allowHosts, timeouts...); each file's maxBytes caps its own download. */
  readonly policy?: Partial<FetchPolicy>;
  readonly fetcherDeps?: FetcherDeps;
  readonly now: string;
}

/** Reads and validates kb/catalog-sources.yaml (or another file of that shape). */
export function loadCatalogSources(file: string = path.join(DEFAULT_KB_DIR, 'catalog-sources.yaml')): CatalogSources {
  const rel = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new KbError(rel, '', 'cannot be read', { cause });
  }
  const sources = parseKbYaml(rel, text, CatalogSourceFileSchema);
  sources.forEach((s, i) => {
    if (!CATALOG_NAMES.includes(s.catalog)) throw new KbError(rel, `/${i}/catalog`, `no catalog named "${s.catalog}" (known: ${CATALOG_NAMES.join(', ')})`);
  });
  return sources;
}

type Obj = Record<string, any>;

/** The newest version of a collection in an ATT&CK collection index (attack-stix-data's index.json). */
export function newestCollection(index: unknown, name: string): { version: string; url: string } {
  const collections = (index as Obj)?.collections;
  if (!Array.isArray(collections)) throw new Error('the collection index has no "collections" list');
  const c = collections.find((x: Obj) => String(x?.name).toLowerCase() === name.toLowerCase());
  if (!c) throw new Error(`the collection index has no collection "${name}" (has: ${collections.map((x: Obj) => x?.name).join(', ')})`);
  const versions = ((c.versions ?? []) as Obj[]).filter((v) => typeof v?.version === 'string' && typeof v?.url === 'string');
  if (versions.length === 0) throw new Error(`collection "${name}" lists no version with a url`);
  const best = versions.sort((a, b) => compareVersions(b.version, a.version))[0];
  return { version: best.version, url: best.url };
}

async function download(fetcher: Fetcher, url: string, maxBytes: number): Promise<{ url: string; body: Buffer }> {
  const r = await fetcher.fetch({ url });
  if (r.kind !== 'ok') throw new Error(`${url}: the server answered not-modified to an unconditional request`);
  if (r.body.length > maxBytes) throw new Error(`${url}: ${r.body.length} bytes is over the cap of ${maxBytes}`);
  return { url: r.url, body: r.body };
}

export async function syncCatalogs(store: Store, options: SyncOptions): Promise<SyncReport[]> {
  const chosen = options.sources.filter((s) => !options.only || s.catalog === options.only);
  if (chosen.length === 0) throw new KbError('catalog-sources.yaml', '', `no catalog named "${options.only}" to sync (have: ${options.sources.map((s) => s.catalog).join(', ')})`);
  const reports: SyncReport[] = [];
  for (const source of chosen) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `vigil-sync-${source.catalog}-`));
    const downloads: { url: string; bytes: number }[] = [];
    const origins = new Map<string, string>();
    try {
      for (const file of source.files) {
        const fetcher = new Fetcher({ ...options.policy, maxBytes: file.maxBytes, maxDecodedBytes: Math.max(file.maxBytes, options.policy?.maxDecodedBytes ?? 0) }, options.fetcherDeps);
        let rel = file.path;
        let url = file.url;
        if (file.collection) {
          const index = await download(fetcher, file.url, 4 * 1024 * 1024);
          let parsed: unknown;
          try {
            parsed = JSON.parse(index.body.toString('utf8'));
          } catch {
            throw new Error(`${index.url}: the collection index is not JSON`);
          }
          const newest = newestCollection(parsed, file.collection);
          url = new URL(newest.url, index.url).href;
          // The import picks a domain's newest file by the version in its name.
          rel = file.path.replace(/\.json$/, `-${newest.version}.json`);
        }
        const got = await download(fetcher, url, file.maxBytes);
        if (file.sha256) {
          const digest = createHash('sha256').update(got.body).digest('hex');
          if (digest !== file.sha256) throw new Error(`${got.url}: sha256 ${digest} is not the published ${file.sha256}`);
        }
        fs.mkdirSync(path.join(work, path.dirname(rel)), { recursive: true });
        fs.writeFileSync(path.join(work, rel), got.body);
        downloads.push({ url: got.url, bytes: got.body.length });
        origins.set(rel, got.url);
      }
      const [imported] = await importCatalogs(store, work, options.now, { only: [source.catalog], origin: (rel) => origins.get(rel) ?? rel });
      if (!imported) throw new Error('the downloaded files hold no catalog the importer recognises');
      reports.push({ catalog: source.catalog, ok: !imported.error, imported, downloads, error: imported.error ?? null });
    } catch (e) {
      reports.push({ catalog: source.catalog, ok: false, imported: null, downloads, error: (e as Error).message });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return reports;
}
