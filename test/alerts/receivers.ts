/** Local receivers for alert tests on 127.0.0.1: an HTTP webhook that records what arrives, and an SMTP sink that records the conversation. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { openStore, type Store } from '../../src/store/index.js';
import { ingest } from '../../src/pipeline.js';
import type { AlertDeps } from '../../src/alerts/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLES, testContext } from '../helpers.js';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** Answers each request with `answer(n)` (n counts from 1): a status code. */
export async function webhookReceiver(answer: (n: number, r: Received) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const status = answer(received.length, r);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook/secret-path`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface SmtpSink {
  readonly port: number;
  /** Every line the client sent outside DATA, and each message's raw DATA (dot-stuffed, as on the wire). */
  readonly commands: string[];
  readonly messages: string[];
  close(): Promise<void>;
}

/** A minimal SMTP server: offers AUTH PLAIN (no STARTTLS), accepts everything, and records it. */
export async function smtpSink(): Promise<SmtpSink> {
  const commands: string[] = [];
  const messages: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    socket.write('220 sink.test ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 2.0.0 queued as TEST1\r\n');
          continue;
        }
        const i = buffer.indexOf('\r\n');
        if (i < 0) return;
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        commands.push(line);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') socket.write('250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
        else if (verb === 'AUTH') socket.write('235 2.7.0 ok\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port, commands, messages,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A clock the test moves by hand: retries and digests come due without a real wait. */
export function testClock(start = '2026-12-01T12:00:00Z'): { now: () => Date; advance: (ms: number) => void; set: (iso: string) => void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => { t += ms; }, set: (iso) => { t = Date.parse(iso); } };
}

export const SITE = 'https://vigil.example';

/** Alert deps for tests: the fetcher's SSRF guard, with loopback let through by name only. */
export function testDeps(now: () => Date, over: Partial<AlertDeps> = {}): AlertDeps {
  return {
    siteUrl: SITE, guard: { allowPrivateNetworks: false, allowHosts: ['127.0.0.1'] }, userAgent: 'Vigil/test', smtp: null, now,
    random: () => 0.5, ...over,
  };
}

/** A store with one example document ingested as a real (non-example) document, so its item may alert. */
export async function storeWith(files: readonly string[], now: () => Date): Promise<{ store: Store; ids: string[] }> {
  const store = await openStore(':memory:');
  const ids: string[] = [];
  for (const f of files) ids.push((await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: false }, testContext({ now }))).item.id);
  return { store, ids };
}

export const VPN = '03-vpn-zero-day-exploited.txt';
export const SAAS = '01-saas-vendor-breach.txt';
export const XSS = '06-low-xss-advisory.txt';
