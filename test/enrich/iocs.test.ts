/** The IOC table: confidence and its rule per indicator, benign marking, and MISP warninglists (the real lists under shared/data) marking or lowering, never dropping. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Ioc } from '../../src/domain/index.js';
import { iocTable } from '../../src/enrich/iocs.js';
import { documentText, extract, splitSentences } from '../../src/extract/index.js';
import { parseDocument } from '../../src/ingest/index.js';
import { type Catalogs, NO_CATALOGS } from '../../src/knowledge/catalogs.js';
import { importCatalogs } from '../../src/knowledge/import-catalogs.js';
import { loadCatalogs } from '../../src/knowledge/store-catalogs.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { SHARED, testKb } from '../helpers.js';

function table(body: string, catalogs: Catalogs = NO_CATALOGS): Ioc[] {
  const doc = parseDocument({ bytes: Buffer.from(`Title: Campaign report\n\n${body}`), origin: 'report.txt' });
  const facts = extract(doc, testKb(), catalogs);
  return iocTable(facts, [doc], splitSentences(documentText(doc)), testKb().benignDomains, catalogs);
}
const byValue = (iocs: readonly Ioc[], value: string): Ioc => {
  const found = iocs.find((i) => i.value === value);
  assert.ok(found, `${value} in ${iocs.map((i) => i.value).join(', ')}`);
  return found;
};

describe('confidence and its rule', () => {
  it('defanged, stated as malicious, or merely mentioned', () => {
    const iocs = table('The implant beacons to update-check[.]net. Its C2 server is 45.153.243.142. The company site is acme-widgets.com.');
    assert.deepEqual([byValue(iocs, 'update-check.net').confidence, byValue(iocs, 'update-check.net').rule], ['high', 'defanged by the author, which marks an indicator']);
    assert.deepEqual([byValue(iocs, '45.153.243.142').confidence, byValue(iocs, '45.153.243.142').rule], ['high', 'stated next to indicator or malicious-infrastructure wording']);
    assert.deepEqual([byValue(iocs, 'acme-widgets.com').confidence, byValue(iocs, 'acme-widgets.com').rule], ['medium', 'appears in the reporting without indicator wording']);
  });

  it('benign values are kept with a low confidence and the reason', () => {
    const iocs = table('The lab used 10.0.0.5 and documentation host www.example for tests.');
    const ip = byValue(iocs, '10.0.0.5');
    assert.deepEqual([ip.benign, ip.confidence, ip.rule, ip.benignReason], [true, 'low', 'special-use address, never an indicator', 'private range 10.0.0.0/8 (RFC 1918)']);
  });

  it('without imported catalogs no warninglist applies', () => {
    const ip = byValue(table('The malware checks connectivity with 8.8.8.8 first.'), '8.8.8.8');
    assert.deepEqual([ip.benign, ip.confidence], [false, 'medium']);
  });
});

describe('MISP warninglists', { skip: !fs.existsSync(`${SHARED}/misp-warninglists`) && 'shared data absent' }, () => {
  let store: Store;
  let catalogs: Catalogs;
  before(async () => {
    store = await openSqliteStore(':memory:');
    const reports = await importCatalogs(store, SHARED, '2026-12-01T00:00:00Z');
    const lists = reports.find((r) => r.name === 'misp-warninglists');
    assert.ok(lists && lists.entries > 100_000, JSON.stringify(lists));
    assert.equal(lists.version, '84f0610aaf3b');
    catalogs = await loadCatalogs(store);
  });
  after(async () => { await store.close(); });

  it('are looked up by value and type: addresses in blocks, hosts with their parents, digests exactly', () => {
    const lists = (v: string, t: Parameters<Catalogs['warninglists']>[1]) => catalogs.warninglists(v, t).map((h) => `${h.list}:${h.kind}`);
    assert.deepEqual(lists('8.8.8.8', 'ipv4'), ['public-dns-v4:non-malicious']);
    assert.deepEqual(lists('2001:db8::1', 'ipv6'), ['rfc3849:special-use']);
    assert.deepEqual(lists('d41d8cd98f00b204e9800998ecf8427e', 'md5'), ['empty-hashes:non-malicious', 'common-ioc-false-positive:non-malicious']);
    assert.ok(lists('pastebin.com', 'domain').includes('tranco10k:top-sites'));
    assert.ok(lists('x.blob.core.windows.net', 'domain').includes('microsoft:shared'));
    assert.ok(lists('https://bit.ly/3abc', 'url').includes('url-shortener:shared'));
    assert.deepEqual(lists('update-check.net', 'domain'), []);
    assert.deepEqual(NO_CATALOGS.warninglists('8.8.8.8', 'ipv4'), []);
  });

  it('mark non-malicious and special-use values benign, whatever the text says, and keep them', () => {
    const text = 'The malware checks connectivity with 8[.]8[.]8[.]8, then beacons to update-check[.]net. '
      + 'The dropped file is empty (MD5 d41d8cd98f00b204e9800998ecf8427e). Samples link to example.com.';
    const without = table(text);
    const iocs = table(text, catalogs);
    assert.deepEqual(iocs.map((i) => i.value), without.map((i) => i.value), 'no indicator is dropped');
    const dns = byValue(iocs, '8.8.8.8');
    assert.deepEqual([dns.benign, dns.confidence, dns.rule, dns.benignReason],
      [true, 'low', 'on a MISP warninglist of benign values', 'MISP warninglist: List of known IPv4 public DNS resolvers']);
    assert.equal(byValue(iocs, 'd41d8cd98f00b204e9800998ecf8427e').benignReason, 'MISP warninglist: List of known hashes for empty files');
    assert.equal(byValue(iocs, 'example.com').benignReason, 'MISP warninglist: List of RFC 6761 Special-Use Domain Names');
    assert.deepEqual([byValue(iocs, 'update-check.net').benign, byValue(iocs, 'update-check.net').confidence], [false, 'high']);
  });

  it('never clear an abused popular host: a top-sites hit only lowers confidence', () => {
    const iocs = table('The loader fetches its payload from hxxps://pastebin[.]com/raw/Xy12Ab and from '
      + 'https://raw.githubusercontent.com/evil-dev/tools/main/stage2.ps1. Users were also sent to github.com.', catalogs);
    const paste = byValue(iocs, 'https://pastebin.com/raw/Xy12Ab');
    assert.deepEqual([paste.benign, paste.confidence], [false, 'medium']);
    assert.match(paste.rule, /^defanged by the author, which marks an indicator; lowered: on MISP warninglist "[^"]+" \(a popular site/);
    // raw.githubusercontent.com is on the vendor-blog list too, and still never marked benign.
    const raw = byValue(iocs, 'https://raw.githubusercontent.com/evil-dev/tools/main/stage2.ps1');
    assert.deepEqual([raw.benign, raw.confidence], [false, 'medium']);
    const gh = byValue(iocs, 'github.com');
    assert.equal(gh.benign, true, 'github.com is a kb benign service domain');
  });

  it('mark a vendor blog benign when cited plainly, and only lower it when the text treats it as hostile', () => {
    const cited = byValue(table('A write-up is at https://blog.didierstevens.com/2024/01/01/analysis/ for details.', catalogs),
      'https://blog.didierstevens.com/2024/01/01/analysis/');
    assert.deepEqual([cited.benign, cited.benignReason], [true, 'MISP warninglist: List of known security providers/vendors blog domain']);
    const hostile = byValue(table('The phishing kit was hosted at hxxps://blog.didierstevens[.]com/kit.zip by the attacker.', catalogs),
      'https://blog.didierstevens.com/kit.zip');
    assert.deepEqual([hostile.benign, hostile.confidence], [false, 'medium']);
    assert.match(hostile.rule, /lowered: on MISP warninglist .* \(a security vendor or analysis service/);
  });

  it('lower shared cloud ranges and shorteners, and leave unlisted indicators alone', () => {
    const iocs = table('Victims received https://bit.ly/3xYzAbC. Their C2 at 52.95.110.1 relays to 45.153.243.142.', catalogs);
    const short = byValue(iocs, 'https://bit.ly/3xYzAbC');
    assert.deepEqual([short.benign, short.confidence], [false, 'low']);
    const aws = byValue(iocs, '52.95.110.1');
    assert.deepEqual([aws.benign, aws.confidence], [false, 'medium']);
    assert.match(aws.rule, /List of known Amazon AWS IP address ranges.*shared infrastructure/);
    const plain = byValue(iocs, '45.153.243.142');
    assert.deepEqual([plain.confidence, plain.rule], ['high', 'stated next to indicator or malicious-infrastructure wording']);
  });
});
