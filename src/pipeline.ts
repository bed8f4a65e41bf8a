/** Wires the stages: raw input → Document → Facts → Item, stored through the Store; the only module that joins I/O to the pure stages. */
import type { TechniqueModel } from './techniques/model.js';
import { alertOnItem } from './alerts/index.js';
import type { Profile } from './config/profile.js';
import { actorKinds, assignStory, canMerge, fileStory } from './cluster/assign.js';
import { type StoryFeatures, storyFeatures } from './cluster/features.js';
import type { Document, Facts, Item, TimelineEvent } from './domain/index.js';
import { enrich, itemIdFor } from './enrich/index.js';
import type { Rewriter } from './enrich/rewrite.js';
import { extract } from './extract/index.js';
import { mergeFacts } from './extract/merge-facts.js';
import { parseDocument, type RawInput } from './ingest/index.js';
import { readStructured } from './ingest/structured.js';
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
  /** The optional, fact-checked summary rewrite (VIGIL_LLM_URL); without it enrichment stays deterministic. */
  readonly rewriter?: Rewriter | null;
  /** The technique model `vigil kb train` made; without it ATT&CK techniques come from written ids and kb phrasing only. */
  readonly techniqueModel?: TechniqueModel | null;
  /** Or the model read on first use (the CLI's: `vigil serve` starts without parsing it). */
  readonly loadTechniqueModel?: () => Promise<TechniqueModel | null>;
}

export interface IngestResult {
  readonly document: Document;
  readonly item: Item;
  readonly document_: WriteResult;
  readonly item_: WriteResult;
}

const today = (ctx: PipelineContext) => ctx.asOf ?? ctx.now().toISOString().slice(0, 10);

/** A document's facts, from the store when its text and the knowledge are unchanged. */
async function factsFor(store: Store, document: Document, ctx: PipelineContext): Promise<Facts> {
  const stored = await store.getFacts(document.id);
  if (stored && stored.contentHash === document.contentHash && stored.knowledgeVersion === ctx.kb.version) return stored.facts;
  const facts = extract(document, ctx.kb, ctx.catalogs);
  await store.saveFacts(document.id, { contentHash: document.contentHash, knowledgeVersion: ctx.kb.version, facts });
  return facts;
}

/** Builds an item from its stored reports (earliest first), their facts merged, its timeline read back. */
async function buildItem(store: Store, id: string | undefined, documents: readonly Document[], ctx: PipelineContext): Promise<Item> {
  const parts = [];
  for (const document of documents) parts.push({ document, facts: await factsFor(store, document, ctx) });
  const facts = mergeFacts(parts);
  // KEV, EPSS and NVD data change daily: they are read at each enrichment, never cached with the facts.
  const catalogs = facts.cves.length === 0 ? ctx.catalogs
    : withCveData(ctx.catalogs, await store.getCveData(facts.cves.map((c) => c.id)), await store.catalogVersions());
  const item = enrich({
    documents, facts, kb: ctx.kb, catalogs, profile: ctx.profile, profileName: ctx.profileName,
    asOf: today(ctx), now: ctx.now().toISOString(), id, timeline: id ? await store.itemEvents(id) : [],
    falsePositives: await store.falsePositives(), techniqueModel: ctx.techniqueModel ?? (await ctx.loadTechniqueModel?.()) ?? null,
  });
  return ctx.rewriter ? ctx.rewriter.rewrite(item) : item;
}

/** Re-enriches a stored item from its reports and saves it. */
async function rebuild(store: Store, id: string, ctx: PipelineContext): Promise<{ item: Item; result: WriteResult } | null> {
  const documents = await store.itemDocuments(id);
  if (documents.length === 0) return null;
  const item = await buildItem(store, id, documents, ctx);
  const result = await store.saveItem(item, documents.map((d) => d.id), ctx.now().toISOString());
  if (result !== 'unchanged') await alertOnItem(store, item, ctx);
  return { item, result };
}

/** Stores one document and its item. Ingesting the same document again writes nothing. */
export async function ingest(store: Store, input: RawInput, ctx: PipelineContext): Promise<IngestResult> {
  // Parse first: a refused document must leave nothing behind.
  return ingestDocument(store, readStructured(input) ?? parseDocument(input), ctx);
}

const event = (at: string, kind: TimelineEvent['kind'], document: Document | null, note: string): TimelineEvent =>
  ({ at, kind, documentId: document?.id ?? null, outlet: document?.outlet ?? null, title: document?.title ?? null, note });

/**
 * Stores a document (from a file, a feed entry, a page) and files it in its story: a report of an event already known
 * joins that item, and when it shows two items to be one event they become one (unless an analyst kept them apart).
 */
