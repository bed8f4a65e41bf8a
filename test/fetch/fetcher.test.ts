// The fetcher against a hostile loopback server: every misbehaviour ends in its own error code, and no socket is left open.
import assert from 'node:assert/strict';
import type dns from 'node:dns';
import { isIP } from 'node:net';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { FetchError, Fetcher, type FetchErrorCode, type FetchPolicy, type FetcherDeps } from '../../src/fetch/index.js';
import { ETAG, LAST_MODIFIED, startHostileServer, TEXT, type HostileServer } from './hostile-server.js';

const POLICY: Partial<FetchPolicy> = {
  allowPrivateNetworks: true,
  maxBytes: 1024 * 1024,
  maxDecodedBytes: 4 * 1024 * 1024,
  connectTimeoutMs: 500,
  headersTimeoutMs: 800,
  bodyTimeoutMs: 1500,
  idleTimeoutMs: 500,
  retries: 0,
  perHostConcurrency: 16,
  perHostDelayMs: 0,
};

let server: HostileServer;
before(async () => {
  server = await startHostileServer();
});
after(() => server.close());

function fetcher(policy: Partial<FetchPolicy> = {}, deps: FetcherDeps = {}) {
  return new Fetcher({ ...POLICY, ...policy }, deps);
}

/** A sleep that records what it was asked to wait and returns at once. */
function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

