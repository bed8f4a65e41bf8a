// /api/openapi.json: a valid OpenAPI 3.1 document that describes every route the router holds, and nothing it does not.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openSqliteStore } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { UNDOCUMENTED } from '../../src/web/openapi.js';
import { SHARED, signIn } from '../helpers.js';

async function served() {
  const store = await openSqliteStore(':memory:');
  const app = createApp({ store, taxiiTokens: ['t'] });
  const res = await app.request('/api/openapi.json');
  assert.equal(res.status, 200);
  const doc = (await res.json()) as Record<string, any>;
  after(() => store.close());
  return { app, doc, store };
}

test('the document validates against the OpenAPI 3.1 schema', async () => {
  const { doc } = await served();
  // The Ajv-compatible copy of the published schema (shared/data/openapi/README.md says why).
  const schema = JSON.parse(fs.readFileSync(path.join(SHARED, 'openapi/3.1/schema.ajv-compat.json'), 'utf8'));
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5)));
  assert.equal(doc.openapi, '3.1.0');
});

test('every route of the router is documented, with its path parameters, and every documented route exists', async () => {
  const { app, doc } = await served();
  const routed = new Set(app.routes.filter((r) => !UNDOCUMENTED(r.method, r.path)).map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`));
  const documented = new Set<string>();
  const ids = new Set<string>();
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      documented.add(`${method} ${p}`);
      assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} is unique`);
      ids.add(op.operationId);
      const declared = (op.parameters ?? []).filter((x: any) => x.in === 'path').map((x: any) => x.name).sort();
      assert.deepEqual(declared, [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), `${method} ${p} declares its path parameters`);
      assert.ok(op.responses['400'] || op.responses['404'] || op.security?.length === 0, `${method} ${p} documents its errors`);
    }
  }
  assert.deepEqual([...routed].filter((r) => !documented.has(r)), [], 'routes missing from the document');
  assert.deepEqual([...documented].filter((r) => !routed.has(r)), [], 'documented routes the router does not hold');
});

test('errors under /api are JSON with a code, as the document says', async () => {
  const { app, store } = await served();
  const { headers } = await signIn(store, 'viewer');
  assert.equal((await app.request('/api/items')).status, 401, 'reading needs a user');
  const res = await app.request('/api/items/nope', { headers });
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.error.code, 'not-found');
  const unknown = await (await app.request('/api/export/nope', { headers })).json();
  assert.equal(unknown.error.code, 'unknown-format');
});
