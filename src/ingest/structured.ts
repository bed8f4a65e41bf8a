/** Threat-intel exchange formats that come in as documents: a STIX 2.1 bundle or a MISP event, told apart by their shape. */
import { decodeText, DEFAULT_MAX_BYTES } from './decode.js';
import type { Document } from '../domain/index.js';
import { IngestError } from './errors.js';
import { mispToDocument } from './misp-import.js';
import type { RawInput } from './parse-document.js';
import { stixToDocument } from './stix-import.js';

/** The document of a STIX bundle or MISP event; null when the input is not JSON at all (an article, a page). */
export function readStructured(input: RawInput): Document | null {
  const json = input.origin.toLowerCase().endsWith('.json');
  const head = Buffer.from(input.bytes.subarray(0, 64)).toString('utf8').trimStart();
  if (!json && !head.startsWith('{')) return null;
  const text = decodeText(input.bytes, input.origin, input.maxBytes ?? DEFAULT_MAX_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (!json) return null;
    throw new IngestError('unknown-format', input.origin, `is not valid JSON: ${(e as Error).message}`);
  }
  const o = (value ?? {}) as Record<string, unknown>;
  if (o.type === 'bundle') return { ...stixToDocument(text), origin: input.origin, example: input.example ?? false };
  if ('Event' in o || ('Attribute' in o && 'info' in o)) return { ...mispToDocument(text, input.origin), example: input.example ?? false };
  throw new IngestError('unknown-format', input.origin, 'is JSON but neither a STIX 2.1 bundle nor a MISP event');
}
