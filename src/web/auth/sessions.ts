/** Cookie sessions: random ids stored as sha256, an absolute lifetime and an idle timeout, rotated at log-in, deleted at log-out. */
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { UserRecord } from '../../domain/user.js';
import type { Store } from '../../store/index.js';
import { newSecret, sha256 } from './secrets.js';

export interface SessionPolicy {
  /**
   * `__Host-vigil_session`, Secure, when the site is served over https. A browser drops a Secure or `__Host-` cookie set over
   * plain http (other than on localhost), so on http the cookie is `vigil_session` without Secure: fine on loopback, not across a network.
   */
  readonly secureCookies: boolean;
  readonly lifetimeMs: number;
  readonly idleMs: number;
}

export const DEFAULT_LIFETIME_MS = 12 * 3_600_000;
export const DEFAULT_IDLE_MS = 2 * 3_600_000;
/** A session's last-seen time is written at most this often: not one database write per request. */
const TOUCH_EVERY_MS = 60_000;

export const cookieName = (policy: SessionPolicy) => (policy.secureCookies ? '__Host-vigil_session' : 'vigil_session');

/** The CSRF token of a session: derived from its id, which only the browser holding the cookie knows; the database holds neither. */
export const csrfTokenOf = (sessionId: string) => createHmac('sha256', sessionId).update('vigil-csrf/1').digest('base64url');

export interface OpenSession {
  readonly user: UserRecord;
  readonly csrfToken: string;
}

/** The request's session, if its cookie names a live one; an expired or idle one is deleted. */
export async function readSession(c: Context, store: Store, policy: SessionPolicy, now: Date): Promise<OpenSession | null> {
  const id = getCookie(c, cookieName(policy));
  if (!id || id.length > 128) return null;
  const found = await store.getSession(sha256(id));
  if (!found) return null;
  const t = now.getTime();
  if (Date.parse(found.session.expiresAt) <= t || Date.parse(found.session.lastSeenAt) + policy.idleMs <= t) {
    await store.deleteSession(found.session.idHash);
    return null;
  }
  if (t - Date.parse(found.session.lastSeenAt) >= TOUCH_EVERY_MS) await store.touchSession(found.session.idHash, now.toISOString());
  return { user: found.user, csrfToken: csrfTokenOf(id) };
}

/** Starts a session for `user` and sets its cookie; the session the request came with, if any, ends (no fixation). */
export async function startSession(c: Context, store: Store, policy: SessionPolicy, user: UserRecord, now: Date): Promise<string> {
  const old = getCookie(c, cookieName(policy));
  if (old) await store.deleteSession(sha256(old));
  await store.deleteSessions({ expiredBefore: now.toISOString() });
  const { id, csrfToken } = await createSession(store, user.id, policy, now);
  setCookie(c, cookieName(policy), id, {
    httpOnly: true, secure: policy.secureCookies, sameSite: 'Lax', path: '/', maxAge: Math.floor(policy.lifetimeMs / 1000),
  });
  return csrfToken;
}

/** A new session in the store: its id (the cookie's value, never stored) and its CSRF token. */
export async function createSession(store: Store, userId: string, policy: Pick<SessionPolicy, 'lifetimeMs'>, now: Date): Promise<{ id: string; csrfToken: string }> {
  const id = newSecret();
  const at = now.toISOString();
  await store.saveSession({ idHash: sha256(id), userId, createdAt: at, expiresAt: new Date(now.getTime() + policy.lifetimeMs).toISOString(), lastSeenAt: at });
  return { id, csrfToken: csrfTokenOf(id) };
}

export async function endSession(c: Context, store: Store, policy: SessionPolicy): Promise<void> {
  const id = getCookie(c, cookieName(policy));
  if (id) await store.deleteSession(sha256(id));
  deleteCookie(c, cookieName(policy), { path: '/', secure: policy.secureCookies });
}
