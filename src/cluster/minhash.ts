/** Near-duplicate detection: word 5-shingles, a one-permutation MinHash signature, and LSH bands for candidate search. */

export const SIGNATURE_SIZE = 64;
export const BANDS = 16;
const ROWS = SIGNATURE_SIZE / BANDS;
const SHINGLE = 5;
const EMPTY = 0xffffffff;

/** FNV-1a over a string, then a murmur finaliser: cheap and well spread, enough for shingles. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

function fmix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Words of a text, lower-cased, punctuation dropped: "Hackers exploit CVE-2025-53770." gives hackers exploit cve-2025-53770. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

/**
 * One-permutation hashing: each shingle's hash picks a bin and competes for that bin's minimum, so a signature costs one
 * hash per shingle instead of one per shingle and permutation. Empty bins borrow from the next full one (densification).
 */
export function signature(tokens: readonly string[]): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  // Each word is hashed once; a shingle's hash mixes its five word hashes, each rotated by its position.
  const wordHash = tokens.map(hash32);
  const n = Math.max(1, tokens.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let k = 0; k < SHINGLE && i + k < wordHash.length; k++) {
      const w = wordHash[i + k];
      h ^= (w << (k * 7)) | (w >>> (32 - k * 7));
    }
    h = fmix(h);
    const bin = h % SIGNATURE_SIZE;
    const value = Math.floor(h / SIGNATURE_SIZE);
    if (value < sig[bin]) sig[bin] = value;
  }
  for (let b = 0; b < SIGNATURE_SIZE; b++) {
    if (sig[b] !== EMPTY) continue;
    for (let k = 1; k < SIGNATURE_SIZE; k++) {
      const donor = sig[(b + k) % SIGNATURE_SIZE];
      if (donor !== EMPTY) {
        sig[b] = donor;
        break;
      }
    }
  }
  return sig;
}

/** The estimated Jaccard similarity of the two shingle sets. */
export function similarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SIZE;
}

/** LSH band keys: two signatures share one when a whole band agrees, which near-duplicates almost always do. */
export function bandKeys(sig: ArrayLike<number>): string[] {
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) {
      h ^= sig[b * ROWS + r];
      h = Math.imul(h, 0x01000193);
    }
    keys.push(`b${b}:${(h >>> 0).toString(36)}`);
  }
  return keys;
}
