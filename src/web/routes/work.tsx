/** The item page and the team's work on it: step state, evidence register, verdicts, the audit log and the false-positive list, as form posts and JSON. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono';
import { stringify } from 'csv-stringify/sync';
import type { Item } from '../../domain/index.js';
import type { FalsePositive } from '../../domain/work.js';
import { csvCell } from '../../export/csv.js';
import { defang } from '../../extract/refang.js';
import type { Store } from '../../store/index.js';
import { type AppEnv, ROLE_RANK } from '../context.js';
import { SCRIPT } from '../static-script.js';
import { AuditPage } from '../views/audit.js';
import { FalsePositivesPage } from '../views/false-positives.js';
import { ItemMain } from '../views/item.js';
import { ItemPageCache, fill } from '../item-page-cache.js';
import { keepPages, keptVariant, variantOf } from '../item-pages.js';
import { FrameCache } from '../page-frame.js';
import { withSecurityHeaders } from '../security-headers.js';
import { type PageBytes, acceptsGzip, decodePage } from '../page-bytes.js';
import { itemPath, stepAnchor, stepStatus, type Viewer } from '../views/item/work.js';
import { Layout } from '../views/layout.js';
import { type Fields, WorkInputError, evidenceInput, iocType, stepChange, verdictInput } from './work-input.js';
import { RouteError, formFields, jsonFields, jsonRefusal, smallBody } from './request-body.js';

type C = Context<AppEnv>;

interface Outcome {
  readonly status: 200 | 201;
  readonly json: unknown;
  /** Where on the item page a form post returns to. */
  readonly anchor: string;
}

interface ActionInput {
  readonly item: Item;
  readonly fields: Fields;
  readonly who: { actor: string; at: string };
  readonly param: (name: string) => string;
}

const AUDIT_PAGE = 100;

function viewerOf(c: C): Viewer {
  const user = c.get('user') ?? null;
  return { user, csrf: c.get('csrfToken') ?? '', canEdit: !!user && ROLE_RANK[user.role] >= ROLE_RANK.analyst };
}

/** Who acts, and when. The auth middleware already requires an analyst for every state-changing route; this holds without it too. */
function actor(c: C, now: () => Date): { actor: string; at: string } {
  const user = c.get('user') ?? null;
  if (!user) throw new RouteError(401, 'unauthenticated', 'sign in as an analyst to change an item');
  if (ROLE_RANK[user.role] < ROLE_RANK.analyst) throw new RouteError(403, 'forbidden', `${user.name} is a ${user.role}: only analysts change items`);
  return { actor: user.name, at: now().toISOString() };
}

function refusal(e: unknown): RouteError {
  if (e instanceof RouteError) return e;
  if (e instanceof WorkInputError) return new RouteError(400, 'bad-request', e.message);
  throw e;
}

function ErrorPage(props: { message: string; back: string | null }) {
  return (
    <Layout title="Not saved">
      <h1>Not saved</h1>
      <p class="form-error" role="alert">{props.message}</p>
      {props.back ? <p><a href={props.back}>Back to the item</a></p> : <p><a href="/">Back to the list</a></p>}
    </Layout>
  );
}

const htmlRefusal = async (c: C, e: RouteError, back: string | null) => c.html(`<!doctype html>${await (<ErrorPage message={e.message} back={back} />)}`, e.status);

