// The code files a module's output depends on: its relative imports followed transitively, type-only imports left out (erased).
import fs from 'node:fs';
import path from 'node:path';

// `from '...'` of an import/export statement and dynamic `import('...')`; a statement starting `import type` is erased at build.
const SPECIFIER = /(?:^|[\s;}])(import|export)\s+(type\s+)?[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Where a relative specifier lands: the emitted `.js` name maps back to the `.ts`/`.tsx` source beside it. */
function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.js$/, '');
  for (const f of [`${stem}.ts`, `${stem}.tsx`, base, `${base}/index.ts`]) if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return null;
}

/** Every source file reachable from `entries` by value imports, sorted (the entries included). */
export function importClosure(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      if (m[2]) continue;
      const spec = m[3] ?? m[4] ?? m[5];
      const to = resolve(file, spec);
      if (to && !seen.has(to)) todo.push(to);
    }
  }
  return [...seen].sort();
}
