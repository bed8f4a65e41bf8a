/** The KEV parser against CISA's catalog 2025.08.25 in shared/data, and against files that are not a KEV catalog. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { VulnDataError } from '../../../src/sources/vulns/errors.js';
import { parseKevCatalog } from '../../../src/sources/vulns/kev.js';
import { SHARED } from '../../helpers.js';

const KEV_FILE = path.join(SHARED, 'kev/known_exploited_vulnerabilities.json');
const text = fs.readFileSync(KEV_FILE, 'utf8');
const raw = JSON.parse(text);

const refused = (code: VulnDataError['code'], pattern: RegExp) => (e: unknown) =>
  e instanceof VulnDataError && e.code === code && pattern.test(e.message);

describe('parseKevCatalog on the shared catalog', () => {
  const result = parseKevCatalog(text);

  it('reads every entry, with the catalog version and release date', () => {
    assert.equal(raw.count, 1404);
    assert.equal(result.records.length, raw.count);
    assert.equal(result.records.length, raw.vulnerabilities.length);
    assert.equal(result.version, '2025.08.25');
    assert.equal(result.released, '2025-08-25T17:04:19.9796Z');
    assert.deepEqual(result.warnings, []);
    assert.equal(new Set(result.records.map((r) => r.cve)).size, 1404);
  });

  it('keeps CVE-2024-3400 as CISA lists it', () => {
    const r = result.records.find((x) => x.cve === 'CVE-2024-3400');
    assert.deepEqual(r, {
      cve: 'CVE-2024-3400',
      kev: {
        dateAdded: '2024-04-12',
        dueDate: '2024-04-19',
        knownRansomwareUse: true,
        requiredAction:
          'Apply mitigations per vendor instructions as they become available. Otherwise, users with vulnerable versions of affected devices should enable Threat Prevention IDs available from the vendor. See the vendor bulletin for more details and a patch release schedule.',
        vendor: 'Palo Alto Networks',
        product: 'PAN-OS',
      },
      cwes: ['CWE-20', 'CWE-77'],
    });
  });

  it('reads Citrix Bleed and MOVEit, and the ransomware flag across the catalog', () => {
    const byId = new Map(result.records.map((r) => [r.cve, r]));
    assert.deepEqual(byId.get('CVE-2023-4966')?.kev, {
      dateAdded: '2023-10-18', dueDate: '2023-11-08', knownRansomwareUse: true,
      requiredAction: 'Apply mitigations and kill all active and persistent sessions per vendor instructions [https://www.netscaler.com/blog/news/cve-2023-4966-critical-security-update-now-available-for-netscaler-adc-and-netscaler-gateway/] OR discontinue use of the product if mitigations are unavailable.',
      vendor: 'Citrix', product: 'NetScaler ADC and NetScaler Gateway',
    });
    assert.deepEqual(byId.get('CVE-2023-34362')?.cwes, ['CWE-89']);
    assert.equal(byId.get('CVE-2025-48384')?.kev?.knownRansomwareUse, false);
    assert.equal(result.records.filter((r) => r.kev?.knownRansomwareUse).length, 293);
    assert.equal(result.records.filter((r) => r.cwes?.length === 0).length, 152);
  });
});

describe('parseKevCatalog refusals', () => {
  it('refuses text that is not JSON', () => {
    assert.throws(() => parseKevCatalog('{"catalogVersion": "2025.08.25", '), refused('malformed', /^KEV catalog: is not JSON/));
  });

  it('refuses JSON of another shape, naming what is missing', () => {
    assert.throws(() => parseKevCatalog('[1, 2]'), refused('wrong-format', /not a JSON object/));
    assert.throws(() => parseKevCatalog(JSON.stringify({ catalogVersion: '2025.08.25', count: 0 })), refused('wrong-format', /no "vulnerabilities" list/));
    assert.throws(() => parseKevCatalog(JSON.stringify({ vulnerabilities: [] })), refused('wrong-format', /no "catalogVersion"/));
    const cve5 = fs.readFileSync(path.join(SHARED, 'cve-records/CVE-2024-3400.json'), 'utf8');
    assert.throws(() => parseKevCatalog(cve5), refused('wrong-format', /vulnerabilities/));
  });

  it('skips bad entries with a warning, and refuses a list without a single valid one', () => {
    const good = raw.vulnerabilities.find((v: { cveID: string }) => v.cveID === 'CVE-2024-3400');
    const doc = {
      catalogVersion: 'test', count: 5,
      vulnerabilities: [good, { ...good, cveID: 'CVE-24-1' }, { ...good, cveID: 'CVE-2024-0001', dateAdded: '2024-02-30' }, { ...good }, 'junk'],
    };
    const r = parseKevCatalog(JSON.stringify(doc));
    assert.deepEqual(r.records.map((x) => x.cve), ['CVE-2024-3400']);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /skipped 4 entries: vulnerabilities\[1\] has an invalid cveID "CVE-24-1"; CVE-2024-0001 has an invalid dateAdded "2024-02-30"; CVE-2024-3400 is listed twice/);
    assert.throws(() => parseKevCatalog(JSON.stringify({ catalogVersion: 'x', vulnerabilities: [{ cveID: 'nope' }] })), refused('wrong-format', /no valid entry/));
  });

  it('warns when count disagrees and reads odd ransomware values as Unknown', () => {
    const good = raw.vulnerabilities[0];
    const r = parseKevCatalog(JSON.stringify({ catalogVersion: 'x', count: 2, vulnerabilities: [{ ...good, cveID: 'cve-2025-48384', knownRansomwareCampaignUse: 'Yes' }] }));
    assert.equal(r.records[0].cve, 'CVE-2025-48384');
    assert.equal(r.records[0].kev?.knownRansomwareUse, false);
    assert.deepEqual(r.warnings, ['CVE-2025-48384: knownRansomwareCampaignUse "Yes" read as Unknown', 'KEV catalog: "count" says 2 but the list has 1 entries']);
  });
});
