// The technique model end to end on ATT&CK's own text: deterministic training, inference with evidence on real reporting, revoked ids, bad files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildTechniqueCorpus, type TechniqueCorpus } from '../../src/techniques/corpus.js';
import { inferTechniques } from '../../src/techniques/infer.js';
import { loadModel, serialiseModel, type TechniqueModel, TechniqueModelError } from '../../src/techniques/model.js';
import { trainTechniqueModel } from '../../src/techniques/train.js';

const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
const FAST = { epochs: 2, attackNegatives: 600 };

let corpus: TechniqueCorpus;
let model: TechniqueModel;
before(() => {
  corpus = buildTechniqueCorpus([JSON.parse(readFileSync(path.join(shared, 'attack/enterprise-attack-18.1.json'), 'utf8'))]);
  // ATT&CK's text only: every report sentence below is held out from training.
  model = trainTechniqueModel(corpus, FAST);
});

test('the corpus holds every active technique, its procedures, and revoked ids mapped to their replacement', () => {
  assert.ok(corpus.techniques.length > 600);
  assert.equal(corpus.techniques.find((t) => t.id === 'T1059.001')?.name, 'PowerShell');
  assert.equal(corpus.replacements.T1086, 'T1059.001');
  assert.equal(corpus.replacements.T1193, 'T1566.001');
  assert.ok(corpus.retired.includes('T1064'), 'Scripting is deprecated with no replacement');
  assert.ok(!corpus.techniques.some((t) => t.id === 'T1086' || t.id === 'T1064'));
  const procedure = corpus.examples.find((e) => e.source === 'attack-procedure' && e.labels[0] === 'T1055.012');
  assert.ok(procedure && !/\(Citation:|\]\(https?:/.test(procedure.text), 'procedure text without citations or links');
});

test('labelled sentences keep current ids: revoked ones move to their replacement, retired ones are dropped', () => {
  const c = buildTechniqueCorpus([JSON.parse(readFileSync(path.join(shared, 'attack/ics-attack-18.1.json'), 'utf8'))], [
    { text: 'a', techniques: ['T0800'] }, { text: 'b', techniques: [] }, { text: 'c', techniques: ['T9999'] },
  ]);
  const labelled = c.examples.filter((e) => e.source === 'labelled');
  assert.deepEqual(labelled.map((e) => [e.text, e.labels]), [['a', ['T0800']], ['b', []]]);
});

test('training is deterministic for a seed, and another seed gives another model', () => {
  const few = new Set(corpus.techniques.slice(0, 40).map((t) => t.id));
  const small: TechniqueCorpus = {
    ...corpus, techniques: corpus.techniques.filter((t) => few.has(t.id)),
    examples: corpus.examples.filter((e) => e.labels.every((l) => few.has(l))),
  };
  const a = serialiseModel(trainTechniqueModel(small, { ...FAST, seed: 7 }));
  const b = serialiseModel(trainTechniqueModel(small, { ...FAST, seed: 7 }));
  const c = serialiseModel(trainTechniqueModel(small, { ...FAST, seed: 8 }));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

// Sentences of real reports (TRAM, center-for-threat-informed-defense/tram), each with the technique its annotators gave it.
const REPORT = [
  'The intrusion began with a document sent to several employees.',
  'Cobalt Strike used process hollowing to launch under the context of the Dllhost.exe process.',
  'The team published its findings in March.',
  'Persistence The Emotet malware infection on the beachhead host used a registry run key to maintain persistence.',
  'In this particular case, the executable ieinstal.exe was used to bypass UAC.',
].join(' ');

test('inference on held-out report text names the technique with its supporting sentence and offsets', () => {
  const got = inferTechniques(model, REPORT);
  for (const [id, sentence] of [
    ['T1055.012', 'Cobalt Strike used process hollowing'],
    ['T1547.001', 'used a registry run key'],
    ['T1548.002', 'was used to bypass UAC'],
  ] as const) {
    const t = got.find((x) => x.id === id);
    assert.ok(t, `${id} in ${got.map((x) => x.id).join(', ')}`);
    assert.ok(t.score >= model.thresholds.document && t.score <= 1);
    assert.ok(t.sentences.some((s) => s.text.includes(sentence)), `${id} supported by "${sentence}"`);
    for (const s of t.sentences) assert.equal(REPORT.slice(s.start, s.end), s.text);
  }
  const expected = got.filter((t) => ['T1055.012', 'T1547.001', 'T1548.002'].includes(t.id));
  assert.ok(!expected.some((t) => t.sentences.some((s) => s.text.startsWith('The team published'))), 'a sentence about publishing supports none of them');
});

test('revoked and deprecated ids are never returned: a revoked id written out becomes its replacement', () => {
  const got = inferTechniques(model, 'The report maps the activity to ATT&CK techniques T1086 and T1064 and T1193.');
  const ids = got.map((t) => t.id);
  assert.ok(ids.includes('T1059.001') && ids.includes('T1566.001'), ids.join(', '));
  const gone = new Set([...Object.keys(corpus.replacements), ...corpus.retired]);
  assert.ok(!ids.some((id) => gone.has(id)));
  assert.ok(!model.classes.some((k) => gone.has(k.id)), 'the model has no class for a retired technique');
  assert.equal(got.find((t) => t.id === 'T1059.001')?.via, 'id');
});

test('a serialised model loads back and infers alike', () => {
  const again = loadModel(serialiseModel(model));
  assert.equal(again.classes.length, model.classes.length);
  // The weights are int8 in memory too, so the stored model is the trained one exactly.
  assert.deepEqual(inferTechniques(again, REPORT), inferTechniques(model, REPORT));
  assert.deepEqual(again.postings, model.postings);
});

test('a bad model file is refused with a reason', () => {
  const good = JSON.parse(serialiseModel(model)) as Record<string, unknown>;
  const cases: [string, RegExp][] = [
    ['{"format": "vigil.technique-model/2", "featureBits": 20', /not JSON/],
    [JSON.stringify({ ...good, format: 'vigil.technique-model/1' }), /format is "vigil.technique-model\/1"/],
    ['[]', /format is undefined/],
    [JSON.stringify({ ...good, format: 'other/2' }), /format is "other\/2"/],
    [JSON.stringify({ ...good, featureBits: 18 }), /18 feature bits/],
    [JSON.stringify({ ...good, classes: [] }), /no classes/],
    [JSON.stringify({ ...good, classes: [{ id: 'T1059', name: 'x' }] }), /class 1 is malformed/],
    [JSON.stringify({ ...good, decision: { weights: ['x'], bias: 0 } }), /no valid document decision/],
    [JSON.stringify({ ...good, postings: { ...(good.postings as object), features: 'AAAA' } }), /postings/],
    [JSON.stringify({ ...good, postings: { ...(good.postings as object), weights: 'AAAA' } }), /exceed the weights/],
    [JSON.stringify({ ...good, postings: { ...(good.postings as object), scales: [1] } }), /one scale per class/],
  ];
  for (const [text, message] of cases) assert.throws(() => loadModel(text), (e: unknown) => e instanceof TechniqueModelError && message.test(e.message), text.slice(0, 60));
});

test('with labelled reports the document decision is cross-fitted on them, and the prior counts reports per family', () => {
  const rows = readFileSync(path.join(shared, 'eval-dev/attack-mapping/tram2_sentences.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { text: string; techniques: string[]; doc_id: string });
  const reports = [...new Set(rows.map((r) => r.doc_id))].slice(0, 12);
  const labelled = rows.filter((r) => reports.includes(r.doc_id)).map((r) => ({ text: r.text, techniques: r.techniques, report: r.doc_id }));
  const few = new Set(labelled.flatMap((r) => r.techniques.map((t) => t.split('.')[0])));
  const full = buildTechniqueCorpus([JSON.parse(readFileSync(path.join(shared, 'attack/enterprise-attack-18.1.json'), 'utf8'))], labelled);
  const small: TechniqueCorpus = {
    ...full, techniques: full.techniques.filter((t) => few.has(t.parent ?? t.id)),
    examples: full.examples.filter((e) => e.labels.every((l) => few.has(l.split('.')[0]))),
  };
  const m = trainTechniqueModel(small, { ...FAST, decisionFolds: 2 });
  assert.equal(m.reports, 12);
  const withT1027 = new Set(labelled.filter((r) => r.techniques.some((t) => t.startsWith('T1027'))).map((r) => r.report));
  assert.equal(m.classes.find((k) => k.id === 'T1027')?.reports, withT1027.size);
  assert.equal(m.decision.weights.length, 6);
  assert.notDeepEqual(m.decision.weights, [1, 0, 0, 0, 0, 0], 'a fitted decision, not the plain one');
  assert.ok(m.decision.weights[0] > 0, 'a better best sentence raises belief');
  assert.ok(m.thresholds.document > 0 && m.thresholds.document < 1);
  const again = loadModel(serialiseModel(m));
  assert.deepEqual(again.decision, m.decision);
  assert.equal(again.classes.find((k) => k.id === 'T1027')?.reports, withT1027.size);
});
