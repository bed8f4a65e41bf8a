/** Special-purpose IP ranges (private, documentation, loopback...): such an address is never a malicious indicator. */
import { isIPv4, isIPv6 } from 'node:net';

const V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'this-network range 0.0.0.0/8 (RFC 1122)'],
  ['10.0.0.0', 8, 'private range 10.0.0.0/8 (RFC 1918)'],
  ['100.64.0.0', 10, 'CGNAT shared range 100.64.0.0/10 (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback range 127.0.0.0/8 (RFC 1122)'],
  ['169.254.0.0', 16, 'link-local range 169.254.0.0/16 (RFC 3927)'],
  ['172.16.0.0', 12, 'private range 172.16.0.0/12 (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments 192.0.0.0/24 (RFC 6890)'],
  ['192.0.2.0', 24, 'documentation range 192.0.2.0/24 (RFC 5737)'],
  ['192.88.99.0', 24, '6to4 relay anycast 192.88.99.0/24 (RFC 7526)'],
  ['192.168.0.0', 16, 'private range 192.168.0.0/16 (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking range 198.18.0.0/15 (RFC 2544)'],
  ['198.51.100.0', 24, 'documentation range 198.51.100.0/24 (RFC 5737)'],
  ['203.0.113.0', 24, 'documentation range 203.0.113.0/24 (RFC 5737)'],
  ['255.255.255.255', 32, 'limited broadcast 255.255.255.255 (RFC 919)'],
  ['224.0.0.0', 4, 'multicast range 224.0.0.0/4 (RFC 5771)'],
  ['240.0.0.0', 4, 'reserved range 240.0.0.0/4 (RFC 1112)'],
];

const V6: [string, number, string][] = [
  ['::', 128, 'unspecified address ::/128 (RFC 4291)'],
  ['::1', 128, 'loopback ::1/128 (RFC 4291)'],
  ['100::', 64, 'discard-only range 100::/64 (RFC 6666)'],
  ['2001:db8::', 32, 'documentation range 2001:db8::/32 (RFC 3849)'],
  ['3fff::', 20, 'documentation range 3fff::/20 (RFC 9637)'],
  ['fc00::', 7, 'unique local range fc00::/7 (RFC 4193)'],
  ['fe80::', 10, 'link-local range fe80::/10 (RFC 4291)'],
  ['ff00::', 8, 'multicast range ff00::/8 (RFC 4291)'],
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function v6ToBigInt(ip: string): bigint {
  const [l, r = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const left = l ? l.split(':') : [];
  const right = r ? r.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

/** Why an address (or a CIDR's base address) is not routable on the public internet, or null when it is. */
export function isReservedAddress(ip: string): string | null {
  const addr = ip.split('/')[0].replace(/^\[|\]$/g, '');
  if (isIPv4(addr)) {
    const n = v4ToInt(addr);
    for (const [base, bits, reason] of V4) {
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      if (((n & mask) >>> 0) === ((v4ToInt(base) & mask) >>> 0)) return reason;
    }
    return null;
  }
  if (!isIPv6(addr)) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  if (mapped) return isReservedAddress(mapped[1]);
  if (/\d+\.\d+\.\d+\.\d+$/.test(addr)) return null;
  const n = v6ToBigInt(addr.toLowerCase());
  for (const [base, bits, reason] of V6) {
    const shift = BigInt(128 - bits);
    if (n >> shift === v6ToBigInt(base) >> shift) return reason;
  }
  return null;
}
