/**
 * The web bench's store searches (bench/web.ts timeSearches), 100 of each kind as the list's first page asks them; run alone
 * on an already grown database: VIGIL_SEARCH_DB=path [VIGIL_SEARCH_N=rows VIGIL_SEARCH_PER=100 VIGIL_SEARCH_KINDS=a,b
 * VIGIL_SEARCH_TRACE=1 (each statement's time on stderr)] npx tsx bench/search-kinds.ts
 */
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import type { Item } from '../src/domain/index.js';
import { openSqliteStore } from '../src/store/index.js';
import type { SearchQuery, Store } from '../src/store/store.js';
import { syntheticItem, templateItems } from './web-corpus.js';

const WORDS = ['breach', 'intrusion', 'attack', 'confirms', 'discloses', 'investigates'];
const pickWord = (n: number) => WORDS[n % WORDS.length];
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function searchKinds(templates: readonly Item[]): Record<string, (n: number) => Partial<SearchQuery>> {
  return {
    cve: (n) => ({ q: syntheticItem(templates, n).cve }),
    domain: (n) => ({ q: syntheticItem(templates, n).domain }),
    ip: (n) => ({ q: syntheticItem(templates, n).item.iocs[1].value }),
    domainFragment: (n) => ({ q: syntheticItem(templates, n).domain.split('.')[0].slice(0, 7) }),
    vendorName: (n) => ({ q: `"${syntheticItem(templates, n).vendor}"` }),
    vendorFilter: (n) => ({ filters: { vendor: [syntheticItem(templates, n).vendor], severity: ['HIGH', 'CRITICAL'] } }),
    wordAndFilters: (n) => ({ q: pickWord(n), filters: { severity: ['HIGH'] }, sort: 'date' }),
  };
}

/** p50/p95 per kind and over all, `per` random queries of each kind over `searchN` rows. */
export async function timeKinds(store: Store, searchN: number, templates: readonly Item[], per = 100, only?: readonly string[]) {
  const search: Record<string, unknown> = {};
  const all: number[] = [];
  for (const [kind, make] of Object.entries(searchKinds(templates))) {
    if (only && !only.includes(kind)) continue;
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < per; i++) {
      const q = make(Math.floor(Math.random() * searchN));
      if (process.env.VIGIL_SEARCH_TRACE === '1') process.stderr.write(`${kind} ${JSON.stringify(q)}\n`);
      const start = performance.now();
      // As the list's first page asks: a count up to 1,000 past the page.
      const r = await store.searchItems({ sort: 'priority', limit: 50, offset: 0, countUpTo: 1_000, ...q });
      times.push(performance.now() - start);
      hits += r.total;
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    search[kind] = { p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), meanHits: round(hits / times.length, 1) };
  }
  all.sort((a, b) => a - b);
  return { ...search, allP50Ms: round(percentile(all, 50)), allP95Ms: round(percentile(all, 95)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.env.VIGIL_SEARCH_TRACE === '1') {
    const prepare = SqliteDatabase.prototype.prepare;
    SqliteDatabase.prototype.prepare = function (this: SqliteDatabase.Database, source: string) {
      const st = prepare.call(this, source) as SqliteDatabase.Statement;
      for (const m of ['all', 'get', 'run'] as const) {
        const f = (st[m] as (...a: unknown[]) => unknown).bind(st);
        (st as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
          const t = performance.now();
          const r = f(...a);
          process.stderr.write(`  ${(performance.now() - t).toFixed(1)} ms ${source.slice(0, 160).replace(/\s+/g, ' ')}\n`);
          return r;
        };
      }
      return st;
    } as typeof prepare;
  }
  const templates = await templateItems();
  const store = await openSqliteStore(process.env.VIGIL_SEARCH_DB!);
  const r = await timeKinds(store, Number(process.env.VIGIL_SEARCH_N ?? 1_000_000), templates, Number(process.env.VIGIL_SEARCH_PER ?? 100), process.env.VIGIL_SEARCH_KINDS?.split(','));
  await store.close();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
