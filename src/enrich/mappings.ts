/** Compliance mappings: the framework identifiers an item touches, grouped, each with why it is there and which publication maps it. */
import type { ChecklistStep, Facts, MappingGroup, TechniqueRow } from '../domain/index.js';
import type { Catalogs, CrosswalkRow } from '../knowledge/catalogs.js';
import type { Kb } from '../knowledge/load-kb.js';
import { type ConditionSubject, holds } from './conditions.js';

type Entry = MappingGroup['entries'][number];

function group(framework: string, entries: Entry[]): MappingGroup | null {
  const seen = new Map<string, Entry>();
  for (const e of entries) if (!seen.has(e.id)) seen.set(e.id, e);
  return seen.size > 0 ? { framework, entries: [...seen.values()] } : null;
}

const KB_STEPS = "Vigil's checklist (kb/steps)";

/** A cross-walk row as a mapping entry: why names what it was reached from, source the publication and its version. */
function crosswalked(row: CrosswalkRow, from: string): Entry {
  const via = row.note ? `; ${row.note}` : '';
  return {
    id: row.id, title: row.title, why: `${row.mappingType ? `${row.mappingType} ` : ''}${from}${via}`,
    source: `${row.source.publication} (${row.source.version})`, ...(row.mappingType ? { mappingType: row.mappingType } : {}),
  };
}

/** HIPAA rows only where HIPAA can apply: health data, the healthcare sector, or a profile that names the regime. */
function hipaaApplies(facts: Facts, subject: ConditionSubject): boolean {
  return facts.dataTypes.some((d) => d.id === 'phi') || subject.sector === 'healthcare' || facts.sectors.some((s) => s.id === 'healthcare')
    || (subject.profile?.sectors ?? []).includes('healthcare') || (subject.profile?.regimes ?? []).includes('hipaa');
}

export function mappings(facts: Facts, attack: readonly TechniqueRow[], steps: readonly ChecklistStep[], kb: Kb, catalogs: Catalogs, subject: ConditionSubject): MappingGroup[] {
  const stepWhy = (s: ChecklistStep) => `checklist step ${s.phaseLabel}: ${s.title}`;
  const cweIds = [...new Set([...facts.cwes, ...facts.weaknesses].map((c) => c.id))];
  const weaknessName = (id: string) => kb.weaknesses.find((w) => w.id === id)?.name ?? catalogs.cwe(id)?.name ?? 'name not in the local knowledge';
  const owasp: Entry[] = [];
  for (const id of cweIds) {
    for (const o of kb.weaknesses.find((w) => w.id === id)?.owasp ?? []) owasp.push({ id: o.id, title: o.title, why: `${id} belongs to this category`, source: "Vigil's weaknesses (kb/weaknesses.yaml)" });
    if (!kb.weaknesses.some((w) => w.id === id)) {
      for (const o of catalogs.cwe(id)?.owasp ?? []) owasp.push({ id: o, title: o, why: `${id} belongs to this category`, source: `MITRE CWE view 1344 (CWE ${catalogs.versions.cwe ?? 'version unknown'})` });
    }
  }
  const regimes = new Map<string, Entry[]>();
  for (const d of facts.dataTypes) {
    for (const m of (kb.dataTypes.find((r) => r.id === d.id)?.mappings ?? []).filter((x) => holds(x.when, subject))) {
      regimes.set(m.framework, [...(regimes.get(m.framework) ?? []), { id: m.id, title: m.title, why: `${d.label} is involved` }]);
    }
  }
  const stepControls = steps.flatMap((s) => s.controls.map((c) => ({ ...c, why: stepWhy(s), source: KB_STEPS })));
  const stepCsf = steps.flatMap((s) => s.csf.map((c) => ({ ...c, why: stepWhy(s), source: KB_STEPS })));
  // CTID maps ATT&CK to controls that mitigate it; only techniques seen in the reporting bring controls in.
  const observed = attack.filter((t) => t.basis === 'observed');
  const ctidControls = observed.flatMap((t) => catalogs.controlsForTechnique(t.id).map((r) => crosswalked(r, `${t.id} ${t.name}`)));
  const cveTechniques = facts.cves.flatMap((c) => catalogs.techniquesForCve(c.id).map((r) => crosswalked(r, c.id)));
  // Our tables and NIST's mapping start from the controls and CSF outcomes the checklist cites.
  const fromCited = (lookup: (id: string) => readonly CrosswalkRow[]) => [
    ...new Map([...stepControls, ...stepCsf].map((c) => [c.id, c])).values(),
  ].flatMap((c) => lookup(c.id).map((r) => crosswalked(r, `from ${c.id}`)));
  const groups = [
    group('MITRE ATT&CK', [
      ...attack.map((t) => ({ id: t.id, title: t.name, why: t.basis === 'observed' ? 'observed in the reporting' : 'consistent with the incident type', ...(catalogs.versions.attack ? { source: `MITRE ATT&CK ${catalogs.versions.attack}` } : {}) })),
      ...cveTechniques,
    ]),
    group('NIST SP 800-53 Rev. 5', [...stepControls, ...ctidControls]),
    group('NIST CSF 2.0', stepCsf),
    group('NIST CSF 1.1 (NIST mapping from SP 800-53 Rev. 5)', stepControls.flatMap((c) => catalogs.csfForControl(c.id).map((r) => crosswalked(r, `from ${c.id}`)))),
    group('CIS Controls v8', [...steps.flatMap((s) => s.cis.map((c) => ({ ...c, why: stepWhy(s), source: KB_STEPS }))), ...fromCited(catalogs.cisFor)]),
    hipaaApplies(facts, subject) ? group('HIPAA Security Rule', fromCited(catalogs.hipaaFor)) : null,
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
