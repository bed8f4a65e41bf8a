/** The network fetcher every source uses: one entry point for its API. */
export { FetchError, type FetchErrorCode, type FetchErrorOptions } from './errors.js';
export { DEFAULT_FETCH_POLICY, Fetcher, parseRetryAfter, type FetcherDeps, type FetchPolicy, type FetchRequest, type FetchResult } from './fetcher.js';
export { HostQueue, type HostQueueClock, type HostQueueOptions } from './host-queue.js';
export { checkAddress, checkHost, guardedLookup, normaliseHost } from './ssrf-guard.js';
