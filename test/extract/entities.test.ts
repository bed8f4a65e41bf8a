import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Document } from '../../src/domain/index.js';
import { findAttackRefs } from '../../src/extract/attack-refs.js';
import { classifySector } from '../../src/extract/classify.js';
import { findCountries } from '../../src/extract/countries.js';
import { findDates } from '../../src/extract/dates.js';
import { extract } from '../../src/extract/index.js';
import { findOrganisations } from '../../src/extract/organisations.js';
import { findKevProducts, kevVendorsIn, mergeProducts, versionRanges } from '../../src/extract/products.js';
import { splitSentences } from '../../src/extract/sentences.js';
import { type Catalogs, type KevProduct, NO_CATALOGS } from '../../src/knowledge/catalogs.js';
import { kevGazetteer, kevProductName } from '../../src/knowledge/gazetteers.js';
import { loadKb } from '../../src/knowledge/load-kb.js';

const s = splitSentences;
const kb = loadKb();

const catalogs: Catalogs = {
  ...NO_CATALOGS,
  actors: () => [
    { id: 'G0007', name: 'APT28', aliases: ['APT28', 'Fancy Bear', 'Sofacy'], kind: 'group' },
    { id: 'S0154', name: 'Cobalt Strike', aliases: ['Cobalt Strike'], kind: 'tool' },
  ],
  attackName: (id) => ({ TA0001: 'Initial Access', M1032: 'Multi-factor Authentication', DS0017: 'Command' } as Record<string, string>)[id] ?? null,
};

describe('ATT&CK ids other than techniques', () => {
  it('reads group, software, tactic, mitigation and data source ids with their catalog names', () => {
    const refs = findAttackRefs(s('The ATT&CK mapping lists G0007 and S0154 under tactic TA0001, with mitigation M1032 and data source DS0017.'), catalogs);
    assert.deepEqual(refs.map((r) => [r.id, r.kind, r.name, r.confidence]), [
      ['G0007', 'group', 'APT28', 'high'], ['S0154', 'software', 'Cobalt Strike', 'high'], ['TA0001', 'tactic', 'Initial Access', 'high'],
      ['M1032', 'mitigation', 'Multi-factor Authentication', 'high'], ['DS0017', 'data-source', 'Command', 'high'],
    ]);
    assert.equal(refs[0].evidence.rule, 'identifier:attack-ref');
  });

  it('takes a group id beside one of its names without ATT&CK words, and no bare part number', () => {
    const refs = findAttackRefs(s('Fancy Bear (G0007) sent the lures. Order part G0012 and M1032 today.'), catalogs);
    assert.deepEqual(refs.map((r) => [r.id, r.evidence.rule]), [['G0007', 'identifier:attack-ref-named']]);
  });

  it('keeps an id the catalog does not know, at medium confidence and without a name', () => {
    const [ref] = findAttackRefs(s('MITRE ATT&CK lists the campaign as C0099.'), NO_CATALOGS);
    assert.deepEqual([ref.id, ref.kind, ref.name, ref.confidence], ['C0099', 'campaign', null, 'medium']);
  });
});

describe('countries', () => {
  const of = (text: string) => findCountries(s(text), kb.countries).map((c) => `${c.code}:${c.role}`);

  it('kb/countries.yaml holds every ISO 3166-1 alpha-2 code once', () => {
    assert.equal(kb.countries.length, 249);
    assert.ok(kb.countries.some((c) => c.code === 'KP' && c.aliases?.includes('DPRK')));
  });

  it('tells the attributed actor from the victim', () => {
    assert.deepEqual(of('Chinese state-sponsored hackers targeted Taiwanese semiconductor companies.'), ['CN:actor', 'TW:victim']);
    assert.deepEqual(of('There are strong indications that Russia-linked actors hit Dutch government agencies.'), ['RU:actor', 'NL:victim']);
    assert.deepEqual(of('Multiple sectors in China, Hong Kong, and Pakistan have become the target.'), ['CN:victim', 'HK:victim', 'PK:victim']);
  });

  it('reads locations and demonyms, and keeps the matched text as evidence', () => {
    const [c] = findCountries(s('The arrest took place in Kyiv, Ukraine.'), kb.countries);
    assert.deepEqual([c.code, c.role, c.matched, c.confidence, c.evidence.rule], ['UA', 'location', 'Ukraine', 'medium', 'country:location']);
    assert.deepEqual(of('The firm is headquartered in the United Kingdom.'), ['GB:location']);
  });

  it('does not read New Jersey, or Georgia and Jordan as places, without phrasing that makes them countries', () => {
    assert.deepEqual(of('Its New Jersey affiliate filed the suit. Jordan said the office in Georgia was closed.'), []);
    assert.deepEqual(of('Attacks against Georgia and Ukraine continued.'), ['GE:victim', 'UA:victim']);
  });
});

