/** `npm run eval -- <set> [--data DIR] [--json]`: scores Vigil on labelled sets; each set is one module here. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EvalOptions {
  /** Folder holding the labelled set, in that set's documented format. */
  data: string;
  /** Print only the JSON figures. */
  json: boolean;
}
export type EvalRun = (options: EvalOptions) => Promise<Record<string, unknown>>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');

/** Each set: its module and its default data folder. */
const SETS: Record<string, { module: string; data: string }> = {
  examples: { module: './examples.js', data: path.join(root, 'examples') },
  cvss: { module: './cvss.js', data: path.join(shared, 'eval-dev/cvss') },
  ioc: { module: './ioc.js', data: path.join(shared, 'eval-dev/ioc') },
  attack: { module: './attack.js', data: path.join(shared, 'eval-dev/attack-mapping') },
  stories: { module: './stories.js', data: path.join(root, 'eval/sets/stories') },
  entities: { module: './entities.js', data: path.join(root, 'eval/sets/entities') },
};

async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  const json = args.includes('--json');
  const dataAt = args.indexOf('--data');
  const data = dataAt >= 0 ? args[dataAt + 1] : undefined;
  // Options that take a value: the set modules read theirs from argv (attack: --folds N, --set key=value).
  const valued = new Set(['--data', '--folds', '--set']);
  const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
  const names = positional.length > 0 ? positional : Object.keys(SETS);
  for (const name of names) {
    const set = SETS[name];
    if (!set) {
      process.stderr.write(`eval: unknown set "${name}"; known: ${Object.keys(SETS).join(', ')}\n`);
      return 2;
    }
    if (data && names.length > 1) {
      process.stderr.write('eval: --data needs exactly one set name\n');
      return 2;
    }
    const run = ((await import(set.module)) as { run: EvalRun }).run;
    const figures = await run({ data: path.resolve(data ?? set.data), json });
    process.stdout.write(`${JSON.stringify({ set: name, ...figures }, null, json ? 0 : 2)}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv);
