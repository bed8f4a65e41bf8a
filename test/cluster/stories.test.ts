// Stories: one item per event across outlets; different events that share vocabulary stay apart; analysts' merges and splits hold.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { storyFeatures } from '../../src/cluster/features.js';
import { sameStory } from '../../src/cluster/match.js';
import { StoryIndex } from '../../src/cluster/story-index.js';
import type { Document } from '../../src/domain/index.js';
import { extract } from '../../src/extract/index.js';
import { ingestDocument, mergeStories, splitReport } from '../../src/pipeline.js';
import { NO_CATALOGS } from '../../src/knowledge/catalogs.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { testContext, testKb } from '../helpers.js';

let n = 0;
function doc(outlet: string, title: string, text: string, published = '2026-11-20T10:00:00.000Z'): Document {
  n++;
  return { id: `doc_t${n}`, contentHash: `h${n}`, title, outlet, url: `https://${outlet.toLowerCase().replace(/\W+/g, '')}.example/${n}`, published, format: 'text', text, origin: 'test', example: false };
}
const features = (d: Document) => storyFeatures(d, extract(d, testKb(), NO_CATALOGS), testKb());
const same = (a: Document, b: Document) => sameStory(features(a), features(b), testKb().stories);

const ARTICLE = `Northwind Clinics said on 18 November 2026 that attackers stole patient records from its scheduling platform after
breaking into an administrator account. The company, which runs 40 clinics in Ohio, said the intruders used a password
taken in an earlier phishing attack and that the breach was discovered when staff noticed unusual exports from the system.
Northwind has notified the Ohio attorney general and the Department of Health and Human Services, and hired Fabrikam
Forensics to investigate. About 48,000 patients are affected, the clinic said, and names, dates of birth and insurance
numbers were exposed. The clinic is offering credit monitoring and has reset every administrator password.`;

