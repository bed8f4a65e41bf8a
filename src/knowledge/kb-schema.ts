/** The shape of every file under kb/: our own knowledge (playbooks, steps, rules), checked at start-up. */
import { type Static, Type } from '@sinclair/typebox';
import { PhaseSchema, TriageLevelSchema } from '../domain/item.js';
import { SeveritySchema } from '../domain/score.js';
import { IocTypeSchema } from '../domain/ioc.js';
import { ENTERPRISE_TOOLS } from '../config/profile.js';

const Ref = Type.Object({ id: Type.String({ minLength: 1 }), title: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' });
const Text = Type.String({ minLength: 1 });
const TechniqueId = Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' });

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
    techniques: Type.Optional(Type.Array(TechniqueId, { description: 'any of these ATT&CK techniques is observed in the reporting (a parent id covers its sub-techniques)' })),
    iocTypes: Type.Optional(Type.Array(IocTypeSchema, { description: 'the reporting publishes an indicator of any of these types' })),
    named: Type.Optional(Type.Array(Text, { description: 'a vendor or product named in the event matches any of these case-insensitive patterns' })),
    kev: Type.Optional(Type.Boolean({ description: 'a CVE of the event is in CISA KEV (catalog or reporting)' })),
    hasActor: Type.Optional(Type.Boolean({ description: 'a threat group or malware family is named' })),
    hasTool: Type.Optional(Type.Array(Id, { description: 'the profile says the team has any of these tools' })),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof ConditionSchema>;

/** The stacks compensating controls are written for; kb/compensating/<stack>.yaml holds each one's entries. */
export const STACKS = ['okta', 'entra-id', 'google-workspace', 'm365', 'active-directory', 'windows', 'linux', 'web-server', 'aws'] as const;
export type Stack = (typeof STACKS)[number];

/** One compensating control for one stack: commands to run or a query to paste, filled like any template. */
export const CompensatingControlSchema = Type.Object(
  {
    id: Id,
    title: Text,
    language: Type.Union(['shell', 'powershell', 'kql', 'sql', 'http', 'auditd', 'gam'].map((l) => Type.Literal(l))),
    commands: Type.Optional(Type.Array(Text, { minItems: 1, description: 'run in order' })),
    query: Type.Optional(Text),
  },
  { additionalProperties: false },
);
export type CompensatingControl = Static<typeof CompensatingControlSchema>;
export const CompensatingFileSchema = Type.Object(
  { stack: Type.Union(STACKS.map((s) => Type.Literal(s))), label: Text, vendors: Type.Array(Text, { description: 'patterns matched against the profile vendors' }), controls: Type.Array(CompensatingControlSchema, { minItems: 1 }) },
  { additionalProperties: false },
);
export type CompensatingFile = Static<typeof CompensatingFileSchema>;

/** kb/cis-safeguards.yaml: the CIS Controls v8 safeguards the kb cites, with the publication they come from. */
export const CisSafeguardFileSchema = Type.Object(
  {
    source: Text,
    url: Text,
    safeguards: Type.Array(Type.Object({ id: Type.String({ pattern: '^\\d{1,2}\\.\\d{1,2}$' }), title: Text }, { additionalProperties: false }), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type CisSafeguardFile = Static<typeof CisSafeguardFileSchema>;

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
    /** The enterprise tool the standard control relies on; a team whose profile has it sees `standard`, others the compensating control. */
    tool: Type.Optional(Type.Union(ENTERPRISE_TOOLS.map((t) => Type.Literal(t)))),
    standard: Type.Optional(Text),
    compensating: Text,
    /** Ids of kb/compensating entries ("okta/revoke-sessions"): the per-stack commands and queries of the compensating control. */
    stacks: Type.Array(Type.String({ pattern: '^[a-z0-9-]+/[a-z0-9-]+$' }), { minItems: 1 }),
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

/** A phase candidate: a library step id, or a step with a condition this archetype adds to the step's own. */
export const StepRefSchema = Type.Union([Id, Type.Object({ step: Id, when: ConditionSchema }, { additionalProperties: false })]);
export type StepRef = Static<typeof StepRefSchema>;
const StepRef = StepRefSchema;
export const stepRefId = (ref: StepRef): string => (typeof ref === 'string' ? ref : ref.step);

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
        containment: Type.Array(StepRef, { minItems: 1 }),
        'detection-analysis': Type.Array(StepRef, { minItems: 1 }),
        eradication: Type.Array(StepRef, { minItems: 1 }),
        recovery: Type.Array(StepRef, { minItems: 1 }),
        'post-incident': Type.Array(StepRef, { minItems: 1 }),
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
    artifacts: Type.Optional(Type.Array(Text, { minItems: 1, description: 'Forensic artifacts that show this technique: event ids, files, registry keys, log records.' })),
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
        unit: Type.Union([Type.Literal('days'), Type.Literal('business-days'), Type.Literal('hours'), Type.Literal('months')], {
          description: 'business-days skip weekends and US federal holidays (observed days); months are calendar months, clamped to the month end',
        }),
        from: Type.Union([Type.Literal('discovery'), Type.Literal('disclosure'), Type.Literal('vendor-discovery'), Type.Literal('discovery-year-end')], {
          description: "vendor-discovery: the vendor's (business associate's) own discovery date, when the reporting states it; discovery-year-end: the end of the calendar year of discovery",
        }),
        after: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: "the id of an earlier regulation in the file: this clock starts when that one falls due (NIS2's final report a month after the notification)" })),
      },
      { additionalProperties: false },
    ),
    /** Clocks that apply only above or below a count of affected people (HIPAA's 500 for HHS and media notice). */
    affected: Type.Optional(Type.Object(
      { min: Type.Optional(Type.Integer({ minimum: 1 })), max: Type.Optional(Type.Integer({ minimum: 0 })) },
      { additionalProperties: false },
    )),
    trigger: Text,
    note: Text,
  },
  { additionalProperties: false },
);
export type Regulation = Static<typeof RegulationSchema>;
export const RegulationFileSchema = Type.Array(RegulationSchema, { minItems: 1 });

