/** Raw search input to safe terms: "quoted phrases" and words, defanged indicators refanged, then quoted for FTS5 or escaped for LIKE. */
import { refang } from '../extract/refang.js';
import { identifierTerm } from './search-tokens.js';

const MAX_TERMS = 12;
const MAX_TERM = 200;

/** The terms of a search, each of which must occur in an item; `evil[.]com` is read as `evil.com`, as the index holds it. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const out: string[] = [];
  for (const m of q.normalize('NFKC').matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = refang((m[1] ?? m[2]).trim()).trim().slice(0, MAX_TERM);
    if (term && !out.includes(term)) out.push(term);
    if (out.length === MAX_TERMS) break;
  }
  return out;
}

/**
 * A search's terms split by the index that reads them: `tokens`, whole identifiers (CVE, domain, IP, hash, ATT&CK id) as the
 * exact-token index keys them; `terms`, the rest, read as words and fragments (src/store/search-plan.ts).
 */
export function splitTerms(q: string | undefined): { tokens: string[]; terms: string[] } {
  const tokens: string[] = [];
  const terms: string[] = [];
  for (const t of searchTerms(q)) {
    const token = identifierTerm(t);
    if (token === null) terms.push(t);
    else if (!tokens.includes(token)) tokens.push(token);
  }
  return { tokens, terms };
}

/** SQLite's trigram tokenizer matches nothing for a term under three characters: those are read with LIKE instead. */
export const TRIGRAM_MIN = 3;

/** One FTS5 string per term, every character taken literally (FTS5 operators and column filters have no effect inside quotes). */
export function ftsMatch(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
}

/** A LIKE pattern for `%term%` with `\` as the escape character. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
