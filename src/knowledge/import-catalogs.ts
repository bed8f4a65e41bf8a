/**
 * `vigil kb import DIR`: reads the official catalogs from a folder laid out like their publications (raw publications
 * first, derived index files only where no raw one is present), verifies them, keeps compact indexes in the store and
 * records each imported version (files, sha256, size, origin).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CveDataPatch } from '../domain/cve-data.js';
import { parseEpssCsv } from '../sources/vulns/epss.js';
import { parseKevCatalog } from '../sources/vulns/kev.js';
import { kevGazetteer } from './gazetteers.js';
import { mergeCveData } from '../sources/vulns/merge.js';
import type { Store } from '../store/index.js';
import { type AttackDomain, type AttackDomainIndex, readAttackBundle } from './attack-stix.js';
import type { AttackTechniqueEntry } from './catalogs.js';
import { readCtidMappings } from './ctid-mappings.js';
import { readCweXml } from './cwe-xml.js';
import { KbError } from './kb-error.js';
import { compareVersions } from './kb-yaml.js';
import { readCsfOscalJson, readCsfOscalXml, readCsfTo80053Csv, readCsv80053, readOscal80053 } from './nist-catalogs.js';
import { readTramData } from './tram.js';
import { readWarninglists } from './warninglists.js';

export interface ImportedFile {
  /** Path inside the folder ("attack/enterprise-attack-18.1.json"). */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** True for an official publication, false for a derived index file used because no raw one was present. */
  readonly raw: boolean;
}

export interface ImportReport {
  readonly name: string;
  readonly version: string;
  readonly entries: number;
  readonly files: readonly ImportedFile[];
  /** Set when the catalog was present but could not be imported; the previous version stays. */
  readonly error?: string;
}

export interface ImportOptions {
  /** Import only these catalogs. */
  readonly only?: readonly string[];
  /** Where a file came from, recorded with the version (a URL for `vigil kb sync`); the file's path by default. */
  readonly origin?: (rel: string) => string;
}

type Json = Record<string, any>;
interface Read { version: string; data: unknown; entries: number; cves?: readonly CveDataPatch[] }
interface Variant {
  readonly raw: boolean;
  /** The files of this variant present in the folder; none means the variant is absent. */
  readonly files: (dir: string) => string[];
  readonly read: (files: readonly { rel: string; bytes: Buffer; abs: string }[], previous: (name: string) => Promise<unknown>) => Read | Promise<Read>;
}
interface CatalogSource { readonly name: string; readonly variants: readonly Variant[] }

function object(value: unknown, what: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Json;
}

const utf8 = (b: Buffer) => b.toString('utf8');

/** Files of one folder whose names match, newest version last (versions compared number by number). */
function matching(dir: string, folder: string, pattern: RegExp): string[] {
  const at = path.join(dir, folder);
  if (!fs.existsSync(at)) return [];
  const version = (name: string) => pattern.exec(name)?.groups?.v ?? '';
  const cmp = (a: string, b: string) => compareVersions(version(a), version(b)) || a.localeCompare(b);
  return fs.readdirSync(at).filter((n) => pattern.test(n)).sort(cmp).map((n) => `${folder}/${n}`);
}
const one = (rel: string) => (dir: string) => (fs.existsSync(path.join(dir, rel)) ? [rel] : []);
const newest = (folder: string, pattern: RegExp) => (dir: string) => matching(dir, folder, pattern).slice(-1);

/* ---------- ATT&CK ---------- */

const DOMAINS: readonly AttackDomain[] = ['enterprise', 'mobile', 'ics'];

