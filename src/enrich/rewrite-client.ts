/** One chat-completion request to an OpenAI-compatible endpoint, bounded in time and size, through the SSRF guard with only the configured host let through. */
import type dns from 'node:dns';
import { postWebhook } from '../alerts/post.js';
import { FetchError, normaliseHost } from '../fetch/index.js';

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

const USER_AGENT = 'Vigil/0.1.0 (summary rewrite)';

function completionsUrl(base: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  return url;
}

/** The answer's first choice; every failure (timeout, status, size, shape) is a FetchError naming the endpoint's origin only. */
export async function chatCompletion(endpoint: ChatEndpoint, messages: readonly ChatMessage[]): Promise<string> {
  const url = completionsUrl(endpoint.url);
  // An administrator chose this endpoint, and Ollama or vLLM usually listen on loopback: that host, and only that host,
  // passes the guard. Every other address stays refused, and no redirect is followed.
  const guard = { allowPrivateNetworks: false, allowHosts: [normaliseHost(url.hostname)] };
  const body = JSON.stringify({ model: endpoint.model, messages, temperature: 0, stream: false });
  const headers: Record<string, string> = { accept: 'application/json', ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) };
  const answer = await postWebhook(url.href, body, headers, {
    guard, userAgent: USER_AGENT, timeoutMs: endpoint.timeoutMs, maxAnswerBytes: endpoint.maxBytes, ...(endpoint.lookup ? { lookup: endpoint.lookup } : {}),
  });
  try {
    const parsed = JSON.parse(answer.body) as { choices?: { message?: { content?: unknown } }[] };
    const content = parsed.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new Error('no choices[0].message.content string');
    return content;
  } catch (e) {
    throw new FetchError('http-status', url.origin, `not a chat completion: ${(e as Error).message}`, { status: answer.status, retryable: false });
  }
}
