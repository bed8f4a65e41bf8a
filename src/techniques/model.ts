/** The technique model as data: its classes, feature-major sparse weights, thresholds, document decision and ATT&CK lookups, and its compact JSON form with a strict loader. */
import { FEATURE_BITS } from './features.js';
import type { TechniqueInfo } from './corpus.js';

export const MODEL_FORMAT = 'vigil.technique-model/2';

export interface DecisionThresholds {
  /** A technique is reported for a document when its document probability (see DocumentDecision) reaches this. */
  readonly document: number;
  /** A sentence supports (and, alone, is labelled with) a technique when its score reaches this. */
  readonly sentence: number;
  /** A sub-technique replaces its parent in the answer when its own best sentence reaches this share of the family's. */
  readonly subShare: number;
  /** At most this many model-read techniques per document (written ids are never capped): reports describe about a dozen. */
  readonly maxPerDocument: number;
}

/**
 * How sentence scores become a document decision: a logistic model over a family's evidence in the document (see
 * DOCUMENT_FEATURES in infer.ts), fitted on training reports the sentence model had not seen (cross-fitting in train.ts).
 */
export interface DocumentDecision {
  readonly weights: readonly number[];
  readonly bias: number;
}

/** One technique the model scores. */
export interface ModelClass extends TechniqueInfo {
  readonly bias: number;
  /** Training positives seen, so a reader can tell a well-taught class from one learnt from its name alone. */
  readonly positives: number;
  /** Labelled training reports showing this technique's family (parent level), the prior the document decision reads. */
  readonly reports: number;
}

/**
 * Weights by feature: the classes of feature f are classes[offsets[f]..offsets[f+1]), so a sentence is scored by walking
 * its own features only, with no lookup structure to build at load. A weight is int8 times its class's scale: a quarter
 * of float32's size, read from disk as it is, and rankings barely move.
 */
export interface Postings {
  readonly offsets: Uint32Array;
  readonly classes: Uint16Array;
  readonly weights: Int8Array;
  readonly scales: Float32Array;
}

export interface TechniqueModel {
  readonly format: typeof MODEL_FORMAT;
  readonly attackVersion: string;
  readonly featureBits: number;
  readonly seed: number;
  readonly trainedOn: Readonly<Record<string, number>>;
  /** Labelled training reports (the denominator of ModelClass.reports). */
  readonly reports: number;
  readonly thresholds: DecisionThresholds;
  readonly decision: DocumentDecision;
  readonly classes: readonly ModelClass[];
  readonly postings: Postings;
  readonly replacements: Readonly<Record<string, string>>;
  readonly retired: readonly string[];
}

/** Class-major sparse float weights (what training produces) turned feature-major and quantised. */
export function buildPostings(perClass: readonly { features: Uint32Array; weights: Float32Array }[], bits = FEATURE_BITS): Postings {
  const size = 1 << bits;
  const offsets = new Uint32Array(size + 1);
  for (const k of perClass) for (const f of k.features) offsets[f + 1]++;
  for (let f = 0; f < size; f++) offsets[f + 1] += offsets[f];
  const total = offsets[size];
  const classes = new Uint16Array(total);
  const weights = new Int8Array(total);
  const scales = Float32Array.from(perClass, (k) => {
    let max = 0;
    for (const w of k.weights) max = Math.max(max, Math.abs(w));
    return max > 0 ? max / 127 : 1;
  });
  const fill = offsets.slice(0, size);
  perClass.forEach((k, c) => {
    for (let i = 0; i < k.features.length; i++) {
      const at = fill[k.features[i]]++;
      classes[at] = c;
      weights[at] = Math.round(k.weights[i] / scales[c]);
    }
  });
  return { offsets, classes, weights, scales };
}

/** The ids of a model's classes, by id. */
const ids = new WeakMap<TechniqueModel, ReadonlyMap<string, number>>();
export function classIndex(model: TechniqueModel): ReadonlyMap<string, number> {
  let m = ids.get(model);
  if (!m) ids.set(model, (m = new Map(model.classes.map((k, i) => [k.id, i]))));
  return m;
}

