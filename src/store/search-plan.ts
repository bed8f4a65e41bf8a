/**
 * Which index reads each search term, as conditions on item_search (alias `s`): one index leads (the identifiers' exact
 * tokens, else the word index), and every other term is tested on the rows it yields, so no second list of matches is built.
 */
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import { TRIGRAM_MIN, ftsMatch, likePattern, splitTerms } from './search-query.js';

const ASCII = /^[\x20-\x7e]*$/;
/** What the word index (FTS5 unicode61) and PostgreSQL's `[[:alnum:]]` both take as a word's characters. */
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/** The words of a term: letters and digits, split at everything else. */
function words(term: string): string[] {
  return term.split(NOT_WORD).filter(Boolean);
}

/**
 * The word rule. A term of three characters or more must occur (LIKE, or the trigram index outside ASCII) with its words in
 * order from a word's start, each whole but a last one the term ends in, which may begin a longer word: `edge-metr` finds
 * `cdn-edge-metrics.net`, `ransom` finds `ransomware`, `ware` does not, `dexcon-` finds `dexcon-ra.com` and not `dexconra`.
 * The row test (vigil_words on SQLite, a regular expression on PostgreSQL) decides; the word index only narrows the rows.
 */
function wordRule(term: string): { words: string[]; lastWhole: boolean } {
  return { words: words(term), lastWhole: NOT_WORD.test(term.slice(-1)) };
}

/**
 * The FTS5 query that leads a term, and whether it is the rule itself (else a superset, and each row is tested). A last word
 * the term ends in would be a prefix query, whose postings FTS5 merges for every word it starts ("security*", "r*"): with
 * words before it, those lead alone.
 */
function wordPhrase(term: string): { match: string; exact: boolean } | null {
  const { words: w, lastWhole } = wordRule(term);
  if (w.length === 0) return null;
  if (lastWhole) return { match: `"${w.join(' ')}"`, exact: true };
  if (w.length > 1) return { match: `"${w.slice(0, -1).join(' ')}"`, exact: false };
  return [...w[0]].length < TRIGRAM_MIN ? null : { match: `"${w[0]}"*`, exact: true };
}

function wordRegex(term: string): string | null {
  const { words: w, lastWhole } = wordRule(term);
  // Words are letters and digits only, so nothing in them is a regular expression's operator.
  return w.length === 0 ? null : `(^|[^[:alnum:]])${w.join('[^[:alnum:]]+')}${lastWhole ? '([^[:alnum:]]|$)' : ''}`;
}

/** vigil_words' second argument: the words, space-separated, and a trailing space when the last one is whole. */
function rowRule(term: string): string {
  const { words: w, lastWhole } = wordRule(term);
  return `${w.join(' ')}${lastWhole ? ' ' : ''}`;
}

/** The same rule for one row at a time on SQLite (vigil_words): an FTS5 match constrained to one rowid reads whole postings. */
const WORD_SQL = 'vigil_words';
const compiled = new Map<string, RegExp>();
function rowHasWords(body: string, joined: string): number {
  let re = compiled.get(joined);
  if (!re) {
    if (compiled.size > 1000) compiled.clear();
    const whole = joined.endsWith(' ') ? '(?![\\p{L}\\p{N}])' : '';
    re = new RegExp(`(?:^|[^\\p{L}\\p{N}])${joined.trim().split(' ').join('[^\\p{L}\\p{N}]+')}${whole}`, 'iu');
    compiled.set(joined, re);
  }
  return re.test(body) ? 1 : 0;
}

/** Adds vigil_words(body, words) to a SQLite connection: whether the words occur in the body from a word's start, in order. */
export function registerSearchFunctions(db: SqliteDatabase.Database): void {
  db.function(WORD_SQL, { deterministic: true }, (body, joined) => rowHasWords(String(body), String(joined)));
}

const walkable = (term: string) => ASCII.test(term);

export interface TermPlan {
  readonly conditions: RawBuilder<boolean>[];
  /** Whether an index's list of rows leads (SQLite): the filters are then lookups in their own lists, not the driver. */
  readonly indexLeads: boolean;
}

/**
 * The conditions for a search's terms. `walk` (SQLite, a query that walks its sort index) makes every one a test of the row
 * at hand. Otherwise the exact tokens lead when there are any, else one FTS5 query of every long term's words.
 */
