/**
 * A profiling driver for the web pages: seeds synthetic items, signs in a user for real and calls app.request() in a loop,
 * so `node --import tsx --cpu-prof bench/web-profile.ts` records the request path rather than the loader.
 * VIGIL_PROFILE_ITEMS (5000), VIGIL_PROFILE_REQUESTS (300 per page kind), VIGIL_PROFILE_DB (reuse a seeded file).
 * VIGIL_PROFILE_HTTP=1 sends the requests through the real server (@hono/node-server on loopback, a keep-alive client in this
 * process), so node's HTTP handling is in the profile too; the client's own functions are then in it as well.
 * VIGIL_PROFILE_OUT=file.cpuprofile records the request loops alone (node:inspector), without the seeding and module loading.
 */
import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { openSqliteStore } from '../src/store/index.js';
import { createApp } from '../src/web/app.js';
import { addUser } from '../src/web/auth/accounts.js';
import { createSession } from '../src/web/auth/sessions.js';
import { keepItemPages } from '../src/web/item-pages.js';
import { startServer } from '../src/web/serve.js';
import { syntheticItem, templateItems } from './web-corpus.js';

const items = Number(process.env.VIGIL_PROFILE_ITEMS ?? 5000);
const requests = Number(process.env.VIGIL_PROFILE_REQUESTS ?? 300);
const db = process.env.VIGIL_PROFILE_DB ?? ':memory:';
const fresh = db === ':memory:' || !fs.existsSync(db);
const store = await openSqliteStore(db);
const templates = await templateItems();
if (fresh) {
  for (let b = 0; b < items; b += 1000) {
    await store.importItems(Array.from({ length: Math.min(1000, items - b) }, (_, i) => syntheticItem(templates, b + i).item), '2026-12-01T00:00:00.000Z');
  }
}
const kindsAsked = (process.env.VIGIL_PROFILE_KINDS ?? 'item,list,search').split(',');
// As the server's keeper does after writes (nothing to do in a reused file); only the item page reads them.
if (kindsAsked.some((k) => k.startsWith('item'))) await keepItemPages(store);
const user = (await store.getUserByName('bench')) ?? await addUser(store, { name: 'bench', password: 'bench-password-long-enough-1', role: 'analyst' }, new Date());
const { id: sid } = await createSession(store, user.id, { lifetimeMs: 12 * 3_600_000 }, new Date());
const app = createApp({ store });
// VIGIL_PROFILE_PLAIN=1 asks as a client without gzip; by default as a browser asks.
const headers = { cookie: `vigil_session=${sid}`, ...(process.env.VIGIL_PROFILE_PLAIN === '1' ? {} : { 'accept-encoding': 'gzip, deflate, br, zstd' }) };
const id = (n: number) => `itm_bench_${n.toString(16).padStart(8, '0')}`;
const kinds: Record<string, (i: number) => string> = {
  item: (i) => `/items/${id((i * 7919) % items)}`,
  // A hundred items opened over and over: the rendered-page cache's hits.
  itemHot: (i) => `/items/${id((i * 7919) % 100)}`,
  list: (i) => ['/', '/?sort=date', '/?severity=HIGH', '/?severity=CRITICAL&severity=HIGH&sort=date', '/?triage=URGENT&affects=no'][i % 5] + (i % 3 === 0 ? `${i % 5 ? '&' : '?'}page=${1 + (i % 20)}` : ''),
  search: (i) => `/api/items?q=${encodeURIComponent(syntheticItem(templates, (i * 7919) % items).cve)}`,
};
const server = process.env.VIGIL_PROFILE_HTTP === '1' ? await startServer(app, 0) : null;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** One GET as app.request() answers it, or over loopback HTTP: the status and the body's size. */
async function get(path: string): Promise<{ status: number; size: number; text: () => Promise<string> }> {
  if (!server) {
    const res = await app.request(path, { headers });
    const body = await res.arrayBuffer();
    return { status: res.status, size: body.byteLength, text: async () => new TextDecoder().decode(body) };
  }
  return new Promise((resolve, reject) => {
    http.get(`${server.url}${path}`, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, size: Buffer.concat(chunks).byteLength, text: async () => Buffer.concat(chunks).toString() }));
    }).on('error', reject);
  });
}
const out = process.env.VIGIL_PROFILE_OUT;
const inspector = out ? new Session() : null;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}
for (const kind of kindsAsked) {
  const make = kinds[kind];
  const start = performance.now();
  const cpu = process.cpuUsage();
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const res = await get(make(i));
    if (res.status !== 200) throw new Error(`${make(i)}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    bytes += res.size;
  }
  const ms = (performance.now() - start) / requests;
  const used = process.cpuUsage(cpu);
  // CPU time is the steadier figure on a shared machine; it includes this driver's reading of each response.
  process.stdout.write(`${kind}: ${ms.toFixed(2)} ms/request wall, ${((used.user + used.system) / 1000 / requests).toFixed(2)} ms CPU, ${Math.round(bytes / requests / 1024)} KiB\n`);
}
if (inspector) {
  const { profile } = await inspector.post('Profiler.stop');
  fs.writeFileSync(out!, JSON.stringify(profile));
  inspector.disconnect();
}
agent.destroy();
await server?.close();
await store.close();
