/** Splits document text into sentences with their offsets, so every fact can point at the sentence it came from. */
export interface Sentence {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Index of the paragraph the sentence is in. */
  readonly paragraph: number;
}

// Abbreviations that end in a dot without ending a sentence.
const ABBREVIATIONS = new Set([
  'inc', 'corp', 'co', 'ltd', 'llc', 'plc', 'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'no', 'vs', 'etc', 'e.g', 'i.e',
  'u.s', 'u.k', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'fig', 'approx',
  'gov', 'dept', 'jr', 'sr', 'est', 'ver', 'v', 'sec', 'art', 'para',
]);

function endsWithAbbreviation(chunk: string): boolean {
  // The word must stand alone: "A:N." ending a CVSS vector is no initial. Only the tail is read, so a
  // long run of abbreviations stays linear.
  const m = /(?:^|[\s("'])([A-Za-z.]+)\.$/.exec(chunk.slice(-24));
  if (!m) return false;
  const word = m[1].toLowerCase();
  // Initials such as "J." in "J. Smith".
  return ABBREVIATIONS.has(word) || /^[a-z]$/.test(word);
}

/**
 * A sentence ends at . ! ? (with closing quotes or brackets) followed by whitespace and a capital,
 * digit or quote, and always at a paragraph break; a dot inside a token ("v15.2", "1.2.3[.]4") never ends one.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const paragraphs = /[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g;
  let paragraph = 0;
  for (const p of text.matchAll(paragraphs)) {
    const base = p.index ?? 0;
    const body = p[0];
    let from = 0;
    // A sentence end, or a line break before a list item or table row (each row is its own context).
    const boundary = /[.!?]["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n(?=[ \t]*(?:[-*•|]|\d{1,2}[.)]\s))/g;
    for (const m of body.matchAll(boundary)) {
      const stop = (m.index ?? 0) + m[0].length;
      const chunk = body.slice(from, stop);
      if (m[0][0] === '.' && endsWithAbbreviation(body.slice(Math.max(from, (m.index ?? 0) - 30), (m.index ?? 0) + 1))) continue;
      push(out, chunk, base + from, paragraph);
      from = stop;
    }
    push(out, body.slice(from), base + from, paragraph);
    paragraph++;
  }
  return out;
}

/** Longer "sentences" are tables, lists or hostile input: cut at whitespace so every per-sentence rule stays bounded. */
export const MAX_SENTENCE = 1500;

function push(out: Sentence[], chunk: string, start: number, paragraph: number): void {
  let from = 0;
  while (chunk.length - from > MAX_SENTENCE) {
    const cut = chunk.lastIndexOf(' ', from + MAX_SENTENCE);
    const stop = cut > from + MAX_SENTENCE / 2 ? cut : from + MAX_SENTENCE;
    pushOne(out, chunk.slice(from, stop), start + from, paragraph);
    from = stop;
  }
  pushOne(out, chunk.slice(from), start + from, paragraph);
}

function pushOne(out: Sentence[], chunk: string, start: number, paragraph: number): void {
  const lead = chunk.length - chunk.trimStart().length;
  const text = chunk.trim();
  if (text === '') return;
  out.push({ text, start: start + lead, end: start + lead + text.length, paragraph });
}

/** The sentence holding an offset, by binary search. */
export function sentenceAt(sentences: readonly Sentence[], offset: number): Sentence | undefined {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  return sentences[Math.max(0, Math.min(lo, sentences.length - 1))];
}
