/** CVSS stage: strict parsing of v2/v3.0/v3.1/v4.0 vectors, base scores and severities, and finding vectors in prose. */
import ae from 'ae-cvss-calculator';
import type { Severity } from '../domain/score.js';

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export type CvssErrorCode =
  | 'cvss-empty'
  | 'cvss-unknown-version'
  | 'cvss-unknown-metric'
  | 'cvss-invalid-value'
  | 'cvss-duplicate-metric'
  | 'cvss-missing-metric'
  | 'cvss-malformed';

// Vectors found in hostile text can be megabytes long; the message must stay readable.
const MESSAGE_VECTOR_MAX = 160;
function shown(vector: string): string {
  return vector.length > MESSAGE_VECTOR_MAX ? `${vector.slice(0, MESSAGE_VECTOR_MAX)}…` : vector;
}

export class CvssError extends Error {
  readonly code: CvssErrorCode;
  readonly vector: string;
  readonly metric?: string;

  constructor(code: CvssErrorCode, detail: string, vector: string, metric?: string) {
    super(`cvss: ${detail}${vector === '' ? '' : ` in ${shown(vector)}`}`);
    this.name = 'CvssError';
    this.code = code;
    this.vector = vector;
    if (metric !== undefined) this.metric = metric;
  }
}

interface MetricSpec {
  mandatory: readonly string[];
  /** Allowed values of every metric of the version, mandatory or not. */
  values: Readonly<Record<string, readonly string[]>>;
}

const CIA3 = ['N', 'L', 'H'];
const CIA3X = ['X', 'N', 'L', 'H'];
const REQ3 = ['X', 'L', 'M', 'H'];

const V2: MetricSpec = {
  mandatory: ['AV', 'AC', 'Au', 'C', 'I', 'A'],
  values: {
    AV: ['L', 'A', 'N'],
    AC: ['H', 'M', 'L'],
    Au: ['M', 'S', 'N'],
    C: ['N', 'P', 'C'],
    I: ['N', 'P', 'C'],
    A: ['N', 'P', 'C'],
    E: ['U', 'POC', 'F', 'H', 'ND'],
    RL: ['OF', 'TF', 'W', 'U', 'ND'],
    RC: ['UC', 'UR', 'C', 'ND'],
    CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
    TD: ['N', 'L', 'M', 'H', 'ND'],
    CR: ['L', 'M', 'H', 'ND'],
    IR: ['L', 'M', 'H', 'ND'],
    AR: ['L', 'M', 'H', 'ND'],
  },
};

// 3.0 and 3.1 share the metric set; they differ only in the scoring formulas.
const V3: MetricSpec = {
  mandatory: ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  values: {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'R'],
    S: ['U', 'C'],
    C: CIA3,
    I: CIA3,
    A: CIA3,
    E: ['X', 'U', 'P', 'F', 'H'],
    RL: ['X', 'O', 'T', 'W', 'U'],
    RC: ['X', 'U', 'R', 'C'],
    CR: REQ3,
    IR: REQ3,
    AR: REQ3,
    MAV: ['X', 'N', 'A', 'L', 'P'],
    MAC: ['X', 'L', 'H'],
    MPR: ['X', 'N', 'L', 'H'],
    MUI: ['X', 'N', 'R'],
    MS: ['X', 'U', 'C'],
    MC: CIA3X,
    MI: CIA3X,
    MA: CIA3X,
  },
};

const V4: MetricSpec = {
  mandatory: ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
  values: {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    AT: ['N', 'P'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'P', 'A'],
    VC: CIA3,
    VI: CIA3,
    VA: CIA3,
    SC: CIA3,
    SI: CIA3,
    SA: CIA3,
    E: ['X', 'A', 'P', 'U'],
    CR: REQ3,
    IR: REQ3,
    AR: REQ3,
    MAV: ['X', 'N', 'A', 'L', 'P'],
    MAC: ['X', 'L', 'H'],
    MAT: ['X', 'N', 'P'],
    MPR: ['X', 'N', 'L', 'H'],
    MUI: ['X', 'N', 'P', 'A'],
    MVC: CIA3X,
    MVI: CIA3X,
    MVA: CIA3X,
    MSC: CIA3X,
    // Only the subsequent-system integrity/availability can be raised to Safety.
    MSI: ['X', 'N', 'L', 'H', 'S'],
    MSA: ['X', 'N', 'L', 'H', 'S'],
    S: ['X', 'N', 'P'],
    AU: ['X', 'N', 'Y'],
    R: ['X', 'A', 'U', 'I'],
    V: ['X', 'D', 'C'],
    RE: ['X', 'L', 'M', 'H'],
    U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
  },
};