describe('the pair rule', () => {
  test('the same text from two outlets is one story; a near-copy with an outlet line added is too', () => {
    const a = doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    const b = doc('Outlet B', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    assert.deepEqual(same(a, b).reasons, ['the same text']);
    const c = doc('Outlet C', 'Clinic chain breach', `${ARTICLE}\nThis story was first published by Outlet A.`);
    assert.match(same(a, c).reasons[0], /near-duplicate/);
  });

  test('near-duplicates within one outlet do not collapse: outlets reuse their templates', () => {
    const template = (who: string) => `${who} said on 18 November 2026 that attackers stole patient records from its scheduling platform after
      breaking into an administrator account. ${ARTICLE.split('\n').slice(1).join(' ')}`;
    const a = doc('Outlet A', 'Northwind breach', template('Northwind Clinics'));
    const b = doc('Outlet A', 'Contoso breach', template('Contoso Medical'));
    assert.equal(same(a, b).reasons.some((r) => /near-duplicate/.test(r)), false);
  });

  test('the same event told differently by two outlets is one story, with the reasons', () => {
    const a = doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    const b = doc('Outlet B', 'Hackers raid Northwind Clinics scheduling system', `Ohio healthcare provider Northwind Clinics is warning
      patients that hackers accessed its appointment platform using a stolen administrator password. Northwind said the breach,
      found in mid-November 2026, affected about 48,000 people, and that Fabrikam Forensics is investigating.`, '2026-11-21T08:00:00.000Z');
    const v = same(a, b);
    assert.equal(v.same, true, JSON.stringify(v));
    assert.ok(v.reasons.some((r) => /northwind/.test(r)), v.reasons.join('; '));
  });

  test('two healthcare SaaS breaches in one week stay two stories', () => {
    const a = doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    const b = doc('Outlet A', 'Contoso Dental breach exposes patient records', `Contoso Dental said on 19 November 2026 that attackers
      stole patient records from its cloud scheduling platform after phishing a front-desk employee. Contoso, which runs
      dental offices in Texas, said 12,000 patients were affected and that it has notified the Texas attorney general.`);
    assert.equal(same(a, b).same, false, JSON.stringify(same(a, b)));
  });

  test('two CVEs in one vendor product stay apart; one CVE-only advisory joins another of the same CVE', () => {
    const a = doc('Vendor PSIRT', 'Contoso Gateway CVE-2026-21001 authentication bypass', 'Contoso fixed CVE-2026-21001, an authentication bypass in Contoso Gateway 9.x, on 18 November 2026.');
    const b = doc('Vendor PSIRT', 'Contoso Gateway CVE-2026-21002 command injection', 'Contoso fixed CVE-2026-21002, a command injection in Contoso Gateway 9.x, on 19 November 2026.');
    const c = doc('National CERT', 'Advisory: CVE-2026-21001', 'CVE-2026-21001 affects Contoso Gateway. Apply the vendor update for CVE-2026-21001.');
    assert.equal(same(a, b).same, false);
    assert.equal(same(a, c).same, true);
    assert.match(same(a, c).reasons.join(), /CVE-2026-21001/);
  });

  test('a weekly digest never joins the stories it lists', () => {
    const a = doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    const digest = doc('Outlet B', 'Weekly Recap: Northwind Clinics breach, Contoso Gateway flaws and more', `This week: ${ARTICLE}`);
    assert.equal(same(a, digest).same, false);
  });

  test('an In Brief column is a digest by its first words, whatever its headline leads with', () => {
    const a = doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    const column = doc('Outlet B', 'Northwind Clinics breach exposes 48,000 patients', `PLUS: Contoso Gateway flaws; and more Infosec In Brief ${ARTICLE}`);
    assert.equal(features(column).digest, true);
    assert.equal(same(a, column).same, false);
  });

  // Products come from the KEV gazetteer in the catalogs; these tests give them as extraction would.
  const withProduct = (d: Document, name: string, vendor: string) => {
    const facts = extract(d, testKb(), NO_CATALOGS);
    return storyFeatures(d, { ...facts, products: [{ name, vendor, versions: [], evidence: { text: d.text, rule: 'test' }, confidence: 'high' }] }, testKb());
  };

  test('one product exploited, reported in the same days, is one story; a phishing lure that spoofs it is another', () => {
    const a = doc('Outlet A', 'Contoso Gateway zero-day exploited in the wild', 'Attackers are exploiting an unpatched remote code execution flaw in Contoso Gateway appliances, the vendor warned.');
    const b = doc('Outlet B', 'Emergency fix for exploited Contoso Gateway bug', 'Contoso released an emergency update after attackers exploited a remote code execution flaw in its gateway.', '2026-11-21T09:00:00.000Z');
    const lure = doc('Outlet C', 'Phishing emails spoof Contoso Gateway login page', 'A phishing campaign sends emails that spoof the Contoso Gateway login page to steal employee passwords and session cookies.', '2026-11-21T09:00:00.000Z');
    const fa = withProduct(a, 'Gateway', 'Contoso');
    const fb = withProduct(b, 'Gateway', 'Contoso');
    const v = sameStory(fa, fb, testKb().stories);
    assert.equal(v.same, true, JSON.stringify(v));
    assert.ok(v.reasons.includes('product contoso gateway') && v.reasons.includes('in the same days'), v.reasons.join('; '));
    const fl = withProduct(lure, 'Gateway', 'Contoso');
    assert.notEqual(fl.archetype, fa.archetype);
    assert.equal(sameStory(fa, fl, testKb().stories).same, false, JSON.stringify(sameStory(fa, fl, testKb().stories)));
  });

  test('a platform named in passing (Microsoft Windows) is no product two events share', () => {
    const a = doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    assert.deepEqual(withProduct(a, 'Windows', 'Microsoft').products, []);
  });

  test('countries and their people are not names, and four capitals are not a coined name', () => {
    const a = doc('Outlet A', 'Loader spreads through fake repositories', 'Researchers at a Swiss security company said the loader, sold as MaaS, runs a POST request to fetch LAMEHUG payloads.');
    const f = features(a);
    assert.equal(f.terms.includes('swiss'), false, f.terms.join());
    assert.equal(f.coined.includes('post'), false, f.coined.join());
    assert.equal(f.coined.includes('lamehug'), true, f.coined.join());
  });

  test('a site written as its name is one, though its first word is generic; a well-known service domain is not', () => {
    const a = doc('Outlet A', 'Forum admin arrested', 'Police arrested the suspected administrator of the XSS.is forum, which had sign-ins through Okta.com pages.');
    const f = features(a);
    assert.equal(f.coined.includes('xss.is'), true, f.coined.join());
    assert.equal(f.terms.includes('okta.com'), false, f.terms.join());
  });

  test('a threat one report took as an actor and the other left as a name is one shared name', () => {
    const a = doc('Outlet A', 'Law enforcement seizes Vexmor ransomware leak sites', 'Police seized the leak sites of the Vexmor ransomware gang on 20 November 2026.');
    const b = doc('Outlet B', 'Vexmor data leak portal taken down', 'Authorities took down the data leak and negotiation portal run by the Vexmor ransomware operation.', '2026-11-21T09:00:00.000Z');
    // Report A's extraction is made to miss the threat, so that only B has it as an actor.
    const fa = storyFeatures(a, { ...extract(a, testKb(), NO_CATALOGS), actors: [] }, testKb());
    const factsB = extract(b, testKb(), NO_CATALOGS);
    const fb = storyFeatures(b, { ...factsB, actors: [{ id: 'unlisted-malware:vexmor', label: 'Vexmor', evidence: { text: b.text, rule: 'test' } }] }, testKb());
    assert.equal(fa.terms.includes('vexmor'), true, fa.terms.join());
    assert.equal(fb.terms.includes('vexmor'), false, fb.terms.join());
    const v = sameStory(fa, fb, testKb().stories);
    assert.equal(v.same, true, JSON.stringify(v));
    assert.ok(v.reasons.some((r) => /names vexmor/.test(r)), v.reasons.join('; '));
  });

  test('a headline word joins a report whose text names it', () => {
    const a = doc('Outlet A', "Elite 'Pandora 3.0' loader spruces up ransomware infections", 'An upgraded cybercrime tool is designed to make targeted ransomware attacks as easy as possible.');
    const b = doc('Outlet B', 'Hackers spread new loader to targeted firms', 'Researchers flagged a new variant of a known malware loader called Pandora that packs significant features.');
    const v = same(a, b);
    assert.ok(v.reasons.some((r) => /names pandora/.test(r)), JSON.stringify(v));
  });

  test('reports more than the window apart are different stories', () => {
    const a = doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE);
    const b = doc('Outlet B', 'Northwind Clinics hit again', ARTICLE.replace('48,000', '9,000').replace(/November/g, 'February'), '2027-02-20T10:00:00.000Z');
    assert.equal(same(a, b).same, false);
  });
});

