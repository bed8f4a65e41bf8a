/** Reads one feed: conditional fetch, parse, and each new or edited entry to a document and its item; unchanged entries cost nothing. */
import type { Source } from '../domain/index.js';
import { ingestDocument } from '../pipeline.js';
import type { SourceDeps } from './deps.js';
import { carriesFullText, entryDocument, entryHash, entryKey } from './entry-document.js';
import { type FeedEntry, parseFeed } from './feed-parse.js';
import { notModified, type ReadResult, Tally } from './run-report.js';

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
// A feed is a list of recent news: past this many entries per poll the rest is an archive or an attack, and waits.
export const MAX_ENTRIES_PER_RUN = 500;
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** The article page for a teaser entry; when it cannot be had, the summary stands and the run says why. */
async function articleHtml(entry: FeedEntry, source: Source, deps: SourceDeps, tally: Tally): Promise<string | null> {
  if (!source.fetchArticles || !entry.url || carriesFullText(entry)) return null;
  try {
    const page = await deps.fetcher.fetch({ url: entry.url, accept: PAGE_ACCEPT });
    if (page.kind !== 'ok') return null;
    if (page.contentType && !/html|xml/i.test(page.contentType)) {
      tally.warn(`${entry.url}: article is ${page.contentType}, not a page; the feed's summary is used`);
      return null;
    }
    return new TextDecoder('utf-8').decode(page.body);
  } catch (e) {
    tally.warn(`${entry.url}: article not fetched (${(e as Error).message}); the feed's summary is used`);
    return null;
  }
}

export async function readFeed(source: Source, deps: SourceDeps): Promise<ReadResult> {
  const { etag, lastModified } = source.health;
  const response = await deps.fetcher.fetch({ url: source.location, etag, lastModified, accept: FEED_ACCEPT });
  if (response.kind === 'not-modified') return notModified(response.etag ?? etag, response.lastModified ?? lastModified);
  const feed = parseFeed(response.body, { baseUrl: response.url, maxEntries: MAX_ENTRIES_PER_RUN });
  const tally = new Tally();
  for (const w of feed.warnings) tally.warn(w);
  const outlet = source.title ?? feed.title;
  const progress = deps.progress(source.name, feed.entries.length);
  const now = () => deps.pipeline.now().toISOString();
  for (const entry of feed.entries) {
    tally.entries++;
    try {
      const key = entryKey(entry);
      const hash = entryHash(entry);
      const seen = await deps.store.getSourceEntry(source.name, key);
      if (seen?.entryHash === hash) {
        tally.count('unchanged');
      } else {
        const document = entryDocument(entry, { name: source.name, outlet }, await articleHtml(entry, source, deps, tally));
        const r = await ingestDocument(deps.store, document, deps.pipeline);
        await deps.store.saveSourceEntry(source.name, key, { entryHash: hash, documentId: document.id }, now());
        tally.count(r.document_);
      }
    } catch (e) {
      tally.fail(entry.url ?? entry.title ?? 'entry', e);
    }
    progress.tick();
  }
  progress.done();
  return tally.result({ etag: response.etag, lastModified: response.lastModified });
}
