/** Scanners for the fixed-shape IOC types (IPs, hashes, ssdeep, registry keys, paths, files, MACs, ASNs, wallets). */
import type { IocType } from '../domain/ioc.js';
import {
  HASH_BY_LENGTH, isBase58Btc, isBech32Btc, isMoneroAddress, isSsdeep, normaliseIpv4, normaliseIpv6,
} from './ioc-validate.js';

/** A candidate in refanged-text coordinates. */
export interface Hit { type: IocType; value: string; start: number; end: number }
export type Span = readonly [number, number];

export const inside = (spans: readonly Span[], a: number, b: number): boolean => spans.some(([s, e]) => a >= s && b <= e);
export const overlaps = (spans: readonly Span[], a: number, b: number): boolean => spans.some(([s, e]) => a < e && b > s);

/* Every pattern below is linear: repeats are bounded or over classes that cannot overlap what follows. */

const IPV4 = /(?<!\p{N})\d{1,3}(?:\.\d{1,3}){3}(?!\p{N})/gu;
const V6_CHAR = /[0-9A-Fa-f:.]/;
const HEX = /(?<![\p{L}\p{N}])(?:0x)?([0-9a-fA-F]{32,129})(?![\p{L}\p{N}])/gu;
const SSDEEP = /(?<![\p{L}\p{N}:/+])(\d{1,10}):([A-Za-z0-9/+]{3,128}):([A-Za-z0-9/+]{2,128})(?![A-Za-z0-9/+:])/gu;
const MAC = /(?<![\p{L}\p{N}:.-])(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\p{L}\p{N}:-]|\.[\p{L}\p{N}])/gu;
const ASN = /(?<![\p{L}\p{N}_])(?:ASN?|asn) ?(\d{1,10})(?![\p{L}\p{N}_])/gu;
const BTC58 = /(?<![\p{L}\p{N}])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![\p{L}\p{N}])/gu;
const BECH32 = /(?<![\p{L}\p{N}])(?:bc1|BC1|tb1)[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87}(?![\p{L}\p{N}])/gu;
const XMR = /(?<![\p{L}\p{N}])[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?(?![\p{L}\p{N}])/gu;
const REG_ROOT = /(?<![\p{L}\p{N}_\\])(?:HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)|HKLM|HKCU|HKCR|HKU|HKCC):?(?=\\)/giu;
const WIN_ROOT = /(?<![\p{L}\p{N}_\\])(?:[A-Za-z]:|%[A-Za-z_()]{2,40}%|\\\\[\p{L}\p{N}_.$-]{1,63})(?=\\)/gu;
const UNIX_PATH = /(?<![\p{L}\p{N}_./~:\\-])(~?\/)((?:[\p{L}\p{N}_.@+-]{1,255}\/){1,40}[\p{L}\p{N}_.@+-]{0,255})/gu;
const FILE = /(?<![\p{L}\p{N}_.\\/-])[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,200}\.([A-Za-z0-9]{1,5})(?![\p{L}\p{N}_])/gu;

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const r = new RegExp(re.source, re.flags);
  for (let m = r.exec(text); m; m = r.exec(text)) {
    yield m;
    if (m[0].length === 0) r.lastIndex++;
  }
}

