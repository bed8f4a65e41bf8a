/** Item: one security event as the news center knows it, with all eleven sections of ITEM.md; the JSON contract of `vigil analyze` and `GET /api/items/:id`. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';
import { ConfidenceSchema, EvidenceSchema, RefSchema } from './evidence.js';
import { FactsSchema } from './facts.js';
import { IocSchema } from './ioc.js';
import { CvssSchema, PrioritySchema, SeverityAssessmentSchema, VulnerabilitySchema } from './score.js';


/** Bumped on any breaking change of the JSON shape; scripts can check it. */
export const ITEM_SCHEMA_VERSION = 'vigil.item/1';

export const TRIAGE_LEVELS = ['IMMEDIATE', 'URGENT', 'ELEVATED', 'ROUTINE'] as const;
export const TriageLevelSchema = Type.Union(TRIAGE_LEVELS.map((t) => Type.Literal(t)));
export type TriageLevel = (typeof TRIAGE_LEVELS)[number];

export const PHASES = ['containment', 'detection-analysis', 'eradication', 'recovery', 'post-incident'] as const;
export const PhaseSchema = Type.Union(PHASES.map((p) => Type.Literal(p)));
export type Phase = (typeof PHASES)[number];

export const SourceRefSchema = Type.Object({
  documentId: Type.String(),
  outlet: Type.String(),
  title: Type.String(),
  url: Nullable(Type.String()),
  published: Nullable(Type.String()),
});

export const ClassificationSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  score: Type.Number({ description: 'Sum of the weights of the matched rules.' }),
  evidence: Type.Array(EvidenceSchema),
});
export type Classification = Static<typeof ClassificationSchema>;

export const DeadlineSchema = Type.Object({
  regime: Type.String(),
  citation: Type.String(),
  trigger: Type.String({ description: 'What starts the clock and when it is taken to have started.' }),
  startDate: Type.String(),
  due: Type.String({ description: 'YYYY-MM-DD, or an ISO timestamp for clocks counted in hours.' }),
  note: Type.String(),
});
export type Deadline = Static<typeof DeadlineSchema>;

export const TriageSchema = Type.Object({
  level: TriageLevelSchema,
  rationale: Type.String(),
  escalation: Type.Array(Type.Object({ condition: Type.String(), notify: Type.Array(Type.String()) })),
  deadlines: Type.Array(DeadlineSchema),
});
export type Triage = Static<typeof TriageSchema>;

export const ChecklistStepSchema = Type.Object({
  key: Type.String({ description: 'Stable key of the step, for tracking its state.' }),
  phase: PhaseSchema,
  phaseLabel: Type.String(),
  title: Type.String(),
  action: Type.String(),
  sp80061r3: Type.String({ description: 'The SP 800-61r3 reference for this step.' }),
  csf: Type.Array(RefSchema),
  controls: Type.Array(RefSchema, { description: 'NIST SP 800-53 rev5 controls.' }),
  cis: Type.Array(RefSchema, { description: 'CIS Controls v8 safeguards.' }),
  tool: Nullable(Type.String({ description: 'The enterprise tool the standard control relies on (siem, edr, pam, dlp, grc, vendor-risk).' })),
  shown: Type.Union([Type.Literal('standard'), Type.Literal('compensating')], {
    description: "Which control the team's profile calls for: the standard one when it has the tool, else the compensating one.",
  }),
  standard: Nullable(Type.String({ description: 'How a team with the tool does it; set when shown is standard.' })),
  compensating: Type.String({ description: 'How a small team without the enterprise tool gets the same result; empty when shown is standard.' }),
  compensatingControls: Type.Array(
    Type.Object({
      stack: Type.String({ description: 'okta, entra-id, google-workspace, m365, active-directory, windows, linux, web-server, aws' }),
      stackLabel: Type.String(),
      title: Type.String(),
      language: Type.String({ description: 'shell, powershell, kql, sql, http, auditd, gam' }),
      body: Type.String(),
    }),
    { description: 'The commands and queries of the compensating control, per stack the team runs (every stack without a profile).' },
  ),
  preserveEvidence: Type.Array(Type.String()),
});
export type ChecklistStep = Static<typeof ChecklistStepSchema>;

export const ArtifactSchema = Type.Object({
  artifact: Type.String(),
  location: Type.String(),
  window: Type.String(),
  indicates: Type.String(),
});
export type Artifact = Static<typeof ArtifactSchema>;

export const DetectionSchema = Type.Object({
  indicatorsAvailable: Type.Boolean(),
  statement: Type.String(),
  focus: Type.Array(Type.Object({
    technique: Nullable(Type.String()),
    text: Type.String(),
    logSources: Type.Array(Type.String()),
    artifacts: Type.Array(Type.String(), { description: 'Forensic artifacts that show the technique.' }),
    strategies: Type.Array(RefSchema, { description: "ATT&CK detection strategies for the technique, when the imported catalog has them." }),
    dataComponents: Type.Array(RefSchema, { description: 'ATT&CK data components to collect, when the imported catalog has them.' }),
  })),
  content: Type.Array(
    Type.Object({ title: Type.String(), language: Type.String({ description: 'sigma, kql, spl, shell...' }), body: Type.String() }),
  ),
  confidence: Type.String(),
});
export type Detection = Static<typeof DetectionSchema>;

