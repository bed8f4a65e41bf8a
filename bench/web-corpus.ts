/**
 * Synthetic items for the web benchmark: the example items, enriched by the real pipeline, as templates, each copy given its
 * own id, title, victim, vendor, outlets, CVE, indicators, severity, priority and date, so pages and search see realistic
 * sizes and a realistic spread of values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Item, SEVERITIES, type TriageLevel } from '../src/domain/index.js';
import { NO_CATALOGS } from '../src/knowledge/catalogs.js';
import { loadKb } from '../src/knowledge/load-kb.js';
import { ingest } from '../src/pipeline.js';
import { openSqliteStore } from '../src/store/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function templateItems(): Promise<Item[]> {
  const store = await openSqliteStore(':memory:');
  const kb = loadKb();
  const dir = path.join(root, 'examples');
  const out: Item[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => /\.(txt|md|html)$/.test(x) && x !== 'README.md').sort()) {
    const ctx = { kb, catalogs: NO_CATALOGS, profile: null, profileName: null, now: () => new Date('2026-12-01T12:00:00Z'), asOf: '2026-12-01' };
    out.push((await ingest(store, { bytes: fs.readFileSync(path.join(dir, f)), origin: f }, ctx)).item);
  }
  await store.close();
  return out;
}

let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const SYLLABLES = ['nor', 'th', 'win', 'con', 'to', 'so', 'fab', 'ri', 'kam', 'lit', 'ware', 'zen', 'qua', 'vex', 'tal', 'mor', 'dex', 'pli', 'ra', 'gon',
  'bel', 'cus', 'dra', 'fen', 'gri', 'hal', 'jor', 'kel', 'lun', 'mir', 'nex', 'pav', 'rol', 'sen', 'tur', 'vol'];
const word = () => Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(SYLLABLES)).join('');
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
/** A few thousand vendors and 60 outlets: filters and facets see a long tail, as in a real feed list. */
const VENDORS = Array.from({ length: 3000 }, () => `${cap(word())} ${pick(['Networks', 'Systems', 'Software', 'Labs', 'Cloud', 'Security'])}`);
const OUTLETS = Array.from({ length: 60 }, () => `${cap(word())} ${pick(['Security News', 'Threat Desk', 'Wire', 'Advisories', 'Brief'])}`);
const TRIAGE_BY_SEVERITY: Record<string, TriageLevel> = { CRITICAL: 'IMMEDIATE', HIGH: 'URGENT', MEDIUM: 'ELEVATED', LOW: 'ROUTINE', INFORMATIONAL: 'ROUTINE' };

export interface Synthetic {
  readonly item: Item;
  /** Values a search can look for in this item. */
  readonly cve: string;
  readonly domain: string;
  readonly vendor: string;
}

/**
 * The n-th synthetic item; `compact` empties the long sections (checklist, artifacts, mappings, detection content, analysis)
 * while keeping everything the list and search read, for the million-row search set.
 */
export function syntheticItem(templates: readonly Item[], n: number, compact = false): Synthetic {
  seed = (n * 2654435761) >>> 0 || 1;
  const t = templates[n % templates.length];
  const vendor = pick(VENDORS);
  const victim = `${cap(word())} ${pick(['Health', 'Bank', 'Logistics', 'Foods', 'Energy', 'Schools', 'County'])}`;
  const cve = `CVE-${2020 + Math.floor(rand() * 7)}-${10000 + n}`;
  const domain = `${word()}-${word()}.${pick(['com', 'net', 'io', 'top', 'xyz'])}`;
  const severity = pick([...SEVERITIES, 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW'] as const);
  const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 700) * 86_400_000 + Math.floor(rand() * 86_400_000)).toISOString();
  const outlets = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(OUTLETS));
  const title = `${victim} ${pick(['hit by', 'confirms', 'discloses', 'investigates'])} ${pick(['intrusion through', 'breach via', 'attack exploiting'])} ${vendor} flaw ${cve}`;
  const ip = `${Math.floor(rand() * 223) + 1}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 254) + 1}`;
  const evidence = t.facts.organisations[0]?.evidence ?? { text: title, rule: 'bench' };
  const item: Item = {
    ...t,
    id: `itm_bench_${n.toString(16).padStart(8, '0')}`,
    title,
    example: false,
    firstReported: day,
    lastUpdated: day,
    sources: outlets.map((outlet, i) => ({ documentId: `doc_bench_${n}_${i}`, outlet, title, url: null, published: day })),
    severity: { ...t.severity, level: severity },
    priority: { ...t.priority, value: Math.round(rand() * 1000) / 1000 },
    triage: { ...t.triage, level: TRIAGE_BY_SEVERITY[severity] },
    summary: [`${victim} said attackers breached it through ${cve} in ${vendor} products.`, ...t.summary.slice(1)],
    iocs: [
      { ...(t.iocs[0] ?? { type: 'domain', confidence: 'high', benign: null, context: '' }), type: 'domain', value: domain, display: domain.replace('.', '[.]') } as Item['iocs'][number],
      { ...(t.iocs[0] ?? { type: 'ipv4', confidence: 'high', benign: null, context: '' }), type: 'ipv4', value: ip, display: ip.replace(/\./g, '[.]') } as Item['iocs'][number],
      ...(compact ? [] : t.iocs.slice(1)),
    ],
    facts: {
      ...t.facts,
      organisations: [{ name: victim, role: 'victim', evidence }, { name: vendor, role: 'vendor', evidence }],
      products: [],
      cves: [{ id: cve, evidence }],
    },
    vulnerabilities: [],
    ...(compact ? { checklist: [], artifacts: [], mappings: [], analysis: [], recovery: [], detection: { ...t.detection, content: [], focus: [] } } : {}),
  };
  return { item, cve, domain, vendor };
}
