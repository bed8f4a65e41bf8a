/** Admin-only management of accounts and API tokens: the /admin/users page and its form posts, and the same actions as JSON under /api. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono';
import type { Audited } from '../../domain/work.js';
import type { Store } from '../../store/index.js';
import {
  AccountError, type AccountErrorCode, type TokenView, accountView, addUser, createToken, listAccounts, listTokens, removeUser, revokeToken, role,
  setPassword, setRole, tokenView,
} from '../auth/accounts.js';
import { requireRole } from '../auth/index.js';
import type { AppEnv } from '../context.js';
import { ADD_USER, AdminPage, type AdminPageProps, CREATE_TOKEN } from '../views/admin.js';
import { type Fields, RouteError, formFields, jsonFields, jsonRefusal, smallBody } from './request-body.js';

type C = Context<AppEnv>;

/** What an action did: its JSON answer, the notice the page shows after it, or (a new token) what the page shows once. */
interface Outcome {
  readonly status: 200 | 201;
  readonly json: unknown;
  readonly done: string;
  readonly created?: { token: string; record: TokenView };
}

interface ActionInput {
  readonly fields: Fields;
  readonly param: (name: string) => string;
  readonly who: Audited;
  readonly now: Date;
}

interface Action {
  /** The page's form post, which redirects back to the page. */
  readonly form: string;
  /** Its JSON twin. */
  readonly api: readonly ['POST' | 'DELETE', string];
  readonly run: (input: ActionInput) => Promise<Outcome>;
}

/** The page's notices, by the `done` its redirect carries: fixed sentences, so a crafted link can say nothing else. */
const NOTICES: ReadonlyMap<string, string> = new Map([
  ['user-added', 'User added.'],
  ['role-changed', 'Role changed.'],
  ['password-set', "Password set; the account's sessions ended."],
  ['user-removed', 'User removed, with their sessions and tokens.'],
  ['token-revoked', 'Token revoked: it no longer opens anything.'],
]);

const STATUS: Readonly<Record<AccountErrorCode, RouteError['status']>> = {
  'bad-name': 400, 'weak-password': 400, 'bad-role': 400, 'bad-expiry': 400, 'name-taken': 409, 'not-first': 409, 'last-admin': 409,
  'no-such-user': 404, 'no-such-token': 404,
};

function refusal(e: unknown): RouteError {
  if (e instanceof RouteError) return e;
  if (e instanceof AccountError) return new RouteError(STATUS[e.code], e.code, e.reason);
  throw e;
}

/** A text field; absent is empty, and a script sending another type is told so rather than guessed at. */
const text = (f: Fields, name: string): string => {
  const v = f[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new RouteError(400, 'bad-request', `${name} must be a string`);
  return v;
};

/** The form asks for the password twice, as the CLI does at a terminal; a script may send it once. */
function newPassword(f: Fields): string {
  const password = text(f, 'password');
  if (f.confirm !== undefined && f.confirm !== password) throw new RouteError(400, 'password-mismatch', 'The two passwords differ.');
  return password;
}

/** Whole days, or undefined for no expiry; createToken holds them to 1-3650. */
function expiryDays(f: Fields): number | undefined {
  const v = f.expiresDays;
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || !/^\s*\d{1,5}\s*$/.test(v)) throw new RouteError(400, 'bad-expiry', 'expiresDays is a whole number of days (1 to 3650), or empty for no expiry');
  return Number(v);
}

/** What a refused form held, to show it again: never a password. */
const DRAFT_FIELDS = ['name', 'role', 'user', 'expiresDays'];

