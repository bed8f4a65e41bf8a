/** `vigil kb import` from the raw publications in shared/data: ATT&CK STIX bundles, CWE XML, CSF OSCAL, NIST CSVs, CTID files, KEV; versions kept; cross-walk lookups. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Catalogs } from '../../src/knowledge/catalogs.js';
import { importCatalogs, type ImportReport } from '../../src/knowledge/import-catalogs.js';
import { loadCatalogs } from '../../src/knowledge/store-catalogs.js';
import { openStore, openSqliteStore, type Store } from '../../src/store/index.js';
import { SHARED } from '../helpers.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const NOW = '2026-12-01T12:00:00.000Z';
let store: Store;
let reports: ImportReport[];
let catalogs: Catalogs;

before(async () => {
  store = await openSqliteStore(':memory:');
  reports = await importCatalogs(store, SHARED, NOW);
  catalogs = await loadCatalogs(store);
});
after(async () => store?.close());

const report = (name: string) => {
  const r = reports.find((x) => x.name === name);
  assert.ok(r, `${name} was imported`);
  return r;
};

describe('import from the raw publications', () => {
  test('every catalog is read from its raw publication, none from a derived index', () => {
    assert.deepEqual(reports.filter((r) => r.error), []);
    assert.deepEqual(report('attack').files.map((f) => [f.path, f.raw]), [
      ['attack/enterprise-attack-18.1.json', true], ['attack/mobile-attack-18.1.json', true], ['attack/ics-attack-18.1.json', true],
    ]);
    assert.deepEqual(report('cwe').files.map((f) => f.path), ['cwe/cwec_v4.15.xml.gz']);
    assert.deepEqual(report('nist-800-53').files.map((f) => f.path), ['nist-800-53/sp800-53r5-control-catalog.csv']);
    assert.deepEqual(report('nist-csf').files.map((f) => f.path), ['nist-csf/NIST_CSF_v2.0_catalog.xml']);
    assert.deepEqual(report('csf-800-53').files.map((f) => f.path), ['nist-csf/csf-1.1-to-sp800-53r5-mappings.csv']);
    assert.equal(report('ctid-kev').files.length, 4);
    assert.ok(reports.every((r) => r.files.every((f) => f.raw)));
    assert.equal(report('attack').version, '18.1');
    assert.equal(report('cwe').version, '4.15');
    assert.equal(report('kev').version, '2025.08.25');
  });

  test('techniques of the three domains, with sub-technique parent, url, mitigations and ATT&CK 18 detection guidance', () => {
    const ps = catalogs.technique('T1059.001');
    assert.equal(ps?.name, 'PowerShell');
    assert.equal(ps?.domain, 'enterprise');
    assert.equal(ps?.parent, 'T1059');
    assert.equal(ps?.url, 'https://attack.mitre.org/techniques/T1059/001');
    assert.deepEqual(ps?.tactics, ['execution']);
    assert.ok(ps?.mitigations?.includes('M1042'));
    assert.equal(catalogs.mitigation('M1042')?.name, 'Disable or Remove Feature or Program');
    assert.deepEqual(ps?.detection?.strategies, [{ id: 'DET0455', name: 'Abuse of PowerShell for Arbitrary Execution' }]);
    assert.ok(ps?.detection?.dataComponents.some((d) => d.id === 'DC0032' && d.name === 'Process Creation'));
    assert.ok(ps?.detection?.logSources.some((l) => l.name === 'WinEventLog:Sysmon' && l.channel === 'EventCode=1'));
    assert.equal(catalogs.technique('T1404')?.domain, 'mobile');
    assert.equal(catalogs.technique('T0800')?.domain, 'ics');
    assert.equal(catalogs.tacticName('inhibit-response-function'), 'Inhibit Response Function');
    assert.equal(catalogs.tacticName('initial-access'), 'Initial Access');
  });

  test('a revoked technique names what replaces it, followed to the end of the chain', () => {
    const old = catalogs.technique('T1086');
    assert.equal(old?.revoked, true);
    assert.equal(old?.revokedBy, 'T1059.001');
    assert.equal(catalogs.technique(old?.revokedBy ?? '')?.revoked, false);
  });

  test('the same techniques and flags as the derived ATT&CK index, and the same actors', () => {
    const index = JSON.parse(fs.readFileSync(path.join(SHARED, 'attack/attack-index-18.1.json'), 'utf8')).domains;
    for (const d of ['enterprise', 'mobile', 'ics']) {
      for (const [id, t] of Object.entries<any>(index[d].techniques)) {
        const got = catalogs.technique(id);
        assert.deepEqual([got?.name, got?.tactics, got?.revoked, got?.deprecated], [t.name, t.tactics, !!t.revoked, !!t.deprecated], id);
      }
    }
    const e = index.enterprise;
    const expected = [...Object.entries<any>(e.groups), ...Object.entries<any>(e.software)].filter(([, a]) => !a.revoked && !a.deprecated).map(([id]) => id).sort();
    assert.deepEqual(catalogs.actors().map((a) => a.id).sort(), expected);
  });

  test('names for the other ATT&CK ids (tactics, campaigns, data components, mitigations) and the KEV product gazetteer, for extraction', () => {
    assert.equal(catalogs.attackName?.('TA0001'), 'Initial Access');
    assert.equal(catalogs.attackName?.('M1036'), catalogs.mitigation('M1036')?.name);
    assert.ok(catalogs.attackName?.('C0024'), 'campaigns are named');
    assert.equal(catalogs.attackName?.('TA9999'), null);
    const products = catalogs.products?.() ?? [];
    assert.ok(products.length > 500, `${products.length} KEV products`);
    const exchange = products.find((p) => p.vendor === 'Microsoft' && p.product === 'Exchange Server');
    assert.ok(exchange && exchange.cves >= 10, JSON.stringify(exchange));
  });

  test('CWE from the XML, with OWASP Top 10 2021 from view 1344', () => {
    assert.deepEqual(catalogs.cwe('CWE-79')?.owasp, ['A03:2021']);
    assert.equal(catalogs.cwe('CWE-89')?.name, "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')");
    assert.deepEqual(catalogs.cwe('CWE-22')?.owasp, ['A01:2021']);
  });

  test('SP 800-53 from NIST\'s CSV, withdrawn controls left out; CSF 2.0 from the OSCAL catalog with 1.1 ids inactive', () => {
    assert.equal(catalogs.control('AC-2(3)')?.title, 'Disable Accounts');
    assert.equal(catalogs.control('AC-13'), null, 'AC-13 is withdrawn');
    assert.deepEqual(catalogs.csf('GV.OC-01'), { title: 'The organizational mission is understood and informs cybersecurity risk management', active: true });
    assert.equal(catalogs.csf('ID.AM-06')?.active, false);
    assert.equal(catalogs.csf('GV.OC')?.title, 'Organizational Context');
  });

  test('ATT&CK to SP 800-53 (CTID): zero-padded ids normalised, mapping type and provenance, revoked ids followed', () => {
    const rows = catalogs.controlsForTechnique('T1190');
    const ca7 = rows.find((r) => r.id === 'CA-7');
    assert.ok(ca7, 'T1190 is mitigated by CA-7');
    assert.equal(ca7.title, 'Continuous Monitoring');
    assert.equal(ca7.mappingType, 'mitigates');
    assert.match(ca7.source.publication, /CTID Mappings Explorer, SP 800-53 Rev\. 5 to ATT&CK 16\.1 Enterprise/);
    assert.ok(rows.every((r) => /^[A-Z]{2}-[1-9]\d*(\([1-9]\d*\))?$/.test(r.id)), 'no zero-padded control id');
    // Every CTID technique that ATT&CK 18.1 revoked reaches its replacement, never stays current.
    const ctid = JSON.parse(fs.readFileSync(path.join(SHARED, 'ctid-mappings/nist_800_53-rev5_attack-16.1-enterprise.json'), 'utf8'));
    const revoked = [...new Set<string>(ctid.mapping_objects.filter((m: any) => m.status !== 'non_mappable').map((m: any) => m.attack_object_id))].filter((id) => catalogs.technique(id)?.revoked);
    for (const id of revoked) {
      const to = catalogs.technique(id)?.revokedBy as string;
      assert.ok(catalogs.controlsForTechnique(to).some((r) => r.note?.includes(id)), `${id}'s controls reach ${to}`);
    }
  });

  test('CVE to ATT&CK (CTID KEV mappings): newest release, mapping type, never a revoked id', () => {
    const rows = catalogs.techniquesForCve('CVE-2024-34102');
    const t1190 = rows.find((r) => r.id === 'T1190');
    assert.equal(t1190?.mappingType, 'exploitation_technique');
    assert.equal(t1190?.title, 'Exploit Public-Facing Application');
    assert.match(t1190?.source.publication ?? '', /KEV 07\/28\/2025 to ATT&CK 16\.1 Enterprise/);
    const kev = JSON.parse(fs.readFileSync(path.join(SHARED, 'ctid-mappings/kev-attack-index.json'), 'utf8'));
    for (const cve of Object.keys(kev.cves ?? kev)) for (const r of catalogs.techniquesForCve(cve)) assert.notEqual(catalogs.technique(r.id)?.revoked, true, `${cve} -> ${r.id}`);
  });

  test('SP 800-53 to CSF (NIST mapping), an enhancement through its base control', () => {
    const rows = catalogs.csfForControl('AC-2');
    assert.deepEqual(rows.map((r) => r.id), ['PR.AC-4', 'DE.CM-3']);
    assert.equal(rows[0].title, 'Access permissions and authorizations are managed, incorporating the principles of least privilege and separation of duties');
    assert.match(rows[0].source.publication, /NIST CSF 1\.1 to SP 800-53 Rev\. 5/);
    const enh = catalogs.csfForControl('AC-2(3)');
    assert.deepEqual(enh.map((r) => r.id), rows.map((r) => r.id));
    assert.match(enh[0].note ?? '', /mapped to AC-2/);
  });

  test('each import is recorded with its files, sha256, size and origin; a re-import adds a version', async () => {
    const kev = (await store.catalogHistory('kev'))[0];
    const file = path.join(SHARED, 'kev/known_exploited_vulnerabilities.json');
    const bytes = fs.readFileSync(file);
    assert.deepEqual(kev.files, [{ path: 'kev/known_exploited_vulnerabilities.json', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, raw: true, origin: file }]);
    assert.equal(kev.version, '2025.08.25');
    assert.equal(kev.importedAt, NOW);
    const again = await importCatalogs(store, SHARED, '2026-12-02T00:00:00.000Z', { only: ['kev'] });
    assert.deepEqual(again.map((r) => r.name), ['kev']);
    const history = await store.catalogHistory('kev');
    assert.deepEqual(history.map((h) => h.importedAt), ['2026-12-02T00:00:00.000Z', NOW]);
  });

  test('a corrupt catalog is reported by name and keeps the previous version; the others still import', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-import-'));
    try {
      fs.mkdirSync(path.join(dir, 'kev'));
      fs.mkdirSync(path.join(dir, 'cwe'));
      fs.writeFileSync(path.join(dir, 'kev/known_exploited_vulnerabilities.json'), '{"catalogVersion": "2099.01.01", "vulnerabilities": [');
      fs.copyFileSync(path.join(SHARED, 'cwe/cwe-index.json'), path.join(dir, 'cwe/cwe-index.json'));
      const r = await importCatalogs(store, dir, NOW);
      const kev = r.find((x) => x.name === 'kev');
      assert.match(kev?.error ?? '', /^kev\/known_exploited_vulnerabilities\.json: cannot be imported: /);
      assert.equal((await store.catalogVersions()).kev, '2025.08.25');
      const cwe = r.find((x) => x.name === 'cwe');
      assert.equal(cwe?.error, undefined);
      assert.deepEqual(cwe?.files.map((f) => f.raw), [false], 'the derived index is used when no raw XML is present, and says so');
      await assert.rejects(importCatalogs(store, dir, NOW, { only: ['nope'] }), /no catalog named nope/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const engines = storeEngines();
for (const [engine, location] of Object.entries(engines)) {
  describe(`catalog versions on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here' : false }, () => {
    let s: Store;
    before(async () => {
      s = await openStore(await location());
    });
    after(async () => s?.close());
    test('versions are kept newest first; a lazy catalog is read on demand only', async () => {
      const file = { path: 'tram/single_label.json', sha256: 'a'.repeat(64), size: 10, raw: true, origin: 'https://example.org/x.json' };
      await s.recordCatalogVersion({ name: 'tram', version: 'sha256:1', importedAt: '2026-01-01T00:00:00Z', entries: 3, files: [file] });
      await s.recordCatalogVersion({ name: 'tram', version: 'sha256:2', importedAt: '2026-02-01T00:00:00Z', entries: 4, files: [file] });
      await s.saveCatalog('tram', 'sha256:2', { sentences: [] }, '2026-02-01T00:00:00Z');
      await s.saveCatalog('kev', '2025.08.25', { cves: [] }, '2026-02-01T00:00:00Z');
      assert.deepEqual((await s.catalogHistory('tram')).map((h) => [h.version, h.entries, h.files[0].origin]), [['sha256:2', 4, file.origin], ['sha256:1', 3, file.origin]]);
      assert.deepEqual((await s.loadCatalogs(['tram'])).map((r) => r.name), ['kev']);
      assert.deepEqual((await s.loadCatalog('tram'))?.data, { sentences: [] });
      assert.equal(await s.loadCatalog('missing'), null);
    });
  });
}