const Unit = Type.Number({ minimum: 0, maximum: 1 });
export const PriorityWeightsSchema = Type.Object(
  {
    factors: Type.Array(
      Type.Object({ id: Id, label: Text, weight: Type.Number({ minimum: 0, maximum: 1 }), description: Text }, { additionalProperties: false }),
      { minItems: 1 },
    ),
    recencyHalfLifeDays: Type.Number({ minimum: 1 }),
    /** The value in [0, 1] each factor takes in each case its description names; priority.ts reads only these. */
    values: Type.Object(
      {
        severity: Type.Object(
          { CRITICAL: Unit, HIGH: Unit, MEDIUM: Unit, LOW: Unit, INFORMATIONAL: Unit },
          { additionalProperties: false },
        ),
        exploitation: Type.Object(
          { kev: Unit, reported: Unit, intrusion: Unit, epssFactor: Type.Number({ minimum: 0 }), noneKnown: Unit, noEvidence: Unit },
          { additionalProperties: false },
        ),
        automatable: Type.Object({ yes: Unit, no: Unit, unknown: Unit }, { additionalProperties: false }),
        relevance: Type.Object(
          { product: Unit, internetFacing: Unit, vendor: Unit, sector: Unit, none: Unit, noProfile: Unit },
          { additionalProperties: false },
        ),
        corroboration: Type.Object(
          { fullAt: Type.Integer({ minimum: 1 }), countShare: Unit, defaultReputation: Unit },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    /** Source reputation: the first rule whose host suffix or outlet name matches a source gives its reputation. */
    reputation: Type.Array(
      Type.Object(
        { match: Type.String({ pattern: '^[a-z0-9][a-z0-9 .-]*$' }), score: Unit, kind: Type.Union([Type.Literal('government'), Type.Literal('vendor'), Type.Literal('research'), Type.Literal('news')]) },
        { additionalProperties: false },
      ),
    ),
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
        product: Type.Optional(Type.Number({ minimum: 0 })), days: Type.Optional(Type.Number({ minimum: 0 })),
      },
      { additionalProperties: false },
    ),
    threshold: Type.Number({ exclusiveMinimum: 0 }),
    titleOverlap: Type.Number({ minimum: 0, maximum: 1 }),
    sameDays: Type.Optional(Type.Number({ minimum: 0 })),
    relatedArchetypes: Type.Optional(Type.Array(Type.Array(Id, { minItems: 2 }))),
    digestTitles: Type.Array(Text),
    digestLeads: Type.Optional(Type.Array(Text)),
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

/** kb/crosswalks/*.yaml: our own tables from a framework's entries to SP 800-53r5 controls and CSF 2.0 ids, with the publication read. */
export const CrosswalkFileSchema = Type.Object(
  {
    framework: Text,
    source: Type.Object({ publication: Text, version: Text, url: Type.String({ pattern: '^https://' }) }, { additionalProperties: false }),
    entries: Type.Array(
      Type.Object(
        {
          id: Text,
          title: Text,
          basis: Type.Optional(Text),
          sp800_53: Type.Array(Type.String({ pattern: '^[A-Z]{2}-\\d+(\\(\\d+\\))?$' })),
          csf: Type.Array(Type.String({ pattern: '^[A-Z]{2}\\.[A-Z]{2}(-\\d{2})?$' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
export type CrosswalkFile = Static<typeof CrosswalkFileSchema>;

/** kb/catalog-sources.yaml: where `vigil kb sync` downloads each official catalog, and how big it may be. */
export const CatalogSourceFileSchema = Type.Array(
  Type.Object(
    {
      catalog: Id,
      title: Text,
      files: Type.Array(
        Type.Object(
          {
            /** Path in the import layout ("attack/enterprise-attack.json"). */
            path: Type.String({ pattern: '^[a-z0-9-]+/[A-Za-z0-9_.-]+$' }),
            url: Type.String({ pattern: '^https://' }),
            maxBytes: Type.Integer({ minimum: 1024 }),
            /** Only where the publisher gives a digest for a pinned file. */
            sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
            /** An ATT&CK collection index (attack-stix-data index.json): the newest version of the named collection is fetched. */
            collection: Type.Optional(Text),
          },
          { additionalProperties: false },
        ),
        { minItems: 1 },
      ),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type CatalogSourceFile = Static<typeof CatalogSourceFileSchema>;

const SsvcPoint = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const MISSION_PREVALENCE = ['minimal', 'support', 'essential'] as const;
const PUBLIC_WELLBEING = ['minimal', 'material', 'irreversible'] as const;
const MWB = ['low', 'medium', 'high'] as const;
const SSVC_DECISION = ['Track', 'Track*', 'Attend', 'Act'] as const;

/** kb/ssvc.yaml: CISA's SSVC tree, the Mission and Well-being table, and how Vigil derives points Vulnrichment lacks. */
export const SsvcRulesSchema = Type.Object(
  {
    missionWellbeing: Type.Array(
      Type.Object(
        { missionPrevalence: SsvcPoint(MISSION_PREVALENCE), publicWellbeing: SsvcPoint(PUBLIC_WELLBEING), level: SsvcPoint(MWB) },
        { additionalProperties: false },
      ),
      { minItems: 9, maxItems: 9 },
    ),
    defaultMissionWellbeing: SsvcPoint(MWB),
    decisions: Type.Object({ Track: Text, 'Track*': Text, Attend: Text, Act: Text }, { additionalProperties: false }),
    derivation: Type.Object({ exploitation: Text, automatable: Text, technicalImpact: Text }, { additionalProperties: false }),
    tree: Type.Array(
      Type.Object(
        {
          exploitation: SsvcPoint(['none', 'poc', 'active'] as const),
          automatable: SsvcPoint(['yes', 'no'] as const),
          technicalImpact: SsvcPoint(['partial', 'total'] as const),
          missionWellbeing: SsvcPoint(MWB),
          decision: SsvcPoint(SSVC_DECISION),
        },
        { additionalProperties: false },
      ),
      { minItems: 36, maxItems: 36, description: 'Every combination of the four decision points, once.' },
    ),
  },
  { additionalProperties: false },
);
export type SsvcRules = Static<typeof SsvcRulesSchema>;

/** kb/regimes.yaml: which regimes a data type or a sector brings in, and where each applies. */
export const RegimeFileSchema = Type.Array(
  Type.Object(
    {
      id: Id,
      name: Text,
      citation: Text,
      dataTypes: Type.Array(Id, { description: 'exposed data types that bring the regime in (any of)' }),
      sectors: Type.Array(Id, { description: 'sectors whose organisations the regime covers (any of); empty: every sector' }),
      jurisdictions: Type.Array(Id, { description: 'where it applies: us, eu, us-ny...; empty: wherever the data is processed' }),
      requires: Text,
      regulations: Type.Array(Id, { description: 'ids of the clocks in kb/regulations.yaml this regime starts' }),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type Regime = Static<typeof RegimeFileSchema>[number];

export const SUMMARY_PARTS = ['lead', 'exposure', 'exploitation', 'fix', 'timeline', 'impact', 'undetermined', 'filings', 'downstream'] as const;
export type SummaryPart = (typeof SUMMARY_PARTS)[number];
const SummaryOrder = Type.Array(Type.Union(SUMMARY_PARTS.map((p) => Type.Literal(p))), { minItems: 3, uniqueItems: true });

/** kb/narrative.yaml: the order in which each incident type's executive summary is told. */
export const NarrativeRulesSchema = Type.Object(
  { default: SummaryOrder, archetypes: Type.Record(Id, SummaryOrder) },
  { additionalProperties: false },
);
export type NarrativeRules = Static<typeof NarrativeRulesSchema>;

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
