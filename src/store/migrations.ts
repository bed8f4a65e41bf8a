/** Schema migrations, numbered and only ever appended; written with Kysely's schema builder so they run on SQLite and PostgreSQL. */
import { type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import type { Database } from './schema.js';
import { backfillSearchIndex, backfillSearchTokens } from './search-write.js';

export type Engine = 'sqlite' | 'postgres';

/** The one column that differs by engine: an auto-numbered key. */
function identity(engine: Engine): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return engine === 'sqlite' ? (c) => c.primaryKey().autoIncrement() : (c) => c.primaryKey().generatedByDefaultAsIdentity();
}

const migrations = (engine: Engine): Record<string, Migration> => ({
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('documents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('outlet', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('published', 'text')
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('example', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('ingested_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('facts')
        .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('knowledge_version', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('severity_rank', 'integer', (c) => c.notNull())
        .addColumn('priority', 'double precision', (c) => c.notNull())
        .addColumn('triage', 'text', (c) => c.notNull())
        .addColumn('archetype', 'text', (c) => c.notNull())
        .addColumn('archetype_label', 'text', (c) => c.notNull())
        .addColumn('organisation', 'text')
        .addColumn('first_reported', 'text')
        .addColumn('last_updated', 'text')
        .addColumn('example', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('knowledge_version', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('items_priority').on('items').columns(['priority', 'last_updated']).execute();
      await db.schema
        .createTable('item_documents')
        .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('item_documents_pk', ['item_id', 'document_id'])
        .execute();
      await db.schema.createIndex('item_documents_document').on('item_documents').column('document_id').execute();
      await db.schema
        .createTable('enrichments')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
        .addColumn('knowledge_version', 'text', (c) => c.notNull())
        .addColumn('pipeline_version', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('enrichments_item').on('enrichments').column('item_id').execute();
      await db.schema
        .createTable('catalogs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_sources': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sources')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('interval_minutes', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('fetch_articles', 'integer', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addColumn('health', 'text', (c) => c.notNull())
        .addColumn('next_run_at', 'text')
        // A worker holds a source until this time: several processes never run one source twice at once.
        .addColumn('lease_until', 'text')
        .execute();
      await db.schema
        .createTable('source_entries')
        .addColumn('source', 'text', (c) => c.notNull().references('sources.name').onDelete('cascade'))
        .addColumn('entry_key', 'text', (c) => c.notNull())
        .addColumn('entry_hash', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_changed', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('source_entries_pk', ['source', 'entry_key'])
        .execute();
      await db.schema
        .createTable('document_revisions')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('published', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('replaced_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('document_revisions_document').on('document_revisions').column('document_id').execute();
      await db.schema
        .createTable('cve_data')
        .addColumn('cve', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('item_cves')
        .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
        .addColumn('cve', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_cves_pk', ['item_id', 'cve'])
        .execute();
      await db.schema.createIndex('item_cves_cve').on('item_cves').column('cve').execute();
    },
  },
  '0003_stories': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('story_features')
        .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
        .addColumn('published', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('story_keys')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('published', 'text')
        .addPrimaryKeyConstraint('story_keys_pk', ['key', 'document_id'])
        .execute();
      await db.schema.createIndex('story_keys_document').on('story_keys').column('document_id').execute();
      await db.schema
        .createTable('item_events')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('item_events_item').on('item_events').column('item_id').execute();
      await db.schema
        .createTable('item_redirects')
        .addColumn('from_id', 'text', (c) => c.primaryKey())
        .addColumn('to_id', 'text', (c) => c.notNull())
        .execute();
      // An analyst's decisions: a report pinned to an item, or kept out of one. No later grouping undoes them.
      await db.schema
        .createTable('story_constraints')
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('story_constraints_pk', ['document_id', 'item_id', 'kind'])
        .execute();
    },
  },
  '0004_alerts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('watchlists')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alert_deliveries')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('watchlist', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('schedule', 'text', (c) => c.notNull())
        // The severity the item alerted at: an update re-alerts only when the severity rises above it.
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        // An item alerts once per watchlist and channel, however many times it is re-enriched.
        .addUniqueConstraint('alert_deliveries_once', ['watchlist', 'item_id', 'channel'])
        .execute();
      await db.schema.createIndex('alert_deliveries_due').on('alert_deliveries').columns(['status', 'next_attempt_at']).execute();
    },
  },
  '0005_users': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .execute();
      // Sessions and tokens are kept as sha256 of their secret: reading the database opens neither.
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('expires_at', 'text')
        .execute();
    },
  },
  '0007_work': {
    async up(db: Kysely<unknown>) {
      // Keyed by item and the step's stable key, never by position: the state survives re-enrichment and kb edits.
      await db.schema
        .createTable('step_states')
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('step_key', 'text', (c) => c.notNull())
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('done_by', 'text')
        .addColumn('done_at', 'text')
        .addColumn('assignee', 'text')
        .addColumn('note', 'text')
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('step_states_pk', ['item_id', 'step_key'])
        .execute();
      await db.schema
        .createTable('evidence_register')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('evidence_register_item').on('evidence_register').column('item_id').execute();
      // Append-only: the Store has no method that changes or deletes a row.
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text')
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('audit_log_item').on('audit_log').columns(['item_id', 'id']).execute();
      await db.schema
        .createTable('technique_verdicts')
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('technique_id', 'text', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('technique_verdicts_pk', ['item_id', 'technique_id'])
        .execute();
      await db.schema
        .createTable('ioc_verdicts')
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('ioc_type', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('false_positive', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ioc_verdicts_pk', ['item_id', 'ioc_type', 'value'])
        .execute();
      await db.schema
        .createTable('false_positives')
        .addColumn('ioc_type', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text')
        .addPrimaryKeyConstraint('false_positives_pk', ['ioc_type', 'value'])
        .execute();
    },
  },
  '0005_catalog_versions': {
    async up(db: Kysely<unknown>) {
      // Every catalog version ever imported, with its files' digests and origins; the catalogs table holds the current one.
      await db.schema
        .createTable('catalog_versions')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('entries', 'integer', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('catalog_versions_name').on('catalog_versions').columns(['name', 'id']).execute();
    },
  },
  '0006_search': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('item_search')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('item_id', 'text', (c) => c.notNull().unique().references('items.id').onDelete('cascade'))
        .addColumn('body', 'text', (c) => c.notNull())
        // When the searchable text last changed: "unread" and "new since my last visit" count from it, not from a re-score.
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('item_terms')
        .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_terms_pk', ['kind', 'value', 'item_id'])
        .execute();
      await db.schema.createIndex('item_terms_item').on('item_terms').column('item_id').execute();
      // The list sorted by date, then priority: SQLite walks this index instead of sorting every row.
      await db.schema.createIndex('items_date').on('items').expression(sql`coalesce(last_updated, first_reported, ''), priority`).execute();
      if (engine === 'sqlite') {
        // An external-content FTS5 table over item_search, kept in step by triggers; trigram finds `evil.com` inside `x.evil.com/a`.
        await sql`create virtual table item_fts using fts5(body, content='item_search', content_rowid='id', tokenize='trigram')`.execute(db);
        await sql`create trigger item_search_ai after insert on item_search begin insert into item_fts(rowid, body) values (new.id, new.body); end`.execute(db);
        await sql`create trigger item_search_ad after delete on item_search begin insert into item_fts(item_fts, rowid, body) values ('delete', old.id, old.body); end`.execute(db);
        await sql`create trigger item_search_au after update on item_search begin insert into item_fts(item_fts, rowid, body) values ('delete', old.id, old.body); insert into item_fts(rowid, body) values (new.id, new.body); end`.execute(db);
      } else {
        // pg_trgm indexes ILIKE '%term%', the same substring search as SQLite's trigram; without it ILIKE scans.
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_available_extensions where name = 'pg_trgm'`.execute(db);
        if (rows[0]?.n) {
          await sql`create extension if not exists pg_trgm`.execute(db);
          await sql`create index item_search_trgm on item_search using gin (body gin_trgm_ops)`.execute(db);
        }
      }
      await db.schema
        .createTable('saved_views')
        .addColumn('id', 'integer', identity(engine))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('saved_views_name', ['user_id', 'name'])
        .execute();
      await db.schema
        .createTable('item_reads')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
        .addColumn('read_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_reads_pk', ['user_id', 'item_id'])
        .execute();
      await db.schema
        .createTable('user_visits')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .addColumn('previous_seen_at', 'text')
        .execute();
      await backfillSearchIndex(db as Kysely<Database>);
    },
  },
  '0008_list_indexes': {
    async up(db: Kysely<unknown>) {
      // Covering the list's sort keys and the id: a page (however deep) and its count read these indexes, never the item rows,
      // whose JSON fills a page each. They supersede items_priority and items_date.
      const nullsLast = engine === 'postgres' ? sql`nulls last` : sql``;
      await sql`create index items_list_priority on items (priority desc, last_updated desc ${nullsLast}, id)`.execute(db);
      await sql`create index items_list_date on items ((coalesce(last_updated, first_reported, '')) desc, priority desc, id)`.execute(db);
      await db.schema.dropIndex('items_priority').execute();
      await db.schema.dropIndex('items_date').execute();
      // A new value on every write of an item: what the item page's rendered fragment is keyed by.
      await db.schema.alterTable('items').addColumn('revision', 'text', (c) => c.notNull().defaultTo('')).execute();
      await sql`update items set revision = updated_at`.execute(db);
      // The item page's revision check reads this index, not the row.
      await db.schema.createIndex('items_revision').on('items').columns(['id', 'revision']).execute();
    },
  },
  '0009_item_pages': {
    async up(db: Kysely<unknown>) {
      // Written when an item's revision is rendered, read by the item page; a page of an older revision is never served.
      await db.schema
        .createTable('item_pages')
        .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
        .addColumn('variant', 'text', (c) => c.notNull())
        .addColumn('revision', 'text', (c) => c.notNull())
        .addColumn('body', engine === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_pages_pk', ['item_id', 'variant'])
        .execute();
    },
  },
  '0009_term_counts': {
    async up(db: Kysely<unknown>) {
      // The list's facet counts, kept by triggers in the transaction that writes an item's terms: reading them is a few
      // thousand rows, where counting item_terms is a scan of every item's (seconds at 100,000 items, the server blocked meanwhile).
      // A label is the least seen for its value; values' labels differ at most in spelling.
      await db.schema
        .createTable('term_counts')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('term_counts_pk', ['kind', 'value'])
        .execute();
      const least = engine === 'postgres' ? sql`least` : sql`min`;
      const add = (row: string) => sql`insert into term_counts (kind, value, label, n) values (${sql.raw(row)}.kind, ${sql.raw(row)}.value, ${sql.raw(row)}.label, 1)
        on conflict (kind, value) do update set n = term_counts.n + 1, label = ${least}(term_counts.label, excluded.label)`;
      const remove = (row: string) => sql`update term_counts set n = n - 1 where kind = ${sql.raw(row)}.kind and value = ${sql.raw(row)}.value;
        delete from term_counts where kind = ${sql.raw(row)}.kind and value = ${sql.raw(row)}.value and n <= 0`;
      if (engine === 'postgres') {
        await sql`create function item_terms_count() returns trigger language plpgsql as $$
          begin
            if tg_op in ('DELETE', 'UPDATE') then ${remove('old')}; end if;
            if tg_op in ('INSERT', 'UPDATE') then ${add('new')}; end if;
            return null;
          end $$`.execute(db);
        await sql`create trigger item_terms_count after insert or update or delete on item_terms for each row execute function item_terms_count()`.execute(db);
      } else {
        await sql`create trigger item_terms_count_insert after insert on item_terms begin ${add('new')}; end`.execute(db);
        await sql`create trigger item_terms_count_delete after delete on item_terms begin ${remove('old')}; end`.execute(db);
        await sql`create trigger item_terms_count_update after update on item_terms begin ${remove('old')}; ${add('new')}; end`.execute(db);
      }
      await sql`insert into term_counts (kind, value, label, n) select kind, value, min(label), count(*) from item_terms group by kind, value`.execute(db);
    },
  },
  '0010_search_1_tokens': {
    async up(db: Kysely<unknown>) {
      // The exact-token index (src/store/search-tokens.ts): a pasted CVE, domain, IP or hash is one seek here, where the
      // trigram index reads the postings of every trigram of it. `doc` is item_search's id, so the rows stay small.
      let table = db.schema
        .createTable('search_tokens')
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('doc', 'integer', (c) => c.notNull().references('item_search.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('search_tokens_pk', ['token', 'doc']);
      if (engine === 'sqlite') table = table.modifyEnd(sql`without rowid`);
      await table.execute();
      // Deleting an item cascades here through item_search: without this index each delete would scan the table.
      await db.schema.createIndex('search_tokens_doc').on('search_tokens').column('doc').execute();
      await backfillSearchTokens(db as Kysely<Database>);
    },
  },
  '0010_search_2_words': {
    async up(db: Kysely<unknown>) {
      // PostgreSQL reads words with a regular expression that pg_trgm's index serves (src/store/search-plan.ts).
      if (engine !== 'sqlite') return;
      // A word index beside the trigram one: `"belfab cloud"*` reads the postings of two words, where the trigram index
      // read every trigram of the phrase, common ones ("clo", "oud") in most rows.
      // Diacritics kept, as LIKE and PostgreSQL keep them: `cafe` does not find `café` by either index.
      await sql`create virtual table item_words using fts5(body, content='item_search', content_rowid='id', tokenize='unicode61 remove_diacritics 0')`.execute(db);
      await sql`create trigger item_search_words_ai after insert on item_search begin insert into item_words(rowid, body) values (new.id, new.body); end`.execute(db);
      await sql`create trigger item_search_words_ad after delete on item_search begin insert into item_words(item_words, rowid, body) values ('delete', old.id, old.body); end`.execute(db);
      await sql`create trigger item_search_words_au after update on item_search begin insert into item_words(item_words, rowid, body) values ('delete', old.id, old.body); insert into item_words(rowid, body) values (new.id, new.body); end`.execute(db);
      await sql`insert into item_words(item_words) values ('rebuild')`.execute(db);
    },
  },
  '0010_search_3_sort_keys': {
    async up(db: Kysely<unknown>) {
      // A search's matches are sorted by these keys: read from this index, not from each item's row (its JSON fills pages,
      // and at a million items most are not in memory).
      await db.schema.createIndex('items_search_keys').on('items').columns(['id', 'priority', 'last_updated', 'first_reported']).execute();
    },
  },
  '0011_search_1_vocab': {
    async up(db: Kysely<unknown>) {
      // The word index's document count per word (src/store/search-stats.ts): the plan weighs a common word by it, where it
      // sampled a thousand items per search. A view of item_words, nothing stored.
      if (engine !== 'sqlite') return;
      await sql`create virtual table item_words_vocab using fts5vocab(item_words, row)`.execute(db);
    },
  },
  '0011_search_2_doc_items': {
    async up(db: Kysely<unknown>) {
      // A count driven by the word postings maps each posting to its item through this index (search-plan.ts withDocItems),
      // a few entries a page, where item_search's rows hold the whole search text: 2-3 times faster at a million rows.
      if (engine !== 'sqlite') return;
      await db.schema.createIndex('item_search_doc_items').on('item_search').columns(['id', 'item_id']).execute();
    },
  },
  '0012_list_filter_columns': {
    async up(db: Kysely<unknown>) {
      // Severity and triage in the list's sort indexes: a walk tests those filters in the index entry it reads, where it looked
      // each item up in item_terms (a deep page of HIGH walks tens of thousands of items). Both are written with the item's
      // terms, in one transaction (search-write.ts indexItems).
      const nullsLast = engine === 'postgres' ? sql`nulls last` : sql``;
      await db.schema.dropIndex('items_list_priority').execute();
      await db.schema.dropIndex('items_list_date').execute();
      await sql`create index items_list_priority on items (priority desc, last_updated desc ${nullsLast}, id, severity, triage)`.execute(db);
      await sql`create index items_list_date on items ((coalesce(last_updated, first_reported, '')) desc, priority desc, id, severity, triage)`.execute(db);
    },
  },
});

export function migrationProvider(engine: Engine): MigrationProvider {
  return { getMigrations: async () => migrations(engine) };
}
