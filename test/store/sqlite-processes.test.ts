// Two processes on one SQLite file at once (as `vigil serve --workers 2` runs): both migrate a new file and both write, none fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../../src/store/index.js';

const writer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sqlite-writer.ts');
const COUNT = 150;

function run(file: string, name: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, name, String(COUNT)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('two processes migrate a new file and write read-then-write transactions at once, every write landing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-two-processes-'));
  const file = path.join(dir, 'vigil.db');
  try {
    const [a, b] = await Promise.all([run(file, 'ann'), run(file, 'bob')]);
    assert.equal(a.code, 0, a.out);
    assert.equal(b.code, 0, b.out);
    const store = await openSqliteStore(file);
    try {
      for (const actor of ['ann', 'bob']) {
        const log = (await Promise.all(Array.from({ length: 7 }, (_, i) => store.auditLog({ itemId: `itm_${i}`, limit: 10_000, offset: 0 })))).flat();
        const mine = log.filter((e) => e.actor === actor);
        // Each first update is two audit rows (done, note), each second one one (note).
        assert.equal(mine.length, COUNT * 3, `${actor}'s audit rows`);
        const steps = (await Promise.all(Array.from({ length: 7 }, (_, i) => store.itemWork(`itm_${i}`)))).flatMap((w) => w.steps).filter((s) => s.updatedBy === actor);
        assert.equal(steps.length, COUNT);
        assert.ok(steps.every((s) => s.done && / again$/.test(s.note ?? '')), 'each step ends as its second write left it');
      }
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
