/** Facts: everything the extraction stage reads out of one document, each with its evidence. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';
import { ConfidenceSchema, EvidenceSchema } from './evidence.js';
import { RawIocSchema } from './ioc.js';


export const ORG_ROLES = ['victim', 'vendor', 'reporter', 'actor', 'responder', 'regulator', 'other'] as const;
export const OrgRoleSchema = Type.Union(ORG_ROLES.map((r) => Type.Literal(r)));
export type OrgRole = (typeof ORG_ROLES)[number];

/** How sure the rule that read a fact is of it: a strong pattern or a catalog match is high, a bare mention low. */
const Confidence = Type.Optional(ConfidenceSchema);

export const OrganisationSchema = Type.Object({ name: Type.String(), role: OrgRoleSchema, evidence: EvidenceSchema, confidence: Confidence });
/** A range of affected versions as the text writes it: "before 7.4.2" (to 7.4.2, exclusive), "7.0 through 7.4.1". */
export const VersionRangeSchema = Type.Object({
  text: Type.String({ description: 'The range as written.' }),
  from: Nullable(Type.String({ description: 'First affected version, when stated.' })),
  to: Nullable(Type.String({ description: 'Last version the range reaches, when stated.' })),
  toInclusive: Type.Boolean({ description: 'False for "before 7.4.2" and "prior to 7.4.2": that version is the fix.' }),
});
export const ProductSchema = Type.Object({
  name: Type.String(),
  vendor: Nullable(Type.String()),
  versions: Type.Array(Type.String()),
  ranges: Type.Optional(Type.Array(VersionRangeSchema)),
  evidence: EvidenceSchema,
  confidence: Confidence,
});
export const IdFactSchema = Type.Object({ id: Type.String(), evidence: EvidenceSchema });
export const CvssVectorFactSchema = Type.Object({
  vector: Type.String(),
  cve: Nullable(Type.String({ description: 'The CVE the vector is written next to, when one is.' })),
  evidence: EvidenceSchema,
});
/** A knowledge-base label that a rule matched (data type, status, sector, archetype signal). */
export const LabelFactSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  evidence: EvidenceSchema,
  matched: Type.Optional(Type.String({ description: 'The name as the text writes it, when it differs from the label (an alias).' })),
  confidence: Confidence,
});
export const DateFactSchema = Type.Object({
  date: Type.String({ description: 'YYYY-MM-DD' }),
  end: Nullable(Type.String({ description: 'YYYY-MM-DD when the fact is a window.' })),
  kind: Type.Union([
    Type.Literal('event-window'), Type.Literal('discovered'), Type.Literal('disclosed'), Type.Literal('mentioned'),
  ]),
  approximate: Type.Boolean({ description: 'True for "late March", "early 2026".' }),
  evidence: EvidenceSchema,
  confidence: Confidence,
});
export const DisruptionSchema = Type.Object({
  days: Nullable(Type.Number({ description: 'Stated duration in days, when stated.' })),
  evidence: EvidenceSchema,
});
export const ATTACK_REF_KINDS = ['group', 'software', 'campaign', 'tactic', 'mitigation', 'data-source', 'data-component', 'detection-strategy'] as const;
/** An ATT&CK object other than a technique, cited by its id (G0007, S0154, TA0001, M1032, DS0017, DC0001), with its catalog name. */
export const AttackRefSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union(ATTACK_REF_KINDS.map((k) => Type.Literal(k))),
  name: Nullable(Type.String({ description: "The catalog's name for the id, when the catalog knows it." })),
  evidence: EvidenceSchema,
  confidence: ConfidenceSchema,
});
export const COUNTRY_ROLES = ['victim', 'actor', 'location', 'mentioned'] as const;
/** A country named in the text (by name, short form or demonym) and the part the text gives it. */
export const CountryFactSchema = Type.Object({
  code: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' }),
  name: Type.String(),
  role: Type.Union(COUNTRY_ROLES.map((r) => Type.Literal(r)), {
    description: 'victim: targets or victims are there; actor: the attack is attributed to it; location: where something is or happened.',
  }),
  matched: Type.String({ description: 'The name, short form or demonym as written.' }),
  evidence: EvidenceSchema,
  confidence: ConfidenceSchema,
});
export const CountFactSchema = Type.Object({ value: Type.Integer(), evidence: EvidenceSchema });

export const FactsSchema = Type.Object(
  {
    organisations: Type.Array(OrganisationSchema),
    products: Type.Array(ProductSchema),
    cves: Type.Array(IdFactSchema),
    cwes: Type.Array(IdFactSchema),
    cvssVectors: Type.Array(CvssVectorFactSchema),
    attackIds: Type.Array(IdFactSchema),
    advisories: Type.Array(LabelFactSchema, { description: 'Advisory and catalog ids cited (CAPEC, GHSA, vendor advisories), with their issuer.' }),
    techniques: Type.Array(
      Type.Object({ id: Type.String(), evidence: EvidenceSchema }, { description: 'Techniques recognised from phrasing.' }),
    ),
    weaknesses: Type.Array(IdFactSchema, { description: 'CWE classes recognised from phrasing ("SQL injection").' }),
    iocs: Type.Array(RawIocSchema),
    dataTypes: Type.Array(LabelFactSchema),
    statuses: Type.Array(LabelFactSchema),
    sectors: Type.Array(LabelFactSchema),
    signals: Type.Array(LabelFactSchema, { description: 'Archetype signals matched by knowledge rules.' }),
    actors: Type.Array(LabelFactSchema, { description: 'Threat groups and malware named in the text.' }),
    attackRefs: Type.Optional(Type.Array(AttackRefSchema, { description: 'ATT&CK groups, software, tactics, mitigations and data sources cited by id.' })),
    countries: Type.Optional(Type.Array(CountryFactSchema, { description: 'Countries named, with their role.' })),
    dates: Type.Array(DateFactSchema),
    disruption: Nullable(DisruptionSchema),
    affectedCount: Nullable(CountFactSchema),
  },
  { $id: 'Facts' },
);
export type Facts = Static<typeof FactsSchema>;
export type Organisation = Static<typeof OrganisationSchema>;
export type Product = Static<typeof ProductSchema>;
export type IdFact = Static<typeof IdFactSchema>;
export type LabelFact = Static<typeof LabelFactSchema>;
export type DateFact = Static<typeof DateFactSchema>;
export type CvssVectorFact = Static<typeof CvssVectorFactSchema>;
export type VersionRange = Static<typeof VersionRangeSchema>;
export type AttackRef = Static<typeof AttackRefSchema>;
export type AttackRefKind = AttackRef['kind'];
export type CountryFact = Static<typeof CountryFactSchema>;
export type CountryRole = CountryFact['role'];
