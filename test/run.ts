/** Runs every test file under test/ with node:test; Node 20's `node --test` expands no globs, so the list is made here. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(full);
    return e.name.endsWith('.test.ts') || e.name.endsWith('.test.tsx') ? [full] : [];
  });
}

const filter = process.argv.slice(2);
const files = testFiles(here).sort().filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (files.length === 0) {
  process.stderr.write(`test: no test file matches ${filter.join(' ')}\n`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