/** The three domains in one index: techniques keyed by id (ids are unique across domains), enterprise tactics first. */
function attackData(domains: readonly AttackDomainIndex[]): Read {
  const techniques: Record<string, AttackTechniqueEntry> = {};
  const tactics: Record<string, string> = {};
  const mitigations: Record<string, string> = {};
  const names: Record<string, string> = {};
  for (const d of domains) {
    for (const [k, v] of Object.entries(d.names)) names[k] ??= v;
    for (const [id, t] of Object.entries(d.techniques)) techniques[id] ??= t;
    for (const [k, v] of Object.entries(d.tactics)) tactics[k] ??= v;
    for (const [k, v] of Object.entries(d.mitigations)) mitigations[k] ??= v;
  }
  // Actor recognition reads Enterprise groups and software: Mobile and ICS software names include everyday words.
  const actors = domains.find((d) => d.domain === 'enterprise')?.actors ?? [];
  const version = domains.find((d) => d.domain === 'enterprise')?.version ?? domains[0].version;
  return {
    version,
    data: { techniques, tactics, actors, mitigations, names, domains: Object.fromEntries(domains.map((d) => [d.domain, { version: d.version, modified: d.modified }])) },
    entries: Object.keys(techniques).length,
  };
}

const attackRaw: Variant = {
  raw: true,
  files: (dir) => DOMAINS.flatMap((d) => matching(dir, 'attack', new RegExp(`^${d}-attack(-(?<v>\\d+(\\.\\d+)*))?\\.json$`)).slice(-1)),
  read: (files) => {
    const domains = files.map((f) => {
      const index = readAttackBundle(utf8(f.bytes));
      const expected = DOMAINS.find((d) => path.basename(f.rel).startsWith(`${d}-`));
      if (expected && index.domain !== expected) throw new Error(`${f.rel} holds the ${index.domain} domain, not ${expected}`);
      return index;
    });
    return attackData(domains);
  },
};

/** The derived index of shared/data (per domain, techniques, groups, software, mitigations), for folders with no bundle. */
const attackDerived: Variant = {
  raw: false,
  files: newest('attack', /^attack-index-(?<v>[\d.]+)\.json$/),
  read: ([f]) => {
    const all = object(JSON.parse(utf8(f.bytes)).domains, 'domains');
    const domains = DOMAINS.filter((d) => all[d]).map((domain): AttackDomainIndex => {
      const e = object(all[domain], `domains.${domain}`);
      const techniques: Record<string, AttackTechniqueEntry> = {};
      for (const [id, t] of Object.entries(object(e.techniques, 'techniques'))) {
        techniques[id] = { name: t.name, tactics: t.tactics ?? [], revoked: !!t.revoked, deprecated: !!t.deprecated, domain, url: t.url ?? null, revokedBy: null, detection: null };
      }
      const actors = [
        ...Object.entries(object(e.groups ?? {}, 'groups')).map(([id, g]) => ({ id, name: g.name, aliases: g.aliases ?? [g.name], kind: 'group' as const, off: g.revoked || g.deprecated })),
        ...Object.entries(object(e.software ?? {}, 'software')).map(([id, s]) => ({ id, name: s.name, aliases: s.aliases ?? [s.name], kind: s.type === 'tool' ? 'tool' as const : 'malware' as const, off: s.revoked || s.deprecated })),
      ].filter((a) => !a.off).map(({ off, ...a }) => a);
      const mitigations = Object.fromEntries(Object.entries(object(e.mitigations ?? {}, 'mitigations')).filter(([, m]) => !m.revoked && !m.deprecated).map(([id, m]) => [id, m.name]));
      return { domain, version: String(e.attackVersion), modified: null, techniques, tactics: e.tactics ?? {}, actors, mitigations, names: {} };
    });
    if (domains.length === 0) throw new Error('no domain in the index');
    return attackData(domains);
  },
};

/* ---------- the other catalogs ---------- */

