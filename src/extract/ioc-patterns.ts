/** Scanners for the fixed-shape IOC types (IPs, hashes, ssdeep, registry keys, paths, files, MACs, ASNs, wallets). */
import type { IocType } from '../domain/ioc.js';
import { type Candidates, CharClass, type DotRuns, Occurrences, type SpanIndex, StickyScan, fromSorted, sortedUnique, sticky } from './ioc-scan.js';
import {
  HASH_BY_LENGTH, isBase58Btc, isBech32Btc, isMoneroAddress, isSsdeep, normaliseIpv4, normaliseIpv6,
} from './ioc-validate.js';

/** A candidate in refanged-text coordinates. */
export interface Hit { type: IocType; value: string; start: number; end: number }

/*
 * Every pattern below is linear: repeats are bounded or over classes that cannot overlap what follows.
 * Each is tried only where its trigger (a colon, a backslash, a long alphanumeric run...) allows a
 * match to start, never at every position of the text.
 */

const IPV4 = sticky(/(?<!\p{N})\d{1,3}(?:\.\d{1,3}){3}(?!\p{N})/gu);
const V6_CHAR = new CharClass('[0-9A-Fa-f:.]');
const HEX = sticky(/(?<![\p{L}\p{N}])(?:0x)?([0-9a-fA-F]{32,129})(?![\p{L}\p{N}])/gu);
const SSDEEP = sticky(/(?<![\p{L}\p{N}:/+])(\d{1,10}):([A-Za-z0-9/+]{3,128}):([A-Za-z0-9/+]{2,128})(?![A-Za-z0-9/+:])/gu);
const MAC = sticky(/(?<![\p{L}\p{N}:.-])(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\p{L}\p{N}:-]|\.[\p{L}\p{N}])/gu);
const ASN = sticky(/(?<![\p{L}\p{N}_])(?:ASN?|asn) ?(\d{1,10})(?![\p{L}\p{N}_])/gu);
const BTC58 = sticky(/(?<![\p{L}\p{N}])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![\p{L}\p{N}])/gu);
const BECH32 = sticky(/(?<![\p{L}\p{N}])(?:bc1|BC1|tb1)[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87}(?![\p{L}\p{N}])/gu);
const XMR = sticky(/(?<![\p{L}\p{N}])[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?(?![\p{L}\p{N}])/gu);
const REG_ROOT = sticky(/(?<![\p{L}\p{N}_\\])(?:HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)|HKLM|HKCU|HKCR|HKU|HKCC):?(?=\\)/giu);
const WIN_ROOT = sticky(/(?<![\p{L}\p{N}_\\])(?:[A-Za-z]:|%[A-Za-z_()]{2,40}%|\\\\[\p{L}\p{N}_.$-]{1,63})(?=\\)/gu);
const UNIX_PATH = sticky(/(?<![\p{L}\p{N}_./~:\\-])(~?\/)((?:[\p{L}\p{N}_.@+-]{1,255}\/){1,40}[\p{L}\p{N}_.@+-]{0,255})/gu);
const FILE = sticky(/(?<![\p{L}\p{N}_.\\/-])[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,200}\.([A-Za-z0-9]{1,5})(?![\p{L}\p{N}_])/gu);

const FILE_CHAR = new CharClass('[\\p{L}\\p{N}_.-]');
const WORD_CHAR = new CharClass('[\\p{L}\\p{N}_]');
const PATH_CHAR = new CharClass('[\\p{L}\\p{N}_.@+-]');
const isHex = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
const isDigit = (c: number) => c >= 48 && c <= 57;

/** The match starts that `starts` derives from each occurrence of each needle, in text order. */
function around(occ: Occurrences, needles: readonly string[], starts: (p: number, into: number[]) => void): Candidates {
  const out: number[] = [];
  for (const n of needles) for (const p of occ.of(n)) starts(p, out);
  return fromSorted(sortedUnique(out, occ.text.length));
}

