/** Scores: CVSS (computed or estimated), per-CVE exploitation data, severity, priority and its factors. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';


export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export const SeveritySchema = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));
export type Severity = (typeof SEVERITIES)[number];

export const CvssSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('computed'),
    version: Type.Union([Type.Literal('2.0'), Type.Literal('3.0'), Type.Literal('3.1'), Type.Literal('4.0')]),
    vector: Type.String(),
    baseScore: Type.Number(),
    severity: SeveritySchema,
    cve: Nullable(Type.String()),
    source: Type.String({ description: "Where the vector was read: 'reporting' (the text), else the publisher of the CVE data: 'nvd', 'cna:<name>', 'adp:<name>'." }),
  }),
  Type.Object({
    kind: Type.Literal('estimate'),
    baseScore: Type.Number(),
    severity: SeveritySchema,
    reason: Type.String({ description: 'Why this estimate: no vector was published, so it follows the qualitative severity.' }),
  }),
]);
export type Cvss = Static<typeof CvssSchema>;

export const VulnerabilitySchema = Type.Object({
  cve: Type.String(),
  cvss: Nullable(CvssSchema),
  epss: Nullable(Type.Object({ probability: Type.Number(), percentile: Type.Number(), date: Type.String() })),
  kev: Nullable(
    Type.Object({
      dateAdded: Type.String(),
      dueDate: Nullable(Type.String()),
      knownRansomwareUse: Type.Boolean(),
      requiredAction: Type.String(),
    }),
  ),
  note: Type.String({ description: 'What is and is not known about this CVE in the local data, as of the analysis date.' }),
});
export type Vulnerability = Static<typeof VulnerabilitySchema>;

export const PriorityFactorSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  weight: Type.Number({ description: 'The factor weight from kb/priority.yaml.' }),
  value: Type.Number({ minimum: 0, maximum: 1, description: 'How strongly the factor applies, 0..1.' }),
  contribution: Type.Number({ description: 'weight × value, the part of the priority this factor gives.' }),
  reason: Type.String(),
});
export const PrioritySchema = Type.Object({
  value: Type.Number({ minimum: 0, maximum: 1 }),
  factors: Type.Array(PriorityFactorSchema),
});
export type Priority = Static<typeof PrioritySchema>;
export type PriorityFactor = Static<typeof PriorityFactorSchema>;

export const SeverityAssessmentSchema = Type.Object({
  level: SeveritySchema,
  basis: Type.Union([Type.Literal('cvss'), Type.Literal('estimate'), Type.Literal('no-event')]),
  reason: Type.String(),
});
export type SeverityAssessment = Static<typeof SeverityAssessmentSchema>;
