/** Compliance mappings: the framework identifiers an item touches, grouped, each with why it is there. */
import type { ChecklistStep, Facts, MappingGroup, TechniqueRow } from '../domain/index.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import type { Kb } from '../knowledge/load-kb.js';
import { type ConditionSubject, holds } from './conditions.js';

type Entry = MappingGroup['entries'][number];

function group(framework: string, entries: Entry[]): MappingGroup | null {
  const seen = new Map<string, Entry>();
  for (const e of entries) if (!seen.has(e.id)) seen.set(e.id, e);
  return seen.size > 0 ? { framework, entries: [...seen.values()] } : null;
}

export function mappings(facts: Facts, attack: readonly TechniqueRow[], steps: readonly ChecklistStep[], kb: Kb, catalogs: Catalogs, subject: ConditionSubject): MappingGroup[] {
  const stepWhy = (s: ChecklistStep) => `checklist step ${s.phaseLabel}: ${s.title}`;
  const cweIds = [...new Set([...facts.cwes, ...facts.weaknesses].map((c) => c.id))];
  const weaknessName = (id: string) => kb.weaknesses.find((w) => w.id === id)?.name ?? catalogs.cwe(id)?.name ?? 'name not in the local knowledge';
  const owasp: Entry[] = [];
  for (const id of cweIds) {
    for (const o of kb.weaknesses.find((w) => w.id === id)?.owasp ?? []) owasp.push({ id: o.id, title: o.title, why: `${id} belongs to this category` });
    if (!kb.weaknesses.some((w) => w.id === id)) {
      for (const o of catalogs.cwe(id)?.owasp ?? []) owasp.push({ id: o, title: o, why: `${id} belongs to this category (CWE view 1344)` });
    }
  }
  const regimes = new Map<string, Entry[]>();
  for (const d of facts.dataTypes) {
    for (const m of (kb.dataTypes.find((r) => r.id === d.id)?.mappings ?? []).filter((x) => holds(x.when, subject))) {
      regimes.set(m.framework, [...(regimes.get(m.framework) ?? []), { id: m.id, title: m.title, why: `${d.label} is involved` }]);
    }
  }
  const groups = [
    group('MITRE ATT&CK', attack.map((t) => ({ id: t.id, title: t.name, why: t.basis === 'observed' ? 'observed in the reporting' : 'consistent with the incident type' }))),
    group('NIST SP 800-53 Rev. 5', steps.flatMap((s) => s.controls.map((c) => ({ ...c, why: stepWhy(s) })))),
    group('NIST CSF 2.0', steps.flatMap((s) => s.csf.map((c) => ({ ...c, why: stepWhy(s) })))),
    group('CIS Controls v8', steps.flatMap((s) => s.cis.map((c) => ({ ...c, why: stepWhy(s) })))),
    group('CWE', cweIds.map((id) => ({ id, title: weaknessName(id), why: facts.cwes.some((c) => c.id === id) ? 'named in the reporting' : 'recognised from the described weakness' }))),
    group('OWASP Top 10 2021', owasp),
    ...[...regimes].map(([framework, entries]) => group(framework, entries)),
  ].filter((g): g is MappingGroup => g !== null);
  // A data type may cite a framework the steps cite too: one group per framework.
  const merged = new Map<string, MappingGroup>();
  for (const g of groups) {
    const prev = merged.get(g.framework);
    merged.set(g.framework, prev ? (group(g.framework, [...prev.entries, ...g.entries]) as MappingGroup) : g);
  }
  return [...merged.values()];
}
