/** Validators and normalisers for IOC candidates: hosts (public suffix), IPs, crypto-currency addresses, ssdeep. */
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

/* ---------- hosts ---------- */

const LABEL = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Long texts and feeds repeat their hosts: the conversion below is kept per host, bounded so memory stays flat. */
const asciiCache = new Map<string, string | null>();

/** Lower-case ASCII (punycode) form of a host, without trailing dot; null when it cannot be a host name. */
export function asciiHost(host: string): string | null {
  let ascii = asciiCache.get(host);
  if (ascii === undefined) {
    ascii = toAsciiHost(host);
    if (asciiCache.size > 50_000) asciiCache.clear();
    asciiCache.set(host, ascii);
  }
  return ascii;
}

function toAsciiHost(host: string): string | null {
  const h = host.replace(/\.+$/, '');
  if (h.length === 0 || h.length > 253) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: testing for ASCII only
  const ascii = /^[\x00-\x7f]*$/.test(h) ? h.toLowerCase() : domainToASCII(h.toLowerCase());
  if (!ascii || ascii.length > 253) return null;
  return ascii.split('.').every((l) => LABEL.test(l)) ? ascii : null;
}

/**
 * A host name is accepted when its suffix is a public one (ICANN or private section of the PSL)
 * and something is registered under it; a defanged host may carry an unknown TLD, because the
 * author marked it as an indicator (test labs use .tld, .nope, internal zones).
 */
const suffixCache = new Map<string, boolean>();

export function isValidDomain(ascii: string, defanged: boolean): boolean {
  const known = suffixCache.get(ascii);
  if (known === true || (known === false && !defanged)) return known;
  const ok = checkDomain(ascii, defanged);
  // Long texts repeat the same hosts; the public-suffix lookup is the costly part. Bounded so memory stays flat.
  if (!defanged) { if (suffixCache.size > 50_000) suffixCache.clear(); suffixCache.set(ascii, ok); }
  return ok;
}

function checkDomain(ascii: string, defanged: boolean): boolean {
  const labels = ascii.split('.');
  if (labels.length < 2 || !TLD.test(labels[labels.length - 1])) return false;
  const p = parse(ascii, { allowPrivateDomains: true, validateHostname: false });
  if (p.domain && (p.isIcann || p.isPrivate)) return true;
  if (p.isPrivate && p.publicSuffix === ascii) return true;
  const tld = labels[labels.length - 1];
  return defanged && /^[a-z]{2,24}$/.test(tld) && !FILE_EXTENSIONS.has(tld);
}

/** Extensions that are no TLD: a defanged name ending so (payload[.]png) is a file, not a host. */
const FILE_EXTENSIONS = new Set(('exe dll sys bat cmd ps1 psm1 vbs vbe js jse hta scr lnk msi jar cpl ocx wsf doc docx docm '
  + 'xls xlsx xlsm ppt pptx pptm pdf rtf txt log csv json xml yml yaml ini cfg conf dat bin tmp png jpg jpeg gif bmp ico svg '
  + 'htm html php asp aspx jsp css rar 7z gz tgz tar iso img vhd vhdx cab chm dotm dotx hex pdb elf apk dmg pkg deb rpm').split(' '));

/* ---------- IP addresses ---------- */

/** Dotted quad with each octet 0-255; leading zeros are read as decimal (01.1.1.1 is 1.1.1.1). */
export function normaliseIpv4(s: string): string | null {
  // Read digit by digit: every dotted number in a report comes through here.
  const out: number[] = [];
  let n = 0; let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return null;
      n = n * 10 + c - 48;
    } else if (c === 46) {
      if (digits === 0 || n > 255 || out.length === 4) return null;
      out.push(n); n = 0; digits = 0;
    } else return null;
  }
  return out.length === 4 ? out.join('.') : null;
}

