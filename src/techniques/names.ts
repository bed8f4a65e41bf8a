/** Technique names written in a sentence ("process injection", "PowerShell"): a direct mention the model's phrasing alone may underweight. */
import { tokenise } from './features.js';
import type { TechniqueModel } from './model.js';

// One-word names that are also everyday words in reporting: they name a technique only in context the model reads anyway.
const TOO_GENERIC = new Set(['services', 'software', 'phishing', 'compromise', 'impersonation', 'botnet', 'domains', 'server', 'tool',
  'malware', 'exploits', 'code', 'vulnerabilities', 'digital certificates', 'web services', 'serverless', 'threat intel vendors',
  'ssh', 'rdp', 'dns', 'vnc', 'smtp', 'cloud accounts', 'local accounts', 'domain accounts', 'default accounts', 'email accounts']);

/** Names by their first token: a sentence is matched by one look-up per token, not one regular expression per name. */
type NameIndex = Map<string, { tokens: string[]; classes: number[] }[]>;

const indexes = new WeakMap<TechniqueModel, NameIndex>();

function nameIndex(model: TechniqueModel): NameIndex {
  const known = indexes.get(model);
  if (known) return known;
  const byName = new Map<string, number[]>();
  model.classes.forEach((k, c) => {
    const name = k.name.toLowerCase().replace(/\s*\(.*\)\s*$/, '');
    if (name.length < 5 || TOO_GENERIC.has(name)) return;
    byName.set(name, [...(byName.get(name) ?? []), c]);
  });
  const index: NameIndex = new Map();
  for (const [name, classes] of byName) {
    const tokens = tokenise(name);
    if (tokens.length === 0) continue;
    let l = index.get(tokens[0]);
    if (!l) index.set(tokens[0], (l = []));
    l.push({ tokens, classes });
  }
  indexes.set(model, index);
  return index;
}

/** The classes whose name the sentence's tokens contain, whole tokens, any case. */
export function namedClasses(model: TechniqueModel, tokens: readonly string[]): Set<number> {
  const index = nameIndex(model);
  const out = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const candidates = index.get(tokens[i]);
    if (!candidates) continue;
    for (const n of candidates) {
      let j = 1;
      while (j < n.tokens.length && tokens[i + j] === n.tokens[j]) j++;
      if (j === n.tokens.length) for (const c of n.classes) out.add(c);
    }
  }
  return out;
}

/** A function from sentence text to the classes whose name it contains. */
export function nameMatcher(model: TechniqueModel): (text: string) => Set<number> {
  return (text) => namedClasses(model, tokenise(text));
}
