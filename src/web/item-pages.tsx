/**
 * The item page's main part kept rendered in the store, one per item revision and variant (read, edit), for items with no work
 * on them yet: rendered when a revision is new (by the keeper after writes, or by the first request), deflated once, so an item
 * page is an indexed read and the per-request frame.
 */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Item } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { type PageBytes, compressPage, encodePage } from './page-bytes.js';
import { importClosure } from './render-code.js';
import { ItemMain } from './views/item.js';

/** Variant names, by whether the viewer may edit (analysts get the forms). */
export const VARIANTS = { read: false, edit: true } as const;
export type Variant = keyof typeof VARIANTS;
export const variantOf = (canEdit: boolean): Variant => (canEdit ? 'edit' : 'read');
/**
 * What the kept pages were made by: the path, size and modification time of every code file the rendering imports (this
 * module, the views and whatever they import, the encoding in page-bytes.ts), so pages kept by other code (a release, an
 * escaping fix) are never given out; the keeper renders them again and drops the old ones. Code the page does not import
 * (the store, the routes) leaves the kept pages valid: a fix there does not re-render 100,000 pages.
 */
const HERE = fileURLToPath(import.meta.url);
let codeKey: string | undefined;
function pageCode(): string {
  if (codeKey) return codeKey;
  const hash = createHash('sha256').update('vigil.item-page/4\0');
  const root = path.resolve(path.dirname(HERE), '..');
  for (const file of importClosure([HERE])) {
    const stat = fs.statSync(file);
    hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\0`);
  }
  return (codeKey = hash.digest('hex').slice(0, 16));
}
export const keptVariant = (v: Variant) => `${v}@${pageCode()}`;

const NO_WORK = { steps: [], evidence: [], techniques: [], iocs: [] };

/** `item`'s main part with no work on it, compressed, split where the CSRF token goes. */
export async function renderMain(item: Item, variant: Variant): Promise<PageBytes> {
  const viewer = (csrf: string) => ({ user: null, csrf, canEdit: VARIANTS[variant] });
  return (await compressPage(async (csrf) => ({ title: item.title, html: String(await (<ItemMain item={item} work={NO_WORK} viewer={viewer(csrf)} />)) })))!;
}

/** Renders and keeps `variants` of the item at `revision` (the store keeps nothing if the item has moved on since). */
export async function keepPages(store: Store, item: Item, revision: string, variants: readonly Variant[]): Promise<Map<Variant, PageBytes>> {
  const out = new Map<Variant, PageBytes>();
  for (const v of variants) {
    const page = await renderMain(item, v);
    await store.saveItemPage(item.id, keptVariant(v), revision, encodePage(page));
    out.set(v, page);
  }
  return out;
}

const ALL = Object.keys(VARIANTS) as Variant[];
const ALL_KEPT = ALL.map((v) => keptVariant(v));
const pause = () => new Promise((resolve) => setImmediate(resolve));
let dropped = false;

/**
 * Keeps the pages of every item whose revision has none yet, in id order, yielding to requests between items; returns how many
 * items it rendered. `stop` ends it between items.
 */
export async function keepItemPages(store: Store, options: { batch?: number; stop?: () => boolean } = {}): Promise<number> {
  let after: string | null = null;
  let kept = 0;
  // Pages other code kept, once a process, a batch at a time: they are never read again.
  if (!dropped) {
    while (!options.stop?.() && (await store.dropItemPages(ALL_KEPT, 500)) > 0) await pause();
    dropped = !options.stop?.();
  }
  for (;;) {
    // A slice of ids at a time, requests served between slices: one look over 100,000 items blocks for a third of a second.
    const { due, last } = await store.itemsWithoutPage(ALL_KEPT, after, options.batch ?? 500);
    for (const { id, revision } of due) {
      if (options.stop?.()) return kept;
      const item = await store.getItem(id);
      if (item) await keepPages(store, item, revision, ALL);
      kept++;
      await pause();
    }
    if (last === null || options.stop?.()) return kept;
    after = last;
    await pause();
  }
}

/**
 * Runs keepItemPages now and every `everyMs` after, one run at a time, until stopped: new revisions get their pages soon after a
 * write (a first view keeps its own before that). A look over 100,000 items costs well under a second of CPU.
 */
export function startPageKeeper(store: Store, everyMs = 60_000): { stop(): Promise<void> } {
  let stopped = false;
  let busy = false;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    if (busy || stopped) return;
    busy = true;
    running = keepItemPages(store, { stop: () => stopped }).catch((e: unknown) => console.error('item pages:', e)).finally(() => { busy = false; });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
