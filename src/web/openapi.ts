/** The OpenAPI 3.1 description of every route, served at /api/openapi.json; a test holds it to the router so no route goes undocumented. */
import type { TSchema } from '@sinclair/typebox';
import { CveDataSchema } from '../domain/cve-data.js';
import { ItemSchema } from '../domain/item.js';
import { SourceSchema } from '../domain/source.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call a route: anyone; a reader (signed in, or anonymous when anonymous reading is on); an analyst; an admin; a TAXII client. */
type Access = 'public' | 'reader' | 'analyst' | 'admin' | 'taxii';
type Body = 'html' | 'json' | 'text' | 'css' | 'js' | 'svg' | 'feed' | 'export' | 'taxii' | 'redirect' | 'csv';

interface Param {
  readonly name: string;
  readonly description: string;
  readonly enum?: readonly string[];
  readonly type?: 'string' | 'integer';
}

export interface RouteDoc {
  readonly method: Method;
  /** Hono's form, `/items/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly returns: Body;
  /** A component schema the JSON answer follows. */
  readonly schema?: string;
  readonly query?: readonly Param[];
  readonly params?: Readonly<Record<string, string>>;
  /** A form or JSON body, for state-changing routes. */
  readonly form?: Readonly<Record<string, string>>;
  /** It answers 201 (something was made) rather than 200. */
  readonly created?: boolean;
  /** It may answer 409: the state forbids it (a name taken, the last admin). */
  readonly conflict?: boolean;
}

const MEDIA: Record<Body, string> = {
  html: 'text/html', json: 'application/json', text: 'text/plain', css: 'text/css', js: 'text/javascript', svg: 'image/svg+xml',
  feed: 'application/xml', export: 'application/octet-stream', taxii: 'application/taxii+json;version=2.1', redirect: 'text/plain', csv: 'text/csv',
};

const FILTERS: readonly Param[] = [
  { name: 'severity', description: 'lowest severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL)' },
  { name: 'since', description: 'items updated on or after this date (YYYY-MM-DD)' },
  { name: 'archetype', description: 'incident archetype id' },
  { name: 'sector', description: 'sector id' },
  { name: 'cve', description: 'items citing this CVE' },
];
/** The list's search, filters and sort (src/web/routes/list-params.ts). */
const LIST_QUERY: readonly Param[] = [
  { name: 'q', description: 'search: words and "phrases"; CVE ids, domains and defanged values work as typed' },
  { name: 'severity', description: 'any of these severities (repeatable)' },
  { name: 'triage', description: 'any of these triage levels (repeatable)' },
  { name: 'archetype', description: 'incident archetype id (repeatable)' },
  { name: 'sector', description: 'sector id (repeatable)' },
  { name: 'vendor', description: 'vendor or product name (repeatable)' },
  { name: 'source', description: 'outlet (repeatable)' },
  { name: 'technique', description: 'ATT&CK technique id (repeatable)' },
  { name: 'from', description: 'updated on or after (YYYY-MM-DD)' },
  { name: 'to', description: 'updated on or before (YYYY-MM-DD)' },
  { name: 'affects', description: '1: only items that affect the team (its profile)' },
  { name: 'unread', description: '1: only unread (signed in)' },
  { name: 'new', description: '1: only new since the last visit (signed in)' },
  { name: 'sort', description: 'priority or date', enum: ['priority', 'date'] },
];
const PAGING: readonly Param[] = [
  { name: 'limit', description: 'page size', type: 'integer' },
  { name: 'offset', description: 'rows to skip', type: 'integer' },
];
const EXPORT_QUERY: readonly Param[] = [
  { name: 'tlp', description: 'TLP marking of the export', enum: ['clear', 'green', 'amber', 'amber+strict', 'red'] },
  { name: 'type', description: 'IOC type, for the blocklist formats' },
];
const TAXII_ID = { id: 'TAXII collection id' };
const STEP_FORM = { done: '1 or 0', assignee: 'user name, empty to clear', note: 'free text' };
const EVIDENCE_FORM = { fileName: 'file name', sha256: 'SHA-256 of the file, 64 hex digits', storedAt: 'where the copy is kept', note: 'free text' };
const VERDICT_FORM = { verdict: 'confirmed, rejected or clear', reason: 'why' };

/** A work action: the form post of the page (redirects back) and its JSON twin under /api. */
function workRoute(sub: string, summary: string, params: Record<string, string>, form: Record<string, string>): RouteDoc[] {
  const all = { id: 'item id', ...params };
  return [
    { method: 'post', path: `/items/:id${sub}`, summary, tag: 'work', access: 'analyst', returns: 'redirect', params: all, form: { ...form, _csrf: 'CSRF token' } },
    { method: 'post', path: `/api/items/:id${sub}`, summary, tag: 'work', access: 'analyst', returns: 'json', params: all, form },
  ];
}

