/** Applies kb label rules (data types, statuses, sectors, archetype signals) to sentences, keeping the evidence. */
import type { LabelFact } from '../domain/index.js';
import type { LabelRule } from '../knowledge/kb-schema.js';
import { evidenceOf } from './evidence.js';
import type { Sentence } from './sentences.js';

export interface SignalHit {
  readonly id: string;
  readonly label: string;
  readonly weight: number;
  readonly fact: LabelFact;
}

const compiled = new Map<string, RegExp>();
export function pattern(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(source, 'i');
    compiled.set(source, re);
  }
  return re;
}

/** Every (rule, signal) that matches a sentence; a signal counts once per document, at its first sentence. */
export function matchSignals(
  rules: readonly { id: string; label: string; signals: readonly { pattern: string; weight?: number }[] }[],
  sentences: readonly Sentence[],
  ruleKind: string,
): SignalHit[] {
  const hits: SignalHit[] = [];
  for (const rule of rules) {
    for (const [i, signal] of rule.signals.entries()) {
      const re = pattern(signal.pattern);
      const sentence = sentences.find((s) => re.test(s.text));
      if (!sentence) continue;
      hits.push({
        id: rule.id,
        label: rule.label,
        weight: signal.weight ?? 1,
        fact: { id: rule.id, label: rule.label, evidence: evidenceOf(sentence, `${ruleKind}:${rule.id}#${i}`) },
      });
    }
  }
  return hits;
}

/** One fact per matched rule and sentence, so a classifier can count how often a label is stated. */
export function matchLabelSentences(rules: readonly LabelRule[], sentences: readonly Sentence[], ruleKind: string): LabelFact[] {
  const out: LabelFact[] = [];
  for (const rule of rules) {
    const res = rule.signals.map((s) => pattern(s.pattern));
    for (const s of sentences) {
      const i = res.findIndex((re) => re.test(s.text));
      if (i >= 0) out.push({ id: rule.id, label: rule.label, evidence: evidenceOf(s, `${ruleKind}:${rule.id}#${i}`) });
    }
  }
  return out;
}

/** One fact per matched rule, at its earliest evidence. */
export function matchLabels(rules: readonly LabelRule[], sentences: readonly Sentence[], ruleKind: string): LabelFact[] {
  const best = new Map<string, LabelFact>();
  for (const hit of matchSignals(rules, sentences, ruleKind)) {
    const prev = best.get(hit.id);
    if (!prev || (hit.fact.evidence.start ?? 0) < (prev.evidence.start ?? 0)) best.set(hit.id, hit.fact);
  }
  return [...best.values()];
}
