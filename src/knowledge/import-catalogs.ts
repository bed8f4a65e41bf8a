/** `vigil kb import DIR`: reads the official catalogs from a folder laid out like shared/data, verifies them and keeps compact indexes in the store. */
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/index.js';
import { KbError } from './kb-error.js';

export interface ImportReport {
  readonly name: string;
  readonly version: string;
  readonly entries: number;
}

interface Source {
  readonly name: string;
  readonly file: string;
  /** Reads the file into a compact index and its version; throws on anything malformed. */
  readonly read: (text: string) => { version: string; data: unknown; entries: number };
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
      const j = JSON.parse(text);
      if (!Array.isArray(j.vulnerabilities)) throw new Error('vulnerabilities is not a list');
      const data: Json = {};
      for (const v of j.vulnerabilities) {
        data[v.cveID] = {
          dateAdded: v.dateAdded, dueDate: v.dueDate ?? null, knownRansomwareUse: v.knownRansomwareCampaignUse === 'Known',
          requiredAction: v.requiredAction, vendor: v.vendorProject, product: v.product,
        };
      }
      return { version: String(j.catalogVersion), data, entries: j.vulnerabilities.length };
    },
  },
  {
    name: 'epss',
    file: 'epss/epss_scores-excerpt.csv',
    read: (text) => {
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const meta = /score_date:(\d{4}-\d{2}-\d{2})/.exec(lines[0] ?? '');
      const date = meta?.[1] ?? 'unknown';
      const data: Json = {};
      for (const line of lines) {
        const [cve, epss, percentile] = line.split(',');
        if (!/^CVE-\d{4}-\d+$/.test(cve)) continue;
        const p = Number(epss);
        const q = Number(percentile);
        if (!(p >= 0 && p <= 1 && q >= 0 && q <= 1)) throw new Error(`bad EPSS row "${line}"`);
        data[cve] = { probability: p, percentile: q, date };
      }
      return { version: date, data, entries: Object.keys(data).length };
    },
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
      read = source.read(fs.readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new KbError(file, source.name, `cannot be imported: ${(cause as Error).message}`, { cause });
    }
    await store.saveCatalog(source.name, read.version, read.data, now);
    reports.push({ name: source.name, version: read.version, entries: read.entries });
  }
  if (reports.length === 0) throw new KbError(dir, '', `no catalog found (expected e.g. ${SOURCES[0].file})`);
  return reports;
}
