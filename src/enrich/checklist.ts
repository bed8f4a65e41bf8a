/** The five-phase action checklist: for each SP 800-61r3 phase, the first kb step whose conditions hold, filled with this event's facts. */
import type { ChecklistStep, Phase } from '../domain/index.js';
import { PHASES } from '../domain/index.js';
import type { Archetype } from '../knowledge/kb-schema.js';
import type { Kb } from '../knowledge/load-kb.js';
import { fillTemplate, type TemplateValues } from '../knowledge/template.js';
import { type ConditionSubject, holds } from './conditions.js';

export const PHASE_LABELS: Record<Phase, string> = {
  containment: 'Containment',
  'detection-analysis': 'Detection & Analysis',
  eradication: 'Eradication',
  recovery: 'Recovery',
  'post-incident': 'Post-Incident',
};

export function checklist(kb: Kb, archetype: Archetype, subject: ConditionSubject, values: TemplateValues): ChecklistStep[] {
  return PHASES.map((phase) => {
    const ids = archetype.steps[phase];
    const id = ids.find((candidate) => holds(kb.steps.get(candidate)?.when, subject)) ?? ids[ids.length - 1];
    const step = kb.steps.get(id);
    if (!step) throw new Error(`enrich: step ${id} vanished from the kb`);
    const fill = (t: string) => fillTemplate(t, values);
    return {
      key: `${phase}:${step.id}`,
      phase,
      phaseLabel: PHASE_LABELS[phase],
      title: step.title,
      action: fill(step.action),
      sp80061r3: step.sp80061r3,
      csf: step.csf,
      controls: step.controls,
      cis: step.cis,
      compensating: fill(step.compensating),
      preserveEvidence: step.preserveEvidence.map(fill),
    };
  });
}
