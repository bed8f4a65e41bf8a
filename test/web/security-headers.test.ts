// The security headers: the list is what hono/secure-headers made with Vigil's policy, and every response carries all of it,
// the item page (which sends its headers whole) as much as any other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { SECURITY_HEADERS, securityHeaders, withSecurityHeaders } from '../../src/web/security-headers.js';

const library = () => secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"], styleSrc: ["'self'"], scriptSrc: ["'self'"], connectSrc: ["'self'"], imgSrc: ["'self'"],
    formAction: ["'self'"], baseUri: ["'none'"], frameAncestors: ["'none'"],
  },
  referrerPolicy: 'same-origin',
});

const headersOf = (res: Response) => Object.fromEntries([...res.headers.entries()].filter(([k]) => k !== 'content-type' && k !== 'x-route'));

test('the list is exactly what hono/secure-headers sets under the same policy', async () => {
  const app = new Hono();
  app.use('*', library());
  app.get('/', (c) => c.text('ok'));
  assert.deepEqual(headersOf(await app.request('/')), { ...SECURITY_HEADERS });
});

test('the middleware sets every header, replacing a route\'s own value; a whole response keeps its own set', async () => {
  const app = new Hono();
  app.use('*', securityHeaders());
  app.get('/plain', (c) => c.text('ok', 200, { 'x-frame-options': 'ALLOWALL', 'x-powered-by': 'me', 'x-route': 'plain' }));
  app.get('/whole', () => withSecurityHeaders('ok', 200, { 'content-type': 'text/plain', 'x-route': 'whole' }));
  app.get('/error', () => { throw new Error('boom'); });
  app.onError((_e, c) => c.text('error', 500));
  for (const path of ['/plain', '/whole', '/error', '/missing']) {
    const res = await app.request(path);
    assert.deepEqual(headersOf(res), { ...SECURITY_HEADERS }, path);
  }
  assert.equal((await app.request('/whole')).headers.get('x-route'), 'whole');
});
