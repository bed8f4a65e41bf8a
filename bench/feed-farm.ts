/** A separate process serving N generated feeds on loopback, with ETags, so the sources benchmark measures Vigil and not the server. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');
const FEEDS = Number(process.argv[2] ?? 50);
const ENTRIES = Number(process.argv[3] ?? 100);

/** Real article paragraphs from the saved feeds, recombined so that every generated entry is a different text. */
function paragraphs(): string[] {
  const out: string[] = [];
  const dir = path.join(shared, 'feeds');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.xml'))) {
    const xml = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of xml.matchAll(/<(description|content:encoded)[^>]*>([\s\S]*?)<\/\1>/g)) {
      const text = m[2].replace(/<!\[CDATA\[|\]\]>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
        .replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ').replace(/\s+/g, ' ').trim();
      for (const p of text.match(/[^.!?]+[.!?]+/g) ?? []) if (p.length > 60 && p.length < 600) out.push(p.trim());
    }
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const pool = paragraphs();
const feeds = Array.from({ length: FEEDS }, (_, f) => {
  const items = Array.from({ length: ENTRIES }, (_, e) => {
    const n = f * ENTRIES + e;
    const body = Array.from({ length: 8 }, (_, k) => pool[(n * 7 + k * 13) % pool.length]).join(' ');
    const date = new Date(Date.UTC(2026, 10, 1) + n * 60_000).toUTCString();
    return `<item><title>${esc(pool[n % pool.length].slice(0, 90))} (${f}-${e})</title><link>https://outlet${f}.example/${e}</link>`
      + `<guid>outlet${f}-${e}</guid><pubDate>${date}</pubDate><description>${esc(body.slice(0, 200))}</description>`
      + `<content:encoded><![CDATA[<p>${esc(body)}</p><p>Reported by outlet ${f}, story ${e}.</p>]]></content:encoded></item>`;
  }).join('');
  const xml = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Outlet ${f}</title><link>https://outlet${f}.example/</link>${items}</channel></rss>`;
  return { xml, etag: `"${createHash('sha1').update(xml).digest('hex')}"` };
});

const server = http.createServer((req, res) => {
  const m = /^\/feed\/(\d+)$/.exec(req.url ?? '');
  const feed = m ? feeds[Number(m[1])] : undefined;
  if (!feed) return res.writeHead(404).end();
  if (req.headers['if-none-match'] === feed.etag) return res.writeHead(304, { etag: feed.etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml', etag: feed.etag }).end(feed.xml);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
