/**
 * The item page's main part kept rendered in memory for items the team works on: keyed by the item's revision, the team's work
 * on it and whether the viewer may edit, bounded by bytes (least recently used out first). The CSRF token is the one per-viewer
 * value inside it, filled in per request. Parts are kept deflated (src/web/page-bytes.ts): a hit joins them, compressing nothing big.
 */
import zlib from 'node:zlib';
import { type PageBytes, STAND_IN, compressPage, framed, gzipJoin, plainJoin, storedPart } from './page-bytes.js';

/** Rendered pages are 50 to 150 KiB: about the 1,500 most-opened items, the list's first 30 pages. */
const DEFAULT_MAX_BYTES = 128 * 2 ** 20;

/** An HTML attribute value: a CSRF token is base64url, but nothing unescaped goes into the page whatever it holds. */
const attribute = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `page` with `between` (an attribute value, escaped here) wherever it was split, after `head` and before `tail`; gzip or plain. */
export function fill(head: string, page: PageBytes, between: string, tail: string, gzip = false): Uint8Array<ArrayBuffer> {
  const token = attribute(between);
  if (page.slot && Buffer.byteLength(token) !== page.slot) {
    // A token of another length than the window was made for (never one of ours): read the page with its stand-in, then swap.
    const html = plainJoin(framed(storedPart(''), page, storedPart(STAND_IN), storedPart(''))).toString().split(STAND_IN).join(token);
    const bytes = Buffer.from(`${head}${html}${tail}`);
    return (gzip ? zlib.gzipSync(bytes) : bytes) as Uint8Array<ArrayBuffer>;
  }
  const parts = framed(storedPart(head), page, storedPart(token), storedPart(tail));
  return gzip ? gzipJoin(parts) : plainJoin(parts);
}

export class ItemPageCache {
  readonly #entries = new Map<string, { page: PageBytes; bytes: number }>();
  #bytes = 0;

  constructor(readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /** The main part for `key`, rendered by `render` on a miss with a stand-in token: where it lands, the request's token goes. */
  async page(key: string, render: (csrf: string) => Promise<{ title: string; html: string } | null>): Promise<PageBytes | null> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.page;
    }
    const page = await compressPage(render);
    if (!page) return null;
    this.#put(key, page);
    return page;
  }

  #put(key: string, page: PageBytes): void {
    const bytes = page.parts.reduce((n, p) => n + p.deflated.length, (page.title.length + key.length) * 2);
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
