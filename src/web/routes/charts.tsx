/** The picture routes: /attack and /dashboard, read from the same URL parameters as the list (time, sector, any list filter). */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AppEnv } from '../context.js';
import type { Context, Hono } from 'hono';
import type { Store } from '../../store/store.js';
import { heatCells } from '../views/charts/heatmap.js';
import { AttackPage, type Basis, type ChartSelection, DashboardPage } from '../views/charts/pages.js';
import { type ListParams, ParamError, listPairs, parseListParams, queryString } from './list-params.js';

/** Without dates, the dashboard shows the last 90 days. */
const DEFAULT_DAYS = 90;

function selection(c: Context): { params: ListParams; sel: ChartSelection; error?: string } {
  try {
    const params = parseListParams((n) => c.req.queries(n) ?? []);
    if (params.filters.unread || params.filters.onlyNew) throw new ParamError('unread and new belong to the list, not to the pictures');
    const sel = { from: params.filters.from, to: params.filters.to, sector: params.filters.sector?.[0], listQuery: queryString(listPairs(params)) };
    return { params, sel };
  } catch (e) {
    if (!(e instanceof ParamError)) throw e;
    return { params: { filters: {}, sort: 'priority', page: 1 }, sel: { listQuery: '' }, error: e.message };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function chartRoutes(app: Hono<AppEnv>, store: Store): void {
  app.get('/attack', async (c) => {
    const { params, sel, error: bad } = selection(c);
    const rawBasis = c.req.query('basis') || 'observed';
    const error = bad ?? (rawBasis === 'observed' || rawBasis === 'all' ? undefined : `basis must be observed or all; got "${rawBasis.slice(0, 40)}"`);
    const basis: Basis = rawBasis === 'all' ? 'all' : 'observed';
    const kinds = basis === 'all' ? ['attack-observed', 'attack-consistent'] : ['attack-observed'];
    const [cells, sectors] = await Promise.all([error ? [] : store.countTerms(kinds, { q: params.q, filters: params.filters }), store.countTerms(['sector'])]);
    const page = <AttackPage cells={heatCells(cells)} selection={sel} sectors={sectors} basis={basis} error={error} />;
    return c.html(`<!doctype html>${await page}`, error ? 400 : 200);
  });

  app.get('/dashboard', async (c) => {
    const { params, sel, error } = selection(c);
    const now = Date.now();
    const to = params.filters.to ?? new Date(now).toISOString().slice(0, 10);
    const from = params.filters.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const filters = { ...params.filters, from, to };
    const [counts, sectors, sources] = await Promise.all([error ? [] : store.dailyCounts({ q: params.q, filters }), store.countTerms(['sector']), store.listSources()]);
    const page = <DashboardPage counts={counts} from={from} to={to} selection={sel} sectors={sectors} sources={sources} now={now} error={error} />;
    return c.html(`<!doctype html>${await page}`, error ? 400 : 200);
  });
}
