/** Merging KEV, CVE 5, NVD and EPSS patches for CVE-2023-4966 from shared/data, and which changes count as changes. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { CveDataSchema, type CveData, type CveDataPatch } from '../../../src/domain/cve-data.js';
import { parseCve5 } from '../../../src/sources/vulns/cve5.js';
import { parseEpssCsv } from '../../../src/sources/vulns/epss.js';
import { parseKevCatalog } from '../../../src/sources/vulns/kev.js';
import { cveDataChanged, emptyCveData, mergeCveData } from '../../../src/sources/vulns/merge.js';
import { parseNvdCve } from '../../../src/sources/vulns/nvd.js';
import { SHARED } from '../../helpers.js';

const ID = 'CVE-2023-4966';
const kevPatch = parseKevCatalog(fs.readFileSync(path.join(SHARED, 'kev/known_exploited_vulnerabilities.json'), 'utf8')).records.find((r) => r.cve === ID)!;
const cve5Patch = parseCve5(fs.readFileSync(path.join(SHARED, `cve-records/${ID}.json`), 'utf8')).records[0];
const nvdPatch = parseNvdCve(JSON.parse(fs.readFileSync(path.join(SHARED, `cve-records/nvd/${ID}.json`), 'utf8'))).records[0];
// The shared EPSS excerpt has no score for this CVE; this row has the file's format.
const epssPatch = parseEpssCsv(`#model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z\ncve,epss,percentile\n${ID},0.94321,0.99951\n`).records[0];

const fold = (patches: CveDataPatch[], start: CveData | null = null) => patches.reduce<CveData | null>((d, p) => mergeCveData(d, p), start)!;

describe('mergeCveData', () => {
  const all = fold([kevPatch, cve5Patch, nvdPatch, epssPatch]);

  it('gathers what each source knows into one valid record', () => {
    assert.ok(Value.Check(CveDataSchema, all), JSON.stringify([...Value.Errors(CveDataSchema, all)][0]));
    assert.equal(all.cve, ID);
    assert.deepEqual(all.kev, kevPatch.kev);
    assert.deepEqual(all.epss, { probability: 0.94321, percentile: 0.99951, date: '2026-09-29' });
    assert.deepEqual(all.ssvc, cve5Patch.ssvc);
    assert.deepEqual(all.cwes, ['CWE-119']);
    // The CNA's vector arrives twice (as cna:Citrix and as NVD's copy under cna:secure@citrix.com): one slot, NVD's beside it.
    assert.deepEqual(all.cvss.map((c) => [c.source, c.vector, c.baseScore]), [
      ['cna:secure@citrix.com', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L', 9.4],
      ['nvd', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ]);
    // The later patch (NVD) sets the status; of the dates, the CVE record's publication is earlier, NVD's update later.
    assert.equal(all.vulnStatus, 'Analyzed');
    assert.equal(all.published, '2023-10-10T13:12:17.644Z');
    assert.equal(all.lastModified, '2025-10-24T13:42:55.550Z');
    assert.deepEqual(all.references, [
      'http://packetstormsecurity.com/files/175323/Citrix-Bleed-Session-Token-Leakage-Proof-Of-Concept.html',
      'https://support.citrix.com/article/CTX579459',
      'https://www.cisa.gov/known-exploited-vulnerabilities-catalog?field_cve=CVE-2023-4966',
    ]);
  });

  it('gives the same meaning whichever order the sources come in', () => {
    const reversed = fold([epssPatch, nvdPatch, cve5Patch, kevPatch]);
    assert.deepEqual(cveDataChanged(all, reversed), []);
    assert.equal(reversed.cvss.find((c) => c.source.startsWith('cna:'))?.source, 'cna:Citrix');
  });

  it('lets a patch withdraw KEV and EPSS entries, and unions CWEs', () => {
    const d = fold([{ cve: ID, kev: null, epss: null, cwes: ['CWE-125', 'cwe-119'] }], all);
    assert.equal(d.kev, null);
    assert.equal(d.epss, null);
    assert.deepEqual(d.cwes, ['CWE-119', 'CWE-125']);
    assert.deepEqual(d.ssvc, all.ssvc);
  });

  it('replaces a vector from the same source and version, and keeps the 50 newest references', () => {
    const d = mergeCveData(all, { cve: ID, cvss: [{ ...all.cvss[1], vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', baseScore: 9.1 }] });
    assert.deepEqual(d.cvss.map((c) => c.baseScore), [9.4, 9.1]);
    const urls = Array.from({ length: 60 }, (_, i) => `https://example.org/${i}`);
    const r = mergeCveData(all, { cve: ID, references: urls });
    assert.equal(r.references.length, 50);
    assert.equal(r.references[0], 'https://example.org/0');
  });

  it('keeps a known description, status and dates when a later source has none', () => {
    const d = mergeCveData(all, { cve: ID, description: null, vulnStatus: null, published: null, lastModified: null, ssvc: null });
    assert.equal(d.description, all.description);
    assert.equal(d.vulnStatus, 'Analyzed');
    assert.equal(d.published, all.published);
    assert.equal(d.lastModified, all.lastModified);
    // SSVC has one source (CISA-ADP), so its absence from a newer record is news.
    assert.equal(d.ssvc, null);
  });

  it('clears a rejected CVE but keeps its KEV and EPSS entries', () => {
    const d = mergeCveData(all, { cve: ID, vulnStatus: 'REJECTED' });
    assert.deepEqual(d, { ...emptyCveData(ID), kev: all.kev, epss: all.epss, vulnStatus: 'REJECTED' });
  });

  it('refuses a patch for another CVE and an invalid id', () => {
    assert.throws(() => mergeCveData(all, { cve: 'CVE-2024-3400' }), /patch for "CVE-2024-3400" applied to CVE-2023-4966/);
    assert.throws(() => emptyCveData('CVE-23-1'), RangeError);
    assert.equal(emptyCveData('cve-2023-4966').cve, ID);
  });
});

describe('cveDataChanged', () => {
  const all = fold([kevPatch, cve5Patch, nvdPatch, epssPatch]);
  const changed = (patch: Omit<CveDataPatch, 'cve'>) => cveDataChanged(all, mergeCveData(all, { cve: ID, ...patch }));

  it('names every filled field of a new record, and nothing for an unchanged one', () => {
    assert.deepEqual(cveDataChanged(null, all), ['kev', 'epss', 'cvss', 'cwes', 'ssvc', 'description', 'published', 'vulnStatus', 'references']);
    assert.deepEqual(cveDataChanged(null, emptyCveData(ID)), []);
    assert.deepEqual(cveDataChanged(all, all), []);
  });

  it('counts EPSS moves of 0.01 or more and percentile bucket crossings, not daily noise', () => {
    const e = all.epss!;
    assert.deepEqual(changed({ epss: { ...e, probability: e.probability - 0.005, date: '2026-09-30' } }), []);
    assert.deepEqual(changed({ epss: { ...e, probability: e.probability - 0.01 } }), ['epss']);
    assert.deepEqual(changed({ epss: { ...e, percentile: 0.9899 } }), ['epss']);
    assert.deepEqual(changed({ epss: null }), ['epss']);
  });

  it('counts KEV added, removed, due date and ransomware use, not wording', () => {
    const k = all.kev!;
    assert.deepEqual(changed({ kev: { ...k, dueDate: '2023-11-15' } }), ['kev']);
    assert.deepEqual(changed({ kev: { ...k, knownRansomwareUse: false } }), ['kev']);
    assert.deepEqual(changed({ kev: { ...k, requiredAction: 'Apply updates per vendor instructions.' } }), []);
    assert.deepEqual(changed({ kev: null }), ['kev']);
    // KEV's CWE-119 is the one the CVE record already had.
    assert.deepEqual(cveDataChanged(fold([cve5Patch]), fold([cve5Patch, kevPatch])), ['kev']);
  });

  it('counts a new vector and an SSVC decision change, not a timestamp or label change', () => {
    assert.deepEqual(changed({ cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, source: 'adp:CISA-ADP', type: 'secondary' }] }), ['cvss']);
    assert.deepEqual(changed({ cvss: [{ ...all.cvss[0], source: 'cna:Citrix', type: 'primary' }] }), []);
    assert.deepEqual(changed({ ssvc: { ...all.ssvc!, timestamp: '2025-01-01T00:00:00.000Z' } }), []);
    assert.deepEqual(changed({ ssvc: { ...all.ssvc!, exploitation: 'poc' } }), ['ssvc']);
  });

  it('counts rejection but not NVD status wording, nor lastModified', () => {
    assert.deepEqual(changed({ vulnStatus: 'PUBLISHED', lastModified: '2026-01-01T00:00:00.000Z' }), []);
    assert.deepEqual(changed({ vulnStatus: 'Rejected' }), ['cvss', 'cwes', 'ssvc', 'description', 'published', 'vulnStatus', 'references']);
  });
});
