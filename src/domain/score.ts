/** Scores: CVSS (computed or estimated), per-CVE exploitation data, severity, priority and its factors. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';
import { SSVC_EXPLOITATION } from './cve-data.js';


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

export const SSVC_DECISIONS = ['Track', 'Track*', 'Attend', 'Act'] as const;
export type SsvcDecision = (typeof SSVC_DECISIONS)[number];
export const MISSION_WELLBEING = ['low', 'medium', 'high'] as const;
export type MissionWellbeing = (typeof MISSION_WELLBEING)[number];
const literals = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

/** CISA's SSVC decision for one CVE, with each decision point and where it was read. */
export const SsvcAssessmentSchema = Type.Object({
  decision: literals(SSVC_DECISIONS),
  exploitation: literals(SSVC_EXPLOITATION),
  automatable: literals(['yes', 'no'] as const),
  technicalImpact: literals(['partial', 'total'] as const),
  missionWellbeing: literals(MISSION_WELLBEING),
  basis: Type.Union([Type.Literal('vulnrichment'), Type.Literal('derived')], {
    description: "vulnrichment: CISA's ADP scored the CVE; derived: Vigil read the points from KEV, the reporting and the CVSS vector (kb/ssvc.yaml).",
  }),
  reasons: Type.Array(Type.String(), { description: 'One line per decision point: its value and where it came from.' }),
  meaning: Type.String({ description: "CISA's description of what the decision asks of the team." }),
});
export type SsvcAssessment = Static<typeof SsvcAssessmentSchema>;

/** One valid CVSS vector of a CVE, computed from the vector, with who published it. */
export const CvssVectorScoreSchema = Type.Object({
  version: literals(['2.0', '3.0', '3.1', '4.0'] as const),
  vector: Type.String(),
  baseScore: Type.Number(),
  severity: SeveritySchema,
  source: Type.String({ description: "'reporting', 'nvd', 'cna:<name>' or 'adp:<name>' (adp:CISA-ADP is Vulnrichment)." }),
});
export type CvssVectorScore = Static<typeof CvssVectorScoreSchema>;

export const VulnerabilitySchema = Type.Object({
  cve: Type.String(),
  cvss: Nullable(CvssSchema),
  vectors: Type.Array(CvssVectorScoreSchema, { description: 'Every valid vector known for the CVE, each version and publisher, newest version first.' }),
  ssvc: Nullable(SsvcAssessmentSchema),
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
