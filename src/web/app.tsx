/** The web app: HTML pages and the JSON API over the Store, under secure headers and a strict Content-Security-Policy (security-headers.ts). */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono';
import type { Item } from '../domain/index.js';
import { type ExportFormat, exportFormat, isIocType } from '../export/formats.js';
import { type ItemFilter, matchesFilter, parseFilter } from '../export/item-filter.js';
import type { Tlp } from '../export/misp.js';
import type { Store } from '../store/index.js';
import { VERSION } from '../version.js';
import { openApiDocument } from './openapi.js';
import { type AuthOptions, installAuth } from './auth/index.js';
import type { AppEnv } from './context.js';
import { securityHeaders } from './security-headers.js';
import { ICON, STYLESHEET } from './static.js';
import { taxiiRoutes } from './taxii.js';
import { workRoutes } from './routes/work.js';
import { adminRoutes } from './routes/admin.js';
import { profileRoutes } from './routes/profile.js';
import type { Profile } from '../config/profile.js';
import { type Kb, loadKb } from '../knowledge/load-kb.js';
import { chartRoutes } from './routes/charts.js';
import { listRoutes } from './routes/list.js';
import { SourcesPage } from './views/sources.js';

const TLPS: readonly string[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export interface AppOptions {
  readonly store: Store;
  /** Extra TAXII tokens (VIGIL_TAXII_TOKENS), besides every API token `vigil tokens create` makes. */
  readonly taxiiTokens?: readonly string[];
  /** Sessions, anonymous read, secure cookies (src/web/auth). */
  readonly auth?: AuthOptions;
  /** The team profile the items were enriched with, shown read-only at /profile. */
  readonly profile?: Profile | null;
  readonly profileName?: string | null;
  readonly kb?: Kb;
}

export function createApp({ store, taxiiTokens = [], auth = {}, profile = null, profileName = null, kb }: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders());
  installAuth(app, store, auth);

  app.get('/static/vigil.css', (c) => c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  app.get('/static/vigil.svg', (c) => c.body(ICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));
  // Browsers ask for /favicon.ico on answers that link no icon (the JSON and text ones): lead them to the page icon.
  app.get('/favicon.ico', (c) => c.redirect('/static/vigil.svg', 301));

  listRoutes(app, store);
  chartRoutes(app, store);

  workRoutes(app, store);
  adminRoutes(app, store);

  app.get('/api/items/:id', async (c) => {
    const item = await store.getItem(c.req.param('id'));
    const moved = item ? null : await store.resolveItemId(c.req.param('id'));
    if (moved && moved !== c.req.param('id')) return c.redirect(`/api/items/${encodeURIComponent(moved)}`, 301);
    return item ? c.json(item) : c.json({ error: { code: 'not-found', message: `no item ${c.req.param('id')}` } }, 404);
  });

  const exportResponse = async (c: Context<AppEnv>, items: Item[], name: string) => {
    let format: ExportFormat;
    try {
      format = exportFormat(name);
    } catch (e) {
      return c.json({ error: { code: 'unknown-format', message: (e as Error).message } }, 404);
    }
    const iocType = c.req.query('type');
    if (iocType !== undefined && !isIocType(iocType)) return c.json({ error: { code: 'bad-request', message: `type must be an IOC type, got "${iocType}"` } }, 400);
    const tlp = c.req.query('tlp') ?? 'clear';
    if (!TLPS.includes(tlp)) return c.json({ error: { code: 'bad-request', message: `tlp must be one of ${TLPS.join(', ')}` } }, 400);
    const origin = new URL(c.req.url).origin;
    try {
      const body = format.render(items, { tlp: tlp as Tlp, iocType, now: new Date().toISOString(), siteUrl: origin });
      return c.body(body, 200, { 'content-type': format.mediaType, 'x-content-type-options': 'nosniff' });
    } catch (e) {
      return c.json({ error: { code: 'bad-request', message: (e as Error).message } }, 400);
    }
  };

  app.get('/api/items/:id/export/:format', async (c) => {
    const item = await store.getItem(await store.resolveItemId(c.req.param('id')));
    if (!item) return c.json({ error: { code: 'not-found', message: `no item ${c.req.param('id')}` } }, 404);
    return exportResponse(c, [item], c.req.param('format'));
  });

  // The filter is read from the request: a feed or export URL with its query is a saved filter.
  const topItems = async (c: Context<AppEnv>, limit: number): Promise<Item[] | Response> => {
    let filter: ItemFilter;
    try {
      filter = parseFilter((name) => c.req.query(name));
    } catch (e) {
      return c.json({ error: { code: 'bad-request', message: (e as Error).message } }, 400);
    }
    const items: Item[] = [];
    // Filtering reads past the limit, up to the 1,000 highest-priority items.
    for (const s of await store.listItems({ limit: 1000, offset: 0 })) {
      const item = await store.getItem(s.id);
      if (item && matchesFilter(item, filter)) items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  };

  app.get('/api/export/:format', async (c) => {
    const items = await topItems(c, Math.min(500, Math.max(1, Number(c.req.query('limit') ?? 200) || 200)));
    return Array.isArray(items) ? exportResponse(c, items, c.req.param('format')) : items;
  });

  for (const [path, format] of [['/feeds/items.rss', 'rss'], ['/feeds/items.atom', 'atom'], ['/feeds/items.json', 'json-feed']] as const) {
    app.get(path, async (c) => {
      const items = await topItems(c, 50);
      return Array.isArray(items) ? exportResponse(c, items, format) : items;
    });
  }

  taxiiRoutes(app, store, taxiiTokens);
  profileRoutes(app, { profile, profileName, kb: () => (kb ??= loadKb()) });

  app.get('/sources', async (c) => c.html(`<!doctype html>${await (<SourcesPage sources={await store.listSources()} />)}`));

  // Health, not secrets: validators (ETag, Last-Modified) are the outlet's and the cursor is a date.
  app.get('/api/sources', async (c) => c.json({ sources: await store.listSources() }));

  app.get('/api/cves/:id', async (c) => {
    const id = c.req.param('id').toUpperCase();
    const data = /^CVE-\d{4}-\d{4,19}$/.test(id) ? (await store.getCveData([id])).get(id) : undefined;
    if (!data) return c.json({ error: { code: 'not-found', message: `no data for ${id}` } }, 404);
    return c.json({ ...data, items: await store.itemsCiting([id]) });
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument(VERSION)));
  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: { code: 'not-found', message: 'no such route' } }, 404) : c.text('Not found', 404)));
  app.onError((err, c) => {
    console.error(err);
    return c.req.path.startsWith('/api/') ? c.json({ error: { code: 'internal', message: 'internal error' } }, 500) : c.text('Internal error', 500);
  });
  return app;
}
