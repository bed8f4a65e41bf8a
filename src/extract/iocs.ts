/** IOC extraction: refang the text once, scan it for every IOC type (hosts and e-mail addresses here), report normalised values with their raw spans. */
import type { IocType, RawIoc } from '../domain/ioc.js';
import {
  type Hit, findAsns, findFiles, findHashes, findIps, findMacs, findPaths, findRegistry, findSsdeep, findWallets, longRuns,
} from './ioc-patterns.js';
import { CharClass, type DotRuns, Occurrences, SpanIndex, StickyScan, dotRuns, sticky } from './ioc-scan.js';
import { findUrls, schemelessUrls } from './ioc-urls.js';
import { asciiHost, isValidDomain, normaliseIpv4, normaliseIpv6 } from './ioc-validate.js';
import { refangWithMap } from './refang.js';

export { isReservedAddress } from './ioc-reserved.js';

/** A run of host characters longer than this is no host. */
const MAX_HOST_RUN = 1000;
/** Characters a host run may start or end with that belong to the text around it: . _ - */
const isEdge = (c: number) => c === 46 || c === 95 || c === 45;
const LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}_-]{0,61}[\p{L}\p{N}\p{M}])?$/u;
const ASCII_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
const NON_ASCII = /[^\x00-\x7f]/;
const EMAIL = sticky(/(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-]{1,64})@(\[\d{1,3}(?:\.\d{1,3}){3}\]|[\p{L}\p{N}\p{M}_.-]{1,253})/gu);
const LOCAL_CHAR = new CharClass('[\\p{L}\\p{N}._%+-]');
const WORD = new CharClass('[\\p{L}\\p{N}]');
/** Real TLDs that are also common file extensions: as a bare word, readme.md or video.mov is a file. */
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'one', 'py', 'md', 'sh', 'so', 'ps', 'rs', 'app', 'pm', 'sc']);

/** Extensions of source files and scripts: pyhelper.py, install.sh, README.md are files however the text around them reads. */
const CODE_TLDS = new Set(['py', 'sh', 'md', 'ps', 'rs', 'pm']);
const HOST_WORD = /\b(?:domains?(?: names?)?|hosts?(?:names?)?|c2|c&c|cnc|dns|resolves? to|beacons? to|connects? to|callbacks? to)\s*[:=]?\s*(?:the\s+)?$/i;

/**
 * Whether the text calls a file-like name (invoice.zip) a host: a host word right before it ("the domain
 * invoice.zip"). An "indicator" or a host word earlier in the clause ("the domain a.net and invoice.zip") does not.
 */
function hostContext(text: string, start: number, ascii: string): boolean {
  if (CODE_TLDS.has(ascii.slice(ascii.lastIndexOf('.') + 1))) return false;
  return HOST_WORD.test(text.slice(Math.max(0, start - 40), start));
}

interface Ctx { text: string; defanged: (a: number, b: number) => boolean }

/** The longest run of valid labels ending the token: in a.b-.de only "de" would remain, which is not a domain. */
function domainIn(run: string): { offset: number; host: string } | null {
  const labels = run.split('.');
  let k = labels.length;
  while (k > 0 && isLabel(labels[k - 1])) k--;
  if (labels.length - k < 2) return null;
  const host = labels.slice(k).join('.');
  return { offset: run.length - host.length, host };
}

/** LABEL, with the common all-ASCII case answered by a plain pattern. */
const isLabel = (l: string): boolean => ASCII_LABEL.test(l) || (NON_ASCII.test(l) && LABEL.test(l));

/** What a trimmed run of host characters names: the same for each occurrence of the run, so worked out once. */
interface HostRun {
  offset: number; host: string; ascii: string;
  /** readme.md or Hello.World: a host only where the text marks it as one. */
  fileLike: boolean;
  /** Whether the suffix is public, so that the host stands written plainly (a defanged one may have a lab suffix). */
  valid: boolean;
}

