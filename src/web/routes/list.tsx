/** The list routes: `/` (search, filters, sort, pages, read state, saved views), `/api/items` with the same filters, and the forms they post. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import type { Facet, SearchQuery, Store } from '../../store/store.js';
import type { AppEnv, SessionUser } from '../context.js';
import { ListPage } from '../views/list.js';
import { type ListParams, ParamError, canonicalQuery, parseListParams } from './list-params.js';
import { smallBody } from './request-body.js';

const PAGE_SIZE = 50;
const API_MAX_LIMIT = 200;
/** A visit ends after this long without a list page: paging through the list is one visit. */
const VISIT_GAP_MS = 30 * 60_000;
/** Facet counts cover every item: cheap enough to refresh this often, too dear for each request of a large database. */
const FACET_TTL_MS = 30_000;
/** The list counts this many matches past the page's first row, then says "more than": an exact count of every match costs a scan of them all. */
const COUNT_AHEAD = 1_000;
const FACET_KINDS = ['severity', 'triage', 'archetype', 'sector', 'vendor', 'source'];

const userOf = (c: Context<AppEnv>): SessionUser | null => c.get('user') ?? null;
const csrfOf = (c: Context<AppEnv>): string => c.get('csrfToken') ?? '';
const apiError = (c: Context<AppEnv>, code: string, message: string, status: 400 | 401 | 403 | 404) => c.json({ error: { code, message } }, status);

function readParams(c: Context<AppEnv>) {
  return (name: string) => c.req.queries(name) ?? [];
}

/** unread and new are a signed-in user's: an anonymous reader has no read state. */
function needsUser(p: ListParams, user: SessionUser | null): void {
  if (!user && (p.filters.unread || p.filters.onlyNew)) throw new ParamError('unread and new need a signed-in user');
}

function whole(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ParamError(`${name} must be a whole number from ${min} to ${max}; got "${raw.slice(0, 40)}"`);
  return n;
}

