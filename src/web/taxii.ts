/**
 * A read-only TAXII 2.1 server over the items' STIX: discovery, one API root, two collections (everything, and
 * indicators only), objects and manifest with added_after, match[type|id] and cursor pagination, behind API tokens.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { v5 as uuidv5 } from 'uuid';
import type { StixObject } from '../export/stix-core.js';
import { itemsToStix } from '../export/stix.js';
import type { Store } from '../store/index.js';
import { presentedToken } from './auth/guard.js';
import type { AppEnv } from './context.js';

export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
const STIX_MEDIA = 'application/stix+json;version=2.1';
const ROOT = 'vigil';
// The UUID namespace of Vigil's collections, so a collection keeps its id across installs and restarts.
const NAMESPACE = '4f0b0a6e-5f0f-4c3b-9d9e-7b3f0c7a2a11';
const MAX_LIMIT = 1000;
// Items read per page request: objects come from items, and one item gives a few dozen objects at most.
const ITEM_WINDOW = 500;

interface Collection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly keep: (o: StixObject) => boolean;
}

const INDICATOR_TYPES = new Set(['indicator', 'marking-definition', 'identity']);
const COLLECTIONS: readonly Collection[] = [
  { id: uuidv5('items', NAMESPACE), title: 'Vigil items', description: 'Every item as STIX 2.1: reports, indicators, observables, techniques, vulnerabilities and relationships.', keep: () => true },
  { id: uuidv5('indicators', NAMESPACE), title: 'Vigil indicators', description: 'Indicators only (never benign references), for blocking and detection.', keep: (o) => INDICATOR_TYPES.has(o.type) },
];

interface Entry {
  readonly object: StixObject;
  readonly dateAdded: string;
}

const error = (c: Context, status: 400 | 401 | 404 | 406, title: string, description: string) =>
  c.body(JSON.stringify({ title, description, http_status: String(status) }), status, { 'content-type': TAXII_MEDIA });

const taxii = (c: Context, body: unknown, headers: Record<string, string> = {}) =>
  c.body(JSON.stringify(body), 200, { 'content-type': TAXII_MEDIA, ...headers });

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The bearer token (or Basic password) of a request, compared in constant time against the configured ones. */
function authorised(header: string | undefined, tokens: readonly Buffer[]): boolean {
  const token = header ? presentedToken(header)?.token : undefined;
  if (!token) return false;
  const d = digest(token);
  return tokens.some((t) => timingSafeEqual(t, d));
}

/** The cursor of the last object a page gave: its date added and id, the order objects are served in. */
function cursorOf(e: Entry): string {
  return Buffer.from(JSON.stringify([e.dateAdded, e.object.id])).toString('base64url');
}

function parseCursor(raw: string | undefined): [string, string] | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    return Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' ? [v[0], v[1]] : null;
  } catch {
    return null;
  }
}

/** The collection's objects added after `after`, in (date added, id) order; an object shared by items counts at its latest write. */
async function entries(store: Store, collection: Collection, after: string | null): Promise<Entry[]> {
  const latest = new Map<string, Entry>();
  for (const { item, writtenAt } of await store.itemsWrittenAfter(after, ITEM_WINDOW)) {
    for (const object of itemsToStix([item]).objects) {
      if (!collection.keep(object)) continue;
      const prior = latest.get(object.id);
      if (!prior || prior.dateAdded < writtenAt) latest.set(object.id, { object, dateAdded: writtenAt });
    }
  }
  return [...latest.values()].sort((a, b) => a.dateAdded.localeCompare(b.dateAdded) || a.object.id.localeCompare(b.object.id));
}

/**
 * Adds the TAXII routes under /taxii2/ to `app`; TAXII paths end in a slash, which Hono's strict routing keeps apart.
 * A client is let in by a Vigil API token (the auth middleware has then set the user) or by one of VIGIL_TAXII_TOKENS.
 */