function fakeLookup(table: Record<string, string[]>): typeof dns.lookup {
  const lookup = (hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => {
    const list = table[hostname];
    setImmediate(() => {
      if (list) callback(null, list.map((address) => ({ address, family: isIP(address) })));
      else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    });
  };
  return lookup as unknown as typeof dns.lookup;
}

async function refusal(p: Promise<unknown>, code: FetchErrorCode, message?: RegExp): Promise<FetchError> {
  const err = await p.then(
    (r) => assert.fail(`expected ${code}, got ${JSON.stringify(r)}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FetchError, `not a FetchError: ${String(err)}`);
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return err;
}

/** The server sees every connection closed shortly after the client is done with it. */
async function noOpenSockets(): Promise<void> {
  for (let i = 0; i < 100 && (await server.connections()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(await server.connections(), 0, 'a socket was left open');
}

test('plain text comes back with its headers, on the first attempt, without redirects', async () => {
  const r = await fetcher().fetch({ url: server.url('/ok') });
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.equal(r.body.toString(), TEXT);
  assert.equal(r.status, 200);
  assert.equal(r.contentType, 'text/plain; charset=utf-8');
  assert.equal(r.url, server.url('/ok'));
  assert.deepEqual(r.redirects, []);
  assert.equal(r.attempts, 1);
  await noOpenSockets();
});

test('the request carries the user agent, Accept and Accept-Encoding', async () => {
  const r = await fetcher({ userAgent: 'Vigil/test' }).fetch({ url: server.url('/echo-headers'), accept: 'application/rss+xml' });
  assert.equal(r.kind, 'ok');
  const sent = JSON.parse(r.kind === 'ok' ? r.body.toString() : '{}');
  assert.equal(sent['user-agent'], 'Vigil/test');
  assert.equal(sent['accept'], 'application/rss+xml');
  assert.equal(sent['accept-encoding'], 'gzip, deflate, br');
  assert.equal(sent['if-none-match'], undefined);
});

for (const route of ['/gzip', '/br', '/deflate', '/deflate-raw']) {
  test(`${route.slice(1)} bodies are decoded`, async () => {
    const r = await fetcher().fetch({ url: server.url(route) });
    assert.equal(r.kind === 'ok' && r.body.toString(), TEXT);
  });
}

test('a gzip bomb is stopped at maxDecodedBytes', async () => {
  const err = await refusal(fetcher().fetch({ url: server.url('/bomb') }), 'decompression-bomb', /decodes to more than 4194304 bytes/);
  assert.equal(err.retryable, false);
  await noOpenSockets();
});

test('a body that is not what its Content-Encoding says is bad-encoding', async () => {
  await refusal(fetcher().fetch({ url: server.url('/lying-gzip') }), 'bad-encoding', /corrupt gzip/);
  await refusal(fetcher().fetch({ url: server.url('/truncated-gzip') }), 'bad-encoding');
  await refusal(fetcher().fetch({ url: server.url('/zstd') }), 'bad-encoding', /unsupported Content-Encoding zstd/);
});

test('an endless body stops at maxBytes', async () => {
  await refusal(fetcher().fetch({ url: server.url('/endless') }), 'too-large', /over the limit of 1048576 bytes/);
  await noOpenSockets();
});

test('a huge Content-Length is refused before reading the body', async () => {
  await refusal(fetcher().fetch({ url: server.url('/huge-length') }), 'too-large', /Content-Length 10737418240/);
  await noOpenSockets();
});

test('a slow drip of one byte a second trips the idle timeout', async () => {
  const err = await refusal(fetcher().fetch({ url: server.url('/slow-drip') }), 'timeout-body', /idle: no body data for 500 ms/);
  assert.equal(err.retryable, true);
  await noOpenSockets();
});

test('a trickle that is never idle still ends at the whole-body timeout', async () => {
  await refusal(fetcher().fetch({ url: server.url('/trickle') }), 'timeout-body', /whole body not received within 1500 ms/);
  await noOpenSockets();
});

test('a server that never answers trips the headers timeout', async () => {
  await refusal(fetcher().fetch({ url: server.url('/no-headers') }), 'timeout-headers', /within 800 ms/);
  await noOpenSockets();
});

test('a connection that never opens trips the connect timeout', async () => {
  const hanging = (() => {}) as unknown as typeof dns.lookup;
  await refusal(fetcher({}, { lookup: hanging }).fetch({ url: 'http://hang.test/' }), 'timeout-connect', /no connection within 500 ms/);
});

test('a refused connection is a retryable connect error', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const { port } = closed.address() as { port: number };
  await new Promise((r) => closed.close(r));
  const err = await refusal(fetcher().fetch({ url: `http://127.0.0.1:${port}/` }), 'connect', /ECONNREFUSED/);
  assert.equal(err.retryable, true);
});

test('a connection reset in the middle of the body is a retryable connect error', async () => {
  const err = await refusal(fetcher().fetch({ url: server.url('/reset') }), 'connect', /after 1000 body bytes/);
  assert.equal(err.retryable, true);
  await noOpenSockets();
});

test('a name that does not resolve is a dns error that is not retried', async () => {
  const err = await refusal(fetcher({ retries: 2 }, { lookup: fakeLookup({}) }).fetch({ url: 'http://nowhere.test/' }), 'dns', /ENOTFOUND/);
  assert.equal(err.retryable, false);
});

test('a redirect chain is followed, relative and absolute Locations alike', async () => {
  const r = await fetcher().fetch({ url: server.url('/redirect-chain?n=3') });
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.equal(r.url, server.url('/ok'));
  assert.deepEqual(r.redirects, ['/redirect-chain?n=2', '/redirect-chain?n=1', '/redirect-chain?n=0', '/ok'].map((p) => server.url(p)));
  assert.equal(r.body.toString(), TEXT);
});

test('more redirects than maxRedirects is too-many-redirects', async () => {
  await refusal(fetcher({ maxRedirects: 2 }).fetch({ url: server.url('/redirect-chain?n=3') }), 'too-many-redirects', /more than 2 redirects/);
});

test('a redirect loop is caught before the redirect limit', async () => {
  await refusal(fetcher({ maxRedirects: 50 }).fetch({ url: server.url('/loop-a') }), 'redirect-loop', /loop-b -> .*loop-a/);
  assert.equal(server.hits('/loop-a'), 1);
});

test('redirects to a private address or the metadata service are refused at the hop', async () => {
  // Loopback is let in by name only, so the guard is live for every other address.
  const guarded = fetcher({ allowPrivateNetworks: false, allowHosts: ['127.0.0.1'] });
  const ok = await guarded.fetch({ url: server.url('/ok') });
  assert.equal(ok.kind, 'ok');
  const toPrivate = await refusal(guarded.fetch({ url: server.url('/to-private') }), 'blocked-address', /refused 10\.0\.0\.1: private network \(RFC 1918\)/);
  assert.equal(toPrivate.url, 'http://10.0.0.1/');
  assert.equal(toPrivate.retryable, false);
  await refusal(guarded.fetch({ url: server.url('/to-metadata') }), 'blocked-address', /169\.254\.169\.254: link-local/);
});

test('a redirect to another scheme is unsupported-scheme; a redirect without Location is an http-status', async () => {
  await refusal(fetcher().fetch({ url: server.url('/to-file') }), 'unsupported-scheme', /not file/);
  const err = await refusal(fetcher().fetch({ url: server.url('/no-location') }), 'http-status');
  assert.equal(err.status, 302);
});

test('a redirect to a name that resolves privately is refused after DNS', async () => {
  const lookup = fakeLookup({ 'intranet.example': ['10.0.0.5'] });
  const to = encodeURIComponent('http://intranet.example/feed');
  const guarded = fetcher({ allowPrivateNetworks: false, allowHosts: ['127.0.0.1'] }, { lookup });
  await refusal(guarded.fetch({ url: server.url(`/redirect-to?to=${to}`) }), 'blocked-address', /refused 10\.0\.0\.5 for intranet\.example: private network \(RFC 1918\)/);
});

test('conditional GET: validators are sent and a 304 is not-modified', async () => {
  const f = fetcher();
  const first = await f.fetch({ url: server.url('/conditional') });
  assert.equal(first.kind, 'ok');
  if (first.kind !== 'ok') return;
  assert.equal(first.etag, ETAG);
  assert.equal(first.lastModified, LAST_MODIFIED);
  const byEtag = await f.fetch({ url: server.url('/conditional'), etag: first.etag, lastModified: first.lastModified });
  assert.deepEqual(byEtag, { kind: 'not-modified', url: server.url('/conditional'), etag: ETAG, lastModified: LAST_MODIFIED, attempts: 1 });
  const sent = server.requests('/conditional').at(-1);
  assert.equal(sent?.['if-none-match'], ETAG);
  assert.equal(sent?.['if-modified-since'], LAST_MODIFIED);
  const byDate = await f.fetch({ url: server.url('/conditional'), lastModified: LAST_MODIFIED });
  assert.equal(byDate.kind, 'not-modified');
  const stale = await f.fetch({ url: server.url('/conditional'), etag: '"v0"' });
  assert.equal(stale.kind, 'ok');
});

test('a 304 to an unconditional request is an error, not a silent empty feed', async () => {
  const err = await refusal(fetcher().fetch({ url: server.url('/always-304') }), 'http-status', /not conditional/);
  assert.equal(err.status, 304);
});

test('validators go to the original URL only; caller headers do not cross origins', async () => {
  const lookup = fakeLookup({ 'other.test': ['127.0.0.1'] });
  const f = fetcher({}, { lookup });
  const headers = { Authorization: 'Bearer secret' };

  const same = await f.fetch({ url: server.url('/redirect-to?to=/echo-headers'), etag: '"abc"', headers });
  const sameSent = JSON.parse(same.kind === 'ok' ? same.body.toString() : '{}');
  assert.equal(sameSent['if-none-match'], undefined, 'validator followed the redirect');
  assert.equal(sameSent['authorization'], 'Bearer secret');
  assert.equal(server.requests('/redirect-to?to=/echo-headers')[0]['if-none-match'], '"abc"');

  const elsewhere = encodeURIComponent(`http://other.test:${server.port}/echo-headers`);
  const cross = await f.fetch({ url: server.url(`/redirect-to?to=${elsewhere}`), headers });
  const crossSent = JSON.parse(cross.kind === 'ok' ? cross.body.toString() : '{}');
  assert.equal(crossSent['authorization'], undefined, 'a caller header reached another origin');
  assert.equal(crossSent['host'], `other.test:${server.port}`);
});

test('a body that is not what its Content-Type says is returned as is, for the parser to judge', async () => {
  const r = await fetcher().fetch({ url: server.url('/wrong-type') });
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.equal(r.contentType, 'application/rss+xml');
  assert.deepEqual([...r.body.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test('a 4xx is an http-status that is not retried', async () => {
  const { waits, sleep } = fakeSleep();
  const err = await refusal(fetcher({ retries: 2 }, { sleep }).fetch({ url: server.url('/status?code=404') }), 'http-status', /HTTP 404 Not Found/);
  assert.equal(err.status, 404);
  assert.equal(err.retryable, false);
  assert.equal(server.hits('/status?code=404'), 1);
  assert.deepEqual(waits, []);
});

test('a 500 is retried with exponential backoff and full jitter, then returned', async () => {
  const { waits, sleep } = fakeSleep();
  const f = fetcher({ retries: 2, retryBaseMs: 1000, retryMaxMs: 30_000 }, { sleep, random: () => 0.5 });
  const err = await refusal(f.fetch({ url: server.url('/status?code=500') }), 'http-status');
  assert.equal(err.status, 500);
  assert.equal(err.retryable, true);
  assert.equal(server.hits('/status?code=500'), 3);
  assert.deepEqual(waits, [500, 1000]);
});

test('backoff is capped at retryMaxMs', async () => {
  const { waits, sleep } = fakeSleep();
  const f = fetcher({ retries: 3, retryBaseMs: 1000, retryMaxMs: 1500 }, { sleep, random: () => 0.999 });
  await refusal(f.fetch({ url: server.url('/status?code=502') }), 'http-status');
  assert.deepEqual(waits, [999, 1498, 1498]);
});

test('a 503 then a 200 succeeds on the retry', async () => {
  const { waits, sleep } = fakeSleep();
  const r = await fetcher({ retries: 2 }, { sleep, random: () => 0.25 }).fetch({ url: server.url('/flaky?id=a') });
  assert.equal(r.kind, 'ok');
  assert.equal(r.attempts, 2);
  assert.equal(server.hits('/flaky?id=a'), 2);
  assert.deepEqual(waits, [250]);
});

test('a 429 with Retry-After: 2 waits two seconds and retries', async () => {
  const { waits, sleep } = fakeSleep();
  const r = await fetcher({ retries: 1 }, { sleep }).fetch({ url: server.url('/rate-limited?id=a') });
  assert.equal(r.kind, 'ok');
  assert.equal(r.attempts, 2);
  assert.deepEqual(waits, [2000]);
});

test('a 429 with no retries left is rate-limited with retryAfterMs', async () => {
  const err = await refusal(fetcher().fetch({ url: server.url('/rate-limited?id=b') }), 'rate-limited');
  assert.equal(err.status, 429);
  assert.equal(err.retryAfterMs, 2000);
  assert.equal(err.retryable, true);
});

test('a Retry-After longer than retryMaxMs is handed back at once', async () => {
  const { waits, sleep } = fakeSleep();
  const err = await refusal(fetcher({ retries: 2 }, { sleep }).fetch({ url: server.url('/rate-limited?always=1&after=3600') }), 'rate-limited');
  assert.equal(err.retryAfterMs, 3_600_000);
  assert.equal(server.hits('/rate-limited?always=1&after=3600'), 1);
  assert.deepEqual(waits, []);
});

test('a Retry-After given as an HTTP date is honoured', async () => {
  const { waits, sleep } = fakeSleep();
  const when = encodeURIComponent(new Date(Date.now() + 10_000).toUTCString());
  const r = await fetcher({ retries: 1 }, { sleep }).fetch({ url: server.url(`/rate-limited?id=c&after=${when}`) });
  assert.equal(r.kind, 'ok');
  assert.equal(waits.length, 1);
  assert.ok(waits[0] > 5000 && waits[0] <= 10_000, `waited ${waits[0]} ms`);
});

test('a retry waits its turn again: during backoff the host slot is free for others', async () => {
  // One slot per host; if the retry kept it through its backoff, the second fetch could never finish and this would hang.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const f = fetcher({ retries: 1, perHostConcurrency: 1 }, { sleep: () => released });
  const flaky = f.fetch({ url: server.url('/flaky?id=queue') });
  await new Promise((r) => setTimeout(r, 50));
  const other = await f.fetch({ url: server.url('/ok') });
  assert.equal(other.kind, 'ok');
  assert.equal(server.hits('/flaky?id=queue'), 1);
  release();
  const r = await flaky;
  assert.equal(r.attempts, 2);
});

test('no more than perHostConcurrency fetches reach one host at once', async () => {
  const f = fetcher({ perHostConcurrency: 2 });
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => f.fetch({ url: server.url(`/hold?i=${i}`) })));
  assert.ok(results.every((r) => r.kind === 'ok'));
  assert.ok(server.peakHeld() >= 1 && server.peakHeld() <= 2, `peak ${server.peakHeld()}`);
});

test('an abort ends the fetch at once and closes the socket', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const err = await refusal(fetcher().fetch({ url: server.url('/slow-drip'), signal: controller.signal }), 'aborted');
  assert.equal(err.retryable, false);
  await noOpenSockets();
});

test('an abort during backoff ends the fetch without another attempt', async () => {
  const controller = new AbortController();
  const sleep = () => new Promise<void>(() => controller.abort());
  const err = await refusal(fetcher({ retries: 2 }, { sleep }).fetch({ url: server.url('/status?code=503&id=abort'), signal: controller.signal }), 'aborted');
  assert.equal(err.code, 'aborted');
  assert.equal(server.hits('/status?code=503&id=abort'), 1);
});

test('an already aborted signal sends nothing', async () => {
  await refusal(fetcher().fetch({ url: server.url('/ok?id=never'), signal: AbortSignal.abort() }), 'aborted');
  assert.equal(server.hits('/ok?id=never'), 0);
});

test('bad URLs, other schemes and credentials are refused before any connection', async () => {
  const f = fetcher();
  await refusal(f.fetch({ url: 'not a url' }), 'bad-url');
  await refusal(f.fetch({ url: 'ftp://example.com/feed' }), 'unsupported-scheme', /not ftp/);
  await refusal(f.fetch({ url: 'file:///etc/passwd' }), 'unsupported-scheme');
  await refusal(f.fetch({ url: 'javascript:alert(1)' }), 'unsupported-scheme');
  const creds = await refusal(f.fetch({ url: 'http://user:hunter2@example.com/' }), 'bad-url', /credentials/);
  assert.doesNotMatch(creds.message, /hunter2/);
});

test('a header value that would split the request is refused', async () => {
  await refusal(fetcher().fetch({ url: server.url('/ok'), etag: '"x"\r\nX-Injected: 1' }), 'bad-url', /cannot build the request/);
});

test('the policy is checked when the fetcher is made', () => {
  assert.throws(() => new Fetcher({ maxBytes: -1 }), /maxBytes/);
  assert.throws(() => new Fetcher({ perHostConcurrency: 0 }), /perHostConcurrency/);
  assert.throws(() => new Fetcher({ retryBaseMs: Number.NaN }), /retryBaseMs/);
});