describe('stories in the store', () => {
  const northwindA = () => doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE, '2026-11-20T10:00:00.000Z');
  const northwindB = () => doc('Outlet B', 'Hackers raid Northwind Clinics scheduling system', `Ohio healthcare provider Northwind Clinics is
    warning patients that hackers accessed its appointment platform using a stolen administrator password. Northwind said the
    breach affected about 48,000 people, and that Fabrikam Forensics is investigating.`, '2026-11-22T09:00:00.000Z');
  const contoso = () => doc('Outlet C', 'Contoso Dental breach exposes patient records', `Contoso Dental said on 19 November 2026 that
    attackers stole patient records from its cloud scheduling platform after phishing a front-desk employee. Contoso said 12,000
    patients were affected.`, '2026-11-19T10:00:00.000Z');

  async function partition(store: Store): Promise<string[][]> {
    const groups = [];
    for (const id of await store.itemIds()) groups.push((await store.itemDocuments(id)).map((d) => d.title).sort());
    return groups.sort((a, b) => a[0].localeCompare(b[0]));
  }

  test('a second report joins the item: two sources, first reported and last updated refreshed, a timeline', async () => {
    const store = await openSqliteStore(':memory:');
    const first = await ingestDocument(store, northwindA(), testContext());
    const second = await ingestDocument(store, northwindB(), testContext());
    assert.equal(second.item.id, first.item.id);
    assert.equal(second.item_, 'updated');
    assert.deepEqual(second.item.sources.map((s) => s.outlet), ['Outlet A', 'Outlet B']);
    assert.equal(second.item.firstReported, '2026-11-20T10:00:00.000Z');
    assert.equal(second.item.lastUpdated, '2026-11-22T09:00:00.000Z');
    assert.deepEqual(second.item.timeline.map((e) => [e.kind, e.outlet]), [['created', 'Outlet A'], ['source-added', 'Outlet B']]);
    assert.match(second.item.timeline[1].note, /joined by the story rule/);
    assert.equal(await store.countItems(), 1);
    await ingestDocument(store, contoso(), testContext());
    assert.equal(await store.countItems(), 2);
    await store.close();
  });

  test('the grouping is the same in every arrival order, including when a report bridges two items', async () => {
    const docs = [northwindA(), northwindB(), contoso(), doc('Outlet D', 'Northwind Clinics breach: 48,000 patients notified', ARTICLE.replace('The clinic is offering', 'Northwind is offering'), '2026-11-23T09:00:00.000Z')];
    const results = [];
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 2, 0, 3]]) {
      const store = await openSqliteStore(':memory:');
      for (const i of order) await ingestDocument(store, docs[i], testContext());
      results.push(JSON.stringify(await partition(store)));
      await store.close();
    }
    assert.equal(new Set(results).size, 1, results.join('\n'));
    assert.equal(JSON.parse(results[0]).length, 2);
  });

  test('an analyst merge and split are kept: later reports never undo them', async () => {
    const store = await openSqliteStore(':memory:');
    const a = await ingestDocument(store, northwindA(), testContext());
    const c = await ingestDocument(store, contoso(), testContext());
    const merged = await mergeStories(store, a.item.id, c.item.id, testContext());
    assert.equal(merged.sources.length, 2);
    assert.equal(await store.resolveItemId(c.item.id), a.item.id);
    assert.equal(merged.timeline.at(-1)?.kind, 'merged');
    const { left, split } = await splitReport(store, merged.id, c.document.id, testContext());
    assert.deepEqual(left.sources.map((s) => s.outlet), ['Outlet A']);
    assert.deepEqual(split.sources.map((s) => s.outlet), ['Outlet C']);
    // A report of the Northwind event that also reads like the Contoso one joins Northwind, and never pulls Contoso back in.
    const bridge = doc('Outlet E', 'Northwind Clinics and Contoso Dental breaches', `${ARTICLE}\nContoso Dental said 12,000 patients were affected.`, '2026-11-21T10:00:00.000Z');
    const r = await ingestDocument(store, bridge, testContext());
    assert.equal(r.item.id, left.id);
    assert.deepEqual((await store.itemDocuments(split.id)).map((d) => d.outlet), ['Outlet C']);
    await assert.rejects(splitReport(store, split.id, c.document.id, testContext()), /only report/);
    await store.close();
  });
});

test('the in-memory index gives the same groups as the pair rule over all pairs', () => {
  const docs = [
    doc('Outlet A', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE),
    doc('Outlet B', 'Northwind Clinics breach exposes 48,000 patients', ARTICLE),
    doc('Vendor PSIRT', 'Contoso Gateway CVE-2026-21001 authentication bypass', 'Contoso fixed CVE-2026-21001 in Contoso Gateway.'),
    doc('National CERT', 'Advisory: CVE-2026-21001', 'CVE-2026-21001 affects Contoso Gateway. Apply the update.'),
  ];
  const index = new StoryIndex(testKb().stories);
  for (const d of docs) index.add(features(d));
  assert.deepEqual(index.groups().map((g) => g.length).sort(), [2, 2]);
});
