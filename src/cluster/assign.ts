/** Finds a new report's story among the stored ones: candidates by key lookup, the pair rule, and the analysts' pins and blocks. */
import type { Catalogs } from '../knowledge/catalogs.js';
import type { StoryRules } from '../knowledge/kb-schema.js';
import type { Store } from '../store/index.js';
import { candidateKeys } from './candidate-keys.js';
import type { ActorKind, StoryFeatures } from './features.js';
import { type PairVerdict, sameStory } from './match.js';

// Candidates read per report: the key lookup is bounded by the date window first, this only guards against a flood.
const MAX_CANDIDATES = 2000;
// Near-duplicates are looked for further back than the window: syndicated copies can come weeks late.
const NEAR_DUPLICATE_REACH = 3;

export interface Assignment {
  /** Items the report belongs with, best link first; empty for a new story. */
  readonly items: readonly string[];
  /** Why it joins the first: the pair rule's reasons. */
  readonly verdict: PairVerdict | null;
  readonly pinned: boolean;
}

export function actorKinds(catalogs: Catalogs): ActorKind {
  const kinds = new Map(catalogs.actors().map((a) => [a.id, a.kind]));
  return (id) => kinds.get(id) ?? null;
}

export async function fileStory(store: Store, features: StoryFeatures, rules: StoryRules): Promise<void> {
  await store.saveStoryFeatures(features, candidateKeys(features, rules));
}

export async function assignStory(store: Store, features: StoryFeatures, rules: StoryRules, now: string): Promise<Assignment> {
  const constraints = await store.storyConstraints([features.documentId]);
  const pin = constraints.find((c) => c.kind === 'pin');
  if (pin) return { items: [await store.resolveItemId(pin.itemId)], verdict: null, pinned: true };
  const blocked = new Set(constraints.filter((c) => c.kind === 'block').map((c) => c.itemId));
  const at = Date.parse(features.published ?? now);
  const reach = rules.windowDays * NEAR_DUPLICATE_REACH * 86_400_000;
  const candidates = await store.storyCandidates(candidateKeys(features, rules), new Date(at - reach).toISOString(), new Date(at + reach).toISOString(), MAX_CANDIDATES);
  const best = new Map<string, PairVerdict>();
  for (const c of candidates) {
    if (c.features.documentId === features.documentId || blocked.has(c.itemId)) continue;
    const verdict = sameStory(features, c.features, rules);
    if (verdict.same && verdict.score > (best.get(c.itemId)?.score ?? -1)) best.set(c.itemId, verdict);
  }
  const items = [...best.entries()].sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]));
  return { items: items.map(([id]) => id), verdict: items[0]?.[1] ?? null, pinned: false };
}

/** Two items may become one unless an analyst kept a report of one out of the other. */
export async function canMerge(store: Store, a: string, b: string): Promise<boolean> {
  const docs = [...(await store.itemDocuments(a)), ...(await store.itemDocuments(b))].map((d) => d.id);
  const blocks = (await store.storyConstraints(docs)).filter((c) => c.kind === 'block');
  const inA = new Set((await store.itemDocuments(a)).map((d) => d.id));
  return !blocks.some((c) => (inA.has(c.documentId) ? c.itemId === b : c.itemId === a));
}