const SPECS: Record<CvssVersion, MetricSpec> = { '2.0': V2, '3.0': V3, '3.1': V3, '4.0': V4 };
const VERSIONS: readonly CvssVersion[] = ['2.0', '3.0', '3.1', '4.0'];
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export interface ParsedCvss {
  version: CvssVersion;
  /** Trimmed; v2 without its optional "CVSS:2.0/" prefix and parentheses, the form NVD publishes. */
  vector: string;
  metrics: Record<string, string>;
}

export function parseCvss(vector: string): ParsedCvss {
  const raw = typeof vector === 'string' ? vector.trim() : '';
  if (raw === '') throw new CvssError('cvss-empty', 'empty vector', '');

  let version: CvssVersion;
  let body: string;
  let inner = raw;
  const parenthesised = raw.startsWith('(') || raw.endsWith(')');
  if (parenthesised) {
    if (!(raw.startsWith('(') && raw.endsWith(')')) || raw.length < 2) {
      throw new CvssError('cvss-malformed', 'unbalanced parentheses', raw);
    }
    inner = raw.slice(1, -1).trim();
  }

  if (inner.startsWith('CVSS:')) {
    const slash = inner.indexOf('/');
    const label = slash < 0 ? inner.slice(5) : inner.slice(5, slash);
    if (!(VERSIONS as readonly string[]).includes(label)) {
      throw new CvssError('cvss-unknown-version', `unknown version "CVSS:${label}"`, raw);
    }
    version = label as CvssVersion;
    if (slash < 0) throw new CvssError('cvss-malformed', 'no metrics after the version prefix', raw);
    body = inner.slice(slash + 1);
  } else if (/^cvss:/i.test(inner)) {
    throw new CvssError('cvss-malformed', `version prefix must be written "CVSS:", not "${inner.slice(0, 5)}"`, raw);
  } else {
    // Only v2 was published without a prefix; v3 and v4 require it.
    version = '2.0';
    body = inner;
  }
  // NVD wraps v2 vectors in parentheses; nobody does that for v3/v4, so it signals a mangled string.
  if (parenthesised && version !== '2.0') {
    throw new CvssError('cvss-malformed', `parentheses are only used around CVSS 2.0 vectors`, raw);
  }
  if (body === '') throw new CvssError('cvss-malformed', 'no metrics', raw);

  const spec = SPECS[version];
  const metrics: Record<string, string> = {};
  // split('/') keeps empty parts, which is what catches "//", a leading "/" and a trailing "/".
  for (const part of body.split('/')) {
    if (part === '') throw new CvssError('cvss-malformed', 'empty metric (stray "/")', raw);
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1 || part.indexOf(':', colon + 1) >= 0) {
      throw new CvssError('cvss-malformed', `"${shown(part)}" is not METRIC:VALUE`, raw);
    }
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    if (!hasOwn(spec.values, name)) {
      if (version === '2.0' && !inner.startsWith('CVSS:') && looksLikeV3OrV4(name)) {
        throw new CvssError(
          'cvss-unknown-version',
          `metric ${name} belongs to CVSS 3.x/4.0, which need a "CVSS:3.1/" or "CVSS:4.0/" prefix`,
          raw,
          name,
        );
      }
      const elsewhere = VERSIONS.filter((v) => v !== version && hasOwn(SPECS[v].values, name));
      const hint = elsewhere.length > 0 ? ` (it belongs to CVSS ${[...new Set(elsewhere.map(major))].join('/')})` : '';
      throw new CvssError('cvss-unknown-metric', `unknown metric ${shown(name)} for CVSS ${version}${hint}`, raw, name);
    }
    if (hasOwn(metrics, name)) {
      throw new CvssError('cvss-duplicate-metric', `duplicate metric ${name}`, raw, name);
    }
    if (!spec.values[name].includes(value)) {
      throw new CvssError(
        'cvss-invalid-value',
        `invalid value "${shown(value)}" for metric ${name} (allowed: ${spec.values[name].join(', ')})`,
        raw,
        name,
      );
    }
    metrics[name] = value;
  }
  for (const name of spec.mandatory) {
    if (!hasOwn(metrics, name)) throw new CvssError('cvss-missing-metric', `missing mandatory metric ${name}`, raw, name);
  }
  return { version, vector: version === '2.0' ? body : inner, metrics };
}

