#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` builds): compiles src/ to dist/ with tsc for bin/vigil.js, copies the data files beside the code, stamps the build and saves the kb snapshot.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without devDependencies: bin/vigil.js runs the sources through tsx instead, when it has it.
  process.stderr.write('build: typescript is not installed, dist/ not built\n');
  process.exit(0);
}
// From scratch, so a deleted source leaves no module behind.
fs.rmSync(dist, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  fs.rmSync(dist, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}
// Modules read some files next to themselves (src/sources/default-sources.yaml): tsc copies only code.
function copyData(from, to) {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) copyData(src, dst);
    else if (!/\.tsx?$/.test(e.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}
copyData(path.join(root, 'src'), dist);
fs.writeFileSync(path.join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
// Validate kb/ now and save its snapshot for this build, so the first start after an install reads it too. A bad kb is
// reported here and again at start, where it stops the server; the build itself stands.
const warm = spawnSync(process.execPath, ['--input-type=module', '-e',
  `const { loadKbSnapshot } = await import(${JSON.stringify(new URL('../dist/knowledge/kb-snapshot.js', import.meta.url).href)}); process.stdout.write('build: kb snapshot ' + loadKbSnapshot().source + '\\n');`,
], { stdio: 'inherit' });
if (warm.status !== 0) process.stderr.write('build: the kb did not validate (above); vigil will refuse to start until it does\n');
