/** The Store interface every stage and route uses: the only place that knows there is a database. */
import type { CveData, CveDataPatch } from '../domain/cve-data.js';
import type { StoryFeatures } from '../cluster/features.js';
import type { Document, Facts, Item, Source, SourceDefinition, SourceHealth, TimelineEvent } from '../domain/index.js';
import type { AlertSchedule, Watchlist } from '../domain/watchlist.js';
import type { ApiTokenRecord, SessionRecord, UserRecord, UserRole } from '../domain/user.js';
import type { Audited, AuditEntry, AuditQuery, EvidenceEntry, EvidenceInput, FalsePositive, IocVerdict, ItemWork, StepChange, StepState, TechniqueVerdict, Verdict } from '../domain/work.js';
import type { IocType } from '../domain/ioc.js';

export type WriteResult = 'inserted' | 'updated' | 'unchanged';

export interface ItemSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly priority: number;
  readonly triage: string;
  readonly archetype: string;
  readonly archetypeLabel: string;
  readonly organisation: string | null;
  readonly firstReported: string | null;
  readonly lastUpdated: string | null;
  readonly example: boolean;
}

export interface ListQuery {
  readonly limit: number;
  readonly offset: number;
}

export type SearchSort = 'priority' | 'date';

/** The list's filters; each list is "any of these values", and every filter given must hold. */
export interface SearchFilters {
  readonly severity?: readonly string[];
  readonly triage?: readonly string[];
  /** Archetype ids. */
  readonly archetype?: readonly string[];
  /** Sector ids. */
  readonly sector?: readonly string[];
  /** Vendor names, compared case- and space-insensitively. */
  readonly vendor?: readonly string[];
  /** Outlets reporting the item, compared like vendors. */
  readonly source?: readonly string[];
  /** ATT&CK technique ids mapped to the item (observed or consistent). */
  readonly technique?: readonly string[];
  /** YYYY-MM-DD bounds (inclusive) on the item's date: its last report, else its first. */
  readonly from?: string;
  readonly to?: string;
  readonly affectsUs?: boolean;
  /** Only items the user has not read since they last changed (needs `userId`). */
  readonly unread?: boolean;
  /** Only items changed after `since`. */
  readonly onlyNew?: boolean;
}

export interface SearchQuery {
  /** Raw user input: words, "quoted phrases", CVE ids, domains, IPs, hashes; each must occur (case-insensitively) in the item. */
  readonly q?: string;
  readonly filters?: SearchFilters;
  readonly sort: SearchSort;
  readonly limit: number;
  readonly offset: number;
  /** The signed-in user: rows then carry their read state. */
  readonly userId?: string | null;
  /** The user's previous visit: rows changed after it are new. */
  readonly since?: string | null;
  /** Count matches only this far (the list's pager): past it, `total` is this bound and `more` is true. Unset: an exact count. */
  readonly countUpTo?: number;
}

export interface ListRow extends ItemSummary {
  readonly sectorLabel: string | null;
  /** When the item's searchable content last changed (a new report, CVE, indicator...). */
  readonly changedAt: string;
  /** Null without a user. */
  readonly unread: boolean | null;
  readonly isNew: boolean;
}

export interface SearchResult {
  readonly items: ListRow[];
  readonly total: number;
  /** More items match than `total` (counting stopped at the query's countUpTo). */
  readonly more?: boolean;
}

export interface Facet {
  readonly kind: string;
  readonly value: string;
  readonly label: string;
  readonly count: number;
}

export interface DailyCount {
  readonly day: string;
  readonly severity: string;
  readonly count: number;
}

export interface SavedView {
  readonly id: number;
  readonly name: string;
  /** The list's query string, without `page`. */
  readonly query: string;
  readonly createdAt: string;
}

export interface StoredFacts {
  readonly contentHash: string;
  readonly knowledgeVersion: string;
  readonly facts: Facts;
}

export interface DocumentRevision {
  readonly contentHash: string;
  readonly title: string;
  readonly published: string | null;
  readonly text: string;
  readonly replacedAt: string;
}

export interface SourceEntry {
  readonly entryHash: string;
  readonly documentId: string;
}

export interface CveChange {
  readonly before: CveData | null;
  readonly after: CveData;
  readonly written: boolean;
}

export interface StoryCandidate {
  readonly features: StoryFeatures;
  readonly itemId: string;
}

export type StoryConstraintKind = 'pin' | 'block';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'dead'] as const;
/** pending: not tried yet; failed: tried, will be retried; sent; dead: given up on, kept for the delivery log. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryInput {
  readonly watchlist: string;
  readonly itemId: string;
  /** A stable key of the watchlist's channel ("slack:hooks.slack.com#1a2b3c"), never its secret URL. */
  readonly channel: string;
  readonly schedule: AlertSchedule;
  /** The item's severity when it alerted: an updated item alerts again only when its severity rises. */
  readonly severity: string;
  readonly payload: unknown;
  /** When to send: now for an immediate alert, the end of the period for a digest. */
  readonly nextAttemptAt: string;
}

