/** Turns raw bytes into text, refusing what is empty, binary, too large or not UTF-8 before any parsing. */
import { IngestError } from './errors.js';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** Control characters other than tab, newline, form feed and carriage return. */
function countControlBytes(bytes: Uint8Array, limit: number): { nul: number; control: number; seen: number } {
  let nul = 0;
  let control = 0;
  const seen = Math.min(bytes.length, limit);
  for (let i = 0; i < seen; i++) {
    const b = bytes[i];
    if (b === 0) nul++;
    else if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13) control++;
  }
  return { nul, control, seen };
}

export function decodeText(bytes: Uint8Array, origin: string, maxBytes = DEFAULT_MAX_BYTES): string {
  if (bytes.length > maxBytes) {
    throw new IngestError('too-large', origin, `${bytes.length} bytes is over the limit of ${maxBytes} bytes`);
  }
  const { nul, control, seen } = countControlBytes(bytes, 64 * 1024);
  // A NUL or a run of control bytes means an executable, archive or image, not an article.
  if (nul > 0 || (seen > 0 && control / seen > 0.01)) {
    throw new IngestError('binary', origin, 'looks like a binary file (NUL or control bytes), not a text document');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new IngestError('invalid-utf8', origin, 'is not valid UTF-8 (convert it to UTF-8 first)', { cause });
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim().length === 0) throw new IngestError('empty', origin, 'is empty');
  return text;
}
