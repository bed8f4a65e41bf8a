/** SSRF guard: refuses private, loopback, link-local, reserved and cloud-metadata destinations, checked on the address actually connected to. */
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { FetchError } from './errors.js';
import type { FetchPolicy } from './fetcher.js';

type GuardPolicy = Pick<FetchPolicy, 'allowPrivateNetworks' | 'allowHosts'>;

// Most specific first: 255.255.255.255 sits inside 240/4 but deserves its own name.
const V4_RANGES: ReadonlyArray<readonly [string, number, string]> = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'this network (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private network (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (where cloud metadata services answer)'],
  ['172.16.0.0', 12, 'private network (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (TEST-NET-1)'],
  ['192.168.0.0', 16, 'private network (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (240.0.0.0/4)'],
];

// Prefixes as 16-bit groups; ranges that embed an IPv4 address are handled before these.
const V6_RANGES: ReadonlyArray<readonly [readonly number[], number, string]> = [
  [[0x64, 0xff9b, 0x1], 48, 'local-use NAT64 (64:ff9b:1::/48)'],
  [[0x100, 0, 0, 0], 64, 'discard-only (100::/64)'],
  [[0x2001, 0xdb8], 32, 'documentation (2001:db8::/32)'],
  [[0xfc00], 7, 'unique local (fc00::/7)'],
  [[0xfe80], 10, 'link-local (fe80::/10)'],
  [[0xfec0], 10, 'site-local (fec0::/10, deprecated)'],
  [[0xff00], 8, 'multicast (ff00::/8)'],
];

// Resolve on internal DNS to the metadata service; refused by name so no resolver trick can reach it.
const METADATA_HOSTS: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

function parseV4(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Reason(ip: string): string | null {
  const n = parseV4(ip);
  for (const [base, bits, reason] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (Math.floor(n / size) === Math.floor(parseV4(base) / size)) return reason;
  }
  return null;
}

/** Eight 16-bit groups; the input is already known to be a valid IPv6 address. */
function parseV6(ip: string): number[] {
  let s = ip.split('%')[0];
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const n = parseV4(tail);
    s = `${s.slice(0, lastColon + 1)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head, rest] = s.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  if (rest === undefined) return left;
  const right = groups(rest);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function v4From(hi: number, lo: number): string {
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

function inPrefix(groups: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i * 16 < bits; i++) {
    const take = Math.min(16, bits - i * 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((groups[i] & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function v6Reason(ip: string): string | null {
  const g = parseV6(ip);
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified address (::)';
  if (zeroTo(7) && g[7] === 1) return 'loopback (::1)';
  // Addresses that carry an IPv4 address reach that address, so it is the IPv4 address that is judged.
  const embedded = (v4: string, kind: string) => {
    const reason = v4Reason(v4);
    return reason === null ? null : `${kind} ${v4}: ${reason}`;
  };
  if (zeroTo(5) && g[5] === 0xffff) return embedded(v4From(g[6], g[7]), 'IPv4-mapped');
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(v4From(g[6], g[7]), 'NAT64');
  if (zeroTo(6)) return 'IPv4-compatible (::/96, deprecated)';
  if (g[0] === 0x2002) return embedded(v4From(g[1], g[2]), '6to4');
  for (const [prefix, bits, reason] of V6_RANGES) if (inPrefix(g, prefix, bits)) return reason;
  return null;
}

/** Why an address may not be fetched from, or null when it may. */
export function checkAddress(ip: string, policy: Pick<FetchPolicy, 'allowPrivateNetworks'>): string | null {
  if (policy.allowPrivateNetworks) return null;
  const family = isIP(ip);
  if (family === 4) return v4Reason(ip);
  if (family === 6) return v6Reason(ip);
  return 'not an IP address';
}

/** Lower case, no IPv6 brackets, no trailing root dot: the form hosts are compared in. */
export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
}

function allowed(host: string, policy: GuardPolicy): boolean {
  return policy.allowHosts.some((h) => normaliseHost(h) === host);
}

/** Checks a URL's host before connecting: metadata names, and literal IPs, which never go through DNS. */
export function checkHost(host: string, policy: GuardPolicy): string | null {
  const h = normaliseHost(host);
  if (allowed(h, policy)) return null;
  if (METADATA_HOSTS.has(h)) return 'cloud metadata hostname';
  return isIP(h) ? checkAddress(h, policy) : null;
}

const TRANSIENT_DNS: ReadonlySet<string> = new Set(['EAI_AGAIN', 'ETIMEOUT', 'ESERVFAIL', 'ECONNREFUSED']);

/**
 * A lookup for http(s).request that refuses blocked addresses, so the address checked is the address
 * the socket then connects to: a second resolution that could answer differently (DNS rebinding) never happens.
 */
export function guardedLookup(url: string, policy: GuardPolicy, lookup: typeof dns.lookup = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { family: options.family, hints: options.hints, all: true }, (err, addresses) => {
      if (err) {
        const retryable = TRANSIENT_DNS.has(err.code ?? '');
        callback(new FetchError('dns', url, `cannot resolve ${hostname}: ${err.code ?? err.message}`, { retryable, cause: err }), '');
        return;
      }
      if (addresses.length === 0) {
        callback(new FetchError('dns', url, `cannot resolve ${hostname}: no addresses`, { retryable: false }), '');
        return;
      }
      const h = normaliseHost(hostname);
      if (!allowed(h, policy)) {
        // Every address is checked, not just the first: the socket may fall back to any of them.
        for (const { address } of addresses) {
          const reason = allowed(normaliseHost(address), policy) ? null : checkAddress(address, policy);
          if (reason !== null) {
            callback(new FetchError('blocked-address', url, `refused ${address} for ${h}: ${reason}`, { retryable: false }), '');
            return;
          }
        }
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
