/**
 * ATT&CK technique inference scored on TRAM-format sets (`*documents.jsonl`, `*sentences.jsonl`: `text`, `techniques`):
 * per document and per sentence, micro and macro, exact and at parent level. Cross-validated with folds by document (a
 * held-out report's sentences are never trained on), or `--train-all`: one model on ATT&CK plus all of eval-dev, scoring any set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { matchSignals } from '../src/extract/label-rules.js';
import { splitSentences } from '../src/extract/sentences.js';
import { loadKb } from '../src/knowledge/load-kb.js';
import { buildTechniqueCorpus, type LabelledSentence } from '../src/techniques/corpus.js';
import { inferTechniques, labelSentences, modelTechniques } from '../src/techniques/infer.js';
import type { TechniqueModel } from '../src/techniques/model.js';
import { trainTechniqueModel, type TrainOptions } from '../src/techniques/train.js';
import type { EvalRun } from './main.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');
const DEV = path.join(shared, 'eval-dev/attack-mapping');
const BUNDLE = path.join(shared, 'attack/enterprise-attack-18.1.json');

interface Row { text: string; techniques: string[]; doc_id?: string; title?: string }
interface SetFile { name: string; kind: 'documents' | 'sentences'; rows: Row[] }

const readJsonl = (file: string): Row[] =>
  readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const r = JSON.parse(l) as Row;
    if (typeof r.text !== 'string' || !Array.isArray(r.techniques)) throw new Error(`${file}:${i + 1}: needs "text" and "techniques"`);
    return r;
  });

function readSet(dir: string): SetFile[] {
  const files = readdirSync(dir).filter((f) => /(?:documents|sentences)\.jsonl$/.test(f)).sort();
  if (files.length === 0) throw new Error(`${dir}: no *documents.jsonl or *sentences.jsonl`);
  return files.map((f) => ({ name: f, kind: f.endsWith('documents.jsonl') ? 'documents' : 'sentences', rows: readJsonl(path.join(dir, f)) }));
}

interface Count { tp: number; fp: number; fn: number }
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const f1 = (c: Count) => {
  const p = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const r = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  return { p, r, f: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
};

/** Micro and macro P/R/F1 over pairs of (gold, predicted) label sets. */
function score(pairs: readonly { gold: Set<string>; pred: Set<string> }[]) {
  const all: Count = { tp: 0, fp: 0, fn: 0 };
  const per = new Map<string, Count>();
  const at = (id: string) => { let c = per.get(id); if (!c) per.set(id, (c = { tp: 0, fp: 0, fn: 0 })); return c; };
  for (const { gold, pred } of pairs) {
    for (const id of pred) if (gold.has(id)) { all.tp++; at(id).tp++; } else { all.fp++; at(id).fp++; }
    for (const id of gold) if (!pred.has(id)) { all.fn++; at(id).fn++; }
  }
  const micro = f1(all);
  const labels = [...per.values()].filter((c) => c.tp + c.fn > 0);
  const macro = labels.map(f1);
  const mean = (k: 'p' | 'r' | 'f') => (macro.length ? macro.reduce((s, x) => s + x[k], 0) / macro.length : 0);
  return {
    micro: { precision: r3(micro.p), recall: r3(micro.r), f1: r3(micro.f), ...all },
    macro: { precision: r3(mean('p')), recall: r3(mean('r')), f1: r3(mean('f')), labels: labels.length },
  };
}

const parent = (s: Set<string>) => new Set([...s].map((id) => id.split('.')[0]));

function figures(pairs: { gold: Set<string>; pred: Set<string> }[]) {
  return { exact: score(pairs), parent: score(pairs.map((x) => ({ gold: parent(x.gold), pred: parent(x.pred) }))) };
}

/** Folds by document: a stable hash of the document key, so every run splits alike and no report straddles two folds. */
function foldOf(key: string, folds: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % folds;
}

