/** "Affects us": the team profile's vendors, products or sector are involved, read from the item's relevance priority factor. */
import type { Item } from '../domain/index.js';

// Relevance (src/score/priority.ts) is 1 when the profile lists a vendor or product involved, 0.6 for the profile's sector,
// 0.1 when nothing of the profile is involved, and a neutral 0.3 without a profile: "affects us" is only the first two.
const AFFECTS_US = 0.5;

/** The relevance factor when the item affects the team, else null (no profile, or nothing of the profile involved). */
export function affectsUsFactor(item: Item): { reason: string } | null {
  const relevance = item.priority.factors.find((f) => f.id === 'relevance');
  return item.enrichment.profile !== null && relevance !== undefined && relevance.value >= AFFECTS_US ? relevance : null;
}
