/** Finds ATT&CK ids other than techniques (groups, software, campaigns, tactics, mitigations, data sources and components) with their catalog names. */
import type { AttackRef, AttackRefKind, Confidence } from '../domain/index.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import { evidenceOf } from './evidence.js';
import { ATTACK_CONTEXT } from './identifiers.js';
import type { Sentence } from './sentences.js';

const REF = /(?<![\w-])(G\d{4}|S\d{4}|TA\d{4}|M\d{4}|DS\d{4}|DC\d{4}|C\d{4}|DET\d{4})(?![\w-])/g;
// A sentence that speaks of ATT&CK objects: the ids are short enough to be part numbers anywhere else.
const REF_CONTEXT = /\b(?:mitigations?|data (?:sources?|components?)|detection strateg(?:y|ies)|campaigns?|software|malware|intrusion sets?|threat groups?|groups?)\b/i;

function kindOf(id: string): AttackRefKind {
  if (id.startsWith('TA')) return 'tactic';
  if (id.startsWith('DS')) return 'data-source';
  if (id.startsWith('DC')) return 'data-component';
  if (id.startsWith('DET')) return 'detection-strategy';
  return ({ G: 'group', S: 'software', M: 'mitigation', C: 'campaign' } as const)[id[0] as 'G' | 'S' | 'M' | 'C'];
}

/**
 * Each id once, at its first sentence that gives it context: ATT&CK words in the sentence, or (for a group or software id)
 * one of that actor's names beside it, "APT28 (G0007)". Confidence is high when the catalog knows the id.
 */
export function findAttackRefs(sentences: readonly Sentence[], catalogs: Catalogs): AttackRef[] {
  const actors = new Map(catalogs.actors().map((a) => [a.id, a]));
  const out = new Map<string, AttackRef>();
  for (const s of sentences) {
    if (!/\d{4}/.test(s.text)) continue;
    const context = ATTACK_CONTEXT.test(s.text) || REF_CONTEXT.test(s.text);
    for (const m of s.text.matchAll(REF)) {
      const id = m[1];
      if (out.has(id)) continue;
      const kind = kindOf(id);
      const actor = kind === 'group' || kind === 'software' ? actors.get(id) : undefined;
      const named = actor !== undefined && actor.aliases.some((a) => a.length >= 3 && s.text.includes(a));
      if (!context && !named) continue;
      const name = actor?.name ?? catalogs.attackName?.(id) ?? null;
      const confidence: Confidence = name !== null ? 'high' : 'medium';
      out.set(id, { id, kind, name, evidence: evidenceOf(s, named ? 'identifier:attack-ref-named' : 'identifier:attack-ref'), confidence });
    }
  }
  return [...out.values()];
}
