/** Refang (undo the author's defanging of IOCs) with an offset map back to the original text, and defang for display. */
import type { IocType } from '../domain/ioc.js';
import { StickyScan, fromSorted, sortedUnique, sticky } from './ioc-scan.js';

/** One replacement: original [start,end) became `text` at output [outStart, outStart + text.length) (set when applied). */
interface Edit { start: number; end: number; text: string; outStart: number }

/** Maps offsets of a rewritten text back to the text it came from. */
export class OffsetMap {
  private readonly edits: Edit[];
  constructor(edits: Edit[], private readonly inner: OffsetMap | null = null) { this.edits = edits; }

  /** Last edit starting at or before output offset i (binary search: edits are ordered). */
  private find(i: number): Edit | null {
    let lo = 0; let hi = this.edits.length - 1; let found: Edit | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.edits[mid].outStart <= i) { found = this.edits[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  private local(i: number, edge: 'start' | 'end'): number {
    // An exclusive end is placed by the last character it covers.
    const e = this.find(edge === 'end' ? i - 1 : i);
    if (!e) return i;
    const outEnd = e.outStart + e.text.length;
    if (edge === 'start' ? i < outEnd : i <= outEnd && e.text.length > 0) return edge === 'start' ? e.start : e.end;
    return e.end + (i - outEnd);
  }

  /** Original offset for output offset i; 'end' maps an exclusive end so a replaced run is kept whole. */
  toOriginal(i: number, edge: 'start' | 'end'): number {
    const j = this.local(i, edge);
    return this.inner ? this.inner.toOriginal(j, edge) : j;
  }

  /** Whether output span [a,b) covers any rewritten text (then the author defanged it). */
  changed(a: number, b: number): boolean {
    for (let k = Math.max(0, this.lowerIndex(a) - 1); k < this.edits.length; k++) {
      const e = this.edits[k];
      if (e.outStart >= b) break;
      const outEnd = e.outStart + e.text.length;
      if (outEnd > a && e.outStart < b) return true;
      if (e.text.length === 0 && e.outStart > a && e.outStart < b) return true;
    }
    if (!this.inner) return false;
    return this.inner.changed(this.local(a, 'start'), this.local(b, 'end'));
  }

  private lowerIndex(a: number): number {
    let lo = 0; let hi = this.edits.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.edits[mid].outStart < a) lo = mid + 1; else hi = mid; }
    return lo;
  }
}

function applyEdits(text: string, edits: Edit[], inner: OffsetMap | null): { text: string; map: OffsetMap } {
  if (edits.length === 0) return { text, map: new OffsetMap(edits, inner) };
  const parts: string[] = [];
  let pos = 0; let out = 0;
  for (const e of edits) {
    parts.push(text.slice(pos, e.start));
    out += e.start - pos;
    e.outStart = out;
    parts.push(e.text);
    out += e.text.length;
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return { text: parts.join(''), map: new OffsetMap(edits, inner) };
}

const HOST_CHAR = /[\p{L}\p{N}_-]/u;
const ALNUM = /[\p{L}\p{N}]/u;
const LOCAL_CHAR = /[\w.+%-]/;

/*
 * Phase 1: every defang form, as alternatives of one global regex. All repeats are bounded so a
 * scan of any input is linear; whether a match is a defang is decided by its context in `decide`.
 */
const SCHEME = String.raw`(?<![\p{L}\p{N}_*])(h(?:xx|\*\*|tt)ps?|f(?:xp|tx)|ftps?|sftp|tcp|udp|wss?|smb)(\[:\/\/\]|\[:\]\/\/|:\/\/ ?|:\\\\|:__|__)`;
const BRACKETED = String.raw`([\[({\\]{1,3})([ \t]{0,2})(\.|dot|at|@|:\/\/|:|\/)([ \t]{0,2})([\])}\\]{0,3})`;
const CLOSER_ONLY = String.raw`(?<=[\p{L}\p{N}_-])(\.|dot)([\])}]{1,3})(?=[\p{L}\p{N}])`;
const WORD_DOT = String.raw`(?<=[\p{L}\p{N}])[ \t]dot[ \t](?=[\p{L}\p{N}])`;
const SPACED_AT = String.raw`(?<=[\w.+%-])([ \t]{1,3}@[ \t]{0,3}|@[ \t]{1,3})(?=[\p{L}\p{N}_-]{1,63}(?:\.[\p{L}\p{N}]|[\[({\\]))`;
const SPACED_IP_DOT = String.raw`(?<=(?:^|[^\d.])\d{1,3}\.\d{1,3}\.\d{1,3})[ \t]\.[ \t](?=\d{1,3}(?![\d.]))`;
const PHASE1 = new RegExp(
  `${SCHEME}|${BRACKETED}|${CLOSER_ONLY}|(${WORD_DOT})|${SPACED_AT}|(${SPACED_IP_DOT})`,
  'giu',
);

const SCHEME_FIX: Record<string, string> = { fxp: 'ftp', ftx: 'ftp' };

function spacesBefore(text: string, i: number, floor: number): number {
  let n = 0;
  while (n < 3 && i - n - 1 >= floor && (text[i - n - 1] === ' ' || text[i - n - 1] === '\t')) n++;
  return n;
}
function spacesAfter(text: string, i: number): number {
  let n = 0;
  while (n < 3 && (text[i + n] === ' ' || text[i + n] === '\t')) n++;
  return n;
}

/** A backslash-dot inside a Windows path (C:\\Users\\bob\\.ssh) is a path, not a defang. */
function inWindowsPath(text: string, i: number): boolean {
  const seg = text.slice(Math.max(0, i - 260), i);
  const token = seg.slice(seg.search(/\S*$/));
  return /[A-Za-z]:\\|^\\\\|%\\|HK(?:LM|CU|CR|U|EY_)/i.test(token);
}

/** The bare word " dot " is a defang only where a host is clearly meant (user@x dot com, www.x dot com, a dot b dot c). */
function wordDotIsHost(text: string, start: number, end: number): boolean {
  let i = start;
  while (i > 0 && i > start - 253 && /[\p{L}\p{N}._-]/u.test(text[i - 1])) i--;
  const left = text.slice(i, start);
  if (left.includes('.') || text[i - 1] === '@' || text[i - 1] === '/') return true;
  if (/(?:[ \t]dot[ \t]|[\])}])$/i.test(text.slice(Math.max(0, i - 5), i))) return true; // the tail of a chain: a dot b dot c
  return /^[\p{L}\p{N}-]{1,63}(?:[ \t]dot[ \t]|\[\.\]|\(\.\)|\[dot\])/iu.test(text.slice(end, end + 80));
}

