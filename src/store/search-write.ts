/** Keeps the search index (item_search, item_terms) in step with items: written with each item, and backfilled by the migration. */
import type { Kysely } from 'kysely';
import type { Item } from '../domain/index.js';
import type { Database } from './schema.js';
import { itemTerms, searchBody } from './search-index.js';

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * Writes the index rows of these items (already in `items`). An item's `changed_at` moves only when its searchable text
 * does (a new report, title, CVE or indicator): a re-score alone leaves it read and not new.
 */
export async function indexItems(db: Kysely<Database>, items: readonly Item[], now: string | ((item: Item) => string)): Promise<void> {
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
    await indexItems(db, rows.map((r) => JSON.parse(r.data) as Item), (item) => written.get(item.id)!);
    after = rows[rows.length - 1].id;
  }
}