function hostInRun(run: string): HostRun | null {
  if (/^[\d.]*$/.test(run)) return null;
  const d = domainIn(run);
  const ascii = d && asciiHost(d.host);
  if (!d || !ascii) return null;
  if (!isValidDomain(ascii, true)) return null; // not even as a defanged host
  const tldRaw = d.host.slice(d.host.lastIndexOf('.') + 1);
  // Hello.World, icon.It in prose: a Title-case TLD is a sentence run together, not a host; readme.md is a file.
  const fileLike = FILE_LIKE_TLDS.has(ascii.slice(ascii.lastIndexOf('.') + 1)) || /^\p{Lu}\p{Ll}+$/u.test(tldRaw);
  return { offset: d.offset, host: d.host, ascii, fileLike, valid: isValidDomain(ascii, false) };
}

/**
 * Whether the character at i is U+FFFD (bytes that were not text) with a letter or digit beyond it: then
 * the run is what is left of a word whose character was lost (ev\uFFFDil.com), and names no host.
 */
function glued(text: string, i: number, step: 1 | -1): boolean {
  return text.charCodeAt(i) === 0xfffd && (step > 0 ? WORD.has(text, i + 1) : WORD.hasBefore(text, i));
}

function findDomains(ctx: Ctx, runs: DotRuns, urls: SpanIndex, emails: SpanIndex): Hit[] {
  const { text } = ctx;
  const out: Hit[] = [];
  const emitted = new Set<string>();
  const inside = new Map<string, Hit>();
  // Reports repeat their hosts, and code samples their dotted names: each distinct run is read once.
  const known = new Map<string, HostRun | null>();
  for (let k = 0; k < runs.starts.length; k++) {
    let a = runs.starts[k]; let b = runs.ends[k];
    if (b - a > MAX_HOST_RUN) continue;
    // http%3A%2F%2Fevil.com: the two hex digits of a percent-escape are not part of the host.
    if (text.charCodeAt(a - 1) === 37 && /^[0-9A-Fa-f]{2}/.test(text.slice(a, a + 2))) a += 2;
    while (a < b && isEdge(text.charCodeAt(a))) a++;
    while (b > a && isEdge(text.charCodeAt(b - 1))) b--;
    const inner = text.indexOf('.', a);
    if (inner < 0 || inner >= b) continue; // a word ending a sentence
    if (glued(text, a - 1, -1) || glued(text, b, 1)) continue;
    const run = text.slice(a, b);
    let h = known.get(run);
    if (h === undefined) { h = hostInRun(run); known.set(run, h); }
    if (!h || emitted.has(h.ascii)) continue; // only the first occurrence is reported
    const start = a + h.offset; const end = start + h.host.length;
    const defanged = (!h.valid || h.fileLike) && ctx.defanged(start, end);
    if (!h.valid && !defanged) continue;
    const contained = urls.inside(start, end) || emails.inside(start, end) || text[start - 1] === '@';
    if (h.fileLike && !(defanged || contained || hostContext(text, start, h.ascii))) continue;
    // The host of an address or URL is that indicator's part: a later mention on its own is the host's own occurrence.
    if (contained) {
      if (!inside.has(h.ascii)) inside.set(h.ascii, { type: 'domain', value: h.ascii, start, end });
      continue;
    }
    emitted.add(h.ascii);
    out.push({ type: 'domain', value: h.ascii, start, end });
  }
  for (const [host, hit] of inside) if (!emitted.has(host)) out.push(hit);
  return out;
}

/** An address starts where the run of local-part characters before an "@" starts (at most 64, so a longer run has none). */
function emailStarts(text: string): (from: number) => number {
  return (from) => {
    for (let at = text.indexOf('@', from); at >= 0; at = text.indexOf('@', at + 1)) {
      const a = LOCAL_CHAR.runStart(text, at, 130);
      if (a < at && a >= from && !LOCAL_CHAR.hasBefore(text, a)) return a;
    }
    return -1;
  };
}

