// `vigil serve` as started by npm start: examples on first start, --no-examples.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers.js';

/** Starts `vigil serve` on a free port and resolves with its URL once it listens. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ url: string; stop: () => void; output: () => string }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', ...args], {
    env: { ...process.env, VIGIL_DB: '', VIGIL_SCHEDULE: '0', VIGIL_ANONYMOUS_READ: '1', ...env },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`serve did not start: ${out}`)); }, 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /news center at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => child.kill('SIGTERM'), output: () => out });
      }
    });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${out}`)); });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-serve-'));

test('first start on an empty database ingests the examples, marked as examples', async () => {
  const s = await serve(['--db', path.join(tmp, 'a.db')]);
  try {
    assert.match(s.output(), /ingested 7 example documents/);
    assert.match(s.output(), /no sources yet, added the \d+ default sources/);
    const list = await (await fetch(`${s.url}/api/items`)).json();
    assert.equal(list.total, 7);
    const html = await (await fetch(`${s.url}/`)).text();
    assert.equal((html.match(/class="example"/g) ?? []).length, 7);
  } finally {
    s.stop();
  }
});

test('--no-examples leaves a new database empty, and says how to fill it', async () => {
  const s = await serve(['--db', path.join(tmp, 'b.db'), '--no-examples']);
  try {
    assert.doesNotMatch(s.output(), /example documents/);
    const html = await (await fetch(`${s.url}/`)).text();
    assert.match(html, /No items yet\. Ingest documents with <code>vigil ingest FILE<\/code>/);
  } finally {
    s.stop();
  }
});

test('without anonymous read a fresh install asks for its first admin, with the set-up code it printed', async () => {
  const s = await serve(['--db', path.join(tmp, 'c.db'), '--no-examples', '--no-default-sources'], { VIGIL_ANONYMOUS_READ: '0' });
  try {
    const code = /enter the set-up code ([0-9a-f]{12})/.exec(s.output())?.[1];
    assert.ok(code, s.output());
    const api = await fetch(`${s.url}/api/items`);
    assert.equal(api.status, 401);
    assert.equal((await api.json()).error.code, 'setup-required');
    const page = await fetch(`${s.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/setup');
    const form = (c: string) => new URLSearchParams({ code: c, name: 'root', password: 'a long enough passphrase', confirm: 'a long enough passphrase' });
    const wrong = await fetch(`${s.url}/setup`, { method: 'POST', body: form('000000000000'), headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(wrong.status, 401);
    const done = await fetch(`${s.url}/setup`, { method: 'POST', body: form(code), headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(done.status, 303);
    const cookie = (done.headers.get('set-cookie') ?? '').split(';')[0];
    assert.match(cookie, /^vigil_session=/);
    const list = await fetch(`${s.url}/api/items`, { headers: { cookie } });
    assert.equal(list.status, 200);
  } finally {
    s.stop();
  }
});

test('--workers 2: two processes answer on one port and accept the set-up code the first printed; SIGTERM ends them all', async () => {
  const s = await serve(['--db', path.join(tmp, 'd.db'), '--no-examples', '--no-default-sources', '--workers', '2'], { VIGIL_ANONYMOUS_READ: '0' });
  try {
    assert.match(s.output(), /\(2 web workers\)/);
    const code = /enter the set-up code ([0-9a-f]{12})/.exec(s.output())?.[1];
    assert.ok(code, s.output());
    assert.equal((s.output().match(/enter the set-up code/g) ?? []).length, 1, 'one code, printed once');
    const form = new URLSearchParams({ code, name: 'root', password: 'a long enough passphrase', confirm: 'a long enough passphrase' });
    const done = await fetch(`${s.url}/setup`, { method: 'POST', body: form, headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(done.status, 303);
    const cookie = (done.headers.get('set-cookie') ?? '').split(';')[0];
    // Connections are handed round the workers: the session made by one is read by every one.
    for (let i = 0; i < 6; i++) assert.equal((await fetch(`${s.url}/api/items`, { headers: { cookie, connection: 'close' } })).status, 200);
  } finally {
    s.stop();
  }
});
