/** The NVD API pager with a fake server and clock: request URLs and headers, paging, 120-day windows and the rolling rate limit. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { VulnDataError } from '../../../src/sources/vulns/errors.js';
import { type NvdPagesOptions, lastModWindows, NVD_CVE_API, nvdPages } from '../../../src/sources/vulns/nvd-client.js';
import { SHARED } from '../../helpers.js';

const sample = JSON.parse(fs.readFileSync(path.join(SHARED, 'cve-records/nvd/CVE-2023-4966.json'), 'utf8'));
const cve = (n: number) => ({ ...sample, id: `CVE-2024-${String(10000 + n)}` });

interface Call {
  url: string;
  headers: Record<string, string>;
  at: number;
}

/** A fake NVD holding `total` CVEs per query, answering after `latency` ms of fake time. */
function fakeNvd(total: number | ((url: string) => number), latency = 0) {
  let t = 1_700_000_000_000;
  const calls: Call[] = [];
  const sleeps: number[] = [];
  const opts: Pick<NvdPagesOptions, 'get' | 'sleep' | 'now'> = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    get: async (url, headers) => {
      calls.push({ url, headers, at: t });
      t += latency;
      const q = new URL(url).searchParams;
      const start = Number(q.get('startIndex'));
      const per = Number(q.get('resultsPerPage'));
      const n = typeof total === 'function' ? total(url) : total;
      const items = Array.from({ length: Math.max(0, Math.min(per, n - start)) }, (_, i) => ({ cve: cve(start + i) }));
      return JSON.stringify({ resultsPerPage: items.length, startIndex: start, totalResults: n, format: 'NVD_CVE', version: '2.0', timestamp: '2025-10-24T14:00:00.000', vulnerabilities: items });
    },
  };
  return { opts, calls, sleeps, clock: () => t };
}

async function collect(opts: NvdPagesOptions) {
  const pages = [];
  for await (const p of nvdPages(opts)) pages.push(p);
  return pages;
}

/** The most requests any rolling window of `ms` saw. */
function busiest(calls: Call[], ms: number): number {
  return Math.max(0, ...calls.map((c) => calls.filter((d) => d.at >= c.at && d.at < c.at + ms).length));
}

