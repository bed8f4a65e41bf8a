/** Indicators of compromise as extracted (raw) and as published on an item (with confidence and benign marking). */
import { type Static, Type } from '@sinclair/typebox';
import { ConfidenceSchema } from './evidence.js';

export const IOC_TYPES = [
  'ipv4', 'ipv6', 'cidr', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512', 'ssdeep',
  'file', 'path', 'registry', 'asn', 'btc', 'xmr', 'mac',
] as const;
export const IocTypeSchema = Type.Union(IOC_TYPES.map((t) => Type.Literal(t)));
export type IocType = (typeof IOC_TYPES)[number];

/** What the extractor finds: a normalised value and where it was. */
export const RawIocSchema = Type.Object({
  type: IocTypeSchema,
  value: Type.String({ description: 'Refanged, normalised value (lower-case host and hash).' }),
  raw: Type.String({ description: 'The text as written, possibly defanged.' }),
  start: Type.Integer({ minimum: 0 }),
  end: Type.Integer({ minimum: 0 }),
  defanged: Type.Boolean({ description: 'The author defanged it, a strong sign it is meant as an indicator.' }),
});
export type RawIoc = Static<typeof RawIocSchema>;

export const IocSchema = Type.Object({
  type: IocTypeSchema,
  value: Type.String(),
  display: Type.String({ description: 'Defanged form for display.' }),
  context: Type.String({ description: 'The sentence it appeared in.' }),
  confidence: ConfidenceSchema,
  rule: Type.String({ description: 'Why this confidence.' }),
  benign: Type.Boolean({ description: 'A benign reference (victim or outlet domain, reserved range): never exported as malicious.' }),
  benignReason: Type.Union([Type.String(), Type.Null()]),
  documentId: Type.Optional(Type.String({ description: 'The report the context sentence was read from, so the page can name its outlet.' })),
});
export type Ioc = Static<typeof IocSchema>;
