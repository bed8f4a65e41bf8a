/** The rewrite's fact check: a rewritten summary may reword the composed one, never add a CVE, number, date, name, product, IOC or technique. */
import type { Item } from '../domain/index.js';

export type RewriteVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
// Spelt-out quantities are numbers too: "twelve thousand" must not slip past a check on digits.
const NUMBER_WORDS = new Set([
  'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen',
  'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety',
  'hundred', 'hundreds', 'thousand', 'thousands', 'million', 'millions', 'billion', 'billions', 'dozen', 'dozens', 'half', 'twice',
  'double', 'triple', 'percent',
]);

const CVE = /\bCVE-\d{4}-\d{4,19}\b/gi;
const TECHNIQUE = /\bT\d{4}(?:\.\d{3})?\b/g;
// Dotted tokens: versions, scores, IP addresses, domains and file names, with defanged dots read as dots.
const DOTTED = /[A-Za-z0-9][\w-]*(?:(?:\.|\[\.\]|\(\.\))[\w-]+)+/g;
const HEX = /\b[a-f0-9]{32,128}\b/gi;
const NUMBER = /\d[\d,]*(?:\.\d+)?/g;
// A capitalised word, or one with a capital or digit inside (FortiOS, M365): a possible name of an organisation or product.
const NAMEISH = /\b(?:[A-Z][\w'&-]*|[a-z]+[A-Z0-9][\w-]*)\b/g;

const all = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m[0]);
const undot = (s: string) => s.replace(/\[\.\]|\(\.\)/g, '.').toLowerCase();
const numberOf = (s: string) => String(Number(s.replace(/,/g, '')));

/** Everything the item states, as the check reads it: the composed summary and analysis, the title and every fact. */
function allowedText(item: Item): string {
  const f = item.facts;
  return [
    item.title, ...item.summary, ...item.analysis.map((a) => `${a.statement} ${a.asOf ?? ''}`), item.asOf, item.firstReported ?? '', item.lastUpdated ?? '',
    ...f.organisations.map((o) => o.name), ...f.products.map((p) => `${p.name} ${p.vendor ?? ''} ${p.versions.join(' ')}`),
    ...f.cves.map((c) => c.id), ...f.actors.map((a) => a.label), ...f.iocs.map((i) => i.value), ...item.attack.map((t) => `${t.id} ${t.name}`),
    ...f.dataTypes.map((d) => d.label), ...item.sources.map((s) => s.outlet),
  ].join('\n');
}

function monthsIn(text: string): Set<string> {
  const out = new Set(MONTHS.filter((m) => new RegExp(`\\b${m}\\b`, 'i').test(text)));
  for (const [, mm] of text.matchAll(/\b\d{4}-(\d{2})-\d{2}/g)) out.add(MONTHS[Number(mm) - 1] ?? '');
  return out;
}

/** Words that may open a sentence without naming anything; any other capitalised word must come from the item. */
const CONNECTIVES = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'it', 'its', 'they', 'their', 'there', 'no', 'not', 'none', 'so', 'as', 'at', 'in', 'on', 'by', 'for', 'from', 'of', 'to', 'with', 'and', 'but', 'or', 'also', 'however', 'meanwhile', 'still', 'yet', 'what', 'who', 'how', 'when', 'while', 'since', 'until', 'after', 'before', 'although', 'because', 'if', 'whether', 'both', 'each', 'every', 'all', 'some', 'any', 'other', 'others', 'further', 'furthermore', 'moreover', 'additionally', 'separately', 'overall', 'currently', 'so far', 'to date', 'i', 'we', 'our', 'you', 'your']);

export function checkRewrite(rewritten: readonly string[], item: Item): RewriteVerdict {
  const text = rewritten.join('\n');
  const allowed = allowedText(item);
  const lower = allowed.toLowerCase();
  const fail = (reason: string): RewriteVerdict => ({ ok: false, reason });

  const cves = new Set(all(CVE, allowed).map((c) => c.toUpperCase()));
  const newCve = all(CVE, text).find((c) => !cves.has(c.toUpperCase()));
  if (newCve) return fail(`adds ${newCve.toUpperCase()}, which the item does not cite`);
  const keptCves = new Set(all(CVE, text).map((c) => c.toUpperCase()));
  const lost = all(CVE, item.summary.join(' ')).find((c) => !keptCves.has(c.toUpperCase()));
  if (lost) return fail(`drops ${lost.toUpperCase()}, which the composed summary cites`);

  const techniques = new Set(all(TECHNIQUE, allowed));
  const newTechnique = all(TECHNIQUE, text).find((t) => !techniques.has(t));
  if (newTechnique) return fail(`adds the technique ${newTechnique}`);

  const hexes = new Set(all(HEX, allowed).map((h) => h.toLowerCase()));
  const newHex = all(HEX, text).find((h) => !hexes.has(h.toLowerCase()));
  if (newHex) return fail(`adds the hash ${newHex}`);

  const dotted = new Set(all(DOTTED, allowed).map(undot));
  const newDotted = all(DOTTED, text).find((d) => !dotted.has(undot(d)) && !/^\d+(\.\d+)?$/.test(d));
  if (newDotted) return fail(`adds "${newDotted}" (a version, address, domain or file name the item does not state)`);

  // Numbers are compared by value, so "12,000" may stand for "12000" and "March 2" for "2026-03-02".
  const numbers = new Set(all(NUMBER, allowed).flatMap((n) => [numberOf(n), ...n.split(/[.,]/).map(numberOf)]));
  for (const iso of allowed.matchAll(/\b(\d{4})-(\d{2})-(\d{2})/g)) numbers.add(numberOf(iso[2])).add(numberOf(iso[3]));
  const newNumber = all(NUMBER, text).find((n) => !numbers.has(numberOf(n)));
  if (newNumber) return fail(`adds the number ${newNumber}`);
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  const newWord = words.find((w) => NUMBER_WORDS.has(w) && !new RegExp(`\\b${w}\\b`).test(lower));
  if (newWord) return fail(`adds the quantity "${newWord}"`);

  const months = monthsIn(allowed);
  const newMonth = [...monthsIn(text)].find((m) => m !== '' && !months.has(m) && m !== 'may');
  if (newMonth) return fail(`adds a date in ${newMonth}`);

  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    const names = [...sentence.matchAll(NAMEISH)];
    for (const m of names) {
      const word = m[0];
      const w = word.toLowerCase().replace(/'s$/, '');
      if (new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`).test(lower)) continue;
      const opensSentence = sentence.slice(0, m.index).trim() === '' || /^["'(]$/.test(sentence.slice(0, m.index).trim());
      if (opensSentence && CONNECTIVES.has(w)) continue;
      return fail(`adds the name "${word}", which no fact of the item holds`);
    }
  }
  return { ok: true };
}
