/** One chat-completion request to an OpenAI-compatible endpoint, bounded in time and size, through the SSRF guard with only the configured host let through. */
import type dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { FetchError, guardedLookup, normaliseHost } from '../fetch/index.js';

export interface ChatEndpoint {
  /** The API base, e.g. http://127.0.0.1:11434/v1; /chat/completions is appended. */
  readonly url: string;
  readonly model: string;
  readonly apiKey: string | null;
  readonly timeoutMs: number;
  /** Largest answer read, in bytes. */
  readonly maxBytes: number;
  readonly lookup?: typeof dns.lookup;
}

export interface ChatMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

function completionsUrl(base: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  return url;
}

/** The answer's first choice; every failure (timeout, status, size, shape) is a FetchError naming the endpoint's origin only. */
export function chatCompletion(endpoint: ChatEndpoint, messages: readonly ChatMessage[]): Promise<string> {
  const url = completionsUrl(endpoint.url);
  const where = url.origin;
  // An administrator chose this endpoint, and Ollama or vLLM usually listen on loopback: that host, and only that host,
  // passes the guard. Every other address (a redirect is never followed) stays refused.
  const guard = { allowPrivateNetworks: false, allowHosts: [normaliseHost(url.hostname)] };
  const body = JSON.stringify({ model: endpoint.model, messages, temperature: 0, stream: false });
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      fn();
    };
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), accept: 'application/json' };
    if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
    const req = (url.protocol === 'https:' ? https : http).request({
      protocol: url.protocol, hostname: normaliseHost(url.hostname), port: url.port || undefined, path: `${url.pathname}${url.search}`,
      method: 'POST', agent: false, lookup: guardedLookup(where, guard, endpoint.lookup), headers,
    });
    const timer = setTimeout(() => settle(() => reject(new FetchError('timeout-body', where, `no complete answer within ${endpoint.timeoutMs} ms`))), endpoint.timeoutMs);
    req.on('error', (err) => settle(() => reject(err instanceof FetchError ? err : new FetchError('connect', where, (err as NodeJS.ErrnoException).code ?? err.message, { cause: err }))));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > endpoint.maxBytes) return settle(() => reject(new FetchError('too-large', where, `answer is over ${endpoint.maxBytes} bytes`)));
        chunks.push(c);
      });
      res.on('error', (err) => settle(() => reject(new FetchError('connect', where, err.message, { cause: err }))));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) return settle(() => reject(new FetchError('http-status', where, `HTTP ${status}`, { status })));
        try {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { choices?: { message?: { content?: unknown } }[] };
          const content = answer.choices?.[0]?.message?.content;
          if (typeof content !== 'string') throw new Error('no choices[0].message.content string');
          settle(() => resolve(content));
        } catch (e) {
          settle(() => reject(new FetchError('http-status', where, `not a chat completion: ${(e as Error).message}`, { status })));
        }
      });
    });
    req.end(body);
  });
}
