/** Reads one MITRE ATT&CK STIX 2.1 bundle (Enterprise, Mobile or ICS) into the compact index the catalogs keep: techniques with detection guidance, tactics, actors, mitigations. */
import type { AttackDetection, AttackTechniqueEntry } from './catalogs.js';

export type AttackDomain = 'enterprise' | 'mobile' | 'ics';

export interface AttackActor {
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly kind: 'group' | 'malware' | 'tool';
}

export interface AttackDomainIndex {
  readonly domain: AttackDomain;
  /** The collection's x_mitre_version ("18.1"). */
  readonly version: string;
  readonly modified: string | null;
  readonly techniques: Record<string, AttackTechniqueEntry>;
  /** Tactic shortname to name. */
  readonly tactics: Record<string, string>;
  readonly actors: AttackActor[];
  /** Mitigation id (M1036) to name. */
  readonly mitigations: Record<string, string>;
  /** Tactic (TA0001), campaign (C0024), data source (DS0017), data component (DC0001) and detection strategy ids to their names. */
  readonly names: Record<string, string>;
}

const NAMED_KINDS = new Set(['x-mitre-tactic', 'campaign', 'x-mitre-data-source', 'x-mitre-data-component', 'x-mitre-detection-strategy']);

type Obj = Record<string, any>;

const KILL_CHAIN: Record<AttackDomain, string> = { enterprise: 'mitre-attack', mobile: 'mitre-mobile-attack', ics: 'mitre-ics-attack' };
const SOURCE_NAMES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);
const COLLECTION_DOMAIN: Record<string, AttackDomain> = { 'enterprise-attack': 'enterprise', 'mobile-attack': 'mobile', 'ics-attack': 'ics' };

function attackRef(o: Obj): { id: string; url: string | null } | null {
  // Older Mobile and ICS objects name their source mitre-mobile-attack or mitre-ics-attack.
  const ref = (o.external_references as Obj[] | undefined)?.find((r) => SOURCE_NAMES.has(r?.source_name) && typeof r.external_id === 'string');
  return ref ? { id: ref.external_id, url: typeof ref.url === 'string' ? ref.url : null } : null;
}

const current = (o: Obj) => !o.revoked && !o.x_mitre_deprecated;

function pushUnique<T>(list: T[], value: T, key: (v: T) => string, seen: Set<string>): void {
  const k = key(value);
  if (seen.has(k)) return;
  seen.add(k);
  list.push(value);
}

/** The domain a bundle describes, from its objects' x_mitre_domains; throws when the bundle is not ATT&CK. */
export function bundleDomain(objects: readonly Obj[]): AttackDomain {
  for (const o of objects) {
    for (const d of (o.x_mitre_domains as string[] | undefined) ?? []) if (COLLECTION_DOMAIN[d]) return COLLECTION_DOMAIN[d];
  }
  throw new Error('no object names an ATT&CK domain (x_mitre_domains): not an ATT&CK bundle');
}

