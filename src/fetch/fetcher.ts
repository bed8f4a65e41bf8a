/** Fetches one URL for a source: SSRF-guarded, bounded in size and time, conditional, decompressing, and retried through a per-host queue. */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleepFor } from 'node:timers/promises';
import zlib from 'node:zlib';
import { FetchError } from './errors.js';
import { HostQueue } from './host-queue.js';
import { checkHost, guardedLookup, normaliseHost } from './ssrf-guard.js';

export interface FetchPolicy {
  readonly userAgent: string;
  readonly connectTimeoutMs: number;
  /** From the start of the request to the response headers. */
  readonly headersTimeoutMs: number;
  /** For the whole body, from the response headers to its last byte. */
  readonly bodyTimeoutMs: number;
  /** Longest silence between two chunks of the body. */
  readonly idleTimeoutMs: number;
  /** Body bytes as they come off the wire. */
  readonly maxBytes: number;
  /** Body bytes after gzip, deflate or br; more is a decompression bomb. */
  readonly maxDecodedBytes: number;
  readonly maxRedirects: number;
  /** Extra attempts after a retryable failure. */
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly perHostConcurrency: number;
  /** Minimum gap between the starts of two requests to one host. */
  readonly perHostDelayMs: number;
  readonly allowPrivateNetworks: boolean;
  /** Hostnames or IPs let through even when private, such as an intranet feed. */
  readonly allowHosts: readonly string[];
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = Object.freeze({
  userAgent: 'Vigil/0.1.0 (+https://github.com/vigil; security news center)',
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 60_000,
  idleTimeoutMs: 20_000,
  maxBytes: 20 * 1024 * 1024,
  maxDecodedBytes: 50 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  perHostConcurrency: 2,
  perHostDelayMs: 1000,
  allowPrivateNetworks: false,
  allowHosts: Object.freeze([]) as readonly string[],
});

export interface FetchRequest {
  readonly url: string;
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly accept?: string;
  /** Sent to the original URL and to redirects on the same origin, never to another origin. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export type FetchResult =
  | {
      readonly kind: 'ok';
      /** The final URL, after redirects. */
      readonly url: string;
      readonly status: number;
      /** Decoded body. */
      readonly body: Buffer;
      readonly contentType: string | null;
      readonly etag: string | null;
      readonly lastModified: string | null;
      /** Each URL redirected to, in order; the last one is `url`. */
      readonly redirects: readonly string[];
      readonly attempts: number;
    }
  | { readonly kind: 'not-modified'; readonly url: string; readonly etag: string | null; readonly lastModified: string | null; readonly attempts: number };

export interface FetcherDeps {
  readonly lookup?: typeof dns.lookup;
  /** Backoff and Retry-After waits only; the per-host gap runs on real time. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

type Hop =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-modified'; readonly headers: http.IncomingHttpHeaders }
  | { readonly kind: 'ok'; readonly status: number; readonly headers: http.IncomingHttpHeaders; readonly body: Buffer };

/** A result before its attempt count is known; Omit applied member by member, since Omit over a union merges them. */
type Walked<R = FetchResult> = R extends unknown ? Omit<R, 'attempts'> : never;

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

function validatePolicy(p: FetchPolicy): void {
  const numbers: (keyof FetchPolicy)[] = [
    'connectTimeoutMs', 'headersTimeoutMs', 'bodyTimeoutMs', 'idleTimeoutMs', 'maxBytes', 'maxDecodedBytes',
    'maxRedirects', 'retries', 'retryBaseMs', 'retryMaxMs', 'perHostConcurrency', 'perHostDelayMs',
  ];
  for (const key of numbers) {
    const v = p[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`fetch policy: ${key} must be a finite number of 0 or more, not ${String(v)}`);
  }
  if (p.perHostConcurrency < 1) throw new RangeError('fetch policy: perHostConcurrency must be at least 1');
}

/** Parses and vets a URL, as given or as a redirect's Location resolved against the page that sent it. */
function targetUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch (cause) {
    throw new FetchError('bad-url', text, base ? `redirect to an invalid URL from ${base.href}` : 'not a valid URL', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('unsupported-scheme', url.href, `only http and https are fetched, not ${url.protocol.replace(/:$/, '')}`);
  }
  // Credentials in a URL would be sent to whoever answers and logged everywhere the URL is.
  if (url.username || url.password) throw new FetchError('bad-url', url.href.replace(/\/\/[^@/]*@/, '//'), 'URLs with credentials are refused');
  if (!url.hostname) throw new FetchError('bad-url', url.href, 'no host');
  url.hash = '';
  return url;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Date.parse accepts almost anything; an HTTP date always names its day or month.
  const at = /[A-Za-z]{3}/.test(v) ? Date.parse(v) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function statusError(status: number, headers: http.IncomingHttpHeaders, href: string): FetchError {
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
  const reason = http.STATUS_CODES[status] ?? 'unknown status';
  if (status === 429) return new FetchError('rate-limited', href, `HTTP 429 ${reason}`, { status, retryAfterMs });
  return new FetchError('http-status', href, `HTTP ${status} ${reason}`, { status, retryAfterMs, retryable: status >= 500 });
}

const TLS_CERT = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME_MISMATCH/;

function networkError(err: NodeJS.ErrnoException, href: string): FetchError {
  if (err instanceof FetchError) return err;
  const code = err.code ?? '';
  if (code.startsWith('HPE_')) return new FetchError('connect', href, `malformed HTTP response (${code})`, { retryable: false, cause: err });
  // A bad certificate stays bad on the next attempt.
  if (TLS_CERT.test(code)) return new FetchError('connect', href, `TLS: ${err.message}`, { retryable: false, cause: err });
  return new FetchError('connect', href, code ? `${code}: ${err.message}` : err.message, { cause: err });
}

function header(headers: http.IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

export class Fetcher {
  readonly policy: FetchPolicy;
  private readonly queue: HostQueue;
  private readonly lookup: typeof dns.lookup;
  private readonly sleep: ((ms: number) => Promise<void>) | undefined;
  private readonly random: () => number;

  constructor(policy: Partial<FetchPolicy> = {}, deps: FetcherDeps = {}) {
    this.policy = Object.freeze({ ...DEFAULT_FETCH_POLICY, ...policy });
    validatePolicy(this.policy);
    this.queue = new HostQueue({ concurrency: this.policy.perHostConcurrency, delayMs: this.policy.perHostDelayMs });
    this.lookup = deps.lookup ?? dns.lookup;
    this.sleep = deps.sleep;
    this.random = deps.random ?? Math.random;
  }

  /** Resolves with the body or a not-modified answer; every refusal is a FetchError. */
  async fetch(request: FetchRequest): Promise<FetchResult> {
    const start = targetUrl(request.url);
    const signal = request.signal;
    for (let attempt = 1; ; attempt++) {
      try {
        if (signal?.aborted) throw signal.reason;
        return { ...(await this.follow(start, request)), attempts: attempt };
      } catch (err) {
        const e = this.asFetchError(err, start.href, signal);
        if (!e.retryable || attempt > this.policy.retries) throw e;
        const wait = this.retryDelay(e, attempt);
        // A server that asks for more patience than the policy allows gets its answer back now, with the wait, for the scheduler.
        if (wait === null) throw e;
        try {
          await this.wait(wait, signal);
        } catch (abort) {
          throw this.asFetchError(abort, start.href, signal);
        }
      }
    }
  }

  private asFetchError(err: unknown, href: string, signal: AbortSignal | undefined): FetchError {
    if (signal?.aborted) {
      return err instanceof FetchError && err.code === 'aborted' ? err : new FetchError('aborted', href, 'aborted by the caller', { cause: err });
    }
    if (err instanceof FetchError) return err;
    throw err;
  }

  private retryDelay(e: FetchError, attempt: number): number | null {
    if (e.retryAfterMs !== undefined) return e.retryAfterMs <= this.policy.retryMaxMs ? e.retryAfterMs : null;
    // Exponential backoff with full jitter, so sources that failed together do not retry together.
    const cap = Math.min(this.policy.retryMaxMs, this.policy.retryBaseMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * cap);
  }

  private wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const sleep = this.sleep;
    if (!sleep) return sleepFor(ms, undefined, signal ? { signal } : undefined);
    if (!signal) return sleep(ms);
    if (signal.aborted) return Promise.reject(signal.reason);
    // An injected sleep knows nothing of the signal, so the abort races it.
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      sleep(ms).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** One walk from the original URL through its redirects; every hop waits its turn for its own host. */
  private async follow(start: URL, request: FetchRequest): Promise<Walked> {
    const redirects: string[] = [];
    const seen = new Set([start.href]);
    let url = start;
    for (;;) {
      const current = url;
      const hop = await this.queue.run(normaliseHost(current.hostname), () => this.exchange(current, request, start), request.signal);
      if (hop.kind === 'ok') {
        const h = hop.headers;
        return {
          kind: 'ok', url: current.href, status: hop.status, body: hop.body, contentType: header(h, 'content-type'),
          etag: header(h, 'etag'), lastModified: header(h, 'last-modified'), redirects,
        };
      }
      if (hop.kind === 'not-modified') {
        return {
          kind: 'not-modified', url: current.href,
          etag: header(hop.headers, 'etag') ?? request.etag ?? null, lastModified: header(hop.headers, 'last-modified') ?? request.lastModified ?? null,
        };
      }
      const next = targetUrl(hop.location, current);
      if (seen.has(next.href)) throw new FetchError('redirect-loop', start.href, `redirect loop: ${[...redirects, next.href].join(' -> ')}`);
      if (redirects.length >= this.policy.maxRedirects) throw new FetchError('too-many-redirects', start.href, `more than ${this.policy.maxRedirects} redirects`);
      seen.add(next.href);
      redirects.push(next.href);
      url = next;
    }
  }

  private requestHeaders(url: URL, request: FetchRequest, start: URL): Record<string, string> {
    const out: Record<string, string> = {};
    // Caller headers may carry a token; another origin reached by redirect does not get it.
    if (url.origin === start.origin) for (const [k, v] of Object.entries(request.headers ?? {})) out[k.toLowerCase()] = v;
    out['user-agent'] = this.policy.userAgent;
    out['accept'] = request.accept ?? out['accept'] ?? '*/*';
    out['accept-encoding'] = 'gzip, deflate, br';
    delete out['if-none-match'];
    delete out['if-modified-since'];
    // Validators belong to the original URL; sent elsewhere they would be compared with another resource's.
    if (url === start) {
      if (request.etag) out['if-none-match'] = request.etag;
      if (request.lastModified) out['if-modified-since'] = request.lastModified;
    }
    return out;
  }

  /** One HTTP request and its response, every timer and socket released however it ends. */
  private exchange(url: URL, request: FetchRequest, start: URL): Promise<Hop> {
    const href = url.href;
    const p = this.policy;
    const refused = checkHost(url.hostname, p);
    if (refused !== null) return Promise.reject(new FetchError('blocked-address', href, `refused ${normaliseHost(url.hostname)}: ${refused}`));
    const conditional = url === start && Boolean(request.etag || request.lastModified);
    const signal = request.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);

    return new Promise<Hop>((resolve, reject) => {
      const timers = new Set<NodeJS.Timeout>();
      const after = (ms: number, fn: () => void) => {
        const t = setTimeout(fn, ms);
        timers.add(t);
        return t;
      };
      const clear = (t: NodeJS.Timeout | undefined) => {
        if (t) {
          clearTimeout(t);
          timers.delete(t);
        }
      };
      let settled = false;
      let req: http.ClientRequest | undefined;
      let decoder: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | null | undefined;
      const finish = (): void => {
        settled = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        signal?.removeEventListener('abort', onAbort);
        decoder?.destroy();
        req?.destroy();
      };
      const fail = (err: FetchError): void => {
        if (settled) return;
        finish();
        reject(err);
      };
      const done = (hop: Hop): void => {
        if (settled) return;
        finish();
        resolve(hop);
      };
      const onAbort = () => fail(new FetchError('aborted', href, 'aborted by the caller', { cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });

      const connectTimer = after(p.connectTimeoutMs, () => fail(new FetchError('timeout-connect', href, `no connection within ${p.connectTimeoutMs} ms`)));
      const headersTimer = after(p.headersTimeoutMs, () => fail(new FetchError('timeout-headers', href, `no response headers within ${p.headersTimeoutMs} ms`)));

      try {
        req = (url.protocol === 'https:' ? https : http).request({
          protocol: url.protocol,
          hostname: normaliseHost(url.hostname),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: this.requestHeaders(url, request, start),
          lookup: guardedLookup(href, p, this.lookup),
          // A fresh socket per request: nothing pooled outlives the fetch, and each connection goes through the guard.
          agent: false,
        });
      } catch (cause) {
        fail(new FetchError('bad-url', href, `cannot build the request: ${(cause as Error).message}`, { cause }));
        return;
      }

      req.on('socket', (socket) => {
        if (!socket.connecting) clear(connectTimer);
        else socket.once('connect', () => clear(connectTimer));
      });
      let inBody = false;
      let raw = 0;
      const lost = (err: Error) => new FetchError('connect', href, `connection lost after ${raw} body bytes: ${err.message}`, { cause: err });
      // After the headers, a socket error is the body being cut off, whichever object reports it.
      req.on('error', (err) => fail(inBody ? lost(err) : networkError(err, href)));
      req.on('response', (res) => {
        clear(connectTimer);
        clear(headersTimer);
        const status = res.statusCode ?? 0;
        const location = header(res.headers, 'location');
        if (REDIRECTS.has(status) && location) return done({ kind: 'redirect', location });
        if (status === 304) {
          if (conditional) return done({ kind: 'not-modified', headers: res.headers });
          return fail(new FetchError('http-status', href, 'HTTP 304 to a request that was not conditional', { status, retryable: false }));
        }
        if (status >= 400) return fail(statusError(status, res.headers, href));
        if (status >= 300) return fail(new FetchError('http-status', href, `HTTP ${status} without a usable Location`, { status, retryable: false }));

        const length = Number(header(res.headers, 'content-length') ?? NaN);
        if (length > p.maxBytes) return fail(new FetchError('too-large', href, `Content-Length ${length} is over the limit of ${p.maxBytes} bytes`));
        const encoding = (header(res.headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
        if (!['identity', '', 'gzip', 'x-gzip', 'deflate', 'br'].includes(encoding)) {
          return fail(new FetchError('bad-encoding', href, `unsupported Content-Encoding ${encoding}`, { retryable: false }));
        }

        after(p.bodyTimeoutMs, () => fail(new FetchError('timeout-body', href, `whole body not received within ${p.bodyTimeoutMs} ms`)));
        let idleTimer: NodeJS.Timeout | undefined;
        const armIdle = () => {
          clear(idleTimer);
          idleTimer = after(p.idleTimeoutMs, () => fail(new FetchError('timeout-body', href, `idle: no body data for ${p.idleTimeoutMs} ms`)));
        };
        armIdle();

        inBody = true;
        let decoded = 0;
        let ended = false;
        const chunks: Buffer[] = [];
        const accept = (chunk: Buffer) => {
          if (settled) return;
          decoded += chunk.length;
          if (decoded > p.maxDecodedBytes) {
            return fail(decoder
              ? new FetchError('decompression-bomb', href, `decodes to more than ${p.maxDecodedBytes} bytes (${raw} bytes on the wire so far)`)
              : new FetchError('too-large', href, `body is over the limit of ${p.maxDecodedBytes} bytes`));
          }
          chunks.push(chunk);
        };
        const complete = () => done({ kind: 'ok', status, headers: res.headers, body: Buffer.concat(chunks, decoded) });
        const startDecoder = (first: Buffer) => {
          if (encoding === 'gzip' || encoding === 'x-gzip') decoder = zlib.createGunzip();
          else if (encoding === 'br') decoder = zlib.createBrotliDecompress();
          // Many servers send raw deflate under the zlib name; a zlib stream announces itself in its first two bytes.
          else if (encoding === 'deflate') decoder = first.length >= 2 && (first[0] & 0x0f) === 8 && (first[0] * 256 + first[1]) % 31 === 0 ? zlib.createInflate() : zlib.createInflateRaw();
          else decoder = null;
          if (!decoder) return;
          decoder.on('data', accept);
          decoder.on('end', complete);
          decoder.on('error', (err) => fail(new FetchError('bad-encoding', href, `corrupt ${encoding} body: ${err.message}`, { retryable: false, cause: err })));
        };

        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          raw += chunk.length;
          armIdle();
          if (raw > p.maxBytes) return fail(new FetchError('too-large', href, `body is over the limit of ${p.maxBytes} bytes`));
          if (decoder === undefined) startDecoder(chunk);
          if (!decoder) return accept(chunk);
          // Backpressure keeps a fast server from filling memory ahead of the decoder's byte count.
          if (!decoder.write(chunk)) {
            res.pause();
            decoder.once('drain', () => res.resume());
          }
        });
        res.on('end', () => {
          ended = true;
          if (decoder) decoder.end();
          else complete();
        });
        res.on('error', (err) => fail(lost(err)));
        res.on('close', () => {
          if (!ended) fail(new FetchError('connect', href, `connection closed after ${raw} body bytes`));
        });
      });
      req.end();
    });
  }
}
