/** One kb data file read as YAML 1.2 and checked against its TypeBox schema; errors name the file and the field. */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import YAML from 'yaml';
import { KbError } from './kb-error.js';

export function parseKbYaml<S extends TSchema>(rel: string, text: string, schema: S): Static<S> {
  let value: unknown;
  try {
    value = YAML.parse(text, { version: '1.2', schema: 'core' });
  } catch (cause) {
    throw new KbError(rel, '', `is not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const first = Value.Errors(schema, value).First();
  if (first) throw new KbError(rel, first.path, `${first.message} (got ${JSON.stringify(first.value)?.slice(0, 80)})`);
  return value as Static<S>;
}

/** Dotted versions compared number by number ("18.1" after "9.0"); negative when a is older. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(/[._-]/).map((n) => Number.parseInt(n, 10) || 0));
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
