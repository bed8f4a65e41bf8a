// The kb snapshot: a hit gives the same knowledge as validating the YAML, any kb change is validated again, and a broken kb is never saved.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadCrosswalks } from '../../src/knowledge/crosswalks.js';
import { KbError } from '../../src/knowledge/kb-error.js';
import { loadKbSnapshot, snapshotKey } from '../../src/knowledge/kb-snapshot.js';
import { DEFAULT_KB_DIR, loadKb } from '../../src/knowledge/load-kb.js';

const temp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
function kbCopy(): string {
  const dir = temp('vigil-kb-');
  fs.cpSync(DEFAULT_KB_DIR, dir, { recursive: true });
  return dir;
}

test('the second load reads the snapshot and holds the same knowledge, maps included', () => {
  const cache = temp('vigil-cache-');
  const first = loadKbSnapshot(DEFAULT_KB_DIR, cache);
  const second = loadKbSnapshot(DEFAULT_KB_DIR, cache);
  assert.equal(first.source, 'written');
  assert.equal(second.source, 'hit');
  const direct = loadKb(DEFAULT_KB_DIR);
  assert.deepEqual(second.kb, direct);
  assert.ok(second.kb.steps instanceof Map && second.kb.steps.size > 0);
  assert.equal(second.kb.version, direct.version);
  assert.ok(Object.isFrozen(second.kb));
  const tables = loadCrosswalks(DEFAULT_KB_DIR);
  assert.deepEqual([...second.crosswalks.keys()], [...tables.keys()]);
  assert.ok(tables.size > 0);
  for (const [name, table] of tables) {
    for (const id of ['AC-2', 'IR-4', 'PR.AA-05', 'RS.MA-01']) assert.deepEqual(second.crosswalks.get(name)?.lookup(id), table.lookup(id), `${name} ${id}`);
  }
  assert.ok([...tables.values()].some((t) => t.lookup('IR-4').length > 0));
});

test('editing one kb file changes the key, and the edit is in the next load', () => {
  const dir = kbCopy();
  const cache = temp('vigil-cache-');
  const before = loadKbSnapshot(dir, cache).kb;
  const key = snapshotKey(dir);
  const file = path.join(dir, 'meta.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/version: .*/, 'version: 2099.1.1'));
  assert.notEqual(snapshotKey(dir), key);
  const after = loadKbSnapshot(dir, cache);
  assert.equal(after.source, 'written');
  assert.match(after.kb.version, /^2099\.1\.1\+/);
  assert.notEqual(after.kb.version, before.version);
});

test('a broken kb (or cross-walk) fails as loadKb does and leaves no snapshot', () => {
  const dir = kbCopy();
  const cache = temp('vigil-cache-');
  const file = path.join(dir, 'priority.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/recencyHalfLifeDays:.*/, 'recencyHalfLifeDays: soon'));
  assert.throws(() => loadKbSnapshot(dir, cache), (e: unknown) => e instanceof KbError && e.file === 'priority.yaml');
  assert.deepEqual(fs.readdirSync(cache), []);
  const walks = kbCopy();
  const [table] = fs.readdirSync(path.join(walks, 'crosswalks'));
  const target = path.join(walks, 'crosswalks', table);
  fs.writeFileSync(target, fs.readFileSync(target, 'utf8').replace(/framework: .*/, 'framework: ""'));
  assert.throws(() => loadKbSnapshot(walks, cache), (e: unknown) => e instanceof KbError && e.file === `crosswalks/${table}`);
  assert.deepEqual(fs.readdirSync(cache), []);
});

test('a damaged snapshot is validated again and replaced; an unwritable cache folder still loads the kb', () => {
  const cache = temp('vigil-cache-');
  loadKbSnapshot(DEFAULT_KB_DIR, cache);
  const [snap] = fs.readdirSync(cache);
  fs.writeFileSync(path.join(cache, snap), '{"format":');
  assert.equal(loadKbSnapshot(DEFAULT_KB_DIR, cache).source, 'written');
  assert.equal(loadKbSnapshot(DEFAULT_KB_DIR, cache).source, 'hit');
  const blocked = path.join(temp('vigil-cache-'), 'a-file');
  fs.writeFileSync(blocked, '');
  const r = loadKbSnapshot(DEFAULT_KB_DIR, path.join(blocked, 'cache'));
  assert.equal(r.source, 'unsaved');
  assert.equal(r.kb.version, loadKb().version);
});