export interface AlertDelivery extends Omit<DeliveryInput, 'nextAttemptAt'> {
  readonly id: number;
  /** Null once sent or dead. */
  readonly nextAttemptAt: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

export interface DeliveryUpdate {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly sentAt: string | null;
}

export interface DeliveryFilter {
  readonly status?: DeliveryStatus;
  readonly watchlist?: string;
  readonly limit?: number;
}

/** One imported version of a catalog: what `vigil kb status` lists. */
export interface CatalogVersionRecord {
  readonly name: string;
  readonly version: string;
  readonly importedAt: string;
  readonly entries: number;
  /** Each file read: its path in the publication's layout, sha256, size, whether it is the raw publication, and where it came from. */
  readonly files: readonly { path: string; sha256: string; size: number; raw: boolean; origin: string }[];
}

/** An account or token change: audited as `who`'s action when given. */
export interface AccountChange {
  readonly who?: Audited;
}

/**
 * Refuses a change that would leave no admin, decided under a lock, so two admins demoting each other at once leave one.
 * The account operations (src/web/auth/accounts.ts) always ask for it.
 */
export interface KeepAdmin {
  readonly keepAdmin?: boolean;
}

export interface Store {
  migrate(): Promise<void>;
  /** Inserts or updates a document by id; "unchanged" when its content hash is the same. */
  saveDocument(document: Document, now: string): Promise<WriteResult>;
  getDocument(id: string): Promise<Document | null>;
  saveFacts(documentId: string, stored: StoredFacts): Promise<void>;
  getFacts(documentId: string): Promise<StoredFacts | null>;
  /** Writes the item, links its documents and appends an enrichment record. */
  saveItem(item: Item, documentIds: readonly string[], now: string): Promise<WriteResult>;
  getItem(id: string): Promise<Item | null>;
  itemDocuments(itemId: string): Promise<Document[]>;
  listItems(query: ListQuery): Promise<ItemSummary[]>;
  countItems(): Promise<number>;
  itemIds(): Promise<string[]>;
  enrichmentCount(itemId: string): Promise<number>;
  saveCatalog(name: string, version: string, data: unknown, now: string): Promise<void>;
  /** Every catalog's compact index, but those named in `except` (loaded on demand with loadCatalog). */
  loadCatalogs(except?: readonly string[]): Promise<{ name: string; version: string; data: unknown }[]>;
  /** Catalog name to version, without the data: cheap enough to read for every enrichment. */
  catalogVersions(): Promise<Record<string, string>>;
  /** One catalog's compact index (a large one not read at start), or null. */
  loadCatalog(name: string): Promise<{ name: string; version: string; data: unknown } | null>;
  recordCatalogVersion(record: CatalogVersionRecord): Promise<void>;
  /** Imported versions, newest first; of one catalog when named. */
  catalogHistory(name?: string): Promise<CatalogVersionRecord[]>;
  /** The revisions a document had before its current text, oldest first. */
  documentRevisions(documentId: string): Promise<DocumentRevision[]>;

  listSources(): Promise<Source[]>;
  getSource(name: string): Promise<Source | null>;
  /** Adds a source or changes its definition; its health is kept. */
  saveSource(definition: SourceDefinition, now: string): Promise<WriteResult>;
  removeSource(name: string): Promise<boolean>;
  saveSourceHealth(name: string, health: SourceHealth): Promise<void>;
  /** Takes a due source for one run; false when another worker holds it or it is not due. */
  claimSource(name: string, now: string, leaseUntil: string): Promise<boolean>;
  releaseSource(name: string): Promise<void>;
  getSourceEntry(source: string, entryKey: string): Promise<SourceEntry | null>;
  saveSourceEntry(source: string, entryKey: string, entry: SourceEntry, now: string): Promise<void>;

  getCveData(cves: readonly string[]): Promise<Map<string, CveData>>;
  saveCveData(records: readonly CveData[], now: string): Promise<void>;
  /**
   * Applies patches atomically (read, merge, write in one transaction, rows locked on PostgreSQL), so two sources
   * updating one CVE at once never lose each other's fields. Returns each CVE before and after; unchanged rows are not written.
   */
  mergeCveData(patches: readonly CveDataPatch[], merge: (before: CveData | null, patch: CveDataPatch) => CveData, now: string): Promise<CveChange[]>;
  /** Items whose facts cite any of these CVEs. */
  itemsCiting(cves: readonly string[]): Promise<string[]>;

