/** One webhook POST through the fetcher's SSRF guard: the host checked before connecting and every resolved address checked as connected; no redirects followed. */
import type dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { checkHost, FetchError, type FetchPolicy, guardedLookup, normaliseHost } from '../fetch/index.js';

export type GuardPolicy = Pick<FetchPolicy, 'allowPrivateNetworks' | 'allowHosts'>;

export interface PostOptions {
  readonly guard: GuardPolicy;
  readonly userAgent: string;
  readonly timeoutMs?: number;
  readonly lookup?: typeof dns.lookup;
  /** Read the whole answer, up to this many bytes (more is refused as too-large), instead of its start only. */
  readonly maxAnswerBytes?: number;
}

export interface PostResult {
  readonly status: number;
  /** The start of the answer, for the delivery log. */
  readonly body: string;
}

// A webhook's answer is a status and a word or two; reading more would let a receiver fill memory.
const MAX_ANSWER = 16 * 1024;

function target(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new FetchError('bad-url', '(webhook)', 'not a valid URL', { cause, retryable: false });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('unsupported-scheme', url.origin, `only http and https, not ${url.protocol}`, { retryable: false });
  if (url.username || url.password) throw new FetchError('bad-url', url.origin, 'URLs with credentials are refused', { retryable: false });
  return url;
}

/** Posts a body; resolves with any answer of 2xx, rejects with a FetchError (retryable or not) otherwise. Errors name the origin only: webhook paths are secrets. */
export function postWebhook(urlText: string, body: string, headers: Readonly<Record<string, string>>, options: PostOptions): Promise<PostResult> {
  const url = target(urlText);
  const where = url.origin;
  const refused = checkHost(url.hostname, options.guard);
  if (refused !== null) return Promise.reject(new FetchError('blocked-address', where, `refused ${normaliseHost(url.hostname)}: ${refused}`, { retryable: false }));
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise<PostResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      fn();
    };
    const req = (url.protocol === 'https:' ? https : http).request({
      protocol: url.protocol, hostname: normaliseHost(url.hostname), port: url.port || undefined, path: `${url.pathname}${url.search}`,
      method: 'POST', agent: false, lookup: guardedLookup(where, options.guard, options.lookup),
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'user-agent': options.userAgent, ...headers },
    });
    const timer = setTimeout(() => settle(() => reject(new FetchError('timeout-headers', where, `no answer within ${timeoutMs} ms`))), timeoutMs);
    req.on('error', (err) => settle(() => reject(err instanceof FetchError ? err : new FetchError('connect', where, (err as NodeJS.ErrnoException).code ?? err.message, { cause: err }))));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const whole = options.maxAnswerBytes;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (whole !== undefined && size > whole) return settle(() => reject(new FetchError('too-large', where, `answer is over ${whole} bytes`, { retryable: false })));
        if (whole !== undefined || size - c.length < MAX_ANSWER) chunks.push(c);
      });
      res.on('error', (err) => settle(() => reject(new FetchError('connect', where, err.message, { cause: err }))));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const answer = Buffer.concat(chunks).toString('utf8');
        const text = answer.slice(0, 500);
        if (status >= 200 && status < 300) return settle(() => resolve({ status, body: whole !== undefined ? answer : text }));
        // A redirect is not followed: it could lead past the guard's intent to another host, and a webhook has no reason to move.
        const retryable = status >= 500 || status === 408 || status === 429;
        const code = status === 429 ? 'rate-limited' : 'http-status';
        settle(() => reject(new FetchError(code, where, `HTTP ${status}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`, { status, retryable })));
      });
    });
    req.end(body);
  });
}
