// The kb loader: the shipped kb loads, and broken files are refused with their file and field.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { KbError } from '../../src/knowledge/kb-error.js';
import { stepRefId } from '../../src/knowledge/kb-schema.js';
import { DEFAULT_KB_DIR, loadKb } from '../../src/knowledge/load-kb.js';
import { fillTemplate, unknownPlaceholders } from '../../src/knowledge/template.js';

function brokenKb(file: string, edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-kb-'));
  fs.cpSync(DEFAULT_KB_DIR, dir, { recursive: true });
  const target = path.join(dir, file);
  fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
  return dir;
}

test('the shipped kb loads, with every archetype having five phases of known steps', () => {
  const kb = loadKb();
  assert.ok(kb.archetypes.length >= 7);
  assert.match(kb.version, /^\d{4}\.\d+\.\d+\+[0-9a-f]{12}$/);
  for (const a of kb.archetypes) for (const ids of Object.values(a.steps)) for (const ref of ids) assert.ok(kb.steps.has(stepRefId(ref)), `${a.id} cites ${stepRefId(ref)}`);
});

test('a wrong field type is a start-up error naming the file and the field', () => {
  const dir = brokenKb('priority.yaml', (t) => t.replace(/recencyHalfLifeDays:.*/, 'recencyHalfLifeDays: soon'));
  assert.throws(() => loadKb(dir), (e: unknown) => e instanceof KbError && e.file === 'priority.yaml' && e.field === '/recencyHalfLifeDays');
});

test('an invalid regular expression names its field', () => {
  const dir = brokenKb('sectors.yaml', (t) => t.replace(/pattern: (['"]?)/, 'pattern: $1(unclosed'));
  assert.throws(() => loadKb(dir), (e: unknown) => e instanceof KbError && e.file === 'sectors.yaml' && /\/signals\/0\/pattern$/.test(e.field) && /invalid regular expression/.test(e.message));
});

test('an unknown step id in an archetype is refused', () => {
  const file = fs.readdirSync(path.join(DEFAULT_KB_DIR, 'archetypes'))[0];
  const dir = brokenKb(`archetypes/${file}`, (t) => t.replace(/(containment:\s*\n\s*- )/, '$1no-such-step\n    - '));
  assert.throws(() => loadKb(dir), (e: unknown) => e instanceof KbError && /unknown step "no-such-step"/.test(e.message));
});

test('templates: placeholders filled, doubled braces literal, unknown names reported', () => {
  const values = { vendor: 'Acme' } as Parameters<typeof fillTemplate>[1];
  assert.equal(fillTemplate('Rotate {vendor} keys; @{{LogName="Security"}}', values), 'Rotate Acme keys; @{LogName="Security"}');
  assert.deepEqual(unknownPlaceholders('{vendor} {nope}'), ['nope']);
  assert.deepEqual(unknownPlaceholders('awk {print}'), ['print']);
  assert.equal(unknownPlaceholders('if (x) { y }').length, 1, 'a lone brace is reported');
});