export async function ingestDocument(store: Store, document: Document, ctx: PipelineContext): Promise<IngestResult> {
  const now = ctx.now().toISOString();
  const documentResult = await store.saveDocument(document, now);
  const current = await store.documentItem(document.id);
  if (documentResult === 'unchanged' && current) {
    const item = await store.getItem(current);
    if (item) return { document, item, document_: 'unchanged', item_: 'unchanged' };
  }
  const features = storyFeatures(document, await factsFor(store, document, ctx), ctx.kb, actorKinds(ctx.catalogs));
  const placed = await store.withStoryLock(() => placeReport(store, document, documentResult, current, features, ctx, now));
  if ('item' in placed) {
    if (placed.item_ !== 'unchanged') await alertOnItem(store, placed.item, ctx);
    return placed;
  }
  const built = (await rebuild(store, placed.id, ctx))!;
  return { document, item: built.item, document_: documentResult, item_: built.result };
}

/** Puts a report in its item (new, joined, or merging several) and files it for later reports; runs under the story lock. */
async function placeReport(store: Store, document: Document, documentResult: WriteResult, current: string | null, features: StoryFeatures,
  ctx: PipelineContext, now: string): Promise<IngestResult | { id: string }> {
  const rules = ctx.kb.stories;
  if (current) {
    // An edited report stays in its story; the item is rebuilt around its new text.
    await store.addItemEvent(current, event(now, 'revised', document, 'the report was edited; its previous text is kept as a revision'));
    await fileStory(store, features, rules);
    return { id: current };
  }
  const found = await assignStory(store, features, rules, now);
  if (found.items.length === 0) {
    const id = itemIdFor([document]);
    await store.addItemEvent(id, event(now, 'created', document, 'first report of this event'));
    const item = await buildItem(store, id, [document], ctx);
    const result = await store.saveItem(item, [document.id], now);
    await fileStory(store, features, rules);
    return { document, item, document_: documentResult, item_: result };
  }
  const id = found.items[0];
  const why = found.pinned ? 'pinned here by an analyst' : `joined by the story rule: ${found.verdict?.reasons.join('; ')}`;
  await store.addItemEvent(id, event(now, 'source-added', document, why));
  await store.linkDocument(id, document.id);
  for (const other of found.items.slice(1)) {
    if (found.pinned || !(await canMerge(store, id, other))) continue;
    await store.mergeItems(other, id);
    await store.addItemEvent(id, event(now, 'merged', document, `item ${other} merged in: this report belongs to both`));
  }
  await fileStory(store, features, rules);
  return { id };
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
    const r = await rebuild(store, id, ctx);
    if (r && r.result !== 'unchanged') updated++;
  }
  return { items: ids.length, updated };
}

/** An analyst's decision that two items are one event: the second's reports move into the first, for good. */
export async function mergeStories(store: Store, keep: string, other: string, ctx: PipelineContext): Promise<Item> {
  const [a, b] = [await store.resolveItemId(keep), await store.resolveItemId(other)];
  if (a === b) throw new Error(`${keep} and ${other} are already one item`);
  const moving = await store.itemDocuments(b);
  if (moving.length === 0 || (await store.itemDocuments(a)).length === 0) throw new Error(`no item ${moving.length === 0 ? other : keep}`);
  const now = ctx.now().toISOString();
  await store.mergeItems(b, a);
  for (const d of [...moving, ...(await store.itemDocuments(a))]) await store.addStoryConstraint(d.id, a, 'pin', now);
  await store.addItemEvent(a, event(now, 'merged', null, `item ${b} merged in by an analyst (${moving.length} report${moving.length === 1 ? '' : 's'})`));
  return (await rebuild(store, a, ctx))!.item;
}

/** An analyst's decision that a report is another event: it becomes its own item and never rejoins this one. */
export async function splitReport(store: Store, itemId: string, documentId: string, ctx: PipelineContext): Promise<{ left: Item; split: Item }> {
  const from = await store.resolveItemId(itemId);
  const documents = await store.itemDocuments(from);
  const document = documents.find((d) => d.id === documentId);
  if (!document) throw new Error(`item ${itemId} has no report ${documentId}`);
  if (documents.length === 1) throw new Error(`${documentId} is the only report of ${itemId}; there is nothing to split it from`);
  const now = ctx.now().toISOString();
  // The report's own id may be taken: by the item it is leaving, or by an earlier item of its that was merged away.
  let to = itemIdFor([document]);
  for (let k = 1; to === from || (await store.resolveItemId(to)) !== to || (await store.getItem(to)); k++) {
    to = itemIdFor([{ ...document, id: `${document.id}:split:${k}` }]);
  }
  await store.removeItemDocument(from, documentId);
  await store.addStoryConstraint(documentId, from, 'block', now);
  await store.addStoryConstraint(documentId, to, 'pin', now);
  for (const d of documents) if (d.id !== documentId) await store.addStoryConstraint(d.id, from, 'pin', now);
  await store.addItemEvent(from, event(now, 'split', document, `report split out by an analyst into ${to}`));
  await store.addItemEvent(to, event(now, 'split', document, `split out of ${from} by an analyst`));
  const split = await buildItem(store, to, [document], ctx);
  await store.saveItem(split, [document.id], now);
  return { left: (await rebuild(store, from, ctx))!.item, split };
}