export function findIps(text: string): Hit[] {
  const out: Hit[] = [];
  const seen = new Set<string>();
  for (const m of matches(IPV4, text)) {
    const a = m.index; const b = a + m[0].length;
    // A dot before means a longer dotted token (.18.12.15.14, host.1.2.3.4) unless it is an ellipsis.
    if (text[a - 1] === '.' && text[a - 2] !== '.') continue;
    if (text[b] === '.' && /[\p{L}\p{N}]/u.test(text[b + 1] ?? '')) continue;
    const ip = normaliseIpv4(m[0]);
    if (!ip) continue;
    if (text[b] !== '/' && seen.has(ip)) continue; // only the first occurrence is reported
    seen.add(ip);
    const cidr = /^\/(\d{1,2})(?![\p{L}\p{N}_/.])/u.exec(text.slice(b, b + 4));
    if (cidr && Number(cidr[1]) <= 32) out.push({ type: 'cidr', value: `${ip}/${Number(cidr[1])}`, start: a, end: b + cidr[0].length });
    else out.push({ type: 'ipv4', value: ip, start: a, end: b });
  }
  // IPv6: expand around each colon instead of trying a regex at every position (colons are rare, text is long).
  let done = -1;
  for (let c = text.indexOf(':'); c >= 0; c = text.indexOf(':', Math.max(c + 1, done))) {
    let a = c; let b = c + 1;
    while (a > 0 && c - a < 45 && V6_CHAR.test(text[a - 1])) a--;
    while (b < text.length && b - a < 60 && V6_CHAR.test(text[b])) b++;
    done = b;
    if (/[\p{L}\p{N}_:]/u.test(text[a - 1] ?? '')) continue;
    while (text[a] === '.') a++;
    while (b > a && text[b - 1] === '.') b--;
    if (text[b - 1] === ':' && text[b - 2] !== ':') b--;
    const s = text.slice(a, b);
    if ((s.match(/:/g) ?? []).length < 2 || !/\d/.test(s) || /[\p{L}\p{N}_]/u.test(text[b] ?? '')) continue;
    const ip = normaliseIpv6(s);
    if (!ip) continue;
    const cidr = /^\/(\d{1,3})(?![\p{L}\p{N}_/.])/u.exec(text.slice(b, b + 5));
    if (cidr && Number(cidr[1]) <= 128) out.push({ type: 'cidr', value: `${ip}/${Number(cidr[1])}`, start: a, end: b + cidr[0].length });
    else out.push({ type: 'ipv6', value: ip, start: a, end: b });
  }
  return out;
}

