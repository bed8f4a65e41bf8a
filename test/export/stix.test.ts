// STIX 2.1 export and import: every exported object valid against the OASIS schemas, deterministic ids, no benign indicator, and a round trip back through the pipeline.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { domainToASCII } from 'node:url';
import { before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Item } from '../../src/domain/index.js';
import { canonicalJson, scoId } from '../../src/export/stix-core.js';
import { fullRegistryKey, observe, patternString, splitPath } from '../../src/export/stix-observables.js';
import { type StixBundle, type StixObject, itemToStix, itemsToStix } from '../../src/export/stix.js';
import { refang } from '../../src/extract/refang.js';
import { patternComparisons, patternValues, stixToDocument } from '../../src/ingest/stix-import.js';
import { ingest, ingestDocument } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import { EXAMPLES, SHARED, exampleFiles, testContext, useExampleItems } from '../helpers.js';

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, which carries the plugin as .default too.
const addFormats = addFormatsModule.default;
const STIX = path.join(SHARED, 'stix2-schemas');
const SCHEMA_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

/** Every OASIS schema file registered by its $id, so the relative $refs resolve without the network. */
function stixValidator() {
  // The schemas write `\-` in patterns, which a unicode-mode RegExp refuses.
  const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  // domain-name:value is format idn-hostname, which ajv-formats does not implement.
  ajv.addFormat('idn-hostname', (v: string) => v.length <= 253 && domainToASCII(v) !== '');
  const byType = new Map<string, string>();
  for (const dir of ['common', 'sdos', 'sros', 'observables']) {
    for (const f of fs.readdirSync(path.join(STIX, 'schemas', dir)).filter((x) => x.endsWith('.json'))) {
      const schema = JSON.parse(fs.readFileSync(path.join(STIX, 'schemas', dir, f), 'utf8'));
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', f);
      ajv.addSchema(schema);
      if (dir !== 'common' || f === 'marking-definition.json') byType.set(f.replace(/\.json$/, ''), schema.$id);
    }
  }
  const bundleSchema = ajv.getSchema(`${SCHEMA_BASE}common/bundle.json`)!;
  const bundleText = fs.readFileSync(path.join(STIX, 'schemas', 'common', 'bundle.json'), 'utf8');
  /** Every error, as "object id: path message"; an empty list is a valid bundle. */
  return (bundle: StixBundle): string[] => {
    const errors: string[] = [];
    for (const o of bundle.objects) {
      const id = byType.get(o.type);
      if (!id) { errors.push(`${o.id}: no OASIS schema for type ${o.type}`); continue; }
      const validate = ajv.getSchema(id)!;
      if (!validate(o)) for (const e of validate.errors ?? []) errors.push(`${o.id}: ${e.instancePath} ${e.message}`);
    }
    // The pinned bundle.json lists no note among its object types (a gap in the non-normative schemas; note is a
    // STIX 2.1 SDO), so notes are checked above against note.json and the envelope without them.
    assert.ok(!bundleText.includes('sdos/note.json'), 'bundle.json now lists note: stop leaving notes out of the envelope check');
    const envelope = { ...bundle, objects: bundle.objects.filter((o) => o.type !== 'note') };
    if (!bundleSchema(envelope)) for (const e of bundleSchema.errors ?? []) errors.push(`bundle: ${e.instancePath} ${e.message}`);
    return errors;
  };
}

/** What the schemas cannot check (their README says so): references that resolve, modified not before created, timestamps with milliseconds. */
function semanticErrors(bundle: StixBundle): string[] {
  const ids = new Set(bundle.objects.map((o) => o.id));
  const errors: string[] = [];
  if (ids.size !== bundle.objects.length) errors.push('duplicate ids');
  const walk = (o: StixObject, value: unknown, key: string) => {
    if (key === 'external_references') return;
    if (Array.isArray(value)) { for (const v of value) walk(o, v, key); return; }
    if (value && typeof value === 'object') { for (const [k, v] of Object.entries(value)) walk(o, v, k); return; }
    if (/_refs?$/.test(key) && !ids.has(String(value))) errors.push(`${o.id}: ${key} ${value} is not in the bundle`);
    if (/^(created|modified|published|valid_from)$/.test(key) && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(String(value))) errors.push(`${o.id}: ${key} ${value}`);
  };
  for (const o of bundle.objects) {
    walk(o, o, '');
    if (o.created && o.modified && o.modified < o.created) errors.push(`${o.id}: modified before created`);
  }
  return errors;
}

