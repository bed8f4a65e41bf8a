// A loopback HTTP server that misbehaves on purpose, one route per way a feed host can hurt the fetcher.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export const TEXT = 'hello from the hostile server\n'.repeat(200);
export const ETAG = '"v1"';
export const LAST_MODIFIED = 'Tue, 03 Mar 2026 10:00:00 GMT';

// 16 MiB of zeros (four times the tests' decoded cap) gzips to about 16 KiB. Built before the server listens: built on
// the first request, it blocked the event loop long enough on a loaded machine to trip the client's header timeout.
let bomb: Buffer | undefined;
const gzipBomb = () => (bomb ??= zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 }));

export interface HostileServer {
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
  /** How many requests a path (with its query) has received. */
  hits(path: string): number;
  /** Headers of the requests a path (with its query) received, in order. */
  requests(path: string): http.IncomingHttpHeaders[];
  /** Most /hold requests in progress at the same time so far. */
  peakHeld(): number;
  /** Open connections, to show the client let go of every socket. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

const held = { now: 0, peak: 0 };

type Route = (req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams, hit: number) => void;

/** Writes until the client goes away, honouring backpressure so the server itself stays small. */
function endless(res: http.ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

/** Sends one byte every `ms` until `total` bytes or the client leaves. */
function drip(res: http.ServerResponse, ms: number, total = Infinity): void {
  // Headers now, so it is the body, not the response, that is slow.
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write('x');
    if (++sent >= total) {
      clearInterval(timer);
      res.end();
    }
  }, ms);
  res.on('close', () => clearInterval(timer));
}

function redirect(res: http.ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location, 'content-length': 0 });
  res.end();
}

const ROUTES: Record<string, Route> = {
  '/ok': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(TEXT) });
    res.end(TEXT);
  },
  '/gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(zlib.gzipSync(TEXT));
  },
  '/br': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' });
    res.end(zlib.brotliCompressSync(TEXT));
  },
  '/deflate': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'deflate' });
    res.end(zlib.deflateSync(TEXT));
  },
  // What some servers send as "deflate": the raw stream without the zlib wrapper.
  '/deflate-raw': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'deflate' });
    res.end(zlib.deflateRawSync(TEXT));
  },
  '/bomb': (_req, res) => {
    const body = gzipBomb();
    res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip', 'content-length': body.length });
    res.end(body);
  },
  '/lying-gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(TEXT);
  },
  '/truncated-gzip': (_req, res) => {
    const body = zlib.gzipSync(TEXT);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(body.subarray(0, body.length - 20));
  },
  '/zstd': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'zstd' });
    res.end(TEXT);
  },
  '/endless': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    endless(res);
  },
  '/slow-drip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100 });
    drip(res, 1000, 100);
  },
  // Never silent long enough to trip the idle timer, but never done either.
  '/trickle': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    drip(res, 50);
  },
  '/huge-length': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 10 * 1024 ** 3 });
    res.flushHeaders();
  },
  '/no-headers': () => {},
  '/redirect-chain': (_req, res, q) => {
    const n = Number(q.get('n') ?? 0);
    if (n <= 0) return redirect(res, '/ok', 301);
    // Alternate relative and absolute Locations, so both resolutions are exercised.
    redirect(res, n % 2 ? `redirect-chain?n=${n - 1}` : `/redirect-chain?n=${n - 1}`);
  },
  '/loop-a': (_req, res) => redirect(res, '/loop-b'),
  '/loop-b': (_req, res) => redirect(res, '/loop-a'),
  '/redirect-to': (_req, res, q) => redirect(res, q.get('to') ?? '/ok', 307),
  '/to-private': (_req, res) => redirect(res, 'http://10.0.0.1/'),
  '/to-metadata': (_req, res) => redirect(res, 'http://169.254.169.254/latest/meta-data'),
  '/to-file': (_req, res) => redirect(res, 'file:///etc/passwd'),
  '/no-location': (_req, res) => {
    res.writeHead(302, { 'content-length': 0 });
    res.end();
  },
  '/status': (_req, res, q) => {
    res.writeHead(Number(q.get('code') ?? 500), { 'content-type': 'text/plain' });
    res.end('no');
  },
  '/flaky': (_req, res, _q, hit) => {
    if (hit === 1) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      return void res.end('try later');
    }
    ROUTES['/ok'](_req, res, _q, hit);
  },
  '/rate-limited': (_req, res, q, hit) => {
    if (hit === 1 || q.get('always')) {
      res.writeHead(429, { 'retry-after': q.get('after') ?? '2' });
      return void res.end();
    }
    ROUTES['/ok'](_req, res, q, hit);
  },
  '/conditional': (req, res) => {
    if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED) {
      res.writeHead(304, { etag: ETAG, 'last-modified': LAST_MODIFIED });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/atom+xml', etag: ETAG, 'last-modified': LAST_MODIFIED });
    res.end('<feed/>');
  },
  // A 304 nobody asked for.
  '/always-304': (_req, res) => {
    res.writeHead(304);
    res.end();
  },
  '/wrong-type': (_req, res) => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': png.length });
    res.end(png);
  },
  '/reset': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 10_000 });
    res.write('x'.repeat(1000), () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
  },
  // Holds each request a moment, counting how many are held at once, to observe client-side concurrency.
  '/hold': (_req, res) => {
    held.now++;
    held.peak = Math.max(held.peak, held.now);
    setTimeout(() => {
      held.now--;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('held');
    }, 30);
  },
  '/echo-headers': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.headers));
  },
};

export async function startHostileServer(): Promise<HostileServer> {
  const hits = new Map<string, number>();
  const seen = new Map<string, http.IncomingHttpHeaders[]>();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const key = `${u.pathname}${u.search}`;
    const n = (hits.get(key) ?? 0) + 1;
    hits.set(key, n);
    seen.set(key, [...(seen.get(key) ?? []), req.headers]);
    const route = ROUTES[u.pathname];
    if (!route) {
      res.writeHead(404);
      return void res.end();
    }
    route(req, res, u.searchParams, n);
  });
  gzipBomb();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    hits: (path) => hits.get(path) ?? 0,
    requests: (path) => seen.get(path) ?? [],
    peakHeld: () => held.peak,
    connections: () => new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
