/**
 * Story grouping scored with B-cubed precision, recall and F1 on a labelled set (DIR/labels.jsonl, format in
 * eval/sets/stories/README.md). Rows either reference a feed entry ("file#link", read from --feeds, by default
 * shared/data/feeds) or carry the entry inline (title, text, outlet, published). Each order of arrival is scored, to show
 * that the grouping does not depend on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storyFeatures, type StoryFeatures } from '../src/cluster/features.js';
import { StoryIndex } from '../src/cluster/story-index.js';
import type { Document } from '../src/domain/index.js';
import { extract } from '../src/extract/index.js';
import { canonicalUrl } from '../src/ingest/index.js';
import { importCatalogs } from '../src/knowledge/import-catalogs.js';
import { loadKb } from '../src/knowledge/load-kb.js';
import { loadCatalogs } from '../src/knowledge/store-catalogs.js';
import { entryDocument } from '../src/sources/entry-document.js';
import { type FeedEntry, parseFeed } from '../src/sources/feed-parse.js';
import { openSqliteStore } from '../src/store/index.js';
import type { EvalOptions } from './main.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');

interface Row {
  readonly ref?: string;
  readonly story: string;
  readonly title?: string;
  readonly text?: string;
  readonly outlet?: string;
  readonly published?: string | null;
  readonly url?: string | null;
}

/** The entries of one feed file, by raw link (canonicalised) and by guid; the normalised JSON of shared/data/feeds too. */
function entriesOf(file: string): Map<string, FeedEntry> {
  const bytes = fs.readFileSync(file);
  const out = new Map<string, FeedEntry>();
  if (file.endsWith('.json')) {
    const rows = JSON.parse(bytes.toString('utf8')) as { title: string; link: string; summary?: string; published?: string }[];
    for (const r of rows) {
      out.set(canonicalUrl(r.link), {
        guid: null, url: canonicalUrl(r.link), title: r.title, summary: r.summary ?? null, contentHtml: null,
        published: r.published ? new Date(r.published).toISOString() : null, updated: null, author: null, categories: [],
      });
    }
    return out;
  }
  for (const e of parseFeed(bytes).entries) {
    if (e.url) out.set(canonicalUrl(e.url), e);
    if (e.guid) out.set(e.guid, e);
  }
  return out;
}

