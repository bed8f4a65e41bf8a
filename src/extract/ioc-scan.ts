/** Scanning primitives for IOC extraction: character classes read from a table, sticky patterns tried only where a cheap trigger allows a match, span lookups. */

/** A character class tested one code point at a time: ASCII from a table, the rest by the class's own regex. */
export class CharClass {
  private readonly ascii = new Uint8Array(128);
  private readonly re: RegExp;
  constructor(source: string) {
    this.re = new RegExp(`^(?:${source})$`, 'u');
    for (let c = 0; c < 128; c++) this.ascii[c] = this.re.test(String.fromCharCode(c)) ? 1 : 0;
  }

  /** Width in code units of the code point starting at i when it is in the class, else 0 (also past the end). */
  width(text: string, i: number): number {
    const c = text.charCodeAt(i);
    if (c < 128) return this.ascii[c];
    if (Number.isNaN(c)) return 0;
    const cp = text.codePointAt(i)!;
    return this.re.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
  }

  /** Width of the code point ending just before i when it is in the class, else 0. */
  widthBefore(text: string, i: number): number {
    if (i <= 0) return 0;
    const c = text.charCodeAt(i - 1);
    if (c < 128) return this.ascii[c];
    const pair = c >= 0xdc00 && c <= 0xdfff && i >= 2 && text.charCodeAt(i - 2) >= 0xd800 && text.charCodeAt(i - 2) <= 0xdbff;
    const ch = pair ? text.slice(i - 2, i) : text[i - 1];
    return this.re.test(ch) ? (pair ? 2 : 1) : 0;
  }

  has(text: string, i: number): boolean { return this.width(text, i) > 0; }
  hasBefore(text: string, i: number): boolean { return this.widthBefore(text, i) > 0; }

  /** Start of the run of class characters that ends at i, looking back at most `limit` code units. */
  runStart(text: string, i: number, limit = Number.POSITIVE_INFINITY): number {
    const table = this.ascii;
    let a = i;
    while (a > 0 && i - a < limit) {
      const c = text.charCodeAt(a - 1);
      const w = c < 128 ? table[c] : this.widthBefore(text, a);
      if (w === 0) break;
      a -= w;
    }
    return a;
  }

  /** End of the run of class characters that starts at i, looking ahead at most `limit` code units. */
  runEnd(text: string, i: number, limit = Number.POSITIVE_INFINITY): number {
    const table = this.ascii;
    let b = i;
    while (b < text.length && b - i < limit) {
      const c = text.charCodeAt(b);
      const w = c < 128 ? table[c] : this.width(text, b);
      if (w === 0) break;
      b += w;
    }
    return b;
  }
}

/** Host characters: a host, a file name and a dotted number are runs of them. */
export const HOST_CHAR = new CharClass('[\\p{L}\\p{N}\\p{M}_.-]');

/** The maximal runs of host characters that hold a dot, each walked once: hosts and file names are read from them. */
export interface DotRuns {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export function dotRuns(text: string, dots: ArrayLike<number>): DotRuns {
  const starts: number[] = []; const ends: number[] = [];
  let end = -1;
  for (let k = 0; k < dots.length; k++) {
    const dot = dots[k];
    if (dot < end) continue;
    starts.push(HOST_CHAR.runStart(text, dot));
    end = HOST_CHAR.runEnd(text, dot);
    ends.push(end);
  }
  return { starts, ends };
}

/** The smallest position at or after `from` where a match may start, or -1 when there is none. */
export type Candidates = (from: number) => number;

/** A sticky copy of a pattern: it matches only where it is placed. */
export const sticky = (re: RegExp): RegExp => new RegExp(re.source, `${re.flags.replace('g', '')}y`);

/**
 * The matches of a sticky pattern, tried only at the candidates: the same matches as a global scan
 * whenever every position where a match can start is a candidate, at a fraction of the cost,
 * because a global scan tries the pattern (and its look-behind) at every position of the text.
 * `pos` is the scan's lastIndex; a caller may move it on past what it consumed.
 */
export class StickyScan {
  pos = 0;
  constructor(private readonly re: RegExp, private readonly text: string, private readonly next: Candidates) {}