/** RFC 5952 canonical text: lower case, no leading zeros, longest run of zero groups compressed. */
export function normaliseIpv6(s: string): string | null {
  if (!isIPv6(s) || !/[0-9a-f]/i.test(s)) return null;
  let head = s.toLowerCase();
  let v4tail: string | null = null;
  const dotted = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(head);
  if (dotted) {
    v4tail = normaliseIpv4(dotted[1]);
    if (!v4tail) return null;
    const [a, b, c, d] = v4tail.split('.').map(Number);
    head = `${head.slice(0, dotted.index)}:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = head.split('::');
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length > 1 ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array(fill).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return null;
  let best = -1; let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const mappedV4 = v4tail && groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0);
  if (mappedV4) {
    const prefix = groups[5] === 0xffff ? '::ffff:' : '::';
    return `${prefix}${v4tail}`;
  }
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/* ---------- hashes and fuzzy hashes ---------- */

export const HASH_BY_LENGTH: Record<number, 'md5' | 'sha1' | 'sha256' | 'sha512'> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };

/** ssdeep block sizes are 3 * 2^n; the first chunk of a real digest is rarely short. */
export function isSsdeep(blockSize: string, chunk1: string, chunk2: string): boolean {
  const b = Number(blockSize);
  if (!Number.isSafeInteger(b) || b < 3 || b % 3 !== 0) return false;
  const q = b / 3;
  return (q & (q - 1)) === 0 && chunk1.length >= 8 && chunk1.length <= 64 && chunk2.length >= 2 && chunk2.length <= 64;
}

/* ---------- crypto-currency addresses ---------- */

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_INDEX = new Map([...B58].map((c, i) => [c, BigInt(i)]));

function base58Decode(s: string): Uint8Array | null {
  let n = 0n;
  for (const c of s) {
    const v = B58_INDEX.get(c);
    if (v === undefined) return null;
    n = n * 58n + v;
  }
  const bytes: number[] = [];
  while (n > 0n) { bytes.unshift(Number(n & 0xffn)); n >>= 8n; }
  for (const c of s) { if (c !== '1') break; bytes.unshift(0); }
  return Uint8Array.from(bytes);
}

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

/** Legacy (P2PKH 1..., P2SH 3...) address: 25 bytes whose last 4 are the double-SHA-256 checksum. */
export function isBase58Btc(s: string): boolean {
  const b = base58Decode(s);
  if (!b || b.length !== 25 || (b[0] !== 0 && b[0] !== 5)) return false;
  const check = sha256(sha256(b.subarray(0, 21)));
  return check.subarray(0, 4).equals(Buffer.from(b.subarray(21)));
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
function polymod(values: number[]): number {
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i];
  }
  return chk >>> 0;
}

/** SegWit address (bc1...): bech32 checksum for witness v0, bech32m for v1+ (BIP 173 / BIP 350). */
export function isBech32Btc(s: string): boolean {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return false;
  const a = s.toLowerCase();
  const sep = a.lastIndexOf('1');
  const hrp = a.slice(0, sep);
  if (hrp !== 'bc' && hrp !== 'tb') return false;
  const data = [...a.slice(sep + 1)].map((c) => BECH32.indexOf(c));
  if (data.length < 7 || data.some((d) => d < 0)) return false;
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const version = data[0];
  const constant = polymod(expanded);
  if (version === 0 ? constant !== 1 : constant !== 0x2bc830a3) return false;
  const programBits = (data.length - 7) * 5;
  const programBytes = Math.floor(programBits / 8);
  if (version === 0) return programBytes === 20 || programBytes === 32;
  return version <= 16 && programBytes >= 2 && programBytes <= 40;
}

/** Monero base58 works in 11-character blocks of 8 bytes; a short last block has a fixed size. */
const XMR_BLOCK = [0, 2, 3, 5, 6, 7, 9, 10, 11];
function moneroDecode(s: string): Uint8Array | null {
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 11) {
    const chunk = s.slice(i, i + 11);
    const size = chunk.length === 11 ? 8 : XMR_BLOCK.indexOf(chunk.length);
    if (size < 0) return null;
    let n = 0n;
    for (const c of chunk) {
      const v = B58_INDEX.get(c);
      if (v === undefined) return null;
      n = n * 58n + v;
    }
    if (n >> BigInt(size * 8) !== 0n) return null;
    for (let k = size - 1; k >= 0; k--) out.push(Number((n >> BigInt(k * 8)) & 0xffn));
  }
  return Uint8Array.from(out);
}

/**
 * Monero standard (prefix 18), subaddress (42) or integrated (19) address. The Keccak checksum is
 * not verified (Node has no Keccak-256); the block structure and network byte already are.
 */
export function isMoneroAddress(s: string): boolean {
  const b = moneroDecode(s);
  if (!b) return false;
  if (b.length === 69) return b[0] === 18 || b[0] === 42;
  return b.length === 77 && b[0] === 19;
}
