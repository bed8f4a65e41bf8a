/** Parses RSS 2.0, RSS 1.0, Atom and JSON Feed documents, detected by content, into plain-text entries with absolute links and UTC dates. */
import { readAtom } from './feed/atom.js';
import { FeedError } from './feed/errors.js';
import { readJsonFeed } from './feed/jsonfeed.js';
import { readRss } from './feed/rss.js';
import type { FeedShape } from './feed/shape.js';
import { collapse, decodeBody } from './feed/text.js';
import { canonicalName, doctypeName, findRoot, kid, prefixMap, readXml, type XmlRoot } from './feed/xml.js';

export { FeedError, type FeedErrorCode } from './feed/errors.js';

export type FeedFormat = 'rss2' | 'rss1' | 'atom' | 'jsonfeed';

export interface FeedEntry {
  /** rss guid / atom id / jsonfeed id, trimmed; null when absent or empty. */
  readonly guid: string | null;
  /** Absolute http(s) URL of the article, resolved against xml:base, the feed's link or the feed URL. */
  readonly url: string | null;
  /** Plain text: HTML stripped, entities decoded, whitespace collapsed; "" if none. */
  readonly title: string;
  readonly summary: string | null;
  /** The full article HTML when the feed carries it. */
  readonly contentHtml: string | null;
  /** ISO 8601 UTC, or null when absent or unreadable. */
  readonly published: string | null;
  readonly updated: string | null;
  readonly author: string | null;
  readonly categories: readonly string[];
}

export interface ParsedFeed {
  readonly format: FeedFormat;
  readonly title: string | null;
  /** The site's home link. */
  readonly link: string | null;
  readonly entries: readonly FeedEntry[];
  readonly warnings: readonly string[];
}

export interface ParseFeedOptions {
  /** The URL the feed was fetched from: the last base relative links resolve against. */
  readonly baseUrl?: string | null;
  /** Entries kept, first ones first; the rest are dropped with a warning, never an error. Default 5000. */
  readonly maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 5000;

/** Elements read as raw markup: a title or body with inline HTML would otherwise lose the order of its text. */
const STOP_NODES = ['..title', '..subtitle', '..description', '..summary', '..content', '..content:encoded', '..dc:description'];

// Error pages and fragments often start at <head> or <body>, with no <html> around them.
const HTML_ROOTS = new Set(['html', 'head', 'body']);

function webBase(url: string | null | undefined): string | null {
  try {
    const u = new URL(url ?? '');
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describeNonXml(text: string): string {
  const head = collapse(text.slice(0, 200)).slice(0, 60);
  return `plain text ("${head}${text.trim().length > 60 ? '…' : ''}"), not a feed`;
}

function readJson(text: string, baseUrl: string | null): FeedShape {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new FeedError('malformed', `invalid JSON: ${(cause as Error).message}`, { cause });
  }
  return readJsonFeed(doc, baseUrl);
}

function readXmlFeed(text: string, root: XmlRoot, baseUrl: string | null, maxEntries: number): FeedShape {
  const local = root.name.slice(root.name.indexOf(':') + 1);
  if (HTML_ROOTS.has(local.toLowerCase()) || doctypeName(text, root) === 'html') throw new FeedError('not-a-feed', 'an HTML page, not a feed');
  if (local.toLowerCase() === 'opml') throw new FeedError('not-a-feed', 'an OPML subscription list, not a feed');
  const format = local === 'rss' ? 'rss2' : local === 'RDF' ? 'rss1' : local === 'feed' ? 'atom' : null;
  if (!format) throw new FeedError('not-a-feed', `an XML document with root element <${root.name}>, not a feed`);
  const prefixes = prefixMap(root.startTag, format === 'atom' ? 'atom' : format === 'rss1' ? 'rss1' : null);
  const { tree, dropped } = readXml(text, { prefixes, stopNodes: STOP_NODES, keepItems: maxEntries });
  const node = kid(tree, canonicalName(root.name, prefixes)) ?? {};
  const shape = format === 'atom' ? readAtom(node, baseUrl) : readRss(node, format, baseUrl);
  return { ...shape, unread: dropped };
}

/** Which format the text is, read by content: a Content-Type header is wrong too often to ask. */
function readShape(text: string, baseUrl: string | null, maxEntries: number, warnings: string[]): FeedShape {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return readJson(start, baseUrl);
  let root = findRoot(text);
  if (!root) {
    // A PHP notice or a stray line printed ahead of the feed is common enough to step over, once, near the top.
    const declaration = text.indexOf('<?xml');
    root = declaration > 0 && declaration < 4096 ? findRoot(text.slice(declaration)) : null;
    if (!root) throw new FeedError('not-a-feed', start.startsWith('<') ? 'markup without a root element, not a feed' : describeNonXml(start));
    warnings.push(`${count(declaration, 'character', 'characters')} before the XML declaration skipped`);
    text = text.slice(declaration);
  }
  return readXmlFeed(text, root, baseUrl, maxEntries);
}

function collect(shape: FeedShape, maxEntries: number, warnings: string[]): ParsedFeed {
  const entries: FeedEntry[] = [];
  let skipped = 0;
  let unreadable = 0;
  let firstProblem = '';
  let i = 0;
  for (; i < shape.items.length && entries.length < maxEntries; i++) {
    let entry: FeedEntry;
    try {
      entry = shape.toEntry(shape.items[i]);
    } catch (err) {
      unreadable++;
      firstProblem ||= `entry ${i + 1}: ${(err as Error).message}`;
      continue;
    }
    if (entry.title === '' && entry.url === null && entry.guid === null) skipped++;
    else entries.push(entry);
  }
  if (skipped > 0) warnings.push(`${count(skipped, 'entry', 'entries')} without title, link or guid skipped`);
  if (unreadable > 0) warnings.push(`${count(unreadable, 'unreadable entry', 'unreadable entries')} skipped (${firstProblem})`);
  const unread = shape.items.length - i + (shape.unread ?? 0);
  if (unread > 0) warnings.push(`truncated at ${maxEntries} entries (${unread} more not read)`);
  return { format: shape.format, title: shape.title, link: shape.link, entries, warnings };
}

/** Parses a feed. Throws FeedError for a document that is not a readable feed; a bad entry is skipped with a warning. */
export function parseFeed(body: string | Uint8Array, options: ParseFeedOptions = {}): ParsedFeed {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
  const { text, warnings } = decodeBody(body);
  const shape = readShape(text, webBase(options.baseUrl), maxEntries, warnings);
  return collect(shape, maxEntries, warnings);
}
