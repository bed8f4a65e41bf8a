/** Facts: everything the extraction stage reads out of one document, each with its evidence. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';
import { EvidenceSchema } from './evidence.js';
import { RawIocSchema } from './ioc.js';


export const ORG_ROLES = ['victim', 'vendor', 'reporter', 'actor', 'responder', 'regulator', 'other'] as const;
export const OrgRoleSchema = Type.Union(ORG_ROLES.map((r) => Type.Literal(r)));
export type OrgRole = (typeof ORG_ROLES)[number];

export const OrganisationSchema = Type.Object({ name: Type.String(), role: OrgRoleSchema, evidence: EvidenceSchema });
export const ProductSchema = Type.Object({
  name: Type.String(),
  vendor: Nullable(Type.String()),
  versions: Type.Array(Type.String()),
  evidence: EvidenceSchema,
});
export const IdFactSchema = Type.Object({ id: Type.String(), evidence: EvidenceSchema });
export const CvssVectorFactSchema = Type.Object({
  vector: Type.String(),
  cve: Nullable(Type.String({ description: 'The CVE the vector is written next to, when one is.' })),
  evidence: EvidenceSchema,
});
/** A knowledge-base label that a rule matched (data type, status, sector, archetype signal). */
export const LabelFactSchema = Type.Object({ id: Type.String(), label: Type.String(), evidence: EvidenceSchema });
export const DateFactSchema = Type.Object({
  date: Type.String({ description: 'YYYY-MM-DD' }),
  end: Nullable(Type.String({ description: 'YYYY-MM-DD when the fact is a window.' })),
  kind: Type.Union([
    Type.Literal('event-window'), Type.Literal('discovered'), Type.Literal('disclosed'), Type.Literal('mentioned'),
  ]),
  approximate: Type.Boolean({ description: 'True for "late March", "early 2026".' }),
  evidence: EvidenceSchema,
});
export const DisruptionSchema = Type.Object({
  days: Nullable(Type.Number({ description: 'Stated duration in days, when stated.' })),
  evidence: EvidenceSchema,
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