  exec(): RegExpExecArray | null {
    for (let c = this.next(this.pos); c >= 0 && c <= this.text.length; c = this.next(c + 1)) {
      this.re.lastIndex = c;
      const m = this.re.exec(this.text);
      if (m) {
        this.pos = c + Math.max(1, m[0].length);
        return m;
      }
    }
    return null;
  }

  *all(): Generator<RegExpExecArray> {
    for (let m = this.exec(); m; m = this.exec()) yield m;
  }
}

/** Candidates from back to upto code units before each occurrence of `needle` (a scheme before "://"). */
export function beforeNeedle(text: string, needle: string, back: number, upto: number): Candidates {
  return (from) => {
    const p = text.indexOf(needle, from + upto);
    return p < 0 ? -1 : Math.max(from, p - back);
  };
}

/** Candidates from a sorted list, read forward: callers ask for ever later positions. */
export function fromSorted(list: ArrayLike<number>): Candidates {
  let k = 0;
  return (from) => {
    if (k > 0 && list[k - 1] >= from) { // asked for an earlier position: find it again
      let lo = 0; let hi = k - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid] < from) lo = mid + 1; else hi = mid; }
      k = lo;
    }
    while (k < list.length && list[k] < from) k++;
    return k < list.length ? list[k] : -1;
  };
}

/** Sorts candidate positions and drops repeats and those outside the text. */
export function sortedUnique(positions: number[], length: number): ArrayLike<number> {
  let sorted = true;
  for (let i = 1; i < positions.length && sorted; i++) sorted = positions[i - 1] < positions[i];
  // A typed array sorts numbers natively, far faster than a comparator once there are thousands.
  const all: ArrayLike<number> = sorted ? positions : Float64Array.from(positions).sort();
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const p = all[i];
    if (p >= 0 && p <= length && (out.length === 0 || p !== out[out.length - 1])) out.push(p);
  }
  return out;
}

/** Where each needle occurs in one text: found once and shared by the scanners that start from it. */
export class Occurrences {
  private readonly found = new Map<string, Int32Array>();
  constructor(readonly text: string) {}

  /** The positions, in a typed array (half the memory of a list when a text is twenty million dots). */
  of(needle: string): Int32Array {
    let at = this.found.get(needle);
    if (!at) {
      let buf = new Int32Array(256); let n = 0;
      for (let p = this.text.indexOf(needle); p >= 0; p = this.text.indexOf(needle, p + 1)) {
        if (n === buf.length) { const grown = new Int32Array(n * 2); grown.set(buf); buf = grown; }
        buf[n++] = p;
      }
      at = buf.subarray(0, n);
      this.found.set(needle, at);
    }
    return at;
  }
}

export type Span = readonly [number, number];

/** Spans sorted by start with the running maximum of their ends: containment and overlap in log time. */
export class SpanIndex {
  private readonly starts: number[];
  private readonly maxEnd: number[];
  constructor(spans: Iterable<Span>) {
    const sorted = [...spans].sort((x, y) => x[0] - y[0]);
    this.starts = sorted.map((s) => s[0]);
    this.maxEnd = [];
    let m = Number.NEGATIVE_INFINITY;
    for (const [, e] of sorted) { m = Math.max(m, e); this.maxEnd.push(m); }
  }

  /** Index of the last span starting at or before a (strictly before when `strict`), or -1. */
  private last(a: number, strict: boolean): number {
    let lo = 0; let hi = this.starts.length - 1; let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? this.starts[mid] < a : this.starts[mid] <= a) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /** Whether some span holds all of [a, b). */
  inside(a: number, b: number): boolean {
    const k = this.last(a, false);
    return k >= 0 && this.maxEnd[k] >= b;
  }

  /** Whether some span shares a character with [a, b). */
  overlaps(a: number, b: number): boolean {
    const k = this.last(b, true);
    return k >= 0 && this.maxEnd[k] > a;
  }
}
