/** Reads the documents named on the command line ("-" is stdin), refusing oversize files before reading them whole. */
import fs from 'node:fs';
import { IngestError } from './errors.js';
import type { RawInput } from './parse-document.js';

async function readStdin(limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += chunk.length;
    if (size > limit) throw new IngestError('too-large', 'stdin', `is over the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readInput(file: string, maxBytes: number, example = false): Promise<RawInput> {
  if (file === '-') return { bytes: await readStdin(maxBytes), origin: 'stdin', maxBytes, example };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (cause) {
    throw new IngestError('unreadable', file, 'cannot be read (no such file?)', { cause });
  }
  if (stat.isDirectory()) throw new IngestError('unreadable', file, 'is a folder; name the files in it');
  if (stat.size > maxBytes) throw new IngestError('too-large', file, `${stat.size} bytes is over the limit of ${maxBytes} bytes`);
  return { bytes: fs.readFileSync(file), origin: file, maxBytes, example };
}
