/** Tests for the CVSS stage: real scores per version, every refusal code, and vector finding on prose and hostile text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CvssError, type CvssErrorCode, findCvssVectors, parseCvss, scoreCvss, severityFromScore } from '../../src/score/cvss.js';

describe('scoreCvss', () => {
  const known: [string, string, number, string][] = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8, 'CRITICAL'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.0', 9.8, 'CRITICAL'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:N', '3.1', 10.0, 'CRITICAL'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', '3.1', 6.1, 'MEDIUM'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', '3.1', 7.8, 'HIGH'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', '3.1', 1.6, 'LOW'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', '3.1', 0, 'INFORMATIONAL'],
    // Temporal and environmental metrics must not leak into the base score.
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/CR:L/MAV:P', '3.1', 9.8, 'CRITICAL'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 9.3, 'CRITICAL'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 8.6, 'HIGH'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', '4.0', 0, 'INFORMATIONAL'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0', 7.5, 'HIGH'],
    // v2 has no CRITICAL even at 10.0, and NVD calls 0.0 LOW.
    ['AV:N/AC:L/Au:N/C:C/I:C/A:C', '2.0', 10.0, 'HIGH'],
    ['AV:L/AC:H/Au:N/C:P/I:P/A:C', '2.0', 5.2, 'MEDIUM'],
    ['AV:L/AC:H/Au:S/C:N/I:N/A:C', '2.0', 3.8, 'LOW'],
    ['AV:L/AC:H/Au:M/C:N/I:N/A:N', '2.0', 0, 'LOW'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P/E:U/RL:OF/RC:UC/CDP:H/TD:H/CR:H/IR:H/AR:H', '2.0', 7.5, 'HIGH'],
  ];
  for (const [vector, version, score, severity] of known) {
    it(`${vector} = ${score} ${severity}`, () => {
      const s = scoreCvss(vector);
      assert.equal(s.version, version);
      assert.equal(s.baseScore, score);
      assert.equal(s.severity, severity);
    });
  }

  it('normalises v2 written with prefix, parentheses and whitespace', () => {
    for (const v of ['(AV:N/AC:L/Au:N/C:P/I:P/A:P)', 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', '  AV:N/AC:L/Au:N/C:P/I:P/A:P\n', '(CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P)']) {
      const s = scoreCvss(v);
      assert.deepEqual([s.version, s.vector, s.baseScore], ['2.0', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5]);
    }
  });

  it('keeps v3/v4 vectors as written, trimmed', () => {
    assert.equal(scoreCvss(' CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H ').vector, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  });

  it('gives v4 the base-only score plus the combined score when environmental metrics are set', () => {
    const s = scoreCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:M');
    const baseOnly = scoreCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H');
    assert.equal(s.baseScore, baseOnly.baseScore);
    assert.equal(s.baseScore, 7.3);
    assert.deepEqual(s.combined, { nomenclature: 'CVSS-BE', score: 7.2, severity: 'HIGH' });
    assert.equal(baseOnly.combined, undefined);
  });

  it('names v4 threat-only vectors CVSS-BT, and ignores X and supplemental metrics', () => {
    const bt = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    assert.equal(bt.baseScore, 9.3);
    assert.equal(bt.combined?.nomenclature, 'CVSS-BT');
    assert.ok(bt.combined.score < 9.3);
    const x = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/S:P/AU:Y/U:Red');
    assert.equal(x.baseScore, 9.3);
    assert.equal(x.combined, undefined);
  });

  it('accepts v4 metrics out of order (real vectors do this)', () => {
    const s = scoreCvss('CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:H/AU:N/SA:L/S:P/R:U/V:D/RE:H/U:Clear/MAV:A/MAC:L/MAT:N/MPR:N/MUI:P/MVC:N/MVI:L/MVA:L/MSC:H/MSI:N/MSA:L/CR:M/IR:M/AR:L/E:U');
    assert.equal(s.combined?.nomenclature, 'CVSS-BTE');
    assert.equal(s.combined?.severity, 'LOW');
  });
});

describe('severityFromScore', () => {
  it('uses the v3/v4 qualitative scale with INFORMATIONAL for 0', () => {
    const cases: [number, string][] = [[0, 'INFORMATIONAL'], [0.1, 'LOW'], [3.9, 'LOW'], [4, 'MEDIUM'], [6.9, 'MEDIUM'], [7, 'HIGH'], [8.9, 'HIGH'], [9, 'CRITICAL'], [10, 'CRITICAL']];
    for (const [score, sev] of cases) {
      assert.equal(severityFromScore(score, '3.1'), sev, `3.1 ${score}`);
      assert.equal(severityFromScore(score, '4.0'), sev, `4.0 ${score}`);
    }
  });
  it('uses the NVD v2 scale', () => {
    const cases: [number, string][] = [[0, 'LOW'], [3.9, 'LOW'], [4, 'MEDIUM'], [6.9, 'MEDIUM'], [7, 'HIGH'], [10, 'HIGH']];
    for (const [score, sev] of cases) assert.equal(severityFromScore(score, '2.0'), sev, `2.0 ${score}`);
  });
  it('refuses scores outside 0..10', () => {
    assert.throws(() => severityFromScore(10.1, '3.1'), RangeError);
    assert.throws(() => severityFromScore(Number.NaN, '2.0'), RangeError);
  });
});

describe('CvssError', () => {
  const refusals: [string, CvssErrorCode, string | undefined, RegExp][] = [
    ['', 'cvss-empty', undefined, /^cvss: empty vector$/],
    ['CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'cvss-unknown-version', undefined, /^cvss: unknown version "CVSS:3\.2" in CVSS:3\.2\//],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'cvss-unknown-version', 'PR', /^cvss: metric PR .*prefix in AV:N\//],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N', 'cvss-unknown-metric', 'AT', /^cvss: unknown metric AT for CVSS 3\.1 \(it belongs to CVSS 4\.0\) in CVSS:3\.1\//],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MS:U', 'cvss-unknown-metric', 'MS', /^cvss: unknown metric MS for CVSS 4\.0 \(it belongs to CVSS 3\.x\)/],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'cvss-invalid-value', 'AV', /^cvss: invalid value "X" for metric AV .* in CVSS:3\.1\/AV:X\//],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P/E:P', 'cvss-invalid-value', 'E', /^cvss: invalid value "P" for metric E /],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L', 'cvss-duplicate-metric', 'AV', /^cvss: duplicate metric AV in CVSS:3\.1\//],
    ['CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:H/A:H', 'cvss-missing-metric', 'PR', /^cvss: missing mandatory metric PR in CVSS:3\.1\/AV:N\/AC:L\/UI:N/],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'cvss-missing-metric', 'AT', /^cvss: missing mandatory metric AT in CVSS:4\.0\//],
    ['AV:N/AC:L/C:P/I:P/A:P', 'cvss-missing-metric', 'Au', /^cvss: missing mandatory metric Au in AV:N/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', 'cvss-malformed', undefined, /^cvss: empty metric \(stray "\/"\) in CVSS:3\.1\//],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A', 'cvss-malformed', undefined, /^cvss: "A" is not METRIC:VALUE in /],
    ['cvss:3.1/av:n/ac:l', 'cvss-malformed', undefined, /^cvss: version prefix must be written "CVSS:"/],
    ['(CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)', 'cvss-malformed', undefined, /parentheses/],
  ];
  for (const [vector, code, metric, message] of refusals) {
    it(`${code}${metric ? ` ${metric}` : ''}: ${JSON.stringify(vector)}`, () => {
      for (const f of [parseCvss, scoreCvss]) {
        assert.throws(
          () => f(vector),
          (e: unknown) => {
            assert.ok(e instanceof CvssError);
            assert.equal(e.code, code);
            assert.equal(e.metric, metric);
            assert.equal(e.vector, vector.trim());
            assert.match(e.message, message);
            return true;
          },
        );
      }
    });
  }

  it('keeps messages short for huge vectors while keeping the whole vector on the error', () => {
    const huge = `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H${'/E:U'.repeat(10_000)}`;
    assert.throws(
      () => parseCvss(huge),
      (e: unknown) => e instanceof CvssError && e.code === 'cvss-duplicate-metric' && e.vector === huge && e.message.length < 300,
    );
  });
});

describe('findCvssVectors', () => {
  it('finds every version in prose, with spans that slice back to the vector', () => {
    const text = [
      'The flaw is rated CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.',
      'NVD still lists the old score (AV:N/AC:L/Au:N/C:P/I:P/A:P), also written CVSS:2.0/AV:L/AC:H/Au:N/C:C/I:C/A:C;',
      'the vendor says CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A, while a',
      'mirror quotes CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q (sic). Attack vector (AV:N) alone and "CVSS: 9.8" are not vectors.',
    ].join('\n');
    const found = findCvssVectors(text);
    assert.deepEqual(
      found.map((f) => f.vector),
      [
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        'AV:N/AC:L/Au:N/C:P/I:P/A:P',
        'CVSS:2.0/AV:L/AC:H/Au:N/C:C/I:C/A:C',
        'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A',
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q',
      ],
    );
    for (const f of found) assert.equal(text.slice(f.start, f.end), f.vector);
    // Finding does not validate; the caller scores and reports.
    assert.deepEqual(found.map((f) => { try { return scoreCvss(f.vector).baseScore; } catch (e) { return (e as CvssError).code; } }), [9.8, 7.5, 6.2, 9.3, 'cvss-invalid-value']);
  });

  it('splits vectors written back to back and ignores text inside words', () => {
    const found = findCvssVectors('XCVSS:3.1/AV:N/AC:L and CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    assert.deepEqual(found.map((f) => f.vector), ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']);
  });

  it('returns nothing for text without vectors', () => {
    assert.deepEqual(findCvssVectors(''), []);
    assert.deepEqual(findCvssVectors('CVSS score 9.8, CVSSv3.1: 9.8, CVSS:3.1 base.'), []);
  });

  it('stays linear on 1 MB of "AV:N/" and returns the one (invalid) run', () => {
    const hostile = 'AV:N/'.repeat(200_000);
    const t0 = performance.now();
    const found = findCvssVectors(hostile);
    const ms = performance.now() - t0;
    assert.equal(found.length, 1);
    assert.equal(found[0].start, 0);
    assert.equal(found[0].end, hostile.length - 1);
    assert.throws(() => parseCvss(found[0].vector), (e: unknown) => e instanceof CvssError && e.code === 'cvss-duplicate-metric');
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  it('stays linear on other hostile shapes and still finds a real vector after them', () => {
    const real = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    for (const junk of ['CVSS:'.repeat(200_000), 'CVSS:3.1/'.repeat(100_000), 'AV:'.repeat(300_000), `AV:${'N'.repeat(1_000_000)}`, 'A'.repeat(1_000_000), '/AV:N'.repeat(200_000)]) {
      const t0 = performance.now();
      const found = findCvssVectors(`${junk} ${real}`);
      const ms = performance.now() - t0;
      assert.ok(ms < 2000, `took ${ms} ms on ${junk.slice(0, 12)}…`);
      assert.equal(found.at(-1)?.vector, real);
      for (const f of found.slice(0, -1)) assert.throws(() => parseCvss(f.vector), CvssError);
    }
  });
});
