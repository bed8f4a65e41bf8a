/** Role patterns written around an organisation's name, compiled once and tried only where the name occurs in a sentence. */

/** Stands for the name while a pattern is taken apart: a private-use character no text or pattern holds. */
const SLOT = '\uE000';

interface Branch { before: RegExp | null; after: RegExp | null; whole: RegExp | null }

/** The top-level alternatives of a pattern's source: a "|" outside any group or character class. */
export function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0; let inClass = false; let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) { out.push(source.slice(from, i)); from = i + 1; }
  }
  out.push(source.slice(from));
  return out;
}

/**
 * A pattern such as `${name} (was|has been) (hit|breached)|breach at ${name}`, matched as the pattern with
 * the name's alternatives put in. Building and compiling that regex for every candidate name of every
 * document costs milliseconds each; instead each alternative is split at the name into what must end
 * right before it (a look-behind) and what must start right after it (a sticky pattern), both compiled
 * once, and tried at each place a name occurs: the same matches, without a regex per name.
 */
export class NamePattern {
  private readonly branches: Branch[] = [];
  private readonly caseless: boolean;

  constructor(build: (name: string) => RegExp) {
    const re = build(SLOT);
    const flags = re.flags.replace(/[gy]/g, '');
    this.caseless = flags.includes('i');
    for (const alt of alternatives(re.source)) {
      const parts = alt.split(SLOT);
      if (parts.length > 2) throw new Error(`a role pattern names the organisation twice in one alternative: ${alt}`);
      if (parts.length === 1) { this.branches.push({ before: null, after: null, whole: new RegExp(alt, flags) }); continue; }
      const [pre, post] = parts;
      this.branches.push({
        before: pre ? new RegExp(`(?<=${pre})`, `${flags}y`) : null,
        after: post ? new RegExp(post, `${flags}y`) : null,
        whole: null,
      });
    }
  }

  /** Whether `text` matches the pattern with one of `names` in the name's place. */
  test(text: string, names: readonly string[]): boolean {
    if (this.branches.some((b) => b.whole?.test(text))) return true;
    const hay = this.caseless ? text.toLowerCase() : text;
    // toLowerCase keeps offsets only when no character changes length (it does for a few, such as "İ").
    const sameOffsets = hay.length === text.length;
    for (const name of names) {
      const needle = this.caseless ? name.toLowerCase() : name;
      for (const [s, e] of sameOffsets ? occurrences(hay, needle) : regexOccurrences(text, name, this.caseless)) {
        for (const b of this.branches) {
          if (b.whole) continue;
          if (b.before) { b.before.lastIndex = s; if (!b.before.test(text)) continue; }
          if (b.after) { b.after.lastIndex = e; if (!b.after.test(text)) continue; }
          return true;
        }
      }
    }
    return false;
  }
}

function* occurrences(hay: string, needle: string): Generator<[number, number]> {
  if (!needle) return;
  for (let p = hay.indexOf(needle); p >= 0; p = hay.indexOf(needle, p + 1)) yield [p, p + needle.length];
}

function* regexOccurrences(text: string, name: string, caseless: boolean): Generator<[number, number]> {
  const re = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), caseless ? 'gi' : 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    yield [m.index, m.index + m[0].length];
    re.lastIndex = m.index + 1;
  }
}
