/** `npm run bench [-- NAME...]`: runs each benchmark in its own process (so peak memory is its own) and prints their JSON together. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BENCHES = ['extraction', 'sources', 'stories', 'kb', 'attack', 'web'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = chosen.filter((c) => !BENCHES.includes(c));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (have: ${BENCHES.join(', ')})\n`);
  process.exit(2);
}
const results: Record<string, unknown> = {};
for (const name of chosen.length > 0 ? chosen : BENCHES) {
  process.stderr.write(`bench: ${name}...\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, `${name}.ts`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(`bench: ${name} failed (exit ${r.status})\n`);
    process.exit(1);
  }
  results[name] = JSON.parse(r.stdout);
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
