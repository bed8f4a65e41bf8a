// `vigil watch ...` and `vigil alerts ...` as a user runs them: a watchlist, an ingest that queues, a send to a loopback receiver, the log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EXAMPLES, ROOT } from '../helpers.js';
import { type Receiver, VPN, webhookReceiver } from './receivers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-alerts-cli-'));
let ok: Receiver;
let failing: Receiver;
before(async () => {
  ok = await webhookReceiver();
  failing = await webhookReceiver(() => 404);
});
after(async () => {
  await ok.close();
  await failing.close();
});

// Async, not spawnSync: the loopback receivers live in this process and must keep answering.
function vigil(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: tmp, env: { ...process.env, VIGIL_DB: '', VIGIL_FETCH_ALLOW_HOSTS: '127.0.0.1', VIGIL_SITE_URL: 'https://vigil.example/', VIGIL_SMTP_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('watch add, list, test; ingest queues; alerts send; alerts log --status dead; watch remove', async () => {
  const db = path.join(tmp, 'a.db');
  let r = await vigil(['watch', 'add', 'ironvale', '--db', db, '--vendor', 'Ironvale Networks', '--min-severity', 'HIGH', '--webhook', ok.url, '--secret', 'a-long-shared-secret-0123', '--slack', failing.url]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^added watchlist ironvale: vendors=Ironvale Networks minSeverity=HIGH -> webhook:127\.0\.0\.1:\d+#[0-9a-f]{8} \(signed\), slack:127\.0\.0\.1:\d+#[0-9a-f]{8} \(immediate\)\n$/);
  r = await vigil(['watch', 'add', 'none', '--db', db, '--webhook', ok.url]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no rules/);
  r = await vigil(['watch', 'list', '--db', db]);
  assert.doesNotMatch(r.stdout, /secret-path|a-long-shared-secret/, 'neither secret URLs nor secrets are printed');
  assert.match(r.stdout, /^ironvale\timmediate\tvendors=Ironvale Networks minSeverity=HIGH\t/);
  r = await vigil(['watch', 'test', 'ironvale', '--db', db]);
  assert.equal(r.code, 1, 'the slack receiver answers 404');
  assert.match(r.stdout, /webhook:.*: sent\n.*slack:.*: failed: .*HTTP 404/);
  assert.equal(JSON.parse(ok.received[0].body).test, true);

  r = await vigil(['ingest', path.join(EXAMPLES, VPN), '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  r = await vigil(['alerts', 'send', '--db', db]);
  assert.equal(r.code, 1, 'a dead delivery makes the exit non-zero');
  assert.match(r.stdout, /ironvale webhook:\S+ #1: sent after 1 attempt\n/);
  assert.match(r.stdout, /ironvale slack:\S+ #2: dead after 1 attempt \(http-status: .*HTTP 404/);
  const body = JSON.parse(ok.received[1].body);
  assert.equal(body.items[0].link, `https://vigil.example/items/${body.items[0].id}`);
  r = await vigil(['alerts', 'log', '--status', 'dead', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^2\t\S+\tironvale\tslack:\S+\titm_\w+\tCRITICAL\tdead\t1\t-\thttp-status: /);
  r = await vigil(['watch', 'remove', 'ironvale', '--db', db]);
  assert.equal(r.stdout, 'removed ironvale\n');
});