export function loadStorySet(dir: string, feeds: string): { docs: Document[]; labels: Map<string, string>; saved: Set<string> } {
  const rows = fs.readFileSync(path.join(dir, 'labels.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Row);
  const files = new Map<string, Map<string, FeedEntry>>();
  const docs: Document[] = [];
  const labels = new Map<string, string>();
  // The entries read from the set's own feeds/ (saved after shared/data/feeds), scored apart as well: a check on tuning.
  const saved = new Set<string>();
  for (const [n, row] of rows.entries()) {
    let doc: Document;
    let fromSet = false;
    if (row.ref) {
      const at = row.ref.indexOf('#');
      const file = row.ref.slice(0, at);
      const key = row.ref.slice(at + 1);
      // Entries saved after shared/data/feeds (later upstream versions of the same aggregate) live in the set's own feeds/.
      const own = path.join(dir, 'feeds', file);
      if (!files.has(file)) files.set(file, entriesOf(fs.existsSync(own) ? own : path.join(feeds, file)));
      fromSet = fs.existsSync(own);
      const entry = files.get(file)!.get(canonicalUrl(key)) ?? files.get(file)!.get(key);
      if (!entry) throw new Error(`labels.jsonl line ${n + 1}: ${row.ref} is not an entry of ${file}`);
      const outlet = file.endsWith('.json') ? new URL(key).hostname.replace(/^www\./, '') : file.replace(/\.xml$/, '');
      doc = entryDocument(entry, { name: file, outlet }, null);
      // The same article in two files is one document in Vigil; here each labelled row stays its own report.
      doc = { ...doc, id: `${doc.id}:${n}` };
    } else {
      if (!row.title || !row.text) throw new Error(`labels.jsonl line ${n + 1}: needs ref, or title and text`);
      doc = {
        id: `row:${n}`, contentHash: String(n), title: row.title, outlet: row.outlet ?? 'unknown', url: row.url ?? null,
        published: row.published ?? null, format: 'text', text: row.text, origin: 'eval', example: false,
      };
    }
    docs.push(doc);
    labels.set(doc.id, row.story);
    if (fromSet) saved.add(doc.id);
  }
  return { docs, labels, saved };
}

/** B-cubed: per report, the share of its predicted group that truly belongs with it (precision) and of its true story that was found (recall). */
export function bcubed(predicted: readonly (readonly string[])[], truth: ReadonlyMap<string, string>, only?: (id: string) => boolean): { precision: number; recall: number; f1: number } {
  const groupOf = new Map<string, readonly string[]>();
  for (const g of predicted) for (const id of g) groupOf.set(id, g);
  const storySize = new Map<string, number>();
  for (const s of truth.values()) storySize.set(s, (storySize.get(s) ?? 0) + 1);
  let p = 0;
  let r = 0;
  let n = 0;
  for (const [id, story] of truth) {
    if (only && !only(id)) continue;
    n++;
    const group = groupOf.get(id) ?? [id];
    const correct = group.filter((x) => truth.get(x) === story).length;
    p += correct / group.length;
    r += correct / storySize.get(story)!;
  }
  const precision = p / n;
  const recall = r / n;
  return { precision: round(precision), recall: round(recall), f1: round((2 * precision * recall) / (precision + recall)) };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** A seeded shuffle, so the "random order" figure is the same on every run. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export async function run(options: EvalOptions): Promise<Record<string, unknown>> {
  const kb = loadKb();
  const store = await openSqliteStore(':memory:');
  if (fs.existsSync(shared)) await importCatalogs(store, shared, new Date(0).toISOString());
  const catalogs = await loadCatalogs(store);
  await store.close();
  const { docs, labels, saved } = loadStorySet(options.data, process.env.VIGIL_STORY_FEEDS ?? path.join(shared, 'feeds'));
  const kinds = new Map(catalogs.actors().map((a) => [a.id, a.kind]));
  const features = new Map<string, StoryFeatures>(docs.map((d) => [d.id, storyFeatures(d, extract(d, kb, catalogs), kb, (id) => kinds.get(id) ?? null)]));
  const byDate = [...docs].sort((a, b) => (a.published ?? '').localeCompare(b.published ?? '') || a.id.localeCompare(b.id));
  const orders: Record<string, Document[]> = { byDate, reverse: [...byDate].reverse(), shuffled: shuffled(byDate, 7) };
  const results: Record<string, unknown> = {};
  let reference: string | null = null;
  let sameEverywhere = true;
  let errors: { merged: string[][]; missed: string[][] } = { merged: [], missed: [] };
  let parts: Record<string, unknown> | null = null;
  for (const [name, order] of Object.entries(orders)) {
    const index = new StoryIndex(kb.stories);
    for (const d of order) index.add(features.get(d.id)!);
    const groups = index.groups();
    const canonical = JSON.stringify(groups.map((g) => [...g].sort()).sort());
    reference ??= canonical;
    if (canonical !== reference) sameEverywhere = false;
    results[name] = bcubed(groups, labels);
    if (name === 'byDate') {
      errors = mistakes(groups, labels, docs);
      // Averaged over part of the entries, on the grouping of the whole set.
      if (saved.size > 0) parts = { sharedFeeds: bcubed(groups, labels, (id) => !saved.has(id)), setFeeds: bcubed(groups, labels, (id) => saved.has(id)) };
    }
  }
  const stories = new Set(labels.values());
  return {
    entries: docs.length, stories: stories.size,
    multiEntryStories: [...stories].filter((s) => [...labels.values()].filter((x) => x === s).length > 1).length,
    bcubed: results.byDate, ...(parts ? { byFeedFolder: parts } : {}), orders: results, sameGroupsInEveryOrder: sameEverywhere,
    ...(options.json ? {} : { mistakes: errors }),
  };
}

/** The groups that mixed stories and the stories that were split, by title, for reading. */
function mistakes(groups: readonly string[][], labels: ReadonlyMap<string, string>, docs: readonly Document[]) {
  const title = new Map(docs.map((d) => [d.id, `${d.title.slice(0, 70)} [${labels.get(d.id)}]`]));
  const merged = groups.filter((g) => new Set(g.map((id) => labels.get(id))).size > 1).map((g) => g.map((id) => title.get(id)!));
  const by = new Map<string, Set<string>>();
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => g.forEach((id) => groupOf.set(id, i)));
  for (const [id, s] of labels) {
    const set = by.get(s) ?? new Set();
    set.add(String(groupOf.get(id)));
    by.set(s, set);
  }
  const missed = [...by.entries()].filter(([, set]) => set.size > 1)
    .map(([s, set]) => [s, ...[...set].map((gi) => groups[Number(gi)].map((id) => title.get(id)!).join(' | '))]);
  return { merged, missed };
}
