/** Reads Atom 1.0 (and the older 0.3) trees into the parser's feed shape. */
import type { FeedEntry } from '../feed-parse.js';
import { feedDate } from './dates.js';
import { uniqueCategories, type FeedShape } from './shape.js';
import { blockText, collapse, decodeXml, inlineText, nonEmpty, rawToHtml, textToHtml } from './text.js';
import { articleUrl, baseChain } from './urls.js';
import { attr, childText, kid, kids, raw, type XmlNode } from './xml.js';

/** An Atom text construct, as HTML when it is markup and as plain text when it is text (RFC 4287 §3.1). */
type AtomText = { readonly html: string } | { readonly text: string };

function atomText(node: XmlNode | undefined): AtomText | null {
  if (!node || attr(node, 'src')) return null;
  const type = (attr(node, 'type') ?? 'text').toLowerCase();
  const content = raw(node);
  if (type === 'xhtml' || type === 'application/xhtml+xml') return { html: unwrapXhtml(content) };
  if (type === 'html' || type === 'text/html') return { html: rawToHtml(content) };
  if (type === 'text' || type === 'text/plain') {
    // Text with child elements is not what the feed declared, but its markup is still not text to show.
    return /<[A-Za-z]/.test(content) ? { html: content } : { text: decodeXml(content) };
  }
  // A media type such as image/png: content the reader cannot show as an article body.
  return null;
}

/** XHTML content sits in one wrapping <div> (RFC 4287 §4.1.3.3); a prefixed XHTML namespace is written out of the tags. */
function unwrapXhtml(content: string): string {
  const unprefixed = content.replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1').replace(/\sxmlns(?::[\w.-]+)?\s*=\s*(["']).*?\1/g, '');
  const wrapped = /^\s*<div\b[^>]*>([\s\S]*)<\/div>\s*$/i.exec(unprefixed);
  return (wrapped ? wrapped[1] : unprefixed).trim();
}

function plainLine(t: AtomText | null): string {
  if (!t) return '';
  return 'html' in t ? inlineText(t.html) : collapse(t.text);
}

function plainBlock(t: AtomText | null): string | null {
  if (!t) return null;
  return nonEmpty('html' in t ? blockText(t.html) : t.text);
}

function bodyHtml(t: AtomText | null): string | null {
  if (!t) return null;
  return 'html' in t ? nonEmpty(t.html) : textToHtml(t.text);
}

/** The rel="alternate" link (a link without rel is one); self, enclosure, replies and the rest are not the article. */
function alternate(node: XmlNode, base: string | null): string | null {
  const links = kids(node, 'link').filter((l) => (attr(l, 'rel') ?? 'alternate').toLowerCase() === 'alternate' && attr(l, 'href'));
  const html = links.find((l) => /html/i.test(attr(l, 'type') ?? 'text/html')) ?? links[0];
  return html ? articleUrl(attr(html, 'href'), baseChain([attr(html, 'xml:base')], base)) : null;
}

function people(node: XmlNode, name: string): string[] {
  return kids(node, name)
    .map((p) => childText(p, 'name') ?? nonEmpty(decodeXml(raw(p))))
    .filter((n): n is string => n !== null)
    .map(collapse);
}

function readEntry(entry: XmlNode, feedBase: string | null, feedAuthors: string[]): FeedEntry {
  const base = baseChain([attr(entry, 'xml:base')], feedBase);
  const id = childText(entry, 'id');
  // An entry inherits the feed's authors when it names none (RFC 4287 §4.2.1).
  const authors = people(entry, 'author');
  const names = authors.length > 0 ? authors : people(kid(entry, 'source') ?? {}, 'author');
  return {
    guid: id,
    url: alternate(entry, base) ?? articleUrl(id, null),
    title: plainLine(atomText(kid(entry, 'title'))),
    summary: plainBlock(atomText(kid(entry, 'summary'))),
    contentHtml: bodyHtml(atomText(kid(entry, 'content'))),
    published: feedDate(childText(entry, 'published') ?? childText(entry, 'issued') ?? childText(entry, 'created')),
    updated: feedDate(childText(entry, 'updated') ?? childText(entry, 'modified')),
    author: nonEmpty([...new Set(names.length > 0 ? names : feedAuthors)].join(', ')),
    categories: uniqueCategories(kids(entry, 'category').map((c) => attr(c, 'label') || attr(c, 'term') || decodeXml(raw(c)))),
  };
}

export function readAtom(feed: XmlNode, baseUrl: string | null): FeedShape {
  const outer = baseChain([attr(feed, 'xml:base')], baseUrl);
  const link = alternate(feed, outer);
  const entryBase = baseChain([attr(feed, 'xml:base')], link ?? baseUrl);
  const authors = people(feed, 'author');
  return {
    format: 'atom',
    title: nonEmpty(plainLine(atomText(kid(feed, 'title')))),
    link,
    items: kids(feed, 'entry'),
    toEntry: (entry) => readEntry(entry as XmlNode, entryBase, authors),
  };
}
