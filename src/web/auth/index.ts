/** Auth for the web app in one call: the context the layout reads, the guard over every route, and the log-in and set-up routes. */
import type { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import type { Store } from '../../store/index.js';
import type { AppEnv } from '../context.js';
import { authGuard } from './guard.js';
import { authRoutes } from './routes.js';
import { DEFAULT_IDLE_MS, DEFAULT_LIFETIME_MS } from './sessions.js';
import { LoginThrottle, type ThrottleOptions } from './throttle.js';

export { requireRole, writeRole, WRITE_EXCEPTIONS, SAFE_METHODS } from './guard.js';

export interface AuthOptions {
  /** VIGIL_ANONYMOUS_READ: pages and the read API without signing in. Off by default; anonymous never writes. */
  readonly anonymousRead?: boolean;
  /** VIGIL_SECURE_COOKIES: `__Host-` and Secure on the session cookie. Default: on when `siteUrl` is https. */
  readonly secureCookies?: boolean;
  /** VIGIL_SITE_URL: the address browsers use; its origin may post besides the request's own (a reverse proxy). */
  readonly siteUrl?: string;
  /** A code the first-run set-up asks for (see AuthRouteOptions). */
  readonly setupCode?: string | null;
  readonly sessionLifetimeMs?: number;
  readonly sessionIdleMs?: number;
  readonly throttle?: ThrottleOptions;
  readonly now?: () => Date;
}

export function installAuth(app: Hono<AppEnv>, store: Store, options: AuthOptions = {}): void {
  const siteOrigin = options.siteUrl ? new URL(options.siteUrl).origin : null;
  const sessions = {
    secureCookies: options.secureCookies ?? siteOrigin?.startsWith('https:') ?? false,
    lifetimeMs: options.sessionLifetimeMs ?? DEFAULT_LIFETIME_MS,
    idleMs: options.sessionIdleMs ?? DEFAULT_IDLE_MS,
  };
  const now = options.now ?? (() => new Date());
  // The layout reads the user through this, so no view needs the user passed down to it.
  app.use('*', contextStorage());
  app.use('*', authGuard(store, { sessions, anonymousRead: options.anonymousRead ?? false, trustedOrigins: siteOrigin ? [siteOrigin] : [], now }));
  authRoutes(app, store, { sessions, throttle: new LoginThrottle(options.throttle), setupCode: options.setupCode ?? null, now });
}
