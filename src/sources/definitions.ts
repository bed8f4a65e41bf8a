/** Source definitions: validation with field-named errors, the defaults a new install offers, and names derived from locations. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import YAML from 'yaml';
import { SOURCE_KINDS, type SourceDefinition, SourceDefinitionSchema, type SourceKind } from '../domain/index.js';

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

const DEFAULTS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'default-sources.yaml');

/** Kinds read over the web only; the others also read a local file or folder (an offline mirror). */
const WEB_ONLY: ReadonlySet<SourceKind> = new Set(['feed', 'url']);
const LOCAL_ONLY: ReadonlySet<SourceKind> = new Set(['folder']);

export const DEFAULT_INTERVAL: Readonly<Record<SourceKind, number>> = {
  feed: 60, url: 720, kev: 360, epss: 1440, nvd: 240, cve5: 1440, folder: 60,
};

export function isWebLocation(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Checks a definition and says which field is wrong and why. */
export function validateSource(raw: unknown, where = 'source'): SourceDefinition {
  if (typeof raw !== 'object' || raw === null) throw new SourceError(`${where}: not an object`);
  const r = raw as Record<string, unknown>;
  const kind = r.kind as SourceKind;
  const candidate = {
    title: null, enabled: true, fetchArticles: kind === 'feed',
    intervalMinutes: DEFAULT_INTERVAL[kind] ?? 60, ...r,
  };
  if (!SOURCE_KINDS.includes(kind)) throw new SourceError(`${where}: kind must be one of ${SOURCE_KINDS.join(', ')}, got "${String(r.kind)}"`);
  const error = Value.Errors(SourceDefinitionSchema, candidate).First();
  if (error) throw new SourceError(`${where}: ${error.path.slice(1) || '(root)'}: ${error.message} (got ${JSON.stringify(error.value)})`);
  const d = Value.Clean(SourceDefinitionSchema, structuredClone(candidate)) as SourceDefinition;
  const web = isWebLocation(d.location);
  if (WEB_ONLY.has(kind) && !web) throw new SourceError(`${where}: a ${kind} source needs an http(s) URL, got "${d.location}"`);
  if (LOCAL_ONLY.has(kind) && web) throw new SourceError(`${where}: a ${kind} source is a local folder, got a URL`);
  if (web) {
    try {
      new URL(d.location);
    } catch {
      throw new SourceError(`${where}: location is not a valid URL: "${d.location}"`);
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d.location)) {
    throw new SourceError(`${where}: only http(s) URLs and local paths are read, got "${d.location}"`);
  }
  return d;
}

export function defaultSources(file = DEFAULTS_FILE): SourceDefinition[] {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as { sources?: unknown };
  if (!Array.isArray(doc?.sources)) throw new SourceError(`${file}: sources must be a list`);
  const out = doc.sources.map((s, i) => validateSource(s, `${file}: sources[${i}]`));
  const names = new Set<string>();
  for (const s of out) {
    if (names.has(s.name)) throw new SourceError(`${file}: source name "${s.name}" is used twice`);
    names.add(s.name);
  }
  return out;
}

/** A short name from a location: "www.bleepingcomputer.com/feed/" becomes "bleepingcomputer-com". */
export function nameFor(location: string, taken: ReadonlySet<string> = new Set()): string {
  let base: string;
  if (isWebLocation(location)) {
    const u = new URL(location);
    base = u.hostname.replace(/^(www|feeds?|rss)\./, '');
  } else {
    base = path.basename(path.resolve(location));
  }
  base = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/\./g, '-').slice(0, 56) || 'source';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}
