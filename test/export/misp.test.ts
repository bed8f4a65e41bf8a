// MISP export and import: every example item as an event MISP's own schemas, type matrix, taxonomies and ATT&CK galaxy accept; the event read back to the same indicators.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { v5 as uuidv5 } from 'uuid';
import type { Item } from '../../src/domain/index.js';
import { IOC_TYPES } from '../../src/domain/index.js';
import { MISP_ATTRIBUTES, type MispEvent, VIGIL_MISP_NAMESPACE, itemToMisp, mispKindOf } from '../../src/export/misp.js';
import { mispToDocument } from '../../src/ingest/misp-import.js';
import { ingest, ingestDocument } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import { EXAMPLES, SHARED, exampleFiles, testContext, useExampleItems } from '../helpers.js';

const MISP = path.join(SHARED, 'misp-format');
const json = (p: string) => JSON.parse(fs.readFileSync(path.join(MISP, p), 'utf8'));
const describe = json('schema/describeTypes.json').result as {
  types: string[];
  category_type_mappings: Record<string, string[]>;
  sane_defaults: Record<string, { default_category: string; to_ids: number }>;
};
const galaxyValues = new Set((json('galaxy/clusters/mitre-attack-pattern.json').values as { value: string }[]).map((v) => v.value));

/** Every machine tag of a taxonomy file: namespace:predicate, or namespace:predicate="value" when it has values. */
function taxonomyTags(ns: string): Set<string> {
  const t = json(`taxonomies/${ns}/machinetag.json`) as { namespace: string; predicates: { value: string }[]; values?: { predicate: string; entry: { value: string }[] }[] };
  const out = new Set<string>();
  for (const p of t.predicates) {
    const values = t.values?.find((v) => v.predicate === p.value);
    if (!values) out.add(`${t.namespace}:${p.value}`);
    for (const e of values?.entry ?? []) out.add(`${t.namespace}:${p.value}="${e.value}"`);
  }
  return out;
}

// A CommonJS module: under NodeNext its class is the default export's `default` (the same object, by ajv's own export).
const Draft04 = Ajv.default;

function validator(file: string) {
  // draft-04 with "id": what ajv-draft-04 is for; MISP's schemas declare no formats.
  const ajv = new Draft04({ allErrors: true, strict: false });
  return ajv.compile(json(file));
}
const strict = validator('schema/schema.json');
const lax = validator('schema/schema-lax.json');

const { item, items } = useExampleItems();
const toIds = (e: MispEvent) => e.Event.Attribute.filter((a) => a.to_ids).map((a) => `${a.type}:${a.value}`).sort();

test('the mapping table names MISP types in categories MISP allows, with MISP\'s own IDS default', () => {
  assert.deepEqual(Object.keys(MISP_ATTRIBUTES).sort(), [...IOC_TYPES].sort(), 'every Vigil IOC type is mapped');
  for (const kind of [...Object.values(MISP_ATTRIBUTES), mispKindOf({ type: 'domain', value: 'cdn.evil-relay.net' })]) {
    assert.ok(describe.types.includes(kind.type), `${kind.type} is a MISP type`);
    assert.ok(describe.category_type_mappings[kind.category]?.includes(kind.type), `${kind.type} is allowed in ${kind.category}`);
    assert.equal(kind.ids, describe.sane_defaults[kind.type].to_ids === 1, `IDS default of ${kind.type}`);
  }
  assert.equal(mispKindOf({ type: 'domain', value: 'cdn.evil-relay.net' }).type, 'hostname');
  assert.equal(mispKindOf({ type: 'domain', value: 'evil-relay.co.uk' }).type, 'domain');
});

test('the schemas are live: they refuse what MISP would refuse', () => {
  assert.equal(lax({ event: {} }), false, 'no Event');
  assert.equal(lax({ Event: { info: 'x', Attribute: [{ type: 'md5', value: 'a', to_ids: 'yes' }] } }), false, 'to_ids not a boolean');
  assert.equal(strict({ Event: { info: 'x', Object: [] } }), false, 'the strict schema has no Object');
  assert.equal(strict({ Event: { info: 'x', Orgc: { name: 'CIRCL' } } }), false, 'the strict schema wants an organisation UUID');
  assert.equal(lax({ Event: { info: 'x', Orgc: { name: 'CIRCL' } } }), true);
});

