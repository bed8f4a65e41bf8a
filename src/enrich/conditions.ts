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
}

const anyOf = (wanted: readonly string[] | undefined, have: readonly string[]) => !wanted || wanted.some((w) => have.includes(w));

export function holds(when: Condition | undefined, s: ConditionSubject): boolean {
  if (!when) return true;
  const tools = s.profile?.tools ?? [];
  return (
    anyOf(when.dataTypes, s.facts.dataTypes.map((d) => d.id)) &&
    anyOf(when.statuses, s.facts.statuses.map((d) => d.id)) &&
    anyOf(when.sectors, s.sector ? [s.sector, ...(s.profile?.sectors ?? [])] : (s.profile?.sectors ?? [])) &&
    anyOf(when.archetypes, [s.archetype]) &&
    anyOf(when.jurisdictions, s.profile?.jurisdictions ?? []) &&
    anyOf(when.regimes, s.profile?.regimes ?? []) &&
    (!when.lacksTool || when.lacksTool.some((t) => !tools.includes(t))) &&
    (when.hasIocs === undefined || when.hasIocs === s.iocCount > 0) &&
    (when.hasCves === undefined || when.hasCves === s.facts.cves.length > 0) &&
    (when.hasVendor === undefined || when.hasVendor === s.hasVendor)
  );
}