const SOURCES: readonly CatalogSource[] = [
  { name: 'attack', variants: [attackRaw, attackDerived] },
  {
    name: 'cwe',
    variants: [
      {
        raw: true,
        files: newest('cwe', /^cwec_(v(?<v>[\d.]+)|latest)\.xml(\.gz|\.zip)?$/),
        read: ([f]) => {
          const cwe = readCweXml(f.bytes);
          const entries = Object.fromEntries(Object.entries(cwe.entries).map(([id, e]) => [id, { name: e.name, owasp: e.owasp, status: e.status }]));
          return { version: cwe.version, data: { entries, owaspCategories: cwe.owaspCategories, date: cwe.date }, entries: Object.keys(entries).length };
        },
      },
      {
        raw: false,
        files: one('cwe/cwe-index.json'),
        read: ([f]) => {
          const j = JSON.parse(utf8(f.bytes));
          const entries: Json = {};
          for (const [id, c] of Object.entries(object(j.entries, 'entries'))) entries[id] = { name: c.name, owasp: c.owaspTop10_2021 ?? [], status: c.status ?? '' };
          return { version: String(j.version), data: { entries, owaspCategories: {} }, entries: Object.keys(entries).length };
        },
      },
    ],
  },
  {
    name: 'nist-800-53',
    variants: [
      { raw: true, files: one('nist-800-53/NIST_SP-800-53_rev5_catalog.json'), read: ([f]) => controlRead(readOscal80053(utf8(f.bytes))) },
      { raw: true, files: one('nist-800-53/sp800-53r5-control-catalog.csv'), read: ([f]) => controlRead(readCsv80053(utf8(f.bytes))) },
      {
        raw: false,
        files: one('nist-800-53/nist-800-53r5-controls.json'),
        read: ([f]) => {
          const controls: Json = {};
          const withdrawn: string[] = [];
          for (const [id, c] of Object.entries(object(JSON.parse(utf8(f.bytes)).controls, 'controls'))) c.withdrawn ? withdrawn.push(id) : (controls[id] = { title: c.title });
          return controlRead({ version: 'rev5', controls, withdrawn });
        },
      },
    ],
  },
  {
    name: 'nist-csf',
    variants: [
      { raw: true, files: one('nist-csf/NIST_CSF_v2.0_catalog.xml'), read: ([f]) => csfRead(readCsfOscalXml(utf8(f.bytes))) },
      { raw: true, files: one('nist-csf/NIST_CSF_v2.0_catalog.json'), read: ([f]) => csfRead(readCsfOscalJson(utf8(f.bytes))) },
      {
        raw: false,
        files: one('nist-csf/csf-2.0.json'),
        read: ([f]) => {
          const j = JSON.parse(utf8(f.bytes));
          const entries: Json = {};
          for (const [id, c] of Object.entries(object(j.categories, 'categories'))) entries[id] = { title: c.title, active: !!c.active };
          for (const [id, s] of Object.entries(object(j.subcategories, 'subcategories'))) entries[id] = { title: s.statement, active: !!s.active };
          return csfRead({ version: String(j.version ?? '2.0'), entries });
        },
      },
    ],
  },
  {
    // NIST's own mapping of CSF (1.1) subcategories to SP 800-53r5 controls, kept control → subcategories.
    name: 'csf-800-53',
    variants: [
      { raw: true, files: one('nist-csf/csf-1.1-to-sp800-53r5-mappings.csv'), read: ([f]) => csfMapRead(readCsfTo80053Csv(utf8(f.bytes))) },
      {
        raw: false,
        files: one('nist-csf/csf-1.1-to-sp800-53r5.json'),
        read: ([f]) => {
          const m = object(JSON.parse(utf8(f.bytes)).mappings, 'mappings');
          return csfMapRead(Object.fromEntries(Object.entries(m).map(([id, v]) => [id, { title: String(v.subcategory), controls: v.sp800_53r5 ?? [] }])));
        },
      },
    ],
  },
  {
    name: 'ctid-800-53',
    variants: [{
      raw: true,
      files: newest('ctid-mappings', /^nist_800_53-rev5_attack-(?<v>[\d.]+)-enterprise\.json$/),
      read: ([f]) => {
        const m = readCtidMappings(utf8(f.bytes), 'nist_800_53');
        const byTechnique: Record<string, [string, string][]> = {};
        for (const r of m.rows) (byTechnique[r.attackId] ??= []).push([r.capability, r.type]);
        return { version: `ATT&CK ${m.attackVersion} ${m.domain}, SP 800-53 ${m.frameworkVersion}`, data: { byTechnique, attackVersion: m.attackVersion, file: path.basename(f.rel) }, entries: m.rows.length };
      },
    }],
  },
  {
    name: 'ctid-kev',
    variants: [{
      raw: true,
      files: (dir) => matching(dir, 'ctid-mappings', /^kev-(?<v>[\d.]+)_attack-[\d.]+-(enterprise|mobile)\.json$/),
      read: (files) => {
        // A CVE in several releases is read from the newest one that maps it.
        const byCve: Record<string, [string, string, number][]> = {};
        const releases: { kev: string; attack: string; domain: string; file: string }[] = [];
        const parsed = files.map((f) => ({ f, m: readCtidMappings(utf8(f.bytes), 'kev') }));
        const date = (v: string) => { const [mm, dd, yy] = v.split('/').map(Number); return (yy ?? 0) * 10000 + (mm ?? 0) * 100 + (dd ?? 0); };
        parsed.sort((a, b) => date(b.m.frameworkVersion) - date(a.m.frameworkVersion));
        const owner = new Map<string, string>();
        for (const { f, m } of parsed) {
          const release = releases.push({ kev: m.frameworkVersion, attack: m.attackVersion, domain: m.domain, file: path.basename(f.rel) }) - 1;
          for (const r of m.rows) {
            const cve = r.capability.toUpperCase();
            if (owner.has(cve) && owner.get(cve) !== m.frameworkVersion) continue;
            owner.set(cve, m.frameworkVersion);
            const rows = (byCve[cve] ??= []);
            if (!rows.some(([t, type]) => t === r.attackId && type === r.type)) rows.push([r.attackId, r.type, release]);
          }
        }
        const version = `KEV ${parsed[0].m.frameworkVersion}, ATT&CK ${parsed[0].m.attackVersion}`;
        return { version, data: { byCve, releases }, entries: Object.keys(byCve).length };
      },
    }],
  },
  {
    name: 'kev',
    variants: [{
      raw: true,
      files: one('kev/known_exploited_vulnerabilities.json'),
      read: async ([f], previous) => {
        const kev = parseKevCatalog(utf8(f.bytes));
        // The list of CVEs is kept so that the next catalog can clear KEV status from any CISA removed.
        const listed = new Set(kev.records.map((r) => r.cve));
        const before = ((await previous('kev')) as { cves?: string[] } | null)?.cves ?? [];
        const removed = before.filter((cve) => !listed.has(cve)).map((cve): CveDataPatch => ({ cve, kev: null }));
        // The vendor and product names are the gazetteer extraction recognises products by.
        const products = kevGazetteer(JSON.parse(utf8(f.bytes)));
        return { version: kev.version ?? 'unknown', data: { cves: [...listed].sort(), products }, entries: kev.records.length, cves: [...kev.records, ...removed] };
      },
    }],
  },
  {
    name: 'epss',
    variants: [{
      raw: true,
      files: newest('epss', /^epss_scores(-(?<v>[\w.-]+))?\.csv(\.gz)?$/),
      read: ([f]) => {
        const epss = parseEpssCsv(f.bytes);
        return { version: epss.date ?? epss.version ?? 'unknown', data: { model: epss.version ?? null }, entries: epss.records.length, cves: epss.records };
      },
    }],
  },
  {
    // MISP's shared lists of known-benign and non-actionable values, laid out as published: lists/<name>/list.json beside schema.json.
    name: 'misp-warninglists',
    variants: [{ raw: true, files: one('misp-warninglists/schema.json'), read: ([f]) => readWarninglists(utf8(f.bytes), f.abs) }],
  },
  {
    // CTID TRAM's labelled sentences, kept for technique models; not read at start.
    name: 'tram',
    variants: [{
      raw: true,
      files: (dir) => ['tram/single_label.json', 'tram/multi_label.json'].filter((r) => fs.existsSync(path.join(dir, r))),
      read: (files) => {
        const t = readTramData(files.map((f) => utf8(f.bytes)));
        return { version: t.version, data: t, entries: t.sentences.length };
      },
    }],
  },
];