const USER_PARAM = { name: 'user name' };
const PASSWORD_FORM = { password: 'the new password: 15 to 256 characters', confirm: 'the same again (forms; optional for scripts)' };

/** An admin action: the admin page's form post (redirects back to it, unless `page` says otherwise) and its JSON twin under /api. */
function adminRoute(
  form: string, api: readonly [Method, string], summary: string, params: Record<string, string> | undefined, body: Record<string, string>,
  more: Pick<RouteDoc, 'created' | 'conflict' | 'schema'> = {}, page: Pick<RouteDoc, 'returns' | 'created'> = { returns: 'redirect' },
): RouteDoc[] {
  const p = params ? { params } : {};
  return [
    { method: 'post', path: form, summary, tag: 'admin', access: 'admin', ...page, ...p, form: { ...body, _csrf: 'CSRF token' }, conflict: more.conflict },
    { method: api[0], path: api[1], summary, tag: 'admin', access: 'admin', returns: 'json', ...p, ...(Object.keys(body).length > 0 ? { form: body } : {}), ...more },
  ];
}

/** Every route of the app. Adding a route without a line here fails test/web/openapi.test.ts. */
export const ROUTES: readonly RouteDoc[] = [
  { method: 'get', path: '/static/vigil.css', summary: 'Stylesheet', tag: 'static', access: 'public', returns: 'css' },
  { method: 'get', path: '/static/vigil.svg', summary: 'The page icon', tag: 'static', access: 'public', returns: 'svg' },
  { method: 'get', path: '/favicon.ico', summary: 'Leads to the page icon', tag: 'static', access: 'public', returns: 'redirect' },
  { method: 'get', path: '/healthz', summary: 'Liveness', tag: 'service', access: 'public', returns: 'json' },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'service', access: 'public', returns: 'json' },
  { method: 'get', path: '/login', summary: 'Sign-in form', tag: 'auth', access: 'public', returns: 'html', query: [{ name: 'next', description: 'local path to return to' }] },
  { method: 'post', path: '/login', summary: 'Sign in (throttled per account and address); sets the session cookie', tag: 'auth', access: 'public', returns: 'redirect', form: { name: 'account name', password: 'password', next: 'local path to return to' } },
  { method: 'post', path: '/logout', summary: 'Sign out: the session is deleted', tag: 'auth', access: 'reader', returns: 'redirect', form: { _csrf: 'CSRF token' } },
  { method: 'get', path: '/setup', summary: 'First-run set-up of the first admin (only while no account exists)', tag: 'auth', access: 'public', returns: 'html' },
  { method: 'post', path: '/setup', summary: 'Create the first admin (refused once any account exists)', tag: 'auth', access: 'public', returns: 'redirect', form: { name: 'account name', password: 'password (15 characters or more)', code: 'set-up code, when one is configured' } },
  { method: 'get', path: '/', summary: 'The news center: items by priority', tag: 'pages', access: 'reader', returns: 'html', query: [...LIST_QUERY, { name: 'page', description: 'page number', type: 'integer' }] },
  { method: 'get', path: '/items/:id', summary: 'An item page', tag: 'pages', access: 'reader', returns: 'html', params: { id: 'item id' } },
  { method: 'get', path: '/sources', summary: 'Sources and their health', tag: 'pages', access: 'reader', returns: 'html' },
  { method: 'get', path: '/api/items', summary: 'Items: searched, filtered and sorted like the list', tag: 'items', access: 'reader', returns: 'json', schema: 'ItemList', query: [...LIST_QUERY, ...PAGING, { name: 'since', description: 'changed after this time (ISO 8601)' }] },
  { method: 'get', path: '/api/items/:id', summary: 'One item, whole (a 301 leads from a merged id to the surviving item)', tag: 'items', access: 'reader', returns: 'json', schema: 'Item', params: { id: 'item id' } },
  { method: 'get', path: '/api/items/:id/export/:format', summary: 'One item exported (stix, misp, csv, markdown, sigma, blocklists...)', tag: 'exports', access: 'reader', returns: 'export', params: { id: 'item id', format: 'export format name' }, query: EXPORT_QUERY },
  { method: 'get', path: '/api/export/:format', summary: 'The filtered items exported', tag: 'exports', access: 'reader', returns: 'export', params: { format: 'export format name' }, query: [...EXPORT_QUERY, ...FILTERS, PAGING[0]] },
  { method: 'get', path: '/feeds/items.rss', summary: 'RSS 2.0 feed of the filtered items', tag: 'feeds', access: 'reader', returns: 'feed', query: FILTERS },
  { method: 'get', path: '/feeds/items.atom', summary: 'Atom feed of the filtered items', tag: 'feeds', access: 'reader', returns: 'feed', query: FILTERS },
  { method: 'get', path: '/feeds/items.json', summary: 'JSON Feed 1.1 of the filtered items', tag: 'feeds', access: 'reader', returns: 'json', query: FILTERS },
  { method: 'get', path: '/api/sources', summary: 'Sources with their health', tag: 'sources', access: 'reader', returns: 'json', schema: 'SourceList' },
  { method: 'get', path: '/api/cves/:id', summary: 'What NVD, the CNA, KEV, EPSS and Vulnrichment say of a CVE, and the items citing it', tag: 'vulnerabilities', access: 'reader', returns: 'json', schema: 'CveData', params: { id: 'CVE id' } },
  { method: 'get', path: '/static/vigil.js', summary: 'The page script: copy buttons, collapse, fetch-enhanced forms', tag: 'static', access: 'public', returns: 'js' },
  ...workRoute('/steps/:key', 'Tick, assign or annotate a checklist step (audited)', { key: 'step key' }, STEP_FORM),
  ...workRoute('/evidence', 'Add a row to the evidence register (audited)', {}, EVIDENCE_FORM),
  ...workRoute('/techniques/:technique/verdict', 'Confirm or reject a technique on the item (audited, remembered)', { technique: 'ATT&CK technique id' }, VERDICT_FORM),
  ...workRoute('/iocs/verdict', 'Confirm or reject an IOC; a false positive goes on the persistent list', {}, { type: 'IOC type', value: 'IOC value', ...VERDICT_FORM, falsePositive: '1 to put the value on the false-positive list' }),
  { method: 'get', path: '/api/items/:id/work', summary: "The team's work on an item: step states, evidence, verdicts", tag: 'work', access: 'reader', returns: 'json', params: { id: 'item id' } },
  { method: 'get', path: '/api/items/:id/evidence', summary: 'The evidence register of an item', tag: 'work', access: 'reader', returns: 'json', params: { id: 'item id' } },
  { method: 'get', path: '/items/:id/evidence.csv', summary: 'The evidence register as CSV', tag: 'work', access: 'reader', returns: 'csv', params: { id: 'item id' } },
  { method: 'get', path: '/api/items/:id/evidence.csv', summary: 'The evidence register as CSV', tag: 'work', access: 'reader', returns: 'csv', params: { id: 'item id' } },
  { method: 'get', path: '/audit', summary: 'The audit log of analyst actions and account changes', tag: 'pages', access: 'reader', returns: 'html', query: [{ name: 'item', description: 'one item only' }, { name: 'page', description: 'page number', type: 'integer' }] },
  { method: 'get', path: '/api/audit', summary: 'The audit log, newest first', tag: 'work', access: 'reader', returns: 'json', query: [{ name: 'item', description: 'one item only' }, ...PAGING] },
  { method: 'get', path: '/false-positives', summary: "The analysts' false-positive list", tag: 'pages', access: 'reader', returns: 'html' },
  { method: 'get', path: '/api/false-positives', summary: "The analysts' false-positive list", tag: 'work', access: 'reader', returns: 'json' },
  { method: 'post', path: '/false-positives/remove', summary: 'Take a value off the false-positive list (audited)', tag: 'work', access: 'analyst', returns: 'redirect', form: { type: 'IOC type', value: 'IOC value', _csrf: 'CSRF token' } },
  { method: 'delete', path: '/api/false-positives', summary: 'Take a value off the false-positive list (audited)', tag: 'work', access: 'analyst', returns: 'json', form: { type: 'IOC type', value: 'IOC value' } },
  { method: 'get', path: '/profile', summary: "The team's profile and what it drives: relevance, regimes, clocks, controls", tag: 'pages', access: 'reader', returns: 'html' },
  { method: 'get', path: '/api/profile', summary: "The team's profile and what it drives", tag: 'profile', access: 'reader', returns: 'json' },
  { method: 'get', path: '/dashboard', summary: 'Items per day by severity and the source health panel (SVG with tables)', tag: 'pages', access: 'reader', returns: 'html', query: [{ name: 'from', description: 'first day (YYYY-MM-DD)' }, { name: 'to', description: 'last day (YYYY-MM-DD)' }] },
  { method: 'get', path: '/attack', summary: 'ATT&CK heatmap across items: tactics by techniques, filtered like the list', tag: 'pages', access: 'reader', returns: 'html', query: [{ name: 'basis', description: 'observed (default) or all', enum: ['observed', 'all'] }, ...LIST_QUERY] },
  { method: 'post', path: '/views', summary: 'Save the current list filters as a named view (per user)', tag: 'list', access: 'reader', returns: 'redirect', form: { name: 'view name', query: 'list query string', _csrf: 'CSRF token' } },
  { method: 'post', path: '/views/:id/delete', summary: 'Remove one of your saved views', tag: 'list', access: 'reader', returns: 'redirect', params: { id: 'view id' }, form: { _csrf: 'CSRF token' } },
  { method: 'post', path: '/read', summary: 'Mark items read (one, or a page of them)', tag: 'list', access: 'reader', returns: 'redirect', form: { id: 'item id (repeatable)', return: 'local path to return to', _csrf: 'CSRF token' } },
  { method: 'get', path: '/admin/users', summary: 'Users and API tokens, with the forms that manage them (admin)', tag: 'pages', access: 'admin', returns: 'html', query: [{ name: 'done', description: 'the notice to show after a change' }] },
  { method: 'get', path: '/api/users', summary: 'Local accounts: name, role, created, password changed (never a hash)', tag: 'admin', access: 'admin', returns: 'json', schema: 'AccountList' },
  { method: 'get', path: '/api/tokens', summary: 'API tokens: name, owner, role, created, last use, expiry (never the token or its hash)', tag: 'admin', access: 'admin', returns: 'json', schema: 'TokenList', query: [{ name: 'user', description: "one account's tokens" }] },
  ...adminRoute('/admin/users', ['post', '/api/users'], 'Add a user (audited)', undefined, { name: 'user name: 1 to 64 of a-z 0-9 . _ @ -', role: 'viewer, analyst (default) or admin', ...PASSWORD_FORM }, { created: true, conflict: true }),
  ...adminRoute('/admin/users/:name/role', ['post', '/api/users/:name/role'], "Change a user's role; the last admin keeps theirs (audited)", USER_PARAM, { role: 'viewer, analyst or admin' }, { conflict: true }),
  ...adminRoute('/admin/users/:name/password', ['post', '/api/users/:name/password'], "Set a user's password, ending their sessions (audited)", USER_PARAM, PASSWORD_FORM),
  ...adminRoute('/admin/users/:name/remove', ['delete', '/api/users/:name'], 'Remove a user with their sessions and tokens; never the last admin (audited)', USER_PARAM, {}, { conflict: true }),
  ...adminRoute('/admin/tokens', ['post', '/api/tokens'], 'Create an API token: its secret is in this answer only (audited)', undefined, {
    user: "the owner's name", name: 'what it is for, 1 to 100 characters', role: "at most the owner's (default: the owner's)", expiresDays: '1 to 3650; none: no expiry',
  }, { created: true, schema: 'NewToken' }, { returns: 'html', created: true }),
  ...adminRoute('/admin/tokens/:id/revoke', ['delete', '/api/tokens/:id'], 'Revoke an API token (audited)', { id: 'token id (tok_...)' }, {}),
  { method: 'get', path: '/taxii2/', summary: 'TAXII 2.1 discovery', tag: 'taxii', access: 'taxii', returns: 'taxii' },
  { method: 'get', path: '/taxii2/vigil/', summary: 'TAXII 2.1 API root', tag: 'taxii', access: 'taxii', returns: 'taxii' },
  { method: 'get', path: '/taxii2/vigil/collections/', summary: 'TAXII collections', tag: 'taxii', access: 'taxii', returns: 'taxii' },
  { method: 'get', path: '/taxii2/vigil/collections/:id/', summary: 'A TAXII collection', tag: 'taxii', access: 'taxii', returns: 'taxii', params: TAXII_ID },
  { method: 'get', path: '/taxii2/vigil/collections/:id/objects/', summary: 'STIX objects of a collection (added_after, limit, next, match[type], match[id])', tag: 'taxii', access: 'taxii', returns: 'taxii', params: TAXII_ID },
  { method: 'get', path: '/taxii2/vigil/collections/:id/objects/:object/', summary: 'One STIX object', tag: 'taxii', access: 'taxii', returns: 'taxii', params: { ...TAXII_ID, object: 'STIX id' } },
  { method: 'get', path: '/taxii2/vigil/collections/:id/manifest/', summary: 'A collection manifest', tag: 'taxii', access: 'taxii', returns: 'taxii', params: TAXII_ID },
];

