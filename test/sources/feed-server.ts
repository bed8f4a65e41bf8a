// A loopback server for source tests: the real feeds and catalogs from ../shared/data, editable pages, and hostile answers.
import http from 'node:http';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { SHARED } from '../helpers.js';

export interface FeedServer {
  readonly url: string;
  /** Requests seen, by path, in order. */
  readonly hits: string[];
  /** Replaces or adds a route's body (an edited article, a changed feed). */
  set(pathname: string, body: string | Buffer, type?: string): void;
  close(): Promise<void>;
}

const bigFeed = (n: number, base: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>${base}/</link>${
  Array.from({ length: n }, (_, i) => `<item><title>Entry ${i}</title><link>${base}/big/${i}</link><guid>big-${i}</guid><description>Short note ${i}.</description></item>`).join('')
}</channel></rss>`;

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, { body: Buffer; type: string }>();
  const hits: string[] = [];
  // Twice the tests' decoded cap; built before listening, since building it blocks the loop the client is timed on.
  const gzipBomb = zlib.gzipSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const fixed = routes.get(url.pathname);
    if (fixed) {
      const etag = `"${createHash('sha1').update(fixed.body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        return res.end();
      }
      res.writeHead(200, { 'content-type': fixed.type, etag });
      return res.end(fixed.body);
    }
    switch (url.pathname) {
      case '/hostile/gzip-bomb':
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        return res.end(gzipBomb);
      case '/hostile/endless': {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = () => { while (res.write(chunk)); };
        res.on('drain', pump);
        pump();
        return;
      }
      case '/hostile/drip': {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const t = setInterval(() => res.write('<'), 300);
        res.on('close', () => clearInterval(t));
        return;
      }
      case '/hostile/redirect-loop':
        res.writeHead(302, { location: '/hostile/redirect-loop-2' });
        return res.end();
      case '/hostile/redirect-loop-2':
        res.writeHead(302, { location: '/hostile/redirect-loop' });
        return res.end();
      case '/hostile/redirect-private':
        res.writeHead(302, { location: 'http://10.0.0.1/feed.xml' });
        return res.end();
      case '/hostile/metadata':
        res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' });
        return res.end();
      case '/hostile/malformed':
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        return res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>cut off');
      case '/hostile/wrong-type':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><html><head><title>Home</title></head><body><p>Welcome to our site.</p></body></html>');
      case '/hostile/500':
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end('internal error');
      case '/hostile/429':
        res.writeHead(429, { 'retry-after': '7200', 'content-type': 'text/plain' });
        return res.end('slow down');
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const set = (pathname: string, body: string | Buffer, type = 'application/rss+xml') => {
    routes.set(pathname, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), type });
  };
  for (const f of fs.readdirSync(path.join(SHARED, 'feeds')).filter((n) => n.endsWith('.xml'))) {
    set(`/feeds/${f}`, fs.readFileSync(path.join(SHARED, 'feeds', f)));
  }
  set('/kev.json', fs.readFileSync(path.join(SHARED, 'kev/known_exploited_vulnerabilities.json')), 'application/json');
  const epss = fs.readdirSync(path.join(SHARED, 'epss')).find((n) => n.endsWith('.csv'));
  if (epss) set('/epss.csv.gz', zlib.gzipSync(fs.readFileSync(path.join(SHARED, 'epss', epss))), 'application/gzip');
  set('/big.xml', bigFeed(10_000, base));
  return {
    url: base, hits, set,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
