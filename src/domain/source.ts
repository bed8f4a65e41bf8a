/** Source: a place Vigil reads from on a schedule (a feed, the KEV catalog, EPSS, NVD, CVE records, a page, a folder) and its health. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';

export const SOURCE_KINDS = ['feed', 'kev', 'epss', 'nvd', 'cve5', 'url', 'folder'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const SourceDefinitionSchema = Type.Object({
  name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Short stable name: lower case, digits, . _ -' }),
  kind: Type.Union(SOURCE_KINDS.map((k) => Type.Literal(k))),
  location: Type.String({ minLength: 1, description: 'An http(s) URL, or a local file or folder for folder, cve5, kev and epss sources.' }),
  title: Nullable(Type.String()),
  intervalMinutes: Type.Integer({ minimum: 5, maximum: 10080 }),
  enabled: Type.Boolean(),
  fetchArticles: Type.Boolean({ description: 'When an entry carries only a summary, fetch the article page and read its text.' }),
});
export type SourceDefinition = Static<typeof SourceDefinitionSchema>;

export const SourceHealthSchema = Type.Object({
  lastAttemptAt: Nullable(Type.String()),
  lastSuccessAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  lastErrorCode: Nullable(Type.String()),
  failures: Type.Integer({ description: 'Consecutive failed runs; drives the back-off.' }),
  entriesSeen: Type.Integer({ description: 'Entries (or records) in the last successful run.' }),
  lastNew: Type.Integer({ description: 'Documents or records added by the last successful run.' }),
  lastUpdated: Type.Integer({ description: 'Documents or records changed by the last successful run.' }),
  nextRunAt: Nullable(Type.String()),
  etag: Nullable(Type.String()),
  lastModified: Nullable(Type.String()),
  cursor: Nullable(Type.String({ description: 'Where an incremental source resumes (NVD: last modification time read).' })),
});
export type SourceHealth = Static<typeof SourceHealthSchema>;

export const SourceSchema = Type.Composite([SourceDefinitionSchema, Type.Object({ addedAt: Type.String(), health: SourceHealthSchema })]);
export type Source = Static<typeof SourceSchema>;

export const EMPTY_HEALTH: SourceHealth = Object.freeze({
  lastAttemptAt: null, lastSuccessAt: null, lastError: null, lastErrorCode: null, failures: 0, entriesSeen: 0, lastNew: 0,
  lastUpdated: 0, nextRunAt: null, etag: null, lastModified: null, cursor: null,
});