export function taxiiRoutes(app: Hono<AppEnv>, store: Store, tokens: readonly string[]): void {
  const hashed = tokens.map(digest);
  const P = '/taxii2';
  app.use(`${P}/*`, async (c, next) => {
    if (!c.get('user') && !authorised(c.req.header('authorization'), hashed)) {
      c.header('WWW-Authenticate', 'Bearer realm="vigil-taxii"');
      return error(c, 401, 'Unauthorized', 'A valid API token is required (Authorization: Bearer TOKEN; `vigil tokens create` makes one).');
    }
    const accept = c.req.header('accept');
    if (accept && !/application\/taxii\+json|\*\/\*|application\/\*/.test(accept)) {
      return error(c, 406, 'Not Acceptable', `The server answers ${TAXII_MEDIA}.`);
    }
    await next();
  });

  app.get(`${P}/`, (c) => {
    const base = new URL(c.req.url).origin;
    return taxii(c, { title: 'Vigil', description: 'Vigil security news center: items as STIX 2.1', default: `${base}/taxii2/${ROOT}/`, api_roots: [`${base}/taxii2/${ROOT}/`] });
  });
  app.get(`${P}/${ROOT}/`, (c) => taxii(c, { title: 'Vigil items', description: 'Read-only', versions: [TAXII_MEDIA], max_content_length: 10 * 1024 * 1024 }));
  const describe = (k: Collection) => ({ id: k.id, title: k.title, description: k.description, can_read: true, can_write: false, media_types: [STIX_MEDIA] });
  app.get(`${P}/${ROOT}/collections/`, (c) => taxii(c, { collections: COLLECTIONS.map(describe) }));

  const collection = (c: Context) => COLLECTIONS.find((k) => k.id === c.req.param('id'));
  app.get(`${P}/${ROOT}/collections/:id/`, (c) => {
    const k = collection(c);
    return k ? taxii(c, describe(k)) : error(c, 404, 'Not Found', 'No such collection.');
  });

  /** One page of objects, filtered as TAXII 2.1 section 3.4 asks. */
  const page = async (c: Context, objectId?: string) => {
    const k = collection(c);
    if (!k) return { failure: error(c, 404, 'Not Found', 'No such collection.') };
    const rawAfter = c.req.query('added_after');
    if (rawAfter !== undefined && Number.isNaN(Date.parse(rawAfter))) return { failure: error(c, 400, 'Bad Request', 'added_after must be a timestamp.') };
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    const cursor = parseCursor(c.req.query('next'));
    if (c.req.query('next') !== undefined && !cursor) return { failure: error(c, 400, 'Bad Request', 'next is not a cursor this server gave.') };
    const types = c.req.query('match[type]')?.split(',');
    const ids = objectId ? [objectId] : c.req.query('match[id]')?.split(',');
    const after = rawAfter ? new Date(rawAfter).toISOString() : null;
    let list = (await entries(store, k, after)).filter((e) => (!types || types.includes(e.object.type)) && (!ids || ids.includes(e.object.id)));
    if (cursor) list = list.filter((e) => e.dateAdded > cursor[0] || (e.dateAdded === cursor[0] && e.object.id > cursor[1]));
    const shown = list.slice(0, limit);
    const headers: Record<string, string> = shown.length > 0
      ? { 'X-TAXII-Date-Added-First': shown[0].dateAdded, 'X-TAXII-Date-Added-Last': shown[shown.length - 1].dateAdded } : {};
    const more = list.length > shown.length;
    return { shown, more, next: more ? cursorOf(shown[shown.length - 1]) : undefined, headers };
  };

  const objects = async (c: Context, objectId?: string) => {
    const p = await page(c, objectId);
    if ('failure' in p) return p.failure;
    if (objectId && p.shown.length === 0) return error(c, 404, 'Not Found', 'No such object in this collection.');
    return taxii(c, { more: p.more, ...(p.next ? { next: p.next } : {}), objects: p.shown.map((e) => e.object) }, p.headers);
  };
  app.get(`${P}/${ROOT}/collections/:id/objects/`, (c) => objects(c));
  app.get(`${P}/${ROOT}/collections/:id/objects/:object/`, (c) => objects(c, c.req.param('object')));
  app.get(`${P}/${ROOT}/collections/:id/manifest/`, async (c) => {
    const p = await page(c);
    if ('failure' in p) return p.failure;
    const manifest = p.shown.map((e) => ({ id: e.object.id, date_added: e.dateAdded, version: e.object.modified ?? e.object.created ?? e.dateAdded, media_type: STIX_MEDIA }));
    return taxii(c, { more: p.more, ...(p.next ? { next: p.next } : {}), objects: manifest }, p.headers);
  });
  app.get(`${P}/*`, (c) => error(c, 404, 'Not Found', 'No such TAXII resource.'));
}
