// The code a kept page depends on: the rendering's value imports, followed through the tree, type-only imports left out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers.js';
import { importClosure } from '../../src/web/render-code.js';

test('the item page rendering depends on its views and encoding, not on the store or the routes', () => {
  const files = importClosure([path.join(ROOT, 'src/web/item-pages.tsx')]).map((f) => path.relative(ROOT, f));
  for (const f of ['src/web/item-pages.tsx', 'src/web/page-bytes.ts', 'src/web/views/item.tsx', 'src/web/views/layout.tsx', 'src/web/views/item/facts.tsx']) assert.ok(files.includes(f), f);
  for (const f of files) assert.doesNotMatch(f, /^src\/(store|web\/routes|web\/auth)\//, 'reached only by type imports, or not at all');
});

test('value imports, re-exports and dynamic imports are followed; `import type` is not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-render-code-'));
  try {
    const w = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
    w('a.ts', "import type { T } from './t.js';\nimport { b, type B } from './b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');\n");
    for (const n of ['b', 'c', 'd', 't']) w(`${n}.ts`, `export const ${n} = 1;\n`);
    w('b.ts', "import './e.js';\nexport const b = 1; export type B = number;\n");
    w('e.tsx', 'export const e = 1;\n');
    assert.deepEqual(importClosure([path.join(dir, 'a.ts')]).map((f) => path.basename(f)), ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.tsx']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
