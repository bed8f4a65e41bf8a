/** Wires the stages: raw input → Document → Facts → Item, stored through the Store; the only module that joins I/O to the pure stages. */
import type { Profile } from './config/profile.js';
import type { Document, Item } from './domain/index.js';
import { enrich, itemIdFor } from './enrich/index.js';
import { extract } from './extract/index.js';
import { parseDocument, type RawInput } from './ingest/index.js';
import type { Catalogs } from './knowledge/catalogs.js';
import { withCveData } from './knowledge/cve-catalogs.js';
import type { Kb } from './knowledge/load-kb.js';
import type { Store, WriteResult } from './store/index.js';

export interface PipelineContext {
  readonly kb: Kb;
  readonly catalogs: Catalogs;
  readonly profile: Profile | null;
  readonly profileName: string | null;
  /** The clock, passed in so tests and re-runs are deterministic. */
  readonly now: () => Date;
  /** A fixed analysis date; by default the clock's date. */
  readonly asOf?: string;
}

export interface IngestResult {
  readonly document: Document;
  readonly item: Item;
  readonly document_: WriteResult;
  readonly item_: WriteResult;
}

const today = (ctx: PipelineContext) => ctx.asOf ?? ctx.now().toISOString().slice(0, 10);

/** Builds the item for a set of stored documents, reusing stored facts when the text and knowledge are unchanged. */
async function buildItem(store: Store, documents: readonly Document[], ctx: PipelineContext): Promise<Item> {
  const primary = documents[0];
  const stored = await store.getFacts(primary.id);
  let facts = stored && stored.contentHash === primary.contentHash && stored.knowledgeVersion === ctx.kb.version ? stored.facts : null;
  if (!facts) {
    facts = extract(primary, ctx.kb, ctx.catalogs);
    await store.saveFacts(primary.id, { contentHash: primary.contentHash, knowledgeVersion: ctx.kb.version, facts });
  }
  // KEV, EPSS and NVD data change daily: they are read at each enrichment, never cached with the facts.
  const catalogs = facts.cves.length === 0 ? ctx.catalogs
    : withCveData(ctx.catalogs, await store.getCveData(facts.cves.map((c) => c.id)), await store.catalogVersions());
  return enrich({
    documents, facts, kb: ctx.kb, catalogs, profile: ctx.profile, profileName: ctx.profileName,
    asOf: today(ctx), now: ctx.now().toISOString(),
  });
}

/** Stores one document and its item. Ingesting the same document again writes nothing. */
export async function ingest(store: Store, input: RawInput, ctx: PipelineContext): Promise<IngestResult> {
  // Parse first: a refused document must leave nothing behind.
  return ingestDocument(store, parseDocument(input), ctx);
}

/** Stores a document already read (from a feed entry, a page, a file) and its item. */
export async function ingestDocument(store: Store, document: Document, ctx: PipelineContext): Promise<IngestResult> {
  const now = ctx.now().toISOString();
  const documentResult = await store.saveDocument(document, now);
  if (documentResult === 'unchanged') {
    const existing = await findItemFor(store, document);
    if (existing) return { document, item: existing, document_: 'unchanged', item_: 'unchanged' };
  }
  const item = await buildItem(store, [document], ctx);
  const itemResult = await store.saveItem(item, [document.id], now);
  return { document, item, document_: documentResult, item_: itemResult };
}

function findItemFor(store: Store, document: Document): Promise<Item | null> {
  return store.getItem(itemIdFor([document]));
}

/** Re-runs extraction (when the kb changed) and enrichment for every stored item: one command after a knowledge update. */
export async function reenrich(store: Store, ctx: PipelineContext): Promise<{ items: number; updated: number }> {
  return reenrichItems(store, await store.itemIds(), ctx);
}

/** Re-scores the items that cite CVEs whose KEV, EPSS or NVD data changed. */
export async function rescoreCves(store: Store, cves: readonly string[], ctx: PipelineContext): Promise<{ items: number; updated: number }> {
  return cves.length === 0 ? { items: 0, updated: 0 } : reenrichItems(store, await store.itemsCiting(cves), ctx);
}

async function reenrichItems(store: Store, ids: readonly string[], ctx: PipelineContext): Promise<{ items: number; updated: number }> {
  let updated = 0;
  for (const id of ids) {
    const documents = await store.itemDocuments(id);
    if (documents.length === 0) continue;
    const item = await buildItem(store, documents, ctx);
    if ((await store.saveItem(item, documents.map((d) => d.id), ctx.now().toISOString())) !== 'unchanged') updated++;
  }
  return { items: ids.length, updated };
}