for (const f of ['01-saas-vendor-breach.txt', '02-ransomware-manufacturer.html', '03-vpn-zero-day-exploited.txt', '04-aitm-phishing-bec.md',
  '05-npm-supply-chain.txt', '06-low-xss-advisory.txt', '07-product-launch-informational.txt']) {
  test(`the MISP event of ${f} passes MISP's schemas, type matrix, taxonomies and galaxy`, () => {
    const i = item(f);
    const orgUuid = '55f6ea5e-2c60-40e5-964f-47a8950d210f';
    const event = itemToMisp(i, { tlp: 'green', orgName: 'Example CSIRT', orgUuid });
    // The events hold no MISP objects, so the strict schema (no unknown keys anywhere) applies as well as the lax one.
    for (const [name, validate, e] of [['strict', strict, event], ['lax', lax, event], ['lax, creator by name', lax, itemToMisp(i, { orgName: 'Example CSIRT' })]] as const) {
      assert.equal(validate(e), true, `${name} schema: ${JSON.stringify(validate.errors)}`);
      assert.equal(validate.errors, null, name);
    }
    const e = event.Event;
    for (const a of e.Attribute) {
      assert.ok(describe.types.includes(a.type), `${a.type} is a MISP type`);
      assert.ok(describe.category_type_mappings[a.category].includes(a.type), `${a.type} in ${a.category}`);
      assert.match(a.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(a.distribution, '5');
    }
    assert.equal(new Set(e.Attribute.map((a) => a.uuid)).size, e.Attribute.length, 'attribute UUIDs are unique');
    const tlp = taxonomyTags('tlp');
    const misp = taxonomyTags('misp');
    for (const t of e.Tag) {
      if (t.name.startsWith('misp-galaxy:mitre-attack-pattern=')) {
        const value = /^misp-galaxy:mitre-attack-pattern="(.*)"$/.exec(t.name)?.[1] ?? '';
        assert.ok(galaxyValues.has(value), `${value} is a cluster of the ATT&CK galaxy`);
      } else assert.ok(tlp.has(t.name) || misp.has(t.name), `${t.name} is a taxonomy tag`);
    }
    assert.deepEqual(e.Tag.filter((t) => t.name.startsWith('tlp:')).map((t) => t.name), ['tlp:green']);
    assert.equal(e.distribution, '1', 'TLP:GREEN: this community only');
    assert.deepEqual(e.Orgc, { name: 'Example CSIRT', uuid: orgUuid });
    assert.equal(e.uuid, uuidv5(i.id, VIGIL_MISP_NAMESPACE));
    assert.equal(e.published, false);
    assert.equal(e.info, `${i.title} (Vigil example: fictional)`);
    // Benign references never reach MISP as indicators, not even with to_ids off (an outlet's URL is its source link).
    const values = new Set(e.Attribute.filter((a) => a.type !== 'link').map((a) => a.value));
    for (const ioc of i.iocs.filter((x) => x.benign)) assert.ok(!values.has(ioc.value), `benign ${ioc.value} left out`);
    assert.deepEqual(toIds(event), i.iocs.filter((x) => !x.benign).map((x) => `${mispKindOf(x).type}:${x.value}`).sort());
    for (const s of i.sources) assert.ok(e.Attribute.some((a) => a.type === 'link' && a.value === s.url && !a.to_ids && a.category === 'External analysis'));
  });
}

test('example 03: the CVE, T1190, the TLP tag and the indicator types', () => {
  const e = itemToMisp(item('03-vpn-zero-day-exploited.txt'), { tlp: 'amber' }).Event;
  assert.equal(e.threat_level_id, '1', 'CRITICAL is MISP high');
  assert.equal(e.date, '2026-07-14');
  assert.equal(e.analysis, '0');
  assert.equal(e.distribution, '0', 'TLP:AMBER stays in the organisation');
  assert.equal(e.Orgc, undefined);
  assert.ok(e.info.startsWith('Ironvale patches SecureEdge VPN zero-day'));
  const vuln = e.Attribute.filter((a) => a.type === 'vulnerability');
  assert.deepEqual(vuln.map((a) => [a.value, a.category, a.to_ids]), [['CVE-2026-21847', 'External analysis', false]]);
  assert.match(vuln[0].comment, /KEV/);
  const tags = e.Tag.map((t) => t.name);
  assert.ok(tags.includes('misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"'));
  assert.ok(tags.includes('misp-galaxy:mitre-attack-pattern="Web Shell - T1505.003"'));
  assert.ok(tags.includes('tlp:amber'));
  assert.ok(tags.includes('misp:automation-level="unsupervised"'));
  // T1133 is only what the playbook expects of this incident type: not a fact to tag.
  assert.ok(!tags.some((t) => t.includes('T1133')));
  const byValue = new Map(e.Attribute.map((a) => [a.value, a]));
  assert.deepEqual(
    ['https://cdn-edge-metrics.net/upd/sync', '/var/tmp/.sess/pyhelper.py', 'af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23']
      .map((v) => [byValue.get(v)?.type, byValue.get(v)?.category, byValue.get(v)?.to_ids]),
    [['url', 'Network activity', true], ['filename', 'Artifacts dropped', true], ['sha256', 'Payload delivery', true]],
  );
  assert.match(byValue.get('https://cdn-edge-metrics.net/upd/sync')?.comment ?? '', /^Vigil: high confidence \(defanged by the author/);
  for (const reserved of ['198.51.100.23', '198.51.100.24', '203.0.113.61']) assert.ok(!byValue.has(reserved), `${reserved} (documentation range) left out`);
  const link = byValue.get('https://perimeter-brief.example/2026/07/14/ironvale-secureedge-cve-2026-21847-exploited');
  assert.deepEqual([link?.type, link?.category, link?.to_ids], ['link', 'External analysis', false]);
});

test('threat levels follow severity, TLP:CLEAR is the default, and the export is deterministic', () => {
  const level = (f: string) => itemToMisp(item(f)).Event.threat_level_id;
  assert.deepEqual(['04-aitm-phishing-bec.md', '06-low-xss-advisory.txt', '07-product-launch-informational.txt'].map(level), ['1', '3', '4']);
  const e = itemToMisp(item('04-aitm-phishing-bec.md'));
  assert.deepEqual([e.Event.Tag[0].name, e.Event.distribution], ['tlp:clear', '3']);
  assert.deepEqual(itemToMisp(item('04-aitm-phishing-bec.md')), e);
  assert.deepEqual(['amber+strict', 'red'].map((t) => itemToMisp(item('04-aitm-phishing-bec.md'), { tlp: t as 'red' }).Event.distribution), ['0', '0']);
  const emails = e.Event.Attribute.filter((a) => a.type === 'email-src').map((a) => a.value).sort();
  assert.deepEqual(emails, ['closing@brackenridgetitle-escrow.com', 'notifications@secure-docs-portal.com']);
  // Named neither by the kb nor a catalog: kept as text, not as galaxy tags that match no cluster.
  const text = e.Event.Attribute.find((a) => a.type === 'text');
  assert.equal(text?.value, 'ATT&CK techniques observed in the reporting: T1114.002, T1550.004, T1583.001');
});

test('to_ids: only actionable indicators of types MISP makes signatures of', () => {
  const base = item('05-npm-supply-chain.txt');
  const ioc = { context: 'seen', rule: 'r', benign: false, benignReason: null } as const;
  const synthetic: Item = {
    ...base,
    iocs: [
      { ...ioc, type: 'asn', value: 'AS64500', display: 'AS64500', confidence: 'high' },
      { ...ioc, type: 'mac', value: '00:1a:2b:3c:4d:5e', display: '00:1a:2b:3c:4d:5e', confidence: 'high' },
      { ...ioc, type: 'ipv4', value: '45.9.148.3', display: '45[.]9[.]148[.]3', confidence: 'low' },
      { ...ioc, type: 'ipv4', value: '45.9.148.4', display: '45[.]9[.]148[.]4', confidence: 'medium' },
      { ...ioc, type: 'domain', value: 'victim-corp.com', display: 'victim-corp[.]com', confidence: 'low', benign: true, benignReason: 'the victim' },
    ],
  };
  const attrs = itemToMisp(synthetic).Event.Attribute.filter((a) => !['link', 'vulnerability', 'text'].includes(a.type));
  assert.deepEqual(attrs.map((a) => [a.type, a.value, a.to_ids]), [
    ['AS', '64500', false], ['mac-address', '00:1a:2b:3c:4d:5e', false], ['ip-dst', '45.9.148.3', false], ['ip-dst', '45.9.148.4', true],
  ]);
  assert.match(attrs[0].comment, /MISP makes no IDS signature of this type/);
  assert.match(attrs[2].comment, /^Vigil: low confidence/);
});

test('round trip: export, import, ingest gives back the same to_ids values for every example', async () => {
  for (const f of exampleFiles()) {
    const event = itemToMisp(item(f));
    const doc = mispToDocument(JSON.stringify(event), `${f}.misp.json`);
    assert.equal(doc.url, null);
    assert.equal(doc.title, event.Event.info);
    const store = await openSqliteStore(':memory:');
    const back = (await ingestDocument(store, doc, testContext())).item;
    await store.close();
    assert.deepEqual(toIds(itemToMisp(back)), toIds(event), f);
    if (f.startsWith('03')) {
      assert.deepEqual(back.facts.cves.map((c) => c.id), ['CVE-2026-21847']);
      assert.ok(back.attack.some((t) => t.id === 'T1190' && t.basis === 'observed'));
      assert.match(doc.text, /^- sha256: af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23$/m);
    }
  }
});

test('a MISP event from elsewhere: indicators in, references benign, withdrawn and to_ids-off attributes out', async () => {
  const text = fs.readFileSync(path.join(MISP, 'examples/pymisp-tests/57c4445b-c548-4654-af0b-4be3950d210f.json'), 'utf8');
  const doc = mispToDocument(text);
  assert.equal(doc.title, 'Ransomware - Xorist');
  assert.equal(doc.outlet, 'CIRCL');
  assert.equal(doc.published, '2016-08-29T00:00:00.000Z');
  assert.equal(doc.id, mispToDocument(text.replace('"Ransomware - Xorist"', '"Ransomware - Xorist (updated)"')).id, 'identity is the event UUID');
  assert.match(doc.text, /^- regkey\|value: Software\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run \| %TEMP%\\3Z4wnG9603it23y\.exe$/m);
  assert.match(doc.text, /Not copied: 2 attributes that MISP does not mark for detection \(comment, text\)\./);
  const store = await openSqliteStore(':memory:');
  const back = (await ingestDocument(store, doc, testContext())).item;
  await store.close();
  const active = back.iocs.filter((i) => !i.benign).map((i) => `${i.type}:${i.value}`).sort();
  assert.deepEqual(active, [
    'file:3Z4wnG9603it23y.exe', 'md5:0749bae92ca336a02c83d126e04ec628', 'path:%TEMP%\\3Z4wnG9603it23y.exe',
    'sha1:77b0c41b7d340b8a3d903f21347bbf06aa766b5b', 'sha256:b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68',
  ]);
  // The Xorist key in a text attribute (32 hex digits) would otherwise pass for an MD5.
  assert.ok(!back.iocs.some((i) => i.value === '85350044df4ac3518d185678a9414a7f'));
  const blog = back.iocs.find((i) => i.value === 'http://www.xylibox.com/2011/06/have-fun-with-trojan-ransomwin32xorist.html');
  assert.deepEqual([blog?.benign, blog?.benignReason], [true, 'cited as a reference page, not as an indicator']);

  const withdrawn = JSON.parse(text);
  for (const a of withdrawn.Event.Attribute) if (a.type === 'md5') a.deleted = true;
  assert.doesNotMatch(mispToDocument(JSON.stringify(withdrawn)).text, /0749bae92ca336a02c83d126e04ec628/);
});

test('objects, galaxy clusters and CVE tags are read; a bare PyMISP body is accepted', () => {
  const doc = mispToDocument(JSON.stringify({
    Event: {
      info: 'Edge appliance intrusion', uuid: '6a1e0c55-2f0e-4c55-9a53-1f2d3c4b5a69', date: '2026-02-03', threat_level_id: '2',
      Tag: [{ name: 'tlp:amber' }, { name: 'misp-galaxy:mitre-enterprise-attack-attack-pattern="Spearphishing Link - T1192"' }, { name: 'cve:CVE-2026-0001' }],
      Galaxy: [{ type: 'mitre-attack-pattern', GalaxyCluster: [{ value: 'Exploit Public-Facing Application - T1190', meta: { external_id: ['T1190'] }, tag_name: 'misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"' }] }],
      Object: [{ name: 'domain-ip', Attribute: [{ type: 'domain', value: 'relay-sync.net', to_ids: true }, { type: 'ip-dst', value: '45.9.148.9', to_ids: '1' }] }],
      Attribute: [{ type: 'AS', value: '64500', to_ids: true }, { type: 'ip-src', value: '10.1.2.3', to_ids: false }],
    },
  }));
  assert.equal(doc.text, [
    'MISP event 6a1e0c55-2f0e-4c55-9a53-1f2d3c4b5a69, dated 2026-02-03: threat level medium, analysis not given.',
    '',
    'Attributes MISP marks for detection (to_ids), with their MISP type:',
    '- AS: AS64500',
    '- domain (object domain-ip): relay-sync.net',
    '- ip-dst (object domain-ip): 45.9.148.9',
    '',
    'Vulnerabilities named in the event:',
    '- vulnerability: CVE-2026-0001',
    '',
    'ATT&CK techniques named in the event:',
    '- ATT&CK technique T1192: Spearphishing Link',
    '- ATT&CK technique T1190: Exploit Public-Facing Application',
    '',
    'Not copied: 1 attribute that MISP does not mark for detection (ip-src).',
    '',
    'Tags:',
    '- tag: tlp:amber',
    '- tag: misp-galaxy:mitre-enterprise-attack-attack-pattern="Spearphishing Link - T1192"',
    '- tag: cve:CVE-2026-0001',
    '- tag: misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"',
  ].join('\n'));
  const bare = mispToDocument(fs.readFileSync(path.join(MISP, 'examples/pymisp-tests/mispevent_testfiles/event.json'), 'utf8'));
  assert.equal(bare.title, 'This is a test');
});

test('anything that is not a MISP event is refused with a clear error', () => {
  const refused = (text: string, why: RegExp) => assert.throws(() => mispToDocument(text, 'in.json'), (e: Error) => {
    assert.equal(e.name, 'IngestError');
    assert.match(e.message, /^ingest: in\.json: not a MISP event: /);
    assert.match(e.message, why);
    return true;
  });
  const file = (p: string) => fs.readFileSync(path.join(MISP, 'examples/pymisp-tests', p), 'utf8');
  refused('Title: a text document\n\nhello', /the text is not JSON/);
  refused('[{"Event": {}}]', /not an object/);
  refused('{}', /expected \{"Event": \{\.\.\.\}\}/);
  refused(file('mispevent_testfiles/galaxy.json'), /expected \{"Event"/);
  refused(file('mispevent_testfiles/sighting.json'), /expected \{"Event"/);
  refused(file('mispevent_testfiles/test_object_template/definition.json'), /expected \{"Event"/);
  refused(file('mispevent_testfiles/malware_exist.json'), /MISP API response with 1 entries/);
  refused('{"Event": "x"}', /"Event" is not an object/);
  refused('{"Event": {"info": "  ", "Attribute": []}}', /Event\.info/);
  refused('{"Event": {"info": "x", "Attribute": [{"value": "1.2.3.4"}]}}', /Event\.Attribute\[0\] is not an attribute/);
  refused('{"Event": {"info": "x", "Attribute": {}}}', /Event\.Attribute is not a list/);
  refused('{"Event": {"info": "x", "Tag": ["tlp:red"]}}', /Event\.Tag\[0\] is not a tag/);
});
