// The SSRF guard: which addresses are refused and why, odd spellings of loopback, names that resolve privately, and the escape hatches.
import assert from 'node:assert/strict';
import type dns from 'node:dns';
import { isIP } from 'node:net';
import { after, before, test } from 'node:test';
import { checkAddress, checkHost, FetchError, Fetcher, type FetchPolicy, type FetcherDeps } from '../../src/fetch/index.js';
import { startHostileServer, TEXT, type HostileServer } from './hostile-server.js';

const GUARDED = { allowPrivateNetworks: false };

const TABLE: ReadonlyArray<readonly [string, string | null]> = [
  ['0.0.0.0', 'this network'],
  ['0.255.255.255', 'this network'],
  ['10.0.0.5', 'private network (RFC 1918)'],
  ['10.255.255.255', 'private network (RFC 1918)'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT'],
  ['100.128.0.0', null],
  ['100.100.100.200', 'carrier-grade NAT'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['169.254.0.1', 'link-local'],
  ['172.15.255.255', null],
  ['172.16.0.1', 'private network (RFC 1918)'],
  ['172.31.255.255', 'private network (RFC 1918)'],
  ['172.32.0.0', null],
  ['192.0.0.8', 'IETF protocol assignments'],
  ['192.0.2.1', 'TEST-NET-1'],
  ['192.0.3.1', null],
  ['192.168.1.1', 'private network (RFC 1918)'],
  ['198.17.255.255', null],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.20.0.0', null],
  ['198.51.100.7', 'TEST-NET-2'],
  ['203.0.113.9', 'TEST-NET-3'],
  ['224.0.0.251', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['1.1.1.1', null],
  ['8.8.8.8', null],
  ['93.184.216.34', null],
  ['223.255.255.255', null],
  ['::', 'unspecified'],
  ['::1', 'loopback (::1)'],
  ['0:0:0:0:0:0:0:1', 'loopback (::1)'],
  ['fc00::1', 'unique local'],
  ['fd12:3456:789a::1', 'unique local'],
  ['fe80::1', 'link-local (fe80::/10)'],
  ['fe80::1%eth0', 'link-local (fe80::/10)'],
  ['febf:ffff::1', 'link-local (fe80::/10)'],
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'IPv4-mapped 127.0.0.1: loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped 127.0.0.1: loopback'],
  ['::ffff:a9fe:a9fe', 'IPv4-mapped 169.254.169.254: link-local'],
  ['::ffff:10.1.2.3', 'IPv4-mapped 10.1.2.3: private network'],
  ['::ffff:8.8.8.8', null],
  ['64:ff9b::10.0.0.1', 'NAT64 10.0.0.1: private network'],
  ['64:ff9b::7f00:1', 'NAT64 127.0.0.1: loopback'],
  ['64:ff9b::8.8.8.8', null],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['2002:7f00:1::1', '6to4 127.0.0.1: loopback'],
  ['2002:808:808::1', null],
  ['2001:db8::1', 'documentation (2001:db8::/32)'],
  ['2001:db8:ffff::1', 'documentation (2001:db8::/32)'],
  ['2001:db9::1', null],
  ['100::1', 'discard-only'],
  ['2606:4700:4700::1111', null],
  ['2a00:1450:4001:80b::200e', null],
  ['not-an-ip', 'not an IP address'],
];

for (const [ip, reason] of TABLE) {
  test(`checkAddress ${ip} → ${reason ?? 'allowed'}`, () => {
    const got = checkAddress(ip, GUARDED);
    if (reason === null) assert.equal(got, null);
    else assert.ok(got?.includes(reason), `${ip}: got ${got}`);
  });
}

test('allowPrivateNetworks lifts every address check', () => {
  for (const [ip] of TABLE) assert.equal(checkAddress(ip, { allowPrivateNetworks: true }), null, ip);
});

test('metadata hostnames are refused by name, even with private networks allowed, unless listed', () => {
  const open = { allowPrivateNetworks: true, allowHosts: [] };
  for (const host of ['metadata.google.internal', 'METADATA.google.internal.', 'metadata', 'instance-data']) {
    assert.equal(checkHost(host, open), 'cloud metadata hostname', host);
  }
  assert.equal(checkHost('metadata', { allowPrivateNetworks: false, allowHosts: ['metadata'] }), null);
  assert.equal(checkHost('news.example', { allowPrivateNetworks: false, allowHosts: [] }), null);
  assert.equal(checkHost('[::1]', { allowPrivateNetworks: false, allowHosts: [] }), 'loopback (::1)');
  assert.equal(checkHost('[::1]', { allowPrivateNetworks: false, allowHosts: ['::1'] }), null);
});

let server: HostileServer;
before(async () => {
  server = await startHostileServer();
});
after(() => server.close());

function guarded(policy: Partial<FetchPolicy> = {}, deps: FetcherDeps = {}) {
  return new Fetcher({ allowPrivateNetworks: false, retries: 0, perHostDelayMs: 0, connectTimeoutMs: 1000, headersTimeoutMs: 1000, ...policy }, deps);
}

/** A resolver from a table, counting how often it is asked. */
function fakeLookup(table: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup = (hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => {
    calls.push(hostname);
    const list = table[hostname] ?? [];
    setImmediate(() => callback(null, list.map((address) => ({ address, family: isIP(address) }))));
  };
  return { calls, lookup: lookup as unknown as typeof dns.lookup };
}

async function blocked(p: Promise<unknown>, message?: RegExp): Promise<FetchError> {
  const err = await p.then(
    () => assert.fail('expected blocked-address, got a response'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FetchError, String(err));
  assert.equal(err.code, 'blocked-address', err.message);
  assert.equal(err.retryable, false);
  if (message) assert.match(err.message, message);
  return err;
}

test('the loopback server itself is refused when private networks are not allowed', async () => {
  await blocked(guarded().fetch({ url: server.url('/ok') }), /refused 127\.0\.0\.1: loopback/);
  assert.equal(server.hits('/ok'), 0);
});

test('odd spellings of loopback are normalised by the URL parser and refused', async () => {
  const spellings: ReadonlyArray<readonly [string, string]> = [
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[::1]/', '::1'],
    ['http://[0:0:0:0:0:0:0:1]/', '::1'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://0xa9fea9fe/', '169.254.169.254'],
    ['http://[::ffff:a9fe:a9fe]/', '::ffff:a9fe:a9fe'],
  ];
  const f = guarded();
  for (const [url, host] of spellings) {
    assert.equal(new URL(url).hostname.replace(/^\[|\]$/g, ''), host, `the URL parser normalises ${url}`);
    const err = await blocked(f.fetch({ url }));
    assert.ok(err.message.includes(`refused ${host}:`), err.message);
  }
});

test('a metadata hostname is refused before DNS is asked', async () => {
  const { calls, lookup } = fakeLookup({ 'metadata.google.internal': ['93.184.216.34'] });
  await blocked(guarded({ allowPrivateNetworks: true }, { lookup }).fetch({ url: 'http://metadata.google.internal/computeMetadata/v1/' }), /cloud metadata hostname/);
  assert.deepEqual(calls, []);
});

test('a name that resolves to a private address is refused with host, address and reason', async () => {
  const { lookup } = fakeLookup({ 'intranet.example': ['10.0.0.5'] });
  const err = await blocked(guarded({}, { lookup }).fetch({ url: 'http://intranet.example/feed.xml' }));
  assert.match(err.message, /refused 10\.0\.0\.5 for intranet\.example: private network \(RFC 1918\)$/);
  assert.equal(err.url, 'http://intranet.example/feed.xml');
});

test('every resolved address is checked, not just the first', async () => {
  const { lookup } = fakeLookup({ 'mixed.example': ['93.184.216.34', '127.0.0.1'] });
  await blocked(guarded({}, { lookup }).fetch({ url: 'http://mixed.example/' }), /refused 127\.0\.0\.1 for mixed\.example: loopback/);
});

test('IPv6 answers are checked too, mapped IPv4 by its embedded address', async () => {
  const { lookup } = fakeLookup({ 'six.example': ['::1'], 'mapped.example': ['::ffff:192.168.0.10'] });
  await blocked(guarded({}, { lookup }).fetch({ url: 'http://six.example/' }), /refused ::1 for six\.example: loopback/);
  await blocked(guarded({}, { lookup }).fetch({ url: 'http://mapped.example/' }), /IPv4-mapped 192\.168\.0\.10: private network/);
});

test('localhost through the real resolver is refused', async () => {
  await blocked(guarded().fetch({ url: `http://localhost:${server.port}/ok` }), /for localhost: loopback/);
});

test('the address checked is the address connected to: one resolution, used by the socket', async () => {
  // rebind.test exists only in this resolver, so reaching the server proves the socket used the checked answer.
  const { calls, lookup } = fakeLookup({ 'rebind.test': ['127.0.0.1'] });
  await blocked(guarded({}, { lookup }).fetch({ url: `http://rebind.test:${server.port}/ok?id=rebind` }));
  assert.deepEqual(calls, ['rebind.test']);
  assert.equal(server.hits('/ok?id=rebind'), 0);
  const r = await guarded({ allowPrivateNetworks: true }, { lookup }).fetch({ url: `http://rebind.test:${server.port}/ok?id=rebind` });
  assert.equal(r.kind === 'ok' && r.body.toString(), TEXT);
  assert.deepEqual(calls, ['rebind.test', 'rebind.test']);
});

test('allowHosts lets a listed name through even when it resolves privately', async () => {
  const { lookup } = fakeLookup({ 'feed.intranet': ['127.0.0.1'], 'other.intranet': ['127.0.0.1'] });
  const f = guarded({ allowHosts: ['Feed.Intranet'] }, { lookup });
  const r = await f.fetch({ url: `http://feed.intranet:${server.port}/ok` });
  assert.equal(r.kind, 'ok');
  await blocked(f.fetch({ url: `http://other.intranet:${server.port}/ok` }), /for other\.intranet: loopback/);
});

test('allowHosts lets a listed IP through, as a literal or as a resolved address', async () => {
  const { lookup } = fakeLookup({ 'feed.intranet': ['127.0.0.1'] });
  const f = guarded({ allowHosts: ['127.0.0.1'] }, { lookup });
  assert.equal((await f.fetch({ url: server.url('/ok') })).kind, 'ok');
  assert.equal((await f.fetch({ url: `http://feed.intranet:${server.port}/ok` })).kind, 'ok');
  await blocked(f.fetch({ url: 'http://127.0.0.2/' }), /refused 127\.0\.0\.2: loopback/);
});
