/** Builds the Catalogs lookups from the compact indexes `vigil kb import` saved in the store. */
import type { Store } from '../store/index.js';
import { type Catalogs, NO_CATALOGS } from './catalogs.js';
import { warninglistLookup } from './warninglists.js';

type Index = Record<string, any>;

export async function loadCatalogs(store: Store): Promise<Catalogs> {
  const rows = await store.loadCatalogs();
  if (rows.length === 0) return NO_CATALOGS;
  const by = new Map(rows.map((r) => [r.name, r]));
  const data = (name: string): Index => (by.get(name)?.data as Index) ?? {};
  const attack = data('attack');
  const techniques: Index = attack.techniques ?? {};
  const tactics: Index = attack.tactics ?? {};
  const cwe = data('cwe');
  const controls = data('nist-800-53');
  const actors = Object.freeze(attack.actors ?? []);
  return Object.freeze({
    versions: Object.freeze(Object.fromEntries(rows.map((r) => [r.name, r.version]))),
    technique: (id: string) => techniques[id] ?? null,
    tacticName: (id: string) => tactics[id] ?? null,
    cwe: (id: string) => cwe[id] ?? null,
    control: (id: string) => controls[id] ?? null,
    // Per-CVE data (KEV, EPSS, NVD) is read from the store for each enrichment: see withCveData.
    kev: () => null,
    epss: () => null,
    cveData: () => null,
    actors: () => actors,
    warninglists: warninglistLookup(by.get('misp-warninglists')?.data ?? null),
  });
}