/** Routes the router holds that are not operations: middleware and catch-all answers. */
export const UNDOCUMENTED = (method: string, path: string) => method === 'ALL' || path.endsWith('/*');

const ERROR = {
  type: 'object', required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
};

const ROLE = { type: 'string', enum: ['viewer', 'analyst', 'admin'] };
const TIME = { type: 'string', format: 'date-time' };
const ACCOUNT = {
  type: 'object', required: ['id', 'name', 'role', 'createdAt', 'passwordChangedAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, role: ROLE, createdAt: TIME, passwordChangedAt: TIME },
};
const TOKEN = {
  type: 'object', required: ['id', 'user', 'name', 'role', 'createdAt', 'lastUsedAt', 'expiresAt'],
  properties: {
    id: { type: 'string' }, user: { type: 'string', description: "the owner's name" }, name: { type: 'string' }, role: ROLE, createdAt: TIME,
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' }, expiresAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const openApiPath = (p: string) => p.replace(/:([A-Za-z_]+)/g, '{$1}');
const operationId = (r: RouteDoc) =>
  `${r.method}${openApiPath(r.path).replace(/[{}]/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Root'}`;

function operation(r: RouteDoc) {
  const parameters = [
    ...Object.entries(r.params ?? {}).map(([name, description]) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } })),
    ...(r.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: q.type ?? 'string', ...(q.enum ? { enum: q.enum } : {}) } })),
  ];
  const ok = r.returns === 'redirect'
    ? { '303': { description: 'Done; see the page it leads to' } }
    : { [r.created ? '201' : '200']: { description: r.summary, content: { [MEDIA[r.returns]]: r.schema ? { schema: { $ref: `#/components/schemas/${r.schema}` } } : {} } } };
  const errors: Record<string, unknown> = { '400': { $ref: '#/components/responses/Error' } };
  if (r.access !== 'public') errors['401'] = { $ref: '#/components/responses/Error' };
  if (r.access === 'analyst' || r.access === 'admin' || r.method !== 'get') errors['403'] = { $ref: '#/components/responses/Error' };
  if (r.params) errors['404'] = { $ref: '#/components/responses/Error' };
  if (r.conflict) errors['409'] = { $ref: '#/components/responses/Error' };
  return {
    operationId: operationId(r), summary: r.summary, tags: [r.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(r.form ? { requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: formSchema(r.form) }, 'application/json': { schema: formSchema(r.form) } } } } : {}),
    responses: { ...ok, ...errors },
    ...(r.access === 'public' ? { security: [] } : r.access === 'taxii' ? { security: [{ token: [] }] } : { 'x-vigil-role': r.access === 'reader' ? 'viewer' : r.access }),
  };
}

