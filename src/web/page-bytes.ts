/**
 * A rendered page kept compressed: its fixed parts deflated once, where it is rendered, and joined per request around the
 * per-request values (frame, CSRF token) into one gzip stream, so no request compresses the ~85 KiB page again.
 *
 * Each part is a raw deflate stream ended by a sync flush (byte-aligned, no final block), so parts compressed apart can be
 * laid end to end; the gzip trailer's CRC-32 is combined from the parts' own CRCs.
 */
import zlib from 'node:zlib';

export interface Part {
  /** Raw deflate, sync-flushed: never the final block. */
  readonly deflated: Buffer;
  readonly crc: number;
  readonly length: number;
  /** x^(8·length) modulo the CRC polynomial: what combining a CRC with this part's takes, computed once per part. */
  readonly shift: number;
}

/** A page split where the request's CSRF token goes: between every two parts. */
export interface PageBytes {
  readonly title: string;
  readonly parts: readonly Part[];
}

/** `text` compressed: for what is rendered once and sent many times. */
export function part(text: string | Buffer): Part {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return { deflated: zlib.deflateRawSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH }), crc: zlib.crc32(bytes), length: bytes.length, shift: x2nModP(bytes.length, 3) };
}

/**
 * `text` as deflate stored blocks (a 5-byte header per 64 KiB, the bytes as they are): for the few hundred bytes made per
 * request, where setting up a compressor would cost more than the bytes it saves.
 */
export function storedPart(text: string | Buffer): Part {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const blocks: Buffer[] = [];
  let at = 0;
  do {
    const chunk = bytes.subarray(at, at + 0xffff);
    blocks.push(Buffer.from([0, chunk.length & 0xff, chunk.length >> 8, ~chunk.length & 0xff, (~chunk.length >> 8) & 0xff]), chunk);
    at += 0xffff;
  } while (at < bytes.length);
  return { deflated: Buffer.concat(blocks), crc: zlib.crc32(bytes), length: bytes.length, shift: x2nModP(bytes.length, 3) };
}

/** `html` split at every `standIn`, each piece deflated. */
export function pageBytes(title: string, html: string, standIn: string): PageBytes {
  return { title, parts: html.split(standIn).map(part) };
}

// CRC-32 combination (zlib's crc32_combine, by multiplication modulo the CRC polynomial): the CRC of A then B from crc(A), crc(B), |B|.
const POLY = 0xedb88320;
function multModP(a: number, b: number): number {
  let m = 2 ** 31;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}
const X2N: number[] = [];
for (let n = 0, p = 2 ** 30; n < 32; n++) X2N.push(p = n === 0 ? p : multModP(p, p));
function x2nModP(n: number, k: number): number {
  let p = 2 ** 31;
  while (n) {
    if (n & 1) p = multModP(X2N[k & 31], p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}
export const crc32Combine = (crc1: number, crc2: number, length2: number) => (multModP(x2nModP(length2, 3), crc1) ^ crc2) >>> 0;
const combine = (crc1: number, p: Part) => (multModP(p.shift, crc1) ^ p.crc) >>> 0;

// The gzip member header: deflate, no name or time, unknown OS; and a final empty fixed-Huffman block to end the stream.
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
const FINAL_BLOCK = Buffer.from([3, 0]);

/** The parts in order, as one gzip body. */
export function gzipJoin(parts: readonly Part[]): Uint8Array<ArrayBuffer> {
  let crc = 0;
  let length = 0;
  for (const p of parts) {
    crc = combine(crc, p);
    length += p.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return Buffer.concat([GZIP_HEADER, ...parts.map((p) => p.deflated), FINAL_BLOCK, trailer]) as Uint8Array<ArrayBuffer>;
}

/** The parts in order, uncompressed: for a client that accepts no gzip. */
export function plainJoin(parts: readonly Part[]): Uint8Array<ArrayBuffer> {
  return zlib.inflateRawSync(Buffer.concat([...parts.map((p) => p.deflated), FINAL_BLOCK])) as Uint8Array<ArrayBuffer>;
}

/** `page`'s parts with `between` wherever they were split, after `head` and before `tail`. */
export function framed(head: Part, page: PageBytes, between: Part, tail: Part): Part[] {
  const out = [head];
  page.parts.forEach((p, i) => {
    if (i > 0) out.push(between);
    out.push(p);
  });
  out.push(tail);
  return out;
}

/** Whether an Accept-Encoding header allows gzip (a q of 0 refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const entry of header.toLowerCase().split(',')) {
    const [coding, ...params] = entry.trim().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') continue;
    const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

// Kept pages are stored as bytes: a JSON header (title, each part's crc and lengths) then the deflated parts end to end.
export function encodePage(page: PageBytes): Buffer {
  const head = Buffer.from(JSON.stringify({ title: page.title, parts: page.parts.map((p) => [p.crc, p.length, p.deflated.length, p.shift]) }));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length, 0);
  return Buffer.concat([size, head, ...page.parts.map((p) => p.deflated)]);
}

export function decodePage(bytes: Uint8Array): PageBytes {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = buf.readUInt32LE(0);
  const head = JSON.parse(buf.subarray(4, 4 + headLength).toString()) as { title: string; parts: [number, number, number, number][] };
  let at = 4 + headLength;
  const parts = head.parts.map(([crc, length, size, shift]) => {
    const deflated = buf.subarray(at, at + size);
    at += size;
    return { deflated, crc, length, shift };
  });
  return { title: head.title, parts };
}
