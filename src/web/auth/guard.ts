/**
 * The one auth middleware: finds who is asking (API token or session cookie), sets `user` and `csrfToken`, and guards every
 * route: reads need a user (or anonymous read), and every state-changing method needs an analyst, a same-site request and the
 * session's CSRF token, unless the route is one of the few named exceptions.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { UserRecord } from '../../domain/user.js';
import type { Store } from '../../store/index.js';
import { type AppEnv, CSRF_FIELD, CSRF_HEADER, ROLE_RANK, type Role, type SessionUser } from '../context.js';
import { deny, denyJson } from './respond.js';
import { API_TOKEN_PREFIX, sha256 } from './secrets.js';
import { readSession, type SessionPolicy } from './sessions.js';

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing routes that do not need an analyst. The default covers every other route, including routes added later.
 * "public" routes take no user, but still refuse cross-site requests (log-in CSRF).
 */
export const WRITE_EXCEPTIONS: Readonly<Record<string, Role | 'public'>> = {
  'POST /login': 'public',
  'POST /setup': 'public',
  'POST /logout': 'viewer',
  // A reader's own list state: saved views and read marks change nothing anyone else sees.
  'POST /views': 'viewer',
  'POST /views/:id/delete': 'viewer',
  'POST /read': 'viewer',
};
/** The exceptions as patterns over concrete paths: `:id` stands for one path segment. */
const EXCEPTION_PATTERNS: readonly (readonly [RegExp, Role | 'public'])[] = Object.entries(WRITE_EXCEPTIONS).map(([key, role]) => [
  new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/]+')}$`), role,
]);
export const DEFAULT_WRITE_ROLE: Role = 'analyst';

/** Readable without a user: the log-in and set-up pages, the stylesheet and icon, the health check, and TAXII (which checks its own tokens). */
const PUBLIC_READ = [/^\/login$/, /^\/setup$/, /^\/static\//, /^\/favicon\.ico$/, /^\/healthz$/, /^\/api\/openapi\.json$/, /^\/taxii2\//];
/** Paths whose own middleware reads the Authorization header: a token Vigil does not know is theirs to judge. */
const OWN_AUTH = /^\/taxii2\//;

export interface GuardOptions {
  readonly sessions: SessionPolicy;
  readonly anonymousRead: boolean;
  /** Origins besides the request's own that may post (the public address behind a reverse proxy, VIGIL_SITE_URL). */
  readonly trustedOrigins: readonly string[];
  readonly now: () => Date;
}

type Credential = { via: 'token' | 'session'; user: SessionUser; csrfToken: string } | { via: 'bad-token'; why: string } | null;

const sessionUser = (u: UserRecord, role: Role = u.role): SessionUser => ({ id: u.id, name: u.name, role });

/** The bearer token, or the password of Basic auth (feed readers and TAXII clients often only speak Basic). */
export function presentedToken(header: string): { token: string; scheme: 'bearer' | 'basic' } | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return { token: bearer[1], scheme: 'bearer' };
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { token: decoded.slice(colon + 1), scheme: 'basic' };
}

async function identify(c: Context<AppEnv>, store: Store, o: GuardOptions): Promise<Credential> {
  const header = c.req.header('authorization');
  if (header) {
    const presented = presentedToken(header);
    if (!presented || !presented.token.startsWith(API_TOKEN_PREFIX)) return OWN_AUTH.test(c.req.path) ? null : { via: 'bad-token', why: 'not a Vigil API token (Authorization: Bearer vgl_...)' };
    // A browser replays Basic credentials on its own, so they would be as forgeable cross-site as a cookie: reads only.
    if (presented.scheme === 'basic' && !SAFE_METHODS.has(c.req.method)) return { via: 'bad-token', why: 'state-changing requests take the token as Authorization: Bearer' };
    const found = await store.getApiToken(sha256(presented.token));
    const now = o.now();
    if (!found) return { via: 'bad-token', why: 'unknown or revoked API token' };
    if (found.token.expiresAt && Date.parse(found.token.expiresAt) <= now.getTime()) return { via: 'bad-token', why: `the API token expired at ${found.token.expiresAt}` };
    const last = found.token.lastUsedAt ? Date.parse(found.token.lastUsedAt) : 0;
    if (now.getTime() - last >= 60_000) await store.touchApiToken(found.token.id, now.toISOString());
    // A token acts with its own role, and never above what its owner is today.
    const role = ROLE_RANK[found.token.role] <= ROLE_RANK[found.user.role] ? found.token.role : found.user.role;
    return { via: 'token', user: sessionUser(found.user, role), csrfToken: '' };
  }
  const session = await readSession(c, store, o.sessions, o.now());
  return session ? { via: 'session', user: sessionUser(session.user), csrfToken: session.csrfToken } : null;
}

