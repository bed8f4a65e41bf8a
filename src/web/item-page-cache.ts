/**
 * The item page's main part kept rendered: keyed by the item's revision, the team's work on it and whether the viewer may edit,
 * bounded by bytes (least recently used out first). The CSRF token is the one per-viewer value inside it, filled in per request.
 * Parts are kept as UTF-8 bytes: a hit copies them into the response, with no re-encoding of a 100 KiB string.
 */
import { randomBytes } from 'node:crypto';

/** Rendered pages are 50 to 150 KiB: about the 1,500 most-opened items, the list's first 30 pages. */
const DEFAULT_MAX_BYTES = 128 * 2 ** 20;

export interface RenderedPage {
  /** The item's title, for the page frame. */
  readonly title: string;
  /** The rendered HTML, split where the CSRF token goes. */
  readonly parts: readonly Buffer[];
}

/** An HTML attribute value: a CSRF token is base64url, but nothing unescaped goes into the page whatever it holds. */
const attribute = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `parts` with `between` (an attribute value, escaped here) wherever they were split, after `head` and before `tail`. */
export function fill(head: string, page: RenderedPage, between: string, tail: string): Uint8Array<ArrayBuffer> {
  const token = Buffer.from(attribute(between));
  const chunks: Buffer[] = [Buffer.from(head)];
  page.parts.forEach((p, i) => {
    if (i > 0) chunks.push(token);
    chunks.push(p);
  });
  chunks.push(Buffer.from(tail));
  return Buffer.concat(chunks) as Uint8Array<ArrayBuffer>;
}

export class ItemPageCache {
  readonly #entries = new Map<string, { page: RenderedPage; bytes: number }>();
  #bytes = 0;

  constructor(readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /**
   * The main part for `key`, rendered by `render` on a miss. `render` gets a stand-in token: random, made after the item was
   * written, so no text in the item can contain it; every place the stand-in lands is where the request's token goes.
   */
  async page(key: string, render: (csrf: string) => Promise<{ title: string; html: string } | null>): Promise<RenderedPage | null> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.page;
    }
    const standIn = `csrf${randomBytes(16).toString('hex')}`;
    const rendered = await render(standIn);
    if (!rendered) return null;
    const page = { title: rendered.title, parts: rendered.html.split(standIn).map((p) => Buffer.from(p)) };
    this.#put(key, page);
    return page;
  }

  #put(key: string, page: RenderedPage): void {
    const bytes = page.parts.reduce((n, p) => n + p.length, (page.title.length + key.length) * 2);
    if (bytes > this.maxBytes) return;
    const old = this.#entries.get(key);
    if (old) this.#bytes -= old.bytes;
    this.#entries.set(key, { page, bytes });
    this.#bytes += bytes;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
  }
}
