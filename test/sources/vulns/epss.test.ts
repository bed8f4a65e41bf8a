/** The EPSS parsers against the shared CSV excerpt, plain and gzip, a full-size synthetic file, bad rows, a gzip bomb and API JSON. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { parseEpssApi, parseEpssCsv } from '../../../src/sources/vulns/epss.js';
import { VulnDataError } from '../../../src/sources/vulns/errors.js';
import { SHARED } from '../../helpers.js';

const CSV_FILE = path.join(SHARED, 'epss/epss_scores-excerpt.csv');
const text = fs.readFileSync(CSV_FILE, 'utf8');

const refused = (code: VulnDataError['code'], pattern: RegExp) => (e: unknown) =>
  e instanceof VulnDataError && e.code === code && pattern.test(e.message);

describe('parseEpssCsv on the shared excerpt', () => {
  it('reads the 50 rows with the model version and score date of the comment line', () => {
    const r = parseEpssCsv(text);
    assert.equal(r.records.length, 50);
    assert.equal(r.version, 'v2026.06.15');
    assert.equal(r.date, '2026-09-29');
    assert.deepEqual(r.warnings, []);
    const byId = new Map(r.records.map((x) => [x.cve, x.epss]));
    assert.deepEqual(byId.get('CVE-1999-0016'), { probability: 0.95739, percentile: 0.99871, date: '2026-09-29' });
    assert.deepEqual(byId.get('CVE-2022-20699'), { probability: 0.72458, percentile: 0.99425, date: '2026-09-29' });
    assert.deepEqual(r.records[0], { cve: 'CVE-1999-0001', epss: { probability: 0.03351, percentile: 0.88255, date: '2026-09-29' } });
    assert.equal(r.records[49].cve, 'CVE-2022-20710');
  });

  it('reads the same from gzip bytes and from uncompressed bytes', () => {
    const plain = parseEpssCsv(text);
    assert.deepEqual(parseEpssCsv(zlib.gzipSync(text)), plain);
    assert.deepEqual(parseEpssCsv(new TextEncoder().encode(text)), plain);
  });

  it('refuses a gzip that unpacks past maxOutputLength, and a damaged gzip', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1024 * 1024, 0x30));
    assert.ok(bomb.length < 2048);
    assert.throws(() => parseEpssCsv(bomb, { maxOutputLength: 64 * 1024 }), refused('too-large', /^EPSS CSV: unpacks to more than 65536 bytes/));
    const gz = zlib.gzipSync(text);
    assert.throws(() => parseEpssCsv(gz, { maxOutputLength: 1000 }), refused('too-large', /unpacks to more than 1000 bytes/));
    assert.throws(() => parseEpssCsv(gz.subarray(0, gz.length - 20)), refused('malformed', /not valid gzip/));
  });
});

describe('parseEpssCsv on crafted files', () => {
  it('reads the "+0000" score_date form and CRLF line ends', () => {
    const r = parseEpssCsv('#model_version:v2025.03.14,score_date:2025-07-24T00:00:00+0000\r\ncve,epss,percentile\r\nCVE-2024-3400,0.94335,0.99963\r\n');
    assert.deepEqual(r.records, [{ cve: 'CVE-2024-3400', epss: { probability: 0.94335, percentile: 0.99963, date: '2025-07-24' } }]);
    assert.equal(r.version, 'v2025.03.14');
  });

  it('skips invalid rows and repeated CVEs, counting them in warnings', () => {
    const csv = [
      '#model_version:v2025.03.14,score_date:2025-07-24T00:00:00+0000',
      'cve,epss,percentile',
      'CVE-2024-3400,0.94335,0.99963',
      'CVE-2024-1,0.5,0.5',
      'CVE-2024-12345,1.5,0.9',
      'CVE-2024-12346,,0.9',
      'CVE-2024-12347,0x1,0.5',
      'CVE-2024-12348,0.1,-0.2',
      'CVE-2024-12349,0.1,0.2,extra',
      'garbage',
      'cve-2023-4966,0.94,0.99',
      'CVE-2024-3400,0.5,0.5',
      '',
    ].join('\n');
    const r = parseEpssCsv(csv);
    assert.deepEqual(r.records.map((x) => x.cve), ['CVE-2024-3400', 'CVE-2023-4966']);
    assert.equal(r.records[0].epss?.probability, 0.94335);
    assert.deepEqual(r.warnings, [
      'EPSS CSV: skipped 7 invalid rows (first: line 4: "CVE-2024-1,0.5,0.5")',
      'EPSS CSV: skipped 1 repeated CVE rows (the first row of each is kept)',
    ]);
  });

  it('refuses files that are not an EPSS CSV', () => {
    assert.throws(() => parseEpssCsv('cve,cvss\nCVE-2024-3400,10'), refused('wrong-format', /header is "cve,cvss", expected "cve,epss,percentile"/));
    const kev = fs.readFileSync(path.join(SHARED, 'kev/known_exploited_vulnerabilities.json'), 'utf8');
    assert.throws(() => parseEpssCsv(kev), refused('wrong-format', /header is/));
    assert.throws(() => parseEpssCsv(''), refused('wrong-format', /header is ""/));
    assert.throws(() => parseEpssCsv(new Uint8Array([0xff, 0xfe, 0x00, 0x63])), refused('malformed', /not UTF-8/));
  });

  it('needs a date when the comment line is missing', () => {
    assert.throws(() => parseEpssCsv('cve,epss,percentile\nCVE-2024-3400,0.9,0.99'), refused('wrong-format', /no score_date/));
    const r = parseEpssCsv('cve,epss,percentile\nCVE-2024-3400,0.9,0.99', { date: '2022-01-31' });
    assert.deepEqual(r.records[0].epss, { probability: 0.9, percentile: 0.99, date: '2022-01-31' });
    assert.equal(r.version, undefined);
  });

  it('reads a full-size file (330k rows) whole', () => {
    const rows = ['#model_version:v2025.03.14,score_date:2025-07-24T00:00:00+0000', 'cve,epss,percentile'];
    for (let i = 0; i < 330_000; i++) rows.push(`CVE-${1999 + (i % 27)}-${String(10000 + i)},0.${String(i % 99999).padStart(5, '0')},0.${String((i * 7) % 99999).padStart(5, '0')}`);
    const gz = zlib.gzipSync(rows.join('\n'));
    const r = parseEpssCsv(gz);
    assert.equal(r.records.length, 330_000);
    assert.deepEqual(r.warnings, []);
    const last = r.records[r.records.length - 1];
    assert.equal(last.cve, `CVE-${1999 + (329_999 % 27)}-339999`);
    assert.deepEqual(last.epss, { probability: Number(`0.${String(329_999 % 99999).padStart(5, '0')}`), percentile: Number(`0.${String((329_999 * 7) % 99999).padStart(5, '0')}`), date: '2025-07-24' });
  });
});

describe('parseEpssApi', () => {
  const response = {
    status: 'OK', 'status-code': 200, version: '1.0', access: 'public', total: 3, offset: 0, limit: 100,
    data: [
      { cve: 'CVE-2024-3400', epss: '0.943350000', percentile: '0.999630000', date: '2025-07-24', model_version: 'v2025.03.14' },
      { cve: 'CVE-2023-4966', epss: 0.94, percentile: 0.999, date: '2025-07-23' },
      { cve: 'CVE-2023-34362', epss: 'n/a', percentile: '0.9', date: '2025-07-24' },
    ],
  };

  it('reads scores given as strings or numbers, with paging figures', () => {
    const r = parseEpssApi(JSON.stringify(response));
    assert.deepEqual(r.records, [
      { cve: 'CVE-2024-3400', epss: { probability: 0.94335, percentile: 0.99963, date: '2025-07-24' } },
      { cve: 'CVE-2023-4966', epss: { probability: 0.94, percentile: 0.999, date: '2025-07-23' } },
    ]);
    assert.equal(r.version, 'v2025.03.14');
    assert.equal(r.date, '2025-07-24');
    assert.deepEqual([r.total, r.offset, r.limit], [3, 0, 100]);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /data\[2\] is not a valid score/);
  });

  it('refuses other JSON and errors', () => {
    assert.throws(() => parseEpssApi('not json'), refused('malformed', /^EPSS API response: is not JSON/));
    assert.throws(() => parseEpssApi('{"status":"OK","total":0}'), refused('wrong-format', /no "data" list/));
    assert.throws(() => parseEpssApi(JSON.stringify({ ...response, status: 'error' })), refused('wrong-format', /status is "error"/));
  });
});
