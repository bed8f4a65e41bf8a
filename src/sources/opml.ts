/** Reads an OPML subscription list (another reader's export) into the feeds it names, folders kept as categories. */
import { FeedError } from './feed-parse.js';
import { decodeBody, collapse } from './feed/text.js';
import { attr, doctypeName, findRoot, kid, kids, readXml, type XmlNode } from './feed/xml.js';

export interface OpmlFeed {
  readonly title: string;
  readonly xmlUrl: string;
  readonly htmlUrl: string | null;
  readonly category: string | null;
}

/** An http(s) URL as written (normalised by URL, never canonicalised: a feed's query string is part of its address). */
function httpUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function label(outline: XmlNode): string | null {
  const t = collapse(attr(outline, 'title') || attr(outline, 'text') || '');
  return t === '' ? null : t;
}

/** OPML 2.0's category attribute ("/Security/News,/Tech") names the folder when the outline is not inside one. */
function categoryAttr(outline: XmlNode): string | null {
  const first = attr(outline, 'category')?.split(',')[0].split('/').filter((p) => p.trim() !== '').pop();
  return first ? collapse(first) : null;
}

function walk(outlines: XmlNode[], folder: string | null, seen: Set<string>, out: OpmlFeed[]): void {
  for (const outline of outlines) {
    const xmlUrl = attr(outline, 'xmlurl');
    if (xmlUrl === null) {
      // An outline without xmlUrl is a folder; a folder without a name keeps the one it is in.
      walk(kids(outline, 'outline'), label(outline) ?? folder, seen, out);
      continue;
    }
    const url = httpUrl(xmlUrl);
    if (url === null || seen.has(url)) continue;
    seen.add(url);
    out.push({
      title: label(outline) ?? new URL(url).hostname,
      xmlUrl: url,
      htmlUrl: httpUrl(attr(outline, 'htmlurl')),
      category: folder ?? categoryAttr(outline),
    });
  }
}

/** The feeds of an OPML document, in document order, each xmlUrl once. Throws FeedError for what is not OPML. */
export function parseOpml(body: string | Uint8Array): OpmlFeed[] {
  const { text } = decodeBody(body);
  const root = findRoot(text);
  if (!root) throw new FeedError('not-a-feed', 'not an OPML document (no XML root element)');
  const name = root.name.toLowerCase();
  if (name === 'html' || doctypeName(text, root) === 'html') throw new FeedError('not-a-feed', 'an HTML page, not an OPML document');
  if (name !== 'opml') throw new FeedError('not-a-feed', `an XML document with root element <${root.name}>, not OPML`);
  const { tree } = readXml(text, { prefixes: new Map(), lowerCaseAttributes: true });
  const outlines = kid(kid(tree, root.name), 'body');
  if (!outlines) throw new FeedError('malformed', 'an OPML document without a <body>');
  const out: OpmlFeed[] = [];
  walk(kids(outlines, 'outline'), null, new Set(), out);
  return out;
}