  /** Files a report's story features under its candidate keys (replacing what it had). */
  saveStoryFeatures(features: StoryFeatures, keys: readonly string[]): Promise<void>;
  /** Reports filed under any of the keys, published in [from, to] or undated, with their items; at most `limit`. */
  storyCandidates(keys: readonly string[], from: string, to: string, limit: number): Promise<StoryCandidate[]>;
  /** The item a document belongs to, if any. */
  documentItem(documentId: string): Promise<string | null>;
  /**
   * Runs `fn` holding the story lock: finding a report's story and filing it must not interleave with another report's,
   * or two reports of one event arriving together would each start an item. In-process on SQLite, an advisory lock on PostgreSQL.
   */
  withStoryLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Adds a report to an existing item. */
  linkDocument(itemId: string, documentId: string): Promise<void>;
  /** Moves every report of `from` into `to`, deletes `from` and redirects its id. */
  mergeItems(from: string, to: string): Promise<void>;
  /** Takes a report out of an item (the item itself stays, with its other reports). */
  removeItemDocument(itemId: string, documentId: string): Promise<void>;
  /** An id merged away leads to the item it went into. */
  resolveItemId(id: string): Promise<string>;
  addItemEvent(itemId: string, event: TimelineEvent): Promise<void>;
  itemEvents(itemId: string): Promise<TimelineEvent[]>;
  addStoryConstraint(documentId: string, itemId: string, kind: StoryConstraintKind, at: string): Promise<void>;
  storyConstraints(documentIds: readonly string[]): Promise<{ documentId: string; itemId: string; kind: StoryConstraintKind }[]>;
  /** Items written after `after` (exclusive), oldest write first, with the time of that write: the TAXII feed's order. */
  itemsWrittenAfter(after: string | null, limit: number): Promise<{ item: Item; writtenAt: string }[]>;
  saveWatchlist(watchlist: Watchlist, now: string): Promise<WriteResult>;
  listWatchlists(): Promise<Watchlist[]>;
  removeWatchlist(name: string): Promise<boolean>;
  /**
   * Queues an alert once per watchlist, item and channel: "unchanged" when one exists, unless the item's severity rose
   * since, in which case that row is queued again ("updated") with the new payload.
   */
  enqueueDelivery(delivery: DeliveryInput, now: string): Promise<WriteResult>;
  /**
   * Pending and failed deliveries due at `now`, oldest first (immediate ones, or digest entries with `digest`). With `leaseUntil`
   * they are claimed until then, so another worker does not send them too.
   */
  dueDeliveries(now: string, limit: number, options?: { digest?: boolean; leaseUntil?: string }): Promise<AlertDelivery[]>;
  markDelivery(id: number, update: DeliveryUpdate): Promise<void>;
  /** The delivery log, newest first. */
  listDeliveries(filter: DeliveryFilter): Promise<AlertDelivery[]>;

