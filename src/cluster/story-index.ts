/** An in-memory story grouping: candidate lookup by key, the pair rule, and union-find over the links (used by the eval, the bench and re-grouping). */
import type { StoryRules } from '../knowledge/kb-schema.js';
import { candidateKeys, maxPostings } from './candidate-keys.js';
import type { StoryFeatures } from './features.js';
import { type PairVerdict, sameStory } from './match.js';

export interface Link {
  readonly a: string;
  readonly b: string;
  readonly verdict: PairVerdict;
}

export class StoryIndex {
  readonly #rules: StoryRules;
  readonly #docs: StoryFeatures[] = [];
  readonly #parent: number[] = [];
  readonly #postings = new Map<string, number[]>();
  readonly links: Link[] = [];

  constructor(rules: StoryRules) {
    this.#rules = rules;
  }

  #find(i: number): number {
    let r = i;
    while (this.#parent[r] !== r) r = this.#parent[r];
    for (let j = i; this.#parent[j] !== r;) {
      const next = this.#parent[j];
      this.#parent[j] = r;
      j = next;
    }
    return r;
  }

  #union(i: number, j: number): void {
    const a = this.#find(i);
    const b = this.#find(j);
    // The lower index stays the root: an item keeps the identity of its earliest report in this index.
    if (a !== b) this.#parent[Math.max(a, b)] = Math.min(a, b);
  }

  /** Files a report, links it to every earlier report the pair rule matches, and returns those links. */
  add(f: StoryFeatures): Link[] {
    const i = this.#docs.length;
    this.#docs.push(f);
    this.#parent.push(i);
    const seen = new Set<number>();
    const found: Link[] = [];
    for (const key of candidateKeys(f, this.#rules)) {
      let list = this.#postings.get(key);
      if (!list) {
        list = [];
        this.#postings.set(key, list);
      }
      for (let k = list.length - 1, n = 0, cap = maxPostings(key); k >= 0 && n < cap; k--, n++) {
        const j = list[k];
        if (seen.has(j)) continue;
        seen.add(j);
        const verdict = sameStory(f, this.#docs[j], this.#rules);
        if (verdict.same) {
          found.push({ a: f.documentId, b: this.#docs[j].documentId, verdict });
          this.#union(i, j);
        }
      }
      list.push(i);
    }
    this.links.push(...found);
    return found;
  }

  /** Each group: its reports' document ids, in the order they were added. */
  groups(): string[][] {
    const by = new Map<number, string[]>();
    this.#docs.forEach((d, i) => {
      const root = this.#find(i);
      const g = by.get(root) ?? [];
      g.push(d.documentId);
      by.set(root, g);
    });
    return [...by.values()];
  }

  get size(): number {
    return this.#docs.length;
  }
}
