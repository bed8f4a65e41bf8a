/** CVSS eval: Vigil's scores and severities against a labelled vector set, and refusal of hand-written invalid vectors. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Severity } from '../src/domain/score.js';
import { CvssError, type CvssErrorCode, type CvssVersion, scoreCvss } from '../src/score/cvss.js';
import type { EvalRun } from './main.js';

interface Row {
  vector: string;
  version?: string;
  /** Base score (v4: CVSS-B); absent on v4 rows whose label is a combined score. */
  base?: number | null;
  /** v4 score over all metrics given, labelled by score_type (CVSS-BE, CVSS-BTE...). */
  score?: number | null;
  score_type?: string;
  severity?: string | null;
  severity_scale?: string;
  source?: string;
}

type Expectation =
  | { kind: 'base'; score: number; severity: string }
  | { kind: 'combined'; score: number; severity: string; scoreType: string }
  | { kind: 'severity-only'; severity: string }
  | { kind: 'invalid' };

// A row with no figure at all can only be saying the vector is not scorable. Rows with a combined score or only a
// severity are valid vectors labelled differently, and must not be mistaken for deliberately invalid ones.
function expectationOf(row: Row): Expectation {
  if (typeof row.base === 'number') return { kind: 'base', score: row.base, severity: row.severity ?? '' };
  if (typeof row.score === 'number') {
    return { kind: 'combined', score: row.score, severity: row.severity ?? '', scoreType: row.score_type ?? '' };
  }
  if (typeof row.severity === 'string' && row.severity !== '') return { kind: 'severity-only', severity: row.severity };
  return { kind: 'invalid' };
}

// The labels use the specs' NONE; Vigil has no NONE and says INFORMATIONAL.
function sameSeverity(ours: Severity, theirs: string): boolean {
  const t = theirs.toUpperCase();
  return ours === t || (ours === 'INFORMATIONAL' && t === 'NONE');
}

const sameScore = (a: number, b: number) => Math.round(a * 10) === Math.round(b * 10);