/** The evidence register as CSV, every cell safe from formula injection (file names and notes are typed by people). */
function evidenceCsv(item: Item, entries: Awaited<ReturnType<Store['listEvidence']>>): string {
  const rows = [['item_id', 'file_name', 'sha256', 'stored_at', 'note', 'added_by', 'added_at']];
  for (const e of entries) rows.push([item.id, e.fileName, e.sha256, e.storedAt, e.note ?? '', e.addedBy, e.addedAt]);
  return stringify(rows.map((r) => r.map(csvCell)), { quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}

export interface WorkRouteOptions {
  /** The clock that stamps "when" on every change. */
  readonly now?: () => Date;
  /** Bytes of rendered item pages kept (src/web/item-page-cache.ts). */
  readonly pageCacheBytes?: number;
}

export function workRoutes(app: Hono<AppEnv>, store: Store, options: WorkRouteOptions = {}): void {
  const now = options.now ?? (() => new Date());
  const r = new Hono<AppEnv>();

  const loadItem = async (id: string): Promise<Item> => {
    const item = await store.getItem(await store.resolveItemId(id));
    if (!item) throw new RouteError(404, 'not-found', `no item ${id}`);
    return item;
  };

  const actions: Record<string, (a: ActionInput) => Promise<Outcome>> = {
    '/steps/:key': async ({ item, fields, who, param }) => {
      const key = param('key');
      if (!item.checklist.some((s) => s.key === key)) throw new RouteError(404, 'not-found', `item ${item.id} has no checklist step ${key}`);
      const state = await store.updateStep(item.id, key, stepChange(fields), who);
      return { status: 200, json: { state, status: stepStatus(state) }, anchor: stepAnchor(key) };
    },
    '/evidence': async ({ item, fields, who }) => {
      const entry = await store.addEvidence(item.id, evidenceInput(fields), who);
      return { status: 201, json: { entry }, anchor: 'evidence-register' };
    },
    '/techniques/:technique/verdict': async ({ item, fields, who, param }) => {
      const id = param('technique');
      if (!item.attack.some((t) => t.id === id)) throw new RouteError(404, 'not-found', `item ${item.id} maps no technique ${id}`);
      const v = verdictInput(fields, false);
      return { status: 200, json: { verdict: await store.setTechniqueVerdict(item.id, id, v.verdict, v.reason, who) }, anchor: 'attack' };
    },
    '/iocs/verdict': async ({ item, fields, who }) => {
      const type = iocType(fields);
      // Forms send the defanged display, so the live value never sits in the page; scripts may send the value itself.
      const ioc = item.iocs.find((i) => i.type === type && (i.value === fields.value || i.display === fields.display));
      if (!ioc) throw new RouteError(404, 'not-found', `item ${item.id} has no ${type} IOC ${String(fields.value ?? fields.display ?? '')}`);
      const v = verdictInput(fields, true);
      return { status: 200, json: { verdict: await store.setIocVerdict(item.id, type, ioc.value, v.verdict, v.reason, v.falsePositive, who) }, anchor: 'iocs' };
    },
  };

  for (const [path, action] of Object.entries(actions)) {
    r.post(`/items/:id${path}`, smallBody, async (c) => {
      let item: Item | null = null;
      try {
        const who = actor(c, now);
        item = await loadItem(c.req.param('id'));
        const done = await action({ item, fields: await formFields(c), who, param: (n) => c.req.param(n) ?? '' });
        return c.redirect(`${itemPath(item)}#${done.anchor}`, 303);
      } catch (e) {
        return htmlRefusal(c, refusal(e), item ? itemPath(item) : null);
      }
    });
    r.post(`/api/items/:id${path}`, smallBody, async (c) => {
      try {
        const who = actor(c, now);
        const item = await loadItem(c.req.param('id'));
        const done = await action({ item, fields: await jsonFields(c), who, param: (n) => c.req.param(n) ?? '' });
        return c.json(done.json, done.status);
      } catch (e) {
        return jsonRefusal(c, refusal(e));
      }
    });
  }

  r.get('/static/vigil.js', (c) => c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }));

  const pages = new ItemPageCache(options.pageCacheBytes);
  const frames = new FrameCache();
  r.get('/items/:id', async (c) => {
    const id = c.req.param('id');
    const viewer = viewerOf(c);
    const variant = variantOf(viewer.canEdit);
    const state = await store.itemPageState(id, keptVariant(variant));
    const moved = state === null ? await store.resolveItemId(id) : null;
    // An item merged into another keeps its address: links in old alerts and tickets still lead somewhere.
    if (moved && moved !== id) return c.redirect(`/items/${encodeURIComponent(moved)}`, 301);
    const notFound = () => c.html('<!doctype html><title>Not found</title><p>No such item. <a href="/">Back to the list</a></p>', 404);
    if (state === null) return notFound();
    let page: PageBytes | null;
    if (!state.hasWork) {
      // The kept page of this revision, or (a revision the keeper has not reached yet) rendered now and kept.
      const item = state.page ? null : await store.getItem(id);
      page = state.page ? decodePage(state.page) : item ? (await keepPages(store, item, state.revision, [variant])).get(variant)! : null;
    } else {
      const work = await store.itemWork(id);
      // Everything the main part is made of: a new revision, any change of work, or other rights is another page.
      const key = `${id}\u0000${state.revision}\u0000${variant}\u0000${JSON.stringify(work)}`;
      page = await pages.page(key, async (csrf) => {
        const item = await store.getItem(id);
        return item ? { title: item.title, html: String(await (<ItemMain item={item} work={work} viewer={{ ...viewer, csrf }} />)) } : null;
      });
    }
    if (!page) return notFound();
    // The kept part was escaped when it was rendered; the frame (title, user menu) is this viewer's.
    const [head, tail] = await frames.frame(page.title);
    const gzip = acceptsGzip(c.req.header('accept-encoding'));
    return withSecurityHeaders(fill(head, page, viewer.csrf, tail, gzip), 200, {
      'content-type': 'text/html; charset=UTF-8', vary: 'Accept-Encoding', ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
  });

  r.get('/api/items/:id/work', async (c) => {
    try {
      return c.json(await store.itemWork((await loadItem(c.req.param('id'))).id));
    } catch (e) {
      return jsonRefusal(c, refusal(e));
    }
  });

  r.get('/api/items/:id/evidence', async (c) => {
    try {
      return c.json({ evidence: await store.listEvidence((await loadItem(c.req.param('id'))).id) });
    } catch (e) {
      return jsonRefusal(c, refusal(e));
    }
  });

  for (const path of ['/items/:id/evidence.csv', '/api/items/:id/evidence.csv']) {
    r.get(path, async (c) => {
      try {
        const item = await loadItem(c.req.param('id') ?? '');
        return c.body(evidenceCsv(item, await store.listEvidence(item.id)), 200, {
          'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${item.id}-evidence.csv"`, 'x-content-type-options': 'nosniff',
        });
      } catch (e) {
        return jsonRefusal(c, refusal(e));
      }
    });
  }

  const auditQuery = (c: C, page: number, size: number) => {
    const item = c.req.query('item');
    return { itemId: item ? item : undefined, limit: size, offset: (page - 1) * size };
  };

  r.get('/audit', async (c) => {
    const n = Number(c.req.query('page') ?? '1');
    const page = Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
    const rows = await store.auditLog({ ...auditQuery(c, page, AUDIT_PAGE), limit: AUDIT_PAGE + 1 });
    return c.html(`<!doctype html>${await (<AuditPage entries={rows.slice(0, AUDIT_PAGE)} itemId={c.req.query('item') || null} page={page} more={rows.length > AUDIT_PAGE} />)}`);
  });

  r.get('/api/audit', async (c) => {
    const limit = Math.min(1000, Math.max(1, Number(c.req.query('limit') ?? AUDIT_PAGE) || AUDIT_PAGE));
    const offset = Math.max(0, Number(c.req.query('offset') ?? 0) || 0);
    const item = c.req.query('item');
    return c.json({ limit, offset, entries: await store.auditLog({ itemId: item ? item : undefined, limit, offset }) });
  });

  r.get('/false-positives', async (c) => c.html(`<!doctype html>${await (<FalsePositivesPage entries={await store.falsePositives()} viewer={viewerOf(c)} />)}`));
  r.get('/api/false-positives', async (c) => c.json({ falsePositives: await store.falsePositives() }));

  /** The listed entry a request names, by its value or (from the page's form) its defanged display. */
  const listed = async (fields: Fields): Promise<FalsePositive> => {
    const type = iocType(fields);
    const entry = (await store.falsePositives()).find((f) => f.type === type && (f.value === fields.value || defang(f.value, f.type) === fields.display));
    if (!entry) throw new RouteError(404, 'not-found', `no ${type} ${String(fields.value ?? fields.display ?? '')} on the false-positive list`);
    return entry;
  };

  r.post('/false-positives/remove', smallBody, async (c) => {
    try {
      const who = actor(c, now);
      const entry = await listed(await formFields(c));
      await store.removeFalsePositive(entry.type, entry.value, who);
      return c.redirect('/false-positives', 303);
    } catch (e) {
      return htmlRefusal(c, refusal(e), null);
    }
  });

  r.delete('/api/false-positives', smallBody, async (c) => {
    try {
      const who = actor(c, now);
      const entry = await listed(await jsonFields(c));
      await store.removeFalsePositive(entry.type, entry.value, who);
      return c.json({ removed: entry });
    } catch (e) {
      return jsonRefusal(c, refusal(e));
    }
  });

  app.route('/', r);
}
