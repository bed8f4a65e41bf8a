/** A validated knowledge base (and its cross-walk tables) kept as one JSON snapshot, keyed by kb/'s bytes and by the code that validates it, so start-up parses and checks YAML only when either changes. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Crosswalk, crosswalkFrom, readCrosswalkTables } from './crosswalks.js';
import type { CrosswalkFile } from './kb-schema.js';
import { DEFAULT_KB_DIR, type Kb, loadKb } from './load-kb.js';

/** Bumped when the snapshot's layout changes. */
const FORMAT = 'vigil.kb-snapshot/2';
/** Snapshots kept per cache folder: the newest few, for a handful of kb folders or code versions side by side. */
const KEEP = 4;
const MAP_FIELDS = ['steps', 'techniques', 'compensating', 'cisSafeguards'] as const;
// The code tree this module runs from (src/ under tsx, dist/ when compiled): any change to it may change what validation accepts.
const CODE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** $VIGIL_CACHE_DIR, else $XDG_CACHE_HOME/vigil, else ~/.cache/vigil. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIL_CACHE_DIR) return env.VIGIL_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'vigil');
}

function walk(dir: string, visit: (file: string, stat: fs.Stats) => void): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, visit);
    else if (e.isFile()) visit(full, fs.statSync(full));
  }
}

/** The snapshot's key: every kb file's path and bytes, and every code file's path, size and modification time (cheaper than reading them). */
export function snapshotKey(kbDir: string, codeRoot: string = CODE_ROOT): string {
  const hash = createHash('sha256').update(FORMAT).update('\0kb\0');
  walk(kbDir, (file) => hash.update(path.relative(kbDir, file)).update('\0').update(fs.readFileSync(file)).update('\0'));
  hash.update('\0code\0');
  walk(codeRoot, (file, stat) => hash.update(`${path.relative(codeRoot, file)}\0${stat.size}\0${stat.mtimeMs}\0`));
  return hash.digest('hex').slice(0, 32);
}

type Tables = Map<string, { rel: string; table: CrosswalkFile }>;

function toJson(kb: Kb, tables: Tables): string {
  const plain: Record<string, unknown> = { ...kb };
  for (const f of MAP_FIELDS) plain[f] = [...kb[f].entries()];
  return JSON.stringify({ format: FORMAT, kb: plain, crosswalks: [...tables] });
}

function fromJson(text: string, dir: string): { kb: Kb; tables: Tables } | null {
  const parsed = JSON.parse(text) as { format?: string; kb?: Record<string, unknown>; crosswalks?: [string, { rel: string; table: CrosswalkFile }][] };
  if (parsed.format !== FORMAT || !parsed.kb || !parsed.crosswalks) return null;
  const kb: Record<string, unknown> = { ...parsed.kb, dir };
  for (const f of MAP_FIELDS) kb[f] = new Map(kb[f] as [string, unknown][]);
  return { kb: Object.freeze(kb) as unknown as Kb, tables: new Map(parsed.crosswalks) };
}

const lookups = (tables: Tables): ReadonlyMap<string, Crosswalk> => new Map([...tables].map(([name, { rel, table }]) => [name, crosswalkFrom(rel, table)]));

/** Removes all but the newest KEEP snapshots. */
function prune(cacheDir: string): void {
  const snaps = fs.readdirSync(cacheDir).filter((f) => /^kb-[0-9a-f]+\.json$/.test(f))
    .map((f) => ({ f, t: fs.statSync(path.join(cacheDir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of snaps.slice(KEEP)) fs.rmSync(path.join(cacheDir, f), { force: true });
}

export interface SnapshotResult {
  readonly kb: Kb;
  /** kb/crosswalks, for loadCatalogs. */
  readonly crosswalks: ReadonlyMap<string, Crosswalk>;
  /** hit: read from the snapshot; written: validated now and saved; unsaved: validated now, the cache folder not writable. */
  readonly source: 'hit' | 'written' | 'unsaved';
}

/**
 * The knowledge base and its cross-walks, from the snapshot when kb/ and the code are unchanged, else loaded and validated
 * (loadKb, readCrosswalkTables) and saved.
 * An invalid kb is never saved, so it fails at every start as loadKb does; a cache folder that cannot be written only costs the time.
 */
export function loadKbSnapshot(dir: string = DEFAULT_KB_DIR, cacheDir: string = defaultCacheDir()): SnapshotResult {
  const file = path.join(cacheDir, `kb-${snapshotKey(dir)}.json`);
  try {
    const snap = fromJson(fs.readFileSync(file, 'utf8'), dir);
    if (snap) return { kb: snap.kb, crosswalks: lookups(snap.tables), source: 'hit' };
  } catch {
    // No snapshot yet, or a damaged one: validate again.
  }
  const kb = loadKb(dir);
  const tables = readCrosswalkTables(dir);
  const crosswalks = lookups(tables);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, toJson(kb, tables));
    fs.renameSync(tmp, file); // atomic: a concurrent start reads the old snapshot or the whole new one
    prune(cacheDir);
    return { kb, crosswalks, source: 'written' };
  } catch {
    return { kb, crosswalks, source: 'unsaved' };
  }
}
