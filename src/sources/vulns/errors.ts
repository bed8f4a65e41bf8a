/** The one error the vulnerability-data parsers throw, and the input readers (JSON, gzip, text) that raise it. */
import zlib from 'node:zlib';

export type VulnDataErrorCode = 'malformed' | 'wrong-format' | 'too-large';

export class VulnDataError extends Error {
  readonly code: VulnDataErrorCode;
  /** The file or source being read, e.g. "KEV catalog" or "NVD API page". */
  readonly source: string;

  constructor(code: VulnDataErrorCode, source: string, detail: string, options?: { cause?: unknown }) {
    super(`${source}: ${detail}`, options);
    this.name = 'VulnDataError';
    this.code = code;
    this.source = source;
  }
}

/** A full EPSS CSV is ~12 MB unpacked and a yearly NVD feed a few hundred; far beyond this is a bomb, not data. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string, source: string): unknown {
  if (typeof text !== 'string') throw new VulnDataError('wrong-format', source, `expected JSON text, got ${typeof text}`);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    throw new VulnDataError('malformed', source, `is not JSON (${(cause as Error).message})`, { cause });
  }
}

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** Text from a string, UTF-8 bytes or gzip bytes; refuses output beyond `maxOutputLength` instead of filling memory. */
export function readText(data: string | Uint8Array, source: string, maxOutputLength = MAX_UNPACKED_BYTES): string {
  if (typeof data === 'string') return data.charCodeAt(0) === 0xfeff ? data.slice(1) : data;
  if (!(data instanceof Uint8Array)) throw new VulnDataError('wrong-format', source, `expected text or bytes, got ${typeof data}`);
  let bytes: Uint8Array = data;
  if (isGzip(data)) {
    try {
      bytes = zlib.gunzipSync(data, { maxOutputLength });
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new VulnDataError('too-large', source, `unpacks to more than ${maxOutputLength} bytes`, { cause });
      }
      throw new VulnDataError('malformed', source, `is not valid gzip (${(cause as Error).message})`, { cause });
    }
  } else if (data.length > maxOutputLength) {
    throw new VulnDataError('too-large', source, `is larger than ${maxOutputLength} bytes`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (cause) {
    // Past V8's string limit (~512 MiB) decode fails with a RangeError rather than a TypeError for bad UTF-8.
    if (cause instanceof RangeError) throw new VulnDataError('too-large', source, 'is too large to hold as text', { cause });
    throw new VulnDataError('malformed', source, 'is not UTF-8 text', { cause });
  }
}
