/** The technique model as data: its classes, sparse weights, thresholds and ATT&CK lookups, and its JSON form with a strict loader. */
import { FEATURE_BITS } from './features.js';
import type { TechniqueInfo } from './corpus.js';

export const MODEL_FORMAT = 'vigil.technique-model/1';

export interface DecisionThresholds {
  /** A technique is reported for a document when its aggregated score reaches this. */
  readonly document: number;
  /** A sentence supports (and, alone, is labelled with) a technique when its score reaches this. */
  readonly sentence: number;
  /** A sub-technique replaces its parent in the answer when its own score reaches this share of the parent's. */
  readonly subShare: number;
  /** At most this many model-read techniques per document (written ids are never capped): reports describe about a dozen. */
  readonly maxPerDocument: number;
}

/** One technique the model scores, with its weights: feature bucket to weight, sorted by bucket. */
export interface ModelClass extends TechniqueInfo {
  readonly bias: number;
  readonly features: Uint32Array;
  readonly weights: Float32Array;
  /** Training positives seen, so a reader can tell a well-taught class from one learnt from its name alone. */
  readonly positives: number;
}

export interface TechniqueModel {
  readonly format: typeof MODEL_FORMAT;
  readonly attackVersion: string;
  readonly featureBits: number;
  readonly seed: number;
  readonly trainedOn: Readonly<Record<string, number>>;
  readonly thresholds: DecisionThresholds;
  readonly classes: readonly ModelClass[];
  readonly replacements: Readonly<Record<string, string>>;
  readonly retired: readonly string[];
}

/** Per-feature postings, built once per loaded model so a sentence is scored by walking its own features only. */
export interface ModelIndex {
  readonly model: TechniqueModel;
  readonly byId: ReadonlyMap<string, number>;
  readonly postings: ReadonlyMap<number, { classes: Uint16Array; weights: Float32Array }>;
}

const indexes = new WeakMap<TechniqueModel, ModelIndex>();

export function modelIndex(model: TechniqueModel): ModelIndex {
  const known = indexes.get(model);
  if (known) return known;
  const lists = new Map<number, { c: number[]; w: number[] }>();
  model.classes.forEach((k, c) => {
    for (let i = 0; i < k.features.length; i++) {
      let l = lists.get(k.features[i]);
      if (!l) lists.set(k.features[i], (l = { c: [], w: [] }));
      l.c.push(c);
      l.w.push(k.weights[i]);
    }
  });
  const postings = new Map<number, { classes: Uint16Array; weights: Float32Array }>();
  for (const [f, l] of lists) postings.set(f, { classes: Uint16Array.from(l.c), weights: Float32Array.from(l.w) });
  const index = { model, byId: new Map(model.classes.map((k, i) => [k.id, i])), postings };
  indexes.set(model, index);
  return index;
}

