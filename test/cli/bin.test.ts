// bin/vigil.js: the compiled dist/ while its build stamp is at least as new as every file under src/, the TypeScript through tsx otherwise.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A package root holding the real bin/vigil.js, a dist/ and a src/ whose main modules each say which ran, and the project's node_modules (for tsx). */
function fakeRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bin-'));
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin/vigil.js'), path.join(root, 'bin/vigil.js'));
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  fs.mkdirSync(path.join(root, 'src/cli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src/cli/main.ts'), "const args: string[] = process.argv.slice(2);\nprocess.stdout.write(`src ${args.join(' ')}`);\n");
  fs.mkdirSync(path.join(root, 'dist/cli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist/cli/main.js'), "process.stdout.write(`dist ${process.argv.slice(2).join(' ')}`);\n");
  return root;
}
const run = (root: string) => spawnSync(process.execPath, [path.join(root, 'bin/vigil.js'), 'serve', '--port', '0'], { encoding: 'utf8' });
const touch = (file: string, seconds: number) => fs.utimesSync(file, seconds, seconds);

test('a current build runs dist/ with the arguments, and says nothing', () => {
  const root = fakeRoot();
  const stamp = path.join(root, 'dist/.build-stamp');
  fs.writeFileSync(stamp, '');
  touch(path.join(root, 'src/cli/main.ts'), 1_000_000);
  touch(stamp, 2_000_000);
  const r = run(root);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'dist serve --port 0');
  assert.equal(r.stderr, '');
});

test('a source newer than the build, or no build, runs src/ through tsx; a stale build says so', () => {
  const root = fakeRoot();
  let r = run(root);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'src serve --port 0');
  assert.equal(r.stderr, '');
  const stamp = path.join(root, 'dist/.build-stamp');
  fs.writeFileSync(stamp, '');
  touch(stamp, 1_000_000);
  touch(path.join(root, 'src/cli/main.ts'), 2_000_000);
  r = run(root);
  assert.equal(r.stdout, 'src serve --port 0');
  assert.match(r.stderr, /dist\/ is older than src\/.*npm run build/);
});

test('without src/ the build runs as it is', () => {
  const root = fakeRoot();
  fs.rmSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist/.build-stamp'), '');
  assert.equal(run(root).stdout, 'dist serve --port 0');
});