const KEV = kevGazetteer({
  vulnerabilities: [
    { cveID: 'CVE-2025-40599', vendorProject: 'SonicWall', product: 'SMA 100 Appliances' },
    { cveID: 'CVE-2021-20016', vendorProject: 'SonicWall', product: 'SMA 100 Appliances' },
    { cveID: 'CVE-2024-21412', vendorProject: 'Microsoft', product: 'Windows' },
    { cveID: 'CVE-2023-21716', vendorProject: 'Microsoft', product: 'Word' },
    { cveID: 'CVE-2025-53770', vendorProject: 'Microsoft', product: 'SharePoint' },
    { cveID: 'CVE-2017-7269', vendorProject: 'Microsoft', product: 'Internet Information Services (IIS)' },
    { cveID: 'CVE-2024-0001', vendorProject: 'VMware', product: 'Multiple Products' },
    { cveID: 'CVE-2025-54309', vendorProject: 'CrushFTP', product: 'CrushFTP' },
  ],
});

describe('the KEV gazetteer', () => {
  it('cleans product names, drops catch-all entries and counts CVEs per product', () => {
    assert.equal(kevProductName('SMA 100 Appliances'), 'SMA 100');
    assert.equal(kevProductName('Multiple Products'), null);
    assert.deepEqual(KEV[0], { vendor: 'SonicWall', product: 'SMA 100', cves: 2 });
    assert.ok(!KEV.some((k) => k.vendor === 'VMware'));
  });

  it('refuses a catalog that is not one', () => {
    assert.throws(() => kevGazetteer({ foo: 1 }), /"vulnerabilities" array/);
    assert.throws(() => kevGazetteer([{ cveID: 'CVE-1' }]), /record 0 lacks/);
  });
});

describe('products from the gazetteer', () => {
  const names = (text: string, kev: readonly KevProduct[] = KEV) => findKevProducts(s(text), kev).map((p) => `${p.vendor}|${p.name}`);

  it('matches case and punctuation variants of a distinctive name', () => {
    assert.deepEqual(names('Patch your SMA100 and sma-100 appliances.'), ['SonicWall|SMA 100']);
    assert.deepEqual(names('Attackers hit Sharepoint servers and the IIS web server.'), ['Microsoft|SharePoint', 'Microsoft|Internet Information Services (IIS)']);
  });

  it('takes an ordinary word ("Windows", "Word") only beside its vendor or a version', () => {
    assert.deepEqual(names('The windows were open and a Word of warning was given.'), []);
    assert.deepEqual(names('The malware runs on Windows hosts.'), []);
    assert.deepEqual(names('It targets Microsoft Windows and Windows 11 machines.'), ['Microsoft|Windows']);
    assert.deepEqual(names('Windows 11 machines are affected.'), ['Microsoft|Windows']);
  });

  it('takes a protocol or kind ("VPN") as a product only beside its vendor', () => {
    const kev: KevProduct[] = [{ vendor: 'Cisco', product: 'VPN', cves: 1 }];
    assert.deepEqual(names('The app poses as a VPN client.', kev), []);
    assert.deepEqual(names('Cisco VPN users should patch.', kev), ['Cisco|VPN']);
  });

  it('reads the versions and version ranges written after the name, up to the fixed release', () => {
    const [p] = findKevProducts(s('CrushFTP 10 before 10.8.5 and 11 before 11.3.4_23 mishandles AS2 validation; fixed in 11.3.5.'), KEV);
    assert.deepEqual(p.ranges?.map((r) => [r.from, r.to, r.toInclusive]), [[null, '10.8.5', false], [null, '11.3.4_23', false]]);
    // The vendor's name is the product's: named, so high.
    assert.equal(p.confidence, 'high');
    assert.deepEqual(versionRanges('versions 7.0 through 7.4.1 are affected'), [{ text: 'versions 7.0 through 7.4.1', from: '7.0', to: '7.4.1', toInclusive: true }]);
    assert.deepEqual(versionRanges('6.4 and earlier, upgrade to 6.5 or later').map((r) => [r.from, r.to]), [[null, '6.4']]);
  });

  it('names KEV vendors as the text writes them, case-sensitively', () => {
    assert.deepEqual(kevVendorsIn(s('SonicWall and Microsoft shipped fixes; progress was slow.'), KEV), ['SonicWall', 'Microsoft']);
  });

  it('merges a product read from phrasing into the gazetteer product it names', () => {
    const kev = findKevProducts(s('SonicWall SMA 100 appliances are hit.'), KEV);
    const merged = mergeProducts(kev, [{ name: 'SMA 100', vendor: null, versions: ['10.2.1.15'], evidence: { text: 'x', rule: 'product:before-version' } }]);
    assert.equal(merged.length, 1);
    assert.deepEqual(merged[0].versions, ['10.2.1.15']);
  });
});