function findEmails(ctx: Ctx): Hit[] {
  const out: Hit[] = [];
  for (const m of new StickyScan(EMAIL, ctx.text, emailStarts(ctx.text)).all()) {
    const lead = /^[^\p{L}\p{N}]*/u.exec(m[1])![0].length;
    const local = m[1].slice(lead);
    if (!local || local.endsWith('.') || local.includes('..')) continue;
    const start = m.index + lead;
    let value: string | null = null; let end: number;
    if (m[2].startsWith('[')) {
      const ip = normaliseIpv4(m[2].slice(1, -1));
      end = m.index + m[0].length;
      if (ip) value = `${local.toLowerCase()}@[${ip}]`;
    } else {
      const host = m[2].replace(/[._-]+$/, '');
      end = m.index + m[1].length + 1 + host.length;
      const ascii = asciiHost(host);
      if (ascii && host.split('.').every(isLabel) && isValidDomain(ascii, ctx.defanged(start, end))) {
        value = `${local.toLowerCase()}@${ascii}`;
      }
    }
    if (value) out.push({ type: 'email', value, start, end });
  }
  return out;
}

const TYPE_ORDER = new Map<IocType, number>([
  'url', 'email', 'domain', 'ipv4', 'ipv6', 'cidr', 'md5', 'sha1', 'sha256', 'sha512', 'ssdeep', 'registry', 'path', 'file',
  'asn', 'btc', 'xmr', 'mac',
].map((t, i) => [t as IocType, i]));

/** Every IOC in `text`, refanged and normalised, deduplicated by (type, value) keeping the first occurrence. */
export function extractIocs(text: string): RawIoc[] {
  const { text: t, map } = refangWithMap(text);
  const occ = new Occurrences(t);
  const ctx: Ctx = { text: t, defanged: (a, b) => map.changed(a, b) };
  const spans = (...lists: (readonly Hit[])[]): SpanIndex => new SpanIndex(lists.flatMap((hits) => hits.map((h) => [h.start, h.end] as const)));

  const urls = findUrls(t);
  const registry = findRegistry(t, occ);
  const ssdeep = findSsdeep(t, occ);
  const runs = longRuns(t);
  const hashes = findHashes(t, spans(ssdeep), runs);
  const ips = findIps(t, occ);
  const emails = findEmails(ctx);
  const urlSpans = spans(urls);
  const dotted = dotRuns(t, occ.of('.'));
  const domains = findDomains(ctx, dotted, urlSpans, spans(emails));
  const allUrls = [...urls, ...schemelessUrls(t, [...domains, ...ips], urlSpans)];
  const paths = findPaths(t, spans(allUrls, registry), occ);
  const files = findFiles(t, dotted, spans(allUrls, registry, paths), ctx.defanged);
  // First occurrence per (type, value): the earliest start wins.
  const first = new Map<IocType, Map<string, Hit>>();
  for (const list of [allUrls, registry, ssdeep, hashes, ips, emails, domains, paths, files, findMacs(t, occ), findAsns(t, occ), findWallets(t, runs, occ)]) {
    for (const h of list) {
      let byValue = first.get(h.type);
      if (!byValue) { byValue = new Map(); first.set(h.type, byValue); }
      const seen = byValue.get(h.value);
      if (!seen || h.start < seen.start) byValue.set(h.value, h);
    }
  }
  const hits: Hit[] = [];
  for (const byValue of first.values()) for (const h of byValue.values()) hits.push(h);
  hits.sort((x, y) => x.start - y.start || (TYPE_ORDER.get(x.type)! - TYPE_ORDER.get(y.type)!));
  const out: RawIoc[] = [];
  for (const h of hits) {
    const start = map.toOriginal(h.start, 'start');
    const end = map.toOriginal(h.end, 'end');
    out.push({ type: h.type, value: h.value, raw: text.slice(start, end), start, end, defanged: ctx.defanged(h.start, h.end) });
  }
  return out;
}

