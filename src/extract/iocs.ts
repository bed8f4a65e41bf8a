/** IOC extraction: refang the text once, scan it for every IOC type, report normalised values with their raw spans. */
import type { IocType, RawIoc } from '../domain/ioc.js';
import {
  type Hit, type Span, findAsns, findFiles, findHashes, findIps, findMacs, findPaths, findRegistry,
  findSsdeep, findWallets, inside,
} from './ioc-patterns.js';
import { asciiHost, isValidDomain, normaliseIpv4, normaliseIpv6 } from './ioc-validate.js';
import { refangWithMap } from './refang.js';

export { isReservedAddress } from './ioc-reserved.js';

const MAX_URL = 2048;
const URL_START = /(?<![\p{L}\p{N}_])(https?|ftps?|sftp|tcp|udp|wss?|smb|ssh|rdp|telnet|ldaps?|irc):\/\//giu;
/** Characters that end a URL in running text (a comma too: lists of URLs are comma-separated far more often than paths hold one). */
const URL_STOP = /[\s<>"'`{}|\\^,“”‘’«»\u0000-\u001f]/u;
/** Host-like runs; capped (a longer run is no host) and anchored at a run start so a long run is read once. */
const HOST_RUN = /(?<![\p{L}\p{N}\p{M}_.-])[\p{L}\p{N}\p{M}_.-]{1,1001}/gu;
const LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}_-]{0,61}[\p{L}\p{N}\p{M}])?$/u;
const EMAIL = /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-]{1,64})@(\[\d{1,3}(?:\.\d{1,3}){3}\]|[\p{L}\p{N}\p{M}_.-]{1,253})/gu;
/** Real TLDs that are also common file extensions: as a bare word, readme.md or video.mov is a file. */
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'one', 'py', 'md', 'sh', 'so', 'ps', 'rs', 'app', 'pm', 'sc']);
const IOC_CONTEXT = /\b(?:domains?|hosts?(?:names?)?|c2|c&c|cnc|dns|iocs?|indicators?|resolv\w*|contact\w*|beacon\w*|connect\w*|callbacks?|phishing|malicious|lure)\b/i;

/** Trailing punctuation and closing brackets that the URL did not open belong to the sentence. */
function trimUrlEnd(s: string): string {
  let t = s;
  for (;;) {
    const last = t[t.length - 1];
    if (last && '.,;:!?*'.includes(last)) { t = t.slice(0, -1); continue; }
    const pairs: Record<string, string> = { ')': '(', ']': '[' };
    if (last && pairs[last] && t.split(last).length > t.split(pairs[last]).length) { t = t.slice(0, -1); continue; }
    return t;
  }
}

/**
 * Where running text glues something onto a URL: a closing bracket the URL never opened
 * (.../9f)MD5), or a second URL run into the path (...scanninghttps://...). In the query string an
 * embedded URL is a parameter value (?url=http://...) and stays.
 */