function controlRead(c: { version: string; controls: Record<string, { title: string }>; withdrawn: string[] }): Read {
  return { version: c.version, data: { controls: c.controls, withdrawn: c.withdrawn.sort() }, entries: Object.keys(c.controls).length };
}
function csfRead(c: { version: string; entries: Record<string, { title: string; active: boolean }> }): Read {
  return { version: c.version, data: { entries: c.entries }, entries: Object.keys(c.entries).length };
}
function csfMapRead(m: Record<string, { title: string; controls: string[] }>): Read {
  const byControl: Record<string, string[]> = {};
  for (const [sub, v] of Object.entries(m)) for (const c of v.controls) (byControl[c] ??= []).includes(sub) || byControl[c].push(sub);
  const subcategories = Object.fromEntries(Object.entries(m).map(([id, v]) => [id, v.title]));
  return { version: 'CSF 1.1 to SP 800-53 Rev. 5 (NIST)', data: { byControl, subcategories }, entries: Object.keys(byControl).length };
}

/** Every catalog name the importer knows. */
export const CATALOG_NAMES: readonly string[] = SOURCES.map((s) => s.name);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A sidecar "<file>.sha256" (as some publishers ship) must match the file. */
function checkSidecar(abs: string, bytes: Buffer, digest: string): void {
  const side = `${abs}.sha256`;
  if (!fs.existsSync(side)) return;
  const expected = fs.readFileSync(side, 'utf8').trim().split(/\s+/)[0]?.toLowerCase();
  if (expected !== digest) throw new Error(`sha256 ${digest} does not match ${path.basename(side)} (${expected})`);
}