describe('dates and windows', () => {
  const pub = '2026-05-14T10:00:00Z'; // a Thursday
  const of = (text: string) => findDates(s(text), pub).map((d) => [d.date, d.end, d.kind, d.approximate]);

  it('reads day-month windows and ranges', () => {
    assert.deepEqual(of('Intrusions ran from 2 to 9 May 2026.'), [['2026-05-02', '2026-05-09', 'event-window', false]]);
    assert.deepEqual(of('Attacks hit between 28 April and 11 May.'), [['2026-04-28', '2026-05-11', 'event-window', false]]);
    assert.deepEqual(of('Logs show attacks 2–9 May 2026.'), [['2026-05-02', '2026-05-09', 'event-window', false]]);
  });

  it('counts weekdays and relative phrases back from publication, and puts exact dates first', () => {
    assert.deepEqual(of('The company disclosed the breach on Monday.'), [['2026-05-11', null, 'mentioned', false]]);
    assert.deepEqual(of('It was detected yesterday.'), [['2026-05-13', null, 'mentioned', false]]);
    assert.deepEqual(of('The campaign was active last week. Access ran between May 1 and May 3.'), [
      ['2026-05-01', '2026-05-03', 'event-window', false], ['2026-05-04', '2026-05-10', 'event-window', true],
    ]);
    assert.deepEqual(of('Attacks have run since late March.'), [['2026-03-21', '2026-05-14', 'event-window', true]]);
  });

  it('reads no weekday or relative date without a publication date', () => {
    assert.deepEqual(findDates(s('It was detected yesterday, on Monday.'), null), []);
  });
});

describe('organisations named by one word', () => {
  const roles = (text: string, known: string[] = []) => findOrganisations(s(text), null, known).map((o) => `${o.name}:${o.role}`);

  it('gives a role to a one-word name used twice when a rule says so', () => {
    assert.deepEqual(roles('Hackers breach Toptal GitHub account. Hackers compromised Toptal’s GitHub organization account.'), ['Toptal:victim']);
    assert.deepEqual(roles('Mitel warns of a flaw. This week, Mitel has released security updates to patch it.'), ['Mitel:vendor']);
  });

  it('drops a one-word name no rule gives a role, and the first word of a longer name', () => {
    assert.deepEqual(roles('The report named Quillfeather twice. Quillfeather was quoted.'), []);
    assert.deepEqual(roles('A breach at Halvorsen Precision Components hit production. Halvorsen said it was restoring systems.').filter((r) => r.startsWith('Halvorsen:')), []);
  });

  it('credits research to a name used once, and gives such a name no other role', () => {
    assert.deepEqual(roles('The activity targets vCenter environments, Sygnia said in a new report published today.'), ['Sygnia:reporter']);
    assert.deepEqual(roles('Shadowserver claims miscreants were already exploiting the hole.'), ['Shadowserver:reporter']);
    assert.deepEqual(roles('"The attackers used hardcoded names," CERT-UA said in a Thursday advisory.'), ['CERT-UA:reporter']);
    assert.deepEqual(roles('Attackers breached Quillfeather last week and stole records.'), []);
    assert.deepEqual(roles('CERT-UA Discovers LAMEHUG Malware Linked to APT28 said in a report.').filter((r) => r.includes('Discovers')), []);
  });

  it('reads the capitals of a headline written as a sentence as names', () => {
    assert.deepEqual(roles('Hackers fooled Cognizant help desk, says Clorox in lawsuit. Clorox is suing the provider over the 2023 cyberattack.'), ['Clorox:victim']);
    assert.deepEqual(roles('Clorox Sues Provider Over Cyberattack. Clorox is suing the provider over the 2023 cyberattack.'), []);
  });

  it('reads a name its descriptor introduces, and a list of victims past an abbreviation', () => {
    assert.deepEqual(roles('The group\'s recent victims include multiple airlines and the U.K. retail chain Marks & Spencer.'), ['Marks & Spencer:victim']);
  });

  it('takes known vendor names as organisations even when used once', () => {
    assert.deepEqual(roles('SonicWall urges customers to patch SMA 100 appliances.', ['SonicWall']), ['SonicWall:vendor']);
  });
});

describe('sector of the story', () => {
  const doc = (title: string, text: string): Document => ({
    id: 'doc_s', contentHash: 'h', title, outlet: 'example.org', url: 'https://example.org/1', published: '2026-11-20T10:00:00.000Z',
    format: 'text', text, origin: 'test', example: false,
  });
  const sector = (title: string, text: string) => classifySector(extract(doc(title, text), kb, NO_CATALOGS), kb)?.id ?? null;

  it('takes a sector a short summary names once, when it names no other', () => {
    assert.equal(sector('Eau no! Dior tells customers', 'The French fashion house has begun sending breach notices to its customers.'), 'retail');
    assert.equal(sector('Breach hits a national guard', 'Attackers had access to the National Guard network for a year.'), 'government');
  });

  it('takes none when one passing sentence names two sectors', () => {
    assert.equal(sector('Four arrested', 'Recent victims include multiple airlines and the U.K. retail chain Marks & Spencer.'), null);
  });
});
