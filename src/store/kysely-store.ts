/** The Store over Kysely: the same typed queries on SQLite and PostgreSQL; engine differences live in the dialect and migrations only. */
import { randomUUID } from 'node:crypto';
import { type Kysely, Migrator, type RawBuilder, type Selectable, sql } from 'kysely';
import type { CveData, CveDataPatch } from '../domain/cve-data.js';
import type { Document, Item, Source, SourceDefinition, SourceHealth, TimelineEvent } from '../domain/index.js';
import { EMPTY_HEALTH, SEVERITIES } from '../domain/index.js';
import { type Engine, migrationProvider } from './migrations.js';
import { ReadMarks } from './read-marks.js';
import type { Database } from './schema.js';
import type { StoryFeatures } from '../cluster/features.js';
import type { CveChange, DocumentRevision, StoryCandidate, StoryConstraintKind, ItemSummary, ListQuery, SourceEntry, Store, StoredFacts, WriteResult } from './store.js';
import type { AlertDelivery, DeliveryFilter, DeliveryInput, DeliveryStatus, DeliveryUpdate } from './store.js';
import type { AlertSchedule, Watchlist } from '../domain/watchlist.js';
import type { ApiTokenRecord, SessionRecord, UserRecord, UserRole } from '../domain/user.js';
import { WorkQueries, moveWork } from './work-store.js';
import { AccountWrites } from './account-store.js';
import { compiledOnce } from './compiled-once.js';
import type { CatalogVersionRecord, ItemPageState } from './store.js';
import type { DailyCount, Facet, ListRow, SavedView, SearchQuery, SearchResult } from './store.js';
import { leadingLists, termConditions, termsWalkable, withDocItems, withSortKeys, wordDriver } from './search-plan.js';
import { searchTerms, splitTerms } from './search-query.js';
import { termKey } from './search-index.js';
import { indexItems } from './search-write.js';
import { SearchStats, countableWord } from './search-stats.js';

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`store: ${message}`, options);
    this.name = 'StoreError';
  }
}

/** An item's JSON without the time it was written: two enrichments that differ only in time are the same. */
function contentOf(item: Item): string {
  return JSON.stringify({ ...item, enrichment: { ...item.enrichment, enrichedAt: '' } });
}

function toDocument(row: Database['documents']): Document {
  return {
    id: row.id, contentHash: row.content_hash, title: row.title, outlet: row.outlet, url: row.url, published: row.published,
    format: row.format as Document['format'], text: row.text, origin: row.origin, example: row.example === 1,
  };
}

function toSource(row: Database['sources']): Source {
  return {
    name: row.name, kind: row.kind as Source['kind'], location: row.location, title: row.title, intervalMinutes: row.interval_minutes,
    enabled: row.enabled === 1, fetchArticles: row.fetch_articles === 1, addedAt: row.added_at,
    health: { ...EMPTY_HEALTH, ...JSON.parse(row.health) },
  };
}

/** An item's date for the list: its last report, else its first; '' when undated, so that both engines order nulls alike. */
const DATE_OF = sql<string>`coalesce(items.last_updated, items.first_reported, '')`;

/** Each filter of the list as its item_terms kind and the values it accepts (names compared by their term key). */
function filterLists(f: NonNullable<SearchQuery['filters']>) {
  return [['severity', f.severity], ['triage', f.triage], ['archetype', f.archetype], ['sector', f.sector],
    ['vendor', f.vendor?.map(termKey)], ['source', f.source?.map(termKey)], ['technique', f.technique]] as const;
}

/** One filter of the list: its item_terms kind and the values it accepts. */
interface FilterList { readonly kind: string; readonly values: readonly string[] }

/** The walk's sample (see #walkShare): this many items of the priority order, of which this share must match. */
const WALK_SAMPLE = 1000;
const WALK_SHARE = 0.03;
/** Gathering, a filter list with at least this many items is tested per candidate row rather than materialised (see #bigLists). */
const BIG_LIST = 5000;
/** A search term's index list shorter than this is gathered and sorted (a few milliseconds) rather than walked. */
const GATHER_MAX = 5000;
/** A walking word search whose sampled share of matches is under this counts from the word postings (see searchItems). */
const DRIVE_BELOW = 0.1;

