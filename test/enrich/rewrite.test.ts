// The optional summary rewrite against a loopback fake OpenAI-compatible server: faithful rewrites pass, added facts and failures fall back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import type { Item } from '../../src/domain/index.js';
import { checkRewrite } from '../../src/enrich/rewrite-check.js';
import { answerSentences, createRewriter, rewriterFromConfig } from '../../src/enrich/rewrite.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import { EXAMPLES, testContext } from '../helpers.js';

type Reply = (summary: string[], req: http.IncomingMessage) => { status?: number; content?: string; hang?: boolean; raw?: string };
let reply: Reply = (s) => ({ content: s.join('\n') });
const seen: { auth: string | undefined; body: { model: string; messages: { role: string; content: string }[]; temperature: number } }[] = [];
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      const body = JSON.parse(data);
      seen.push({ auth: req.headers.authorization, body });
      const summary = String(body.messages[1].content).split('\n\nSummary:\n')[1].split('\n');
      const r = reply(summary, req);
      if (r.hang) return;
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(r.raw ?? JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: r.content ?? '' }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const file = path.join(EXAMPLES, '01-saas-vendor-breach.txt');
async function composed(): Promise<Item> {
  const store = await openSqliteStore(':memory:');
  const item = (await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext())).item;
  await store.close();
  return item;
}
const rewriter = (timeoutMs = 5000) => createRewriter({ url: base, model: 'test-model', apiKey: 'k-123', timeoutMs });
// A faithful rewrite: the same statements, reordered and reworded, adding nothing.
// List markers are stripped from the answer, so they are sent here too.
const faithful: Reply = (s) => ({ content: [...s.slice(1).reverse().map((l) => `- ${l.replace('Confirmed impact:', 'The confirmed impact:')}`), s[0]].join('\n') });

test('without an endpoint nothing is rewritten and enrichment stays deterministic', async () => {
  assert.equal(rewriterFromConfig(loadConfig({}, {})), null);
  const a = await composed();
  const b = await composed();
  assert.deepEqual(a, b);
  assert.deepEqual(a.enrichment.narrative, { source: 'composed', model: null, note: 'Composed from the facts; no rewrite endpoint is configured.' });
  assert.throws(() => rewriterFromConfig(loadConfig({}, { VIGIL_LLM_URL: base })), /VIGIL_LLM_MODEL is not/);
  assert.throws(() => loadConfig({}, { VIGIL_LLM_URL: 'file:///etc/passwd' }), /VIGIL_LLM_URL must be an http\(s\) URL/);
});

test('a faithful rewrite is accepted and recorded, and the request carries the model, key and summary', async () => {
  const item = await composed();
  reply = faithful;
  const out = await rewriter().rewrite(item);
  assert.equal(out.enrichment.narrative?.source, 'rewritten', out.enrichment.narrative?.note);
  assert.equal(out.summary[out.summary.length - 1], item.summary[0]);
  assert.ok(out.summary.some((l) => l.startsWith('The confirmed impact:')));
  const last = seen[seen.length - 1];
  assert.equal(last.auth, 'Bearer k-123');
  assert.equal(last.body.model, 'test-model');
  assert.equal(last.body.temperature, 0);
  assert.match(last.body.messages[0].content, /Do not add any organisation/);
  assert.ok(last.body.messages[1].content.includes(item.summary[0]));
});

test('a rewrite that adds a CVE, a number, a quantity or a name is refused, with the reason recorded', async () => {
  const item = await composed();
  const cases: [Reply, RegExp][] = [
    [(s) => ({ content: [...s.slice(0, -1), `${s[s.length - 1]} The flaw is tracked as CVE-2026-99999.`].join('\n') }), /adds CVE-2026-99999/],
    [(s) => ({ content: [s[0].replace(/\.$/, ', affecting 48,000 customers.'), ...s.slice(1)].join('\n') }), /adds the number 48,000/],
    [(s) => ({ content: [`${s[0]} Roughly twelve hospitals are affected.`, ...s.slice(1)].join('\n') }), /adds the quantity "twelve"/],
    [(s) => ({ content: [...s.slice(0, 5), 'Microsoft Defender telemetry confirmed the intrusion.'].join('\n') }), /adds the name "Microsoft"/],
    [(s) => ({ content: [...s.slice(0, -1), `${s[s.length - 1]} Block 203.0.113.77 at the edge.`].join('\n') }), /adds "203\.0\.113\.77"/],
  ];
  for (const [r, why] of cases) {
    reply = r;
    const out = await rewriter().rewrite(item);
    assert.deepEqual(out.summary, item.summary, 'the composed summary is kept');
    assert.equal(out.enrichment.narrative?.source, 'composed');
    assert.match(out.enrichment.narrative?.note ?? '', why);
    assert.match(out.enrichment.narrative?.note ?? '', /the rewrite by test-model was not used: the fact check failed/);
  }
});

test('a 500, a timeout, a non-completion answer or a runaway answer fall back to the composed text', async () => {
  const item = await composed();
  reply = () => ({ status: 500, raw: '{"error":"boom"}' });
  assert.match((await rewriter().rewrite(item)).enrichment.narrative?.note ?? '', /the endpoint failed \(.*HTTP 500/);
  reply = () => ({ hang: true });
  const slow = await rewriter(300).rewrite(item);
  assert.deepEqual(slow.summary, item.summary);
  assert.match(slow.enrichment.narrative?.note ?? '', /no answer within 300 ms/);
  reply = () => ({ raw: '{"choices":[]}' });
  assert.match((await rewriter().rewrite(item)).enrichment.narrative?.note ?? '', /not a chat completion/);
  reply = (s) => ({ content: s.map((l) => `${l} ${l} ${l}`).join('\n') });
  assert.match((await rewriter().rewrite(item)).enrichment.narrative?.note ?? '', /characters for a \d+-character summary/);
  reply = faithful;
  const capped = await createRewriter({ url: base, model: 'test-model', apiKey: null, timeoutMs: 5000, maxBytes: 100 }).rewrite(item);
  assert.match(capped.enrichment.narrative?.note ?? '', /answer is over 100 bytes/);
  reply = (s) => ({ content: s.slice(0, 2).join('\n') });
  assert.match((await rewriter().rewrite(item)).enrichment.narrative?.note ?? '', /2 sentences, not 3 to 6/);
});

test('the pipeline stores the rewritten summary when an endpoint is configured', async () => {
  reply = faithful;
  const store = await openSqliteStore(':memory:');
  const item = (await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext({ rewriter: rewriter() }))).item;
  assert.equal(item.enrichment.narrative?.source, 'rewritten');
  assert.deepEqual((await store.getItem(item.id))?.summary, item.summary);
  await store.close();
});

test('the fact check reads defanged indicators, spelt numbers and dates by value', async () => {
  const item = await composed();
  const iso = item.summary.join(' ').match(/\d{4}-\d{2}-\d{2}/)?.[0];
  assert.ok(iso, 'the composed summary has a date');
  const [y, m, d] = iso.split('-').map(Number);
  const month = new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  const reworded = item.summary.map((l) => l.replace(iso, `${month} ${d}, ${y}`));
  assert.deepEqual(checkRewrite(reworded, item), { ok: true });
  const other = month === 'January' ? 'February' : 'January';
  assert.deepEqual(checkRewrite(item.summary.map((l) => l.replace(iso, `${other} ${d}, ${y}`)), item), { ok: false, reason: `adds a date in ${other.toLowerCase()}` });
  assert.deepEqual(answerSentences('<think>plan</think>\n1. One.\n- Two.\n"Three."'), ['One.', 'Two.', 'Three.']);
});
