/** The database tables as Kysely types: the one description of the schema that queries are checked against. */
import type { Generated } from 'kysely';
import type { WorkTables } from './schema-work.js';

export interface DocumentsTable {
  id: string;
  content_hash: string;
  title: string;
  outlet: string;
  url: string | null;
  published: string | null;
  format: string;
  origin: string;
  example: number;
  text: string;
  ingested_at: string;
  updated_at: string;
}

export interface FactsTable {
  document_id: string;
  content_hash: string;
  knowledge_version: string;
  data: string;
}

export interface ItemsTable {
  id: string;
  title: string;
  severity: string;
  severity_rank: number;
  priority: number;
  triage: string;
  archetype: string;
  archetype_label: string;
  organisation: string | null;
  first_reported: string | null;
  last_updated: string | null;
  example: number;
  knowledge_version: string;
  data: string;
  updated_at: string;
  /** A fresh value on every write (migration 0008): the key of the item page's rendered fragment. */
  revision: Generated<string>;
}

export interface ItemDocumentsTable {
  item_id: string;
  document_id: string;
}

export interface EnrichmentsTable {
  id: Generated<number>;
  item_id: string;
  knowledge_version: string;
  pipeline_version: string;
  created_at: string;
  data: string;
}

export interface CatalogsTable {
  name: string;
  version: string;
  imported_at: string;
  data: string;
}

export interface CatalogVersionsTable {
  id: Generated<number>;
  name: string;
  version: string;
  imported_at: string;
  entries: number;
  files: string;
}

export interface SourcesTable {
  name: string;
  kind: string;
  location: string;
  title: string | null;
  interval_minutes: number;
  enabled: number;
  fetch_articles: number;
  added_at: string;
  health: string;
  next_run_at: string | null;
  lease_until: string | null;
}

export interface SourceEntriesTable {
  source: string;
  entry_key: string;
  entry_hash: string;
  document_id: string;
  first_seen: string;
  last_changed: string;
}

export interface DocumentRevisionsTable {
  id: Generated<number>;
  document_id: string;
  content_hash: string;
  title: string;
  published: string | null;
  text: string;
  replaced_at: string;
}

export interface CveDataTable {
  cve: string;
  data: string;
  updated_at: string;
}

export interface ItemCvesTable {
  item_id: string;
  cve: string;
}

export interface StoryFeaturesTable {
  document_id: string;
  published: string | null;
  data: string;
}

export interface StoryKeysTable {
  key: string;
  document_id: string;
  published: string | null;
}

export interface ItemEventsTable {
  id: Generated<number>;
  item_id: string;
  at: string;
  data: string;
}

export interface ItemRedirectsTable {
  from_id: string;
  to_id: string;
}

export interface StoryConstraintsTable {
  document_id: string;
  item_id: string;
  kind: string;
  at: string;
}

export interface WatchlistsTable {
  name: string;
  data: string;
  created_at: string;
}

export interface AlertDeliveriesTable {
  id: Generated<number>;
  watchlist: string;
  item_id: string;
  channel: string;
  schedule: string;
  severity: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  payload: string;
  created_at: string;
  sent_at: string | null;
}

export interface UsersTable {
  id: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  password_changed_at: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  role: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface Database extends WorkTables {
  documents: DocumentsTable;
  facts: FactsTable;
  items: ItemsTable;
  item_documents: ItemDocumentsTable;
  enrichments: EnrichmentsTable;
  catalogs: CatalogsTable;
  catalog_versions: CatalogVersionsTable;
  sources: SourcesTable;
  source_entries: SourceEntriesTable;
  document_revisions: DocumentRevisionsTable;
  cve_data: CveDataTable;
  item_cves: ItemCvesTable;
  story_features: StoryFeaturesTable;
  story_keys: StoryKeysTable;
  item_events: ItemEventsTable;
  item_redirects: ItemRedirectsTable;
  story_constraints: StoryConstraintsTable;
  watchlists: WatchlistsTable;
  alert_deliveries: AlertDeliveriesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
}

export interface ItemSearchTable {
  id: Generated<number>;
  item_id: string;
  body: string;
  changed_at: string;
}

export interface ItemTermsTable {
  item_id: string;
  kind: string;
  value: string;
  label: string;
}

export interface SavedViewsTable {
  id: Generated<number>;
  user_id: string;
  name: string;
  query: string;
  created_at: string;
}

export interface ItemReadsTable {
  user_id: string;
  item_id: string;
  read_at: string;
}

export interface UserVisitsTable {
  user_id: string;
  seen_at: string;
  previous_seen_at: string | null;
}

/** The list's search index, saved views and read marks (migration 0006_search). */
export interface SearchDatabase {
  item_search: ItemSearchTable;
  item_terms: ItemTermsTable;
  saved_views: SavedViewsTable;
  item_reads: ItemReadsTable;
  user_visits: UserVisitsTable;
}

// Declaration merging: the search tables join Database without touching its list above.
export interface Database extends SearchDatabase {}

export interface ItemPagesTable {
  item_id: string;
  variant: string;
  revision: string;
  body: Uint8Array;
}

export interface TermCountsTable {
  kind: string;
  value: string;
  label: string;
  n: number;
}

/** The item page's main part kept rendered per item revision and variant (0009_item_pages); facet counts (0009_term_counts). */
export interface PagesDatabase {
  item_pages: ItemPagesTable;
  term_counts: TermCountsTable;
}

export interface Database extends PagesDatabase {}
/** The exact-token index: each identifier of an item_search row's text (migration 0010_search_1_tokens). */
export interface SearchTokensTable {
  token: string;
  doc: number;
}

export interface Database {
  search_tokens: SearchTokensTable;
}

/** The FTS5 word index over item_search (SQLite, migration 0010_search_2_words): read by rowid, matched by raw SQL. */
export interface ItemWordsTable {
  rowid: number;
}

export interface Database {
  item_words: ItemWordsTable;
}