interface SerialClass { id: string; name: string; parent: string | null; tactics: string[]; bias: number; positives: number; reports: number }

/**
 * On disk the postings are three base64 blobs: the distinct features delta-coded as LEB128 varints with each one's count,
 * the classes of each feature delta-coded the same way (they ascend, so a gap is mostly one byte), and the int8 weights.
 */
interface SerialPostings { features: string; classes: string; weights: string; scales: number[] }

function pushVarint(out: number[], x: number): void {
  while (x >= 0x80) { out.push((x & 0x7f) | 0x80); x >>>= 7; }
  out.push(x);
}

function serialisePostings(p: Postings): SerialPostings {
  const head: number[] = [];
  const cls: number[] = [];
  let prev = 0;
  for (let f = 0; f + 1 < p.offsets.length; f++) {
    const from = p.offsets[f];
    const to = p.offsets[f + 1];
    if (to === from) continue;
    pushVarint(head, f - prev);
    pushVarint(head, to - from);
    prev = f;
    let c0 = 0;
    for (let k = from; k < to; k++) { pushVarint(cls, p.classes[k] - c0); c0 = p.classes[k]; }
  }
  const w = Buffer.from(p.weights.buffer, p.weights.byteOffset, p.weights.byteLength).toString('base64');
  return { features: Buffer.from(head).toString('base64'), classes: Buffer.from(cls).toString('base64'), weights: w, scales: Array.from(p.scales) };
}

const fail = (why: string): never => { throw new TechniqueModelError(`technique model postings: ${why}`); };

/** Decodes the postings in two tight passes (features, then classes); the weights are the decoded bytes as they are. */
function readPostings(s: SerialPostings, nClasses: number, bits: number): Postings {
  if (!s || !isStr(s.features) || !isStr(s.classes) || !isStr(s.weights) || !Array.isArray(s.scales) || s.scales.length !== nClasses || !s.scales.every(isNum)) {
    throw new TechniqueModelError('technique model postings are malformed (needs features, classes, weights, one scale per class)');
  }
  const head = Buffer.from(s.features, 'base64');
  const cls = Buffer.from(s.classes, 'base64');
  const weights = new Int8Array(Buffer.from(s.weights, 'base64'));
  const total = weights.length;
  const size = 1 << bits;
  const offsets = new Uint32Array(size + 1);
  let at = 0; let f = -1; let sum = 0;
  while (at < head.length) {
    let gap = 0; let shift = 0; let b = 0x80;
    while (b & 0x80) { if (at >= head.length || shift > 28) fail('feature list ends early'); b = head[at++]; gap += (b & 0x7f) * 2 ** shift; shift += 7; }
    let n = 0; shift = 0; b = 0x80;
    while (b & 0x80) { if (at >= head.length || shift > 28) fail('feature list ends early'); b = head[at++]; n += (b & 0x7f) * 2 ** shift; shift += 7; }
    if (f >= 0 && gap === 0) fail('a feature is listed twice');
    f = f < 0 ? gap : f + gap;
    if (f >= size) fail('feature outside the feature space');
    sum += n;
    if (sum > total) fail('feature counts exceed the weights');
    offsets[f + 1] = n;
  }
  if (sum !== total) fail('feature counts and weights differ in length');
  for (let g = 0; g < size; g++) offsets[g + 1] += offsets[g];
  const classes = new Uint16Array(total);
  at = 0;
  for (let g = 0; g < size; g++) {
    let c = 0;
    for (let k = offsets[g], end = offsets[g + 1]; k < end; k++) {
      let gap = 0; let shift = 0; let b = 0x80;
      while (b & 0x80) { if (at >= cls.length || shift > 21) fail('class list ends early'); b = cls[at++]; gap |= (b & 0x7f) << shift; shift += 7; }
      c += gap;
      if (c >= nClasses) fail('weight of a class that does not exist');
      classes[k] = c;
    }
  }
  if (at !== cls.length) fail('class list longer than the weights');
  return { offsets, classes, weights, scales: Float32Array.from(s.scales) };
}

