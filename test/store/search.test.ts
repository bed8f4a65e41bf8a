// The list's search index on both engines: raw input (CVE ids, domains, fragments, defanged text), filters, sort, facets,
// the index kept in step with saves and merges, saved views, read marks and visits; and the migration's backfill.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { parseProfile } from '../../src/config/profile.js';
import type { Item } from '../../src/domain/index.js';
import { ingest } from '../../src/pipeline.js';
import { migrationProvider } from '../../src/store/migrations.js';
import { openSqliteStore, openStore, type Store } from '../../src/store/index.js';
import type { SearchQuery } from '../../src/store/store.js';
import { EXAMPLES, exampleFiles, exampleItems, testContext } from '../helpers.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const engines = storeEngines();
const profile = parseProfile({ vendors: ['Cadence Scheduling Cloud'], sectors: ['manufacturing'] });
const input = (f: string) => ({ bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true });
/** What each engine answered, by query: both must answer the same. */
const answers = new Map<string, unknown>();

for (const [engine, location] of Object.entries(engines)) {
  describe(`search on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here (.ci/run installs it)' : false }, () => {
    let store: Store;
    const ids: Record<string, string> = {};
    before(async () => {
      store = await openStore(await location());
      for (const f of exampleFiles()) ids[f] = (await ingest(store, input(f), testContext({ profile, profileName: 'clinic' }))).item.id;
    });
    after(async () => store?.close());

    let calls = 0;
    const search = async (q: Partial<SearchQuery>) => {
      const r = await store.searchItems({ sort: 'priority', limit: 50, offset: 0, ...q });
      const key = `${calls++} ${JSON.stringify(q)}`;
      if (!answers.has(key)) answers.set(key, r);
      else assert.deepEqual(r, answers.get(key), `${key}: the same answer on both engines`);
      return r;
    };
    const found = async (q: string) => (await search({ q })).items.map((i) => i.id);

    test('raw input finds items: CVE ids, domains and their fragments, IPs, defanged text, phrases', async () => {
      const vpn = ids['03-vpn-zero-day-exploited.txt'];
      assert.deepEqual(await found('CVE-2026-21847'), [vpn]);
      assert.deepEqual(await found('cve-2026-21847'), [vpn]);
      assert.deepEqual(await found('cdn-edge-metrics.net'), [vpn]);
      assert.deepEqual(await found('edge-metrics'), [vpn]);
      assert.deepEqual(await found('cdn-edge-metrics[.]net'), [vpn], 'defanged input is refanged');
      assert.deepEqual(await found('198.51.100.23'), [vpn]);
      assert.deepEqual(await found('"SecureEdge VPN" ironvale'), [vpn]);
      assert.deepEqual(await found('@quarrystone/log-courier'), [ids['05-npm-supply-chain.txt']]);
      assert.deepEqual(await found('ashwren halvorsen'), [ids['02-ransomware-manufacturer.html']], 'every term must occur');
      assert.deepEqual(await found('ashwren ironvale'), []);
    });

    test('identifiers are whole tokens of the exact-token index: CVE, IP, hash, domain and its parents, file name, ATT&CK id', async () => {
      const [ransom, vpn, phish, npm, xss] = ['02-ransomware-manufacturer.html', '03-vpn-zero-day-exploited.txt', '04-aitm-phishing-bec.md',
        '05-npm-supply-chain.txt', '06-low-xss-advisory.txt'].map((f) => ids[f]);
      assert.deepEqual(await found('CVE-2026-2184'), [], 'a CVE id is not found inside a longer one');
      assert.deepEqual(await found('(CVE-2026-21847).'), [vpn], 'the punctuation around a pasted id is not part of it');
      assert.deepEqual(await found('198.51.100.2'), [], 'nor an IP inside another');
      assert.deepEqual(await found('198.51.100.24'), [vpn]);
      assert.deepEqual(await found('AF8C6E1469EE51F4B4161D6387F301D55194E6C820707FFABF121B3F5DE43E23'), [vpn], 'a SHA-256 in capitals');
      assert.deepEqual(await found('f418c284da42a5551c1cb77683cc5fa1'), [npm], 'an MD5');
      assert.deepEqual(await found('npmjs.org'), [npm], 'a domain finds its subdomains (registry.npmjs.org)');
      assert.deepEqual(await found('microsoftonline[.]com'), [phish]);
      assert.deepEqual(await found('SVCUPD.EXE'), [ransom], 'a file name');
      assert.deepEqual((await found('T1190')).sort(), [vpn, xss].sort());
      assert.deepEqual(await found('t1059.004 npm'), [npm], 'two terms, both must occur');
    });

    test('a word every item holds matches every item, alone, beside other terms and with filters', async () => {
      const every = (await search({ sort: 'date' })).items.map((i) => i.id);
      assert.equal(every.length, 7);
      // 'and' is in all seven examples: SQLite's plan drops it (its document count is every row's) and must answer the same.
      assert.deepEqual((await search({ q: 'and', sort: 'date' })).items.map((i) => i.id), every);
      const high = (await search({ filters: { severity: ['HIGH'] }, sort: 'date', countUpTo: 1000 })).items.map((i) => i.id);
      assert.ok(high.length > 0);
      const r = await search({ q: 'and', filters: { severity: ['HIGH'] }, sort: 'date', countUpTo: 1000 });
      assert.deepEqual([r.items.map((i) => i.id), r.total], [high, high.length]);
      assert.deepEqual(await found('and ashwren'), [ids['02-ransomware-manufacturer.html']]);
      assert.deepEqual(await found('"and" kestrelx'), []);
    });

    test('identifiers with words, fragments and filters', async () => {
      const [vpn, xss] = ['03-vpn-zero-day-exploited.txt', '06-low-xss-advisory.txt'].map((f) => ids[f]);
      assert.deepEqual((await search({ q: 'T1190', filters: { severity: ['LOW'] } })).items.map((i) => i.id), [xss]);
      assert.deepEqual((await search({ q: 'T1190', filters: { severity: ['HIGH'] } })).items, []);
      assert.deepEqual(await found('T1190 KESTREL'), [xss], 'a word beside an identifier, in any case');
      assert.deepEqual(await found('T1190 kestrelx'), []);
      assert.deepEqual(await found('198.51.100.23 edge-met'), [vpn], 'a fragment beside an identifier');
      assert.deepEqual(await found('198.51.100.23 vp'), [vpn], 'a two-character term beside an identifier');
      assert.deepEqual(await found('"SecureEdge VPN" CVE-2026-21847'), [vpn]);
      assert.deepEqual((await search({ q: 'CVE-2026-21847', filters: { triage: ['IMMEDIATE'], affectsUs: false }, sort: 'date' })).items.map((i) => i.id), [vpn]);
      assert.deepEqual((await search({ q: 'T1190', filters: { vendor: ['Ironvale Networks'] }, countUpTo: 1 })).items.map((i) => i.id), [vpn]);
    });

    test('words and fragments match from a word start, phrases word by word, with filters; short terms anywhere', async () => {
      const [ransom, vpn] = ['02-ransomware-manufacturer.html', '03-vpn-zero-day-exploited.txt'].map((f) => ids[f]);
      assert.ok((await found('ransom')).includes(ransom), "a word's start");
      assert.ok((await found('RANSOMWARE')).includes(ransom), 'in any case');
      assert.deepEqual(await found('ansomware'), [], 'not its middle');
      assert.deepEqual((await search({ q: 'ransomware', filters: { severity: ['HIGH'], sector: ['manufacturing'] }, sort: 'date' })).items.map((i) => i.id), [ransom]);
      assert.deepEqual(await found('"Ironvale Netw"'), [vpn], "a phrase whose last word is a word's start");
      assert.deepEqual(await found('"Ironvale etworks"'), []);
      assert.deepEqual(await found('"Networks Ironvale"'), [], 'in its order');
      assert.ok((await found('ns')).includes(ransom), 'two characters anywhere');
      assert.deepEqual(await found('edge-m'), [vpn], 'a short last word is a prefix too');
      assert.deepEqual(await found('edge-x'), []);
      assert.deepEqual(await found('cdn-edge-'), [vpn], 'a word the term ends after is whole');
      assert.ok((await found('cdn-')).includes(vpn));
      assert.deepEqual(await found('edge-metrics.'), [vpn]);
      assert.deepEqual(await found('@quarrys'), [ids['05-npm-supply-chain.txt']]);
    });

    test('search syntax in the input is taken literally and never fails', async () => {
      for (const q of ['"', 'NEAR(a b)', 'body:evil', 'a OR b', '*', '^x', '"unterminated', "'; drop table items; --", '%', '_', '\\']) {
        const r = await search({ q });
        assert.equal(r.total, r.items.length, q);
      }
      assert.equal((await search({ q: '%' })).total, 0, 'a LIKE wildcard is not a wildcard');
      assert.equal((await search({ q: 'x*' })).total, 0);
    });

    test('terms under three characters are matched too (LIKE beside the trigram index)', async () => {
      const withM365 = await found('365');
      assert.ok(withM365.includes(ids['04-aitm-phishing-bec.md']));
      const r = await found('qu');
      assert.ok(r.includes(ids['05-npm-supply-chain.txt']), 'a two-character fragment');
    });

    test('filters: severity, triage, archetype, sector, vendor, source, dates, affects us; combined with search', async () => {
      const all = await search({});
      assert.equal(all.total, exampleFiles().length);
      const high = await search({ filters: { severity: ['HIGH'] } });
      assert.deepEqual(high.items.map((i) => i.severity), ['HIGH', 'HIGH', 'HIGH', 'HIGH']);
      assert.equal((await search({ filters: { severity: ['CRITICAL', 'LOW'] } })).total, 2);
      assert.deepEqual((await search({ filters: { triage: ['IMMEDIATE'] } })).items.map((i) => i.id), [ids['03-vpn-zero-day-exploited.txt']]);
      assert.deepEqual((await search({ filters: { archetype: ['ransomware'] } })).items.map((i) => i.id), [ids['02-ransomware-manufacturer.html']]);
      const sector = await search({ filters: { sector: ['healthcare'] } });
      assert.deepEqual(sector.items.map((i) => [i.id, i.sectorLabel]), [[ids['01-saas-vendor-breach.txt'], 'Healthcare']]);
      assert.deepEqual((await search({ filters: { vendor: ['  IRONVALE   networks '] } })).items.map((i) => i.id), [ids['03-vpn-zero-day-exploited.txt']]);
      assert.deepEqual((await search({ filters: { source: ['Perimeter Brief'] } })).items.map((i) => i.id), [ids['03-vpn-zero-day-exploited.txt']]);
      const summer = await search({ filters: { from: '2026-05-19', to: '2026-08-12' }, sort: 'date' });
      assert.deepEqual(summer.items.map((i) => i.lastUpdated?.slice(0, 10)), ['2026-08-12', '2026-07-14', '2026-05-19'], 'both bounds inclusive');
      const affects = await search({ filters: { affectsUs: true } });
      assert.deepEqual(affects.items.map((i) => i.id).sort(), [ids['01-saas-vendor-breach.txt'], ids['02-ransomware-manufacturer.html']].sort());
      assert.equal((await search({ filters: { affectsUs: false } })).total, exampleFiles().length - 2);
      assert.equal((await search({ q: 'ransomware', filters: { severity: ['LOW'] } })).total, 0);
    });

    test('sort by priority or by date, and pages with the total', async () => {
      const byPriority = (await search({})).items;
      assert.deepEqual(byPriority.map((i) => i.priority), [...byPriority.map((i) => i.priority)].sort((a, b) => b - a));
      const byDate = (await search({ sort: 'date' })).items;
      const dates = byDate.map((i) => i.lastUpdated ?? '');
      assert.deepEqual(dates, [...dates].sort().reverse());
      const page = await search({ sort: 'date', limit: 2, offset: 2 });
      assert.equal(page.total, exampleFiles().length);
      assert.deepEqual(page.items.map((i) => i.id), byDate.slice(2, 4).map((i) => i.id));
    });

    test('a bounded count says there are more and changes neither the rows nor their order, with filters and terms too', async () => {
      const n = exampleFiles().length;
      for (const q of [{}, { sort: 'date' as const }, { filters: { severity: ['HIGH', 'MEDIUM'] } }, { q: 'the', filters: { affectsUs: false } }]) {
        const exact = await search(q);
        assert.ok(exact.total > 2, JSON.stringify(q));
        const bounded = await search({ ...q, countUpTo: 2 });
        assert.equal(bounded.total, 2);
        assert.equal(bounded.more, true);
        assert.deepEqual(bounded.items, exact.items, 'the same rows, in the same order');
        assert.deepEqual((await search({ ...q, countUpTo: 2, limit: 2, offset: 1 })).items, exact.items.slice(1, 3));
        const wide = await search({ ...q, countUpTo: n });
        assert.equal(wide.total, exact.total);
        assert.equal(wide.more, undefined);
      }
    });

    test('a bounded count read from one filter\'s list (an item holding two of its values counted once) is the walk\'s count', async () => {
      const facets = await store.countTerms(['technique', 'sector']);
      const two = (kind: string) => facets.filter((f) => f.kind === kind).sort((a, b) => b.count - a.count).slice(0, 2).map((f) => f.value);
      // Two techniques some item holds both of: counting the list's entries would count it twice.
      const common = facets.filter((f) => f.kind === 'technique').sort((a, b) => b.count - a.count).slice(0, 8);
      let techniques: string[] = [];
      for (const [i, a] of common.entries()) {
        for (const b of common.slice(i + 1)) {
          if (techniques.length === 0 && (await search({ filters: { technique: [a.value, b.value] }, limit: 200 })).items.length < a.count + b.count) techniques = [a.value, b.value];
        }
      }
      assert.equal(techniques.length, 2, 'two techniques an item shares');
      const queries: Partial<SearchQuery>[] = [
        { filters: { technique: techniques } }, { filters: { technique: techniques, severity: ['HIGH', 'MEDIUM', 'CRITICAL'] }, sort: 'date' },
        { filters: { sector: two('sector') } }, { filters: { affectsUs: false, severity: ['HIGH', 'MEDIUM', 'LOW'] } }, { filters: { affectsUs: false } },
      ];
      // Walking, severity and triage are read from the sort index (migration 0012): the same items as the unfiltered list's own.
      const all = (await search({ limit: 200 })).items;
      for (const [key, values] of [['severity', ['HIGH']], ['severity', ['CRITICAL', 'LOW']], ['triage', ['URGENT', 'ROUTINE']]] as const) {
        for (const sort of ['priority', 'date'] as const) {
          const want = (sort === 'date' ? (await search({ sort, limit: 200 })).items : all).filter((i) => (values as readonly string[]).includes(i[key]));
          assert.ok(want.length > 0, `${key} ${values.join(',')}`);
          const got = await search({ filters: { [key]: [...values] }, sort, limit: 200, countUpTo: 1 });
          assert.deepEqual(got.items.map((i) => i.id), want.map((i) => i.id), `${key} ${values.join(',')} by ${sort}`);
          const paged = await search({ filters: { [key]: [...values] }, sort, limit: 2, offset: 1, countUpTo: 1 });
          assert.deepEqual(paged.items.map((i) => i.id), want.slice(1, 3).map((i) => i.id), `${key} ${values.join(',')} by ${sort}, from the second`);
        }
      }
      for (const q of queries) {
        const exact = await search(q);
        for (const cap of [1, 2, exact.total - 1, exact.total, exact.total + 5].filter((c) => c >= 1)) {
          const bounded = await search({ ...q, countUpTo: cap });
          assert.equal(bounded.total, Math.min(cap, exact.total), `${JSON.stringify(q)} up to ${cap}`);
          assert.equal(bounded.more, exact.total > cap ? true : undefined);
          assert.deepEqual(bounded.items, exact.items);
          assert.deepEqual((await search({ ...q, countUpTo: cap, limit: 1, offset: 1 })).items, exact.items.slice(1, 2));
        }
      }
    });

    test('facets count items per value, over every item or the matching ones; items per day by severity', async () => {
      const facets = await store.countTerms();
      const of = (kind: string) => facets.filter((f) => f.kind === kind).map((f) => [f.label, f.count]);
      assert.deepEqual(of('severity')[0], ['HIGH', 4]);
      assert.ok(of('vendor').some(([l, n]) => l === 'Ironvale Networks' && n === 1));
      assert.deepEqual(of('affects'), [['affects us', 2]]);
      assert.equal(of('source').length, exampleFiles().length);
      const high = await store.countTerms(['severity', 'sector'], { filters: { severity: ['HIGH'] } });
      assert.deepEqual(high.map((f) => [f.kind, f.value, f.count]), [['sector', 'finance', 1], ['sector', 'healthcare', 1], ['sector', 'manufacturing', 1], ['sector', 'technology', 1], ['severity', 'HIGH', 4]]);
      const cells = await store.countTerms(['attack-observed'], { filters: { sector: ['manufacturing'] } });
      assert.ok(cells.length > 0 && cells.every((c) => /^[a-z-]+ T\d{4}(\.\d{3})?$/.test(c.value) && c.label.includes('\t') && c.count === 1));
      const technique = cells[0].value.split(' ')[1];
      assert.ok((await search({ filters: { technique: [technique] } })).items.some((i) => i.id === ids['02-ransomware-manufacturer.html']));
      const days = await store.dailyCounts({ filters: { from: '2026-07-01' } });
      assert.deepEqual(days.map((d) => [d.day, d.severity, d.count]), [
        ['2026-07-14', 'CRITICAL', 1], ['2026-08-12', 'HIGH', 1], ['2026-09-10', 'HIGH', 1], ['2026-10-20', 'LOW', 1], ['2026-11-05', 'INFORMATIONAL', 1]]);
    });

    test('the index follows saves and merges; a re-score alone does not make an item changed', async () => {
      const id = ids['06-low-xss-advisory.txt'];
      const item = (await store.getItem(id))!;
      const before = (await search({ q: 'Kestrel' })).items[0];
      await store.saveItem({ ...item, priority: { ...item.priority, value: 0.25 } }, [], '2026-12-02T00:00:00.000Z');
      const rescored = (await search({ q: 'Kestrel' })).items[0];
      assert.equal(rescored.priority, 0.25);
      assert.equal(rescored.changedAt, before.changedAt);
      await store.saveItem({ ...item, title: 'Brightmere renames Kestrel to Osprey Console' }, [], '2026-12-03T00:00:00.000Z');
      assert.deepEqual(await found('Osprey'), [id]);
      assert.equal((await search({ q: 'Osprey' })).items[0].changedAt, '2026-12-03T00:00:00.000Z');
      assert.deepEqual(await found('CVE-2026-28113'), [id]);
      const iocs = [{ ...item.iocs[0], type: 'domain', value: 'osprey-update.example.net', display: 'osprey-update[.]example[.]net' }] as Item['iocs'];
      await store.saveItem({ ...item, title: 'Brightmere renames Kestrel to Osprey Console', iocs }, [], '2026-12-03T01:00:00.000Z');
      assert.deepEqual(await found('example.net'), [id], 'a new indicator is found at once');
      await store.saveItem({ ...item, title: 'Brightmere renames Kestrel to Osprey Console' }, [], '2026-12-03T02:00:00.000Z');
      assert.deepEqual(await found('osprey-update.example.net'), [], 'and a removed one no longer');
      await store.mergeItems(id, ids['03-vpn-zero-day-exploited.txt']);
      assert.deepEqual(await found('Osprey'), [], 'a merged-away item leaves the index');
      assert.ok(!(await found('CVE-2026-28113')).includes(id), 'and its identifiers with it');
      assert.equal((await store.countTerms(['severity'])).reduce((n, f) => n + f.count, 0), exampleFiles().length - 1);
    });

    test('imported items are indexed; a rare identifier among many items is gathered from the index, a common one walks the order', async () => {
      const template = (await store.getItem(ids['07-product-launch-informational.txt']))!;
      const copies = Array.from({ length: 60 }, (_, n): Item => ({
        ...template, id: `itm_import_${n}`, title: `Imported notice ${n}`, priority: { ...template.priority, value: n / 100 },
        iocs: [{ type: 'ipv4', value: `192.0.2.${n + 1}` }, { type: 'domain', value: 'notices.example.org' }]
          .map((i) => ({ ...i, display: i.value, confidence: 'high', benign: null, context: '' }) as unknown as Item['iocs'][number]),
      }));
      await store.importItems(copies, '2026-12-03T00:00:00.000Z');
      assert.deepEqual(await found('192.0.2.7'), ['itm_import_6']);
      assert.deepEqual(await found('192.0.2.7 notice'), ['itm_import_6']);
      assert.deepEqual((await search({ q: '192.0.2.7', filters: { severity: ['INFORMATIONAL'] } })).items.map((i) => i.id), ['itm_import_6']);
      assert.deepEqual(await found('192.0.2.70'), []);
      const many = await search({ q: 'example.org', countUpTo: 10 });
      assert.deepEqual([many.total, many.more, many.items.length], [10, true, 50]);
      assert.deepEqual(many.items.slice(0, 2).map((i) => i.id), ['itm_import_59', 'itm_import_58'], 'by priority');
      assert.equal((await search({ q: 'example.org notice', filters: { severity: ['INFORMATIONAL'] } })).total, 60);
    });

    test('saved views are per user and replaced by name', async () => {
      const v = await store.saveView('u1', 'Critical healthcare', 'severity=CRITICAL&sector=healthcare', '2026-12-01T00:00:00.000Z');
      await store.saveView('u1', 'Critical healthcare', 'severity=CRITICAL', '2026-12-01T01:00:00.000Z');
      await store.saveView('u2', 'Mine', 'q=npm', '2026-12-01T00:00:00.000Z');
      const views = await store.listViews('u1');
      assert.deepEqual(views.map((x) => [x.id, x.name, x.query]), [[v.id, 'Critical healthcare', 'severity=CRITICAL']]);
      assert.equal(await store.removeView('u2', v.id), false, "another user's view is not removed");
      assert.equal(await store.removeView('u1', v.id), true);
      assert.deepEqual(await store.listViews('u1'), []);
    });

    test('read marks, unread and new since the last visit', async () => {
      assert.equal((await search({})).items[0].unread, null, 'no user, no read state');
      const first = await store.recordVisit('ana', '2026-12-04T08:00:00.000Z', 30 * 60_000);
      assert.equal(first, null);
      assert.equal(await store.recordVisit('ana', '2026-12-04T08:10:00.000Z', 30 * 60_000), null, 'paging is the same visit');
      const since = await store.recordVisit('ana', '2026-12-04T12:00:00.000Z', 30 * 60_000);
      assert.equal(since, '2026-12-04T08:10:00.000Z');
      const total = (await search({})).total;
      assert.equal((await search({ userId: 'ana', filters: { unread: true } })).total, total);
      const vpn = ids['03-vpn-zero-day-exploited.txt'];
      await store.markRead('ana', [vpn, 'no-such-item'], '2026-12-04T12:01:00.000Z');
      const rows = (await search({ userId: 'ana' })).items;
      assert.equal(rows.find((r) => r.id === vpn)?.unread, false);
      assert.equal((await search({ userId: 'ana', filters: { unread: true } })).total, total - 1);
      assert.equal((await search({ userId: 'bob', filters: { unread: true } })).total, total, 'read marks are per user');
      const item = (await store.getItem(vpn))!;
      await store.saveItem({ ...item, title: `${item.title} (update)` }, [], '2026-12-04T13:00:00.000Z');
      const after = (await search({ userId: 'ana', since, filters: { onlyNew: true } })).items;
      assert.deepEqual(after.map((r) => [r.id, r.unread, r.isNew]), [[vpn, true, true]], 'changed after it was read: unread and new again');
    });
  });
}

test('the migration indexes the items a database already holds', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-search-')), 'v.db');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateTo('0004_alerts');
  const item: Item = (await exampleItems()).get('03-vpn-zero-day-exploited.txt')!;
  await db.insertInto('items').values({
    id: item.id, title: item.title, severity: item.severity.level, severity_rank: 0, priority: item.priority.value, triage: item.triage.level,
    archetype: item.archetype.id, archetype_label: item.archetype.label, organisation: null, first_reported: item.firstReported,
    last_updated: item.lastUpdated, example: 1, knowledge_version: 'k', data: JSON.stringify(item), updated_at: '2026-12-01T00:00:00.000Z',
  }).execute();
  await db.destroy();
  const store = await openSqliteStore(file);
  const r = await store.searchItems({ q: 'cdn-edge-metrics.net', filters: { severity: ['CRITICAL'] }, sort: 'priority', limit: 10, offset: 0 });
  assert.deepEqual(r.items.map((i) => [i.id, i.changedAt]), [[item.id, '2026-12-01T00:00:00.000Z']]);
  await store.close();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
