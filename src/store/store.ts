/** The Store interface every stage and route uses: the only place that knows there is a database. */
import type { Document, Facts, Item } from '../domain/index.js';

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

export interface StoredFacts {
  readonly contentHash: string;
  readonly knowledgeVersion: string;
  readonly facts: Facts;
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
  loadCatalogs(): Promise<{ name: string; version: string; data: unknown }[]>;
  close(): Promise<void>;
}
