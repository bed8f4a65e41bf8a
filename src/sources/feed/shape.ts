/** What each format reader hands the parser: the feed's own fields and its raw items, read into entries one at a time. */
import type { FeedEntry, FeedFormat } from '../feed-parse.js';

export interface FeedShape {
  readonly format: FeedFormat;
  readonly title: string | null;
  readonly link: string | null;
  readonly items: readonly unknown[];
  /** Reads one raw item; it may throw, and the parser then skips that item alone. */
  readonly toEntry: (item: unknown) => FeedEntry;
  /** Items past the limit that were cut before parsing, not in `items`. */
  readonly unread?: number;
}

/** Categories in feed order, blanks and repeats dropped. */
export function uniqueCategories(values: Iterable<string | null>): string[] {
  const seen = new Set<string>();
  for (const v of values) {
    const c = v?.replace(/\s+/g, ' ').trim();
    if (c) seen.add(c);
  }
  return [...seen];
}
