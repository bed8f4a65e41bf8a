/** Finds the example documents shipped under examples/ and ingests them into an empty news center. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest, type PipelineContext } from '../pipeline.js';
import type { Store } from '../store/index.js';
import { readInput } from '../ingest/read-input.js';

export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

export function exampleFiles(dir = EXAMPLES_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.(txt|md|html)$/.test(f) && f !== 'README.md').sort().map((f) => path.join(dir, f));
}

export async function ingestExamples(store: Store, ctx: PipelineContext, maxBytes: number): Promise<number> {
  let n = 0;
  for (const file of exampleFiles()) {
    await ingest(store, await readInput(file, maxBytes, true), ctx);
    n++;
  }
  return n;
}
