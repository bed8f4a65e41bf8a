/** Reads JSON Feed 1.0 and 1.1 documents into the parser's feed shape. */
import type { FeedEntry } from '../feed-parse.js';
import { feedDate } from './dates.js';
import { FeedError } from './errors.js';
import { uniqueCategories, type FeedShape } from './shape.js';
import { looseBlock, looseText, nonEmpty, textToHtml } from './text.js';
import { articleUrl } from './urls.js';

type Json = { readonly [key: string]: unknown };

const VERSION = /^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? nonEmpty(v) : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
}

/** 1.1 has an "authors" array; 1.0 had one "author". */
function authors(holder: Json): string[] {
  const list = Array.isArray(holder.authors) ? holder.authors : isObject(holder.author) ? [holder.author] : [];
  return list.map((a) => (isObject(a) ? str(a.name) : null)).filter((n): n is string => n !== null).map(looseText);
}

function readItem(item: unknown, base: string | null, feedAuthors: string[]): FeedEntry {
  if (!isObject(item)) throw new Error('an item that is not an object');
  const names = authors(item);
  const html = str(item.content_html);
  const text = str(item.content_text);
  const summary = str(item.summary);
  return {
    guid: str(item.id),
    url: articleUrl(str(item.url), base) ?? articleUrl(str(item.external_url), base),
    title: looseText(str(item.title) ?? ''),
    summary: summary === null ? null : nonEmpty(looseBlock(summary)),
    contentHtml: html ?? (text === null ? null : textToHtml(text)),
    published: feedDate(str(item.date_published)),
    updated: feedDate(str(item.date_modified)),
    author: nonEmpty([...new Set(names.length > 0 ? names : feedAuthors)].join(', ')),
    categories: uniqueCategories(Array.isArray(item.tags) ? item.tags.map((t) => (typeof t === 'string' ? looseText(t) : null)) : []),
  };
}

/** The JSON Feed in a parsed JSON value, or a FeedError saying what the JSON is instead. */
export function readJsonFeed(doc: unknown, baseUrl: string | null): FeedShape {
  if (!isObject(doc) || typeof doc.version !== 'string' || !VERSION.test(doc.version.trim())) {
    throw new FeedError('not-a-feed', 'a JSON document, not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")');
  }
  if (!Array.isArray(doc.items)) throw new FeedError('malformed', 'a JSON Feed without an "items" array');
  const link = articleUrl(str(doc.home_page_url), baseUrl);
  const base = link ?? baseUrl;
  const feedAuthors = authors(doc);
  return {
    format: 'jsonfeed',
    title: nonEmpty(looseText(str(doc.title) ?? '')),
    link,
    items: doc.items,
    toEntry: (item) => readItem(item, base, feedAuthors),
  };
}
