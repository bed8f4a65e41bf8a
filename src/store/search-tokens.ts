/**
 * The identifiers of a search text (CVE ids, ATT&CK ids, IPv4 addresses, hashes, domains and file names), as the exact-token
 * index (search_tokens) holds them: a pasted `CVE-2026-1234` or `evil.com` is one index seek rather than a trigram scan.
 */

/** What separates tokens: anything but letters, digits and the `.`, `-`, `_` inside names and ids. */
const SEPARATOR = /[^\p{L}\p{N}._-]+/u;
/** A sentence's full stop or a dash around an id is not part of it. */
const EDGES = /^[._-]+|[._-]+$/g;
const MAX_TOKEN = 200;

const CVE = /^cve-\d{4}-\d{4,}$/;
const ATTACK = /^t\d{4}(\.\d{3})?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HASH = /^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/;
/** Dotted names whose last label is a word: domains, and file names such as `invoice.pdf.exe`. */
const DOTTED = /^[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)*\.\p{L}[\p{L}\p{N}]+$/u;

function normal(token: string): string {
  return token.normalize('NFKC').toLowerCase().replace(EDGES, '');
}

/** The index key of one token when it is an identifier, else null. */
function identifier(token: string): string | null {
  if (token.length > MAX_TOKEN) return null;
  return CVE.test(token) || ATTACK.test(token) || IPV4.test(token) || HASH.test(token) || DOTTED.test(token) ? token : null;
}

/**
 * The key a search term is looked up by in the exact-token index, or null when the term is not one whole identifier (a word,
 * a phrase, a fragment, a URL): those are read by the trigram index, as fragments.
 */
export function identifierTerm(term: string): string | null {
  // What a paste brings around an id, `(CVE-2026-1234).` or `<evil.com>,`, is not part of it.
  const t = normal(term.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
  return t && !SEPARATOR.test(t) ? identifier(t) : null;
}

/**
 * Every identifier in a search text, once. A dotted name is also kept under each parent of two labels or more, so `evil.com`
 * finds `cdn.evil.com` and `https://cdn.evil.com/x`; `CVE-2026-1234` does not find `CVE-2026-12345`, nor `1.2.3.4` find `11.2.3.4`.
 */
export function identifierTokens(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split(SEPARATOR)) {
    const t = identifier(normal(raw));
    if (!t) continue;
    out.add(t);
    if (DOTTED.test(t)) {
      const labels = t.split('.');
      for (let i = 1; i < labels.length - 1; i++) {
        const parent = labels.slice(i).join('.');
        if (DOTTED.test(parent)) out.add(parent);
      }
    }
  }
  return [...out];
}
