// OPML subscription lists: nested folders as categories, http(s) feeds only, each feed once, and refusals of what is not OPML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedError, type FeedErrorCode } from '../../src/sources/feed-parse.js';
import { parseOpml } from '../../src/sources/opml.js';

function refused(body: string | Uint8Array, code: FeedErrorCode, message?: RegExp): void {
  assert.throws(() => parseOpml(body), (err: unknown) => {
    assert.ok(err instanceof FeedError, String(err));
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

const EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Loose feed" type="rss" xmlUrl="https://www.bleepingcomputer.com/feed/" htmlUrl="https://www.bleepingcomputer.com/"/>
    <outline text="Security" title="Security">
      <outline text="CISA advisories" type="rss" xmlUrl="https://www.cisa.gov/cybersecurity-advisories/all.xml" htmlUrl="https://www.cisa.gov/"/>
      <outline title="Krebs &amp; co" text="ignored when a title is given" type="rss" xmlUrl="https://krebsonsecurity.com/feed/?a=1&amp;b=2"/>
      <outline text="Vendors">
        <outline text="Microsoft" type="rss" xmlUrl="https://www.microsoft.com/en-us/security/blog/feed/" htmlUrl="javascript:alert(1)"/>
        <outline text="Duplicate of CISA" type="rss" xmlUrl="https://www.cisa.gov/cybersecurity-advisories/all.xml"/>
      </outline>
      <outline text="">
        <outline type="rss" xmlUrl="https://example.org/atom.xml"/>
      </outline>
    </outline>
    <outline text="News">
      <outline text="Local file" type="rss" xmlUrl="file:///etc/passwd"/>
      <outline text="FTP" type="rss" xmlUrl="ftp://example.org/feed"/>
      <outline text="Not a URL" type="rss" xmlUrl="not a url"/>
      <outline text="The Register" type="rss" xmlURL="http://go.theregister.com/feed/www.theregister.com/security/headlines.atom"/>
    </outline>
  </body>
</opml>`;

test('an OPML export: every http(s) feed once, in order, with its folder as category', () => {
  assert.deepEqual(parseOpml(EXPORT), [
    { title: 'Loose feed', xmlUrl: 'https://www.bleepingcomputer.com/feed/', htmlUrl: 'https://www.bleepingcomputer.com/', category: null },
    { title: 'CISA advisories', xmlUrl: 'https://www.cisa.gov/cybersecurity-advisories/all.xml', htmlUrl: 'https://www.cisa.gov/', category: 'Security' },
    { title: 'Krebs & co', xmlUrl: 'https://krebsonsecurity.com/feed/?a=1&b=2', htmlUrl: null, category: 'Security' },
    { title: 'Microsoft', xmlUrl: 'https://www.microsoft.com/en-us/security/blog/feed/', htmlUrl: null, category: 'Vendors' },
    { title: 'example.org', xmlUrl: 'https://example.org/atom.xml', htmlUrl: null, category: 'Security' }, // an unnamed folder keeps its parent's name
    { title: 'The Register', xmlUrl: 'http://go.theregister.com/feed/www.theregister.com/security/headlines.atom', htmlUrl: null, category: 'News' },
  ]);
});

test('a feed URL keeps its query string: tracking-like parameters are part of a feed\'s address', () => {
  const feeds = parseOpml('<opml version="1.0"><body><outline text="F" xmlUrl="https://ex.com/rss?source=security&amp;utm_x=1"/></body></opml>');
  assert.equal(feeds[0].xmlUrl, 'https://ex.com/rss?source=security&utm_x=1');
});

test('OPML 2.0 category attribute names the folder of a top-level feed', () => {
  const feeds = parseOpml('<opml version="2.0"><body><outline text="F" xmlUrl="https://ex.com/rss" category="/Threat Intel/Vendors,/Other"/></body></opml>');
  assert.equal(feeds[0].category, 'Vendors');
});

test('an empty body is an empty list; a BOM and bytes are read', () => {
  assert.deepEqual(parseOpml('<opml version="2.0"><head/><body/></opml>'), []);
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<opml version="2.0"><body><outline text="Caf\u00e9" xmlUrl="https://ex.com/f"/></body></opml>')]);
  assert.equal(parseOpml(bytes)[0].title, 'Caf\u00e9');
});

test('a bare & in an OPML export is repaired, not fatal', () => {
  const feeds = parseOpml('<opml version="1.0"><body><outline text="AT&T news" xmlUrl="https://ex.com/rss?a=1&b=2"/></body></opml>');
  assert.deepEqual([feeds[0].title, feeds[0].xmlUrl], ['AT&T news', 'https://ex.com/rss?a=1&b=2']);
});

test('what is not OPML is refused: empty, broken XML, a feed, an HTML page, plain text', () => {
  refused('', 'empty');
  refused('<opml version="2.0"><body><outline text="x" xmlUrl="https://ex.com/f">', 'malformed', /ends before/);
  refused('<opml version="2.0"><head/></opml>', 'malformed', /without a <body>/);
  refused('<rss version="2.0"><channel/></rss>', 'not-a-feed', /root element <rss>, not OPML/);
  refused('<!DOCTYPE html><html><body>Subscriptions</body></html>', 'not-a-feed', /HTML page/);
  refused('just some text', 'not-a-feed', /not an OPML document/);
});
