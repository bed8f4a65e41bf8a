/** Our own cross-walk tables (kb/crosswalks/*.yaml: HIPAA Security Rule, CIS Controls v8), validated, as lookups from an SP 800-53r5 control or a CSF 2.0 id. */
import fs from 'node:fs';
import path from 'node:path';
import type { CrosswalkRow } from './catalogs.js';
import { KbError } from './kb-error.js';
import { type CrosswalkFile, CrosswalkFileSchema } from './kb-schema.js';
import { parseKbYaml } from './kb-yaml.js';
import { DEFAULT_KB_DIR } from './load-kb.js';

export interface Crosswalk {
  readonly file: string;
  readonly framework: string;
  /** Rows for a control ("AC-2") or a CSF id ("PR.AA-05"). */
  lookup(id: string): readonly CrosswalkRow[];
}

/** A table's YAML, checked: its schema, and each entry once. */
export function validateCrosswalk(rel: string, text: string): CrosswalkFile {
  const table = parseKbYaml(rel, text, CrosswalkFileSchema);
  const seen = new Set<string>();
  table.entries.forEach((e, i) => {
    if (seen.has(e.id)) throw new KbError(rel, `/entries/${i}/id`, `"${e.id}" is listed twice`);
    seen.add(e.id);
  });
  return table;
}

/** The lookup over a table already checked (validateCrosswalk, or a kb snapshot of one). */
export function crosswalkFrom(rel: string, table: CrosswalkFile): Crosswalk {
  const source = { publication: table.source.publication, version: table.source.version };
  const by = new Map<string, CrosswalkRow[]>();
  table.entries.forEach((e) => {
    const row: CrosswalkRow = { id: e.id, title: e.title, mappingType: e.basis ?? null, source };
    for (const key of new Set([...e.sp800_53, ...e.csf])) by.set(key, [...(by.get(key) ?? []), row]);
  });
  return { file: rel, framework: table.framework, lookup: (id) => by.get(id) ?? [] };
}

export function readCrosswalk(rel: string, text: string): Crosswalk {
  return crosswalkFrom(rel, validateCrosswalk(rel, text));
}

/** Every table under DIR/crosswalks, checked, by file name without .yaml ("hipaa-security-rule"), with its kb path. */
export function readCrosswalkTables(kbDir: string = DEFAULT_KB_DIR): Map<string, { rel: string; table: CrosswalkFile }> {
  const dir = path.join(kbDir, 'crosswalks');
  const out = new Map<string, { rel: string; table: CrosswalkFile }>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const rel = `crosswalks/${f}`;
    out.set(f.replace(/\.ya?ml$/, ''), { rel, table: validateCrosswalk(rel, fs.readFileSync(path.join(dir, f), 'utf8')) });
  }
  return out;
}

/** Every table under DIR/crosswalks, by file name without .yaml ("hipaa-security-rule"). */
export function loadCrosswalks(kbDir: string = DEFAULT_KB_DIR): ReadonlyMap<string, Crosswalk> {
  return new Map([...readCrosswalkTables(kbDir)].map(([name, { rel, table }]) => [name, crosswalkFrom(rel, table)]));
}
