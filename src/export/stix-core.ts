/** The STIX 2.1 building blocks the exporter shares: object types, deterministic ids, canonical JSON and timestamps. */
import { v5 as uuidv5 } from 'uuid';

/** Any STIX object as exported: the common properties are typed, the rest is per object type. */
export interface StixObject {
  type: string;
  id: string;
  spec_version?: '2.1';
  created?: string;
  modified?: string;
  [property: string]: unknown;
}

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** STIX 2.1 section 2.9: every producer derives cyber-observable ids in this namespace, so the same value is one object everywhere. */
export const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * Vigil's namespace for its own SDO, SRO and bundle ids: uuidv5('urn:vigil:stix', the RFC 4122 URL namespace).
 * The specification forbids the SCO namespace for anything else; changing this one re-keys every object ever exported.
 */
export const VIGIL_NAMESPACE = 'f6ee798f-c26b-51ac-af4e-99f167429c1b';

/**
 * RFC 8785 canonical JSON for the values STIX objects hold: keys sorted by UTF-16 code units, no whitespace.
 * JSON.stringify already writes strings and numbers the way RFC 8785 requires.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonical JSON has no form for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonical JSON has no form for a ${typeof value}`);
}

/** A cyber-observable's id: UUIDv5 over the canonical JSON of its id-contributing properties (those present). */
export function scoId(type: string, contributing: Record<string, unknown>): string {
  return `${type}--${uuidv5(canonicalJson(contributing), SCO_NAMESPACE)}`;
}

/** An SDO, SRO or bundle id from a stable key, so re-exporting an item gives the same objects. */
export function vigilId(type: string, key: string): string {
  return `${type}--${uuidv5(`${type}|${key}`, VIGIL_NAMESPACE)}`;
}

/** STIX timestamps are RFC 3339 in UTC with milliseconds; a bare date is that day's midnight UTC. */
export function stixTimestamp(value: string): string {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${value}`);
  return new Date(ms).toISOString();
}
