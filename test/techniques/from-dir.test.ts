// Which files of a kb import folder the technique model is trained from, and the error for a folder without ATT&CK.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readLabelledSentences, techniqueModelFromDir, techniqueModelSources } from '../../src/techniques/from-dir.js';
import { TechniqueModelError } from '../../src/techniques/model.js';
import { SHARED } from '../helpers.js';

test('the shared data folder gives the Enterprise bundle and the TRAM sentences', () => {
  const s = techniqueModelSources(SHARED);
  assert.deepEqual(s.bundles.map((b) => path.basename(b)), ['enterprise-attack-18.1.json']);
  assert.deepEqual(s.labelled.map((b) => path.relative(SHARED, b)), ['eval-dev/attack-mapping/tram2_sentences.jsonl']);
  assert.deepEqual(techniqueModelSources(SHARED, ['enterprise', 'ics']).bundles.map((b) => path.basename(b)), ['enterprise-attack-18.1.json', 'ics-attack-18.1.json']);
});

test('a folder without the Enterprise bundle, or with a bad labelled file, is refused by name', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-techniques-'));
  try {
    assert.throws(() => techniqueModelFromDir(dir), (e: unknown) => e instanceof TechniqueModelError && /no enterprise-attack-<version>\.json/.test(e.message));
    const bad = path.join(dir, 'bad_sentences.jsonl');
    fs.writeFileSync(bad, '{"text": "ok", "techniques": []}\n{"text": 3}\n');
    assert.throws(() => readLabelledSentences(bad), /bad_sentences\.jsonl:2: a labelled sentence needs "text" and "techniques"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
