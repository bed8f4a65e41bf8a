/** Finds CVE, CWE, ATT&CK and advisory identifiers (CAPEC, GHSA, vendor advisories) in text, validated and normalised. */
import type { IdFact, LabelFact } from '../domain/index.js';
import type { AdvisoryIdRule } from '../knowledge/kb-schema.js';
import { evidenceOf } from './evidence.js';
import type { Sentence } from './sentences.js';

// CVE numbers are at least four digits; the year starts in 1999 (CVE's first).
const CVE = /\bCVE[-‐‑–](\d{4})[-‐‑–](\d{4,7})\b/gi;
const CWE = /\bCWE[-‐‑–\s]?(\d{1,4})\b/gi;
const ATTACK = /\b(T[AS]?\d{4}(?:\.\d{3})?|G\d{4}|S\d{4})\b/g;

function collect(sentences: readonly Sentence[], re: RegExp, rule: string, normalise: (m: RegExpMatchArray) => string | null): IdFact[] {
  const seen = new Map<string, IdFact>();
  for (const s of sentences) {
    for (const m of s.text.matchAll(re)) {
      const id = normalise(m);
      if (id && !seen.has(id)) seen.set(id, { id, evidence: evidenceOf(s, rule) });
    }
  }
  return [...seen.values()];
}

export function findCves(sentences: readonly Sentence[]): IdFact[] {
  return collect(sentences, CVE, 'identifier:cve', (m) => {
    const year = Number(m[1]);
    return year >= 1999 && year <= 2100 ? `CVE-${m[1]}-${m[2]}` : null;
  });
}

export function findCwes(sentences: readonly Sentence[]): IdFact[] {
  return collect(sentences, CWE, 'identifier:cwe', (m) => `CWE-${Number(m[2] ?? m[1])}`);
}

/**
 * ATT&CK ids are short and collide with part numbers and shoe sizes: only trust them in a
 * sentence that talks about ATT&CK, techniques or TTPs, or in a list of several ids.
 */
export const ATTACK_CONTEXT = /att&ck|mitre|techniques?|tactics?|ttps?|sub-technique|\bT\d{4}\b.*\bT\d{4}\b/i;

export function findAttackIds(sentences: readonly Sentence[]): IdFact[] {
  return collect(
    sentences.filter((s) => ATTACK_CONTEXT.test(s.text)),
    ATTACK,
    'identifier:attack',
    (m) => (/^T\d{4}(\.\d{3})?$|^TA\d{4}$|^[GS]\d{4}$/.test(m[1]) ? m[1] : null),
  );
}

/** Advisory and catalog ids by the shapes in kb/advisory-ids.yaml: whole tokens only, so "MS17-010" counts and "XMS17-0100" does not. */
export function findAdvisoryIds(sentences: readonly Sentence[], rules: readonly AdvisoryIdRule[]): LabelFact[] {
  const seen = new Map<string, LabelFact>();
  for (const rule of rules) {
    const re = new RegExp(`(?<![\\w-])(?:${rule.pattern})(?![\\w-])`, 'g');
    for (const s of sentences) {
      for (const m of s.text.matchAll(re)) {
        if (!seen.has(m[0])) seen.set(m[0], { id: m[0], label: rule.label, evidence: evidenceOf(s, `identifier:${rule.id}`) });
      }
    }
  }
  return [...seen.values()];
}