function cutUrl(body: string): string {
  let round = 0; let square = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') round++;
    else if (c === '[') square++;
    else if (c === ')') { if (round === 0) return body.slice(0, i); round--; }
    else if (c === ']') { if (square === 0) return body.slice(0, i); square--; }
  }
  const query = body.search(/[?#]/);
  const glued = /[\p{L}\p{N}](?=(?:https?|ftp):\/\/)/u.exec(query < 0 ? body : body.slice(0, query));
  return glued ? body.slice(0, glued.index + 1) : body;
}

/** Normalised URL from `body` (the text after the scheme's "://"), or null when it has no usable host. */
function parseUrl(scheme: string, body: string, nextChar: string): { value: string; length: number } | null {
  const b = trimUrlEnd(cutUrl(body));
  const authEnd = b.search(/[/?#]/);
  const auth = authEnd < 0 ? b : b.slice(0, authEnd);
  const rest = authEnd < 0 ? '' : b.slice(authEnd);
  const at = auth.lastIndexOf('@');
  const userinfo = at >= 0 ? auth.slice(0, at + 1) : '';
  const hostPort = auth.slice(at + 1);
  let host: string | null; let port = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    const v6 = close > 0 ? normaliseIpv6(hostPort.slice(1, close)) : null;
    port = close > 0 ? hostPort.slice(close + 1) : '';
    if (!v6 || (port && !/^:\d{1,5}$/.test(port))) return null;
    host = `[${v6}]`;
  } else {
    const m = /^(.*?)(:\d{1,5})?$/s.exec(hostPort)!;
    port = m[2] ?? '';
    if (/^[\d.]+$/.test(m[1])) host = normaliseIpv4(m[1]);
    else {
      host = asciiHost(m[1]);
      // A dot-less host (http://intranet/) only when nothing glued follows it: http://example,com is not a URL.
      if (host && !host.includes('.') && authEnd < 0 && b.length === body.length && !/^$|\s/.test(nextChar)) host = null;
    }
  }
  if (!host) return null;
  return { value: `${scheme.toLowerCase()}://${userinfo}${host}${port}${rest}`, length: b.length };
}

/**
 * Where the URL starting at `from` ends. Remembers the last stop found so that overlapping
 * candidates (http://http://http://...) do not rescan the same run: the total work stays linear.
 */
class UrlEnds {
  private from = -1; private stop = -1;
  constructor(private readonly text: string) {}
  body(from: number): string {
    if (!(from >= this.from && from <= this.stop)) {
      let j = from;
      while (j < this.text.length && !URL_STOP.test(this.text[j])) j++;
      this.from = from; this.stop = j;
    }
    return this.text.slice(from, Math.min(this.stop, from + MAX_URL));
  }
}

function findUrls(text: string): Hit[] {
  const out: Hit[] = [];
  const re = new RegExp(URL_START.source, URL_START.flags);
  const ends = new UrlEnds(text);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const from = m.index + m[0].length;
    const body = ends.body(from);
    const url = parseUrl(m[1], body, text[from + body.length] ?? '');
    if (!url) continue;
    out.push({ type: 'url', value: url.value, start: m.index, end: from + url.length });
    re.lastIndex = from + url.length;
  }
  return out;
}

interface Ctx { text: string; defanged: (a: number, b: number) => boolean }

/** The longest run of valid labels ending the token: in a.b-.de only "de" would remain, which is not a domain. */
function domainIn(run: string): { offset: number; host: string } | null {
  const labels = run.split('.');
  let k = labels.length;
  while (k > 0 && LABEL.test(labels[k - 1])) k--;
  if (labels.length - k < 2) return null;
  const host = labels.slice(k).join('.');
  return { offset: run.length - host.length, host };
}

function findDomains(ctx: Ctx, urls: readonly Span[], emails: readonly Span[]): Hit[] {
  const { text } = ctx;
  const out: Hit[] = [];
  const emitted = new Set<string>();
  for (const m of text.matchAll(HOST_RUN)) {
    if (m[0].length > 1000 || !m[0].includes('.')) continue;
    let a = m.index; let run = m[0];
    // http%3A%2F%2Fevil.com: the two hex digits of a percent-escape are not part of the host.
    if (text[a - 1] === '%' && /^[0-9A-Fa-f]{2}/.test(run)) { a += 2; run = run.slice(2); }
    const lead = /^[._-]*/.exec(run)![0].length;
    const trail = /[._-]*$/.exec(run)![0].length;
    a += lead; run = run.slice(lead, run.length - trail);
    if (/^[\d.]*$/.test(run)) continue;
    const d = domainIn(run);
    if (!d) continue;
    const start = a + d.offset; const end = start + d.host.length;
    const ascii = asciiHost(d.host);
    if (!ascii || emitted.has(ascii)) continue; // only the first occurrence is reported
    const defanged = ctx.defanged(start, end);
    if (!isValidDomain(ascii, defanged)) continue;
    const tldRaw = d.host.slice(d.host.lastIndexOf('.') + 1);
    const inUrl = inside(urls, start, end);
    const inEmail = inside(emails, start, end) || text[start - 1] === '@';
    const context = defanged || inUrl || inEmail || IOC_CONTEXT.test(text.slice(Math.max(0, start - 60), start));
    if (FILE_LIKE_TLDS.has(ascii.slice(ascii.lastIndexOf('.') + 1)) && !context) continue;
    // Hello.World, icon.It in prose: a Title-case TLD is a sentence run together, not a host.
    if (/^\p{Lu}\p{Ll}+$/u.test(tldRaw) && !context) continue;
    emitted.add(ascii);
    out.push({ type: 'domain', value: ascii, start, end });
  }
  return out;
}

/** example.com/path and 1.2.3.4:8080/x without a scheme: URLs when a path follows a valid host. */
function schemelessUrls(text: string, hosts: readonly Hit[], urls: readonly Span[]): Hit[] {
  const out: Hit[] = [];
  const ends = new UrlEnds(text);
  for (const h of [...hosts].sort((x, y) => x.start - y.start)) {
    if (h.type !== 'domain' && h.type !== 'ipv4') continue;
    if (inside(urls, h.start, h.end) || /[@/\\.:]/.test(text[h.start - 1] ?? '')) continue;
    const after = text.slice(h.end, h.end + 7);
    if (!/^(?::\d{1,5})?\//.test(after)) continue;
    const body = ends.body(h.start);
    const url = parseUrl('http', body, text[h.start + body.length] ?? '');
    if (!url || !/^http:\/\/[^/]+\//.test(url.value)) continue;
    out.push({ type: 'url', value: url.value, start: h.start, end: h.start + url.length });
  }
  return out;
}

function findEmails(ctx: Ctx): Hit[] {
  const out: Hit[] = [];
  for (const m of ctx.text.matchAll(EMAIL)) {
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
      if (ascii && host.split('.').every((l) => LABEL.test(l)) && isValidDomain(ascii, ctx.defanged(start, end))) {
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
  const ctx: Ctx = { text: t, defanged: (a, b) => map.changed(a, b) };
  const spans = (hits: readonly Hit[]): Span[] => hits.map((h) => [h.start, h.end] as const);

  const urls = findUrls(t);
  const registry = findRegistry(t);
  const ssdeep = findSsdeep(t);
  const hashes = findHashes(t, spans(ssdeep));
  const ips = findIps(t);
  const emails = findEmails(ctx);
  const domains = findDomains(ctx, spans(urls), spans(emails));
  const allUrls = [...urls, ...schemelessUrls(t, [...domains, ...ips], spans(urls))];
  const paths = findPaths(t, [...spans(allUrls), ...spans(registry)]);
  const files = findFiles(t, [...spans(allUrls), ...spans(registry), ...spans(paths)], ctx.defanged);
  // First occurrence per (type, value); every scanner reports in text order, so the earliest start wins.
  const first = new Map<string, Hit>();
  for (const h of [
    ...allUrls, ...registry, ...ssdeep, ...hashes, ...ips, ...emails, ...domains, ...paths, ...files,
    ...findMacs(t), ...findAsns(t), ...findWallets(t),
  ]) {
    const key = `${h.type}\u0000${h.value}`;
    const seen = first.get(key);
    if (!seen || h.start < seen.start) first.set(key, h);
  }
  const hits = [...first.values()].sort((x, y) => x.start - y.start || (TYPE_ORDER.get(x.type)! - TYPE_ORDER.get(y.type)!));
  const out: RawIoc[] = [];
  for (const h of hits) {
    const start = map.toOriginal(h.start, 'start');
    const end = map.toOriginal(h.end, 'end');
    out.push({ type: h.type, value: h.value, raw: text.slice(start, end), start, end, defanged: ctx.defanged(h.start, h.end) });
  }
  return out;
}

