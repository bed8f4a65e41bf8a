/** Field normalisers the vulnerability parsers share: CVE and CWE ids, CVSS vectors checked by the score stage, timestamps, URLs, English text. */
import type { CveCvss } from '../../domain/cve-data.js';
import { CvssError, scoreCvss } from '../../score/cvss.js';

// The KEV schema's own pattern: the number part has 4 to 19 digits. Anchored and without nested repetition, so linear.
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const CWE_ID = /^CWE-\d{1,10}$/;

export const MAX_REFERENCES = 50;

/** Upper-case CVE id, or null when `value` is not one. */
export function cveId(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const id = value.trim().toUpperCase();
  return CVE_ID.test(id) ? id : null;
}

/** "CWE-79" from "CWE-79" or "cwe-79"; null for NVD-CWE-Other, NVD-CWE-noinfo and anything else. */
export function cweId(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 20) return null;
  const id = value.trim().toUpperCase();
  return CWE_ID.test(id) ? id : null;
}

export function dedupe<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

// NVD and CVE records both write UTC timestamps, NVD without a zone and CVE 5 sometimes without one
// ("If timezone offset is not given, GMT (+00:00) is assumed", CVE JSON 5 schema).
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 UTC ("2023-10-10T14:15:10.977Z"), or null for anything that is not a real date and time. */
export function isoTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = frac === '' ? '.000' : `.${frac.slice(1, 4).padEnd(3, '0')}`;
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${z}`);
  if (Number.isNaN(date.getTime())) return null;
  // Date rolls 2023-02-30 over to March; a date that does not survive the round trip was not a real one.
  if (z === 'Z' && date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return null;
  return date.toISOString();
}

/** YYYY-MM-DD when `value` is a real calendar date in that form, else null. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const t = isoTimestamp(value);
  return t === null ? null : value;
}

/** The http(s) URLs among `urls`, trimmed, deduplicated, in order, at most MAX_REFERENCES. */
export function httpUrls(urls: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const raw of urls) {
    if (out.size >= MAX_REFERENCES) break;
    if (typeof raw !== 'string' || raw.length > 2048) continue;
    const url = raw.trim();
    if (!/^https?:\/\//i.test(url)) continue;
    try {
      if (!new URL(url).hostname) continue;
    } catch {
      continue;
    }
    out.add(url);
  }
  return [...out];
}

interface LangText {
  lang?: unknown;
  value?: unknown;
}

/** The English entry of a [{lang, value}] list: "en" first, then "en-US" and the like; null when there is none. */
export function englishText(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  let regional: string | null = null;
  for (const entry of list as LangText[]) {
    if (!entry || typeof entry !== 'object' || typeof entry.value !== 'string' || typeof entry.lang !== 'string') continue;
    // NVD's copies carry the CNA's HTML non-breaking spaces (U+00A0, U+202F) where the CVE record has plain ones.
    const value = entry.value.replace(/[\u00a0\u202f]/g, ' ').trim();
    if (value === '') continue;
    const lang = entry.lang.toLowerCase();
    if (lang === 'en') return value;
    if (regional === null && (lang.startsWith('en-') || lang.startsWith('en_'))) regional = value;
  }
  return regional;
}

/**
 * A vector as a CveCvss, validated and scored by the score stage so every source's vector means the same thing;
 * null with a warning when it is refused. The score is computed rather than copied: some CNAs publish their temporal
 * score under "baseScore" (Fortinet's CVE-2022-42475 gives 9.3 for a vector whose base score is 9.8).
 */
export function cvssEntry(
  input: { vector: unknown; published?: unknown; declaredVersion?: string | null },
  source: string,
  type: CveCvss['type'],
  where: string,
  warnings: string[],
): CveCvss | null {
  if (typeof input.vector !== 'string') {
    warnings.push(`${where}: ${source} CVSS metric has no vectorString, dropped`);
    return null;
  }
  let scored;
  try {
    scored = scoreCvss(input.vector);
  } catch (e) {
    if (!(e instanceof CvssError)) throw e;
    warnings.push(`${where}: ${source} CVSS vector dropped: ${e.message}`);
    return null;
  }
  if (input.declaredVersion && input.declaredVersion !== scored.version) {
    warnings.push(`${where}: ${source} CVSS ${input.declaredVersion} entry holds a CVSS ${scored.version} vector; kept as ${scored.version}`);
  }
  if (typeof input.published === 'number' && Math.abs(input.published - scored.baseScore) > 0.05) {
    warnings.push(`${where}: ${source} published base score ${input.published} for ${scored.vector}, computed ${scored.baseScore}; kept ${scored.baseScore}`);
  }
  return { version: scored.version, vector: scored.vector, baseScore: scored.baseScore, source, type };
}

/** One entry per source and version: a later duplicate replaces an earlier one. */
export function uniqueCvss(list: readonly CveCvss[]): CveCvss[] {
  const byKey = new Map<string, CveCvss>();
  for (const c of list) byKey.set(cvssKey(c), c);
  return [...byKey.values()];
}

/** A CVE has exactly one CNA, which NVD names by e-mail and CVE records by short name: both are the same "cna" slot. */
export function cvssKey(c: Pick<CveCvss, 'source' | 'version'>): string {
  const slot = c.source.startsWith('cna:') ? 'cna' : c.source;
  return `${slot}|${c.version}`;
}
