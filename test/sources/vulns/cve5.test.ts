/** The CVE JSON 5 parser against the 54 vulnrichment/cvelistV5 records in shared/data (checked against their index.json), and bad input. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseCve5 } from '../../../src/sources/vulns/cve5.js';
import { VulnDataError } from '../../../src/sources/vulns/errors.js';
import { SHARED } from '../../helpers.js';

const DIR = path.join(SHARED, 'cve-records');
const read = (file: string) => fs.readFileSync(path.join(DIR, file), 'utf8');
const record = (id: string) => parseCve5(read(`${id}.json`), `${id}.json`);

interface IndexEntry {
  file: string;
  datePublished: string;
  cvss: { version: string; baseScore: number; vector: string; source: string } | null;
  cwes: string[];
  inKevSnapshot: boolean;
}
const index = JSON.parse(read('index.json')).records as Record<string, IndexEntry>;

const refused = (code: VulnDataError['code'], pattern: RegExp) => (e: unknown) =>
  e instanceof VulnDataError && e.code === code && pattern.test(e.message);

// Fortinet puts its temporal score in "baseScore"; the computed base score is kept and the difference reported.
const FORTINET_TEMPORAL = ['CVE-2022-42475', 'CVE-2023-27997', 'CVE-2023-48788', 'CVE-2024-21762'];

describe('parseCve5 on every shared record', () => {
  const ids = Object.keys(index);

  it('has the 54 records of index.json, one file each', () => {
    assert.equal(ids.length, 54);
    const files = fs.readdirSync(DIR).filter((f) => /^CVE-.*\.json$/.test(f)).sort();
    assert.deepEqual(files, ids.map((id) => index[id].file).sort());
    assert.equal(ids.filter((id) => !index[id].inKevSnapshot).length, 4);
  });

  it('finds for each the CVSS vector, its container, the CWEs and the publication date that index.json gives', () => {
    for (const id of ids) {
      const entry = index[id];
      const { records, version } = parseCve5(read(entry.file), entry.file);
      assert.equal(version, '5.1');
      assert.equal(records.length, 1);
      const r = records[0];
      assert.equal(r.cve, id);
      assert.equal(r.vulnStatus, 'PUBLISHED');
      assert.deepEqual([...(r.cwes ?? [])].sort(), [...entry.cwes].sort(), id);
      assert.equal(r.published?.slice(0, 19), entry.datePublished.slice(0, 19), id);
      if (entry.cvss) {
        const source = entry.cvss.source === 'CISA-ADP' ? 'adp:CISA-ADP' : `cna:${entry.cvss.source}`;
        const found = r.cvss?.find((c) => c.source === source && c.vector === entry.cvss?.vector);
        assert.ok(found, `${id}: ${source} ${entry.cvss.vector}`);
        assert.equal(found.version, entry.cvss.version);
        if (!FORTINET_TEMPORAL.includes(id)) assert.equal(found.baseScore, entry.cvss.baseScore, id);
      }
    }
  });

  it('warns only about the four Fortinet records that give a temporal score as the base score', () => {
    const warned = ids.filter((id) => parseCve5(read(index[id].file)).warnings.length > 0);
    assert.deepEqual(warned.sort(), FORTINET_TEMPORAL);
    const r = record('CVE-2022-42475');
    assert.equal(r.records[0].cvss?.[0].baseScore, 9.8);
    assert.match(r.warnings[0], /cna:fortinet published base score 9\.3 .* computed 9\.8; kept 9\.8/);
  });

  it('reads CISA\'s SSVC decision from every record, whatever the case of its values', () => {
    const tally: Record<string, number> = {};
    for (const id of ids) {
      const s = parseCve5(read(index[id].file)).records[0].ssvc;
      assert.ok(s, id);
      assert.equal(s.source, 'adp:CISA-ADP');
      for (const k of [`exploitation=${s.exploitation}`, `automatable=${s.automatable}`, `technicalImpact=${s.technicalImpact}`]) tally[k] = (tally[k] ?? 0) + 1;
    }
    assert.deepEqual(tally, {
      'exploitation=active': 47, 'exploitation=poc': 4, 'exploitation=none': 3,
      'automatable=yes': 35, 'automatable=no': 19,
      'technicalImpact=total': 46, 'technicalImpact=partial': 8,
    });
  });
});

describe('parseCve5 on named records', () => {
  it('CVE-2024-3400: the CNA vector, two CWEs, and SSVC written "Active"/"Yes"/"Total"', () => {
    const { records, warnings } = record('CVE-2024-3400');
    assert.deepEqual(warnings, []);
    const r = records[0];
    assert.deepEqual(r.cvss, [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', baseScore: 10, source: 'cna:palo_alto', type: 'primary' }]);
    assert.deepEqual(r.cwes, ['CWE-77', 'CWE-20']);
    assert.deepEqual(r.ssvc, { exploitation: 'active', automatable: 'yes', technicalImpact: 'total', timestamp: '2024-04-17T04:00:13.543Z', source: 'adp:CISA-ADP' });
    assert.equal(r.published, '2024-04-12T07:20:00.707Z');
    assert.equal(r.lastModified, '2024-08-01T20:12:06.667Z');
    assert.match(r.description ?? '', /^A command injection as a result of arbitrary file creation vulnerability in the GlobalProtect feature/);
    // The CVE Program container repeats the CNA's four links.
    assert.deepEqual(r.references, [
      'https://security.paloaltonetworks.com/CVE-2024-3400',
      'https://unit42.paloaltonetworks.com/cve-2024-3400/',
      'https://www.volexity.com/blog/2024/04/12/zero-day-exploitation-of-unauthenticated-remote-code-execution-vulnerability-in-globalprotect-cve-2024-3400/',
      'https://www.paloaltonetworks.com/blog/2024/04/more-on-the-pan-os-cve/',
    ]);
  });

  it('CVE-2023-4966: Citrix\'s vector, CWE-119 and an active, automatable, total-impact SSVC', () => {
    const r = record('CVE-2023-4966').records[0];
    assert.deepEqual(r.cvss, [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L', baseScore: 9.4, source: 'cna:Citrix', type: 'primary' }]);
    assert.deepEqual(r.cwes, ['CWE-119']);
    assert.deepEqual(r.ssvc, { exploitation: 'active', automatable: 'yes', technicalImpact: 'total', timestamp: '2023-11-22T05:00:08.466Z', source: 'adp:CISA-ADP' });
    assert.equal(r.published, '2023-10-10T13:12:17.644Z');
    assert.equal(r.lastModified, '2025-07-28T19:43:50.439Z');
    assert.equal('kev' in r, false);
  });

  it('CVE-2023-34362: no CNA vector or CWE ("n/a"), so both come from CISA-ADP', () => {
    const r = record('CVE-2023-34362').records[0];
    assert.deepEqual(r.cvss, [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, source: 'adp:CISA-ADP', type: 'secondary' }]);
    assert.deepEqual(r.cwes, ['CWE-89']);
    assert.deepEqual(r.ssvc, { exploitation: 'active', automatable: 'yes', technicalImpact: 'total', timestamp: '2024-06-27T03:55:18.412Z', source: 'adp:CISA-ADP' });
    // datePublished has no zone; CVE 5 says GMT is then assumed.
    assert.equal(r.published, '2023-06-02T00:00:00.000Z');
  });

  it('reads an "en-US" description, caps references at 50, and a CWE given without a type', () => {
    // Microsoft's "en-US" text is HTML although the field is meant as plain text; it is kept as published.
    assert.match(record('CVE-2021-34527').records[0].description ?? '', /^<p>A remote code execution vulnerability exists when the Windows Print Spooler service/);
    assert.equal(record('CVE-2021-34527').records[0].published, '2021-07-02T21:25:11.000Z');
    const rapid = record('CVE-2023-44487').records[0];
    assert.equal(rapid.references?.length, 50);
    assert.ok(rapid.references?.every((u) => /^https?:\/\//.test(u)));
    assert.deepEqual(record('CVE-2024-27198').records[0].cwes, ['CWE-288']);
  });
});

describe('parseCve5 on crafted records', () => {
  const base = () => JSON.parse(read('CVE-2023-4966.json'));

  it('takes a parsed object as well as text', () => {
    assert.deepEqual(parseCve5(base()).records, record('CVE-2023-4966').records);
  });

  it('drops an invalid vector with a warning naming the record and source', () => {
    const j = base();
    j.containers.cna.metrics[0].cvssV3_1.vectorString = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q';
    const r = parseCve5(j);
    assert.deepEqual(r.records[0].cvss, []);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^CVE record CVE-2023-4966: cna:Citrix CVSS vector dropped: cvss: invalid value "Q" for metric A/);
  });

  it('keeps a REJECTED record to its status', () => {
    const j = base();
    j.cveMetadata.state = 'REJECTED';
    j.containers = { cna: { rejectedReasons: [{ lang: 'en', value: 'Duplicate' }], providerMetadata: { orgId: 'x' } } };
    assert.deepEqual(parseCve5(j), { records: [{ cve: 'CVE-2023-4966', vulnStatus: 'REJECTED' }], version: '5.1', warnings: [] });
  });

  it('ignores SSVC it does not understand, with a warning', () => {
    const j = base();
    j.containers.adp[1].metrics[0].other.content.options[0] = { Exploitation: 'maybe' };
    const r = parseCve5(j);
    assert.equal(r.records[0].ssvc, null);
    assert.match(r.warnings[0], /adp:CISA-ADP SSVC options not understood/);
  });

  it('refuses what is not a CVE 5 record', () => {
    assert.throws(() => parseCve5('{"dataType": "CVE_RECORD",'), refused('malformed', /^CVE record: is not JSON/));
    assert.throws(() => parseCve5(fs.readFileSync(path.join(SHARED, 'kev/known_exploited_vulnerabilities.json'), 'utf8'), 'kev.json'), refused('wrong-format', /^kev\.json: dataVersion is undefined, not 5\.x/));
    assert.throws(() => parseCve5(read('nvd/CVE-2023-4966.json')), refused('wrong-format', /not 5\.x/));
    assert.throws(() => parseCve5({ ...base(), dataVersion: '4.0' }), refused('wrong-format', /not 5\.x/));
    assert.throws(() => parseCve5({ ...base(), cveMetadata: { ...base().cveMetadata, state: 'RESERVED' } }), refused('wrong-format', /state "RESERVED"/));
    assert.throws(() => parseCve5({ ...base(), cveMetadata: { cveId: 'CVE-1', state: 'PUBLISHED' } }), refused('wrong-format', /no valid cveMetadata\.cveId/));
  });
});
