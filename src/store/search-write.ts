/** Keeps the search index (item_search, search_tokens, item_terms) in step with items: written with each item, and backfilled by the migrations. */
import type { Kysely } from 'kysely';
import type { Item } from '../domain/index.js';
import type { Database } from './schema.js';
import { itemTerms, searchBody } from './search-index.js';
import { identifierTokens } from './search-tokens.js';

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * Writes the index rows of these items (already in `items`). An item's `changed_at` moves only when its searchable text
 * does (a new report, title, CVE or indicator): a re-score alone leaves it read and not new. `tokens` is false only for the
 * migration that predates search_tokens.
 */
export async function indexItems(db: Kysely<Database>, items: readonly Item[], now: string | ((item: Item) => string), tokens = true): Promise<void> {
  const at = typeof now === 'string' ? () => now : now;
  for (const part of chunks(items, 200)) {
    const ids = part.map((i) => i.id);
    const before = new Map((await db.selectFrom('item_search').select(['item_id', 'body', 'changed_at']).where('item_id', 'in', ids).execute()).map((r) => [r.item_id, r]));
    const rows = part.map((item) => {
      const body = searchBody(item);
      const old = before.get(item.id);
      return { item_id: item.id, body, changed_at: old && old.body === body ? old.changed_at : at(item) };
    });
    const changed = rows.filter((r) => before.get(r.item_id)?.body !== r.body);
    for (const c of chunks(changed, 200)) {
      await db.insertInto('item_search').values(c)
        .onConflict((oc) => oc.column('item_id').doUpdateSet((eb) => ({ body: eb.ref('excluded.body'), changed_at: eb.ref('excluded.changed_at') })))
        .execute();
    }
    if (tokens && changed.length > 0) {
      // The upsert keeps an item's id, so its old tokens are found by it; a new row's id is read back.
      const docs = await db.selectFrom('item_search').select(['id', 'item_id']).where('item_id', 'in', changed.map((r) => r.item_id)).execute();
      const body = new Map(changed.map((r) => [r.item_id, r.body]));
      await writeTokens(db, docs.map((d) => ({ doc: d.id, body: body.get(d.item_id)! })), docs.some((d) => before.has(d.item_id)));
    }
    await db.deleteFrom('item_terms').where('item_id', 'in', ids).execute();
    const terms = part.flatMap((item) => itemTerms(item).map((t) => ({ item_id: item.id, ...t })));
    for (const c of chunks(terms, 500)) await db.insertInto('item_terms').values(c).execute();
  }
}

/** Indexes every stored item, a page at a time: for the migration that adds the index to a database that has items. */
export async function backfillSearchIndex(db: Kysely<Database>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('items').select(['id', 'data', 'updated_at']).where('id', '>', after).orderBy('id').limit(500).execute();
    if (rows.length === 0) return;
    const written = new Map(rows.map((r) => [r.id, r.updated_at]));
    await indexItems(db, rows.map((r) => JSON.parse(r.data) as Item), (item) => written.get(item.id)!, false);
    after = rows[rows.length - 1].id;
  }
}

/** Replaces the exact tokens of these item_search rows (`replace` when some may have tokens already). */
async function writeTokens(db: Kysely<Database>, docs: readonly { doc: number; body: string }[], replace: boolean): Promise<void> {
  if (replace) for (const c of chunks(docs, 500)) await db.deleteFrom('search_tokens').where('doc', 'in', c.map((d) => d.doc)).execute();
  const rows = docs.flatMap((d) => identifierTokens(d.body).map((token) => ({ token, doc: d.doc })));
  for (const c of chunks(rows, 400)) await db.insertInto('search_tokens').values(c).execute();
}

/** Fills search_tokens from the stored search text, a page at a time: for the migration that adds it. */
export async function backfillSearchTokens(db: Kysely<Database>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('item_search').select(['id', 'body']).where('id', '>', after).orderBy('id').limit(2000).execute();
    if (rows.length === 0) return;
    await writeTokens(db, rows.map((r) => ({ doc: r.id, body: r.body })), false);
    after = rows[rows.length - 1].id;
  }
}