/** Imports every catalog found in `dir`. A catalog present but malformed is reported with its error and keeps its previous version. */
export async function importCatalogs(store: Store, dir: string, now: string, options: ImportOptions = {}): Promise<ImportReport[]> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new KbError(dir, '', 'is not a folder');
  const unknown = (options.only ?? []).filter((n) => !CATALOG_NAMES.includes(n));
  if (unknown.length > 0) throw new KbError(dir, '', `no catalog named ${unknown.join(', ')} (known: ${CATALOG_NAMES.join(', ')})`);
  const reports: ImportReport[] = [];
  let previousRows: Map<string, unknown> | null = null;
  const previous = async (name: string) => {
    previousRows ??= new Map((await store.loadCatalogs()).map((r) => [r.name, r.data]));
    return previousRows.get(name) ?? null;
  };
  for (const source of SOURCES) {
    if (options.only && !options.only.includes(source.name)) continue;
    const variant = source.variants.find((v) => v.files(dir).length > 0);
    if (!variant) continue;
    const rels = variant.files(dir);
    let files: ImportedFile[] = [];
    try {
      const loaded = rels.map((rel) => {
        const abs = path.join(dir, rel);
        const bytes = fs.readFileSync(abs);
        if (bytes.length === 0) throw new Error(`${rel} is empty`);
        const digest = sha256(bytes);
        checkSidecar(abs, bytes, digest);
        return { rel, abs, bytes, digest };
      });
      files = loaded.map((f) => ({ path: f.rel, sha256: f.digest, size: f.bytes.length, raw: variant.raw }));
      const read = await variant.read(loaded, previous);
      // KEV and EPSS are per-CVE data, kept where the scheduled sources keep them; the catalog row holds their version.
      if (read.cves) await store.mergeCveData(read.cves, mergeCveData, now);
      await store.saveCatalog(source.name, read.version, read.data, now);
      await store.recordCatalogVersion({
        name: source.name, version: read.version, importedAt: now, entries: read.entries,
        files: files.map((f) => ({ ...f, origin: options.origin?.(f.path) ?? path.join(dir, f.path) })),
      });
      reports.push({ name: source.name, version: read.version, entries: read.entries, files });
    } catch (cause) {
      reports.push({ name: source.name, version: '', entries: 0, files, error: `${rels.join(', ')}: cannot be imported: ${(cause as Error).message}` });
    }
  }
  if (reports.length === 0) throw new KbError(dir, '', 'no catalog found (expected e.g. attack/enterprise-attack-18.1.json or kev/known_exploited_vulnerabilities.json)');
  return reports;
}
