/** FIRST EPSS scores, from the daily CSV (plain or gzip) or the API's JSON, into `{ cve, epss }` patches. */
import type { CveDataPatch } from '../../domain/cve-data.js';
import { isObject, MAX_UNPACKED_BYTES, parseJson, readText, VulnDataError } from './errors.js';
import { cveId, isoDate } from './normalise.js';

export interface EpssParseResult {
  readonly records: CveDataPatch[];
  /** model_version, e.g. "v2025.03.14"; undefined when the source does not say. */
  readonly version?: string;
  /** YYYY-MM-DD the scores are for. */
  readonly date: string;
  readonly warnings: string[];
}

const CSV = 'EPSS CSV';
const API = 'EPSS API response';

/** A probability or percentile: a plain decimal in 0..1. Number('') is 0 and Number('0x1') is 1, so the text is checked first. */
function unit(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 && text <= 1 ? text : null;
  if (typeof text !== 'string' || text.length === 0 || text.length > 32) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // digits, ".", "e", "E", "-" (exponent only; a negative value fails the range check)
    if (!((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 45)) return null;
  }
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

/** "#model_version:v2025.03.14,score_date:2025-07-24T00:00:00+0000" into its fields. */
function commentFields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of line.replace(/^#\s*/, '').split(',')) {
    const colon = part.indexOf(':');
    if (colon > 0) out[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
  }
  return out;
}

export interface EpssCsvOptions {
  /** Score date for files without the "#model_version…,score_date…" line (EPSS files before model v2, 2022). */
  readonly date?: string;
  /** Limit on the unpacked size of gzip input. */
  readonly maxOutputLength?: number;
}

/**
 * The daily epss_scores-YYYY-MM-DD.csv(.gz): ~300k rows, read line by line with no regular expression per row. Rows
 * that fail validation are skipped and counted in a warning; a file without the EPSS header is refused.
 */
export function parseEpssCsv(data: string | Uint8Array, options: EpssCsvOptions = {}): EpssParseResult {
  const text = readText(data, CSV, options.maxOutputLength ?? MAX_UNPACKED_BYTES);
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | null => {
    if (pos > text.length) return null;
    lineNo++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    pos = end + 1;
    return line;
  };

  let line = nextLine();
  while (line !== null && line.trim() === '') line = nextLine();
  let version: string | undefined;
  let date = options.date !== undefined ? isoDate(options.date) : null;
  if (options.date !== undefined && date === null) throw new RangeError(`epss: options.date ${JSON.stringify(options.date)} is not YYYY-MM-DD`);
  if (line !== null && line.startsWith('#')) {
    const fields = commentFields(line);
    if (fields.model_version) version = fields.model_version;
    const scoreDate = fields.score_date ? isoDate(fields.score_date.slice(0, 10)) : null;
    if (scoreDate) date = scoreDate;
    line = nextLine();
  }
  if (line === null || line.trim().toLowerCase().replace(/\s/g, '') !== 'cve,epss,percentile') {
    throw new VulnDataError('wrong-format', CSV, `header is ${JSON.stringify(line?.slice(0, 80) ?? '')}, expected "cve,epss,percentile"`);
  }
  if (date === null) throw new VulnDataError('wrong-format', CSV, 'has no score_date comment line and no date was given');

  const records: CveDataPatch[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let duplicates = 0;
  let firstBad: string | null = null;
  for (line = nextLine(); line !== null; line = nextLine()) {
    if (line === '') continue;
    const a = line.indexOf(',');
    const b = a < 0 ? -1 : line.indexOf(',', a + 1);
    const cve = a < 0 ? null : cveId(line.slice(0, a));
    const probability = b < 0 ? null : unit(line.slice(a + 1, b));
    const percentile = b < 0 || line.indexOf(',', b + 1) >= 0 ? null : unit(line.slice(b + 1).trim());
    if (cve === null || probability === null || percentile === null) {
      skipped++;
      firstBad ??= `line ${lineNo}: ${JSON.stringify(line.slice(0, 80))}`;
      continue;
    }
    if (seen.has(cve)) {
      duplicates++;
      continue;
    }
    seen.add(cve);
    records.push({ cve, epss: { probability, percentile, date } });
  }

  const warnings: string[] = [];
  if (skipped > 0) warnings.push(`${CSV}: skipped ${skipped} invalid rows (first: ${firstBad})`);
  if (duplicates > 0) warnings.push(`${CSV}: skipped ${duplicates} repeated CVE rows (the first row of each is kept)`);
  if (records.length === 0) warnings.push(`${CSV}: no scores`);
  return { records, ...(version !== undefined ? { version } : {}), date, warnings };
}

/** One response of https://api.first.org/data/v1/epss (epss and percentile come as strings there). */
export function parseEpssApi(text: string): EpssParseResult & { readonly total: number; readonly offset: number; readonly limit: number } {
  const j = parseJson(text, API);
  if (!isObject(j) || !Array.isArray(j.data)) throw new VulnDataError('wrong-format', API, 'has no "data" list (is this an api.first.org EPSS response?)');
  if (j.status !== undefined && j.status !== 'OK') throw new VulnDataError('wrong-format', API, `status is ${JSON.stringify(j.status)}`);
  const int = (v: unknown, name: string): number => {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new VulnDataError('wrong-format', API, `"${name}" is not a non-negative integer`);
    return n;
  };
  const total = int(j.total, 'total');
  const offset = int(j.offset ?? 0, 'offset');
  const limit = int(j.limit ?? j.data.length, 'limit');

  const records: CveDataPatch[] = [];
  const warnings: string[] = [];
  let version: string | undefined;
  let latest = '';
  let skipped = 0;
  j.data.forEach((row: unknown, i: number) => {
    const cve = isObject(row) ? cveId(row.cve) : null;
    const probability = isObject(row) ? unit(row.epss) : null;
    const percentile = isObject(row) ? unit(row.percentile) : null;
    const date = isObject(row) ? isoDate(row.date) : null;
    if (!isObject(row) || cve === null || probability === null || percentile === null || date === null) {
      if (skipped++ === 0) warnings.push(`${API}: data[${i}] is not a valid score (${JSON.stringify(row)?.slice(0, 120)})`);
      return;
    }
    if (typeof row.model_version === 'string') version ??= row.model_version;
    if (date > latest) latest = date;
    records.push({ cve, epss: { probability, percentile, date } });
  });
  if (skipped > 1) warnings.push(`${API}: ${skipped} invalid rows skipped in all`);
  return { records, ...(version !== undefined ? { version } : {}), date: latest, warnings, total, offset, limit };
}