function major(v: CvssVersion): string {
  return v === '3.0' || v === '3.1' ? '3.x' : v;
}

// A prefix-less vector that uses these is a v3/v4 vector that lost its prefix, not a broken v2 one.
function looksLikeV3OrV4(name: string): boolean {
  return !hasOwn(V2.values, name) && (hasOwn(V3.values, name) || hasOwn(V4.values, name));
}

/** v3/v4 qualitative scale (Vigil has no NONE: 0.0 is INFORMATIONAL); v2 uses NVD's scale, which has no CRITICAL and calls 0.0 LOW. */
export function severityFromScore(score: number, version: CvssVersion): Severity {
  if (!Number.isFinite(score) || score < 0 || score > 10) {
    throw new RangeError(`cvss: score ${score} is outside 0..10`);
  }
  if (version === '2.0') {
    if (score < 4) return 'LOW';
    if (score < 7) return 'MEDIUM';
    return 'HIGH';
  }
  if (score === 0) return 'INFORMATIONAL';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

export type Cvss4Nomenclature = 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';

export interface CvssScore {
  version: CvssVersion;
  vector: string;
  /** Score of the base metrics only (for v4, CVSS-B), whatever else the vector carries. */
  baseScore: number;
  severity: Severity;
  /**
   * v4 only, when threat or environmental metrics are set: v4 has one score over all metrics given, and that is the
   * figure a publisher of such a vector quotes, so it is kept beside the base score rather than replacing it.
   */
  combined?: { nomenclature: Cvss4Nomenclature; score: number; severity: Severity };
}

const V4_THREAT = ['E'];
const V4_ENVIRONMENTAL = ['CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA'];

type LibraryVector = { calculateScores(): { base?: number; overall?: number; baseMetricsOnly?: number } };
const LIBRARY: Record<CvssVersion, new (vector: string) => LibraryVector> = {
  '2.0': ae.Cvss2,
  '3.0': ae.Cvss3P0,
  '3.1': ae.Cvss3P1,
  '4.0': ae.Cvss4P0,
};

// Guards against float noise such as 7.300000000000001, and the library's v2 formula yields -0 for an all-None
// impact, which strict equality, Object.is and JSON consumers treat differently from 0.
function oneDecimal(n: number): number {
  const r = Math.round(n * 10) / 10;
  return r === 0 ? 0 : r;
}

function libraryScores(version: CvssVersion, vector: string): { base: number; overall: number } {
  // The library strips any "CVSS:x.y" prefix and scores with the class it is given, so the class must match the version.
  const scores = new LIBRARY[version](vector).calculateScores();
  // For v4 the library's "base" is the score over all metrics given; the base-metrics-only score is "baseMetricsOnly".
  const base = version === '4.0' ? scores.baseMetricsOnly : scores.base;
  const overall = scores.overall;
  if (typeof base !== 'number' || !Number.isFinite(base) || typeof overall !== 'number' || !Number.isFinite(overall)) {
    throw new Error(`cvss: the calculator gave no score for ${shown(vector)}`);
  }
  return { base: oneDecimal(base), overall: oneDecimal(overall) };
}

export function scoreCvss(vector: string): CvssScore {
  const parsed = parseCvss(vector);
  const { version, metrics } = parsed;
  // The library silently scores anything it half-understands as 0, so it only ever sees vectors validated above.
  const scores = libraryScores(version, parsed.vector);
  const result: CvssScore = {
    version,
    vector: parsed.vector,
    baseScore: scores.base,
    severity: severityFromScore(scores.base, version),
  };
  if (version === '4.0') {
    const set = (names: string[]) => names.some((n) => metrics[n] !== undefined && metrics[n] !== 'X');
    const threat = set(V4_THREAT);
    const environmental = set(V4_ENVIRONMENTAL);
    if (threat || environmental) {
      const nomenclature: Cvss4Nomenclature = threat && environmental ? 'CVSS-BTE' : threat ? 'CVSS-BT' : 'CVSS-BE';
      result.combined = { nomenclature, score: scores.overall, severity: severityFromScore(scores.overall, version) };
    }
  }
  return result;
}

export interface CvssSpan {
  vector: string;
  start: number;
  end: number;
}

// Hand-written scanner rather than a regex: each character is looked at a bounded number of times, so hostile text
// (megabytes of "AV:N/") stays linear, which a repeated-group regex does not guarantee.
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordChar = (c: number) => isAlpha(c) || isDigit(c) || c === 95;
const SLASH = 47;
const COLON = 58;
const DOT = 46;

/** Length of "NAME:VALUE" at i (letters, then letters/digits), or 0. */
function pairAt(text: string, i: number): number {
  let j = i;
  while (j < text.length && isAlpha(text.charCodeAt(j))) j++;
  if (j === i || text.charCodeAt(j) !== COLON) return 0;
  // A second "CVSS:" is the start of the next vector, not a metric of this one.
  if (j - i === 4 && text.startsWith('CVSS', i)) return 0;
  const v = ++j;
  while (j < text.length && (isAlpha(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
  return j === v ? 0 : j - i;
}

/** End of the run of "/NAME:VALUE" pairs following position i, and how many there were. */
function pairsFrom(text: string, i: number, first: boolean): { end: number; count: number } {
  let end = i;
  let count = 0;
  if (first) {
    const n = pairAt(text, i);
    if (n === 0) return { end, count };
    end = i + n;
    count = 1;
  }
  while (text.charCodeAt(end) === SLASH) {
    const n = pairAt(text, end + 1);
    if (n === 0) break;
    end += 1 + n;
    count++;
  }
  return { end, count };
}

// Fewer pairs than this after a bare "AV:" is prose like "attack vector (AV:N)", not a vector.
const MIN_BARE_PAIRS = 3;

/** Spans of vectors written in prose, unvalidated: pass each to parseCvss/scoreCvss and report the refusals. */
export function findCvssVectors(text: string): CvssSpan[] {
  const spans: CvssSpan[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 67 /* C */ && c !== 65 /* A */) {
      i++;
      continue;
    }
    const before = i > 0 ? text.charCodeAt(i - 1) : -1;
    // Mid-word or mid-vector letters start nothing; "/" may precede a CVSS: that directly follows another vector.
    if (isWordChar(before) || before === COLON || (before === SLASH && c !== 67)) {
      i++;
      continue;
    }
    if (c === 67 && text.startsWith('CVSS:', i)) {
      let j = i + 5;
      while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === DOT)) j++;
      if (j > i + 5 && text.charCodeAt(j) === SLASH) {
        const run = pairsFrom(text, j, false);
        if (run.count > 0) {
          spans.push({ vector: text.slice(i, run.end), start: i, end: run.end });
          i = run.end;
          continue;
        }
      }
      i = j;
      continue;
    }
    if (c === 65 && text.startsWith('AV:', i)) {
      const run = pairsFrom(text, i, true);
      if (run.count >= MIN_BARE_PAIRS) spans.push({ vector: text.slice(i, run.end), start: i, end: run.end });
      // Every "AV:" inside the run follows a "/", so none can start another vector: skipping it keeps the scan linear.
      i = Math.max(run.end, i + 1);
      continue;
    }
    i++;
  }
  return spans;
}
