/** `vigil kb import`, `vigil kb status` and `vigil kb check` as a user runs them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ROOT, SHARED } from '../helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-kb-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function vigil(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_EXAMPLES: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('kb import names the raw files it read; kb status lists the version, digest and origin; a bad folder is refused', () => {
  const db = path.join(tmp, 'kb.db');
  const imported = vigil(['kb', 'import', SHARED, '--only', 'nist-csf', '--db', db]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(imported.stdout, 'nist-csf 2.0 (OSCAL 1.0.0): 219 entries from nist-csf/NIST_CSF_v2.0_catalog.xml\n');
  const status = vigil(['kb', 'status', '--db', db, '--json']);
  assert.equal(status.status, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  assert.deepEqual(s.current, { 'nist-csf': '2.0 (OSCAL 1.0.0)' });
  assert.equal(s.history[0].files[0].origin, path.join(SHARED, 'nist-csf/NIST_CSF_v2.0_catalog.xml'));
  assert.match(s.history[0].files[0].sha256, /^[0-9a-f]{64}$/);
  const table = vigil(['kb', 'status', '--db', db]);
  assert.match(table.stdout, /^catalog\tversion\timported at\tentries\tfiles\nnist-csf\t2\.0 \(OSCAL 1\.0\.0\)\t\d{4}-\d\d-\d\dT[^\t]+\t219\t\S+NIST_CSF_v2\.0_catalog\.xml sha256:[0-9a-f]{12} 0\.2 MB\n$/);
  const missing = vigil(['kb', 'import', path.join(tmp, 'nowhere'), '--db', db]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nowhere: \(root\): is not a folder/);
});

test('kb check validates the cross-walks and the catalog sources too', () => {
  const r = vigil(['kb', 'check']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /, 2 cross-walks, 10 catalog sources: valid\n$/);
});
