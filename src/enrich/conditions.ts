/** Evaluates a kb `when` condition against an item's facts and the team's profile. */
import type { Facts } from '../domain/index.js';
import type { Profile } from '../config/profile.js';
import type { Condition } from '../knowledge/kb-schema.js';

export interface ConditionSubject {
  readonly facts: Facts;
  readonly archetype: string;
  readonly sector: string | null;
  readonly profile: Profile | null;
  /** Non-benign IOCs on the item. */
  readonly iocCount: number;
  readonly hasVendor: boolean;
  /** ATT&CK techniques observed in the reporting (named or described), not those merely expected of the archetype. */
  readonly techniques?: readonly string[];
  /** Types of the non-benign IOCs. */
  readonly iocTypes?: readonly string[];
  /** Vendor and product names of the event. */
  readonly names?: readonly string[];
  /** A CVE of the event is in CISA KEV, by the imported catalog or the reporting. */
  readonly kev?: boolean;
}

const anyOf = (wanted: readonly string[] | undefined, have: readonly string[]) => !wanted || wanted.some((w) => have.includes(w));
const covers = (wanted: string, observed: string) => observed === wanted || observed.startsWith(`${wanted}.`);

export function holds(when: Condition | undefined, s: ConditionSubject): boolean {
  if (!when) return true;
  const tools = s.profile?.tools ?? [];
  const names = s.names ?? [];
  return (
    anyOf(when.dataTypes, s.facts.dataTypes.map((d) => d.id)) &&
    anyOf(when.statuses, s.facts.statuses.map((d) => d.id)) &&
    anyOf(when.sectors, s.sector ? [s.sector, ...(s.profile?.sectors ?? [])] : (s.profile?.sectors ?? [])) &&
    anyOf(when.archetypes, [s.archetype]) &&
    anyOf(when.jurisdictions, s.profile?.jurisdictions ?? []) &&
    anyOf(when.regimes, s.profile?.regimes ?? []) &&
    anyOf(when.iocTypes, s.iocTypes ?? []) &&
    anyOf(when.hasTool, tools) &&
    (!when.techniques || when.techniques.some((t) => (s.techniques ?? []).some((o) => covers(t, o)))) &&
    (!when.named || when.named.some((p) => names.some((n) => new RegExp(p, 'i').test(n)))) &&
    (!when.lacksTool || when.lacksTool.some((t) => !tools.includes(t))) &&
    (when.hasIocs === undefined || when.hasIocs === s.iocCount > 0) &&
    (when.hasCves === undefined || when.hasCves === s.facts.cves.length > 0) &&
    (when.hasVendor === undefined || when.hasVendor === s.hasVendor) &&
    (when.kev === undefined || when.kev === (s.kev ?? s.facts.statuses.some((x) => x.id === 'kev-listed'))) &&
    (when.hasActor === undefined || when.hasActor === s.facts.actors.length > 0)
  );
}
