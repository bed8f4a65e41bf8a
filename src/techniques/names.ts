/** Technique names written in a sentence ("process injection", "PowerShell"): a direct mention the model's phrasing alone may underweight. */
import type { TechniqueModel } from './model.js';

// One-word names that are also everyday words in reporting: they name a technique only in context the model reads anyway.
const TOO_GENERIC = new Set(['services', 'software', 'phishing', 'compromise', 'impersonation', 'botnet', 'domains', 'server', 'tool',
  'malware', 'exploits', 'code', 'vulnerabilities', 'digital certificates', 'web services', 'serverless', 'threat intel vendors',
  'ssh', 'rdp', 'dns', 'vnc', 'smtp', 'cloud accounts', 'local accounts', 'domain accounts', 'default accounts', 'email accounts']);

const matchers = new WeakMap<TechniqueModel, (text: string) => Set<number>>();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A function from sentence text to the classes whose name it contains, whole words, any case. */
export function nameMatcher(model: TechniqueModel): (text: string) => Set<number> {
  const known = matchers.get(model);
  if (known) return known;
  const byName = new Map<string, number[]>();
  model.classes.forEach((k, c) => {
    const name = k.name.toLowerCase().replace(/\s*\(.*\)\s*$/, '');
    if (name.length < 5 || TOO_GENERIC.has(name)) return;
    byName.set(name, [...(byName.get(name) ?? []), c]);
  });
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<![\\w-])(?:${names.map(escape).join('|')})(?![\\w-])`, 'gi');
  const match = (text: string): Set<number> => {
    const out = new Set<number>();
    for (const m of text.matchAll(re)) for (const c of byName.get(m[0].toLowerCase()) ?? []) out.add(c);
    return out;
  };
  matchers.set(model, match);
  return match;
}