export function serialiseModel(model: TechniqueModel): string {
  const classes: SerialClass[] = model.classes.map((k) => ({
    id: k.id, name: k.name, parent: k.parent, tactics: [...k.tactics], bias: k.bias, positives: k.positives, reports: k.reports,
  }));
  return JSON.stringify({
    format: model.format, attackVersion: model.attackVersion, featureBits: model.featureBits, seed: model.seed,
    trainedOn: model.trainedOn, reports: model.reports, thresholds: model.thresholds, decision: model.decision,
    replacements: model.replacements, retired: model.retired, classes, postings: serialisePostings(model.postings),
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
    throw new TechniqueModelError(`technique model is not JSON (${(e as Error).message}); retrain it with vigil kb train`);
  }
  if (!raw || typeof raw !== 'object') throw new TechniqueModelError('technique model is not a JSON object');
  if (raw.format !== MODEL_FORMAT) {
    throw new TechniqueModelError(`technique model format is ${JSON.stringify(raw.format)}, expected "${MODEL_FORMAT}"; retrain it with vigil kb train`);
  }
  if (raw.featureBits !== FEATURE_BITS) {
    throw new TechniqueModelError(`technique model uses ${String(raw.featureBits)} feature bits, this Vigil ${FEATURE_BITS}; retrain it with vigil kb train`);
  }
  const t = raw.thresholds as Record<string, unknown> | undefined;
  if (!t || !isNum(t.document) || !isNum(t.sentence) || !isNum(t.subShare) || !isNum(t.maxPerDocument)) throw new TechniqueModelError('technique model has no valid thresholds');
  const d = raw.decision as Record<string, unknown> | undefined;
  if (!d || !isNum(d.bias) || !Array.isArray(d.weights) || !d.weights.every(isNum)) throw new TechniqueModelError('technique model has no valid document decision');
  if (!Array.isArray(raw.classes) || raw.classes.length === 0) throw new TechniqueModelError('technique model has no classes');
  if (raw.classes.length > 0xffff) throw new TechniqueModelError('technique model has more classes than it can index');
  const classes: ModelClass[] = (raw.classes as SerialClass[]).map((c, i) => {
    if (!c || !isStr(c.id) || !/^T\d{4}(?:\.\d{3})?$/.test(c.id) || !isStr(c.name) || !isNum(c.bias)
      || !Array.isArray(c.tactics) || !(c.parent === null || isStr(c.parent))) {
      throw new TechniqueModelError(`technique model class ${i + 1} is malformed (needs id Tnnnn, name, parent, tactics, bias)`);
    }
    return {
      id: c.id, name: c.name, parent: c.parent, tactics: c.tactics.map(String), bias: c.bias,
      positives: isNum(c.positives) ? c.positives : 0, reports: isNum(c.reports) ? c.reports : 0,
    };
  });
  const postings = readPostings(raw.postings as SerialPostings, classes.length, FEATURE_BITS);
  const replacements = (raw.replacements && typeof raw.replacements === 'object' ? raw.replacements : {}) as Record<string, string>;
  return {
    format: MODEL_FORMAT, attackVersion: isStr(raw.attackVersion) ? raw.attackVersion : 'unknown', featureBits: FEATURE_BITS,
    seed: isNum(raw.seed) ? raw.seed : 0, trainedOn: (raw.trainedOn ?? {}) as Record<string, number>, reports: isNum(raw.reports) ? raw.reports : 0,
    thresholds: { document: t.document, sentence: t.sentence, subShare: t.subShare, maxPerDocument: t.maxPerDocument },
    decision: { weights: (d.weights as number[]).slice(), bias: d.bias },
    classes, postings, replacements, retired: Array.isArray(raw.retired) ? raw.retired.map(String) : [],
  };
}
