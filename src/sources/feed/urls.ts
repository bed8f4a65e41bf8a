/** Link resolution for feeds: xml:base chains and the http(s)-only rule for article links. */
import { webUrl } from '../../ingest/parse-document.js';

/** A reference resolved against a base; null when it is no URL at all. Any scheme: bases are checked where used. */
export function resolve(ref: string | null | undefined, base: string | null | undefined): string | null {
  const r = ref?.trim();
  if (!r) return base ?? null;
  try {
    return new URL(r, base ?? undefined).toString();
  } catch {
    return null;
  }
}

/** The base after each xml:base in turn (outermost first), each one relative to the one before. */
export function baseChain(bases: readonly (string | null | undefined)[], fallback: string | null): string | null {
  return bases.reduce<string | null>((base, xmlBase) => (xmlBase?.trim() ? resolve(xmlBase, base) ?? base : base), fallback);
}

/** An article link: absolute, http(s) only, tracking parameters dropped; null otherwise. */
export function articleUrl(ref: string | null | undefined, base: string | null): string | null {
  const r = ref?.trim();
  return r ? webUrl(resolve(r, base) ?? undefined) : null;
}
