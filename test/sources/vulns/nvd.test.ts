/** The NVD parsers against the NVD API 2.0 record of CVE-2023-4966 in shared/data, pages and feed files built around it, and bad input. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { VulnDataError } from '../../../src/sources/vulns/errors.js';
import { parseNvdApiPage, parseNvdCve, parseNvdJsonFile } from '../../../src/sources/vulns/nvd.js';
import { SHARED } from '../../helpers.js';

const NVD_FILE = path.join(SHARED, 'cve-records/nvd/CVE-2023-4966.json');
const text = fs.readFileSync(NVD_FILE, 'utf8');
const sample = () => JSON.parse(text);

const refused = (code: VulnDataError['code'], pattern: RegExp) => (e: unknown) =>
  e instanceof VulnDataError && e.code === code && pattern.test(e.message);

const EXPECTED = {
  cve: 'CVE-2023-4966',
  cvss: [
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L', baseScore: 9.4, source: 'cna:secure@citrix.com', type: 'secondary' },
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5, source: 'nvd', type: 'primary' },
  ],
  // NVD's own weakness is NVD-CWE-noinfo, which is not a CWE.
  cwes: ['CWE-119'],
  // The English one of the two, with NVD's non-breaking spaces made plain: the same text as the CVE record's.
  description: 'Sensitive information disclosure in NetScaler ADC and NetScaler Gateway when configured as a Gateway (VPN virtual server, ICA Proxy, CVPN, RDP Proxy) or AAA  virtual server.',
  published: '2023-10-10T14:15:10.977Z',
  lastModified: '2025-10-24T13:42:55.550Z',
  vulnStatus: 'Analyzed',
  // Five references, two of them repeated under another source.
  references: [
    'http://packetstormsecurity.com/files/175323/Citrix-Bleed-Session-Token-Leakage-Proof-Of-Concept.html',
    'https://support.citrix.com/article/CTX579459',
    'https://www.cisa.gov/known-exploited-vulnerabilities-catalog?field_cve=CVE-2023-4966',
  ],
};

describe('parseNvdCve', () => {
  it('reads the shared record: both CVSS 3.1 metrics, the CWE, the English text, dates, status and references', () => {
    const r = parseNvdCve(sample());
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.records, [EXPECTED]);
    // KEV dates are in the record, but the KEV catalog owns the kev field.
    assert.equal('kev' in r.records[0], false);
    const cna = parseNvdCve(sample()).records[0].description ?? '';
    const cve5 = JSON.parse(fs.readFileSync(path.join(SHARED, 'cve-records/CVE-2023-4966.json'), 'utf8')).containers.cna.descriptions[0].value;
    assert.equal(cna, cve5);
  });

  it('reads v4.0 and v2 metrics, names CISA-ADP by its org id, and drops an invalid vector with a warning', () => {
    const obj = sample();
    obj.metrics.cvssMetricV40 = [{ source: 'secure@citrix.com', type: 'Secondary', cvssData: { version: '4.0', vectorString: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', baseScore: 9.3 } }];
    obj.metrics.cvssMetricV2 = [
      { source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5 } },
      { source: '134c704f-9b21-4f2e-91b3-4a467353bcc0', type: 'Secondary', cvssData: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:X', baseScore: 7.5 } },
    ];
    obj.metrics.cvssMetricV31.push({ source: '134c704f-9b21-4f2e-91b3-4a467353bcc0', type: 'Secondary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8 } });
    const r = parseNvdCve(obj);
    assert.deepEqual(r.records[0].cvss?.map((c) => [c.version, c.source, c.type, c.baseScore]), [
      ['4.0', 'cna:secure@citrix.com', 'secondary', 9.3],
      ['3.1', 'cna:secure@citrix.com', 'secondary', 9.4],
      ['3.1', 'nvd', 'primary', 7.5],
      ['3.1', 'adp:CISA-ADP', 'secondary', 9.8],
      ['2.0', 'nvd', 'primary', 7.5],
    ]);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^NVD record CVE-2023-4966: adp:CISA-ADP CVSS vector dropped: cvss: invalid value "X" for metric A/);
  });

  it('keeps only the status of a rejected CVE', () => {
    const r = parseNvdCve({ id: 'CVE-2023-0001', vulnStatus: 'Rejected', descriptions: [{ lang: 'en', value: '** REJECT ** Duplicate.' }], metrics: {} });
    assert.deepEqual(r.records, [{ cve: 'CVE-2023-0001', vulnStatus: 'Rejected' }]);
  });

  it('refuses an object that is not an NVD cve', () => {
    assert.throws(() => parseNvdCve(null), refused('wrong-format', /not an NVD cve object/));
    assert.throws(() => parseNvdCve({ id: 'GHSA-xxxx' }), refused('wrong-format', /no valid CVE "id"/));
  });
});

function page(vulnerabilities: unknown[], over: Record<string, unknown> = {}): string {
  return JSON.stringify({ resultsPerPage: vulnerabilities.length, startIndex: 0, totalResults: vulnerabilities.length, format: 'NVD_CVE', version: '2.0', timestamp: '2025-10-24T14:00:01.123', vulnerabilities, ...over });
}

describe('parseNvdApiPage', () => {
  it('reads a page, skipping an entry that is not a CVE with a warning', () => {
    const p = parseNvdApiPage(page([{ cve: sample() }, { cve: { id: 'not-a-cve' } }], { totalResults: 9, startIndex: 4 }));
    assert.deepEqual(p.records, [EXPECTED]);
    assert.equal(p.totalResults, 9);
    assert.equal(p.startIndex, 4);
    assert.equal(p.resultsPerPage, 2);
    assert.equal(p.entries, 2);
    assert.equal(p.timestamp, '2025-10-24T14:00:01.123Z');
    assert.equal(p.warnings.length, 1);
    assert.match(p.warnings[0], /^skipped: NVD API page vulnerabilities\[1\]: has no valid CVE "id"/);
  });

  it('refuses what is not an API 2.0 CVE response', () => {
    assert.throws(() => parseNvdApiPage('<html>503 Service Unavailable</html>'), refused('malformed', /^NVD API page: is not JSON/));
    assert.throws(() => parseNvdApiPage('{"message": "Invalid apiKey"}'), refused('wrong-format', /no "vulnerabilities" list/));
    assert.throws(() => parseNvdApiPage(page([], { format: 'NVD_CPE' })), refused('wrong-format', /not "NVD_CVE"/));
    assert.throws(() => parseNvdApiPage(page([], { totalResults: '12' })), refused('wrong-format', /"totalResults" is not a non-negative integer/));
  });
});

describe('parseNvdJsonFile', () => {
  it('reads the shared file, a bare cve object as fkie-cad stores it', () => {
    const r = parseNvdJsonFile(text);
    assert.deepEqual(r.records, [EXPECTED]);
    assert.equal(r.timestamp, null);
  });

  it('reads an NVD 2.0 feed, plain or gzip, and an fkie-cad release', () => {
    const feed = page([{ cve: sample() }]);
    assert.deepEqual(parseNvdJsonFile(feed).records, [EXPECTED]);
    const gz = parseNvdJsonFile(zlib.gzipSync(feed));
    assert.deepEqual(gz.records, [EXPECTED]);
    assert.equal(gz.version, '2.0');
    const release = JSON.stringify({ timestamp: '2025-10-25T00:00:20+00:00', cve_count: 1, feed_name: 'CVE-2023', source: 'fkie-cad/nvd-json-data-feeds', cve_items: [sample()] });
    const fk = parseNvdJsonFile(release);
    assert.deepEqual(fk.records, [EXPECTED]);
    assert.equal(fk.timestamp, '2025-10-25T00:00:20.000Z');
  });

  it('refuses other formats by name, and a gzip that unpacks past the limit', () => {
    assert.throws(() => parseNvdJsonFile(JSON.stringify({ CVE_Items: [] })), refused('wrong-format', /NVD 1\.1 feed, retired/));
    const cve5 = fs.readFileSync(path.join(SHARED, 'cve-records/CVE-2023-4966.json'), 'utf8');
    assert.throws(() => parseNvdJsonFile(cve5), refused('wrong-format', /CVE JSON 5 record.*parseCve5/));
    assert.throws(() => parseNvdJsonFile('{"hello": "world"}'), refused('wrong-format', /neither/));
    assert.throws(() => parseNvdJsonFile(zlib.gzipSync(text), 'CVE-2023.json.gz', 1000), refused('too-large', /^CVE-2023\.json\.gz: unpacks to more than 1000 bytes/));
  });
});
