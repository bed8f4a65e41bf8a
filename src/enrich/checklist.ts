/** The five-phase action checklist: for each SP 800-61r3 phase, the first library step whose conditions hold, filled with this event's facts and fitted to the team's tools and stacks. */
import type { ChecklistStep, Phase } from '../domain/index.js';
import { PHASES } from '../domain/index.js';
import type { Profile } from '../config/profile.js';
import { type Archetype, type Step, type StepRef, stepRefId } from '../knowledge/kb-schema.js';
import type { Kb, StackControl } from '../knowledge/load-kb.js';
import { fillTemplate, type TemplateValues } from '../knowledge/template.js';
import { type ConditionSubject, holds } from './conditions.js';

export const PHASE_LABELS: Record<Phase, string> = {
  containment: 'Containment',
  'detection-analysis': 'Detection & Analysis',
  eradication: 'Eradication',
  recovery: 'Recovery',
  'post-incident': 'Post-Incident',
};

/** The step a phase gets: the first candidate whose own and archetype-added conditions hold, else the last (unconditional) one. */
export function chooseStep(kb: Kb, refs: readonly StepRef[], subject: ConditionSubject): Step {
  const ok = (ref: StepRef) => holds(kb.steps.get(stepRefId(ref))?.when, subject) && (typeof ref === 'string' || holds(ref.when, subject));
  const id = stepRefId(refs.find(ok) ?? refs[refs.length - 1]);
  const step = kb.steps.get(id);
  if (!step) throw new Error(`enrich: step ${id} vanished from the kb`);
  return step;
}

/**
 * The stacks of a step the team runs: those whose vendor patterns match a vendor in the profile. Without a
 * profile, or with no vendor in it that any stack names, every stack is shown; a step never loses all its commands.
 */
export function stacksFor(controls: readonly StackControl[], profile: Profile | null): StackControl[] {
  const vendors = profile?.vendors ?? [];
  const runs = (c: StackControl) => c.vendors.some((p) => vendors.some((v) => new RegExp(p, 'i').test(v)));
  const chosen = controls.filter((c) => c.vendors.length === 0 || runs(c));
  return chosen.some((c) => c.vendors.length > 0 && runs(c)) ? chosen : [...controls];
}

export function checklist(kb: Kb, archetype: Archetype, subject: ConditionSubject, values: TemplateValues): ChecklistStep[] {
  const fill = (t: string) => fillTemplate(t, values);
  return PHASES.map((phase) => {
    const step = chooseStep(kb, archetype.steps[phase], subject);
    const standard = !!step.tool && !!step.standard && (subject.profile?.tools ?? []).includes(step.tool);
    const controls = stacksFor(step.stacks.map((ref) => kb.compensating.get(ref)).filter((c): c is StackControl => !!c), subject.profile);
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
      tool: step.tool ?? null,
      shown: standard ? 'standard' : 'compensating',
      standard: standard && step.standard ? fill(step.standard) : null,
      compensating: standard ? '' : fill(step.compensating),
      compensatingControls: standard ? [] : controls.map(({ stack, stackLabel, control }) => ({
        stack,
        stackLabel,
        title: control.title,
        language: control.language,
        body: fill(control.commands ? control.commands.join('\n') : (control.query ?? '')),
      })),
      preserveEvidence: step.preserveEvidence.map(fill),
    };
  });
}