describe('nvdPages', () => {
  it('pages with startIndex until totalResults, without a key header when there is no key', async () => {
    const nvd = fakeNvd(5);
    const pages = await collect({ ...nvd.opts, resultsPerPage: 2 });
    assert.deepEqual(nvd.calls.map((c) => c.url), [
      `${NVD_CVE_API}?resultsPerPage=2&startIndex=0`,
      `${NVD_CVE_API}?resultsPerPage=2&startIndex=2`,
      `${NVD_CVE_API}?resultsPerPage=2&startIndex=4`,
    ]);
    assert.deepEqual(nvd.calls.map((c) => c.headers), [{}, {}, {}]);
    assert.deepEqual(pages.map((p) => [p.startIndex, p.entries, p.totalResults]), [[0, 2, 5], [2, 2, 5], [4, 1, 5]]);
    assert.deepEqual(pages.flatMap((p) => p.records.map((r) => r.cve)), ['CVE-2024-10000', 'CVE-2024-10001', 'CVE-2024-10002', 'CVE-2024-10003', 'CVE-2024-10004']);
    assert.deepEqual(pages[0].records[0].cvss?.map((c) => c.source), ['cna:secure@citrix.com', 'nvd']);
    assert.equal(pages[2].url, nvd.calls[2].url);
    assert.deepEqual(nvd.sleeps, []);
  });

  it('defaults to 2,000 results per page and asks once for an empty result', async () => {
    const nvd = fakeNvd(0);
    const pages = await collect({ ...nvd.opts, baseUrl: 'http://mirror.local/cves' });
    assert.deepEqual(nvd.calls.map((c) => c.url), ['http://mirror.local/cves?resultsPerPage=2000&startIndex=0']);
    assert.equal(pages[0].totalResults, 0);
  });

  it('without a key, keeps to 5 requests per rolling 30 s, counting from each response', async () => {
    const nvd = fakeNvd(12, 1000);
    await collect({ ...nvd.opts, resultsPerPage: 1 });
    assert.equal(nvd.calls.length, 12);
    // Responses at +1 s…+5 s; the 6th request waits until 30 s after the first response, and so on.
    assert.deepEqual(nvd.sleeps, [26_000, 26_000]);
    assert.ok(busiest(nvd.calls, 30_000) <= 5, `busiest window ${busiest(nvd.calls, 30_000)}`);
  });

  it('with a key, sends it in the apiKey header and allows 50 requests per 30 s', async () => {
    const nvd = fakeNvd(120);
    await collect({ ...nvd.opts, resultsPerPage: 2, apiKey: 'secret-key' });
    assert.equal(nvd.calls.length, 60);
    assert.ok(nvd.calls.every((c) => c.headers.apiKey === 'secret-key' && Object.keys(c.headers).length === 1));
    // With an instant server the first 50 go at once and the 51st waits out the window.
    assert.deepEqual(nvd.sleeps, [30_000]);
    assert.equal(busiest(nvd.calls, 30_000), 50);
  });

  it('splits a lastMod range longer than 120 days into windows, with NVD\'s date form URL-encoded', async () => {
    const nvd = fakeNvd(1);
    const pages = await collect({ ...nvd.opts, lastModStart: '2024-01-01T00:00:00Z', lastModEnd: '2024-09-01T00:00:00Z' });
    assert.deepEqual(nvd.calls.map((c) => c.url), [
      `${NVD_CVE_API}?lastModStartDate=2024-01-01T00%3A00%3A00.000Z&lastModEndDate=2024-04-30T00%3A00%3A00.000Z&resultsPerPage=2000&startIndex=0`,
      `${NVD_CVE_API}?lastModStartDate=2024-04-30T00%3A00%3A00.000Z&lastModEndDate=2024-08-28T00%3A00%3A00.000Z&resultsPerPage=2000&startIndex=0`,
      `${NVD_CVE_API}?lastModStartDate=2024-08-28T00%3A00%3A00.000Z&lastModEndDate=2024-09-01T00%3A00%3A00.000Z&resultsPerPage=2000&startIndex=0`,
    ]);
    assert.equal(pages.length, 3);
    const q = new URL(nvd.calls[0].url).searchParams;
    assert.equal(q.get('lastModEndDate'), '2024-04-30T00:00:00.000Z');
    assert.equal((Date.parse(q.get('lastModEndDate')!) - Date.parse(q.get('lastModStartDate')!)) / 86_400_000, 120);
  });

  it('pages within each window, and ends an open range at the clock', async () => {
    const nvd = fakeNvd((url) => (url.includes('lastModStartDate=2023-01-01') ? 3 : 1));
    const now = new Date(nvd.clock()).toISOString();
    assert.equal(now, '2023-11-14T22:13:20.000Z');
    await collect({ ...nvd.opts, resultsPerPage: 2, lastModStart: '2023-01-01' });
    assert.equal(lastModWindows(Date.parse('2023-01-01T00:00:00Z'), nvd.clock()).length, 3);
    assert.deepEqual(nvd.calls.map((c) => new URL(c.url).search), [
      '?lastModStartDate=2023-01-01T00%3A00%3A00.000Z&lastModEndDate=2023-05-01T00%3A00%3A00.000Z&resultsPerPage=2&startIndex=0',
      '?lastModStartDate=2023-01-01T00%3A00%3A00.000Z&lastModEndDate=2023-05-01T00%3A00%3A00.000Z&resultsPerPage=2&startIndex=2',
      '?lastModStartDate=2023-05-01T00%3A00%3A00.000Z&lastModEndDate=2023-08-29T00%3A00%3A00.000Z&resultsPerPage=2&startIndex=0',
      '?lastModStartDate=2023-08-29T00%3A00%3A00.000Z&lastModEndDate=2023-11-14T22%3A13%3A20.000Z&resultsPerPage=2&startIndex=0',
    ]);
  });

  it('asks for listed CVEs one by one', async () => {
    const nvd = fakeNvd(1);
    await collect({ ...nvd.opts, cveIds: ['cve-2023-4966', 'CVE-2024-3400'] });
    assert.deepEqual(nvd.calls.map((c) => c.url), [
      `${NVD_CVE_API}?cveId=CVE-2023-4966&resultsPerPage=2000&startIndex=0`,
      `${NVD_CVE_API}?cveId=CVE-2024-3400&resultsPerPage=2000&startIndex=0`,
    ]);
  });

  it('refuses options NVD would refuse, before any request', async () => {
    const nvd = fakeNvd(1);
    await assert.rejects(collect({ ...nvd.opts, resultsPerPage: 5000 }), /resultsPerPage must be 1\.\.2000/);
    await assert.rejects(collect({ ...nvd.opts, lastModStart: '2024-05-01', lastModEnd: '2024-01-01' }), /is before lastModStart/);
    await assert.rejects(collect({ ...nvd.opts, lastModEnd: '2024-01-01' }), /needs lastModStart/);
    await assert.rejects(collect({ ...nvd.opts, lastModStart: 'yesterday' }), /is not an ISO 8601 date/);
    await assert.rejects(collect({ ...nvd.opts, cveIds: ['CVE-2024-3400'], lastModStart: '2024-01-01' }), /cannot be combined/);
    await assert.rejects(collect({ ...nvd.opts, cveIds: ['log4shell'] }), /"log4shell" is not a CVE id/);
    assert.equal(nvd.calls.length, 0);
  });

  it('stops with an error on a response that is not a page, or an empty page short of totalResults', async () => {
    const html = fakeNvd(1);
    await assert.rejects(collect({ ...html.opts, get: async () => '<html>403 Forbidden</html>' }), (e: unknown) => e instanceof VulnDataError && e.code === 'malformed' && /NVD API page https:\/\/services\.nvd\.nist\.gov\/.*is not JSON/.test(e.message));
    const short = fakeNvd(1);
    const empty = JSON.stringify({ resultsPerPage: 0, startIndex: 0, totalResults: 10, format: 'NVD_CVE', version: '2.0', timestamp: '2025-10-24T14:00:00.000', vulnerabilities: [] });
    await assert.rejects(collect({ ...short.opts, get: async () => empty }), (e: unknown) => e instanceof VulnDataError && e.code === 'malformed' && /no entries at startIndex 0 of totalResults 10/.test(e.message));
  });
});
