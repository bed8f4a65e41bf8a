/** Paging through the NVD CVE API 2.0 within NVD's published rate limits and date-range rules; I/O and time are injected. */
import { VulnDataError } from './errors.js';
import { cveId, isoTimestamp } from './normalise.js';
import { type NvdPage, parseNvdApiPage } from './nvd.js';

export const NVD_CVE_API = 'https://services.nvd.nist.gov/rest/json/cves/2.0';
/** NVD's published limits: requests per rolling 30-second window, without and with an API key. */
export const NVD_RATE_WINDOW_MS = 30_000;
export const NVD_RATE_LIMIT = { withoutKey: 5, withKey: 50 } as const;
/** NVD refuses lastMod ranges longer than 120 consecutive days. */
export const NVD_MAX_RANGE_DAYS = 120;
export const NVD_MAX_RESULTS_PER_PAGE = 2000;

const DAY_MS = 86_400_000;

export interface NvdPagesOptions {
  /** Fetches a URL with the given headers and resolves to the body; throws on HTTP errors (retries are its business). */
  readonly get: (url: string, headers: Record<string, string>) => Promise<string>;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly apiKey?: string | null;
  readonly baseUrl?: string;
  /** ISO 8601; with lastModEnd (default: now) selects CVEs modified in the range, split into ≤120-day windows. */
  readonly lastModStart?: string;
  readonly lastModEnd?: string;
  readonly resultsPerPage?: number;
  /** One request per id instead of a range; cannot be combined with lastModStart/lastModEnd. */
  readonly cveIds?: readonly string[];
}

export interface NvdFetchedPage extends NvdPage {
  readonly url: string;
}

function instant(value: string, name: string): number {
  const iso = isoTimestamp(value);
  if (iso === null) throw new RangeError(`nvd: ${name} ${JSON.stringify(value)} is not an ISO 8601 date`);
  return Date.parse(iso);
}

/** [start, end] pairs covering the range, each at most NVD_MAX_RANGE_DAYS long; consecutive windows share their boundary. */
export function lastModWindows(start: number, end: number): [number, number][] {
  if (end < start) throw new RangeError(`nvd: lastModEnd ${new Date(end).toISOString()} is before lastModStart ${new Date(start).toISOString()}`);
  const span = NVD_MAX_RANGE_DAYS * DAY_MS;
  const windows: [number, number][] = [];
  for (let from = start; ; from += span) {
    const to = Math.min(from + span, end);
    windows.push([from, to]);
    if (to >= end) return windows;
  }
}

/** The date form NVD's examples use (2024-01-01T00:00:00.000Z), URL-encoded. */
const nvdDate = (t: number) => encodeURIComponent(new Date(t).toISOString());

/**
 * Keeps at most `limit` requests in any rolling window. A request counts from when its response arrived, which is no
 * earlier than when NVD counted it, so the client never gets ahead of NVD's own window.
 */
class RollingWindow {
  private readonly done: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async acquire(): Promise<void> {
    const t = this.now();
    this.expire(t);
    if (this.done.length < this.limit) return;
    const wait = this.done[0] + this.windowMs - t;
    await this.sleep(wait);
    // A clock that did not move during the sleep (tests, suspended laptops) must not make this wait forever.
    this.expire(Math.max(this.now(), t + wait));
  }

  record(): void {
    this.done.push(this.now());
  }

  private expire(t: number): void {
    while (this.done.length > 0 && this.done[0] + this.windowMs <= t) this.done.shift();
  }
}

function queries(opts: NvdPagesOptions): string[] {
  if (opts.cveIds !== undefined) {
    if (opts.lastModStart !== undefined || opts.lastModEnd !== undefined) throw new RangeError('nvd: cveIds cannot be combined with lastModStart/lastModEnd');
    return opts.cveIds.map((raw) => {
      const id = cveId(raw);
      if (id === null) throw new RangeError(`nvd: ${JSON.stringify(raw)} is not a CVE id`);
      return `cveId=${id}`;
    });
  }
  if (opts.lastModStart === undefined) {
    if (opts.lastModEnd !== undefined) throw new RangeError('nvd: lastModEnd needs lastModStart (NVD requires both)');
    return [''];
  }
  const start = instant(opts.lastModStart, 'lastModStart');
  const end = opts.lastModEnd === undefined ? opts.now() : instant(opts.lastModEnd, 'lastModEnd');
  return lastModWindows(start, end).map(([from, to]) => `lastModStartDate=${nvdDate(from)}&lastModEndDate=${nvdDate(to)}`);
}

/** Every page of the selected CVEs, in order: each date window (or id) paged with startIndex until totalResults. */
export async function* nvdPages(opts: NvdPagesOptions): AsyncGenerator<NvdFetchedPage> {
  const perPage = opts.resultsPerPage ?? NVD_MAX_RESULTS_PER_PAGE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > NVD_MAX_RESULTS_PER_PAGE) {
    throw new RangeError(`nvd: resultsPerPage must be 1..${NVD_MAX_RESULTS_PER_PAGE}, got ${perPage}`);
  }
  const key = opts.apiKey ? opts.apiKey.trim() : '';
  const headers: Record<string, string> = key ? { apiKey: key } : {};
  const limiter = new RollingWindow(key ? NVD_RATE_LIMIT.withKey : NVD_RATE_LIMIT.withoutKey, NVD_RATE_WINDOW_MS, opts.now, opts.sleep);
  const base = opts.baseUrl ?? NVD_CVE_API;
  const joiner = base.includes('?') ? '&' : '?';

  for (const query of queries(opts)) {
    let startIndex = 0;
    for (;;) {
      const url = `${base}${joiner}${query ? `${query}&` : ''}resultsPerPage=${perPage}&startIndex=${startIndex}`;
      await limiter.acquire();
      let body: string;
      try {
        body = await opts.get(url, { ...headers });
      } finally {
        limiter.record();
      }
      const page = parseNvdApiPage(body, `NVD API page ${url}`);
      yield { ...page, url };
      const next = page.startIndex + page.entries;
      if (next >= page.totalResults) break;
      // Asking again for the same startIndex would loop forever, and stopping here would pass a partial sync as whole.
      if (page.entries === 0) {
        throw new VulnDataError('malformed', `NVD API page ${url}`, `returned no entries at startIndex ${page.startIndex} of totalResults ${page.totalResults}`);
      }
      startIndex = next;
    }
  }
}
