/** The typed error a feed or OPML list is refused with: one code per way the whole document can fail. */
export type FeedErrorCode = 'empty' | 'not-a-feed' | 'malformed' | 'too-many-entries';

export class FeedError extends Error {
  readonly code: FeedErrorCode;
  constructor(code: FeedErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeedError';
    this.code = code;
  }
}
