// Feeds of items: RSS and Atom stay well-formed XML whatever the titles hold, JSON Feed is 1.1, and every entry links to its page with its severity, priority and triage.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Item } from '../../src/domain/index.js';
import { itemsToFeed } from '../../src/export/feeds.js';
import { parseFeed } from '../../src/sources/feed-parse.js';
import type { ItemSummary } from '../../src/store/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { ingest } from '../../src/pipeline.js';
import { EXAMPLES, exampleFiles, testContext } from '../helpers.js';

const OPTIONS = { title: 'Vigil & co <news>', siteUrl: 'https://vigil.example/', feedUrl: 'https://vigil.example/feeds/items', updated: '2026-12-01T12:00:00Z' };
const HOSTILE = 'Breach at "Acme" <script>alert(1)</script> ]]> & ]]><b>x</b> & AT&amp;T\'s';

let items: Item[] = [];
let summaries: ItemSummary[] = [];
before(async () => {
  const store = await openSqliteStore(':memory:');
  for (const f of exampleFiles()) {
    const file = path.join(EXAMPLES, f);
    items.push((await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext())).item);
  }
  summaries = await store.listItems({ limit: 50, offset: 0 });
  await store.close();
});

const LISTS = new Set(['rss.channel.item', 'rss.channel.item.category', 'feed.link', 'feed.entry', 'feed.entry.link', 'feed.entry.category']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (_name, jpath) => LISTS.has(String(jpath)) });
/** The five entities the feed writes in HTML text, decoded as a feed reader decodes type="html" text. */
const unhtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const text = (node: unknown): string => (typeof node === 'string' ? node : String((node as Record<string, unknown>)['#text'] ?? ''));

function xmlEntries(xml: string, format: 'rss' | 'atom'): { title: string; link: string; description: string }[] {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = parser.parse(xml);
  if (format === 'rss') return doc.rss.channel.item.map((i: any) => ({ title: text(i.title), link: text(i.link), description: text(i.description) }));
  return doc.feed.entry.map((e: any) => ({ title: text(e.title), link: e.link[0]['@href'], description: text(e.summary) }));
}

for (const format of ['rss', 'atom'] as const) {
  test(`${format}: a hostile title keeps the XML well-formed and round-trips as text`, () => {
    const hostile = { ...summaries[0], title: HOSTILE };
    const xml = itemsToFeed([hostile, ...summaries.slice(1)], format, OPTIONS);
    const [first] = xmlEntries(xml, format);
    assert.ok(!first.title.includes('<'), 'the title holds no markup a reader could run');
    assert.equal(unhtml(first.title), HOSTILE);
    const doc = parser.parse(xml);
    assert.equal(text(format === 'rss' ? doc.rss.channel.title : doc.feed.title), OPTIONS.title, 'the feed title is escaped too');
    // Vigil's own reader reads it back exactly, so a second Vigil can subscribe to this one.
    const read = parseFeed(xml);
    assert.equal(read.format, format === 'rss' ? 'rss2' : 'atom');
    assert.equal(read.entries[0].title, HOSTILE);
    assert.equal(read.title, OPTIONS.title);
  });

  test(`${format}: every entry links to its item page and states severity, priority and triage`, () => {
    const xml = itemsToFeed(summaries, format, OPTIONS);
    const entries = xmlEntries(xml, format);
    assert.equal(entries.length, summaries.length);
    for (const [i, s] of summaries.entries()) {
      assert.equal(entries[i].link, `https://vigil.example/items/${s.id}`);
      assert.equal(unhtml(entries[i].title), s.title);
      assert.ok(entries[i].description.includes(`<strong>Severity:</strong> ${s.severity}`), entries[i].description);
      assert.ok(entries[i].description.includes(`<strong>Priority:</strong> ${s.priority.toFixed(3)}`));
      assert.ok(entries[i].description.includes(`<strong>Triage:</strong> ${s.triage}`));
    }
    assert.equal(itemsToFeed(summaries, format, OPTIONS), xml, 'the same items give the same feed');
  });
}

