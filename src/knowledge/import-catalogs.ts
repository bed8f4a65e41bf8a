/** `vigil kb import DIR`: reads the official catalogs from a folder laid out like shared/data, verifies them and keeps compact indexes in the store. */
import fs from 'node:fs';
import path from 'node:path';
import type { CveDataPatch } from '../domain/cve-data.js';
import { parseEpssCsv } from '../sources/vulns/epss.js';
import { parseKevCatalog } from '../sources/vulns/kev.js';
import { mergeCveData } from '../sources/vulns/merge.js';
import type { Store } from '../store/index.js';
import { KbError } from './kb-error.js';
import { readWarninglists } from './warninglists.js';

export interface ImportReport {
  readonly name: string;
  readonly version: string;
  readonly entries: number;
}

interface Source {
  readonly name: string;
  readonly file: string;
  /** Reads the file (at `file`, for a publication that is a folder) into a compact index and its version; throws on anything malformed. */
  readonly read: (text: string, file: string) => { version: string; data: unknown; entries: number; cves?: readonly CveDataPatch[] };
}

type Json = Record<string, any>;

function object(value: unknown, what: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Json;
}

const SOURCES: Source[] = [
  {
    name: 'attack',
    file: 'attack/attack-index-18.1.json',
    read: (text) => {
      const e = object(object(JSON.parse(text).domains, 'domains').enterprise, 'domains.enterprise');
      const techniques: Json = {};
      for (const [id, t] of Object.entries(object(e.techniques, 'techniques'))) {
        techniques[id] = { name: t.name, tactics: t.tactics ?? [], revoked: !!t.revoked, deprecated: !!t.deprecated };
      }
      const actors = [
        ...Object.entries(object(e.groups, 'groups')).map(([id, g]) => ({ id, name: g.name, aliases: g.aliases ?? [g.name], kind: 'group', off: g.revoked || g.deprecated })),
        ...Object.entries(object(e.software, 'software')).map(([id, s]) => ({ id, name: s.name, aliases: s.aliases ?? [s.name], kind: s.type === 'tool' ? 'tool' : 'malware', off: s.revoked || s.deprecated })),
      ].filter((a) => !a.off).map(({ off, ...a }) => a);
      return { version: String(e.attackVersion), data: { techniques, tactics: e.tactics, actors }, entries: Object.keys(techniques).length };
    },
  },
  {
    name: 'cwe',
    file: 'cwe/cwe-index.json',
    read: (text) => {
      const j = JSON.parse(text);
      const entries: Json = {};
      for (const [id, c] of Object.entries(object(j.entries, 'entries'))) entries[id] = { name: c.name, owasp: c.owaspTop10_2021 ?? [] };
      return { version: String(j.version), data: entries, entries: Object.keys(entries).length };
    },
  },
  {
    name: 'nist-800-53',
    file: 'nist-800-53/nist-800-53r5-controls.json',
    read: (text) => {
      const controls: Json = {};
      for (const [id, c] of Object.entries(object(JSON.parse(text).controls, 'controls'))) if (!c.withdrawn) controls[id] = { title: c.title };
      return { version: 'rev5', data: controls, entries: Object.keys(controls).length };
    },
  },
  {
    name: 'kev',
    file: 'kev/known_exploited_vulnerabilities.json',
    read: (text) => {
      const kev = parseKevCatalog(text);
      // The list of CVEs is kept so that the next catalog can clear KEV status from any CISA removed.
      return { version: kev.version ?? 'unknown', data: { cves: kev.records.map((r) => r.cve).sort() }, entries: kev.records.length, cves: kev.records };
    },
  },
  {
    name: 'epss',
    file: 'epss/epss_scores-excerpt.csv',
    read: (text) => {
      const epss = parseEpssCsv(text);
      return { version: epss.date ?? epss.version ?? 'unknown', data: { model: epss.version ?? null }, entries: epss.records.length, cves: epss.records };
    },
  },
  {
    // MISP's shared lists of known-benign and non-actionable values, laid out as published: lists/<name>/list.json beside schema.json.
    name: 'misp-warninglists',
    file: 'misp-warninglists/schema.json',
    read: readWarninglists,
  },
];

/** Imports every catalog found in `dir`; a catalog file that is present but malformed stops the import with its name. */
export async function importCatalogs(store: Store, dir: string, now: string): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const source of SOURCES) {
    const file = path.join(dir, source.file);
    if (!fs.existsSync(file)) continue;
    let read: ReturnType<Source['read']>;
    try {
      read = source.read(fs.readFileSync(file, 'utf8'), file);
    } catch (cause) {
      throw new KbError(file, source.name, `cannot be imported: ${(cause as Error).message}`, { cause });
    }
    // KEV and EPSS are per-CVE data, kept where the scheduled sources keep them; the catalog row holds their version.
    if (read.cves) await store.mergeCveData(read.cves, mergeCveData, now);
    await store.saveCatalog(source.name, read.version, read.data, now);
    reports.push({ name: source.name, version: read.version, entries: read.entries });
  }
  if (reports.length === 0) throw new KbError(dir, '', `no catalog found (expected e.g. ${SOURCES[0].file})`);
  return reports;
}