type Decision = { start: number; end: number; text: string } | null;

function decide(text: string, m: RegExpExecArray, floor: number): Decision {
  const at = m.index;
  const end = at + m[0].length;
  if (m[1] !== undefined) { // scheme + separator
    const raw = m[1].toLowerCase();
    const scheme = SCHEME_FIX[raw] ?? raw.replace(/^h(?:xx|\*\*)p/, 'http');
    let sep = m[2];
    if (sep === ':// ' && !HOST_CHAR.test(text[end] ?? '') && text[end] !== '[') sep = '://';
    const to = sep === ':// ' || sep === '://' ? end - m[2].length + sep.length : end;
    const replacement = `${scheme}://`;
    if (text.slice(at, to).toLowerCase() === replacement) return null;
    if ((sep === '__' || sep === ':__') && !HOST_CHAR.test(text[end] ?? '')) return null;
    return { start: at, end: to, text: replacement };
  }
  if (m[3] !== undefined) { // bracket-style forms
    const open = m[3]; const core = m[5].toLowerCase(); const close = m[7];
    const hasClose = close.length > 0;
    if (core === '@' || core === 'at') {
      if (!hasClose || close === '\\') return null;
      const l = spacesBefore(text, at, floor); const r = spacesAfter(text, end);
      return { start: at - l, end: end + r, text: '@' };
    }
    if (core === ':' || core === '://' || core === '/') {
      if (!hasClose || m[4] || m[6] || open.includes('\\')) return null;
      return { start: at, end, text: core };
    }
    // a dot
    const backslash = open.includes('\\') && !/[\[({]/.test(open);
    if (backslash && inWindowsPath(text, at)) return null;
    if (core === 'dot' && !hasClose && !(open.includes('[') && m[6].length > 0)) return null;
    const eatLeft = hasClose || open.includes('[') || backslash;
    const l = eatLeft ? spacesBefore(text, at, floor) : 0;
    const r = hasClose || backslash ? spacesAfter(text, end) : 0;
    if (!HOST_CHAR.test(text[at - l - 1] ?? '') || !ALNUM.test(text[end + r] ?? '')) return null;
    if (!hasClose && !backslash && m[6].length > 0 && core === '.') return null;
    return { start: at - l, end: end + r, text: '.' };
  }
  if (m[8] !== undefined) return { start: at, end, text: '.' }; // closer-only: 1.1.]1, exampledot]com
  if (m[10] !== undefined) return wordDotIsHost(text, at, end) ? { start: at, end, text: '.' } : null;
  if (m[11] !== undefined) return LOCAL_CHAR.test(text[at - 1] ?? '') ? { start: at, end, text: '@' } : null;
  if (m[12] !== undefined) return { start: at, end, text: '.' };
  return null;
}

const PHASE1_AT = sticky(PHASE1);
const OPENER = '[({\\';
const CORE_START = '.dDaA@:/';
/** First letters of the schemes above, with the long s that case-insensitive Unicode matching folds to s. */
const SCHEME_START = 'hfstuw\u017f';
const BLANK = (c: string | undefined) => c === ' ' || c === '\t';
/** No character outside ASCII folds to d, o or t, so this needs no Unicode case folding (which would make it slow). */
const SPACED_DOT = /[ \t](?:dot|\.)[ \t]/gi;

/** Whether a bracketed form can start at the opener at p: up to three openers, two blanks, then a dot, at, @, colon or slash. */
function bracketAt(text: string, p: number): boolean {
  let j = p + 1;
  while (j < p + 3 && OPENER.includes(text[j] ?? 'x')) j++;
  for (let k = 0; k < 2 && BLANK(text[j]); k++) j++;
  return CORE_START.includes(text[j] ?? 'x');
}

/**
 * Every position where a defang form may start, derived from the few characters each form must
 * hold (a bracket, a colon before // or \\ or __, an @, a spaced dot). The forms' pattern runs at
 * these positions only: prose between them is never read by it.
 */
function phase1Starts(text: string): ArrayLike<number> {
  const out: number[] = [];
  const scheme = (sep: number) => {
    for (let k = 5; k >= 2; k--) if (SCHEME_START.includes(text[sep - k]?.toLowerCase() ?? 'x')) out.push(sep - k);
  };
  const each = (ch: string, f: (p: number) => void) => { for (let p = text.indexOf(ch); p >= 0; p = text.indexOf(ch, p + 1)) f(p); };
  for (const ch of OPENER) each(ch, (p) => {
    if (ch === '[' && text[p + 1] === ':') scheme(p);
    if (bracketAt(text, p)) out.push(p);
  });
  each(':', (p) => { if ('/\\_'.includes(text[p + 1] ?? 'x')) scheme(p); });
  each('_', (p) => { if (text[p + 1] === '_') scheme(p); });
  for (const ch of '])}') each(ch, (p) => {
    if (text[p - 1] === '.') out.push(p - 1);
    else if ((text.charCodeAt(p - 1) | 32) === 116 && text.slice(p - 3, p).toLowerCase() === 'dot') out.push(p - 3);
  });
  each('@', (p) => {
    out.push(p);
    for (let k = 1; k <= 3 && BLANK(text[p - k]); k++) out.push(p - k);
  });
  for (const m of text.matchAll(SPACED_DOT)) out.push(m.index);
  return sortedUnique(out, text.length);
}

function phase1(text: string): Edit[] {
  const edits: Edit[] = [];
  const scan = new StickyScan(PHASE1_AT, text, fromSorted(phase1Starts(text)));
  let floor = 0;
  for (let m = scan.exec(); m; m = scan.exec()) {
    const d = decide(text, m, floor);
    if (d) {
      edits.push({ start: d.start, end: d.end, text: d.text, outStart: 0 }); // one shape for every edit keeps the map's lookups fast
      floor = d.end;
      if (d.end > scan.pos) scan.pos = d.end;
    } else if (m[0].length > 1 && m[3] !== undefined) {
      scan.pos = m.index + 1; // a rejected bracket run may hide a form starting inside it
    }
  }
  return edits;
}

const URL_HOST_CHAR = /[\p{L}\p{N}._\-:@[\]%]/u;

/** Phase 2: inside a URL's host, a space before a dot (example .com) or before the path (example.com /x) is a defang. */
function phase2(text: string): Edit[] {
  const edits: Edit[] = [];
  for (let p = text.indexOf('://'); p >= 0; p = text.indexOf('://', p + 3)) {
    let i = p + 3;
    const limit = Math.min(text.length, i + 300);
    const hostStart = i;
    while (i < limit) {
      while (i < limit && URL_HOST_CHAR.test(text[i])) i++;
      if (i === hostStart) break;
      if (text[i] === ' ' && text[i + 1] === '.' && ALNUM.test(text[i + 2] ?? '')) {
        edits.push({ start: i, end: i + 1, text: '', outStart: 0 });
        i += 1;
        continue;
      }
      if (text[i] === ' ' && text[i + 1] === '/' && /[^\s/]/.test(text[i + 2] ?? ' ')) edits.push({ start: i, end: i + 1, text: '', outStart: 0 });
      break;
    }
  }
  return edits;
}

/** Refanged text plus the map from its offsets back to `text`. */
export function refangWithMap(text: string): { text: string; map: OffsetMap } {
  const one = applyEdits(text, phase1(text), null);
  const two = applyEdits(one.text, phase2(one.text), one.map);
  return two;
}

/** Undo defanging: hxxp, [.], (dot), [at], [:]//, http__, spaces inside hosts, and the other forms authors use. */
export function refang(text: string): string {
  return refangWithMap(text).text;
}

/** Display form: hxxp://evil[.]com/x, 127[.]0[.]0[.]1, user[@]evil[.]com (dots of the host only, never of the path). */
export function defang(value: string, type: IocType): string {
  switch (type) {
    case 'url': {
      const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(value);
      if (!m) return value.replace(/\./g, '[.]');
      const scheme = m[1].replace(/^http/i, 'hxxp').replace(/^ftp/i, 'fxp');
      return `${scheme}://${m[2].replace(/\./g, '[.]')}${m[3]}`;
    }
    case 'domain': case 'ipv4': case 'cidr':
      return value.replace(/\./g, '[.]');
    case 'email': {
      const k = value.lastIndexOf('@');
      return k < 0 ? value : `${value.slice(0, k)}[@]${value.slice(k + 1).replace(/\./g, '[.]')}`;
    }
    case 'ipv6':
      return value.replace(/:/g, '[:]');
    default:
      return value;
  }
}
