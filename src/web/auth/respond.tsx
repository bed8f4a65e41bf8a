/** How the auth layer refuses a request: JSON `{error:{code,message}}` for the API and scripts, a page or a log-in redirect for browsers. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { DeniedPage } from '../views/auth.js';
import { loginPath } from './next-path.js';

export type DenialCode =
  | 'unauthenticated' | 'invalid-token' | 'setup-required' | 'forbidden' | 'cross-site' | 'csrf' | 'rate-limited' | 'bad-credentials' | 'already-set-up' | 'bad-request';

/** A browser navigating or posting a form: it asked for HTML, and the path is not the JSON API. */
export function wantsHtml(c: Context): boolean {
  if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/taxii2/')) return false;
  return /text\/html/.test(c.req.header('accept') ?? '');
}

export function denyJson(c: Context, status: 400 | 401 | 403 | 409 | 429, code: DenialCode, message: string): Response {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="vigil"');
  return c.json({ error: { code, message } }, status);
}

/** Refuses the request; a browser without a session goes to the log-in page (or the set-up page) and comes back after. */
export async function deny(c: Context<AppEnv>, status: 401 | 403 | 409 | 429, code: DenialCode, message: string): Promise<Response> {
  if (!wantsHtml(c)) return denyJson(c, status, code, message);
  if (code === 'setup-required') return c.redirect('/setup', 303);
  if (status === 401) {
    const url = new URL(c.req.url);
    return c.redirect(c.req.method === 'GET' || c.req.method === 'HEAD' ? loginPath(url.pathname, url.search) : '/login', 303);
  }
  return c.html(`<!doctype html>${await (<DeniedPage status={status} message={message} />)}`, status);
}