/**
 * Why a state-changing request is cross-site, or null. Sec-Fetch-Site decides when the browser sends it (every current one
 * does): the browser itself says where the request came from, and "none" is the user's own action. Origin is the fallback; a
 * request with neither comes from no browser, and the CSRF token still stands in its way.
 */
export function crossSiteReason(c: Context, trustedOrigins: readonly string[]): string | null {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none' ? null : `cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 40)})`;
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin && !trustedOrigins.includes(origin)) {
    return `cross-site request refused (Origin ${origin.slice(0, 100)} is not this site; set VIGIL_SITE_URL to the address browsers use)`;
  }
  return null;
}

const equal = (a: string, b: string) => a.length === b.length && a.length > 0 && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const MAX_FORM_FOR_CSRF = 1024 * 1024;

/** A request body as text, or null when it runs past `max` bytes. */
async function readCapped(request: Request, max: number): Promise<string | null> {
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The CSRF token a request carries: the header for scripts, the form field for forms. */
async function presentedCsrf(c: Context): Promise<string> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return '';
  // Read from a copy, so the route's own body limit and parser still see an unread stream; and never more than
  // MAX_FORM_FOR_CSRF, so the guard itself cannot be made to buffer a flood.
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > MAX_FORM_FOR_CSRF) return '';
  const copy = c.req.raw.clone();
  let field: unknown;
  if (/^multipart\//i.test(type)) {
    if (!(declared >= 0)) return '';
    field = (await copy.formData()).get(CSRF_FIELD);
  } else {
    const text = await readCapped(copy, MAX_FORM_FOR_CSRF);
    field = text === null ? null : new URLSearchParams(text).get(CSRF_FIELD);
  }
  return typeof field === 'string' ? field : '';
}

/** The role a state-changing request to this path needs, or "public". */
export function writeRole(method: string, path: string): Role | 'public' {
  const key = `${method} ${path}`;
  return WRITE_EXCEPTIONS[key] ?? EXCEPTION_PATTERNS.find(([pattern]) => pattern.test(key))?.[1] ?? DEFAULT_WRITE_ROLE;
}

export function authGuard(store: Store, o: GuardOptions): MiddlewareHandler<AppEnv> {
  let someoneExists = false;
  const hasUsers = async () => (someoneExists ||= (await store.countUsers()) > 0);
  return async (c, next) => {
    c.set('user', null);
    c.set('csrfToken', '');
    const cred = await identify(c, store, o);
    if (cred?.via === 'bad-token') return denyJson(c, 401, 'invalid-token', cred.why);
    if (cred) {
      c.set('user', cred.user);
      c.set('csrfToken', cred.csrfToken);
    }
    const user = cred?.user ?? null;

    if (SAFE_METHODS.has(c.req.method)) {
      if (user || PUBLIC_READ.some((p) => p.test(c.req.path))) return next();
      if (o.anonymousRead) return next();
      if (!(await hasUsers())) return deny(c, 401, 'setup-required', 'no account exists yet: create the first admin at /setup or with `vigil users add NAME --role admin`');
      return deny(c, 401, 'unauthenticated', 'sign in, or send an API token (Authorization: Bearer vgl_...)');
    }

    // Tokens are never sent by a browser on its own, so only cookie (and anonymous) requests can be forged cross-site.
    if (cred?.via !== 'token') {
      const reason = crossSiteReason(c, o.trustedOrigins);
      if (reason) return deny(c, 403, 'cross-site', reason);
    }
    const needed = writeRole(c.req.method, c.req.path);
    if (needed === 'public') return next();
    if (!user) return deny(c, 401, 'unauthenticated', 'sign in, or send an API token (Authorization: Bearer vgl_...)');
    if (cred?.via === 'session' && !equal(await presentedCsrf(c), cred.csrfToken)) {
      return deny(c, 403, 'csrf', `missing or wrong CSRF token: send the form field ${CSRF_FIELD} or the ${CSRF_HEADER} header; reload the page if your session changed`);
    }
    if (ROLE_RANK[user.role] < ROLE_RANK[needed]) return deny(c, 403, 'forbidden', `this needs the ${needed} role; you are ${user.role}`);
    return next();
  };
}

/** A route that needs more than the guard's floor (admin pages): marked, so tests enumerating the routes know what each needs. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> & { readonly requiredRole: Role } {
  const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
    const user = c.get('user') ?? null;
    if (!user) return deny(c, 401, 'unauthenticated', 'sign in, or send an API token (Authorization: Bearer vgl_...)');
    if (ROLE_RANK[user.role] < ROLE_RANK[role]) return deny(c, 403, 'forbidden', `this needs the ${role} role; you are ${user.role}`);
    return next();
  };
  return Object.assign(handler, { requiredRole: role });
}