export function adminRoutes(app: Hono<AppEnv>, store: Store, options: { now?: () => Date } = {}): void {
  const now = options.now ?? (() => new Date());
  const r = new Hono<AppEnv>();
  // Marked per route (not one middleware over a prefix), so a test enumerating the router sees what each route needs.
  const admin = requireRole('admin');

  const actions: readonly Action[] = [
    {
      form: ADD_USER, api: ['POST', '/api/users'],
      run: async ({ fields, who, now: at }) => {
        const user = await addUser(store, { name: text(fields, 'name'), password: newPassword(fields), role: role(text(fields, 'role') || 'analyst') }, at, { who });
        return { status: 201, json: { user: accountView(user) }, done: 'user-added' };
      },
    },
    {
      form: '/admin/users/:name/role', api: ['POST', '/api/users/:name/role'],
      run: async ({ fields, param, who }) => ({ status: 200, json: { user: accountView(await setRole(store, param('name'), role(text(fields, 'role')), who)) }, done: 'role-changed' }),
    },
    {
      form: '/admin/users/:name/password', api: ['POST', '/api/users/:name/password'],
      run: async ({ fields, param, who, now: at }) => ({ status: 200, json: { user: accountView(await setPassword(store, param('name'), newPassword(fields), at, who)) }, done: 'password-set' }),
    },
    {
      form: '/admin/users/:name/remove', api: ['DELETE', '/api/users/:name'],
      run: async ({ param, who }) => ({ status: 200, json: { removed: accountView(await removeUser(store, param('name'), who)) }, done: 'user-removed' }),
    },
    {
      form: CREATE_TOKEN, api: ['POST', '/api/tokens'],
      run: async ({ fields, who, now: at }) => {
        const wanted = text(fields, 'role');
        const input = { user: text(fields, 'user'), name: text(fields, 'name'), role: wanted ? role(wanted) : undefined, expiresInDays: expiryDays(fields) };
        const { token, record, owner } = await createToken(store, input, at, who);
        const view = tokenView(record, owner.name);
        return { status: 201, json: { token, record: view }, done: 'token-created', created: { token, record: view } };
      },
    },
    {
      form: '/admin/tokens/:id/revoke', api: ['DELETE', '/api/tokens/:id'],
      run: async ({ param, who }) => {
        await revokeToken(store, param('id'), who);
        return { status: 200, json: { revoked: param('id') }, done: 'token-revoked' };
      },
    },
  ];

  const input = (c: C, fields: Fields): ActionInput => {
    const user = c.get('user');
    // requireRole has let only an admin through; this holds without it too.
    if (!user) throw new RouteError(401, 'unauthenticated', 'sign in as an admin');
    const at = now();
    return { fields, param: (n) => c.req.param(n) ?? '', who: { actor: user.name, at: at.toISOString() }, now: at };
  };

  const page = async (c: C, status: 200 | 201 | RouteError['status'], extra: Partial<AdminPageProps> = {}) => {
    const [users, tokens] = await Promise.all([listAccounts(store), listTokens(store)]);
    const html = await (<AdminPage users={users} tokens={tokens} csrf={c.get('csrfToken') ?? ''} me={c.get('user')?.name ?? ''} {...extra} />);
    // A page with a new token's secret must not be kept by any cache, the browser's included.
    return c.html(`<!doctype html>${html}`, status, extra.created ? { 'cache-control': 'no-store' } : {});
  };

  r.get('/admin/users', admin, (c) => page(c, 200, { notice: NOTICES.get(c.req.query('done') ?? '') ?? null }));
  r.get('/api/users', admin, async (c) => c.json({ users: await listAccounts(store) }));
  r.get('/api/tokens', admin, async (c) => {
    try {
      return c.json({ tokens: await listTokens(store, c.req.query('user') || undefined) });
    } catch (e) {
      return jsonRefusal(c, refusal(e));
    }
  });

  for (const action of actions) {
    r.post(action.form, admin, smallBody, async (c) => {
      const fields = await formFields(c);
      try {
        const done = await action.run(input(c, fields));
        return done.created ? page(c, 201, { created: done.created }) : c.redirect(`/admin/users?done=${done.done}`, 303);
      } catch (e) {
        const refused = refusal(e);
        const values = Object.fromEntries(DRAFT_FIELDS.map((f) => [f, String(fields[f] ?? '')]));
        return page(c, refused.status, { error: refused.message, draft: { form: action.form, values } });
      }
    });
    const [method, path] = action.api;
    r.on(method, path, admin, smallBody, async (c) => {
      try {
        // A DELETE names all it needs in its path, and clients often send it without a body.
        const done = await action.run(input(c, method === 'DELETE' ? {} : await jsonFields(c)));
        if (done.created) c.header('cache-control', 'no-store');
        return c.json(done.json, done.status);
      } catch (e) {
        return jsonRefusal(c, refusal(e));
      }
    });
  }

  app.route('/', r);
}