  // Local accounts (src/web/auth). Sessions and API tokens are looked up by the sha256 of their secret, never the secret.
  countUsers(): Promise<number>;
  // A change given `who` appends its audit row (user.*, token.*) in its own transaction; one without (the log-in's re-hash) is not audited.
  /**
   * Adds a user: "name-taken" when the name exists. With `onlyFirst`, "not-first" when any user exists, decided under a lock,
   * so two first-run set-ups racing each other never both make an admin.
   */
  createUser(user: UserRecord, options?: { readonly onlyFirst?: boolean } & AccountChange): Promise<'created' | 'name-taken' | 'not-first'>;
  getUser(id: string): Promise<UserRecord | null>;
  getUserByName(name: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** False when there is no such user; "last-admin" (with `keepAdmin`) when it would take the admin role from the only admin. */
  updateUser(id: string, patch: { readonly role?: UserRole; readonly passwordHash?: string; readonly passwordChangedAt?: string }, options?: AccountChange & KeepAdmin): Promise<boolean | 'last-admin'>;
  /** Removes a user with their sessions and tokens; false when there is no such user, "last-admin" as updateUser. */
  removeUser(id: string, options?: AccountChange & KeepAdmin): Promise<boolean | 'last-admin'>;
  saveSession(session: SessionRecord): Promise<void>;
  /** A session with its user, expired or not: the caller judges expiry and idle time. */
  getSession(idHash: string): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user, or every session expired before a time; returns how many. */
  deleteSessions(filter: { readonly userId: string } | { readonly expiredBefore: string }): Promise<number>;
  saveApiToken(token: ApiTokenRecord, options?: AccountChange): Promise<void>;
  /** A token with its owner, expired or not. */
  getApiToken(tokenHash: string): Promise<{ token: ApiTokenRecord; user: UserRecord } | null>;
  /** Tokens, oldest first: every one, or one user's. */
  listApiTokens(userId?: string): Promise<ApiTokenRecord[]>;
  touchApiToken(id: string, lastUsedAt: string): Promise<void>;
  revokeApiToken(id: string, options?: AccountChange): Promise<boolean>;
  /** The team's work on an item: step states, evidence register, technique and IOC verdicts. */
  itemWork(itemId: string): Promise<ItemWork>;
  /** Changes a checklist step's state (the fields given), one audit row per field changed; null when it has no state and nothing changed. */
  updateStep(itemId: string, stepKey: string, change: StepChange, who: { actor: string; at: string }): Promise<StepState | null>;
  addEvidence(itemId: string, input: EvidenceInput, who: { actor: string; at: string }): Promise<EvidenceEntry>;
  listEvidence(itemId: string): Promise<EvidenceEntry[]>;
  /** Confirms or rejects a technique on an item (null clears the verdict), audited. */
  setTechniqueVerdict(itemId: string, techniqueId: string, verdict: Verdict | null, reason: string | null, who: { actor: string; at: string }): Promise<TechniqueVerdict | null>;
  /** Confirms or rejects an IOC on an item (null clears); a false-positive rejection puts it on the persistent list, a confirmation takes it off. */
  setIocVerdict(itemId: string, type: IocType, value: string, verdict: Verdict | null, reason: string | null, falsePositive: boolean, who: { actor: string; at: string }): Promise<IocVerdict | null>;
  /** The analysts' persistent false-positive list, which enrichment reads. */
  falsePositives(): Promise<FalsePositive[]>;
  removeFalsePositive(type: IocType, value: string, who: { actor: string; at: string }): Promise<boolean>;
  /** The append-only audit log of analyst actions, newest first. */
  auditLog(query: AuditQuery): Promise<AuditEntry[]>;
  /** The list: full-text search, filters, sort and a page, with the total; kept in step by saveItem, mergeItems and importItems. */
  searchItems(query: SearchQuery): Promise<SearchResult>;
  /** Filter values (of these kinds, or all) with the number of matching items carrying each, most items first within a kind. */
  countTerms(kinds?: readonly string[], query?: Pick<SearchQuery, 'q' | 'filters'>): Promise<Facet[]>;
  /** Matching items per day (their date: last report, else first) and severity, oldest day first. */
  dailyCounts(query?: Pick<SearchQuery, 'q' | 'filters'>): Promise<DailyCount[]>;
  /** Bulk load of new items (seeding, restores): rows and search index in one transaction, without enrichment history. */
  importItems(items: readonly Item[], now: string): Promise<void>;
  /** Saves (or replaces, by name) one of the user's list views. */
  saveView(userId: string, name: string, query: string, now: string): Promise<SavedView>;
  listViews(userId: string): Promise<SavedView[]>;
  removeView(userId: string, id: number): Promise<boolean>;
  markRead(userId: string, itemIds: readonly string[], now: string): Promise<void>;
  /**
   * Marks an item opened: written with others a moment later (src/store/read-marks.ts), and always before this store reads read
   * state again (searchItems with a user, markRead, close).
   */
  markOpened(userId: string, itemId: string, now: string): void;
  /**
   * Records a visit to the list and returns the previous visit's time (null on the first): a visit starts after `gapMs`
   * without one, so paging through the list does not move "new since my last visit".
   */
  recordVisit(userId: string, now: string, gapMs: number): Promise<string | null>;
  close(): Promise<void>;
  /** The item's revision, new on every write of it (null when there is no such item): cheaper than the item itself. */
  itemRevision(id: string): Promise<string | null>;
  /**
   * What the item page needs before it renders anything: the item's revision (null: no such item), whether the team has any
   * work on it, and its kept page of `variant` when that page was rendered from this revision.
   */
  itemPageState(id: string, variant: string): Promise<ItemPageState | null>;
  /** Keeps a rendered page of the item's revision `revision`, replacing the variant's earlier one. */
  saveItemPage(itemId: string, variant: string, revision: string, body: Uint8Array): Promise<void>;
  /**
   * Of the `scan` items after `after` by id, those lacking a kept page of their current revision in any of `variants`, and
   * the last id looked at (null past the last item): a slice short enough not to hold up requests on an embedded database.
   */
  itemsWithoutPage(variants: readonly string[], after: string | null, scan: number): Promise<{ due: { id: string; revision: string }[]; last: string | null }>;
  /** Deletes up to `limit` kept pages of variants other than `keep`; returns how many. */
  dropItemPages(keep: readonly string[], limit: number): Promise<number>;
}

export interface ItemPageState {
  readonly revision: string;
  readonly hasWork: boolean;
  /** The kept page, only when it is of `revision`. */
  readonly page: Uint8Array | null;
}