function parseOptions(args: readonly string[]): TrainOptions {
  const o: Record<string, unknown> = {};
  const thresholds: Record<string, number> = {};
  args.forEach((a, i) => {
    if (a !== '--set') return;
    const [k, v] = (args[i + 1] ?? '').split('=');
    if (['document', 'sentence', 'subShare', 'maxPerDocument'].includes(k)) thresholds[k] = Number(v);
    else o[k] = Number(v);
  });
  return { ...o, thresholds } as TrainOptions;
}

export const run: EvalRun = async (options) => {
  const argv = process.argv;
  const trainAll = argv.includes('--train-all');
  const foldsAt = argv.indexOf('--folds');
  const folds = foldsAt >= 0 ? Number(argv[foldsAt + 1]) : 5;
  const trainOptions = parseOptions(argv);
  const bundle: unknown = JSON.parse(readFileSync(BUNDLE, 'utf8'));
  const set = readSet(options.data);
  const started = Date.now();
  const base = buildTechniqueCorpus([bundle]);
  const current = (ids: readonly string[]) => new Set(ids.map((id) => base.replacements[id] ?? id));
  const kb = loadKb();
  const kbRules = [...kb.techniques.values()].map((t) => ({ id: t.id, label: t.name, signals: t.signals }));
  const docKey = (r: Row, i: number) => r.doc_id ?? r.title ?? `row-${i}`;

  /** Labelled sentences to train on, tagged with their report so a fold can leave a report out whole. */
  const trainingPool: { row: LabelledSentence; key: string }[] = [];
  const pool = trainAll ? readSet(DEV) : set;
  for (const f of pool) {
    if (f.kind !== 'sentences') continue;
    f.rows.forEach((r, i) => trainingPool.push({ row: { text: r.text, techniques: r.techniques, report: docKey(r, i) }, key: docKey(r, i) }));
  }
  const heldOut = (k: number, key: string) => (trainAll ? false : foldOf(key, folds) === k);
  const rounds = trainAll ? 1 : folds;
  const models: TechniqueModel[] = [];
  for (let k = 0; k < rounds; k++) {
    const labelled = trainingPool.filter((x) => !heldOut(k, x.key)).map((x) => x.row);
    models.push(trainTechniqueModel(buildTechniqueCorpus([bundle], labelled), trainOptions));
    process.stderr.write(`eval attack: model ${k + 1}/${rounds} trained\n`);
  }
  const modelFor = (key: string) => (trainAll ? models[0] : models[foldOf(key, folds)]);

  const out: Record<string, unknown> = {
    mode: trainAll ? 'train-all (ATT&CK + all of eval-dev)' : `${folds}-fold cross-validation by document`,
    attack: base.attackVersion, models: models.map((m) => ({ thresholds: m.thresholds, decision: m.decision })),
  };
  const sweep = argv.includes('--sweep');
  for (const f of set) {
    if (f.kind === 'documents' && sweep) {
      // Thresholds need no retraining: the same fold models, other decision points (parent-level micro-F1 of each).
      const grid: Record<string, number[]> = {};
      for (const document of [0.2, 0.3, 0.4, 0.5]) {
        for (const [subShare, maxPerDocument] of [[0.8, 12], [0.8, 16], [0.8, 20]]) {
          const pairs = f.rows.map((r, i) => ({
            gold: current(r.techniques),
            pred: new Set(inferTechniques(modelFor(docKey(r, i)), r.text, splitSentences(r.text), { document, subShare, maxPerDocument }).map((x) => x.id)),
          }));
          const fig = figures(pairs);
          grid[`document=${document} subShare=${subShare} max=${maxPerDocument}`] = [fig.parent.micro.f1, fig.exact.micro.f1, fig.parent.micro.precision, fig.parent.micro.recall];
        }
      }
      out[`${f.name} sweep`] = grid;
    }
    if (f.kind === 'sentences' && sweep) {
      const grid: Record<string, number> = {};
      for (const sentence of [0.5, 0.7, 0.8, 0.9]) {
        const pairs = f.rows.map((r, i) => ({ gold: current(r.techniques), pred: new Set(labelSentences(modelFor(docKey(r, i)), [r], sentence)[0]) }));
        grid[`sentence=${sentence}`] = figures(pairs).parent.micro.f1;
      }
      out[`${f.name} sweep`] = grid;
    }
    if (f.kind === 'documents') {
      const withIds: { gold: Set<string>; pred: Set<string> }[] = [];
      const modelOnly: { gold: Set<string>; pred: Set<string> }[] = [];
      const withKb: { gold: Set<string>; pred: Set<string> }[] = [];
      // The ranking's own bound: each report keeps as many families as its annotators gave, best first. A threshold can do
      // no better than this, so it says whether the model's order or its cut-off holds the figure down.
      const rankingBound: { gold: Set<string>; pred: Set<string> }[] = [];
      // Ids written out in a report are shown as found; how often the set's annotators labelled them bounds what they can score.
      const written = { parents: 0, labelled: 0 };
      f.rows.forEach((r, i) => {
        const sentences = splitSentences(r.text);
        const inferred = inferTechniques(modelFor(docKey(r, i)), r.text, sentences);
        const gold = current(r.techniques);
        withIds.push({ gold, pred: new Set(inferred.map((x) => x.id)) });
        withKb.push({ gold, pred: new Set([...inferred.map((x) => x.id), ...matchSignals(kbRules, sentences, 'technique').map((h) => h.id)]) });
        const model = new Set(modelTechniques(modelFor(docKey(r, i)), sentences).map((x) => x.id));
        modelOnly.push({ gold, pred: model });
        const goldFamilies = parent(gold);
        const ranked = [...new Set(modelTechniques(modelFor(docKey(r, i)), sentences, { document: 0, maxPerDocument: 1000 })
          .sort((a, b) => b.score - a.score).map((x) => x.id.split('.')[0]))];
        rankingBound.push({ gold: goldFamilies, pred: new Set(ranked.slice(0, goldFamilies.size)) });
        for (const id of parent(new Set(inferred.filter((x) => x.via === 'id').map((x) => x.id)))) {
          written.parents++;
          if (goldFamilies.has(id)) written.labelled++;
        }
      });
      // Each fold's own figures, to show how much they move between held-out thirds.
      const perFold = trainAll ? undefined : Array.from({ length: folds }, (_, k) => {
        const mine = withIds.filter((_, i) => foldOf(docKey(f.rows[i], i), folds) === k);
        const fig = figures(mine);
        return { fold: k, rows: mine.length, parentMicroF1: fig.parent.micro.f1, exactMicroF1: fig.exact.micro.f1, parentMacroF1: fig.parent.macro.f1 };
      });
      out[f.name] = {
        rows: f.rows.length, ...figures(withIds), withoutExplicitIds: figures(modelOnly), withKbSignals: figures(withKb), rankingBoundParent: score(rankingBound).micro, writtenIds: written, ...(perFold ? { perFold } : {}),
      };
    } else {
      const pairs: { gold: Set<string>; pred: Set<string> }[] = [];
      const byModel = new Map<TechniqueModel, number[]>();
      f.rows.forEach((r, i) => { const m = modelFor(docKey(r, i)); byModel.set(m, [...(byModel.get(m) ?? []), i]); });
      const labels: string[][] = new Array(f.rows.length);
      for (const [m, rows] of byModel) labelSentences(m, rows.map((i) => f.rows[i])).forEach((l, j) => (labels[rows[j]] = l));
      f.rows.forEach((r, i) => pairs.push({ gold: current(r.techniques), pred: new Set(labels[i]) }));
      out[f.name] = { rows: f.rows.length, ...figures(pairs) };
    }
  }
  out.seconds = r3((Date.now() - started) / 1000);
  return out;
};