/** Parses the bundle text; throws a specific error when it is not a STIX 2.1 ATT&CK bundle. */
export function readAttackBundle(text: string): AttackDomainIndex {
  const bundle = JSON.parse(text) as Obj;
  if (bundle?.type !== 'bundle' || !Array.isArray(bundle.objects)) throw new Error('not a STIX bundle (no type "bundle" with an objects array)');
  const objects = bundle.objects as Obj[];
  const domain = bundleDomain(objects);
  const byStixId = new Map<string, Obj>();
  for (const o of objects) if (typeof o?.id === 'string') byStixId.set(o.id, o);
  const collection = objects.find((o) => o.type === 'x-mitre-collection');
  if (!collection || typeof collection.x_mitre_version !== 'string') throw new Error('no x-mitre-collection object with x_mitre_version: cannot tell the ATT&CK version');

  const tactics: Record<string, string> = {};
  for (const o of objects) if (o.type === 'x-mitre-tactic' && current(o) && typeof o.x_mitre_shortname === 'string') tactics[o.x_mitre_shortname] = o.name;

  const revokedBy = new Map<string, string>();
  const parentOf = new Map<string, string>();
  const mitigatedBy = new Map<string, string[]>();
  const strategiesOf = new Map<string, Obj[]>();
  for (const r of objects) {
    if (r.type !== 'relationship' || r.revoked || r.x_mitre_deprecated) continue;
    if (r.relationship_type === 'revoked-by') revokedBy.set(r.source_ref, r.target_ref);
    else if (r.relationship_type === 'subtechnique-of') parentOf.set(r.source_ref, r.target_ref);
    else if (r.relationship_type === 'mitigates') mitigatedBy.set(r.target_ref, [...(mitigatedBy.get(r.target_ref) ?? []), r.source_ref]);
    else if (r.relationship_type === 'detects' && String(r.source_ref).startsWith('x-mitre-detection-strategy--')) {
      const s = byStixId.get(r.source_ref);
      if (s && current(s)) strategiesOf.set(r.target_ref, [...(strategiesOf.get(r.target_ref) ?? []), s]);
    }
  }
  const idOf = (stixId: string | undefined) => (stixId ? attackRef(byStixId.get(stixId) ?? {})?.id ?? null : null);
  // A revoked object can be revoked by one that was revoked in turn: follow the chain to the current object.
  const finalRevokedBy = (stixId: string): string | null => {
    let at = stixId;
    for (let hops = 0; hops < 10 && revokedBy.has(at); hops++) at = revokedBy.get(at) as string;
    return at === stixId ? null : idOf(at);
  };

  const detection = (stixId: string): AttackDetection | null => {
    const strategies = strategiesOf.get(stixId) ?? [];
    if (strategies.length === 0) return null;
    const out: { strategies: { id: string; name: string }[]; dataComponents: { id: string; name: string }[]; logSources: { name: string; channel?: string }[] } = { strategies: [], dataComponents: [], logSources: [] };
    const seen = { s: new Set<string>(), d: new Set<string>(), l: new Set<string>() };
    for (const s of strategies) {
      const ref = attackRef(s);
      if (ref) pushUnique(out.strategies, { id: ref.id, name: String(s.name) }, (v) => v.id, seen.s);
      for (const aRef of (s.x_mitre_analytic_refs as string[] | undefined) ?? []) {
        const analytic = byStixId.get(aRef);
        if (!analytic || !current(analytic)) continue;
        for (const l of (analytic.x_mitre_log_source_references as Obj[] | undefined) ?? []) {
          const component = byStixId.get(l.x_mitre_data_component_ref);
          const cRef = component ? attackRef(component) : null;
          if (component && cRef) pushUnique(out.dataComponents, { id: cRef.id, name: String(component.name) }, (v) => v.id, seen.d);
          if (typeof l.name === 'string') {
            const source = typeof l.channel === 'string' && l.channel ? { name: l.name, channel: l.channel } : { name: l.name };
            pushUnique(out.logSources, source, (v) => `${v.name}\u0000${v.channel ?? ''}`, seen.l);
          }
        }
      }
    }
    return out;
  };

  const techniques: Record<string, AttackTechniqueEntry> = {};
  const mitigations: Record<string, string> = {};
  const names: Record<string, string> = {};
  const actors: AttackActor[] = [];
  for (const o of objects) {
    const ref = attackRef(o);
    if (!ref) continue;
    if (o.type === 'attack-pattern') {
      const mitigationIds = (mitigatedBy.get(o.id) ?? []).map((m) => byStixId.get(m)).filter((m): m is Obj => !!m && current(m)).map((m) => attackRef(m)?.id).filter((m): m is string => !!m);
      techniques[ref.id] = {
        name: String(o.name),
        tactics: ((o.kill_chain_phases as Obj[] | undefined) ?? []).filter((k) => k.kill_chain_name === KILL_CHAIN[domain]).map((k) => String(k.phase_name)),
        revoked: !!o.revoked,
        deprecated: !!o.x_mitre_deprecated,
        revokedBy: o.revoked ? finalRevokedBy(o.id) : null,
        domain,
        parent: o.x_mitre_is_subtechnique ? idOf(parentOf.get(o.id)) : null,
        url: ref.url,
        mitigations: [...new Set(mitigationIds)].sort(),
        detection: detection(o.id),
      };
    } else if (o.type === 'course-of-action' && current(o)) {
      mitigations[ref.id] = String(o.name);
    } else if (NAMED_KINDS.has(o.type) && current(o)) {
      names[ref.id] = String(o.name);
    } else if ((o.type === 'intrusion-set' || o.type === 'malware' || o.type === 'tool') && current(o)) {
      const aliases = (o.type === 'intrusion-set' ? o.aliases : o.x_mitre_aliases) as string[] | undefined;
      actors.push({ id: ref.id, name: String(o.name), aliases: aliases?.length ? aliases : [String(o.name)], kind: o.type === 'intrusion-set' ? 'group' : o.type });
    }
  }
  if (Object.keys(techniques).length === 0) throw new Error(`the ${domain} bundle holds no attack-pattern with an ATT&CK id`);
  return { domain, version: collection.x_mitre_version, modified: collection.modified ?? null, techniques, tactics, actors, mitigations, names };
}
