/** The shared field normalisers: ids, timestamps in the forms NVD and CVE records use, URLs, English text and CVSS entries. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cveId, cvssEntry, cweId, englishText, httpUrls, isoDate, isoTimestamp } from '../../../src/sources/vulns/normalise.js';

describe('normalisers', () => {
  it('reads CVE and CWE ids, refusing look-alikes', () => {
    assert.equal(cveId(' cve-2024-3400 '), 'CVE-2024-3400');
    assert.equal(cveId('CVE-2021-44228123'), 'CVE-2021-44228123');
    for (const bad of ['CVE-2024-340', 'CVE-24-3400', 'GHSA-2024-3400', 'CVE-2024-3400x', 42, null]) assert.equal(cveId(bad), null, String(bad));
    assert.equal(cweId('cwe-79'), 'CWE-79');
    for (const bad of ['NVD-CWE-Other', 'NVD-CWE-noinfo', 'CWE-', 'n/a']) assert.equal(cweId(bad), null, bad);
  });

  it('reads timestamps with and without zone as UTC, and refuses impossible dates', () => {
    assert.equal(isoTimestamp('2023-10-10T14:15:10.977'), '2023-10-10T14:15:10.977Z');
    assert.equal(isoTimestamp('2019-06-04T20:18:08'), '2019-06-04T20:18:08.000Z');
    assert.equal(isoTimestamp('2024-04-17T04:00:13.543064Z'), '2024-04-17T04:00:13.543Z');
    assert.equal(isoTimestamp('2023-10-18T00:00:00+00:00'), '2023-10-18T00:00:00.000Z');
    assert.equal(isoTimestamp('2025-07-24T00:00:00+0200'), '2025-07-23T22:00:00.000Z');
    assert.equal(isoTimestamp('2024-01-01'), '2024-01-01T00:00:00.000Z');
    for (const bad of ['2024-02-30T00:00:00Z', '2024-13-01', 'yesterday', '', 1700000000000]) assert.equal(isoTimestamp(bad), null, String(bad));
    assert.equal(isoDate('2024-04-19'), '2024-04-19');
    assert.equal(isoDate('2024-04-19T00:00:00Z'), null);
  });

  it('keeps http(s) URLs only, once each, at most 50', () => {
    assert.deepEqual(httpUrls([' https://a.example/x ', 'ftp://b.example/', 'javascript:alert(1)', 'https://a.example/x', 'http://c.example', 'https://', 7]), ['https://a.example/x', 'http://c.example']);
    assert.equal(httpUrls(Array.from({ length: 80 }, (_, i) => `https://e.example/${i}`)).length, 50);
  });

  it('prefers "en" over "en-US" and skips other languages and empty text', () => {
    assert.equal(englishText([{ lang: 'es', value: 'hola' }, { lang: 'en-US', value: 'US' }, { lang: 'en', value: ' plain\u00a0text ' }]), 'plain text');
    assert.equal(englishText([{ lang: 'es', value: 'hola' }, { lang: 'en', value: '  ' }]), null);
    assert.equal(englishText('en'), null);
  });

  it('builds CVSS entries from the score stage, warning on refusals and mislabelled versions', () => {
    const warnings: string[] = [];
    assert.deepEqual(cvssEntry({ vector: '(AV:N/AC:L/Au:N/C:P/I:P/A:P)', published: 7.5 }, 'nvd', 'primary', 'X', warnings), { version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5, source: 'nvd', type: 'primary' });
    assert.equal(cvssEntry({ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', declaredVersion: '3.0' }, 'cna:x', 'primary', 'X', warnings)?.version, '3.1');
    assert.equal(cvssEntry({ vector: 'CVSS:3.1/AV:N' }, 'cna:x', 'primary', 'X', warnings), null);
    assert.equal(cvssEntry({ vector: undefined }, 'cna:x', 'primary', 'X', warnings), null);
    assert.deepEqual(warnings, [
      'X: cna:x CVSS 3.0 entry holds a CVSS 3.1 vector; kept as 3.1',
      'X: cna:x CVSS vector dropped: cvss: missing mandatory metric AC in CVSS:3.1/AV:N',
      'X: cna:x CVSS metric has no vectorString, dropped',
    ]);
  });
});
