/** Builds the Catalogs lookups from the compact indexes `vigil kb import` saved in the store, and from our cross-walk tables in kb/crosswalks. */
import type { IocType } from '../domain/ioc.js';
import type { Store } from '../store/index.js';
import type { AttackTechniqueEntry, Catalogs, CrosswalkRow, Provenance } from './catalogs.js';
import { type Crosswalk, loadCrosswalks } from './crosswalks.js';
import { warninglistLookup } from './warninglists.js';

type Index = Record<string, any>;

/** The technique model `vigil kb train` keeps, trained on this machine (src/techniques). */
export const TECHNIQUE_MODEL_CATALOG = 'attack-model';
/** Catalogs read on demand, never at start (TRAM's training sentences, the technique model). */
export const LAZY_CATALOGS: readonly string[] = ['tram', TECHNIQUE_MODEL_CATALOG];

export interface LoadOptions {
  /** The knowledge base folder whose crosswalks/ to read (kb/ by default). */
  readonly kbDir?: string;
  /** Already loaded tables, to skip reading them again. */
  readonly crosswalks?: ReadonlyMap<string, Crosswalk>;
}

const DOMAIN_LABEL: Record<string, string> = { enterprise: 'Enterprise', mobile: 'Mobile', ics: 'ICS' };

export async function loadCatalogs(store: Store, options: LoadOptions = {}): Promise<Catalogs> {
  const rows = await store.loadCatalogs(LAZY_CATALOGS);
  const crosswalks = options.crosswalks ?? loadCrosswalks(options.kbDir);
  const by = new Map(rows.map((r) => [r.name, r]));
  const data = (name: string): Index => (by.get(name)?.data as Index) ?? {};
  const attack = data('attack');
  const techniques: Record<string, AttackTechniqueEntry> = attack.techniques ?? {};
  const tactics: Index = attack.tactics ?? {};
  const mitigations: Index = attack.mitigations ?? {};
  const cwe: Index = data('cwe').entries ?? {};
  const controls: Index = data('nist-800-53').controls ?? {};
  const csf: Index = data('nist-csf').entries ?? {};
  const actors = Object.freeze(attack.actors ?? []);
  const attackNames: Record<string, string> = attack.names ?? {};
  const kevProducts = Object.freeze(data('kev').products ?? []);
  const attackVersion = by.get('attack')?.version ?? null;

  /** The current technique an id stands for: a revoked one is replaced by its revoked-by target. */
  const current = (id: string): { id: string; note: string | null } => {
    const t = techniques[id];
    if (t?.revoked && t.revokedBy) return { id: t.revokedBy, note: `mapped to ${id}, which ATT&CK ${attackVersion} revokes in favour of ${t.revokedBy}` };
    return { id, note: null };
  };
  const withNote = (row: CrosswalkRow, note: string | null): CrosswalkRow => (note ? { ...row, note } : row);

  const ctid = data('ctid-800-53');
  const ctidSource: Provenance = { publication: `CTID Mappings Explorer, SP 800-53 Rev. 5 to ATT&CK ${ctid.attackVersion ?? ''} Enterprise`, version: by.get('ctid-800-53')?.version ?? '' };
  const controlsByTechnique = new Map<string, CrosswalkRow[]>();
  for (const [tid, list] of Object.entries((ctid.byTechnique ?? {}) as Record<string, [string, string][]>)) {
    const cur = current(tid);
    const rowsFor = controlsByTechnique.get(cur.id) ?? [];
    for (const [control, type] of list) {
      if (rowsFor.some((r) => r.id === control)) continue;
      rowsFor.push(withNote({ id: control, title: controls[control]?.title ?? control, mappingType: type, source: ctidSource }, cur.note));
    }
    controlsByTechnique.set(cur.id, rowsFor);
  }

  const kev = data('ctid-kev');
  const releases: { kev: string; attack: string; domain: string }[] = kev.releases ?? [];
  const kevSource = (i: number): Provenance => ({
    publication: `CTID Mappings Explorer, KEV ${releases[i]?.kev ?? ''} to ATT&CK ${releases[i]?.attack ?? ''} ${DOMAIN_LABEL[releases[i]?.domain] ?? releases[i]?.domain ?? ''}`.trim(),
    version: by.get('ctid-kev')?.version ?? '',
  });
  const techniquesForCve = (cve: string): CrosswalkRow[] => {
    const out: CrosswalkRow[] = [];
    for (const [tid, type, release] of ((kev.byCve ?? {})[cve.toUpperCase()] ?? []) as [string, string, number][]) {
      const cur = current(tid);
      if (out.some((r) => r.id === cur.id && r.mappingType === type)) continue;
      out.push(withNote({ id: cur.id, title: techniques[cur.id]?.name ?? tid, mappingType: type, source: kevSource(release) }, cur.note));
    }
    return out;
  };

  const csfMap = data('csf-800-53');
  const csfMapSource: Provenance = { publication: 'NIST CSF 1.1 to SP 800-53 Rev. 5 mapping (csf-pf-to-sp800-53r5-mappings)', version: by.get('csf-800-53')?.version ?? '' };
  const csfForControl = (id: string): CrosswalkRow[] => {
    // NIST maps base controls: an enhancement ("AC-2(3)") takes its base control's subcategories.
    const base = id.replace(/\(\d+\)$/, '');
    const direct = (csfMap.byControl ?? {})[id] as string[] | undefined;
    const list = direct ?? ((csfMap.byControl ?? {})[base] as string[] | undefined) ?? [];
    return list.map((sub) => withNote({ id: sub, title: csfMap.subcategories?.[sub] ?? sub, mappingType: null, source: csfMapSource }, direct ? 'CSF 1.1 identifier' : `CSF 1.1 identifier, mapped to ${base}`));
  };

  let warninglists: ReturnType<typeof warninglistLookup> | undefined;
  const crosswalkLookup = (name: string) => (id: string): readonly CrosswalkRow[] => crosswalks.get(name)?.lookup(id) ?? [];

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
    // Its maps (some 100k entries) are built at the first IOC looked up, not at start.
    warninglists: (value: string, type: IocType) => (warninglists ??= warninglistLookup(by.get('misp-warninglists')?.data ?? null))(value, type),
    csf: (id: string) => csf[id] ?? null,
    mitigation: (id: string) => (mitigations[id] ? { name: mitigations[id] } : null),
    products: () => kevProducts,
    attackName: (id: string) => attackNames[id] ?? mitigations[id] ?? null,
    controlsForTechnique: (id: string) => controlsByTechnique.get(current(id).id) ?? [],
    techniquesForCve,
    csfForControl,
    hipaaFor: crosswalkLookup('hipaa-security-rule'),
    cisFor: crosswalkLookup('cis-controls-v8'),
  });
}
