/**
 * The security headers of every response, a strict Content-Security-Policy among them: one list, added by a middleware after
 * each route, or sent whole by a hot route in its own plain header object (no Headers object made and read back per request).
 */
import type { MiddlewareHandler } from 'hono';

const CSP = [
  "default-src 'none'", "style-src 'self'", "script-src 'self'", "connect-src 'self'", "img-src 'self'", "form-action 'self'",
  "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

/** As hono/secure-headers makes them by default, with the CSP above and the referrer policy below. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  // Not no-referrer: under it a browser sends "Origin: null" on its own forms, and the auth guard could not tell them from a forgery.
  'referrer-policy': 'same-origin',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** Responses made by withSecurityHeaders: they carry the headers already. */
const complete = new WeakSet<Response>();

/** A response with `headers` and every security header, as a plain object the node server writes as it is. */
export function withSecurityHeaders(body: Uint8Array<ArrayBuffer> | string | null, status: number, headers: Record<string, string>): Response {
  const res = new Response(body, { status, headers: { ...SECURITY_HEADERS, ...headers } });
  complete.add(res);
  return res;
}

/** Sets the security headers on every response that does not carry them already (replacing a route's own values, as before). */
export function securityHeaders(): MiddlewareHandler {
  const entries = Object.entries(SECURITY_HEADERS);
  return async (c, next) => {
    await next();
    if (complete.has(c.res)) return;
    const h = c.res.headers;
    for (const [name, value] of entries) h.set(name, value);
    h.delete('x-powered-by');
  };
}
