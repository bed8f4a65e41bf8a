// The exact-token index's keys: which parts of a search text are identifiers, and which search terms are looked up by them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identifierTerm, identifierTokens } from '../../src/store/search-tokens.js';

test('a text yields its identifiers, lower-cased, once, without the punctuation around them', () => {
  const hash = 'AF8C6E1469EE51F4B4161D6387F301D55194E6C820707FFABF121B3F5DE43E23';
  const text = `Exploited (CVE-2026-1234), see CVE-2026-1234. Beacon to https://cdn.Evil.com:8443/a/b.php?x=1 and 10.0.0.1; sha256:${hash}\n`
    + 'dropped C:\\Temp\\loader_x64.dll; T1059.001 and T1190. Mail from ops@mail.corp.co.uk, version 1.2.3, e.g. U.S. 300.1.1.1';
  assert.deepEqual(identifierTokens(text), ['cve-2026-1234', 'cdn.evil.com', 'evil.com', 'b.php', '10.0.0.1', hash.toLowerCase(),
    'loader_x64.dll', 't1059.001', 't1190', 'mail.corp.co.uk', 'corp.co.uk', 'co.uk']);
});

test('words, versions and fragments are not identifiers', () => {
  assert.deepEqual(identifierTokens('ransomware hits 42 hospitals in v2.1 of the 1.2.3 release, CVE-2026 draft, abc123'), []);
});

test('a search term is looked up when it is one whole identifier', () => {
  assert.equal(identifierTerm('CVE-2026-1234'), 'cve-2026-1234');
  assert.equal(identifierTerm('<Evil.COM>,'), 'evil.com');
  assert.equal(identifierTerm('1.2.3.4'), '1.2.3.4');
  assert.equal(identifierTerm('t1566.002'), 't1566.002');
  for (const t of ['edge-metrics', 'Foo Networks', 'breach', 'https://evil.com/x', 'evil.com/x', '1.2.3', 'e.g', 'abc']) assert.equal(identifierTerm(t), null, t);
});
