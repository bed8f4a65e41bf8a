/** The log-in, log-out and first-run set-up routes. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Store } from '../../store/index.js';
import type { AppEnv } from '../context.js';
import { LoginPage, SetupPage } from '../views/auth.js';
import { AccountError, addUser } from './accounts.js';
import { safeNext } from './next-path.js';
import { hashPassword, needsRehash, verifyNobody, verifyPassword } from './password.js';
import { deny, denyJson, wantsHtml } from './respond.js';
import { endSession, type SessionPolicy, startSession } from './sessions.js';
import type { LoginThrottle } from './throttle.js';

export interface AuthRouteOptions {
  readonly sessions: SessionPolicy;
  readonly throttle: LoginThrottle;
  /** When set, the set-up page asks for this code (printed by `vigil serve`), so whoever reaches a fresh server first cannot claim it. */
  readonly setupCode: string | null;
  readonly now: () => Date;
}

// A log-in or set-up form is a few hundred bytes; anyone may post one, so nobody may post megabytes.
const smallForm = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json({ error: { code: 'too-large', message: 'a log-in or set-up form is at most 16 KiB' } }, 413) });

const page = async (c: Context, status: 200 | 400 | 401 | 409 | 429, view: Promise<string> | string) => c.html(`<!doctype html>${await view}`, status);

/** The fields of a form post (or of a JSON body, for scripts), as strings. */
async function fields(c: Context): Promise<Record<string, string>> {
  const raw: Record<string, unknown> = /^application\/json/i.test(c.req.header('content-type') ?? '')
    ? await c.req.json().catch(() => ({}))
    : await c.req.parseBody().catch(() => ({}));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The client's address for throttling: the socket's peer (a reverse proxy in front makes every client one address). */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export function authRoutes(app: Hono<AppEnv>, store: Store, o: AuthRouteOptions): void {
  const noUsers = async () => (await store.countUsers()) === 0;

  app.get('/login', async (c) => {
    const next = safeNext(c.req.query('next'));
    if (c.get('user')) return c.redirect(next, 303);
    if (await noUsers()) return c.redirect('/setup', 303);
    return page(c, 200, <LoginPage next={next} />);
  });

  app.post('/login', smallForm, async (c) => {
    const f = await fields(c);
    const next = safeNext(f.next);
    const account = (f.name ?? '').trim().toLowerCase().slice(0, 64);
    const address = clientAddress(c);
    const wait = o.throttle.retryAfter(account, address, o.now().getTime());
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      const message = `Too many failed attempts: try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`;
      return wantsHtml(c) ? page(c, 429, <LoginPage next={next} name={account} error={message} />) : denyJson(c, 429, 'rate-limited', message);
    }
    const user = account ? await store.getUserByName(account) : null;
    const ok = user ? await verifyPassword(f.password ?? '', user.passwordHash) : await verifyNobody(f.password ?? '');
    if (!user || !ok) {
      await sleep(o.throttle.fail(account, address, o.now().getTime()));
      const message = 'Wrong name or password.';
      return wantsHtml(c) ? page(c, 401, <LoginPage next={next} name={account} error={message} />) : denyJson(c, 401, 'bad-credentials', message);
    }
    o.throttle.succeed(account);
    if (needsRehash(user.passwordHash)) await store.updateUser(user.id, { passwordHash: await hashPassword(f.password ?? '') });
    const csrfToken = await startSession(c, store, o.sessions, user, o.now());
    return wantsHtml(c) ? c.redirect(next, 303) : c.json({ user: { id: user.id, name: user.name, role: user.role }, csrfToken });
  });

  app.post('/logout', async (c) => {
    await endSession(c, store, o.sessions);
    return wantsHtml(c) ? c.redirect('/login', 303) : c.body(null, 204);
  });

  app.get('/setup', async (c) => {
    if (!(await noUsers())) return c.redirect('/login', 303);
    return page(c, 200, <SetupPage needsCode={o.setupCode !== null} />);
  });

  app.post('/setup', smallForm, async (c) => {
    if (!(await noUsers())) return deny(c, 409, 'already-set-up', 'Vigil is already set up: sign in, and an admin adds further users.');
    const f = await fields(c);
    const name = f.name ?? '';
    const refuse = (status: 400 | 401 | 409, message: string) =>
      wantsHtml(c) ? page(c, status, <SetupPage needsCode={o.setupCode !== null} name={name} error={message} />) : denyJson(c, status, 'bad-request', message);
    if (o.setupCode !== null && !sameSecret(f.code ?? '', o.setupCode)) {
      await sleep(o.throttle.fail('setup', clientAddress(c), o.now().getTime()));
      return refuse(401, 'The set-up code is wrong: it is printed by `vigil serve` when it starts on a database with no account.');
    }
    if ((f.password ?? '') !== (f.confirm ?? f.password ?? '')) return refuse(400, 'The two passwords differ.');
    try {
      const now = o.now();
      // Nobody is signed in yet: the set-up code (or a fresh server's first caller) is who made this admin.
      const user = await addUser(store, { name, password: f.password ?? '', role: 'admin' }, now, { onlyFirst: true, who: { actor: 'set-up', at: now.toISOString() } });
      const csrfToken = await startSession(c, store, o.sessions, user, o.now());
      return wantsHtml(c) ? c.redirect('/', 303) : c.json({ user: { id: user.id, name: user.name, role: user.role }, csrfToken }, 201);
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      return refuse(e.code === 'not-first' ? 409 : 400, e.reason);
    }
  });
}