export const MappingGroupSchema = Type.Object({
  framework: Type.String(),
  entries: Type.Array(Type.Object({
    id: Type.String(), title: Type.String(), why: Type.String(),
    source: Type.Optional(Type.String({ description: 'The publication and version the mapping comes from (CTID Mappings Explorer, NIST, Vigil\'s tables).' })),
    mappingType: Type.Optional(Type.String({ description: 'The mapping\'s type where the publication gives one (mitigates, exploitation_technique...).' })),
  })),
});
export type MappingGroup = Static<typeof MappingGroupSchema>;

export const TechniqueRowSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tactics: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  basis: Type.Union([Type.Literal('observed'), Type.Literal('consistent')], {
    description: 'observed: named or described in the reporting; consistent: expected of this incident type (playbook).',
  }),
  confidence: ConfidenceSchema,
  score: Type.Optional(Type.Number({
    minimum: 0, maximum: 1, description: 'How strongly the reporting shows the technique: 1 for a written id, else the technique model\'s score.',
  })),
  evidence: Type.Array(EvidenceSchema),
});
export type TechniqueRow = Static<typeof TechniqueRowSchema>;

export const AnalysisPointSchema = Type.Object({
  topic: Type.String(),
  statement: Type.String(),
  status: Type.String({ description: 'confirmed, reported, not disclosed, unknown, estimated...' }),
  asOf: Nullable(Type.String()),
});
export type AnalysisPoint = Static<typeof AnalysisPointSchema>;

export const TIMELINE_KINDS = ['created', 'source-added', 'revised', 'merged', 'split'] as const;

/** One change in an item's life: a new report, an edited one, two items found to be one event, a report split out. */
export const TimelineEventSchema = Type.Object({
  at: Type.String({ description: 'When Vigil recorded it (ISO 8601).' }),
  kind: Type.Union(TIMELINE_KINDS.map((k) => Type.Literal(k))),
  documentId: Nullable(Type.String()),
  outlet: Nullable(Type.String()),
  title: Nullable(Type.String()),
  note: Type.String({ description: 'What changed and why, e.g. the pair rule that joined the report.' }),
});
export type TimelineEvent = Static<typeof TimelineEventSchema>;

/** Where the executive summary's wording came from: composed from the facts, or rewritten by a model and fact-checked. */
export const NarrativeOriginSchema = Type.Object({
  source: Type.Union([Type.Literal('composed'), Type.Literal('rewritten')]),
  model: Nullable(Type.String({ description: 'The model that rewrote it, or whose rewrite was refused.' })),
  note: Type.String({ description: 'Why this text: no endpoint configured, the rewrite passed the fact check, or why it was refused.' }),
});
export type NarrativeOrigin = Static<typeof NarrativeOriginSchema>;

export const ItemSchema = Type.Object(
  {
    schema: Type.Literal(ITEM_SCHEMA_VERSION),
    id: Type.String(),
    title: Type.String(),
    example: Type.Boolean(),
    asOf: Type.String({ description: 'The date the analysis holds for (YYYY-MM-DD).' }),
    firstReported: Nullable(Type.String()),
    lastUpdated: Nullable(Type.String()),
    sources: Type.Array(SourceRefSchema),
    timeline: Type.Array(TimelineEventSchema, { description: 'How the item grew, oldest first.' }),
    archetype: ClassificationSchema,
    sector: Nullable(ClassificationSchema),
    severity: SeverityAssessmentSchema,
    cvss: CvssSchema,
    vulnerabilities: Type.Array(VulnerabilitySchema),
    priority: PrioritySchema,
    summary: Type.Array(Type.String(), { description: 'Executive summary, three to six sentences.' }),
    analysis: Type.Array(AnalysisPointSchema),
    triage: TriageSchema,
    checklist: Type.Array(ChecklistStepSchema),
    recovery: Type.Array(Type.String()),
    artifacts: Type.Array(ArtifactSchema),
    detection: DetectionSchema,
    iocs: Type.Array(IocSchema),
    mappings: Type.Array(MappingGroupSchema),
    attack: Type.Array(TechniqueRowSchema),
    disclaimer: Type.String(),
    facts: FactsSchema,
    enrichment: Type.Object({
      pipelineVersion: Type.String(),
      knowledgeVersion: Type.String(),
      catalogs: Type.Record(Type.String(), Type.String(), { description: 'Reference catalog versions used.' }),
      enrichedAt: Type.String(),
      profile: Nullable(Type.String()),
      narrative: Type.Optional(NarrativeOriginSchema),
    }),
  },
  { $id: 'Item', title: 'Vigil intelligence item' },
);
export type Item = Static<typeof ItemSchema>;
export type SourceRef = Static<typeof SourceRefSchema>;
