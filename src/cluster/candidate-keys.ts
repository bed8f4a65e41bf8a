/** The index keys a report is filed under, so that its possible partners are found by lookup, never by comparing with every report. */
import type { StoryRules } from '../knowledge/kb-schema.js';
import { genericWords, type StoryFeatures } from './features.js';
import { bandKeys } from './minhash.js';

/**
 * Keys shared by very many reports (a vendor's name in a busy month, a common title word) stop being read past this many
 * of their latest entries: bounded work per report. Title words and LSH bands are weaker keys and are read less far.
 */
export function maxPostings(key: string): number {
  return key.startsWith('w:') || key.startsWith('p:') || key.startsWith('b') ? 60 : 250;
}

export function candidateKeys(f: StoryFeatures, rules: StoryRules): string[] {
  const generic = genericWords(rules);
  return [
    `x:${f.exact}`,
    ...bandKeys(f.signature),
    ...f.allCves.map((c) => `c:${c}`),
    ...f.actors.map((a) => `a:${a}`),
    ...f.victims.map((v) => `v:${v}`),
    ...(f.products ?? []).map((p) => `p:${p}`),
    ...f.terms.map((t) => `t:${t}`),
    ...f.titleWords.filter((w) => !generic.has(w) && w.length >= 4).map((w) => `w:${w}`),
  ];
}
