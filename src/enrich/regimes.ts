/** The regimes an item brings in (kb/regimes.yaml): by the data types exposed and the sector, and whether the team's profile is in scope. */
import type { Profile } from '../config/profile.js';
import type { Facts } from '../domain/index.js';
import type { Regime } from '../knowledge/kb-schema.js';

export interface RegimeExposure {
  readonly id: string;
  readonly name: string;
  readonly citation: string;
  /** Why the item brings it in: the data types or the sector that matched. */
  readonly why: string;
  /** The profile declares the regime, or lists one of its jurisdictions; null without a profile. */
  readonly inScope: boolean | null;
  readonly requires: string;
}

// A jurisdiction covers its sub-jurisdictions: a profile in us-ny is in the US.
export const within = (profile: readonly string[], wanted: readonly string[]) => wanted.some((w) => profile.some((p) => p === w || p.startsWith(`${w}-`)));

/**
 * A regime covers the team when the profile declares it, or when the team is in its jurisdiction and is the kind of
 * organisation it covers: one of its sectors, or, for a regime of any sector, anyone holding its data. A regime of
 * an entity type (an SEC registrant, a DFS licensee) is in scope only when declared.
 */
export function regimeInScope(r: Regime, profile: Profile): boolean {
  if (profile.regimes.includes(r.id)) return true;
  if (r.jurisdictions.length > 0 && !within(profile.jurisdictions, r.jurisdictions)) return false;
  return r.sectors.length > 0 ? r.sectors.some((s) => profile.sectors.includes(s)) : r.dataTypes.length > 0;
}

export function regimesFor(regimes: readonly Regime[], facts: Facts, sector: string | null, profile: Profile | null): RegimeExposure[] {
  const exposed = facts.dataTypes.map((d) => d.id);
  const out: RegimeExposure[] = [];
  for (const r of regimes) {
    const data = r.dataTypes.filter((d) => exposed.includes(d));
    const bySector = sector !== null && r.sectors.includes(sector);
    // A regime defined by data needs that data (in its sectors, if it names any); one defined by sector needs the
    // sector; one defined by neither (SEC Item 1.05) follows any incident of a team that declares it.
    const declared = profile?.regimes.includes(r.id) ?? false;
    const brought = r.dataTypes.length > 0 ? data.length > 0 && (r.sectors.length === 0 || bySector)
      : r.sectors.length > 0 ? bySector
      : declared;
    if (!brought) continue;
    const reasons = [data.length > 0 ? `${data.join(', ')} exposed` : null, bySector ? `${sector} sector` : null, r.dataTypes.length === 0 && r.sectors.length === 0 ? 'declared in the team profile' : null].filter(Boolean);
    const inScope = profile ? regimeInScope(r, profile) : null;
    out.push({ id: r.id, name: r.name, citation: r.citation, why: reasons.join('; '), inScope, requires: r.requires });
  }
  return out;
}
