/** What the state-changing routes share: a form post's or JSON body's fields, a cap on their size, and the refusal a route answers with. */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** A form post or a JSON body, one value per field (the last, for a repeated form field). */
export type Fields = Readonly<Record<string, unknown>>;

/** A refused request: its status, a code for the JSON API and a message for people. */
export class RouteError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 409, readonly code: string, message: string) {
    super(message);
    this.name = 'RouteError';
  }
}

/** Forms and JSON bodies of people's changes are small; anything bigger is refused before it is read. */
export const smallBody = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: { code: 'too-large', message: 'the body is over 64 KiB' } }, 413) });

/** A form post's fields, the last value of a repeated field (a checkbox after its hidden default). */
export async function formFields(c: Context): Promise<Fields> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof last === 'string') out[k] = last;
  }
  return out;
}

export async function jsonFields(c: Context): Promise<Fields> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new RouteError(400, 'bad-request', 'the body must be a JSON object');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new RouteError(400, 'bad-request', 'the body must be a JSON object');
  return body as Fields;
}

export const jsonRefusal = (c: Context, e: RouteError) => c.json({ error: { code: e.code, message: e.message } }, e.status);
