/** Turns what a source delivered (a feed entry, an article page) into a Document, and gives each entry its stable identity. */
import type { Document } from '../domain/index.js';
import { canonicalUrl, contentHashOf, documentId, IngestError, sha256, siteOf } from '../ingest/index.js';
import { htmlToText, readHtmlArticle } from '../ingest/html-article.js';
import type { FeedEntry } from './feed-parse.js';

/** guid, else the canonical URL without tracking parameters, else the entry's own content: stable across polls. */
export function entryKey(entry: FeedEntry): string {
  if (entry.guid) return `guid:${entry.guid}`;
  if (entry.url) return `url:${canonicalUrl(entry.url)}`;
  return `hash:${sha256(`${entry.title}\n${entry.summary ?? ''}\n${entry.contentHtml ?? ''}`)}`;
}

/** What the feed says of an entry: when this changes the entry was edited, and only then is it read again. */
export function entryHash(entry: FeedEntry): string {
  return sha256(JSON.stringify([entry.title, entry.url, entry.summary, entry.contentHtml, entry.published, entry.updated]));
}

// A feed that carries at least this much text per entry carries the article, not a teaser.
const FULL_TEXT_CHARS = 1200;

export function carriesFullText(entry: FeedEntry): boolean {
  return entry.contentHtml !== null && htmlToText(entry.contentHtml).length >= FULL_TEXT_CHARS;
}

export interface EntrySource {
  readonly name: string;
  /** The outlet's name as shown to readers (the source's title, else the feed's). */
  readonly outlet: string | null;
}

/** The entry as a document: the fetched article's text when there is one, else the feed's content, else its summary. */
export function entryDocument(entry: FeedEntry, source: EntrySource, articleHtml: string | null): Document {
  const origin = entry.url ?? `feed:${source.name}`;
  let text = '';
  let published = entry.published ?? entry.updated;
  if (articleHtml) {
    const article = readHtmlArticle(articleHtml, entry.url);
    text = article.text;
    published ??= article.published;
  }
  if (text.length < (entry.summary?.length ?? 0)) text = '';
  if (!text && entry.contentHtml) text = htmlToText(entry.contentHtml);
  if (!text && entry.summary) text = entry.summary;
  if (!text.trim()) text = entry.title;
  if (!text.trim()) throw new IngestError('empty', origin, 'feed entry has no title, summary or content');
  const title = (entry.title || text.split('\n')[0]).replace(/\s+/g, ' ').trim().slice(0, 500);
  const url = entry.url ? canonicalUrl(entry.url) : null;
  const contentHash = contentHashOf(title, text);
  return {
    id: documentId(url, url ? contentHash : sha256(`${source.name}\n${entryKey(entry)}`)),
    contentHash, title, outlet: source.outlet ?? siteOf(url) ?? source.name, url, published, format: 'html', text, origin, example: false,
  };
}

/** A single web page (an advisory, an article) as a document. */
export function pageDocument(html: string, url: string, outlet: string | null): Document {
  const article = readHtmlArticle(html, url);
  const text = article.text.trim();
  if (!text) throw new IngestError('empty', url, 'has no readable text');
  const title = (article.title ?? text.split('\n')[0]).replace(/\s+/g, ' ').trim().slice(0, 500);
  const canonical = canonicalUrl(url);
  const contentHash = contentHashOf(title, text);
  return {
    id: documentId(canonical, contentHash), contentHash, title, outlet: outlet ?? article.siteName ?? siteOf(canonical) ?? canonical,
    url: canonical, published: article.published, format: 'html', text, origin: url, example: false,
  };
}
