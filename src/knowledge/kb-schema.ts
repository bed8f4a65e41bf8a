/** The shape of every file under kb/: our own knowledge (playbooks, steps, rules), checked at start-up. */
import { type Static, Type } from '@sinclair/typebox';
import { PhaseSchema, TriageLevelSchema } from '../domain/item.js';
import { SeveritySchema } from '../domain/score.js';

const Ref = Type.Object({ id: Type.String({ minLength: 1 }), title: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' });
const Text = Type.String({ minLength: 1 });

/** A case-insensitive regular expression over one sentence of the text, with what a match is worth. */
export const SignalSchema = Type.Object(
  {
    pattern: Text,
    weight: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Conditions on the facts that make a step apply; all listed conditions must hold. */
export const ConditionSchema = Type.Object(
  {
    dataTypes: Type.Optional(Type.Array(Id, { description: 'any of these data types exposed' })),
    statuses: Type.Optional(Type.Array(Id, { description: 'any of these statuses stated' })),
    sectors: Type.Optional(Type.Array(Id)),
    hasIocs: Type.Optional(Type.Boolean()),
    hasCves: Type.Optional(Type.Boolean()),
    hasVendor: Type.Optional(Type.Boolean()),
    archetypes: Type.Optional(Type.Array(Id, { description: 'the item is any of these archetypes' })),
    lacksTool: Type.Optional(Type.Array(Id, { description: 'the profile says the team lacks any of these tools' })),
    jurisdictions: Type.Optional(Type.Array(Id, { description: "the team's profile lists any of these jurisdictions (us, eu, us-ny...)" })),
    regimes: Type.Optional(Type.Array(Id, { description: "the team's profile declares any of these regimes (hipaa, pci-dss, sec...)" })),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof ConditionSchema>;

export const StepSchema = Type.Object(
  {
    id: Id,
    phase: PhaseSchema,
    title: Text,
    when: Type.Optional(ConditionSchema),
    action: Text,
    sp80061r3: Text,
    csf: Type.Array(Ref, { minItems: 1 }),
    controls: Type.Array(Ref, { minItems: 1 }),
    cis: Type.Array(Ref, { minItems: 1 }),
    compensating: Text,
    preserveEvidence: Type.Array(Text, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type Step = Static<typeof StepSchema>;
export const StepFileSchema = Type.Array(StepSchema, { minItems: 1 });

const ArtifactSchema = Type.Object(
  { artifact: Text, location: Text, window: Text, indicates: Text, when: Type.Optional(ConditionSchema) },
  { additionalProperties: false },
);

export const ArchetypeSchema = Type.Object(
  {
    id: Id,
    label: Text,
    description: Text,
    /** Rank when two archetypes score the same; lower wins. */
    precedence: Type.Integer({ minimum: 0 }),
    signals: Type.Array(SignalSchema),
    minScore: Type.Number({ minimum: 0, description: 'Below this signal score the archetype is not chosen.' }),
    baseSeverity: SeveritySchema,
    baseTriage: TriageLevelSchema,
    summaryLead: Text,
    techniques: Type.Array(Ref, { description: 'Techniques consistent with this incident type.' }),
    steps: Type.Object(
      {
        containment: Type.Array(Id, { minItems: 1 }),
        'detection-analysis': Type.Array(Id, { minItems: 1 }),
        eradication: Type.Array(Id, { minItems: 1 }),
        recovery: Type.Array(Id, { minItems: 1 }),
        'post-incident': Type.Array(Id, { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
    recovery: Type.Array(Text, { minItems: 1 }),
    artifacts: Type.Array(ArtifactSchema, { minItems: 1 }),
    escalation: Type.Array(
      Type.Object({ condition: Text, notify: Type.Array(Text, { minItems: 1 }), when: Type.Optional(ConditionSchema) }, { additionalProperties: false }),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
export type Archetype = Static<typeof ArchetypeSchema>;

export const TechniqueSchema = Type.Object(
  {
    id: Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' }),
    name: Text,
    tactics: Type.Array(Ref, { minItems: 1, description: 'ATT&CK tactic shortname as id (initial-access) and its name.' }),
    signals: Type.Array(SignalSchema),
    focus: Text,
    logSources: Type.Array(Text, { minItems: 1 }),
    queries: Type.Optional(Type.Array(Type.Object({ title: Text, language: Text, body: Text }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);
export type Technique = Static<typeof TechniqueSchema>;
export const TechniqueFileSchema = Type.Array(TechniqueSchema, { minItems: 1 });

export const WeaknessSchema = Type.Object(
  {
    id: Type.String({ pattern: '^CWE-\\d+$' }),
    name: Text,
    owasp: Type.Array(Ref),
    signals: Type.Array(SignalSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export const WeaknessFileSchema = Type.Array(WeaknessSchema, { minItems: 1 });
export type Weakness = Static<typeof WeaknessSchema>;

/** A label recognised from text: data type, status statement, sector. */
export const LabelRuleSchema = Type.Object(
  {
    id: Id,
    label: Text,
    signals: Type.Array(SignalSchema, { minItems: 1 }),
    sensitivity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'data types: how sensitive, for priority' })),
    mappings: Type.Optional(Type.Array(Type.Object({ framework: Text, id: Text, title: Text, when: Type.Optional(ConditionSchema) }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);
export type LabelRule = Static<typeof LabelRuleSchema>;
export const LabelFileSchema = Type.Array(LabelRuleSchema, { minItems: 1 });

export const RegulationSchema = Type.Object(
  {
    id: Id,
    regime: Text,
    citation: Text,
    when: ConditionSchema,
    clock: Type.Object(
      {
        amount: Type.Integer({ minimum: 1 }),
        unit: Type.Union([Type.Literal('days'), Type.Literal('business-days'), Type.Literal('hours')]),
        from: Type.Union([Type.Literal('discovery'), Type.Literal('disclosure'), Type.Literal('vendor-discovery')], {
          description: "vendor-discovery: the vendor's (business associate's) own discovery date, when the reporting states it",
        }),
      },
      { additionalProperties: false },
    ),
    trigger: Text,
    note: Text,
  },
  { additionalProperties: false },
);
export type Regulation = Static<typeof RegulationSchema>;
export const RegulationFileSchema = Type.Array(RegulationSchema, { minItems: 1 });

export const PriorityWeightsSchema = Type.Object(
  {
    factors: Type.Array(
      Type.Object({ id: Id, label: Text, weight: Type.Number({ minimum: 0, maximum: 1 }), description: Text }, { additionalProperties: false }),
      { minItems: 1 },
    ),
    recencyHalfLifeDays: Type.Number({ minimum: 1 }),
    triage: Type.Array(
      Type.Object({ level: TriageLevelSchema, minPriority: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type PriorityWeights = Static<typeof PriorityWeightsSchema>;

export const MetaSchema = Type.Object(
  {
    version: Text,
    disclaimer: Text,
    estimatedScores: Type.Object(
      { CRITICAL: Type.Number(), HIGH: Type.Number(), MEDIUM: Type.Number(), LOW: Type.Number(), INFORMATIONAL: Type.Number() },
      { additionalProperties: false },
    ),
    frameworks: Type.Array(Type.Object({ id: Id, title: Text, url: Text }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type Meta = Static<typeof MetaSchema>;

export const BenignDomainFileSchema = Type.Array(
  Type.Object({ domain: Type.String({ pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$' }), owner: Text }, { additionalProperties: false }),
  { minItems: 1 },
);
export type BenignDomain = Static<typeof BenignDomainFileSchema>[number];

/** kb/stories.yaml: how reports of one event are grouped into one item. */
export const StoryRulesSchema = Type.Object(
  {
    nearDuplicate: Type.Number({ minimum: 0.5, maximum: 1 }),
    windowDays: Type.Integer({ minimum: 1, maximum: 365 }),
    weights: Type.Object(
      {
        cve: Type.Number({ minimum: 0 }), actor: Type.Number({ minimum: 0 }), victim: Type.Number({ minimum: 0 }), term: Type.Number({ minimum: 0 }),
        title: Type.Number({ minimum: 0 }), archetype: Type.Number({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    threshold: Type.Number({ exclusiveMinimum: 0 }),
    titleOverlap: Type.Number({ minimum: 0, maximum: 1 }),
    digestTitles: Type.Array(Text),
    genericTerms: Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' })),
  },
  { additionalProperties: false },
);
export type StoryRules = Static<typeof StoryRulesSchema>;

/** kb/advisory-ids.yaml: identifiers of advisories and catalogs (CAPEC, GHSA, vendor advisories) recognised in text. */
export const AdvisoryIdFileSchema = Type.Array(
  Type.Object(
    { id: Id, label: Text, pattern: Text },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type AdvisoryIdRule = Static<typeof AdvisoryIdFileSchema>[number];

/** kb/countries.yaml: ISO 3166-1 countries with the names, short forms and demonyms text uses for them. */
export const CountryFileSchema = Type.Array(
  Type.Object(
    {
      code: Type.String({ pattern: '^[A-Z]{2}$' }),
      name: Text,
      aliases: Type.Optional(Type.Array(Text)),
      demonyms: Type.Optional(Type.Array(Text)),
      ambiguous: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type Country = Static<typeof CountryFileSchema>[number];
