/** The ATT&CK table: techniques observed in the reporting and those consistent with the incident type, ordered along the attack lifecycle. */
import type { Facts, TechniqueRow } from '../domain/index.js';
import { ATTACK_TACTIC_ORDER, type Catalogs } from '../knowledge/catalogs.js';
import type { Archetype } from '../knowledge/kb-schema.js';
import type { Kb } from '../knowledge/load-kb.js';
import type { InferredTechnique } from '../techniques/infer.js';

function tacticsOf(id: string, kb: Kb, catalogs: Catalogs, fromModel: readonly string[] = []): { id: string; name: string }[] {
  const fromKb = kb.techniques.get(id)?.tactics.map((t) => ({ id: t.id, name: t.title }));
  if (fromKb) return fromKb;
  const shortnames = catalogs.technique(id)?.tactics ?? fromModel;
  return shortnames.map((t) => ({ id: t, name: catalogs.tacticName(t) ?? t }));
}

/** The model's belief turned into the table's confidence: a written id is "high" elsewhere, a reading of phrasing never is. */
const confidenceOf = (score: number): TechniqueRow['confidence'] => (score >= 0.8 ? 'medium' : 'low');

const MODEL_RULE = 'model:attack-techniques';

function modelEvidence(t: InferredTechnique): TechniqueRow['evidence'] {
  return t.sentences.map((s) => ({ text: s.text, start: s.start, end: s.end, rule: `${MODEL_RULE}:${t.via}`, score: s.score }));
}

function nameOf(id: string, kb: Kb, catalogs: Catalogs): string | null {
  return kb.techniques.get(id)?.name ?? catalogs.technique(id)?.name ?? null;
}

const order = (row: TechniqueRow) =>
  Math.min(...row.tactics.map((t) => ATTACK_TACTIC_ORDER.indexOf(t.id as (typeof ATTACK_TACTIC_ORDER)[number])).filter((i) => i >= 0), 99);

/**
 * `inferred` is the technique model's reading of the item's text (src/techniques): its techniques join the "observed" rows
 * with their supporting sentences and score. Explicit ids stay high confidence; the model never demotes them.
 */
export function attackTable(
  facts: Facts, archetype: Archetype | undefined, kb: Kb, catalogs: Catalogs, inferred: readonly InferredTechnique[] = [],
): TechniqueRow[] {
  const rows = new Map<string, TechniqueRow>();
  const techniqueIds = facts.attackIds.filter((a) => /^T\d{4}/.test(a.id));
  for (const fact of techniqueIds) {
    const entry = catalogs.technique(fact.id);
    // A revoked id is never shown as current: it stands for the technique that replaced it. A deprecated one has no successor.
    const id = entry?.revoked && entry.revokedBy ? entry.revokedBy : fact.id;
    if (id === fact.id && (entry?.revoked || entry?.deprecated)) continue;
    const replaced = id === fact.id ? [] : [{ text: `${fact.id} is revoked in ATT&CK ${catalogs.versions.attack ?? ''}; ${id} replaces it.`, rule: 'attack:revoked-by' }];
    rows.set(id, {
      id,
      name: nameOf(id, kb, catalogs) ?? `${id} (name not in the local knowledge; run vigil kb import)`,
      tactics: tacticsOf(id, kb, catalogs),
      basis: 'observed',
      confidence: 'high',
      score: 1,
      evidence: [...(rows.get(id)?.evidence ?? []), fact.evidence, ...replaced],
    });
  }
  // In an advisory with no exploitation, phrasing says what an attacker could do, not what was seen.
  const hypothetical = archetype?.id === 'vulnerability-advisory' && !facts.statuses.some((s) => s.id === 'actively-exploited');
  for (const fact of facts.techniques) {
    const row = rows.get(fact.id);
    if (row) {
      row.evidence.push(fact.evidence);
      continue;
    }
    rows.set(fact.id, {
      id: fact.id, name: nameOf(fact.id, kb, catalogs) ?? fact.id, tactics: tacticsOf(fact.id, kb, catalogs),
      basis: hypothetical ? 'consistent' : 'observed', confidence: hypothetical ? 'low' : 'medium', evidence: [fact.evidence],
    });
  }
  for (const t of inferred) {
    const entry = catalogs.technique(t.id);
    if (entry?.revoked || entry?.deprecated) continue;
    const row = rows.get(t.id);
    if (row) {
      // A written id or a kb phrase already made the row: the model adds its sentences, not a second row.
      const at = new Set(row.evidence.map((e) => e.start));
      row.evidence.push(...modelEvidence(t).filter((e) => !at.has(e.start)));
      row.score = Math.max(row.score ?? 0, t.score);
      continue;
    }
    rows.set(t.id, {
      id: t.id, name: nameOf(t.id, kb, catalogs) ?? t.name ?? t.id, tactics: tacticsOf(t.id, kb, catalogs, t.tactics),
      basis: hypothetical ? 'consistent' : 'observed', confidence: hypothetical ? 'low' : confidenceOf(t.score),
      score: t.score, evidence: modelEvidence(t),
    });
  }
  for (const t of archetype?.techniques ?? []) {
    // A parent or sub-technique already observed covers the expectation.
    if ([...rows.keys()].some((k) => k === t.id || k.startsWith(`${t.id}.`) || t.id.startsWith(`${k}.`))) continue;
    rows.set(t.id, {
      id: t.id, name: t.title, tactics: tacticsOf(t.id, kb, catalogs), basis: 'consistent', confidence: 'low',
      evidence: [{ text: `Expected of a ${archetype?.label} according to Vigil's playbook.`, rule: `playbook:${archetype?.id}` }],
    });
  }
  return [...rows.values()].sort((a, b) => order(a) - order(b) || (a.basis === b.basis ? a.id.localeCompare(b.id) : a.basis === 'observed' ? -1 : 1));
}
