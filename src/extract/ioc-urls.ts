/** URLs in refanged text: with a scheme, or a host followed by a path; cut where running text glues something on. */
import type { Hit } from './ioc-patterns.js';
import { CharClass, type SpanIndex, StickyScan, beforeNeedle, sticky } from './ioc-scan.js';
import { asciiHost, normaliseIpv4, normaliseIpv6 } from './ioc-validate.js';

const MAX_URL = 2048;
const URL_START = sticky(/(?<![\p{L}\p{N}_])(https?|ftps?|sftp|tcp|udp|wss?|smb|ssh|rdp|telnet|ldaps?|irc):\/\//giu);
/** A scheme starts from 6 (telnet) to 2 (ws) characters before its "://". */
const SCHEME_BACK = 6; const SCHEME_UPTO = 2;
/**
 * Characters that end a URL in running text (a comma too: lists of URLs are comma-separated far more
 * often than paths hold one; and U+FFFD, which stands for bytes that were not text).
 */
const URL_STOP = new CharClass('[\\s<>"\'`{}|\\\\^,“”‘’«»\\u0000-\\u001f\\ufffd]');

/** Trailing punctuation and closing brackets that the URL did not open belong to the sentence. */
function trimUrlEnd(s: string): string {
  // Brackets are counted once, when the first closer is met, and kept as the end moves: a URL ending in a
  // thousand brackets is trimmed in one pass.
  let count: Record<string, number> | null = null;
  const pairs: Record<string, string> = { ')': '(', ']': '[' };
  let n = s.length;
  for (; n > 0; n--) {
    const last = s[n - 1];
    if ('.,;:!?*'.includes(last)) continue;
    if (!pairs[last]) break;
    if (!count) {
      count = { '(': 0, ')': 0, '[': 0, ']': 0 };
      for (let i = 0; i < n; i++) if (s[i] in count) count[s[i]]++;
    }
    if (count[last] <= count[pairs[last]]) break;
    count[last]--;
  }
  return s.slice(0, n);
}

const GLUED_URL = /[\p{L}\p{N}](?=(?:https?|ftp):\/\/)/u;

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
  const glued = GLUED_URL.exec(query < 0 ? body : body.slice(0, query));
  return glued ? body.slice(0, glued.index + 1) : body;
}

interface Authority { userinfo: string; host: string; port: string }

/** The user, host and port of a URL's authority; null when the host is no usable host. */
function authority(auth: string, dotless: boolean): Authority | null {
  const at = auth.lastIndexOf('@');
  const userinfo = at >= 0 ? auth.slice(0, at + 1) : '';
  const hostPort = auth.slice(at + 1);
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    const v6 = close > 0 ? normaliseIpv6(hostPort.slice(1, close)) : null;
    const port = close > 0 ? hostPort.slice(close + 1) : '';
    if (!v6 || (port && !/^:\d{1,5}$/.test(port))) return null;
    return { userinfo, host: `[${v6}]`, port };
  }
  const m = /^(.*?)(:\d{1,5})?$/s.exec(hostPort)!;
  let host: string | null;
  if (/^[\d.]+$/.test(m[1])) host = normaliseIpv4(m[1]);
  else {
    host = asciiHost(m[1]);
    if (host && !host.includes('.') && !dotless) host = null;
  }
  return host ? { userinfo, host, port: m[2] ?? '' } : null;
}

/** Normalised URL from `body` (the text after the scheme's "://"), or null when it has no usable host. */
function parseUrl(scheme: string, body: string, nextChar: string): { value: string; length: number } | null {
  // When nothing can shorten the authority (no closer in it, no URL glued onto it, a path after it), its
  // host decides alone: a run of http://http://... is turned down a few characters at a time, not a body at a time.
  const rawEnd = body.search(/[/?#]/);
  if (rawEnd >= 0 && !/[)\]]/.test(body.slice(0, rawEnd)) && !GLUED_URL.test(body.slice(0, rawEnd + 8))
    && !authority(body.slice(0, rawEnd), true)) return null;
  const b = trimUrlEnd(cutUrl(body));
  const authEnd = b.search(/[/?#]/);
  // A dot-less host (http://intranet/) only when nothing glued follows it: http://example,com is not a URL.
  const a = authority(authEnd < 0 ? b : b.slice(0, authEnd), !(authEnd < 0 && b.length === body.length && !/^$|\s/.test(nextChar)));
  if (!a) return null;
  return { value: `${scheme.toLowerCase()}://${a.userinfo}${a.host}${a.port}${authEnd < 0 ? '' : b.slice(authEnd)}`, length: b.length };
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
      while (j < this.text.length && !URL_STOP.has(this.text, j)) j++;
      this.from = from; this.stop = j;
    }
    return this.text.slice(from, Math.min(this.stop, from + MAX_URL));
  }
}

export function findUrls(text: string): Hit[] {
  const out: Hit[] = [];
  const scan = new StickyScan(URL_START, text, beforeNeedle(text, '://', SCHEME_BACK, SCHEME_UPTO));
  const ends = new UrlEnds(text);
  for (let m = scan.exec(); m; m = scan.exec()) {
    const from = m.index + m[0].length;
    const body = ends.body(from);
    const url = parseUrl(m[1], body, text[from + body.length] ?? '');
    if (!url) continue;
    out.push({ type: 'url', value: url.value, start: m.index, end: from + url.length });
    scan.pos = from + url.length;
  }
  return out;
}

/** example.com/path and 1.2.3.4:8080/x without a scheme: URLs when a path follows a valid host. */
export function schemelessUrls(text: string, hosts: readonly Hit[], urls: SpanIndex): Hit[] {
  const out: Hit[] = [];
  const ends = new UrlEnds(text);
  for (const h of [...hosts].sort((x, y) => x.start - y.start)) {
    if (h.type !== 'domain' && h.type !== 'ipv4') continue;
    if (urls.inside(h.start, h.end) || /[@/\\.:]/.test(text[h.start - 1] ?? '')) continue;
    const after = text.slice(h.end, h.end + 7);
    if (!/^(?::\d{1,5})?\//.test(after)) continue;
    const body = ends.body(h.start);
    const url = parseUrl('http', body, text[h.start + body.length] ?? '');
    if (!url || !/^http:\/\/[^/]+\//.test(url.value)) continue;
    out.push({ type: 'url', value: url.value, start: h.start, end: h.start + url.length });
  }
  return out;
}
