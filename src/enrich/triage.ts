/** Triage: the level (from priority, floored by the archetype for serious events), escalation criteria and regulatory deadlines. */
import type { Deadline, Priority, SeverityAssessment, Triage, TriageLevel } from '../domain/index.js';
import { TRIAGE_LEVELS } from '../domain/index.js';
import type { Archetype } from '../knowledge/kb-schema.js';
import { fillTemplate, type TemplateValues } from '../knowledge/template.js';
import type { Kb } from '../knowledge/load-kb.js';
import { triageFromPriority } from '../score/priority.js';
import { type ConditionSubject, holds } from './conditions.js';

const sentenceEnd = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
const more = (a: TriageLevel, b: TriageLevel) => (TRIAGE_LEVELS.indexOf(a) <= TRIAGE_LEVELS.indexOf(b) ? a : b);

export function triage(
  kb: Kb, archetype: Archetype | undefined, severity: SeverityAssessment, priority: Priority,
  subject: ConditionSubject, values: TemplateValues, clocks: Deadline[],
): Triage {
  const fromPriority = triageFromPriority(priority.value, kb);
  // A HIGH or CRITICAL event of a serious type is never left at a lower level than its playbook's floor.
  const floor = archetype && (severity.level === 'CRITICAL' || severity.level === 'HIGH') ? archetype.baseTriage : 'ROUTINE';
  const level = more(fromPriority, floor);
  const rationale = level === fromPriority
    ? `Priority ${priority.value.toFixed(3)} falls in the ${level} band (kb/priority.yaml).`
    : `Priority ${priority.value.toFixed(3)} alone gives ${fromPriority}; a ${severity.level} ${archetype?.label ?? 'event'} is handled at least ${floor}.`;
  const escalation = (archetype?.escalation ?? [])
    .filter((e) => holds(e.when, subject))
    .map((e) => ({ condition: sentenceEnd(fillTemplate(e.condition, values)), notify: [...e.notify] }));
  return { level, rationale, escalation, deadlines: clocks };
}