/** A form post's text fields. The auth guard has already checked its CSRF token (field or header), as for every write. */
async function formOf(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const body = (await c.req.parseBody({ all: true })) as Record<string, string | string[] | File>;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string' || Array.isArray(v))) as Record<string, string | string[]>;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const refusal = (c: Context<AppEnv>, status: 400 | 401 | 403 | 404, message: string) => c.html(`<!doctype html><title>Refused</title><p>${message}</p><p><a href="/">Back to the list</a></p>`, status);

// The app is Hono<AppEnv> once the auth middleware sets user and csrfToken; until then it may be a plain Hono, read defensively.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function listRoutes(app: Hono<AppEnv>, store: Store): void {
  // Stale while revalidating: past the TTL the old counts are served while one refresh runs, so no request waits on the scan.
  let facets: { at: number; value: Facet[] } | null = null;
  let refreshing: Promise<Facet[]> | null = null;
  const refresh = () => (refreshing ??= store.countTerms(FACET_KINDS).then((value) => {
    facets = { at: Date.now(), value };
    return value;
  }).finally(() => { refreshing = null; }));
  const facetCounts = async (): Promise<Facet[]> => {
    if (!facets) return refresh();
    if (Date.now() - facets.at > FACET_TTL_MS) refresh().catch((e: unknown) => console.error('facet counts:', e));
    return facets.value;
  };

  app.get('/', async (c) => {
    const user = userOf(c);
    let params: ListParams;
    try {
      params = parseListParams(readParams(c));
      needsUser(params, user);
    } catch (e) {
      if (!(e instanceof ParamError)) throw e;
      const empty: ListParams = { filters: {}, sort: 'priority', page: 1 };
      const page = <ListPage params={empty} result={{ items: [], total: 0 }} pageSize={PAGE_SIZE} facets={await facetCounts()} views={[]} user={user} csrfToken={csrfOf(c)} since={null} error={e.message} />;
      return c.html(`<!doctype html>${await page}`, 400);
    }
    const since = user ? await store.recordVisit(user.id, new Date().toISOString(), VISIT_GAP_MS) : null;
    const query: SearchQuery = { q: params.q, filters: params.filters, sort: params.sort, limit: PAGE_SIZE, offset: (params.page - 1) * PAGE_SIZE, userId: user?.id ?? null, since, countUpTo: (params.page - 1) * PAGE_SIZE + COUNT_AHEAD };
    const [result, counts, views] = await Promise.all([store.searchItems(query), facetCounts(), user ? store.listViews(user.id) : []]);
    const page = <ListPage params={params} result={result} pageSize={PAGE_SIZE} facets={counts} views={views} user={user} csrfToken={csrfOf(c)} since={since} />;
    return c.html(`<!doctype html>${await page}`);
  });

  app.get('/api/items', async (c) => {
    const user = userOf(c);
    let params: ListParams;
    let limit: number;
    let offset: number;
    let since: string | null = null;
    try {
      params = parseListParams(readParams(c));
      if (c.req.query('page') !== undefined) throw new ParamError('page is for the HTML list; the API takes limit and offset');
      limit = whole(c.req.query('limit'), 'limit', PAGE_SIZE, 1, API_MAX_LIMIT);
      offset = whole(c.req.query('offset'), 'offset', 0, 0, 10_000_000);
      const rawSince = c.req.query('since');
      if (rawSince !== undefined) {
        if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(rawSince) || Number.isNaN(Date.parse(rawSince))) throw new ParamError(`since must be an ISO 8601 UTC time (2026-12-01T08:00:00Z); got "${rawSince.slice(0, 40)}"`);
        since = new Date(rawSince).toISOString();
      }
      if (params.filters.onlyNew && !since) throw new ParamError('new needs since (the API keeps no visits)');
      if (!user && params.filters.unread) throw new ParamError('unread needs a signed-in user');
    } catch (e) {
      if (e instanceof ParamError) return apiError(c, 'bad-request', e.message, 400);
      throw e;
    }
    const result = await store.searchItems({ q: params.q, filters: params.filters, sort: params.sort, limit, offset, userId: user?.id ?? null, since });
    return c.json({ total: result.total, limit, offset, sort: params.sort, items: result.items });
  });

  // Opening an item marks it read for the signed-in user (written with others a moment later, before read state is read).
  app.use('/items/:id', async (c, next) => {
    await next();
    const user = userOf(c);
    if (user && c.req.method === 'GET' && c.res.status === 200) store.markOpened(user.id, c.req.param('id'), new Date().toISOString());
  });

  app.post('/views', smallBody, async (c) => {
    const user = userOf(c);
    if (!user) return refusal(c, 401, 'Sign in to save views.');
    const form = await formOf(c);
    const name = (first(form.name) ?? '').trim();
    if (!name || name.length > 80) return refusal(c, 400, 'A view needs a name of 1 to 80 characters.');
    let query: string;
    try {
      query = canonicalQuery(first(form.query) ?? '');
    } catch (e) {
      if (e instanceof ParamError) return refusal(c, 400, `The view's filters are not valid: ${e.message}.`);
      throw e;
    }
    await store.saveView(user.id, name, query, new Date().toISOString());
    return c.redirect(query ? `/?${query}` : '/', 303);
  });

  app.post('/views/:id/delete', smallBody, async (c) => {
    const user = userOf(c);
    if (!user) return refusal(c, 401, 'Sign in to manage views.');
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || !(await store.removeView(user.id, id))) return refusal(c, 404, 'No such saved view.');
    return c.redirect('/', 303);
  });

  app.post('/read', smallBody, async (c) => {
    const user = userOf(c);
    if (!user) return refusal(c, 401, 'Sign in to keep read marks.');
    const form = await formOf(c);
    const ids = ([] as string[]).concat(form.id ?? []).slice(0, PAGE_SIZE * 4);
    await store.markRead(user.id, ids, new Date().toISOString());
    const back = first(form.return) ?? '/';
    // Only a path on this site: never an open redirect.
    return c.redirect(/^\/(\?|$)/.test(back) ? back : '/', 303);
  });
}