const { item, items } = useExampleItems();
let schemaErrors: (bundle: StixBundle) => string[];
before(() => {
  schemaErrors = stixValidator();
});
const ofType = (b: StixBundle, type: string) => b.objects.filter((o) => o.type === type);
const patterns = (b: StixBundle) => ofType(b, 'indicator').map((o) => String(o.pattern));

test('SCO ids are the STIX 2.1 deterministic ids (the OASIS python-stix2 test vectors)', () => {
  // cti-python-stix2 stix2/test/v21/test_deterministic_ids.py: test_id_gen_recursive_dict_conversion_1 and _2.
  const file = {
    name: 'example.exe',
    hashes: { 'SHA-256': '841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649' },
    extensions: { 'windows-pebinary-ext': { pe_type: 'exe', machine_hex: '014c', sections: [
      { name: '.data', size: 4096, entropy: 7.980693, hashes: { 'SHA-256': '6e3b6f3978e5cd96ba7abee35c24e867b7e64072e2ecb22d0ee7a6e6af6894d0' } },
    ] } },
  };
  assert.equal(scoId('file', file), 'file--ced31cd4-bdcb-537d-aefa-92d291bfc11d');
  assert.equal(scoId('windows-registry-key', { values: [{ name: 'Foo', data: 'qwerty' }, { name: 'Bar', data: '42' }] }),
    'windows-registry-key--36594eba-bcc7-5014-9835-0e154264e588');
  assert.equal(canonicalJson({ b: [1, 'x'], a: { d: true, c: null } }), '{"a":{"c":null,"d":true},"b":[1,"x"]}');
  // The same value is the same observable, whoever exports it and whatever else the object says.
  const [a] = observe({ type: 'ipv4', value: '192.0.2.9' }, ['m']).observables;
  assert.equal(a.id, scoId('ipv4-addr', { value: '192.0.2.9' }));
  assert.match(a.id, /^ipv4-addr--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('pattern strings escape quotes and backslashes, and the importer reads them back', () => {
  assert.equal(patternString("C:\\Users\\O'Neil\\a.exe"), "'C:\\\\Users\\\\O\\'Neil\\\\a.exe'");
  const cases: [string, string, string][] = [
    ['path', "C:\\Users\\O'Neil\\AppData\\evil.exe", "[file:name = 'evil.exe' AND file:parent_directory_ref.path = 'C:\\\\Users\\\\O\\'Neil\\\\AppData']"],
    ['path', 'C:\\x.exe', "[file:name = 'x.exe' AND file:parent_directory_ref.path = 'C:\\\\']"],
    ['registry', 'HKLM\\SOFTWARE\\Run\\Upd', "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Run\\\\Upd']"],
    ['sha256', 'AF8C6E1469EE51F4B4161D6387F301D55194E6C820707FFABF121B3F5DE43E23', "[file:hashes.'SHA-256' = 'af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23']"],
    ['md5', 'f418c284da42a5551c1cb77683cc5fa1', "[file:hashes.MD5 = 'f418c284da42a5551c1cb77683cc5fa1']"],
    ['cidr', '198.51.100.0/24', "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"],
    ['asn', 'AS64500', '[autonomous-system:number = 64500]'],
    ['url', "https://evil.test/a'b", "[url:value = 'https://evil.test/a\\'b']"],
  ];
  for (const [type, value, pattern] of cases) {
    assert.equal(observe({ type: type as Item['iocs'][number]['type'], value }, ['m']).pattern, pattern);
    const back = patternValues(pattern)[0];
    assert.equal(back.type, type);
    assert.equal(back.value, type === 'sha256' ? value.toLowerCase() : value);
  }
  assert.equal(fullRegistryKey('hkcu\\Software\\X'), 'HKEY_CURRENT_USER\\Software\\X');
  assert.deepEqual(splitPath('~/.aws/credentials'), { directory: '~/.aws', name: 'credentials' });
  assert.deepEqual(splitPath('/opt/'), { directory: '/opt/', name: null });
});

test('the pattern reader reads comparisons, never the insides of string literals', () => {
  const p = "([file:hashes.'SHA-256' = 'aa' OR file:hashes.MD5 = 'bb'] AND [domain-name:value = 'ipv4-addr:value = \\'6.6.6.6\\''])"
    + " FOLLOWEDBY [url:value LIKE '%evil%' AND email-message:from_ref.value = 'x@evil.test'] WITHIN 300 SECONDS";
  assert.deepEqual(patternComparisons(p).map((c) => [c.observation, c.object, c.path, c.op]), [
    [0, 'file', 'hashes.SHA-256', '='], [0, 'file', 'hashes.MD5', '='], [1, 'domain-name', 'value', '='],
    [2, 'url', 'value', 'LIKE'], [2, 'email-message', 'from_ref.value', '='],
  ]);
  assert.deepEqual(patternValues(p), [
    { type: 'sha256', value: 'aa' }, { type: 'md5', value: 'bb' }, { type: 'domain', value: "ipv4-addr:value = '6.6.6.6'" },
    { type: 'email', value: 'x@evil.test' },
  ]);
});

test('example 03: the CVE, T1190 targeting it, the refanged indicators and no benign one', () => {
  const it = item('03-vpn-zero-day-exploited.txt');
  const b = itemToStix(it);
  const [marking] = ofType(b, 'marking-definition');
  assert.equal(marking.id, 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487');
  assert.equal(marking.name, 'TLP:CLEAR');
  const vigil = b.objects.find((o) => o.type === 'identity' && o.name === 'Vigil')!;
  assert.equal(vigil.identity_class, 'system');
  // The producer is the same object in every export, whatever its marking; everything the item says is marked.
  for (const o of b.objects.filter((x) => x.type !== 'marking-definition' && x.id !== vigil.id)) {
    assert.deepEqual(o.object_marking_refs, [marking.id], o.id);
    if (o.created) assert.equal(o.created_by_ref, vigil.id, o.id);
  }

  const [report] = ofType(b, 'report');
  assert.equal(report.name, it.title);
  assert.equal(report.published, '2026-07-14T18:40:00.000Z');
  assert.equal(report.description, it.summary.join(' '));
  assert.deepEqual(report.labels, ['archetype:exploited-internet-facing-vulnerability', 'severity:critical', 'example']);
  assert.deepEqual(report.report_types, ['threat-report', 'vulnerability', 'indicator']);
  assert.ok((report.external_references as { url?: string }[]).some((r) => r.url === 'https://perimeter-brief.example/2026/07/14/ironvale-secureedge-cve-2026-21847-exploited'));
  assert.deepEqual(new Set(report.object_refs as string[]), new Set(b.objects.filter((o) => !['report', 'marking-definition'].includes(o.type)).map((o) => o.id)));

  const [vuln] = ofType(b, 'vulnerability');
  assert.equal(vuln.name, 'CVE-2026-21847');
  assert.deepEqual((vuln.external_references as object[])[0], { source_name: 'cve', external_id: 'CVE-2026-21847', url: 'https://www.cve.org/CVERecord?id=CVE-2026-21847' });
  const t1190 = ofType(b, 'attack-pattern').find((o) => o.name === 'Exploit Public-Facing Application')!;
  assert.deepEqual(t1190.external_references, [{ source_name: 'mitre-attack', external_id: 'T1190', url: 'https://attack.mitre.org/techniques/T1190/' }]);
  assert.deepEqual(t1190.kill_chain_phases, [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }]);
  assert.ok(ofType(b, 'relationship').some((r) => r.relationship_type === 'targets' && r.source_ref === t1190.id && r.target_ref === vuln.id));
  const consistent = ofType(b, 'note').find((n) => (n.labels as string[]).includes('attack-basis:consistent'))!;
  assert.match(String(consistent.content), /^T1133 External Remote Services \(low confidence\)/);

  // Every defanged value in the article comes back refanged in a pattern, unless the item calls it benign.
  const text = fs.readFileSync(path.join(EXAMPLES, '03-vpn-zero-day-exploited.txt'), 'utf8');
  const defanged = [...text.matchAll(/\S*(?:\[\.\]|hxxp)\S*/g)].map((m) => refang(m[0]));
  assert.deepEqual(defanged, ['203.0.113.61', 'https://cdn-edge-metrics.net/upd/sync']);
  assert.ok(it.iocs.find((i) => i.value === '203.0.113.61')?.benign);
  assert.ok(!patterns(b).some((p) => p.includes('203.0.113.61')));
  assert.ok(patterns(b).includes("[url:value = 'https://cdn-edge-metrics.net/upd/sync']"));
  assert.deepEqual(patterns(b).sort(), [
    "[file:hashes.'SHA-256' = 'af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23']",
    "[file:name = 'portal_auth.cgi.bak' AND file:parent_directory_ref.path = '/usr/local/seos/www/cgi-bin']",
    "[file:name = 'pyhelper.py' AND file:parent_directory_ref.path = '/var/tmp/.sess']",
    "[url:value = 'https://cdn-edge-metrics.net/upd/sync']",
  ]);
  const url = ofType(b, 'indicator').find((o) => String(o.pattern).startsWith('[url'))!;
  assert.deepEqual([url.confidence, url.pattern_type, url.valid_from, url.indicator_types], [85, 'stix', '2026-07-14T18:40:00.000Z', ['malicious-activity']]);
  const sco = b.objects.find((o) => o.type === 'url')!;
  assert.equal(sco.value, 'https://cdn-edge-metrics.net/upd/sync');
  assert.ok(ofType(b, 'relationship').some((r) => r.relationship_type === 'based-on' && r.source_ref === url.id && r.target_ref === sco.id));
});

test('no example exports an indicator or observable for an IOC the item marks benign, and each other IOC has one', () => {
  for (const [file, it] of items()) {
    const b = itemToStix(it);
    const observed = b.objects.filter((o) => typeof o.value === 'string').map((o) => o.value);
    for (const ioc of it.iocs.filter((i) => i.benign)) {
      assert.ok(!patterns(b).some((p) => p.includes(`'${ioc.value}'`)), `${file}: benign ${ioc.value} has no indicator`);
      assert.ok(!observed.includes(ioc.value), `${file}: benign ${ioc.value} has no observable`);
    }
    assert.equal(ofType(b, 'indicator').length, it.iocs.filter((i) => !i.benign).length, file);
  }
  const ransomware = itemToStix(item('02-ransomware-manufacturer.html'));
  assert.ok(patterns(ransomware).includes("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run\\\\WinSvcUpd']"));
  const [actor] = ofType(ransomware, 'threat-actor');
  assert.equal(actor.name, 'Ashwren');
  const victim = ofType(ransomware, 'identity').find((o) => o.name === 'Halvorsen Precision Components')!;
  assert.equal(victim.identity_class, 'organization');
  assert.ok(ofType(ransomware, 'relationship').some((r) => r.relationship_type === 'targets' && r.source_ref === actor.id && r.target_ref === victim.id));
  // The gang's ransomware is a malware family the gang uses, not a second actor.
  const family = ofType(ransomware, 'malware').find((o) => o.name === 'Ashwren')!;
  assert.equal(family.is_family, true);
  assert.ok(ofType(ransomware, 'relationship').some((r) => r.relationship_type === 'uses' && r.source_ref === actor.id && r.target_ref === family.id));
  assert.equal(ofType(ransomware, 'threat-actor').length, 1);
});

test('the same item always exports the same bundle, ids and all', async () => {
  const it = item('02-ransomware-manufacturer.html');
  const store = await openSqliteStore(':memory:');
  const file = path.join(EXAMPLES, '02-ransomware-manufacturer.html');
  const again = (await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext())).item;
  await store.close();
  assert.equal(JSON.stringify(itemToStix(again)), JSON.stringify(itemToStix(it)));
  assert.notEqual(itemToStix(it, { tlp: 'red' }).id, itemToStix(it).id);
});

test('every example bundle validates against the OASIS STIX 2.1 schemas', () => {
  for (const [file, it] of items()) {
    const b = itemToStix(it);
    assert.deepEqual(schemaErrors(b), [], file);
    assert.deepEqual(semanticErrors(b), [], file);
  }
});

test('every indicator type exports to a valid pattern and observable, and reads back', () => {
  const iocs: [Item['iocs'][number]['type'], string][] = [
    ['ipv4', '45.77.12.9'], ['ipv6', '2001:db8:4::1'], ['cidr', '45.77.12.0/24'], ['cidr', '2001:db8::/32'],
    ['domain', 'update-check.net'], ['url', 'https://update-check.net/a/b?c=1'], ['email', 'ops@update-check.net'],
    ['md5', 'f418c284da42a5551c1cb77683cc5fa1'], ['sha1', '40c5e69c508252021f6d9195d047ffe131fbfab5'],
    ['sha256', '13384b15bfe993c9916adfbc87463ed318d4d4b1807294de4c1b9c6dc764f94c'], ['sha512', 'ab'.repeat(64)],
    ['ssdeep', '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C'], ['file', 'invoice.exe'], ['path', 'C:\\Users\\Public\\evil.exe'],
    ['path', '/tmp/.x/'], ['registry', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\upd'], ['asn', 'AS64500'],
    ['mac', '00:1a:2b:3c:4d:5e'], ['btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'],
  ];
  const base = item('03-vpn-zero-day-exploited.txt');
  const synthetic: Item = { ...base, iocs: iocs.map(([type, value]) => ({ ...base.iocs[3], type, value, benign: false, benignReason: null })) };
  const b = itemToStix(synthetic);
  assert.deepEqual(schemaErrors(b), []);
  assert.deepEqual(semanticErrors(b), []);
  const back = patterns(b).flatMap(patternValues).map((v) => `${v.type}:${v.value}`);
  assert.deepEqual(back, iocs.map(([type, value]) => `${type === 'btc' ? 'wallet' : type}:${value}`));
  // A Unicode URL is no RFC 3986 URI: it is exported punycoded and percent-encoded.
  assert.equal(observe({ type: 'url', value: 'https://exämple.net/päth' }, ['m']).pattern, "[url:value = 'https://xn--exmple-cua.net/p%C3%A4th']");
});

test('the validator is not vacuous: broken objects fail', () => {
  const b = itemToStix(item('02-ransomware-manufacturer.html'));
  const broken = structuredClone(b);
  const indicator = broken.objects.find((o) => o.type === 'indicator')!;
  indicator.created = '2026-12-01T12:00:00Z';
  broken.objects.find((o) => o.type === 'windows-registry-key')!.key = 'HKLM\\SOFTWARE\\X';
  delete broken.objects.find((o) => o.type === 'note')!.content;
  broken.objects.find((o) => o.type === 'relationship')!.target_ref = 'attack-pattern--00000000-0000-4000-8000-000000000000';
  const errors = schemaErrors(broken);
  assert.ok(errors.some((e) => e.startsWith(`${indicator.id}: /created`)), errors.join('\n'));
  assert.ok(errors.some((e) => /^windows-registry-key--.*\/key must NOT be valid/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /^note--.* must have required property 'content'/.test(e)), errors.join('\n'));
  assert.ok(semanticErrors(broken).some((e) => /target_ref attack-pattern--00000000/.test(e)));
});

test('a multi-item bundle shares its reference objects and validates', () => {
  const all = [...items().values()];
  const b = itemsToStix(all);
  assert.deepEqual(schemaErrors(b), []);
  assert.deepEqual(semanticErrors(b), []);
  assert.equal(ofType(b, 'report').length, all.length);
  // T1190 is cited by examples 03 and 06: one object for both reports.
  const t1190 = ofType(b, 'attack-pattern').filter((o) => (o.external_references as { external_id: string }[])[0].external_id === 'T1190');
  assert.equal(t1190.length, 1);
  assert.equal(ofType(b, 'report').filter((r) => (r.object_refs as string[]).includes(t1190[0].id)).length, 2);
  assert.equal(ofType(b, 'identity').filter((o) => o.name === 'Vigil').length, 1);
  assert.equal(ofType(b, 'indicator').length, all.reduce((n, i) => n + i.iocs.filter((x) => !x.benign).length, 0));
  assert.equal(itemsToStix([...all].reverse()).id, b.id, 'the bundle id does not depend on the order of the list');
});

test('an item with no IOCs, and other TLP levels and producers, validate too', () => {
  const quiet = { ...item('03-vpn-zero-day-exploited.txt'), iocs: [] };
  const b = itemToStix(quiet);
  assert.deepEqual(schemaErrors(b), []);
  assert.deepEqual(semanticErrors(b), []);
  assert.deepEqual([ofType(b, 'indicator').length, ofType(b, 'url').length], [0, 0]);
  assert.ok(!(ofType(b, 'report')[0].report_types as string[]).includes('indicator'));
  const informational = itemToStix(item('07-product-launch-informational.txt'));
  assert.deepEqual(schemaErrors(informational), []);
  assert.equal(ofType(informational, 'report')[0].report_types, undefined, 'a product launch is no threat report');

  const team = itemToStix(item('04-aitm-phishing-bec.md'), { tlp: 'amber+strict', identityName: 'Riverside Family Clinic' });
  assert.deepEqual(schemaErrors(team), []);
  const [marking] = ofType(team, 'marking-definition');
  assert.deepEqual([marking.id, marking.name], ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'TLP:AMBER+STRICT']);
  const author = ofType(team, 'identity').find((o) => o.name === 'Riverside Family Clinic')!;
  assert.equal(author.identity_class, 'organization');
  assert.ok(ofType(team, 'report').every((r) => r.created_by_ref === author.id));
});

test('round trip: an exported item, imported and run through the pipeline, has the same indicators, CVEs and observed techniques', async () => {
  for (const [file, it] of items()) {
    const doc = stixToDocument(JSON.stringify(itemToStix(it)));
    assert.equal(doc.title, it.title, file);
    assert.equal(doc.example, true);
    assert.equal(doc.outlet, 'Vigil');
    const store = await openSqliteStore(':memory:');
    const back = (await ingestDocument(store, doc, testContext())).item;
    await store.close();
    const active = (i: Item) => new Set(i.iocs.filter((x) => !x.benign).map((x) => `${x.type}:${x.value}`));
    assert.deepEqual(active(back), active(it), file);
    assert.deepEqual(back.facts.cves.map((c) => c.id), it.facts.cves.map((c) => c.id), file);
    assert.equal(back.archetype.id, it.archetype.id, file);
    // Observed techniques come back observed; playbook ones are not written as ids, so they stay expectations.
    const observed = (i: Item) => i.attack.filter((r) => r.basis === 'observed').map((r) => r.id);
    for (const t of observed(it)) assert.ok(observed(back).includes(t), `${file}: ${t} observed again`);
    for (const t of it.attack.filter((r) => r.basis === 'consistent')) assert.ok(!back.facts.attackIds.some((a) => a.id === t.id), `${file}: ${t.id} stays an expectation`);
  }
  const doc = stixToDocument(JSON.stringify(itemToStix(item('02-ransomware-manufacturer.html'))));
  assert.match(doc.text, /^- registry: HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\WinSvcUpd$/m);
  assert.match(doc.text, /^- path: C:\\ProgramData\\WinSvcUpd\\svcupd\.exe$/m);
  assert.match(doc.text, /^- ATT&CK technique: T1486 Data Encrypted for Impact$/m);
  assert.equal(doc.published, '2026-05-19T09:30:00.000Z');
});

test('importing a bundle from another producer: the OASIS examples', () => {
  const c2 = stixToDocument(fs.readFileSync(path.join(STIX, 'examples', 'indicator-for-c2-ip-address.json'), 'utf8'));
  assert.equal(c2.title, 'STIX bundle bundle--44af6c39-c09b-49c5-9de2-394224b04982');
  assert.match(c2.text, /^- ipv4: 10\.0\.0\.0$/m);
  const apt1 = stixToDocument(fs.readFileSync(path.join(STIX, 'examples', 'threat-reports', 'apt1.json'), 'utf8'), { origin: 'apt1.json' });
  assert.equal(apt1.origin, 'apt1.json');
  assert.equal(apt1.example, false);
  assert.match(apt1.title, /APT1/);
  assert.match(apt1.text, /^- Intrusion set: APT1$/m);
  assert.match(apt1.text, /^- cidr: 223\.166\.0\.0\/15$/m);
  assert.match(apt1.text, /^Other values[^\n]*\n- x509-certificate:issuer: CN=WEBMAIL$/m);
});

test('what is not a STIX 2.1 bundle is refused with a reason', () => {
  const bundle = (over: object) => JSON.stringify({ type: 'bundle', id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982', objects: [], ...over });
  const cases: [string, RegExp][] = [
    ['not json {', /not a STIX 2\.1 bundle: not JSON/],
    ['[1, 2]', /not a STIX 2\.1 bundle: not a JSON object/],
    [JSON.stringify({ type: 'indicator', id: 'indicator--33fe3b22-0201-47cf-85d0-97c02164528d' }), /its type is "indicator", not "bundle"/],
    [bundle({ id: 'bundle-1' }), /is not a bundle id/],
    [bundle({ spec_version: '2.0' }), /spec_version "2\.0" on the bundle, as STIX 2\.0 did/],
    [bundle({ objects: undefined }), /no "objects" array/],
    [bundle({ objects: [{ type: 'indicator', id: 'indicator--33fe3b22-0201-47cf-85d0-97c02164528d', spec_version: '2.0' }] }), /is STIX "2\.0"/],
    [bundle({ objects: [{ type: 'ipv4-addr', id: 'ipv4-addr--33fe3b22-0201-47cf-85d0-97c02164528d', value: '1.2.3.4' }] }), /no object declares spec_version "2\.1"/],
    ['  ', /is empty/],
    [bundle({}), /holds no report, indicator/],
  ];
  for (const [text, why] of cases) assert.throws(() => stixToDocument(text), why, text.slice(0, 60));
});
