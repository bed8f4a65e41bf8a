/** The Store over Kysely: the same typed queries on SQLite and PostgreSQL; engine differences live in the dialect and migrations only. */
import { type Kysely, Migrator } from 'kysely';
import type { Document, Item } from '../domain/index.js';
import { SEVERITIES } from '../domain/index.js';
import { type Engine, migrationProvider } from './migrations.js';
import type { Database } from './schema.js';
import type { ItemSummary, ListQuery, Store, StoredFacts, WriteResult } from './store.js';

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

export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #engine: Engine;

  constructor(db: Kysely<Database>, engine: Engine) {
    this.#db = db;
    this.#engine = engine;
  }

  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({ db: this.#db, provider: migrationProvider(this.#engine) }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error) throw new StoreError(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }

  async saveDocument(document: Document, now: string): Promise<WriteResult> {
    const existing = await this.#db.selectFrom('documents').select(['content_hash']).where('id', '=', document.id).executeTakeFirst();
    if (existing?.content_hash === document.contentHash) return 'unchanged';
    const row = {
      content_hash: document.contentHash, title: document.title, outlet: document.outlet, url: document.url,
      published: document.published, format: document.format, origin: document.origin, example: document.example ? 1 : 0,
      text: document.text, updated_at: now,
    };
    if (existing) {
      await this.#db.updateTable('documents').set(row).where('id', '=', document.id).execute();
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
      const row = {
        title: item.title, severity: item.severity.level, severity_rank: SEVERITIES.indexOf(item.severity.level),
        priority: item.priority.value, triage: item.triage.level, archetype: item.archetype.id, archetype_label: item.archetype.label,
        organisation: item.facts.organisations.find((o) => o.role === 'victim')?.name ?? item.facts.organisations.find((o) => o.role === 'vendor')?.name ?? null,
        first_reported: item.firstReported, last_updated: item.lastUpdated, example: item.example ? 1 : 0,
        knowledge_version: item.enrichment.knowledgeVersion, data, updated_at: now,
      };
      if (existing) await tx.updateTable('items').set(row).where('id', '=', item.id).execute();
      else await tx.insertInto('items').values({ id: item.id, ...row }).execute();
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

  async loadCatalogs(): Promise<{ name: string; version: string; data: unknown }[]> {
    const rows = await this.#db.selectFrom('catalogs').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, version: r.version, data: JSON.parse(r.data) }));
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
