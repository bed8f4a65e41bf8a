#!/usr/bin/env node
// Runs the compiled CLI (dist/, made by `npm run build`) with plain node when it is at least as new as src/; else the TypeScript through tsx, in this process.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

/** The newest modification time under a folder (a few ms for src/): an edited source makes dist/ stale. */
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return t;
}

function compiledIsCurrent() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return false;
  }
  // A package shipped without its sources runs what it has.
  if (!fs.existsSync(path.join(root, 'src')) || newest(path.join(root, 'src')) <= built) return true;
  process.stderr.write('vigil: dist/ is older than src/, running the TypeScript through tsx (npm run build compiles it)\n');
  return false;
}

if (compiledIsCurrent()) {
  await import(pathToFileURL(path.join(root, 'dist', 'cli', 'main.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href);
}
