/** Decides an item's incident archetype and sector from the facts, by the weights of the kb signals that matched. */
import type { Classification, Facts, LabelFact } from '../domain/index.js';
import type { Kb } from '../knowledge/load-kb.js';

/** The archetype of a document with no security event in it: shown honestly as INFORMATIONAL. */
export const NO_EVENT_ID = 'no-security-event';

function signalWeight(kb: Kb, fact: LabelFact): number {
  const m = /^archetype:([a-z0-9-]+)#(\d+)$/.exec(fact.evidence.rule);
  const archetype = m ? kb.archetypes.find((a) => a.id === m[1]) : undefined;
  return archetype?.signals[Number(m?.[2])]?.weight ?? 1;
}

/**
 * An event is described, not merely named: two different signals, or one signal in two sentences, or
 * one in the headline (the first sentence). A press release that names "ransomware" once describes no event.
 * The fallback's signals are generic words ("ransomware", "vulnerabilities"), so for it two of them in one
 * passing sentence are not enough: it needs two sentences or the headline.
 */
function described(hits: readonly LabelFact[], generic = false): boolean {
  const sentences = new Set(hits.map((h) => h.evidence.start ?? -1));
  const signals = new Set(hits.map((h) => h.evidence.rule));
  return (!generic && signals.size >= 2) || sentences.size >= 2 || sentences.has(0);
}

/** Facts that show a security event even when no archetype's signals reached their threshold. */
export function hasSecurityContent(facts: Facts, kb: Kb): boolean {
  const fallback = kb.archetypes.find((a) => a.minScore === 0)?.id;
  return (
    facts.cves.length > 0 || facts.cvssVectors.length > 0 || facts.attackIds.length > 0 || facts.actors.length > 0 ||
    facts.iocs.some((i) => i.defanged) ||
    // Per archetype: two archetypes named once each in one sentence ("ransomware and BEC cases rose") describe nothing.
    [...new Set(facts.signals.map((f) => f.id))].some((id) => described(facts.signals.filter((f) => f.id === id), id === fallback))
  );
}

/**
 * The archetype whose matched signals weigh most, among those at or over their minScore; ties go to
 * the lower precedence. The fallback archetype (minScore 0) takes any other security event; a document
 * without any security content is NO_EVENT_ID.
 */
export function classifyArchetype(facts: Facts, kb: Kb): Classification {
  const scored = kb.archetypes.map((a) => {
    const hits = facts.signals.filter((f) => f.id === a.id);
    return { archetype: a, score: hits.reduce((sum, f) => sum + signalWeight(kb, f), 0), hits };
  });
  const eligible = scored
    .filter((s) => s.archetype.minScore > 0 && s.score >= s.archetype.minScore && described(s.hits))
    .sort((x, y) => y.score - x.score || x.archetype.precedence - y.archetype.precedence);
  const best = eligible[0];
  if (best) {
    return { id: best.archetype.id, label: best.archetype.label, score: best.score, evidence: best.hits.map((h) => h.evidence) };
  }
  const fallback = kb.archetypes.find((a) => a.minScore === 0);
  if (fallback && hasSecurityContent(facts, kb)) {
    return {
      id: fallback.id,
      label: fallback.label,
      score: 0,
      evidence: facts.signals.slice(0, 5).map((s) => s.evidence),
    };
  }
  return {
    id: NO_EVENT_ID,
    label: 'No security event',
    score: 0,
    evidence: [{ text: 'No CVE, indicator, technique, weakness, actor or incident language was found in the text.', rule: 'classify:no-security-content' }],
  };
}

/**
 * The sector named in the most sentences, when named in two or more (or in the headline); ties go to
 * the one named first. A passing mention ("customers in healthcare, education...") does not decide it.
 */
export function classifySector(facts: Facts, kb: Kb): Classification | null {
  const by = new Map<string, LabelFact[]>();
  for (const f of facts.sectors) by.set(f.id, [...(by.get(f.id) ?? []), f]);
  // One sector named alone, in a sentence of its own signal, is the story's sector: a summary names it once.
  const alone = by.size === 1;
  const ranked = [...by.values()]
    .filter((hits) => alone || described(hits, true))
    .sort((a, b) => b.length - a.length || (a[0].evidence.start ?? 0) - (b[0].evidence.start ?? 0));
  const best = ranked[0];
  if (!best) return null;
  if (ranked[1] && ranked[1].length === best.length && !best.some((f) => f.evidence.start === 0)) return null;
  const rule = kb.sectors.find((s) => s.id === best[0].id);
  return { id: best[0].id, label: rule?.label ?? best[0].label, score: best.length, evidence: best.map((f) => f.evidence) };
}