test('rss and atom carry the feed metadata: self link, updated time and categories', () => {
  const rss = parser.parse(itemsToFeed(summaries, 'rss', OPTIONS)).rss.channel;
  assert.equal(rss.lastBuildDate, 'Tue, 01 Dec 2026 12:00:00 GMT');
  assert.equal(rss['atom:link']['@href'], OPTIONS.feedUrl);
  assert.equal(rss.link, 'https://vigil.example/');
  const vpn = summaries.find((s) => s.archetype === 'exploited-internet-facing-vulnerability')!;
  const entry = rss.item.find((i: any) => text(i.link).endsWith(vpn.id));
  assert.deepEqual(entry.category.map(text), ['CRITICAL', 'exploited-internet-facing-vulnerability']);
  assert.equal(entry.pubDate, 'Tue, 14 Jul 2026 18:40:00 GMT');
  const atom = parser.parse(itemsToFeed(summaries, 'atom', OPTIONS)).feed;
  assert.equal(atom.updated, '2026-12-01T12:00:00.000Z');
  assert.equal(atom.id, OPTIONS.feedUrl);
  assert.ok(atom.link.some((l: any) => l['@rel'] === 'self' && l['@href'] === OPTIONS.feedUrl));
});

test('json: valid JSON Feed 1.1, the hostile title as plain text, severity, priority and triage as HTML and as data', () => {
  const hostile = { ...summaries[0], title: HOSTILE };
  const feed = JSON.parse(itemsToFeed([hostile, ...summaries.slice(1)], 'json', OPTIONS));
  assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(feed.title, OPTIONS.title);
  assert.equal(feed.home_page_url, 'https://vigil.example/');
  assert.equal(feed.feed_url, OPTIONS.feedUrl);
  assert.equal(feed.items.length, summaries.length);
  assert.equal(feed.items[0].title, HOSTILE, 'JSON Feed titles are plain text: nothing is escaped');
  for (const [i, s] of summaries.entries()) {
    const e = feed.items[i];
    assert.equal(e.id, `https://vigil.example/items/${s.id}`);
    assert.equal(e.url, `https://vigil.example/items/${s.id}`);
    assert.ok(typeof e.content_html === 'string' && e.content_html.includes(`<strong>Triage:</strong> ${s.triage}`));
    assert.deepEqual(e._vigil, { severity: s.severity, priority: s.priority, triage: s.triage, archetype: s.archetype, example: true });
    assert.ok(!Number.isNaN(Date.parse(e.date_modified)));
  }
  assert.equal(parseFeed(itemsToFeed(summaries, 'json', OPTIONS)).format, 'jsonfeed');
});

test('full items give the same entries as their summaries, plus the executive summary, escaped', () => {
  const byId = new Map(items.map((i) => [i.id, i]));
  const ordered = summaries.map((s) => byId.get(s.id)!);
  const fromItems = xmlEntries(itemsToFeed(ordered, 'atom', OPTIONS), 'atom');
  const fromSummaries = xmlEntries(itemsToFeed(summaries, 'atom', OPTIONS), 'atom');
  for (const [i, it] of ordered.entries()) {
    assert.equal(fromItems[i].link, fromSummaries[i].link);
    assert.equal(fromItems[i].title, fromSummaries[i].title);
    // The summary's first paragraphs (figures, archetype, organisation, dates) are the same; the item adds its summary.
    assert.ok(fromItems[i].description.startsWith(fromSummaries[i].description.replace('<p>Example item: the event is fictional.</p>', '')));
    assert.ok(fromItems[i].description.includes(`<p>${it.summary.join(' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</p>`));
  }
  const hostileItem = { ...ordered[0], summary: ['Attackers wrote <img src=x onerror=alert(1)> ]]> into the page.'] };
  const [entry] = xmlEntries(itemsToFeed([hostileItem], 'rss', OPTIONS), 'rss');
  assert.ok(entry.description.includes('Attackers wrote &lt;img src=x onerror=alert(1)&gt; ]]&gt; into the page.'));
});

test('a bad updated time or site URL is refused', () => {
  assert.throws(() => itemsToFeed(summaries, 'rss', { ...OPTIONS, updated: 'yesterday' }), /updated is not a date/);
  assert.throws(() => itemsToFeed(summaries, 'rss', { ...OPTIONS, siteUrl: 'not a url' }));
});
