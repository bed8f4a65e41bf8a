/** kb/crosswalks (HIPAA Security Rule, CIS Controls v8) against their schema and the official catalogs; mapping rows with provenance on the item and its page. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadCrosswalks, readCrosswalk } from '../../src/knowledge/crosswalks.js';
import { importCatalogs } from '../../src/knowledge/import-catalogs.js';
import { loadCatalogs } from '../../src/knowledge/store-catalogs.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { bytes, ROOT, SHARED, testContext } from '../helpers.js';
import YAML from 'yaml';

const read = (rel: string) => JSON.parse(fs.readFileSync(path.join(SHARED, rel), 'utf8'));
const controls = read('nist-800-53/nist-800-53r5-controls.json').controls as Record<string, { title: string; withdrawn?: boolean }>;
const csf = read('nist-csf/csf-2.0.json');
const cisTitles = read('cis/cis-controls-v8.1-control-titles.json');

describe('kb/crosswalks', () => {
  const tables = loadCrosswalks();

  test('both tables load, cite their publication, and every id they cite exists and is current', () => {
    assert.deepEqual([...tables.keys()], ['cis-controls-v8', 'hipaa-security-rule']);
    for (const f of ['hipaa-security-rule', 'cis-controls-v8']) {
      const table = YAML.parse(fs.readFileSync(path.join(ROOT, 'kb/crosswalks', `${f}.yaml`), 'utf8'));
      assert.match(table.source.url, /^https:\/\/(doi\.org\/10\.6028\/NIST\.SP\.800-66r2|www\.cisecurity\.org\/)/);
      for (const e of table.entries) {
        for (const c of e.sp800_53) assert.ok(controls[c] && !controls[c].withdrawn, `${f} ${e.id}: ${c} is a current SP 800-53r5 control`);
        for (const s of e.csf) assert.ok((csf.subcategories[s] ?? csf.categories[s])?.active, `${f} ${e.id}: ${s} is a CSF 2.0 outcome`);
        assert.ok(e.sp800_53.length + e.csf.length > 0, `${f} ${e.id} maps to something`);
      }
    }
  });

  test('CIS safeguards of the cross-walk belong to a CIS control and carry the titles of the safeguard table (kb/cis-safeguards.yaml)', () => {
    const table = YAML.parse(fs.readFileSync(path.join(ROOT, 'kb/crosswalks/cis-controls-v8.yaml'), 'utf8'));
    const titles = new Map<string, string>(YAML.parse(fs.readFileSync(path.join(ROOT, 'kb/cis-safeguards.yaml'), 'utf8')).safeguards.map((g: { id: string; title: string }) => [g.id, g.title]));
    const controlsOf = (cisTitles.controls ?? cisTitles) as Record<string, string>;
    for (const e of table.entries) {
      assert.ok(controlsOf[e.id.split('.')[0]], `${e.id} is under CIS control ${e.id.split('.')[0]}`);
      assert.equal(e.title, titles.get(e.id), `${e.id} has the title of the safeguard table`);
    }
  });

  test('lookups from a control or a CSF outcome, with the table as provenance', () => {
    const hipaa = tables.get('hipaa-security-rule');
    const rows = hipaa?.lookup('CP-9') ?? [];
    assert.deepEqual(rows.map((r) => r.id), ['45 CFR 164.308(a)(7)(ii)(A)']);
    assert.equal(rows[0].title, 'Data Backup Plan');
    assert.equal(rows[0].mappingType, 'SP 800-66r2 5.1.7 Contingency Plan');
    assert.match(rows[0].source.publication, /NIST SP 800-66 Rev\. 2/);
    assert.deepEqual(tables.get('cis-controls-v8')?.lookup('PR.DS-11').map((r) => r.id), ['11.2', '11.3', '11.4', '11.5']);
  });

  test('a malformed table is refused with its file and field', () => {
    assert.throws(() => readCrosswalk('crosswalks/x.yaml', 'framework: X\nsource: { publication: P, version: "1", url: "https://x" }\nentries:\n  - { id: a, title: A, sp800_53: [ac-2], csf: [] }\n'), /kb: crosswalks\/x\.yaml: \/entries\/0\/sp800_53\/0: /);
    assert.throws(() => readCrosswalk('crosswalks/x.yaml', 'framework: X\nsource: { publication: P, version: "1", url: "https://x" }\nentries:\n  - { id: a, title: A, sp800_53: [AC-2], csf: [] }\n  - { id: a, title: A, sp800_53: [AC-3], csf: [] }\n'), /\/entries\/1\/id: "a" is listed twice/);
  });
});

describe('mapping rows with provenance', () => {
  let store: Store;
  before(async () => {
    store = await openSqliteStore(':memory:');
    await importCatalogs(store, SHARED, '2026-12-01T00:00:00.000Z', { only: ['attack', 'nist-800-53', 'ctid-800-53', 'ctid-kev', 'csf-800-53', 'cwe'] });
  });
  after(async () => store?.close());

  test('CTID, NIST and our tables each name their publication, version and mapping type, on the item and its page', async () => {
    const catalogs = await loadCatalogs(store);
    const text = [
      'Title: Clinic patient portal breached through Adobe Commerce flaw',
      'Published: 2026-11-30',
      '',
      'Attackers exploited CVE-2024-34102, an XML external entity flaw in Adobe Commerce, against the patient portal of a regional hospital (MITRE ATT&CK technique T1190).',
      'The hospital said patient records, including medical records and insurance details, were stolen, and it has notified HHS.',
      'The attackers then ran PowerShell (ATT&CK technique T1059.001) to deploy ransomware and encrypt the file servers.',
    ].join('\n');
    const { item } = await ingest(store, { bytes: bytes(text), origin: 'portal.txt' }, testContext({ catalogs }));
    const groups = new Map(item.mappings.map((g) => [g.framework, g.entries]));
    const attack = groups.get('MITRE ATT&CK') ?? [];
    const fromCve = attack.find((e) => e.id === 'T1190' && e.mappingType === 'exploitation_technique') ?? attack.find((e) => e.why.includes('CVE-2024-34102'));
    assert.ok(attack.some((e) => e.id === 'T1190'), JSON.stringify(attack));
    const controls = groups.get('NIST SP 800-53 Rev. 5') ?? [];
    const ctid = controls.filter((e) => e.source?.startsWith('CTID Mappings Explorer'));
    assert.ok(ctid.length > 0, 'CTID controls for the observed techniques');
    assert.ok(ctid.every((e) => e.mappingType === 'mitigates' && /\(ATT&CK 16\.1 enterprise, SP 800-53 rev5\)$/.test(e.source ?? '')));
    assert.ok(ctid.some((e) => e.why.startsWith('mitigates T1190 Exploit Public-Facing Application')));
    if (fromCve) assert.match(fromCve.source ?? '', /KEV 07\/28\/2025/);
    const stepRows = controls.filter((e) => e.why.startsWith('checklist step'));
    assert.ok(stepRows.length > 0 && stepRows.every((e) => e.source === "Vigil's checklist (kb/steps)"));
    const csf11 = groups.get('NIST CSF 1.1 (NIST mapping from SP 800-53 Rev. 5)') ?? [];
    assert.ok(csf11.length > 0 && csf11.every((e) => /csf-pf-to-sp800-53r5-mappings/.test(e.source ?? '')));
    const hipaa = groups.get('HIPAA Security Rule') ?? [];
    assert.ok(hipaa.some((e) => /NIST SP 800-66 Rev\. 2/.test(e.source ?? '') && e.mappingType?.startsWith('SP 800-66r2 5.')), JSON.stringify(hipaa));
    const cis = groups.get('CIS Controls v8') ?? [];
    assert.ok(cis.some((e) => /CIS Controls v8 Mapping to NIST SP 800-53/.test(e.source ?? '')));

    const app = createApp({ store, taxiiTokens: [], auth: { anonymousRead: true } });
    const page = await (await app.request(`/items/${item.id}`)).text();
    const row = ctid[0];
    assert.ok(page.includes(`source: ${row.source?.replace(/&/g, '&amp;')}, mapping type mitigates`), 'the page shows the CTID row\'s source and type');
    assert.ok(page.includes('source: Vigil&#39;s checklist (kb/steps)') || page.includes("source: Vigil's checklist (kb/steps)"));
  });

  test('a revoked ATT&CK id in a report is shown as the technique that replaced it, never as current', async () => {
    const catalogs = await loadCatalogs(store);
    const text = 'Title: Loader runs scripts\nPublished: 2026-11-30\n\nThe loader launched PowerShell scripts on each host, which analysts mapped to MITRE ATT&CK technique T1086.';
    const { item } = await ingest(store, { bytes: bytes(text), origin: 'revoked.txt' }, testContext({ catalogs }));
    assert.ok(!item.attack.some((t) => t.id === 'T1086'));
    const row = item.attack.find((t) => t.id === 'T1059.001');
    assert.equal(row?.name, 'PowerShell');
    assert.equal(row?.basis, 'observed');
    assert.ok(row?.evidence.some((e) => e.rule === 'attack:revoked-by' && e.text === 'T1086 is revoked in ATT&CK 18.1; T1059.001 replaces it.'));
    assert.ok(!item.mappings.flatMap((g) => g.entries).some((e) => e.id === 'T1086'));
  });
});