/** Whether a list query has no condition at all: its page is the sort index's first rows, its count the first items of any index. */
function unconditioned(query: Pick<SearchQuery, 'q' | 'filters' | 'userId' | 'since'> & { searchRow?: boolean }): boolean {
  const f = query.filters ?? {};
  return !query.q && !query.searchRow && filterLists(f).every(([, v]) => !v || v.length === 0) && f.affectsUs === undefined && !f.from && !f.to
    && !(f.unread && query.userId) && !(f.onlyNew && query.since);
}

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD. */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Keeps IN lists well under every engine's bound on bound parameters. */
function chunks<T>(values: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

async function upsertCveData(db: Kysely<Database>, records: readonly CveData[], now: string): Promise<void> {
  for (const part of chunks(records)) {
    await db.insertInto('cve_data').values(part.map((r) => ({ cve: r.cve, data: JSON.stringify(r), updated_at: now })))
      .onConflict((oc) => oc.column('cve').doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }
}

function toDelivery(row: Selectable<Database['alert_deliveries']>): AlertDelivery {
  return {
    id: Number(row.id), watchlist: row.watchlist, itemId: row.item_id, channel: row.channel, schedule: row.schedule as AlertSchedule,
    severity: row.severity, status: row.status as DeliveryStatus, attempts: row.attempts, nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error, payload: JSON.parse(row.payload), createdAt: row.created_at, sentAt: row.sent_at,
  };
}

function sortFacets(rows: readonly { kind: string; value: string; label: unknown; n: unknown }[]): Facet[] {
  return rows.map((r) => ({ kind: r.kind, value: r.value, label: String(r.label), count: Number(r.n) }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || b.count - a.count || a.label.localeCompare(b.label));
}

/** The items row of an item: its JSON and the columns the list sorts and shows. */
function itemRow(item: Item, data: string, now: string) {
  return {
    title: item.title, severity: item.severity.level, severity_rank: SEVERITIES.indexOf(item.severity.level),
    priority: item.priority.value, triage: item.triage.level, archetype: item.archetype.id, archetype_label: item.archetype.label,
    organisation: item.facts.organisations.find((o) => o.role === 'victim')?.name ?? item.facts.organisations.find((o) => o.role === 'vendor')?.name ?? null,
    first_reported: item.firstReported, last_updated: item.lastUpdated, example: item.example ? 1 : 0,
    knowledge_version: item.enrichment.knowledgeVersion, data, updated_at: now, revision: randomUUID(),
  };
}

// An arbitrary constant naming Vigil's story lock among PostgreSQL advisory locks.
const STORY_LOCK = 7_301_946;

function toUser(row: Selectable<Database['users']>): UserRecord {
  return {
    id: row.id, name: row.name, role: row.role as UserRole, passwordHash: row.password_hash, createdAt: row.created_at,
    passwordChangedAt: row.password_changed_at,
  };
}

function toSession(row: Selectable<Database['sessions']>): SessionRecord {
  return { idHash: row.id_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at };
}

function toApiToken(row: Selectable<Database['api_tokens']>): ApiTokenRecord {
  return {
    id: row.id, userId: row.user_id, name: row.name, role: row.role as UserRole, tokenHash: row.token_hash, createdAt: row.created_at,
    lastUsedAt: row.last_used_at, expiresAt: row.expires_at,
  };
}

const USER_COLUMNS = ['users.id', 'users.name', 'users.role', 'users.password_hash', 'users.created_at', 'users.password_changed_at'] as const;

/**
 * SQLite answers `items.id = ?` by the primary key's index and then the row, where the revision lies after the large data column
 * (its overflow pages: 25 µs at full size); the planner prefers the unique index, so the hot read names the covering one.
 */
function revisionIndexOnSqlite(engine: Engine): (sql: string) => string {
  return (text) => {
    if (engine !== 'sqlite') return text;
    const hinted = text.replace('from "items" ', 'from "items" indexed by "items_revision" ');
    if (hinted === text) throw new Error(`no items table to hint in ${text}`);
    return hinted;
  };
}

/** One statement for the item page's hot path: the revision check, the work check and the kept page. */
const pageStateQuery = (db: Kysely<Database>, engine: Engine) => compiledOnce(db, (id: string, variant: string) => db.selectFrom('items')
  .leftJoin('item_pages as p', (j) => j.onRef('p.item_id', '=', 'items.id').on('p.variant', '=', variant))
  .select(['items.revision', 'p.revision as page_revision', 'p.body'])
  .select((eb) => eb.or((['step_states', 'evidence_register', 'technique_verdicts', 'ioc_verdicts'] as const)
    .map((t) => eb.exists(eb.selectFrom(t).select(sql`1`.as('one')).whereRef(`${t}.item_id`, '=', 'items.id')))).as('has_work'))
  .where('items.id', '=', id), 2, revisionIndexOnSqlite(engine));

/** A read mark on one stored item (a mark for an id merged away would break the foreign key), as each item page makes one. */
const readMarkQuery = (db: Kysely<Database>) => compiledOnce(db, (userId: string, itemId: string, now: string) => db.insertInto('item_reads')
  .columns(['user_id', 'item_id', 'read_at'])
  .expression(db.selectFrom('items').select([sql<string>`cast(${userId} as text)`.as('user_id'), 'items.id', sql<string>`cast(${now} as text)`.as('read_at')]).where('items.id', '=', itemId))
  .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet({ read_at: now })), 3);

/** Every signed-in request reads its session: compiled once. */
const sessionQuery = (db: Kysely<Database>) => compiledOnce(db, (idHash: string) => db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
  .select(['sessions.id_hash', 'sessions.user_id', 'sessions.created_at as session_created_at', 'sessions.expires_at', 'sessions.last_seen_at', ...USER_COLUMNS])
  .where('sessions.id_hash', '=', idHash), 1);

/**
 * A list page's rows by id, with the reader's read mark: compiled once per count of ids (a page holds at most a few hundred),
 * where building and compiling this join each request cost about as much as running it.
 */
const listRowsQuery = (db: Kysely<Database>) => {
  const build = (userId: string, ...ids: string[]) => db.selectFrom('items')
    .leftJoin('item_search as s', 's.item_id', 'items.id')
    .leftJoin('item_reads as r', (j) => j.onRef('r.item_id', '=', 'items.id').on('r.user_id', '=', userId))
    .select(['items.id', 'items.title', 'items.severity', 'items.priority', 'items.triage', 'items.archetype', 'items.archetype_label', 'items.organisation',
      'items.first_reported', 'items.last_updated', 'items.example', 's.changed_at', 'r.read_at'])
    .select((eb) => eb.selectFrom('item_terms').select('item_terms.label').whereRef('item_terms.item_id', '=', 'items.id').where('item_terms.kind', '=', 'sector').limit(1).as('sector_label'))
    .where('items.id', 'in', ids);
  const byCount = new Map<number, ReturnType<typeof compiledOnce<Database, string[], Awaited<ReturnType<ReturnType<typeof build>['execute']>>[number]>>>();
  return (userId: string, ids: readonly string[]) => {
    let run = byCount.get(ids.length);
    if (!run) byCount.set(ids.length, run = compiledOnce(db, build, 1 + ids.length));
    return run(userId, ...ids);
  };
};

/** Each signed-in list page records the visit: compiled once (see recordVisit). */
const visitQuery = (db: Kysely<Database>) => compiledOnce(db, (userId: string, now: string, cutoff: string) => db.insertInto('user_visits')
  .values({ user_id: userId, seen_at: now, previous_seen_at: null })
  .onConflict((oc) => oc.column('user_id').doUpdateSet((eb) => ({
    previous_seen_at: eb.case().when('user_visits.seen_at', '<=', cutoff).then(eb.ref('user_visits.seen_at')).else(eb.ref('user_visits.previous_seen_at')).end(),
    seen_at: now,
  })))
  .returning('previous_seen_at'), 3);

/** Each signed-in list page lists the reader's saved views: compiled once. */
const viewsQuery = (db: Kysely<Database>) => compiledOnce(db, (userId: string) => db.selectFrom('saved_views').selectAll().where('user_id', '=', userId).orderBy('name').orderBy('id'), 1);

export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #pageState: ReturnType<typeof pageStateQuery>;
  readonly #readMark: ReturnType<typeof readMarkQuery>;
  readonly #session: ReturnType<typeof sessionQuery>;
  readonly #listRows: ReturnType<typeof listRowsQuery>;
  readonly #visit: ReturnType<typeof visitQuery>;
  readonly #views: ReturnType<typeof viewsQuery>;
  readonly #marks = new ReadMarks((userId, itemIds, at) => this.#markReadNow(userId, itemIds, at));
  readonly #engine: Engine;
  /** What the search plan weighs terms and filters by on SQLite (src/store/search-stats.ts). */
  readonly #stats: SearchStats;

  #storyQueue: Promise<unknown> = Promise.resolve();
  /** The team's work on items (src/store/work-store.ts); the methods below delegate to it. */
  readonly work: WorkQueries;
  /** Account and token writes (src/store/account-store.ts), audited. */
  readonly accounts: AccountWrites;

  constructor(db: Kysely<Database>, engine: Engine) {
    this.#db = db;
    this.#engine = engine;
    this.#stats = new SearchStats(db);
    this.#pageState = pageStateQuery(db, engine);
    this.#readMark = readMarkQuery(db);
    this.#session = sessionQuery(db);
    this.#listRows = listRowsQuery(db);
    this.#visit = visitQuery(db);
    this.#views = viewsQuery(db);
    this.work = new WorkQueries(db, engine);
    this.accounts = new AccountWrites(db, engine);
  }

  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({ db: this.#db, provider: migrationProvider(this.#engine) }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error) throw new StoreError(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }

  async saveDocument(document: Document, now: string): Promise<WriteResult> {
    const existing = await this.#db.selectFrom('documents').select(['content_hash', 'title', 'published', 'text']).where('id', '=', document.id).executeTakeFirst();
    if (existing?.content_hash === document.contentHash) return 'unchanged';
    const row = {
      content_hash: document.contentHash, title: document.title, outlet: document.outlet, url: document.url,
      published: document.published, format: document.format, origin: document.origin, example: document.example ? 1 : 0,
      text: document.text, updated_at: now,
    };
    if (existing) {
      await this.#db.transaction().execute(async (tx) => {
        // An edited article keeps what it said before: the previous text becomes a revision.
        await tx.insertInto('document_revisions').values({
          document_id: document.id, content_hash: existing.content_hash, title: existing.title, published: existing.published,
          text: existing.text, replaced_at: now,
        }).execute();
        await tx.updateTable('documents').set(row).where('id', '=', document.id).execute();
      });
      return 'updated';
    }
    await this.#db.insertInto('documents').values({ id: document.id, ingested_at: now, ...row }).execute();
    return 'inserted';
  }

  async getDocument(id: string): Promise<Document | null> {
    const row = await this.#db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDocument(row) : null;
  }

  async saveFacts(documentId: string, stored: StoredFacts): Promise<void> {
    const values = { content_hash: stored.contentHash, knowledge_version: stored.knowledgeVersion, data: JSON.stringify(stored.facts) };
    await this.#db
      .insertInto('facts')
      .values({ document_id: documentId, ...values })
      .onConflict((oc) => oc.column('document_id').doUpdateSet(values))
      .execute();
  }

  async getFacts(documentId: string): Promise<StoredFacts | null> {
    const row = await this.#db.selectFrom('facts').selectAll().where('document_id', '=', documentId).executeTakeFirst();
    return row ? { contentHash: row.content_hash, knowledgeVersion: row.knowledge_version, facts: JSON.parse(row.data) } : null;
  }

  async saveItem(item: Item, documentIds: readonly string[], now: string): Promise<WriteResult> {
    return this.#db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('items').select(['data']).where('id', '=', item.id).executeTakeFirst();
      if (existing && contentOf(JSON.parse(existing.data)) === contentOf(item)) return 'unchanged';
      const data = JSON.stringify(item);
      const row = itemRow(item, data, now);
      if (existing) await tx.updateTable('items').set(row).where('id', '=', item.id).execute();
      else await tx.insertInto('items').values({ id: item.id, ...row }).execute();
      await tx.deleteFrom('item_cves').where('item_id', '=', item.id).execute();
      const cves = [...new Set(item.facts.cves.map((c) => c.id))];
      if (cves.length > 0) await tx.insertInto('item_cves').values(cves.map((cve) => ({ item_id: item.id, cve }))).execute();
      await indexItems(tx, [item], now);
      for (const documentId of documentIds) {
        await tx.insertInto('item_documents').values({ item_id: item.id, document_id: documentId })
          .onConflict((oc) => oc.columns(['item_id', 'document_id']).doNothing()).execute();
      }
      await tx.insertInto('enrichments').values({
        item_id: item.id, knowledge_version: item.enrichment.knowledgeVersion, pipeline_version: item.enrichment.pipelineVersion,
        created_at: now, data,
      }).execute();
      return existing ? 'updated' : 'inserted';
    });
  }

  async getItem(id: string): Promise<Item | null> {
    const row = await this.#db.selectFrom('items').select(['data']).where('id', '=', id).executeTakeFirst();
    return row ? (JSON.parse(row.data) as Item) : null;
  }

  async itemRevision(id: string): Promise<string | null> {
    const row = await this.#db.selectFrom('items').select('revision').where('id', '=', id).executeTakeFirst();
    return row?.revision ?? null;
  }

  async itemDocuments(itemId: string): Promise<Document[]> {
    const rows = await this.#db
      .selectFrom('item_documents')
      .innerJoin('documents', 'documents.id', 'item_documents.document_id')
      .selectAll('documents')
      .where('item_documents.item_id', '=', itemId)
      .orderBy('documents.published')
      .orderBy('documents.id')
      .execute();
    return rows.map(toDocument);
  }

  async listItems(query: ListQuery): Promise<ItemSummary[]> {
    const rows = await this.#db
      .selectFrom('items')
      .select(['id', 'title', 'severity', 'priority', 'triage', 'archetype', 'archetype_label', 'organisation', 'first_reported', 'last_updated', 'example'])
      .orderBy('priority', 'desc')
      .orderBy('last_updated', 'desc')
      .orderBy('id')
      .limit(query.limit)
      .offset(query.offset)
      .execute();
    return rows.map((r) => ({
      id: r.id, title: r.title, severity: r.severity, priority: r.priority, triage: r.triage, archetype: r.archetype,
      archetypeLabel: r.archetype_label, organisation: r.organisation, firstReported: r.first_reported, lastUpdated: r.last_updated,
      example: r.example === 1,
    }));
  }

  async countItems(): Promise<number> {
    const row = await this.#db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async itemIds(): Promise<string[]> {
    return (await this.#db.selectFrom('items').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  async enrichmentCount(itemId: string): Promise<number> {
    const row = await this.#db.selectFrom('enrichments').select((eb) => eb.fn.countAll<number>().as('n')).where('item_id', '=', itemId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async saveCatalog(name: string, version: string, data: unknown, now: string): Promise<void> {
    const values = { version, imported_at: now, data: JSON.stringify(data) };
    await this.#db.insertInto('catalogs').values({ name, ...values }).onConflict((oc) => oc.column('name').doUpdateSet(values)).execute();
  }

  async loadCatalogs(except: readonly string[] = []): Promise<{ name: string; version: string; data: unknown }[]> {
    let q = this.#db.selectFrom('catalogs').selectAll().orderBy('name');
    if (except.length > 0) q = q.where('name', 'not in', [...except]);
    const rows = await q.execute();
    return rows.map((r) => ({ name: r.name, version: r.version, data: JSON.parse(r.data) }));
  }

  async loadCatalog(name: string): Promise<{ name: string; version: string; data: unknown } | null> {
    const r = await this.#db.selectFrom('catalogs').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? { name: r.name, version: r.version, data: JSON.parse(r.data) } : null;
  }

  async recordCatalogVersion(record: CatalogVersionRecord): Promise<void> {
    await this.#db.insertInto('catalog_versions').values({
      name: record.name, version: record.version, imported_at: record.importedAt, entries: record.entries, files: JSON.stringify(record.files),
    }).execute();
  }

  async catalogHistory(name?: string): Promise<CatalogVersionRecord[]> {
    let q = this.#db.selectFrom('catalog_versions').selectAll().orderBy('id', 'desc');
    if (name !== undefined) q = q.where('name', '=', name);
    return (await q.execute()).map((r) => ({ name: r.name, version: r.version, importedAt: r.imported_at, entries: Number(r.entries), files: JSON.parse(r.files) }));
  }

  async catalogVersions(): Promise<Record<string, string>> {
    const rows = await this.#db.selectFrom('catalogs').select(['name', 'version']).orderBy('name').execute();
    return Object.fromEntries(rows.map((r) => [r.name, r.version]));
  }

  async documentRevisions(documentId: string): Promise<DocumentRevision[]> {
    const rows = await this.#db.selectFrom('document_revisions').selectAll().where('document_id', '=', documentId).orderBy('id').execute();
    return rows.map((r) => ({ contentHash: r.content_hash, title: r.title, published: r.published, text: r.text, replacedAt: r.replaced_at }));
  }

  async listSources(): Promise<Source[]> {
    return (await this.#db.selectFrom('sources').selectAll().orderBy('name').execute()).map(toSource);
  }

  async getSource(name: string): Promise<Source | null> {
    const row = await this.#db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toSource(row) : null;
  }

  async saveSource(d: SourceDefinition, now: string): Promise<WriteResult> {
    const values = {
      kind: d.kind, location: d.location, title: d.title, interval_minutes: d.intervalMinutes, enabled: d.enabled ? 1 : 0,
      fetch_articles: d.fetchArticles ? 1 : 0,
    };
    const existing = await this.getSource(d.name);
    if (!existing) {
      await this.#db.insertInto('sources').values({ name: d.name, ...values, added_at: now, health: JSON.stringify(EMPTY_HEALTH), next_run_at: null, lease_until: null }).execute();
      return 'inserted';
    }
    const same = existing.kind === d.kind && existing.location === d.location && existing.title === d.title
      && existing.intervalMinutes === d.intervalMinutes && existing.enabled === d.enabled && existing.fetchArticles === d.fetchArticles;
    if (same) return 'unchanged';
    await this.#db.updateTable('sources').set(values).where('name', '=', d.name).execute();
    return 'updated';
  }

  async removeSource(name: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('sources').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async saveSourceHealth(name: string, health: SourceHealth): Promise<void> {
    await this.#db.updateTable('sources').set({ health: JSON.stringify(health), next_run_at: health.nextRunAt }).where('name', '=', name).execute();
  }

  async claimSource(name: string, now: string, leaseUntil: string): Promise<boolean> {
    const r = await this.#db.updateTable('sources').set({ lease_until: leaseUntil })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async releaseSource(name: string): Promise<void> {
    await this.#db.updateTable('sources').set({ lease_until: null }).where('name', '=', name).execute();
  }

  async getSourceEntry(source: string, entryKey: string): Promise<SourceEntry | null> {
    const row = await this.#db.selectFrom('source_entries').select(['entry_hash', 'document_id'])
      .where('source', '=', source).where('entry_key', '=', entryKey).executeTakeFirst();
    return row ? { entryHash: row.entry_hash, documentId: row.document_id } : null;
  }

  async saveSourceEntry(source: string, entryKey: string, entry: SourceEntry, now: string): Promise<void> {
    const values = { entry_hash: entry.entryHash, document_id: entry.documentId, last_changed: now };
    await this.#db.insertInto('source_entries').values({ source, entry_key: entryKey, first_seen: now, ...values })
      .onConflict((oc) => oc.columns(['source', 'entry_key']).doUpdateSet(values)).execute();
  }

  async getCveData(cves: readonly string[]): Promise<Map<string, CveData>> {
    const out = new Map<string, CveData>();
    for (const part of chunks([...new Set(cves)])) {
      const rows = await this.#db.selectFrom('cve_data').select(['cve', 'data']).where('cve', 'in', part).execute();
      for (const r of rows) out.set(r.cve, JSON.parse(r.data));
    }
    return out;
  }

  async saveCveData(records: readonly CveData[], now: string): Promise<void> {
    await this.#db.transaction().execute((tx) => upsertCveData(tx, records, now));
  }

  async mergeCveData(patches: readonly CveDataPatch[], merge: (before: CveData | null, patch: CveDataPatch) => CveData, now: string): Promise<CveChange[]> {
    return this.#db.transaction().execute(async (tx) => {
      const cves = [...new Set(patches.map((p) => p.cve))];
      const current = new Map<string, CveData>();
      for (const part of chunks(cves)) {
        const q = tx.selectFrom('cve_data').select(['cve', 'data']).where('cve', 'in', part);
        // SQLite has one writer at a time already; PostgreSQL needs the rows locked against a concurrent merge.
        for (const r of await (this.#engine === 'postgres' ? q.forUpdate() : q).execute()) current.set(r.cve, JSON.parse(r.data));
      }
      const changes: CveChange[] = [];
      const writes = new Map<string, CveData>();
      for (const patch of patches) {
        const before = current.get(patch.cve) ?? null;
        const after = merge(before, patch);
        const written = !before || JSON.stringify(before) !== JSON.stringify(after);
        if (written) writes.set(after.cve, after);
        current.set(after.cve, after);
        changes.push({ before, after, written });
      }
      await upsertCveData(tx, [...writes.values()], now);
      return changes;
    });
  }

  async itemsCiting(cves: readonly string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const part of chunks([...new Set(cves)])) {
      for (const r of await this.#db.selectFrom('item_cves').select('item_id').where('cve', 'in', part).execute()) ids.add(r.item_id);
    }
    return [...ids].sort();
  }

  async saveStoryFeatures(features: StoryFeatures, keys: readonly string[]): Promise<void> {
    const id = features.documentId;
    await this.#db.transaction().execute(async (tx) => {
      const data = JSON.stringify(features);
      await tx.insertInto('story_features').values({ document_id: id, published: features.published, data })
        .onConflict((oc) => oc.column('document_id').doUpdateSet({ published: features.published, data })).execute();
      await tx.deleteFrom('story_keys').where('document_id', '=', id).execute();
      const unique = [...new Set(keys)];
      for (const part of chunks(unique)) {
        await tx.insertInto('story_keys').values(part.map((key) => ({ key, document_id: id, published: features.published }))).execute();
      }
    });
  }

  async storyCandidates(keys: readonly string[], from: string, to: string, limit: number): Promise<StoryCandidate[]> {
    const out = new Map<string, StoryCandidate>();
    for (const part of chunks([...new Set(keys)])) {
      const rows = await this.#db
        .selectFrom('story_keys')
        .innerJoin('story_features', 'story_features.document_id', 'story_keys.document_id')
        .innerJoin('item_documents', 'item_documents.document_id', 'story_keys.document_id')
        .select(['story_features.data', 'item_documents.item_id'])
        .distinct()
        .where('story_keys.key', 'in', part)
        .where((eb) => eb.or([eb('story_keys.published', 'is', null), eb.between('story_keys.published', from, to)]))
        .orderBy('item_documents.item_id')
        .limit(limit)
        .execute();
      for (const r of rows) {
        const features = JSON.parse(r.data) as StoryFeatures;
        if (out.size < limit) out.set(features.documentId, { features, itemId: r.item_id });
      }
    }
    return [...out.values()];
  }

  async documentItem(documentId: string): Promise<string | null> {
    const row = await this.#db.selectFrom('item_documents').select('item_id').where('document_id', '=', documentId).orderBy('item_id').executeTakeFirst();
    return row?.item_id ?? null;
  }

  withStoryLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      if (this.#engine !== 'postgres') return fn();
      // A session lock on one pinned connection, held while fn works through the pool: other workers wait for it.
      return this.#db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${STORY_LOCK})`.execute(conn);
        try {
          return await fn();
        } finally {
          await sql`select pg_advisory_unlock(${STORY_LOCK})`.execute(conn);
        }
      });
    };
    const next = this.#storyQueue.then(run, run);
    this.#storyQueue = next.catch(() => undefined);
    return next;
  }

  async linkDocument(itemId: string, documentId: string): Promise<void> {
    await this.#db.insertInto('item_documents').values({ item_id: itemId, document_id: documentId })
      .onConflict((oc) => oc.columns(['item_id', 'document_id']).doNothing()).execute();
  }

  async mergeItems(from: string, to: string): Promise<void> {
    if (from === to) return;
    await this.#db.transaction().execute(async (tx) => {
      const docs = await tx.selectFrom('item_documents').select('document_id').where('item_id', '=', from).execute();
      for (const d of docs) {
        await tx.insertInto('item_documents').values({ item_id: to, document_id: d.document_id })
          .onConflict((oc) => oc.columns(['item_id', 'document_id']).doNothing()).execute();
      }
      await tx.updateTable('item_events').set({ item_id: to }).where('item_id', '=', from).execute();
      await tx.updateTable('enrichments').set({ item_id: to }).where('item_id', '=', from).execute();
      await moveWork(tx, from, to);
      await tx.deleteFrom('items').where('id', '=', from).execute();
      await tx.updateTable('item_redirects').set({ to_id: to }).where('to_id', '=', from).execute();
      await tx.insertInto('item_redirects').values({ from_id: from, to_id: to })
        .onConflict((oc) => oc.column('from_id').doUpdateSet({ to_id: to })).execute();
    });
  }

  async removeItemDocument(itemId: string, documentId: string): Promise<void> {
    await this.#db.deleteFrom('item_documents').where('item_id', '=', itemId).where('document_id', '=', documentId).execute();
  }

  async resolveItemId(id: string): Promise<string> {
    const row = await this.#db.selectFrom('item_redirects').select('to_id').where('from_id', '=', id).executeTakeFirst();
    return row?.to_id ?? id;
  }

  async addItemEvent(itemId: string, event: TimelineEvent): Promise<void> {
    await this.#db.insertInto('item_events').values({ item_id: itemId, at: event.at, data: JSON.stringify(event) }).execute();
  }

  async itemEvents(itemId: string): Promise<TimelineEvent[]> {
    const rows = await this.#db.selectFrom('item_events').select('data').where('item_id', '=', itemId).orderBy('at').orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.data));
  }

  async addStoryConstraint(documentId: string, itemId: string, kind: StoryConstraintKind, at: string): Promise<void> {
    await this.#db.insertInto('story_constraints').values({ document_id: documentId, item_id: itemId, kind, at })
      .onConflict((oc) => oc.columns(['document_id', 'item_id', 'kind']).doNothing()).execute();
  }

  async storyConstraints(documentIds: readonly string[]): Promise<{ documentId: string; itemId: string; kind: StoryConstraintKind }[]> {
    const out: { documentId: string; itemId: string; kind: StoryConstraintKind }[] = [];
    for (const part of chunks([...new Set(documentIds)])) {
      const rows = await this.#db.selectFrom('story_constraints').selectAll().where('document_id', 'in', part).execute();
      out.push(...rows.map((r) => ({ documentId: r.document_id, itemId: r.item_id, kind: r.kind as StoryConstraintKind })));
    }
    return out;
  }

  async itemsWrittenAfter(after: string | null, limit: number): Promise<{ item: Item; writtenAt: string }[]> {
    let q = this.#db.selectFrom('items').select(['data', 'updated_at']);
    if (after) q = q.where('updated_at', '>', after);
    const rows = await q.orderBy('updated_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ item: JSON.parse(r.data) as Item, writtenAt: r.updated_at }));
  }

  async saveWatchlist(watchlist: Watchlist, now: string): Promise<WriteResult> {
    const data = JSON.stringify(watchlist);
    const existing = await this.#db.selectFrom('watchlists').select('data').where('name', '=', watchlist.name).executeTakeFirst();
    if (existing?.data === data) return 'unchanged';
    if (existing) await this.#db.updateTable('watchlists').set({ data }).where('name', '=', watchlist.name).execute();
    else await this.#db.insertInto('watchlists').values({ name: watchlist.name, data, created_at: now }).execute();
    return existing ? 'updated' : 'inserted';
  }

  async listWatchlists(): Promise<Watchlist[]> {
    return (await this.#db.selectFrom('watchlists').select('data').orderBy('name').execute()).map((r) => JSON.parse(r.data) as Watchlist);
  }

  async removeWatchlist(name: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('watchlists').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async enqueueDelivery(d: DeliveryInput, now: string): Promise<WriteResult> {
    const fresh = {
      schedule: d.schedule, severity: d.severity, status: 'pending', attempts: 0, next_attempt_at: d.nextAttemptAt, last_error: null,
      payload: JSON.stringify(d.payload), sent_at: null,
    };
    return this.#db.transaction().execute(async (tx) => {
      const inserted = await tx.insertInto('alert_deliveries')
        .values({ watchlist: d.watchlist, item_id: d.itemId, channel: d.channel, created_at: now, ...fresh })
        .onConflict((oc) => oc.columns(['watchlist', 'item_id', 'channel']).doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return 'inserted';
      const existing = await tx.selectFrom('alert_deliveries').select(['id', 'severity']).where('watchlist', '=', d.watchlist)
        .where('item_id', '=', d.itemId).where('channel', '=', d.channel).executeTakeFirstOrThrow();
      const rank = (s: string) => { const i = SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]); return i < 0 ? SEVERITIES.length : i; };
      // SEVERITIES runs from the most severe down: only a move to a smaller index is a rise worth a second alert.
      if (rank(d.severity) >= rank(existing.severity)) return 'unchanged';
      await tx.updateTable('alert_deliveries').set(fresh).where('id', '=', existing.id).execute();
      return 'updated';
    });
  }

  async dueDeliveries(now: string, limit: number, options: { digest?: boolean; leaseUntil?: string } = {}): Promise<AlertDelivery[]> {
    return this.#db.transaction().execute(async (tx) => {
      let q = tx.selectFrom('alert_deliveries').selectAll()
        .where('status', 'in', ['pending', 'failed']).where('next_attempt_at', '<=', now)
        .where('schedule', options.digest ? '!=' : '=', 'immediate')
        .orderBy('next_attempt_at').orderBy('id').limit(limit);
      // Two PostgreSQL workers each take different rows; SQLite has a single writer already.
      if (this.#engine === 'postgres' && options.leaseUntil) q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (options.leaseUntil && rows.length > 0) {
        await tx.updateTable('alert_deliveries').set({ next_attempt_at: options.leaseUntil }).where('id', 'in', rows.map((r) => r.id)).execute();
      }
      return rows.map(toDelivery);
    });
  }

  async markDelivery(id: number, u: DeliveryUpdate): Promise<void> {
    await this.#db.updateTable('alert_deliveries').set({
      status: u.status, attempts: u.attempts, next_attempt_at: u.nextAttemptAt, last_error: u.lastError, sent_at: u.sentAt,
    }).where('id', '=', id).execute();
  }

  async listDeliveries(filter: DeliveryFilter): Promise<AlertDelivery[]> {
    let q = this.#db.selectFrom('alert_deliveries').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.watchlist) q = q.where('watchlist', '=', filter.watchlist);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
    return rows.map(toDelivery);
  }

  async countUsers(): Promise<number> {
    const row = await this.#db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async getUserByName(name: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.#db.selectFrom('users').selectAll().orderBy('name').execute()).map(toUser);
  }

  async saveSession(session: SessionRecord): Promise<void> {
    await this.#db.insertInto('sessions').values({
      id_hash: session.idHash, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt, last_seen_at: session.lastSeenAt,
    }).execute();
  }

  async getSession(idHash: string): Promise<{ session: SessionRecord; user: UserRecord } | null> {
    const [row] = await this.#session(idHash);
    if (!row) return null;
    return { session: toSession({ ...row, created_at: row.session_created_at }), user: toUser(row) };
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    await this.#db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id_hash', '=', idHash).execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteSessions(filter: { userId: string } | { expiredBefore: string }): Promise<number> {
    const q = this.#db.deleteFrom('sessions');
    const r = await ('userId' in filter ? q.where('user_id', '=', filter.userId) : q.where('expires_at', '<', filter.expiredBefore)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async getApiToken(tokenHash: string): Promise<{ token: ApiTokenRecord; user: UserRecord } | null> {
    const row = await this.#db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select([
        'api_tokens.id as token_id', 'api_tokens.user_id', 'api_tokens.name as token_name', 'api_tokens.role as token_role', 'api_tokens.token_hash',
        'api_tokens.created_at as token_created_at', 'api_tokens.last_used_at', 'api_tokens.expires_at', ...USER_COLUMNS,
      ])
      .where('api_tokens.token_hash', '=', tokenHash).executeTakeFirst();
    if (!row) return null;
    const token = toApiToken({
      id: row.token_id, user_id: row.user_id, name: row.token_name, role: row.token_role, token_hash: row.token_hash, created_at: row.token_created_at,
      last_used_at: row.last_used_at, expires_at: row.expires_at,
    });
    return { token, user: toUser(row) };
  }

  async listApiTokens(userId?: string): Promise<ApiTokenRecord[]> {
    let q = this.#db.selectFrom('api_tokens').selectAll();
    if (userId) q = q.where('user_id', '=', userId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(toApiToken);
  }

  async touchApiToken(id: string, lastUsedAt: string): Promise<void> {
    await this.#db.updateTable('api_tokens').set({ last_used_at: lastUsedAt }).where('id', '=', id).execute();
  }

  createUser: Store['createUser'] = (user, options) => this.accounts.createUser(user, options);
  updateUser: Store['updateUser'] = (id, patch, options) => this.accounts.updateUser(id, patch, options);
  removeUser: Store['removeUser'] = (id, options) => this.accounts.removeUser(id, options);
  saveApiToken: Store['saveApiToken'] = (token, options) => this.accounts.saveApiToken(token, options);
  revokeApiToken: Store['revokeApiToken'] = (id, options) => this.accounts.revokeApiToken(id, options);
  itemWork: Store['itemWork'] = (itemId) => this.work.itemWork(itemId);
  updateStep: Store['updateStep'] = (itemId, stepKey, change, who) => this.work.updateStep(itemId, stepKey, change, who);
  addEvidence: Store['addEvidence'] = (itemId, input, who) => this.work.addEvidence(itemId, input, who);
  listEvidence: Store['listEvidence'] = (itemId) => this.work.listEvidence(itemId);
  setTechniqueVerdict: Store['setTechniqueVerdict'] = (itemId, id, verdict, reason, who) => this.work.setTechniqueVerdict(itemId, id, verdict, reason, who);
  setIocVerdict: Store['setIocVerdict'] = (itemId, type, value, verdict, reason, fp, who) => this.work.setIocVerdict(itemId, type, value, verdict, reason, fp, who);
  falsePositives: Store['falsePositives'] = () => this.work.falsePositives();
  removeFalsePositive: Store['removeFalsePositive'] = (type, value, who) => this.work.removeFalsePositive(type, value, who);
  auditLog: Store['auditLog'] = (query) => this.work.auditLog(query);
  /**
   * Every list query's FROM and WHERE, over `items` alone: search terms, read state and "new" are one subquery on item_search,
   * so a list without them never touches the search table, and the ids, sort keys and filters all come from covering indexes.
   * `walkOrder` (SQLite, see #walkShare) tests each row the sort index yields instead: every condition is a correlated lookup,
   * and terms are read with LIKE, so no list of matches is ever built.
   */
  #filtered(query: Pick<SearchQuery, 'q' | 'filters' | 'userId' | 'since'> & { searchRow?: boolean }, walkOrder = false, tested: ReadonlySet<string> = new Set(), words: string | null = null, drive: FilterList | null = null, sortIndex = false) {
    const f = query.filters ?? {};
    const userId = query.userId ?? null;
    const since = query.since ?? null;
    const plan = termConditions(this.#engine, query.q, walkOrder, words !== null);
    let base = this.#db.selectFrom('items');
    // Driven by the word postings (SQLite, see wordDriver): each row they yield is tested as a walk tests it.
    if (words !== null) {
      base = this.#db.selectFrom('item_words as w').innerJoin('item_search as d', 'd.id', 'w.rowid').innerJoin('items', 'items.id', 'd.item_id')
        .where(sql<boolean>`item_words match ${words}`) as unknown as typeof base;
    }
    // Driven by one filter's entries in item_terms' primary key (see #driveList): each item it yields is tested as a walk
    // tests it, and that filter is the join itself.
    if (drive !== null) {
      base = this.#db.selectFrom('item_terms as drv').innerJoin('items', 'items.id', 'drv.item_id')
        .where('drv.kind', '=', drive.kind).where('drv.value', 'in', [...drive.values]) as unknown as typeof base;
    }
    const unread = !!(f.unread && userId);
    const onlyNew = !!(f.onlyNew && since);
    let searched: ((b: typeof base) => typeof base) | null = null;
    if (plan.conditions.length > 0 || unread || onlyNew || query.searchRow) {
      let s = this.#db.selectFrom('item_search as s')
        .leftJoin('item_reads as r', (j) => j.onRef('r.item_id', '=', 's.item_id').on('r.user_id', '=', userId ?? ''))
        .select('s.item_id');
      for (const c of plan.conditions) s = s.where(c);
      if (unread) s = s.where((eb) => eb.or([eb('r.read_at', 'is', null), eb('r.read_at', '<', eb.ref('s.changed_at'))]));
      if (onlyNew) s = s.where('s.changed_at', '>', since!);
      // A search row alone (its words dropped, see #everywhere) is one probe per item, never a list of every row.
      const probe = walkOrder || (plan.conditions.length === 0 && !unread && !onlyNew);
      searched = probe ? (b) => b.where((eb) => eb.exists(s.where(sql<boolean>`s.item_id = items.id`))) : (b) => b.where('items.id', 'in', s);
      // Walking, the text is tested last: a filter's index lookup is cheaper than reading the row's search text.
      if (!walkOrder) base = searched(base);
    }
    // With search terms on SQLite, the FTS rows drive the query and each filter is a lookup in its materialised list (`+` keeps
    // SQLite from pairing the two lists on item_search's index, which costs their product); otherwise the filter lists drive it.
    const itemId = plan.indexLeads ? sql<string>`+items.id` : sql<string>`items.id`;
    const having = (kind: string, values: readonly string[], yes: boolean) => {
      const t = this.#db.selectFrom('item_terms').where('item_terms.kind', '=', kind).where('item_terms.value', 'in', [...values]);
      if (!walkOrder && !tested.has(kind)) base = base.where(itemId, yes ? 'in' : 'not in', t.select('item_terms.item_id'));
      // Walking the sort index (`sortIndex`), severity and triage are read from its entry (migration 0012_list_filter_columns):
      // the item's one value of each, the same its terms hold. Reached by id instead (a sample, a driven count), the item's
      // row would be read for them: there the lookup in item_terms is cheaper.
      else if (walkOrder && sortIndex && (kind === 'severity' || kind === 'triage')) base = base.where(`items.${kind}`, yes ? 'in' : 'not in', [...values]);
      else {
        const row = t.select(sql<number>`1`.as('one')).where(sql<boolean>`item_terms.item_id = items.id`);
        base = base.where((eb) => (yes ? eb.exists(row) : eb.not(eb.exists(row))));
      }
    };
    for (const [kind, values] of filterLists(f)) if (values && values.length > 0 && kind !== drive?.kind) having(kind, values, true);
    if (f.affectsUs !== undefined) having('affects', ['yes'], f.affectsUs);
    if (f.from) base = base.where(DATE_OF, '>=', f.from);
    // Dates are ISO strings, some with a time: everything before the next day is on or before `to`.
    if (f.to) base = base.where(DATE_OF, '<', nextDay(f.to));
    return walkOrder && searched ? searched(base) : base;
  }

  /**
   * Whether this SQLite query should walk its sort index, testing each row, rather than gather and sort every match: when a
   * large share of the items match (HIGH is a quarter of them, "breach" may be in all), a page and a count bounded at 1,000
   * are found within a few thousand rows, where gathering them costs every match. The share is read off a sample: the first
   * rows of the priority order. Terms outside ASCII stay with FTS, whose case folding LIKE does not share. Returns the sampled
   * share of matches when the query walks, else null.
   */
  async #walkShare(query: Pick<SearchQuery, 'q' | 'filters' | 'userId' | 'since'>): Promise<number | null> {
    if (this.#engine !== 'sqlite') return null;
    const { tokens, terms } = splitTerms(query.q);
    const lists = filterLists(query.filters ?? {}).filter(([, v]) => v && v.length > 0);
    if (tokens.length === 0 && terms.length === 0 && lists.length === 0 && query.filters?.affectsUs === undefined) return null;
    if (!termsWalkable(query.q)) return null;
    // A term whose index list is short (a CVE, a rare word) gathers: reading at most GATHER_MAX postings says so, where the
    // sample below tests a thousand rows.
    const postings = async (list: RawBuilder<unknown>) =>
      Number((await sql<{ n: number }>`select count(*) as n from (${list} limit ${GATHER_MAX}) as l`.execute(this.#db)).rows[0].n);
    for (const { list, within } of leadingLists(query.q)) {
      if (within && (await postings(within)) >= GATHER_MAX) continue;
      if ((await postings(list)) < GATHER_MAX) return null;
    }
    const kept = await this.#keptShare(query);
    if (kept !== null) return kept > 0 && kept >= WALK_SHARE ? kept : null;
    const sample = this.#db.selectFrom('items').select('items.id').orderBy('items.priority', 'desc').limit(WALK_SAMPLE);
    // Only whether the share reaches WALK_SHARE and DRIVE_BELOW matters: the sample stops once it has that many matches.
    const enough = Math.ceil(Math.max(WALK_SHARE, DRIVE_BELOW) * WALK_SAMPLE);
    const row = await this.#db.selectFrom(this.#filtered(query, true).where('items.id', 'in', sample).select(sql<number>`1`.as('one')).limit(enough).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const size = await this.#db.selectFrom(sample.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const share = Number(size.n) > 0 ? Number(row.n) / Number(size.n) : 0;
    return share > 0 && share >= WALK_SHARE ? share : null;
  }

  /**
   * The share of items a SQLite query matches, from kept statistics (filters' term_counts, words' document counts), each
   * condition taken as independent of the others: no item is read. Null when a condition has no statistic (an identifier, a
   * phrase, a date, read state), for the sample to decide.
   */
  async #keptShare(query: Pick<SearchQuery, 'q' | 'filters' | 'userId' | 'since'>): Promise<number | null> {
    const f = query.filters ?? {};
    if ((f.unread && query.userId) || (f.onlyNew && query.since) || f.from || f.to) return null;
    const { tokens, terms } = splitTerms(query.q);
    if (tokens.length > 0 || !terms.every(countableWord)) return null;
    const rows = await this.#stats.rows();
    if (rows === 0) return null;
    let share = 1;
    for (const [kind, values] of filterLists(f)) if (values && values.length > 0) share *= Math.min(1, (await this.#stats.filterItems(kind, values)) / rows);
    // "Affects us: no" is the rest of the items: against an overstated row count its share may be overstated too, which only
    // makes a walk likelier (the answer is the same either way), where sampling it cost a thousand rows' lookups per request.
    if (f.affectsUs !== undefined) {
      const yes = Math.min(1, (await this.#stats.filterItems('affects', ['yes'])) / rows);
      share *= f.affectsUs ? yes : 1 - yes;
    }
    // The whole word's count, one list of postings where its prefix's would read every word it starts: a lower bound, so a
    // prefix common only through longer words ("secur") is left to the sample.
    for (const t of terms) {
      const docs = await this.#stats.wordDocs(t);
      if (docs < GATHER_MAX) return null;
      share *= Math.min(1, docs / rows);
    }
    return share;
  }

  /**
   * The filter kinds of a gathering SQLite query whose lists are big (a severity holds hundreds of thousands of a million
   * items): each is tested per candidate row, so only the small lists and the FTS matches are materialised. When nothing
   * else drives the query, the first big list does.
   */
  async #bigLists(query: Pick<SearchQuery, 'q' | 'filters'>): Promise<Set<string>> {
    const big = new Set<string>();
    if (this.#engine !== 'sqlite') return big;
    const lists = filterLists(query.filters ?? {}).filter(([, v]) => v && v.length > 0);
    for (const [kind, values] of lists) {
      const some = this.#db.selectFrom('item_terms').select(sql<number>`1`.as('one')).where('kind', '=', kind).where('value', 'in', [...values!]).limit(BIG_LIST);
      const row = await this.#db.selectFrom(some.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(row.n) >= BIG_LIST) big.add(kind);
    }
    if (!termConditions(this.#engine, query.q, false).indexLeads && big.size === lists.length && lists.length > 0) big.delete(lists[0][0]);
    return big;
  }

  /**
   * The query without its words that every search row holds (SQLite, from the word index's document counts): such a word
   * matches exactly the items with a search row, which `searchRow` keeps as the condition, so the plan neither walks past
   * rows testing their text nor merges the word's postings for it.
   */
  async #everywhere<Q extends SearchQuery>(query: Q): Promise<Q & { searchRow?: boolean }> {
    if (this.#engine !== 'sqlite' || !query.q) return query;
    const all = searchTerms(query.q);
    const { terms } = splitTerms(query.q);
    const rows = await this.#stats.rows();
    if (rows === 0 || all.some((t) => t.includes('"'))) return query;
    const dropped = new Set<string>();
    for (const t of terms) if (countableWord(t) && (await this.#stats.everywhere(t))) dropped.add(t);
    if (dropped.size === 0) return query;
    const kept = all.filter((t) => !dropped.has(t));
    return { ...query, q: kept.length > 0 ? kept.map((t) => `"${t}"`).join(' ') : undefined, searchRow: true };
  }

  /**
   * The filter list a walking SQLite query's bounded count reads instead of the sort order (no search terms): the smallest by
   * its kept count. Reading that filter's entries in item_terms' key, testing the other conditions on each, reaches the
   * thousandth match within at most as many rows as walking the order does, and its own condition is the join, not a lookup
   * per row: for HIGH, a quarter of the items, that is a thousand index entries where the walk tested four thousand items.
   */
  async #driveList(query: Pick<SearchQuery, 'q' | 'filters'>): Promise<FilterList | null> {
    if (this.#engine !== 'sqlite' || query.q) return null;
    let best: FilterList | null = null;
    let bestN = Infinity;
    for (const [kind, values] of filterLists(query.filters ?? {})) {
      if (!values || values.length === 0) continue;
      const n = await this.#stats.filterItems(kind, values);
      if (n < bestN) [best, bestN] = [{ kind, values }, n];
    }
    return best;
  }

  async searchItems(asked: SearchQuery): Promise<SearchResult> {
    const query = await this.#everywhere(asked);
    const userId = query.userId ?? null;
    if (userId) await this.#marks.flush();
    const since = query.since ?? null;
    const share = await this.#walkShare(query);
    const walk = share !== null;
    const base = this.#filtered(query, walk, walk ? new Set() : await this.#bigLists(query), null, null, walk);
    const ordered = query.sort === 'date'
      ? base.orderBy(DATE_OF, 'desc').orderBy('items.priority', 'desc')
      // Priority, then the latest report: the order of the items_list_priority index, which SQLite walks instead of sorting.
      : base.orderBy('items.priority', 'desc').orderBy('items.last_updated', (ob) => ob.desc().nullsLast());
    // The page's ids first, from indexes alone (a deep page skips index entries, not item rows); then only those rows are read.
    const cap = query.countUpTo;
    const pageIds = ordered.orderBy('items.id').select('items.id');
    let ids: { id: string }[];
    let n: number;
    // Counting from the word postings pays for merging them (a common word's prefix: ~90 ms at a million rows); walking pays
    // per row, up to the thousandth match: the postings win when matches are sparse in the order.
    const words = walk && cap !== undefined && share < DRIVE_BELOW ? wordDriver(query.q) : null;
    const drive = walk && cap !== undefined ? await this.#driveList(query) : null;
    // A page that walks the sort index stops at its last row, and the count, apart, is counted inside the database: in one pass
    // every id up to the thousandth match came back as a row object (most of the unfiltered list's search time).
    const apart = drive !== null || unconditioned(query);
    if (cap !== undefined && query.offset + query.limit <= cap + 1 && words === null && !apart) {
      // A page within the bounded count: one pass yields both, where a page and a count apart would find (or walk past) every
      // match twice.
      // A gathered search sorts its few matches by keys read from items_search_keys, which SQLite does not choose by itself
      // (the primary key's index finds one row per id, so it wins, and reads each item's row).
      const sorted = pageIds.limit(cap + 1);
      const upTo = this.#engine === 'sqlite' && !walk && termConditions(this.#engine, query.q, false).indexLeads
        ? (await this.#db.executeQuery<{ id: string }>(withSortKeys(sorted.compile()))).rows : await sorted.execute();
      [ids, n] = [upTo.slice(query.offset, query.offset + query.limit), upTo.length];
    } else {
      const bounded = words !== null ? this.#filtered(query, true, new Set(), words) : drive !== null ? this.#filtered(query, true, new Set(), null, drive) : base;
      // Driven by several values of one filter (two sectors), an item may come once per value it holds.
      const matches = drive !== null && drive.values.length > 1 ? bounded.select(sql<unknown>`items.id`.as('one')).distinct() : bounded.select(sql<unknown>`1`.as('one'));
      // That filter alone: its entries are the matches, and no item need be read (item_terms' rows go with their items).
      const listed = drive !== null && unconditioned({ ...query, filters: { ...query.filters, [drive.kind]: undefined } })
        ? this.#db.selectFrom('item_terms').select('item_terms.item_id').where('item_terms.kind', '=', drive.kind).where('item_terms.value', 'in', [...drive.values])
        : null;
      const counted = cap === undefined ? base.select((eb) => eb.fn.countAll<number>().as('n'))
        : listed !== null ? this.#db.selectFrom((drive!.values.length > 1 ? listed.distinct() : listed).limit(cap + 1).as('m')).select((eb) => eb.fn.countAll<number>().as('n'))
          : this.#db.selectFrom(matches.limit(cap + 1).as('m')).select((eb) => eb.fn.countAll<number>().as('n'));
      const [page, count] = await Promise.all([pageIds.limit(query.limit).offset(query.offset).execute(),
        words === null ? counted.executeTakeFirstOrThrow() : this.#db.executeQuery(withDocItems(counted.compile())).then((r) => r.rows[0])]);
      [ids, n] = [page, Number(count.n)];
    }
    const rows = ids.length === 0 ? [] : await this.#listRows(userId ?? '', ids.map((r) => r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items: ListRow[] = ids.flatMap(({ id }) => {
      const r = byId.get(id);
      if (!r) return [];
      const changedAt = r.changed_at ?? '';
      return [{
        id: r.id, title: r.title, severity: r.severity, priority: r.priority, triage: r.triage, archetype: r.archetype,
        archetypeLabel: r.archetype_label, organisation: r.organisation, firstReported: r.first_reported, lastUpdated: r.last_updated,
        example: r.example === 1, sectorLabel: r.sector_label ?? null, changedAt,
        unread: userId ? r.read_at === null || r.read_at < changedAt : null, isNew: since !== null && changedAt > since,
      }];
    });
    return cap !== undefined && n > cap ? { items, total: cap, more: true } : { items, total: n };
  }

  async countTerms(kinds?: readonly string[], query: Pick<SearchQuery, 'q' | 'filters'> = {}): Promise<Facet[]> {
    const filtered = query.q || (query.filters && Object.values(query.filters).some((v) => v !== undefined));
    if (!filtered) {
      // Every item's: the counts the item writes keep (migration 0009_term_counts).
      let kept = this.#db.selectFrom('term_counts').select(['kind', 'value', 'label', 'n']);
      if (kinds && kinds.length > 0) kept = kept.where('kind', 'in', [...kinds]);
      return sortFacets(await kept.execute());
    }
    let q = this.#db.selectFrom('item_terms as t')
      .select(['t.kind', 't.value', (eb) => eb.fn.min('t.label').as('label'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['t.kind', 't.value']);
    if (kinds && kinds.length > 0) q = q.where('t.kind', 'in', [...kinds]);
    q = q.where('t.item_id', 'in', this.#filtered(query).select('items.id'));
    return sortFacets(await q.execute());
  }

  async dailyCounts(query: Pick<SearchQuery, 'q' | 'filters'> = {}): Promise<DailyCount[]> {
    const day = sql<string>`substr(coalesce(items.last_updated, items.first_reported, ''), 1, 10)`;
    const rows = await this.#filtered(query).where(DATE_OF, '!=', '')
      .select([day.as('day'), 'items.severity', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy([day, 'items.severity']).orderBy(day).orderBy('items.severity').execute();
    return rows.map((r) => ({ day: r.day, severity: r.severity, count: Number(r.n) }));
  }

  async importItems(items: readonly Item[], now: string): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      for (const part of chunks(items, 100)) {
        await tx.insertInto('items').values(part.map((item) => ({ id: item.id, ...itemRow(item, JSON.stringify(item), now) }))).execute();
        const cves = part.flatMap((item) => [...new Set(item.facts.cves.map((c) => c.id))].map((cve) => ({ item_id: item.id, cve })));
        for (const c of chunks(cves)) await tx.insertInto('item_cves').values(c).execute();
      }
      await indexItems(tx, items, now);
    });
  }

  async saveView(userId: string, name: string, query: string, now: string): Promise<SavedView> {
    await this.#db.insertInto('saved_views').values({ user_id: userId, name, query, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet({ query, created_at: now })).execute();
    const row = await this.#db.selectFrom('saved_views').selectAll().where('user_id', '=', userId).where('name', '=', name).executeTakeFirstOrThrow();
    return { id: Number(row.id), name: row.name, query: row.query, createdAt: row.created_at };
  }

  async listViews(userId: string): Promise<SavedView[]> {
    const rows = await this.#views(userId);
    return rows.map((r) => ({ id: Number(r.id), name: r.name, query: r.query, createdAt: r.created_at }));
  }

  async removeView(userId: string, id: number): Promise<boolean> {
    const r = await this.#db.deleteFrom('saved_views').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  markOpened(userId: string, itemId: string, now: string): void {
    this.#marks.mark(userId, itemId, now);
  }

  async markRead(userId: string, itemIds: readonly string[], now: string): Promise<void> {
    // After the marks waiting: a later write of older marks would set read_at back.
    await this.#marks.flush();
    await this.#markReadNow(userId, itemIds, now);
  }

  async #markReadNow(userId: string, itemIds: readonly string[], now: string): Promise<void> {
    if (itemIds.length === 1) {
      await this.#readMark(userId, itemIds[0], now);
      return;
    }
    for (const part of chunks([...new Set(itemIds)])) {
      // Only stored items (a mark for an id merged away would break the foreign key), in one statement: each item page makes one.
      await this.#db.insertInto('item_reads').columns(['user_id', 'item_id', 'read_at'])
        .expression(this.#db.selectFrom('items').select([sql<string>`cast(${userId} as text)`.as('user_id'), 'items.id', sql<string>`cast(${now} as text)`.as('read_at')]).where('items.id', 'in', part))
        .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet({ read_at: now })).execute();
    }
  }

  async recordVisit(userId: string, now: string, gapMs: number): Promise<string | null> {
    // One statement, no read then write: two processes on one SQLite file recording visits at once would otherwise fail the
    // second's upgrade from reader to writer (SQLITE_BUSY, which no busy timeout waits out). Times are toISOString()'s, so
    // comparing them as text compares them as times.
    const cutoff = new Date(Date.parse(now) - gapMs).toISOString();
    const [row] = await this.#visit(userId, now, cutoff);
    return row?.previous_seen_at ?? null;
  }

  async close(): Promise<void> {
    await this.#marks.flush();
    await this.#db.destroy();
  }

  async itemPageState(id: string, variant: string): Promise<ItemPageState | null> {
    const [row] = await this.#pageState(id, variant);
    if (!row) return null;
    return { revision: row.revision, hasWork: Boolean(Number(row.has_work)), page: row.body && row.page_revision === row.revision ? row.body : null };
  }

  async saveItemPage(itemId: string, variant: string, revision: string, body: Uint8Array): Promise<void> {
    // Only while the item is at that revision: a page rendered just before a write never lands over the new revision's.
    await this.#db.insertInto('item_pages').columns(['item_id', 'variant', 'revision', 'body'])
      .expression(this.#db.selectFrom('items').select([
        'items.id', sql<string>`cast(${variant} as text)`.as('variant'), 'items.revision', (this.#engine === 'postgres' ? sql<Uint8Array>`cast(${body} as bytea)` : sql<Uint8Array>`${body}`).as('body'),
      ]).where('items.id', '=', itemId).where('items.revision', '=', revision))
      .onConflict((oc) => oc.columns(['item_id', 'variant']).doUpdateSet((eb) => ({ revision: eb.ref('excluded.revision'), body: eb.ref('excluded.body') })))
      .execute();
  }

  async dropItemPages(keep: readonly string[], limit: number): Promise<number> {
    const some = this.#db.selectFrom('item_pages').select(['item_id', 'variant']).where('variant', 'not in', [...keep]).limit(limit);
    const rows = await some.execute();
    for (const part of chunks(rows, 200)) {
      await this.#db.deleteFrom('item_pages').where((eb) => eb.or(part.map((r) => eb.and([eb('item_id', '=', r.item_id), eb('variant', '=', r.variant)])))).execute();
    }
    return rows.length;
  }

  async itemsWithoutPage(variants: readonly string[], after: string | null, scan: number): Promise<{ due: { id: string; revision: string }[]; last: string | null }> {
    let q = this.#db.selectFrom('items').select(['items.id', 'items.revision'])
      .select((eb) => eb.or(variants.map((v) => eb.not(eb.exists(eb.selectFrom('item_pages').select(sql`1`.as('one'))
        .whereRef('item_pages.item_id', '=', 'items.id').where('item_pages.variant', '=', v).whereRef('item_pages.revision', '=', 'items.revision'))))).as('due'));
    if (after !== null) q = q.where('items.id', '>', after);
    const rows = await q.orderBy('items.id').limit(scan).execute();
    return { due: rows.filter((r) => Boolean(Number(r.due))).map((r) => ({ id: r.id, revision: r.revision })), last: rows.at(-1)?.id ?? null };
  }

}