export function findSsdeep(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of matches(SSDEEP, text)) {
    if (isSsdeep(m[1], m[2], m[3])) out.push({ type: 'ssdeep', value: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Hex runs of exactly a digest's length; mixed case is an EIP-55 Ethereum address, not a digest. */
export function findHashes(text: string, exclude: readonly Span[]): Hit[] {
  const out: Hit[] = [];
  for (const m of matches(HEX, text)) {
    const hex = m[1];
    const type = HASH_BY_LENGTH[hex.length];
    if (!type || (/[a-f]/.test(hex) && /[A-F]/.test(hex))) continue;
    const start = m.index + m[0].length - hex.length;
    if (overlaps(exclude, start, start + hex.length)) continue;
    out.push({ type, value: hex.toLowerCase(), start, end: start + hex.length });
  }
  return out;
}

export function findMacs(text: string): Hit[] {
  return [...matches(MAC, text)].map((m) => {
    const hex = m[0].replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
    return { type: 'mac' as const, value: hex.match(/../g)!.join(':'), start: m.index, end: m.index + m[0].length };
  });
}

export function findAsns(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of matches(ASN, text)) {
    const n = Number(m[1]);
    if (n > 0 && n <= 4294967295) out.push({ type: 'asn', value: `AS${n}`, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export function findWallets(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of matches(BTC58, text)) if (isBase58Btc(m[0])) out.push({ type: 'btc', value: m[0], start: m.index, end: m.index + m[0].length });
  for (const m of matches(BECH32, text)) if (isBech32Btc(m[0])) out.push({ type: 'btc', value: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  for (const m of matches(XMR, text)) if (isMoneroAddress(m[0])) out.push({ type: 'xmr', value: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const NEXT_ROOT = /^(?:HK(?:LM|CU|CR|U|CC|EY_)|[A-Za-z]:\\|%\w+%\\)/;

/**
 * Backslash-separated segments from `i` (at a backslash). A segment may hold single spaces
 * (Windows NT, Program Files) when another backslash confirms it; the last one stops at a space.
 */
function backslashPathEnd(text: string, i: number): number {
  const limit = Math.min(text.length, i + 1024);
  let end = i; let j = i;
  while (j < limit && text[j] === '\\') {
    while (text[j] === '\\') j++;
    const segStart = j;
    while (j < limit) {
      const c = text[j];
      if (c === '\\' || /["“”‘’<>|*?]/.test(c) || (c !== ' ' && /\s/.test(c))) break;
      if (c === ' ') {
        // A space ends the segment before another root or a command-line switch (reg add HKLM\X /v ...).
        const nx = text[j + 1] ?? ' ';
        if (/[\s\\/-]/.test(nx) || NEXT_ROOT.test(text.slice(j + 1, j + 48))) break;
        // A name with an extension ends the path: C:\x\evil.exe and ...
        if (/\.[A-Za-z0-9]{1,5}$/.test(text.slice(segStart, j))) break;
      }
      j++;
    }
    if (j === segStart) break;
    if (text[j] === '\\') { end = j; continue; }
    const sp = text.indexOf(' ', segStart);
    end = sp >= 0 && sp < j ? sp : j;
    break;
  }
  while (end > i && /[.,;:)'"“”‘’\]\\]/.test(text[end - 1])) end--;
  return end;
}

export function findRegistry(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of matches(REG_ROOT, text)) {
    const end = backslashPathEnd(text, m.index + m[0].length);
    if (end <= m.index + m[0].length + 1) continue;
    out.push({ type: 'registry', value: text.slice(m.index, end).replace(/\\\\+/g, '\\'), start: m.index, end });
  }
  return out;
}

/** First directories that make a slash-path a file-system path rather than a fraction or a URL path. */
const UNIX_ROOTS = new Set(['etc', 'tmp', 'var', 'usr', 'home', 'bin', 'sbin', 'opt', 'dev', 'proc', 'sys', 'lib', 'lib64',
  'root', 'mnt', 'srv', 'boot', 'run', 'Library', 'Users', 'Applications', 'System', 'private', 'Volumes', 'data', 'sdcard', 'system']);

export function findPaths(text: string, exclude: readonly Span[]): Hit[] {
  const out: Hit[] = [];
  for (const m of matches(WIN_ROOT, text)) {
    const start = m.index;
    const end = backslashPathEnd(text, start + m[0].length);
    if (end <= start + m[0].length + 1 || overlaps(exclude, start, end)) continue;
    out.push({ type: 'path', value: text.slice(start, end).replace(/\\\\+/g, '\\'), start, end });
  }
  for (const m of matches(UNIX_PATH, text)) {
    const start = m.index;
    let end = start + m[0].length;
    while (end > start && /[.,;:]/.test(text[end - 1])) end--;
    const first = m[2].split('/')[0];
    if (m[1] === '/' && !UNIX_ROOTS.has(first)) continue;
    if (overlaps(exclude, start, end)) continue;
    out.push({ type: 'path', value: text.slice(start, end), start, end });
  }
  return out;
}

/** Executable and script extensions are indicators on their own; documents and archives only where the text says so. */
const ALWAYS_FILE = new Set(['exe', 'dll', 'ps1', 'psm1', 'bat', 'cmd', 'vbs', 'vbe', 'hta', 'scr', 'lnk', 'msi', 'jar', 'sys',
  'cpl', 'ocx', 'wsf', 'jse', 'docm', 'xlsm', 'pptm', 'dotm', 'msc', 'pif']);
const CONTEXT_FILE = new Set(['js', 'sh', 'py', 'zip', 'rar', '7z', 'iso', 'img', 'vhd', 'one', 'doc', 'docx', 'xls', 'xlsx',
  'pdf', 'apk', 'elf', 'bin', 'dat', 'cab', 'gz', 'tar', 'html', 'htm', 'svg', 'rtf', 'chm', 'iqy', 'xll']);
export const FILE_CONTEXT = /\b(?:files?|filenames?|payloads?|droppers?|drops?|dropped|attachments?|attached|download\w*|execut\w*|scripts?|archives?|named|loaders?|malware|samples?|launch\w*|runs?|delivered|contains?|opens?)\b/i;

export function findFiles(text: string, exclude: readonly Span[], defanged: (a: number, b: number) => boolean): Hit[] {
  const out: Hit[] = [];
  for (const m of matches(FILE, text)) {
    const ext = m[1].toLowerCase();
    const start = m.index; const end = start + m[0].length;
    if (!ALWAYS_FILE.has(ext) && !CONTEXT_FILE.has(ext)) continue;
    if (overlaps(exclude, start, end)) continue;
    // The cue must be in the same clause: "the payload script.js; see page.html" names one file.
    const clause = text.slice(Math.max(0, start - 60), start).split(/[;!?\n]|\.\s/).pop() ?? '';
    if (!ALWAYS_FILE.has(ext) && !defanged(start, end) && !FILE_CONTEXT.test(clause)) continue;
    out.push({ type: 'file', value: m[0], start, end });
  }
  return out;
}
