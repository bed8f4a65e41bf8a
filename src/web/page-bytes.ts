/**
 * A rendered page kept compressed: its fixed parts deflated once, where it is rendered, and joined per request around the
 * per-request values (frame, CSRF token) into one gzip stream, so no request compresses the ~85 KiB page again.
 *
 * Each part is raw deflate ended by a sync flush (byte-aligned, no final block), so parts can be laid end to end with the
 * per-request ones between them; the gzip trailer's CRC-32 is combined from the parts' own CRCs.
 */
import { randomBytes } from 'node:crypto';
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
  /** The bytes each token takes when the parts were compressed in one window (see STAND_IN); 0 when compressed apart. */
  readonly slot: number;
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

/**
 * The CSRF token's stand-in while a page is compressed: as long as a token (43 bytes of base64url), every other byte a control
 * character the page is checked not to hold anywhere else. Each of those bytes stands at one offset of the stand-in only, so any
 * match the compressor makes into a stand-in copies the same offsets of an earlier stand-in; with the same token in every slot
 * the copy is right whatever the token. So the ~100 forms of a page share one window, and compress as the whole page would.
 */
const RARE = [1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
export const STAND_IN = Array.from({ length: 43 }, (_, i) => (i % 2 ? 'a' : String.fromCharCode(RARE[i / 2]))).join('');
const HOLDS_RARE = /[\x01-\x08\x0e-\x1b]/;

/** The window deflate looks back over. */
const WINDOW = 32 * 1024;

function oneWindow(pieces: readonly string[]): Part[] {
  let before = Buffer.alloc(0);
  return pieces.map((piece, i) => {
    const bytes = Buffer.from(piece);
    // Each piece is compressed on its own but with what precedes it (stand-ins included) as its dictionary: the window the
    // reader has when it reaches the piece, with the request's token in place of each stand-in.
    const deflated = zlib.deflateRawSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, ...(i > 0 ? { dictionary: before } : {}) });
    before = Buffer.concat([before, bytes, Buffer.from(i < pieces.length - 1 ? STAND_IN : '')]).subarray(-WINDOW);
    return { deflated, crc: zlib.crc32(bytes), length: bytes.length, shift: x2nModP(bytes.length, 3) };
  });
}

/** Whether `parts`, joined around a token as a request joins them, read back as `pieces` around it (a token unlike the stand-in in every byte). */
function readsBack(parts: readonly Part[], pieces: readonly string[]): boolean {
  const token = 'A'.repeat(STAND_IN.length);
  const between = storedPart(token);
  return Buffer.from(plainJoin(parts.flatMap((p, i) => (i > 0 ? [between, p] : [p])))).equals(Buffer.from(pieces.join(token)));
}

/**
 * A page `render`ed with a stand-in token and compressed: in one window when the page holds none of the stand-in's control
 * characters (and reads back right), else (rendered again with a random stand-in) part by part.
 */
export async function compressPage(render: (csrf: string) => Promise<{ title: string; html: string } | null>): Promise<PageBytes | null> {
  const shared = await render(STAND_IN);
  if (!shared) return null;
  const pieces = shared.html.split(STAND_IN);
  if (!pieces.some((p) => HOLDS_RARE.test(p))) {
    const parts = oneWindow(pieces);
    // Checked, not assumed: the page is kept in one window only when any token reads back right.
    if (readsBack(parts, pieces)) return { title: shared.title, parts, slot: Buffer.byteLength(STAND_IN) };
  }
  // Random and made after the item was written: no text in the item can contain it.
  const standIn = `csrf${randomBytes(16).toString('hex')}`;
  const apart = await render(standIn);
  return apart ? { title: apart.title, parts: apart.html.split(standIn).map(part), slot: 0 } : null;
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
  const head = Buffer.from(JSON.stringify({ title: page.title, slot: page.slot, parts: page.parts.map((p) => [p.crc, p.length, p.deflated.length, p.shift]) }));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length, 0);
  return Buffer.concat([size, head, ...page.parts.map((p) => p.deflated)]);
}

export function decodePage(bytes: Uint8Array): PageBytes {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = buf.readUInt32LE(0);
  const head = JSON.parse(buf.subarray(4, 4 + headLength).toString()) as { title: string; slot: number; parts: [number, number, number, number][] };
  let at = 4 + headLength;
  const parts = head.parts.map(([crc, length, size, shift]) => {
    const deflated = buf.subarray(at, at + size);
    at += size;
    return { deflated, crc, length, shift };
  });
  return { title: head.title, parts, slot: head.slot };
}