/** Invalid vectors, each with the refusal expected: the code, and the metric the message must name when there is one. */
const INVALID: { vector: string; code: CvssErrorCode; metric?: string; why: string }[] = [
  { vector: '', code: 'cvss-empty', why: 'empty' },
  { vector: '   \t ', code: 'cvss-empty', why: 'whitespace only' },
  { vector: 'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-unknown-version', why: 'no such version' },
  { vector: 'CVSS:5.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', code: 'cvss-unknown-version', why: 'future version' },
  { vector: 'CVSS:3/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-unknown-version', why: 'version without minor' },
  { vector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-unknown-version', metric: 'PR', why: 'v3 without its mandatory prefix' },
  { vector: 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', code: 'cvss-unknown-version', metric: 'AT', why: 'v4 without its mandatory prefix' },
  { vector: 'cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h', code: 'cvss-malformed', why: 'lowercase everything' },
  { vector: 'CVSS:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h', code: 'cvss-unknown-metric', metric: 'av', why: 'lowercase metrics' },
  { vector: 'CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-invalid-value', metric: 'AV', why: 'lowercase value' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N', code: 'cvss-unknown-metric', metric: 'AT', why: 'v4 metric in v3.1' },
  { vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/VC:H', code: 'cvss-unknown-metric', metric: 'VC', why: 'v4 metric in v3.0' },
  { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MS:U', code: 'cvss-unknown-metric', metric: 'MS', why: 'v3 metric in v4' },
  { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O', code: 'cvss-unknown-metric', metric: 'RL', why: 'v3 temporal metric in v4' },
  { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P/MAV:N', code: 'cvss-unknown-version', metric: 'MAV', why: 'v3 metric in prefix-less v2' },
  { vector: 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P/PR:N', code: 'cvss-unknown-metric', metric: 'PR', why: 'v3 metric in prefixed v2' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y', code: 'cvss-unknown-metric', metric: 'XX', why: 'made-up metric' },
  { vector: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-invalid-value', metric: 'AV', why: 'bad base value' },
  { vector: 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-invalid-value', metric: 'AV', why: 'X for a base metric (the library scores it 0)' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:A', code: 'cvss-invalid-value', metric: 'E', why: 'v4 E value in v3' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MPR:P', code: 'cvss-invalid-value', metric: 'MPR', why: 'bad environmental value' },
  { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', code: 'cvss-invalid-value', metric: 'UI', why: 'v3 UI value in v4' },
  { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S', code: 'cvss-invalid-value', metric: 'MSC', why: 'Safety on MSC (only MSI/MSA)' },
  { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:clear', code: 'cvss-invalid-value', metric: 'U', why: 'urgency in lowercase' },
  { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P/E:P', code: 'cvss-invalid-value', metric: 'E', why: 'v3 E value in v2' },
  { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P/CR:X', code: 'cvss-invalid-value', metric: 'CR', why: 'X in v2 (v2 says ND)' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', code: 'cvss-missing-metric', metric: 'A', why: 'missing A' },
  { vector: 'CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-missing-metric', metric: 'PR', why: 'missing PR' },
  { vector: 'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', code: 'cvss-missing-metric', metric: 'AT', why: 'missing AT' },
  { vector: 'AV:N/AC:L/C:P/I:P/A:P', code: 'cvss-missing-metric', metric: 'Au', why: 'v2 missing Au' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L', code: 'cvss-duplicate-metric', metric: 'AV', why: 'duplicate AV' },
  { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:A', code: 'cvss-duplicate-metric', metric: 'E', why: 'duplicate E, same value' },
  { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P/A:P', code: 'cvss-duplicate-metric', metric: 'A', why: 'v2 duplicate A' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', code: 'cvss-malformed', why: 'trailing slash' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N//UI:N/S:U/C:H/I:H/A:H', code: 'cvss-malformed', why: 'empty part' },
  { vector: 'CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-malformed', why: 'empty part after prefix' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A', code: 'cvss-malformed', why: 'metric without value' },
  { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H', code: 'cvss-malformed', why: 'two colons' },
  { vector: 'CVSS:3.1/AV:N AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-malformed', why: 'inner space' },
  { vector: 'CVSS:3.1', code: 'cvss-malformed', why: 'prefix only' },
  { vector: '(AV:N/AC:L/Au:N/C:P/I:P/A:P', code: 'cvss-malformed', why: 'unbalanced parenthesis' },
  { vector: '(CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)', code: 'cvss-malformed', why: 'parentheses around v3' },
  { vector: 'CVSS3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', code: 'cvss-malformed', why: 'prefix without colon' },
  { vector: 'not a vector at all', code: 'cvss-malformed', why: 'prose' },
];

export const run: EvalRun = async (options) => {
  const file = path.join(options.data, 'cvss_vectors.jsonl');
  const text = await fs.readFile(file, 'utf8').catch((e: unknown) => {
    throw new Error(`eval cvss: cannot read ${file}: ${(e as Error).message}`);
  });
  const rows: Row[] = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as Row;
      } catch {
        throw new Error(`eval cvss: ${file}:${i + 1} is not JSON`);
      }
    });

  const byVersion: Record<string, { total: number; agreed: number; agreementRate?: number }> = {};
  const byLabel: Record<string, { total: number; agreed: number }> = {};
  const disagreements: Record<string, unknown>[] = [];
  const refused: { vector: string; version?: string; source?: string; error: string }[] = [];
  const acceptedInvalid: { vector: string; source?: string }[] = [];
  let agreed = 0;
  let expectedInvalid = 0;
  let refusedCorrectly = 0;

  for (const row of rows) {
    const expect = expectationOf(row);
    const version = row.version ?? 'unknown';
    const v = (byVersion[version] ??= { total: 0, agreed: 0 });
    const label = expect.kind === 'combined' ? `combined ${expect.scoreType}` : expect.kind;
    const l = (byLabel[label] ??= { total: 0, agreed: 0 });
    v.total++;
    l.total++;

    let got: ReturnType<typeof scoreCvss> | undefined;
    let error: string | undefined;
    try {
      got = scoreCvss(row.vector);
    } catch (e) {
      if (!(e instanceof CvssError)) throw e;
      error = e.message;
    }

    let ok: boolean;
    if (expect.kind === 'invalid') {
      expectedInvalid++;
      ok = got === undefined;
      if (ok) refusedCorrectly++;
      else acceptedInvalid.push({ vector: row.vector, source: row.source });
    } else if (got === undefined) {
      ok = false;
      refused.push({ vector: row.vector, version: row.version, source: row.source, error: error ?? '' });
    } else {
      const versionOk = row.version === undefined || got.version === (row.version as CvssVersion);
      // A combined label is the v4 score over every metric the vector sets; without threat/environmental metrics
      // that is the base score itself.
      const score = expect.kind === 'combined' || expect.kind === 'severity-only' ? (got.combined?.score ?? got.baseScore) : got.baseScore;
      const severity = expect.kind === 'combined' || expect.kind === 'severity-only' ? (got.combined?.severity ?? got.severity) : got.severity;
      const scoreOk = expect.kind === 'severity-only' || sameScore(score, expect.score);
      const severityOk = sameSeverity(severity, expect.severity);
      ok = versionOk && scoreOk && severityOk;
      if (!ok) {
        disagreements.push({
          vector: row.vector,
          source: row.source,
          expected: { version: row.version, ...('score' in expect ? { score: expect.score } : {}), severity: expect.severity },
          got: { version: got.version, score, severity },
        });
      }
    }
    if (ok) {
      agreed++;
      v.agreed++;
      l.agreed++;
    }
  }
  for (const v of Object.values(byVersion)) v.agreementRate = rate(v.agreed, v.total);

  const invalid = INVALID.map((c) => {
    try {
      const s = scoreCvss(c.vector);
      return { ...c, refused: false, asExpected: false, got: `accepted: ${s.baseScore} ${s.severity}` };
    } catch (e) {
      if (!(e instanceof CvssError)) throw e;
      const named = c.metric === undefined || (e.metric === c.metric && e.message.includes(c.metric));
      return { ...c, refused: true, asExpected: e.code === c.code && named, got: `${e.code}: ${e.message}` };
    }
  });
  const refusedByName = invalid.filter((c) => c.asExpected).length;

  return {
    file,
    total: rows.length,
    agreed,
    agreementRate: rate(agreed, rows.length),
    byVersion,
    byLabel,
    expectedInvalidRows: expectedInvalid,
    refusedCorrectly,
    acceptedInvalid,
    refusedCount: refused.length,
    refused,
    disagreementCount: disagreements.length,
    disagreements: disagreements.slice(0, 20),
    invalidSet: {
      total: invalid.length,
      refused: invalid.filter((c) => c.refused).length,
      refusedByName,
      refusedByNameRate: rate(refusedByName, invalid.length),
      failures: invalid.filter((c) => !c.asExpected).map(({ vector, code, metric, why, got }) => ({ vector, why, expected: { code, metric }, got })),
    },
  };
};

function rate(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((n / d) * 10000) / 10000;
}
