/** Kept statistics a SQLite search plan reads instead of sampling items: filter sizes (term_counts) and word document counts (item_words_vocab). */
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';
import { TRIGRAM_MIN } from './search-query.js';

/** A term the word index reads exactly: one ASCII word, its postings the word rule itself (see search-plan.ts wordPhrase). */
export function countableWord(term: string): boolean {
  return /^[a-z0-9]+$/i.test(term) && term.length >= TRIGRAM_MIN;
}

/**
 * Word document counts, kept until the database changes (any commit on another connection moves data_version, one on this
 * connection total_changes): a read-mostly news center asks the same words between fetches, and each count reads the
 * word's whole postings (a few milliseconds per hundred thousand documents).
 */
export class SearchStats {
  #key = '';
  #rows = 0;
  readonly #docs = new Map<string, number>();
  readonly #filters = new Map<string, number>();

  constructor(private readonly db: Kysely<Database>) {}

  async #fresh(): Promise<void> {
    const r = (await sql<{ v: number; c: number; n: number | null }>`select (select data_version from pragma_data_version) as v, total_changes() as c, (select max(id) from item_search) as n`.execute(this.db)).rows[0];
    const key = `${r.v}:${r.c}`;
    if (key === this.#key) return;
    this.#key = key;
    // item_search ids are distinct and positive, so the largest is at least the row count: a share read against it is never
    // overstated, and a word in that many documents is in every one.
    this.#rows = Number(r.n ?? 0);
    this.#docs.clear();
    this.#filters.clear();
  }

  /** Rows of the search index (an upper bound; see #fresh). */
  async rows(): Promise<number> {
    await this.#fresh();
    return this.#rows;
  }

  /** Documents holding a word starting with `word` (its prefix postings): the largest and the sum over the words it starts. */
  async prefixDocs(word: string): Promise<{ most: number; sum: number }> {
    await this.#fresh();
    const w = word.toLowerCase();
    const most = this.#docs.get(`m:${w}`);
    if (most !== undefined) return { most, sum: this.#docs.get(`s:${w}`)! };
    const r = (await sql<{ most: number | null; sum: number | null }>`select max(doc) as most, sum(doc) as sum from item_words_vocab
      where term >= ${w} and term < ${`${w}\u{10ffff}`}`.execute(this.db)).rows[0];
    const out = { most: Number(r.most ?? 0), sum: Number(r.sum ?? 0) };
    this.#docs.set(`m:${w}`, out.most);
    this.#docs.set(`s:${w}`, out.sum);
    return out;
  }

  /** Items having any of these values of a filter kind (term_counts, kept by the item writes). */
  async filterItems(kind: string, values: readonly string[]): Promise<number> {
    await this.#fresh();
    const key = `${kind}\u0000${values.join('\u0000')}`;
    const known = this.#filters.get(key);
    if (known !== undefined) return known;
    const r = await this.db.selectFrom('term_counts').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('n'), sql<number>`0`).as('n'))
      .where('kind', '=', kind).where('value', 'in', [...values]).executeTakeFirstOrThrow();
    this.#filters.set(key, Number(r.n));
    return Number(r.n);
  }
}
