/** The technique model: training time and model size on ATT&CK plus TRAM, and inference throughput on 5 KB articles against the 200/s target. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitSentences } from '../src/extract/sentences.js';
import { techniqueModelFromDir } from '../src/techniques/from-dir.js';
import { inferTechniques } from '../src/techniques/infer.js';
import { loadModel } from '../src/techniques/model.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');
const TARGET_DOCS_PER_SECOND = 200;
const ARTICLE_BYTES = 5 * 1024;

/** Real security articles (the TRAM reports), each cut to its first 5 KB at a sentence end. */
function articles(): string[] {
  const rows = readFileSync(path.join(shared, 'eval-dev/attack-mapping/tram2_documents.jsonl'), 'utf8').split('\n').filter(Boolean);
  return rows.map((l) => {
    const text = (JSON.parse(l) as { text: string }).text;
    const cut = splitSentences(text).filter((s) => Buffer.byteLength(text.slice(0, s.end)) <= ARTICLE_BYTES);
    return text.slice(0, cut.length > 0 ? cut[cut.length - 1].end : ARTICLE_BYTES);
  });
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const json = techniqueModelFromDir(shared);
const trainWall = performance.now() - t0;
const trainCpu = process.cpuUsage(cpu0).user / 1000;

// Cold load, as at server start: parse and decode the stored form (CPU too, as the wall clock counts other processes).
const cpu1 = process.cpuUsage();
const t1 = performance.now();
const model = loadModel(json);
const loadMs = performance.now() - t1;
const loadCpuMs = process.cpuUsage(cpu1).user / 1000;
inferTechniques(model, 'warm up the name index');

const docs = articles();
let n = 0;
let found = 0;
const cpu2 = process.cpuUsage();
const t2 = performance.now();
while (performance.now() - t2 < 3000 || n < docs.length) {
  found += inferTechniques(model, docs[n % docs.length]).length;
  n++;
}
const seconds = (performance.now() - t2) / 1000;
// On a shared machine the wall clock counts other processes' time too: the CPU rate is what one free core would do.
const cpuSeconds = process.cpuUsage(cpu2).user / 1e6;
const perSecond = n / seconds;
const weights = model.postings.weights.length;
process.stdout.write(`${JSON.stringify({
  training: { wallSeconds: Math.round(trainWall / 100) / 10, cpuSeconds: Math.round(trainCpu / 100) / 10, trainedOn: model.trainedOn },
  model: { bytes: Buffer.byteLength(json), megabytes: Math.round(Buffer.byteLength(json) / 1e5) / 10, classes: model.classes.length, weights, loadMs: Math.round(loadMs), loadCpuMs: Math.round(loadCpuMs) },
  inference: {
    articleBytes: ARTICLE_BYTES, documents: n, seconds: Math.round(seconds * 100) / 100,
    documentsPerSecond: Math.round(perSecond), documentsPerCpuSecond: Math.round(n / cpuSeconds), techniquesPerDocument: Math.round((found / n) * 10) / 10,
    target: TARGET_DOCS_PER_SECOND, meetsTarget: perSecond >= TARGET_DOCS_PER_SECOND, meetsTargetPerCpuSecond: n / cpuSeconds >= TARGET_DOCS_PER_SECOND,
  },
})}\n`);
