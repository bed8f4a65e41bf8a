// `vigil kb train`: the technique model is trained on this machine from a folder, kept in the database, and read by enrichment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openRuntime } from '../../src/cli/context.js';
import { ingest } from '../../src/pipeline.js';
import { bytes, ROOT, SHARED } from '../helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-kb-train-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A small ATT&CK folder: the real Enterprise bundle cut to a few techniques, their tactics and the procedure examples that use them. */
function smallAttackFolder(): string {
  const bundle = JSON.parse(fs.readFileSync(path.join(SHARED, 'attack/enterprise-attack-18.1.json'), 'utf8')) as { objects: Record<string, any>[] };
  const wanted = new Set(['T1486', 'T1566', 'T1566.001', 'T1059', 'T1059.001', 'T1190', 'T1078', 'T1490']);
  const idOf = (o: Record<string, any>) => o.external_references?.find((r: Record<string, string>) => r.source_name === 'mitre-attack')?.external_id;
  const patterns = bundle.objects.filter((o) => o.type === 'attack-pattern' && wanted.has(idOf(o)));
  const refs = new Set(patterns.map((o) => o.id));
  const uses = bundle.objects.filter((o) => o.type === 'relationship' && refs.has(o.target_ref) && ['uses', 'subtechnique-of'].includes(o.relationship_type));
  const sources = new Set(uses.map((r) => r.source_ref));
  const objects = bundle.objects.filter((o) => ['x-mitre-collection', 'x-mitre-tactic', 'identity', 'marking-definition'].includes(o.type) || sources.has(o.id));
  const dir = path.join(tmp, 'data');
  fs.mkdirSync(path.join(dir, 'attack'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'attack/enterprise-attack-18.1.json'), JSON.stringify({ ...bundle, objects: [...objects, ...patterns, ...uses] }));
  return dir;
}

test('kb train stores a model that enrichment then uses: a technique read from the text, with its sentence', async () => {
  const db = path.join(tmp, 'vigil.db');
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), 'kb', 'train', smallAttackFolder(), '--db', db], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^technique model: \d+ techniques, [\d.]+ MB, trained in [\d.]+ s/);
  const rt = await openRuntime({ db });
  try {
    assert.equal(rt.pipeline.techniqueModel, undefined, 'the model is not read at start');
    assert.ok(await rt.pipeline.loadTechniqueModel?.(), 'the runtime loads the stored model on first use');
    const text = 'Title: Clinic hit by ransomware\nSource: Test Wire\nPublished: 2026-11-30\n\nThe attackers encrypted files on the clinic servers and left a ransom note demanding payment for the decryption key. They also deleted the volume shadow copies so backups could not be restored.\n';
    const { item } = await ingest(rt.store, { bytes: bytes(text), origin: 'clinic.txt' }, rt.pipeline);
    const row = item.attack.find((t) => t.id === 'T1486');
    assert.ok(row, JSON.stringify(item.attack.map((t) => t.id)));
    assert.equal(row.basis, 'observed');
    assert.ok(row.evidence.some((e) => /encrypted files/.test(e.text)), JSON.stringify(row.evidence));
    // Phrase rows carry no score: a score is the model's reading of the same sentence.
    assert.ok((row.score ?? 0) > 0, `the model scored it: ${row.score}`);
  } finally {
    await rt.store.close();
  }
});

test('kb train on a folder without ATT&CK says so and stores nothing', () => {
  const empty = path.join(tmp, 'empty');
  fs.mkdirSync(empty, { recursive: true });
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), 'kb', 'train', empty, '--db', path.join(tmp, 'b.db')], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no enterprise-attack-<version>\.json/);
});