/** Weights are stored as int8 with one scale per class: a quarter of float32's size, and the ranking barely moves. */
interface SerialClass {
  id: string; name: string; parent: string | null; tactics: string[]; bias: number; positives: number;
  scale: number; features: string; weights: string;
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Feature buckets are delta-coded as unsigned LEB128 varints: sorted buckets give small gaps. */
function packFeatures(f: Uint32Array): string {
  const out: number[] = [];
  let prev = 0;
  for (const x of f) {
    let d = x - prev;
    prev = x;
    while (d >= 0x80) { out.push((d & 0x7f) | 0x80); d >>>= 7; }
    out.push(d);
  }
  return Buffer.from(out).toString('base64');
}

function unpackFeatures(s: string, n: number, where: string): Uint32Array {
  const bytes = Buffer.from(s, 'base64');
  const out = new Uint32Array(n);
  let at = 0; let prev = 0;
  for (let i = 0; i < n; i++) {
    let d = 0; let shift = 0; let b: number;
    do {
      if (at >= bytes.length) throw new TechniqueModelError(`${where}: feature list ends early`);
      b = bytes[at++];
      d |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    prev += d >>> 0;
    out[i] = prev;
  }
  if (at !== bytes.length) throw new TechniqueModelError(`${where}: feature list longer than its weights`);
  return out;
}

export function serialiseModel(model: TechniqueModel): string {
  const classes: SerialClass[] = model.classes.map((k) => {
    let max = 0;
    for (const w of k.weights) max = Math.max(max, Math.abs(w));
    const scale = max > 0 ? max / 127 : 1;
    const q = Int8Array.from(k.weights, (w) => Math.round(w / scale));
    return {
      id: k.id, name: k.name, parent: k.parent, tactics: [...k.tactics], bias: Math.round(k.bias * 1e4) / 1e4, positives: k.positives,
      scale, features: packFeatures(k.features), weights: b64(q),
    };
  });
  return JSON.stringify({
    format: model.format, attackVersion: model.attackVersion, featureBits: model.featureBits, seed: model.seed,
    trainedOn: model.trainedOn, thresholds: model.thresholds, replacements: model.replacements, retired: model.retired, classes,
  });
}

export class TechniqueModelError extends Error {}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

/** Reads a serialised model; anything else (another format, a truncated file, a model for another feature space) is refused by name. */
export function loadModel(json: string): TechniqueModel {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch (e) {
    throw new TechniqueModelError(`technique model is not JSON (${(e as Error).message}); retrain it with vigil kb import`);
  }
  if (!raw || typeof raw !== 'object') throw new TechniqueModelError('technique model is not a JSON object');
  if (raw.format !== MODEL_FORMAT) {
    throw new TechniqueModelError(`technique model format is ${JSON.stringify(raw.format)}, expected "${MODEL_FORMAT}"; retrain it with vigil kb import`);
  }
  if (raw.featureBits !== FEATURE_BITS) {
    throw new TechniqueModelError(`technique model uses ${String(raw.featureBits)} feature bits, this Vigil ${FEATURE_BITS}; retrain it with vigil kb import`);
  }
  const t = raw.thresholds as Record<string, unknown> | undefined;
  if (!t || !isNum(t.document) || !isNum(t.sentence) || !isNum(t.subShare) || !isNum(t.maxPerDocument)) throw new TechniqueModelError('technique model has no valid thresholds');
  if (!Array.isArray(raw.classes) || raw.classes.length === 0) throw new TechniqueModelError('technique model has no classes');
  if (raw.classes.length > 0xffff) throw new TechniqueModelError('technique model has more classes than it can index');
  const classes: ModelClass[] = (raw.classes as SerialClass[]).map((c, i) => {
    const where = `technique model class ${i + 1}`;
    if (!c || !isStr(c.id) || !/^T\d{4}(?:\.\d{3})?$/.test(c.id) || !isStr(c.name) || !isNum(c.bias) || !isNum(c.scale)
      || !isStr(c.features) || !isStr(c.weights) || !Array.isArray(c.tactics) || !(c.parent === null || isStr(c.parent))) {
      throw new TechniqueModelError(`${where} is malformed (needs id Tnnnn, name, parent, tactics, bias, scale, features, weights)`);
    }
    const q = new Int8Array(Buffer.from(c.weights, 'base64'));
    const features = unpackFeatures(c.features, q.length, `${where} (${c.id})`);
    if (features.some((f) => f >= 1 << FEATURE_BITS)) throw new TechniqueModelError(`${where} (${c.id}): feature outside the feature space`);
    return {
      id: c.id, name: c.name, parent: c.parent, tactics: c.tactics.map(String), bias: c.bias, positives: isNum(c.positives) ? c.positives : 0,
      features, weights: Float32Array.from(q, (x) => x * c.scale),
    };
  });
  const replacements = (raw.replacements && typeof raw.replacements === 'object' ? raw.replacements : {}) as Record<string, string>;
  return {
    format: MODEL_FORMAT, attackVersion: isStr(raw.attackVersion) ? raw.attackVersion : 'unknown', featureBits: FEATURE_BITS,
    seed: isNum(raw.seed) ? raw.seed : 0, trainedOn: (raw.trainedOn ?? {}) as Record<string, number>,
    thresholds: { document: t.document, sentence: t.sentence, subShare: t.subShare, maxPerDocument: t.maxPerDocument },
    classes, replacements, retired: Array.isArray(raw.retired) ? raw.retired.map(String) : [],
  };
}
