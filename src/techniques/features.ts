/** Tokenisation and hashed word and bigram features of a sentence, the one input every technique model reads. */

/** Feature space size: 2^20 buckets keep collisions rare for the ~200k distinct words and bigrams of ATT&CK and reporting. */
export const FEATURE_BITS = 20;
const MASK = (1 << FEATURE_BITS) - 1;

// Function words carry no technique; keeping "via", "from", "into" etc. out would lose phrasing ("exfiltrated via"), so the list is short.
const STOPWORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'it', 'its',
  'this', 'that', 'these', 'those', 'has', 'have', 'had', 'as', 'at', 'by', 'for', 'which', 'also', 'can', 'may', 'will',
  'their', 'they', 'them', 'his', 'her', 'he', 'she', 'we', 'our', 'us', 'i', 'you', 'your', 'such', 'other', 'some', 'any',
  'all', 'both', 'each', 'than', 'then', 'there', 'here', 'when', 'where', 'while', 'would', 'could', 'should', 'do', 'does',
  'did', 'so', 'if', 'but', 'not', 'no', 'into', 'with', 'from', 'via', 'using', 'used', 'use', 'uses',
]);

/**
 * A light suffix stripper: "executes", "executed", "executing" fall together. A full Porter stemmer buys little here
 * and would make evidence harder to read back.
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(?:ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/**
 * Lower-cased word tokens. File extensions and command-line switches stay tokens of their own (".exe", ".ps1", "-enc")
 * because they name procedures; digits-only tokens and hex runs (hashes, addresses) are dropped as noise.
 */
export function tokenise(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/\.[a-z][a-z0-9]{1,4}\b|(?<![\w-])-{1,2}[a-z][a-z0-9]*|[a-z0-9][a-z0-9_$%]*(?:[-'][a-z0-9]+)*/g)) {
    const t = m[0].replace(/'s$/, '').replace(/'/g, '');
    if (/^\d+$/.test(t) || /^[0-9a-f]{12,}$/.test(t) || t.length > 40) continue;
    out.push(t);
  }
  return out;
}

/** The content words of a text, stemmed: the unit of every feature. */
export function terms(text: string): string[] {
  return termsOf(tokenise(text));
}

/** The content words of already tokenised text, so a caller that reads the tokens too (name matching) tokenises once. */
export function termsOf(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) if (!STOPWORDS.has(t)) out.push(stem(t));
  return out;
}

/** FNV-1a over the UTF-16 code units, folded into the feature space. */
export function hashFeature(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & MASK;
}

/** A sparse feature vector: sorted distinct bucket indices, each with weight 1/sqrt(n) so long sentences do not dominate. */
export interface FeatureVector {
  readonly index: Uint32Array;
  readonly value: number;
}

/** The words and adjacent word pairs of a sentence, hashed. */
export function featurise(text: string): FeatureVector {
  return featuresOf(tokenise(text));
}

/** The features of already tokenised text. */
export function featuresOf(tokens: readonly string[]): FeatureVector {
  const ts = termsOf(tokens);
  const set = new Set<number>();
  for (let i = 0; i < ts.length; i++) {
    set.add(hashFeature(ts[i]));
    if (i + 1 < ts.length) set.add(hashFeature(`${ts[i]} ${ts[i + 1]}`));
  }
  const index = Uint32Array.from(set).sort();
  return { index, value: index.length > 0 ? 1 / Math.sqrt(index.length) : 0 };
}