export function findIps(text: string, occ = new Occurrences(text)): Hit[] {
  const out: Hit[] = [];
  const seen = new Set<string>();
  // An address starts at the one to three digits before one of its dots.
  const starts: number[] = [];
  for (const d of occ.of('.')) {
    if (!isDigit(text.charCodeAt(d - 1))) continue;
    let a = d - 1;
    while (a > 0 && d - a < 4 && isDigit(text.charCodeAt(a - 1))) a--;
    if (d - a <= 3 && a !== starts[starts.length - 1]) starts.push(a);
  }
  for (const m of new StickyScan(IPV4, text, fromSorted(starts)).all()) {
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
  for (const c of occ.of(':')) {
    if (c < done) continue;
    let a = c; let b = c + 1;
    while (a > 0 && c - a < 45 && V6_CHAR.hasBefore(text, a)) a--;
    while (b < text.length && b - a < 60 && V6_CHAR.has(text, b)) b++;
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

export function findSsdeep(text: string, occ = new Occurrences(text)): Hit[] {
  const out: Hit[] = [];
  // A digest starts with its block size: the digits just before a colon.
  const starts = around(occ, [':'], (p, into) => {
    let a = p;
    while (a > 0 && p - a <= 10 && isDigit(text.charCodeAt(a - 1))) a--;
    if (a < p) into.push(a);
  });
  for (const m of new StickyScan(SSDEEP, text, starts).all()) {
    if (isSsdeep(m[1], m[2], m[3])) out.push({ type: 'ssdeep', value: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Digests and wallet addresses are whole ASCII alphanumeric runs of 26 characters or more. */
const LONG_RUN = 26;
const isAlnum = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);

/**
 * Starts of the ASCII alphanumeric runs at least `LONG_RUN` long. Any such run covers a multiple of
 * `LONG_RUN`, so only those positions are probed and the run is read around a probe that hits one:
 * prose is read a fraction of a word at a time.
 */
export function longRuns(text: string): number[] {
  const out: number[] = [];
  for (let p = LONG_RUN - 1; p < text.length; p += LONG_RUN) {
    if (!isAlnum(text.charCodeAt(p))) continue;
    let a = p; let b = p + 1;
    while (a > 0 && isAlnum(text.charCodeAt(a - 1))) a--;
    while (b < text.length && isAlnum(text.charCodeAt(b))) b++;
    if (b - a >= LONG_RUN) out.push(a);
    while (p + LONG_RUN < b) p += LONG_RUN; // the next probe past this run
  }
  return out;
}

/** Hex runs of exactly a digest's length; mixed case is an EIP-55 Ethereum address, not a digest. */
export function findHashes(text: string, exclude: SpanIndex, runs: readonly number[] = longRuns(text)): Hit[] {
  const out: Hit[] = [];
  for (const m of new StickyScan(HEX, text, fromSorted(runs)).all()) {
    const hex = m[1];
    const type = HASH_BY_LENGTH[hex.length];
    if (!type || (/[a-f]/.test(hex) && /[A-F]/.test(hex))) continue;
    const start = m.index + m[0].length - hex.length;
    if (exclude.overlaps(start, start + hex.length)) continue;
    out.push({ type, value: hex.toLowerCase(), start, end: start + hex.length });
  }
  return out;
}

export function findMacs(text: string, occ = new Occurrences(text)): Hit[] {
  // aa:bb:..., aa-bb-... (the same separator five times) and aabb.ccdd.eeff: the first separator fixes the start.
  const out: number[] = [];
  for (const sep of [':', '-']) {
    for (const p of occ.of(sep)) if (text[p + 3] === sep && isHex(text.charCodeAt(p - 1)) && isHex(text.charCodeAt(p - 2))) out.push(p - 2);
  }
  for (const p of occ.of('.')) {
    if (text.charCodeAt(p + 5) === 46 && isHex(text.charCodeAt(p - 1)) && isHex(text.charCodeAt(p - 2)) && isHex(text.charCodeAt(p - 3)) && isHex(text.charCodeAt(p - 4))) out.push(p - 4);
  }
  const starts = fromSorted(sortedUnique(out, text.length));
  return [...new StickyScan(MAC, text, starts).all()].map((m) => {
    const hex = m[0].replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
    return { type: 'mac' as const, value: hex.match(/../g)!.join(':'), start: m.index, end: m.index + m[0].length };
  });
}

export function findAsns(text: string, occ = new Occurrences(text)): Hit[] {
  const out: Hit[] = [];
  for (const m of new StickyScan(ASN, text, around(occ, ['AS', 'asn'], (p, into) => { into.push(p); })).all()) {
    const n = Number(m[1]);
    if (n > 0 && n <= 4294967295) out.push({ type: 'asn', value: `AS${n}`, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export function findWallets(text: string, runs: readonly number[] = longRuns(text), occ = new Occurrences(text)): Hit[] {
  const out: Hit[] = [];
  for (const m of new StickyScan(BTC58, text, fromSorted(runs)).all()) if (isBase58Btc(m[0])) out.push({ type: 'btc', value: m[0], start: m.index, end: m.index + m[0].length });
  // Found from their "1" (a rare character, so found fast) rather than from their common first letters.
  const bech = around(occ, ['1'], (p, into) => {
    const hrp = text.slice(p - 2, p);
    if (hrp === 'bc' || hrp === 'BC' || hrp === 'tb') into.push(p - 2);
  });
  for (const m of new StickyScan(BECH32, text, bech).all()) if (isBech32Btc(m[0])) out.push({ type: 'btc', value: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  for (const m of new StickyScan(XMR, text, fromSorted(runs)).all()) if (isMoneroAddress(m[0])) out.push({ type: 'xmr', value: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const NEXT_ROOT = /^(?:HK(?:LM|CU|CR|U|CC|EY_)|[A-Za-z]:\\|%\w+%\\)/;
/** What ends a path segment: quotes, brackets, wildcards, and any white space but the plain space. */
const SEGMENT_STOP = new CharClass('[\"“”‘’<>|*?]|(?! )\\s');

/**
 * Backslash-separated segments from `i` (at a backslash). A segment may hold single spaces
 * (Windows NT, Program Files) when another backslash confirms it; the last one stops at a space.
 */
function backslashPathEnd(text: string, i: number): number {
  const limit = Math.min(text.length, i + 1024);
  let end = i; let j = i;
  while (j < limit && text[j] === '\\') {
    while (j < limit && text[j] === '\\') j++;
    const segStart = j;
    while (j < limit) {
      const c = text[j];
      if (c === '\\' || SEGMENT_STOP.has(text, j)) break;
      // Another root glued on (...\LAYOUTS', @'C:\PROGRA~1\...) starts another path.
      if (j > segStart && c !== ' ' && !WORD_CHAR.hasBefore(text, j) && NEXT_ROOT.test(text.slice(j, j + 48))) break;
      if (c === ' ') {
        // A space ends the segment before another root or a command-line switch (reg add HKLM\X /v ...).
        const nx = text[j + 1] ?? ' ';
        if (/[\s\\/-]/.test(nx) || NEXT_ROOT.test(text.slice(j + 1, j + 48))) break;
        // A name with an extension ends the path: C:\x\evil.exe and ...
        if (/\.[A-Za-z0-9]{1,5}$/.test(text.slice(Math.max(segStart, j - 6), j))) break;
      }
      j++;
    }
    if (j === segStart) break;
    if (text[j] === '\\') { end = j; continue; }
    const sp = text.slice(segStart, j).indexOf(' '); // within the segment: the text after it may be megabytes long
    end = sp >= 0 ? segStart + sp : j;
    break;
  }
  while (end > i && /[.,;:)'"“”‘’\]\\]/.test(text[end - 1])) end--;
  return end;
}

/** Where a registry root may start: it ends just before a backslash (with an optional colon) and every root begins with H. */
function registryStarts(occ: Occurrences): Candidates {
  const { text } = occ;
  return around(occ, ['\\'], (p, into) => {
    for (let a = p - 3; a >= 0 && a >= p - 20; a--) if ((text.charCodeAt(a) | 32) === 104) into.push(a);
  });
}

export function findRegistry(text: string, occ = new Occurrences(text)): Hit[] {
  const out: Hit[] = [];
  const scan = new StickyScan(REG_ROOT, text, registryStarts(occ));
  for (let m = scan.exec(); m; m = scan.exec()) {
    const end = backslashPathEnd(text, m.index + m[0].length);
    if (end <= m.index + m[0].length + 1) continue;
    out.push({ type: 'registry', value: text.slice(m.index, end).replace(/\\\\+/g, '\\'), start: m.index, end });
    scan.pos = end; // a root inside the key is part of it: HKLM\x/HKLM\x/... is read once, not once per root
  }
  return out;
}

/** First directories that make a slash-path a file-system path rather than a fraction or a URL path. */
const UNIX_ROOTS = new Set(['etc', 'tmp', 'var', 'usr', 'home', 'bin', 'sbin', 'opt', 'dev', 'proc', 'sys', 'lib', 'lib64',
  'root', 'mnt', 'srv', 'boot', 'run', 'Library', 'Users', 'Applications', 'System', 'private', 'Volumes', 'data', 'sdcard', 'system']);

/** Where a Windows root may start, from the backslash after it: C:\, %APPDATA%\ or \\server\. */
function windowsStarts(occ: Occurrences): Candidates {
  const { text } = occ;
  return around(occ, ['\\'], (p, into) => {
    if (text[p - 1] === ':') into.push(p - 2);
    if (text[p - 1] === '%') {
      let a = p - 2;
      while (a > 0 && p - a <= 42 && /[A-Za-z_()]/.test(text[a])) a--;
      if (text[a] === '%') into.push(a);
    }
    if (text[p + 1] === '\\') into.push(p);
  });
}

export function findPaths(text: string, exclude: SpanIndex, occ = new Occurrences(text)): Hit[] {
  const out: Hit[] = [];
  const win = new StickyScan(WIN_ROOT, text, windowsStarts(occ));
  for (let m = win.exec(); m; m = win.exec()) {
    const start = m.index;
    const end = backslashPathEnd(text, start + m[0].length);
    if (end <= start + m[0].length + 1 || exclude.overlaps(start, end)) continue;
    out.push({ type: 'path', value: text.slice(start, end).replace(/\\\\+/g, '\\'), start, end });
    win.pos = end; // as for registry keys: a root inside the path is part of it
  }
  // ~/x/ anywhere; /x/ only under a file-system root (see UNIX_ROOTS below).
  const unixStarts = around(occ, ['/'], (p, into) => {
    if (text[p - 1] === '~') { into.push(p - 1); return; }
    const segEnd = PATH_CHAR.runEnd(text, p + 1, 256);
    if (text[segEnd] === '/' && UNIX_ROOTS.has(text.slice(p + 1, segEnd))) into.push(p);
  });
  for (const m of new StickyScan(UNIX_PATH, text, unixStarts).all()) {
    const start = m.index;
    let end = start + m[0].length;
    while (end > start && /[.,;:]/.test(text[end - 1])) end--;
    const first = m[2].split('/')[0];
    if (m[1] === '/' && !UNIX_ROOTS.has(first)) continue;
    if (exclude.overlaps(start, end)) continue;
    out.push({ type: 'path', value: text.slice(start, end), start, end });
  }
  return out;
}

/** Executable and script extensions are indicators on their own; documents and archives only where the text says so. */
const ALWAYS_FILE = new Set(['exe', 'dll', 'ps1', 'psm1', 'bat', 'cmd', 'vbs', 'vbe', 'hta', 'scr', 'lnk', 'msi', 'jar', 'sys',
  'cpl', 'ocx', 'wsf', 'jse', 'docm', 'xlsm', 'pptm', 'dotm', 'msc', 'pif']);
const CONTEXT_FILE = new Set(['txt', 'js', 'sh', 'py', 'zip', 'rar', '7z', 'iso', 'img', 'vhd', 'one', 'doc', 'docx', 'xls', 'xlsx',
  'pdf', 'apk', 'elf', 'bin', 'dat', 'cab', 'gz', 'tar', 'html', 'htm', 'svg', 'rtf', 'chm', 'iqy', 'xll']);
export const FILE_CONTEXT = /\b(?:files?|filenames?|payloads?|droppers?|drops?|dropped|attachments?|attached|download\w*|execut\w*|scripts?|archives?|named|loaders?|malware|samples?|launch\w*|runs?|delivered|contains?|opens?|indicators?|iocs?|ransom notes?|notes? (?:named|called))\b/i;

/**
 * Whether [a, b) holds a dot, a known extension and the end of a word (.exe, .zip.): the FILE
 * pattern's extension is one such, so a run without any names no file worth reading it for.
 */
function extensionIn(text: string, a: number, b: number): boolean {
  for (let d = text.indexOf('.', a); d >= 0 && d < b - 1; d = text.indexOf('.', d + 1)) {
    let e = d + 1;
    while (e < b && e - d <= 6 && isAlnum(text.charCodeAt(e))) e++;
    if (e - d < 2 || e - d > 6 || WORD_CHAR.has(text, e)) continue;
    const ext = text.slice(d + 1, e).toLowerCase();
    if (ALWAYS_FILE.has(ext) || CONTEXT_FILE.has(ext)) return true;
  }
  return false;
}

function asciiIn(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function findFiles(text: string, runs: DotRuns, exclude: SpanIndex, defanged: (a: number, b: number) => boolean): Hit[] {
  const out: Hit[] = [];
  const starts: number[] = [];
  // A file name is a whole run of name characters, not led by a dot or a path separator, with an extension in
  // it. Name characters are host characters but combining marks, so a run of host characters with an
  // extension is one run of name characters when it is all ASCII, and is split at its marks otherwise.
  const leads = (s: number) => text[s] !== '.' && text[s - 1] !== '\\' && text[s - 1] !== '/';
  for (let k = 0; k < runs.starts.length; k++) {
    const a = runs.starts[k]; const b = runs.ends[k];
    if (!extensionIn(text, a, b)) continue;
    if (asciiIn(text, a, b)) { if (leads(a)) starts.push(a); continue; }
    for (let d = text.indexOf('.', a), end = -1; d >= 0 && d < b; d = text.indexOf('.', d + 1)) {
      if (d < end) continue;
      const s = FILE_CHAR.runStart(text, d);
      end = FILE_CHAR.runEnd(text, d);
      if (leads(s) && extensionIn(text, s, end)) starts.push(s);
    }
  }
  for (const m of new StickyScan(FILE, text, fromSorted(starts)).all()) {
    const ext = m[1].toLowerCase();
    const start = m.index; const end = start + m[0].length;
    if (!ALWAYS_FILE.has(ext) && !CONTEXT_FILE.has(ext)) continue;
    if (exclude.overlaps(start, end)) continue;
    // The cue must be in the same clause: "the payload script.js; see page.html" names one file.
    const clause = text.slice(Math.max(0, start - 60), start).split(/[;!?\n]|\.\s/).pop() ?? '';
    if (!ALWAYS_FILE.has(ext) && !defanged(start, end) && !FILE_CONTEXT.test(clause)) continue;
    out.push({ type: 'file', value: m[0], start, end });
  }
  const bang = bangFiles(text, exclude, defanged);
  // Longest reading first: a quoted name, then capitals before a name, then the name with its "!".
  const whole = [...quotedFiles(text, runs, exclude, defanged), ...capsFiles(text, [...out, ...bang]), ...bang];
  if (whole.length === 0) return out;
  // "Invoice 2026.pdf.exe": the whole name replaces the part of it the plain scan read. Marks over the text keep this
  // linear: a report with thousands of names would otherwise compare every name with every other.
  const covered = new Uint8Array(text.length + 1);
  for (const h of whole) covered.fill(1, h.start, h.end);
  const clear = (marks: Uint8Array, h: Hit) => { for (let i = h.start; i < h.end; i++) if (marks[i]) return false; return true; };
  const kept = out.filter((h) => clear(covered, h));
  const taken = new Uint8Array(text.length + 1);
  for (const h of kept) taken.fill(1, h.start, h.end);
  for (const h of whole) {
    if (!clear(taken, h)) continue;
    kept.push(h);
    taken.fill(1, h.start, h.end);
  }
  return kept.sort((x, y) => x.start - y.start);
}

/** Whether a name ending in `ext` at [start, end) is a file here: an executable, a defanged name, or a cue before it. */
function fileHere(text: string, ext: string, start: number, end: number, defanged: (a: number, b: number) => boolean): boolean {
  if (ALWAYS_FILE.has(ext)) return true;
  if (!CONTEXT_FILE.has(ext)) return false;
  const clause = text.slice(Math.max(0, start - 60), start).split(/[;!?\n]|\.\s/).pop() ?? '';
  return defanged(start, end) || FILE_CONTEXT.test(clause);
}

const QUOTE_OPEN = new Map([['"', '"'], ['“', '”'], ["'", "'"], ['‘', '’'], ['`', '`']]);
const QUOTED_NAME = /^[\p{L}\p{N}_!][\p{L}\p{N}_ !().,&#@+~-]{0,150}\.([A-Za-z0-9]{1,5})$/u;
const QUOTED_CHAR = new CharClass('[\\p{L}\\p{N}_ !().,&#@+~-]');

/**
 * A quoted name with spaces or "!" in it ("Invoice 2026.pdf.exe"): the quotes bound it, so it is read whole.
 * Such a name ends a dotted run (its extension) right before the closing quote, so it is read back from
 * those run ends to its opening quote: walking forward from every quote would rescan the rest of the text
 * at each apostrophe that has no partner.
 */
function quotedFiles(text: string, runs: DotRuns, exclude: SpanIndex, defanged: (a: number, b: number) => boolean): Hit[] {
  const out: Hit[] = [];
  for (let k = 0; k < runs.ends.length; k++) {
    const j = runs.ends[k];
    const close = text[j];
    if (close !== '"' && close !== '”' && close !== "'" && close !== '’' && close !== '`') continue;
    const i = QUOTED_CHAR.runStart(text, j, 160) - 1;
    if (i < 0 || QUOTE_OPEN.get(text[i]) !== close) continue;
    const name = text.slice(i + 1, j);
    const n = QUOTED_NAME.exec(name);
    if (n && /[ !]/.test(name) && !exclude.overlaps(i + 1, j) && fileHere(text, n[1].toLowerCase(), i + 1, j, defanged)) {
      out.push({ type: 'file', value: name, start: i + 1, end: j });
    }
  }
  return out;
}

const BANG_NAME = /^!*[\p{L}\p{N}_-][\p{L}\p{N}_!.-]*\.([A-Za-z0-9]{1,5})$/u;
const TOKEN_EDGE = /[\s"'“”‘’`()[\]<>,;]/;

/** A name with "!" in it (!READ_ME!.txt, HELP!.hta), which the plain scan, stopping at "!", cuts. */
function bangFiles(text: string, exclude: SpanIndex, defanged: (a: number, b: number) => boolean): Hit[] {
  const out: Hit[] = [];
  let after = -1;
  for (let p = text.indexOf('!'); p >= 0; p = text.indexOf('!', p + 1)) {
    if (p < after) continue;
    let a = p; let b = p + 1;
    while (a > 0 && p - a < 200 && !TOKEN_EDGE.test(text[a - 1])) a--;
    while (b < text.length && b - p < 200 && !TOKEN_EDGE.test(text[b])) b++;
    after = b;
    // A sentence's own stop or exclamation after the name is not part of it.
    let e = b;
    while (e > a && /[.!?:]/.test(text[e - 1])) e--;
    const token = text.slice(a, e);
    const m = BANG_NAME.exec(token);
    if (!m || !token.slice(0, token.lastIndexOf('.')).includes('!')) continue;
    if (!exclude.overlaps(a, e) && fileHere(text, m[1].toLowerCase(), a, e, defanged)) out.push({ type: 'file', value: token, start: a, end: e });
  }
  return out;
}

/** Ransom notes and the like, named in capitals with spaces ("HOW TO RESTORE FILES.hta"): the capital words before belong to the name. */
const NOTE_EXT = new Set(['txt', 'hta', 'html', 'htm', 'rtf']);
const CAPS_WORD = /(?:^|\s)([A-Z0-9!_-]*[A-Z][A-Z0-9!_-]*)$/;

function capsFiles(text: string, plain: readonly Hit[]): Hit[] {
  const out: Hit[] = [];
  for (const h of plain) {
    const dot = h.value.lastIndexOf('.');
    if (!NOTE_EXT.has(h.value.slice(dot + 1).toLowerCase()) || !/^[A-Z0-9!_-]*[A-Z][A-Z0-9!_-]*$/.test(h.value.slice(0, dot))) continue;
    let start = h.start;
    for (let words = 0; words < 6; words++) {
      const m = CAPS_WORD.exec(text.slice(Math.max(0, start - 40), start - 1));
      if (text[start - 1] !== ' ' || !m || m[1].length < 2) break;
      start -= m[1].length + 1;
    }
    if (start < h.start) out.push({ type: 'file', value: text.slice(start, h.end), start, end: h.end });
  }
  return out;
}
