// Reading documents: formats, headers, identity, and the refusals of bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalUrl, IngestError, parseDocument } from '../../src/ingest/index.js';
import { bytes } from '../helpers.js';

test('plain text with header lines', () => {
  const d = parseDocument({ bytes: bytes('Title: Acme hit\nSource: Wire\nPublished: 2026-03-30T14:05:00Z\nURL: https://news.example/a?utm_source=x&id=2\n\nBody one.\n\nBody two.'), origin: 'a.txt' });
  assert.equal(d.title, 'Acme hit');
  assert.equal(d.outlet, 'Wire');
  assert.equal(d.published, '2026-03-30T14:05:00.000Z');
  assert.equal(d.url, 'https://news.example/a?id=2');
  assert.equal(d.text, 'Body one.\n\nBody two.');
  assert.equal(d.format, 'text');
  assert.match(d.id, /^doc_[0-9a-f]{20}$/);
});

test('text without headers takes its first line as title and keeps identity by content', () => {
  const a = parseDocument({ bytes: bytes('First line here\n\nMore text.'), origin: 'x.txt' });
  const b = parseDocument({ bytes: bytes('First line here\n\nMore text.'), origin: 'y.txt' });
  assert.equal(a.title, 'First line here');
  assert.equal(a.outlet, 'local file');
  assert.equal(a.id, b.id);
});

test('HTML goes through Readability: article text only, no scripts, site and date from meta', () => {
  const html = `<!doctype html><html><head><title>Page title</title><meta property="og:site_name" content="Example Wire">
  <meta property="article:published_time" content="2026-05-12T09:00:00Z"></head><body><nav>Home | Sections | Subscribe</nav>
  <article><h1>Ransomware hits plant</h1><p>${'The attackers encrypted servers at the plant and demanded a ransom. '.repeat(6)}</p>
  <p>Production stopped for five days.</p><script>alert(1)</script></article><footer>Copyright</footer></body></html>`;
  const d = parseDocument({ bytes: bytes(html), origin: 'page.html' });
  assert.equal(d.format, 'html');
  assert.match(d.text, /Production stopped for five days\./);
  assert.doesNotMatch(d.text, /alert\(1\)|Subscribe|Copyright/);
  assert.equal(d.outlet, 'Example Wire');
  assert.equal(d.published, '2026-05-12T09:00:00.000Z');
});

test('Markdown: heading becomes the title, markup and raw HTML become text', () => {
  const d = parseDocument({ bytes: bytes('# Phishing wave\n\nAttackers used **lookalike** domains.\n\n<script>x</script>\n'), origin: 'p.md' });
  assert.equal(d.title, 'Phishing wave');
  assert.match(d.text, /Attackers used lookalike domains\./);
  assert.match(d.text, /<script>x<\/script>/, 'raw HTML stays visible as text, it is never markup');
});

const refusals: [string, Uint8Array, string, string][] = [
  ['empty', bytes('   \n\n'), 'e.txt', 'empty'],
  ['binary', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]), 'b.txt', 'binary'],
  ['invalid UTF-8', new Uint8Array([0x48, 0x69, 0xc3, 0x28, 0x0a]), 'u.txt', 'invalid-utf8'],
  ['unknown format', bytes('%PDF-1.7 text'), 'report.pdf', 'unknown-format'],
];
for (const [name, input, origin, code] of refusals) {
  test(`refuses ${name} input with a clear error`, () => {
    assert.throws(() => parseDocument({ bytes: input, origin }), (e: unknown) => e instanceof IngestError && e.code === code && e.message.startsWith(`ingest: ${origin}: `));
  });
}

test('refuses input over the size limit before decoding it', () => {
  assert.throws(() => parseDocument({ bytes: new Uint8Array(2048), origin: 'big.txt', maxBytes: 1024 }), (e: unknown) => e instanceof IngestError && e.code === 'too-large' && /over the limit of 1024 bytes/.test(e.message));
});

test('canonicalUrl drops tracking parameters and fragments', () => {
  assert.equal(canonicalUrl('https://Example.COM/a?utm_medium=x&b=1#top'), 'https://example.com/a?b=1');
});

test('a javascript: or data: URL header is dropped, never kept as the link', () => {
  for (const bad of ['javascript:alert(1)', 'data:text/html,<script>x</script>', 'file:///etc/passwd']) {
    const d = parseDocument({ bytes: bytes(`Title: t\nURL: ${bad}\n\nBody.`), origin: 'a.txt' });
    assert.equal(d.url, null, bad);
  }
});

test('Markdown bylines give the publication date and source link', () => {
  const d = parseDocument({ bytes: bytes('# Title here\n\n*Example blog · Published August 12, 2026*\n\nSource URL: https://blog.example/post?utm_source=x\n\nBody text.'), origin: 'b.md' });
  assert.equal(d.published, '2026-08-12T00:00:00.000Z');
  assert.equal(d.url, 'https://blog.example/post');
  assert.equal(d.outlet, 'blog.example');
});
