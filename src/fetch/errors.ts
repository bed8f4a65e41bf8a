/** Typed fetch errors: one code per way a fetch can fail, with the URL it failed on and whether trying again can help. */
export type FetchErrorCode =
  | 'bad-url'
  | 'unsupported-scheme'
  | 'blocked-address'
  | 'dns'
  | 'connect'
  | 'timeout-connect'
  | 'timeout-headers'
  | 'timeout-body'
  | 'too-large'
  | 'decompression-bomb'
  | 'bad-encoding'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'http-status'
  | 'rate-limited'
  | 'aborted';

// Codes whose cause is usually transient; 'http-status' and 'dns' depend on the detail, so their creators decide.
const RETRYABLE: ReadonlySet<FetchErrorCode> = new Set(['connect', 'timeout-connect', 'timeout-headers', 'timeout-body', 'rate-limited']);

export interface FetchErrorOptions {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;
  constructor(code: FetchErrorCode, url: string, message: string, options: FetchErrorOptions = {}) {
    super(`fetch: ${url}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FetchError';
    this.code = code;
    this.url = url;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? RETRYABLE.has(code);
  }
}