const formSchema = (fields: Readonly<Record<string, string>>) => ({
  type: 'object', properties: Object.fromEntries(Object.entries(fields).map(([k, description]) => [k, { type: 'string', description }])),
});

/** The document; `version` is Vigil's. */
export function openApiDocument(version: string, routes: readonly RouteDoc[] = ROUTES): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method] = operation(r);
  const schema = (s: TSchema) => JSON.parse(JSON.stringify(s));
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil', version, summary: 'Self-hosted cybersecurity news center: items, exports, feeds and TAXII.', license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    paths,
    components: {
      schemas: {
        Item: schema(ItemSchema),
        ItemList: { type: 'object', required: ['total', 'items'], properties: { total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' }, items: { type: 'array', items: { type: 'object' } } } },
        Source: schema(SourceSchema),
        SourceList: { type: 'object', properties: { sources: { type: 'array', items: { $ref: '#/components/schemas/Source' } } } },
        CveData: schema(CveDataSchema),
        Account: ACCOUNT,
        AccountList: { type: 'object', required: ['users'], properties: { users: { type: 'array', items: { $ref: '#/components/schemas/Account' } } } },
        Token: TOKEN,
        TokenList: { type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: { $ref: '#/components/schemas/Token' } } } },
        NewToken: { type: 'object', required: ['token', 'record'], properties: { token: { type: 'string', description: 'the secret (vgl_...), shown only here' }, record: { $ref: '#/components/schemas/Token' } } },
        Error: ERROR,
      },
      responses: { Error: { description: 'An error, with a stable code', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'vigil_session', description: 'Browser session; state-changing requests also carry the CSRF token' },
        token: { type: 'http', scheme: 'bearer', description: 'API token (vigil tokens create), hashed at rest' },
      },
    },
    security: [{ session: [] }, { token: [] }],
  };
}
