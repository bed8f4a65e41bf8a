/** Kept statistics a SQLite search plan reads instead of sampling items: filter sizes (term_counts) and word document counts (item_words_vocab). */
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';
import { TRIGRAM_MIN } from './search-query.js';

/** A term the word index reads exactly: one ASCII word, its postings the word rule itself (see search-plan.ts wordPhrase). */
/** Rows read before a word's document counts, to rule out a word most rows lack (see SearchStats#everywhere). */
const PROBES = 8;

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

  /**
   * Whether every search row holds a word starting with `word`. A few rows spread over the ids are read first: a word most
   * rows lack fails there, without reading the postings of every word it starts (`nor` starts thousands).
   */
  async everywhere(word: string): Promise<boolean> {
    const rows = await this.rows();
    if (rows === 0) return false;
    const probes = [...new Set(Array.from({ length: PROBES }, (_, i) => Math.max(1, Math.round((rows * (i + 1)) / PROBES))))];
    const lacking = await sql<{ n: number }>`select count(*) as n from item_search where id in (${sql.join(probes)}) and vigil_words(body, ${word}) = 0`.execute(this.db);
    if (Number(lacking.rows[0].n) > 0) return false;
    return (await this.prefixDocs(word)).most >= rows;
  }

  /** Documents holding the whole word (one word's postings; a prefix's share is at least this). */
  async wordDocs(word: string): Promise<number> {
    await this.#fresh();
    const w = word.toLowerCase();
    const known = this.#docs.get(`w:${w}`);
    if (known !== undefined) return known;
    const r = (await sql<{ doc: number | null }>`select max(doc) as doc from item_words_vocab where term = ${w}`.execute(this.db)).rows[0];
    this.#docs.set(`w:${w}`, Number(r.doc ?? 0));
    return Number(r.doc ?? 0);
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