export function termConditions(engine: 'sqlite' | 'postgres', q: string | undefined, walk: boolean, wordsJoined = false): TermPlan {
  const { tokens, terms } = splitTerms(q);
  const conditions: RawBuilder<boolean>[] = [];
  for (const t of tokens) {
    conditions.push(walk || conditions.length > 0
      ? sql<boolean>`exists (select 1 from search_tokens as k where k.token = ${t} and k.doc = s.id)`
      : sql<boolean>`s.id in (select k.doc from search_tokens as k where k.token = ${t})`);
  }
  const long = terms.filter((t) => [...t].length >= TRIGRAM_MIN);
  if (engine === 'postgres') {
    for (const t of terms) conditions.push(sql<boolean>`s.body ilike ${likePattern(t)} escape '\\'`);
    for (const t of long) {
      const re = wordRegex(t);
      if (re) conditions.push(sql<boolean>`s.body ~* ${re}`);
    }
    return { conditions, indexLeads: false };
  }
  // Outside ASCII, LIKE's case folding is not FTS5's: such a term is matched by the trigram index instead, gathered.
  const unfolded = long.filter((t) => !walkable(t));
  if (unfolded.length > 0) conditions.push(sql<boolean>`s.id in (select rowid from item_fts where item_fts match ${ftsMatch(unfolded)})`);
  const phrases = long.flatMap((t) => wordPhrase(t) ?? []);
  const indexLeads = !walk && (tokens.length > 0 || unfolded.length > 0 || phrases.length > 0);
  const ftsLeads = phrases.length > 0 && !walk && tokens.length === 0 && unfolded.length === 0;
  if (ftsLeads) conditions.push(sql<boolean>`s.id in (select rowid from item_words where item_words match ${phrases.map((p) => p.match).join(' AND ')})`);
  for (const t of terms.filter(walkable)) {
    // Read from the word postings, an ASCII word (letters and digits alone) is already matched: LIKE would only reread the text.
    if ((ftsLeads || wordsJoined) && /^[a-z0-9]+$/i.test(t) && wordPhrase(t)?.exact) continue;
    conditions.push(sql<boolean>`s.body like ${likePattern(t)} escape '\\'`);
  }
  for (const t of long) {
    if (words(t).length === 0 || ((ftsLeads || wordsJoined) && wordPhrase(t)?.exact)) continue;
    conditions.push(sql<boolean>`${sql.raw(WORD_SQL)}(s.body, ${rowRule(t)}) = 1`);
  }
  return { conditions, indexLeads };
}

/**
 * The index lists a SQLite search's terms can be led by (each a select of item_search ids), for the planner to weigh by
 * their size: a rare one is gathered and sorted, a common one walks the sort index (see KyselyStore#walkShare).
 */
export function leadingLists(q: string | undefined): { list: RawBuilder<unknown>; within?: RawBuilder<unknown> }[] {
  const { tokens, terms } = splitTerms(q);
  const lists: { list: RawBuilder<unknown>; within?: RawBuilder<unknown> }[] = tokens.map((t) => ({ list: sql`select k.doc from search_tokens as k where k.token = ${t}` }));
  const phrases = terms.filter((t) => [...t].length >= TRIGRAM_MIN).flatMap((t) => wordPhrase(t) ?? []);
  if (phrases.length > 0) {
    const match = phrases.map((p) => p.match).join(' AND ');
    // `within`: the same words whole, a part of the list read without merging every word a prefix starts: when it alone is
    // long, so is the list.
    const whole = match.replace(/"\*/g, '"');
    lists.push({ list: sql`select rowid from item_words where item_words match ${match}`, ...(whole !== match && { within: sql`select rowid from item_words where item_words match ${whole}` }) });
  }
  return lists;
}

/** Whether a search can walk the sort index on SQLite: its terms are tested per row with LIKE, whose case folding is ASCII's. */
export function termsWalkable(q: string | undefined): boolean {
  return splitTerms(q).terms.every(walkable);
}

/**
 * The FTS5 query a walking SQLite search's count can be driven by (see KyselyStore#searchItems), when its terms are ASCII words
 * and no identifier: the count reads the word postings in rowid order, testing each row, instead of walking every row of the
 * sort order up to the thousandth match and testing its text.
 */
export function wordDriver(q: string | undefined): string | null {
  const { tokens, terms } = splitTerms(q);
  if (tokens.length > 0 || !terms.every(walkable)) return null;
  const phrases = terms.filter((t) => [...t].length >= TRIGRAM_MIN).flatMap((t) => wordPhrase(t) ?? []);
  return phrases.length > 0 ? phrases.map((p) => p.match).join(' AND ') : null;
}

const ITEMS_FROM = 'from "items" where';

/** The compiled list query with SQLite told to read the items' sort keys from items_search_keys (migration 0010_search_3_sort_keys). */
export function withSortKeys<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  const at = query.sql.indexOf(ITEMS_FROM);
  if (at < 0) return query;
  return CompiledQuery.raw(`${query.sql.slice(0, at)}from "items" indexed by items_search_keys where${query.sql.slice(at + ITEMS_FROM.length)}`, [...query.parameters]) as CompiledQuery<R>;
}

const DOCS_JOIN = 'inner join "item_search" as "d" on';

/** A word-driven SQLite query (see wordDriver) told to map postings to items by item_search_doc_items (0011_search_2_doc_items), not by the rows. */
export function withDocItems<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  if (!query.sql.includes(DOCS_JOIN)) return query;
  return CompiledQuery.raw(query.sql.replace(DOCS_JOIN, 'inner join "item_search" as "d" indexed by item_search_doc_items on'), [...query.parameters]) as CompiledQuery<R>;
}
