/** Reads RSS 2.0 (and 0.9x) and RSS 1.0 (RDF) trees into the parser's feed shape. */
import type { FeedEntry } from '../feed-parse.js';
import { feedDate } from './dates.js';
import { FeedError } from './errors.js';
import { uniqueCategories, type FeedShape } from './shape.js';
import { blockText, looseText, nonEmpty, rawToHtml } from './text.js';
import { articleUrl, baseChain } from './urls.js';
import { attr, childText, kid, kids, raw, type XmlNode } from './xml.js';

/** RSS titles may be plain text or HTML, escaped once or twice: read them as loosely as readers do. */
function titleOf(node: XmlNode | undefined): string {
  return node ? looseText(rawToHtml(raw(node))) : '';
}

function htmlOf(node: XmlNode | undefined): string | null {
  return node ? nonEmpty(rawToHtml(raw(node))) : null;
}

/** "jdoe@example.com (Jane Doe)" names Jane Doe; a bare address is all there is. */
function personName(value: string | null): string | null {
  if (!value) return null;
  const text = looseText(value);
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(text) ?? /^(.+?)\s*<\S+@\S+>$/.exec(text);
  return nonEmpty(named ? named[1] : text);
}

/** The alternate atom:link some RSS items carry instead of <link>. */
function atomAlternate(item: XmlNode): string | null {
  const link = kids(item, 'atom:link').find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
  return attr(link, 'href');
}

function readItem(item: XmlNode, base: string | null, rdf: boolean): FeedEntry {
  const itemBase = baseChain([attr(item, 'xml:base')], base);
  const guidNode = kid(item, 'guid');
  const guid = childText(item, 'guid') ?? (rdf ? attr(item, 'rdf:about') ?? childText(item, 'dc:identifier') : null);
  // RSS 2.0: a guid is a permalink unless it says isPermaLink="false".
  const guidLink = guidNode && attr(guidNode, 'isPermaLink')?.toLowerCase() !== 'false' ? guid : null;
  const url = articleUrl(childText(item, 'link'), itemBase)
    ?? articleUrl(attr(kid(item, 'link'), 'href'), itemBase)
    ?? articleUrl(atomAlternate(item), itemBase)
    ?? articleUrl(guidLink, itemBase)
    ?? (rdf ? articleUrl(attr(item, 'rdf:about'), itemBase) : null);
  const description = htmlOf(kid(item, 'description')) ?? htmlOf(kid(item, 'dc:description'));
  const summary = description === null ? null : nonEmpty(blockText(description));
  const creators = kids(item, 'dc:creator').map((c) => personName(rawToHtml(raw(c)))).filter((c): c is string => c !== null);
  return {
    guid,
    url,
    title: titleOf(kid(item, 'title') ?? kid(item, 'dc:title')),
    summary,
    contentHtml: htmlOf(kid(item, 'content:encoded')),
    published: feedDate(childText(item, 'pubDate') ?? childText(item, 'dc:date') ?? childText(item, 'dcterms:issued')),
    updated: feedDate(childText(item, 'atom:updated') ?? childText(item, 'dcterms:modified')),
    author: creators.length > 0 ? [...new Set(creators)].join(', ') : personName(childText(item, 'author')),
    categories: uniqueCategories([...kids(item, 'category'), ...kids(item, 'dc:subject')].map((c) => looseText(rawToHtml(raw(c))))),
  };
}

/** RSS 2.0 puts items inside <channel>; RSS 1.0 puts them beside it. Either is accepted from either, as feeds mix them. */
export function readRss(root: XmlNode, format: 'rss2' | 'rss1', baseUrl: string | null): FeedShape {
  const channel = kid(root, 'channel');
  const items = [...kids(channel, 'item'), ...kids(root, 'item')];
  if (!channel && items.length === 0) {
    throw new FeedError(format === 'rss1' ? 'not-a-feed' : 'malformed', format === 'rss1'
      ? 'an RDF document without an RSS channel or items, not a feed'
      : 'an <rss> document without a <channel>');
  }
  const xmlBases = [attr(root, 'xml:base'), attr(channel, 'xml:base')];
  const link = articleUrl(childText(channel, 'link') ?? atomAlternate(channel ?? {}), baseChain(xmlBases, baseUrl));
  const base = baseChain(xmlBases, link ?? baseUrl);
  return {
    format,
    title: channel ? nonEmpty(titleOf(kid(channel, 'title'))) : null,
    link,
    items,
    toEntry: (item) => readItem(item as XmlNode, base, format === 'rss1'),
  };
}
