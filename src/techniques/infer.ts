/** Infers the ATT&CK techniques a text shows: explicit ids, technique names and the learned model, each technique with its supporting sentences and score. */
import { findAttackIds } from '../extract/identifiers.js';
import { type Sentence, splitSentences } from '../extract/sentences.js';
import { featurise } from './features.js';
import { type DecisionThresholds, modelIndex, type ModelIndex, type TechniqueModel } from './model.js';
import { nameMatcher } from './names.js';

export interface SupportingSentence {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

export interface InferredTechnique {
  readonly id: string;
  readonly name?: string;
  /** ATT&CK tactic shortnames ("execution"). */
  readonly tactics: readonly string[];
  /** 0..1: 1 for an id written out, else the model's calibrated belief after aggregation over sentences. */
  readonly score: number;
  /** How it was found: an id in the text, the technique's name, or the model's reading of the phrasing. */
  readonly via: 'id' | 'name' | 'model';
  readonly sentences: readonly SupportingSentence[];
}

/** A sentence's scores: class index to probability, only those worth keeping. */
export type SentenceScores = Map<number, number>;

/** Scores below this are noise: dropping them keeps aggregation linear in what matters. */
const FLOOR = 0.05;
/** A name written in a sentence is strong evidence; added to the model's logit rather than replacing it. */
const NAME_BOOST = 3;
const MAX_SUPPORT = 5;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Per-sentence scores of every class above the floor (the model, plus the name boost). */
export function scoreSentences(model: TechniqueModel, sentences: readonly { text: string }[]): SentenceScores[] {
  return scoreWithNames(model, sentences).scores;
}

function scoreWithNames(model: TechniqueModel, sentences: readonly { text: string }[]): { scores: SentenceScores[]; named: Set<number>[] } {
  const ix = modelIndex(model);
  const names = nameMatcher(model);
  const sums = new Float32Array(model.classes.length);
  const hit = new Uint8Array(model.classes.length);
  const allNamed: Set<number>[] = [];
  const scores = sentences.map((s) => {
    const v = featurise(s.text);
    const touched: number[] = [];
    for (const f of v.index) {
      const p = ix.postings.get(f);
      if (!p) continue;
      for (let k = 0; k < p.classes.length; k++) {
        const c = p.classes[k];
        if (!hit[c]) { hit[c] = 1; touched.push(c); sums[c] = 0; }
        sums[c] += p.weights[k];
      }
    }
    const named = names(s.text);
    allNamed.push(named);
    for (const c of named) if (!hit[c]) { hit[c] = 1; touched.push(c); sums[c] = 0; }
    const out: SentenceScores = new Map();
    for (const c of touched) {
      hit[c] = 0;
      const z = model.classes[c].bias + sums[c] * v.value + (named.has(c) ? NAME_BOOST : 0);
      const p = sigmoid(z);
      if (p >= FLOOR) out.set(c, p);
    }
    return out;
  });
  return { scores, named: allNamed };
}

interface Aggregate { best: number; second: number; support: { at: number; score: number }[]; named: boolean }

/** Document score of a class: noisy-or of its two best sentences, so a second independent mention raises belief a little. */
const docScore = (a: Aggregate) => 1 - (1 - a.best) * (1 - a.second * 0.5);

function aggregate(ix: ModelIndex, scores: readonly SentenceScores[], named: readonly Set<number>[]): Map<number, Aggregate> {
  const out = new Map<number, Aggregate>();
  scores.forEach((m, at) => {
    for (const [c, p] of m) {
      let a = out.get(c);
      if (!a) out.set(c, (a = { best: 0, second: 0, support: [], named: false }));
      if (p > a.best) { a.second = a.best; a.best = p; } else if (p > a.second) a.second = p;
      a.support.push({ at, score: p });
      if (named[at]?.has(c)) a.named = true;
    }
  });
  void ix;
  return out;
}

/**
 * The techniques of a text, best first. A parent technique is decided on its own and its sub-techniques' evidence; a
 * sub-technique replaces it when its own score holds up. Revoked ids are reported as their replacement, retired ones never.
 */
export function inferTechniques(
  model: TechniqueModel, text: string, sentences?: readonly Sentence[], thresholds?: Partial<DecisionThresholds>,
): InferredTechnique[] {
  const ix = modelIndex(model);
  const ss = sentences ?? splitSentences(text);
  const { scores, named } = scoreWithNames(model, ss);
  const agg = aggregate(ix, scores, named);
  const t = { ...model.thresholds, ...thresholds };
  const result = new Map<string, InferredTechnique>();
  const supportOf = (cs: number[]): SupportingSentence[] => {
    const all = cs.flatMap((c) => agg.get(c)?.support ?? []).sort((a, b) => b.score - a.score || a.at - b.at);
    const seen = new Set<number>();
    const picked = all.filter((x) => !seen.has(x.at) && seen.add(x.at)).filter((x, i) => i === 0 || x.score >= t.sentence).slice(0, MAX_SUPPORT);
    return picked.sort((a, b) => a.at - b.at).map((x) => ({ text: ss[x.at].text, start: ss[x.at].start, end: ss[x.at].end, score: round(x.score) }));
  };

  // Parents and the sub-techniques under them.
  const family = new Map<string, { parent: number | undefined; subs: number[] }>();
  for (const c of agg.keys()) {
    const k = model.classes[c];
    const p = k.parent ?? k.id;
    let f = family.get(p);
    if (!f) family.set(p, (f = { parent: ix.byId.get(p), subs: [] }));
    if (k.parent) f.subs.push(c);
  }
  const decided: { f: { parent: number | undefined; subs: number[] }; score: number }[] = [];
  for (const [, f] of family) {
    const pa = f.parent !== undefined ? agg.get(f.parent) : undefined;
    const score = Math.max(pa ? docScore(pa) : 0, ...f.subs.map((c) => docScore(agg.get(c)!)));
    if (score >= t.document) decided.push({ f, score });
  }
  decided.sort((a, b) => b.score - a.score);
  for (const { f, score: parentScore } of decided.slice(0, t.maxPerDocument)) {
    const subs = f.subs.filter((c) => docScore(agg.get(c)!) >= Math.max(t.subShare * parentScore, t.document * t.subShare));
    const emit = subs.length > 0 ? subs : f.parent !== undefined ? [f.parent] : [];
    for (const c of emit) {
      const k = model.classes[c];
      const a = agg.get(c);
      const score = a ? docScore(a) : parentScore;
      result.set(k.id, { id: k.id, name: k.name, tactics: k.tactics, score: round(score), via: a?.named ? 'name' : 'model', sentences: supportOf(a ? [c] : [c, ...f.subs]) });
    }
  }
  for (const fact of findAttackIds(ss)) {
    const id = ix.byId.has(fact.id) ? fact.id : model.replacements[fact.id];
    if (!id || !ix.byId.has(id)) continue;
    const k = model.classes[ix.byId.get(id)!];
    const s = ss.find((x) => x.start === fact.evidence.start) ?? ss[0];
    result.set(id, { id, name: k.name, tactics: k.tactics, score: 1, via: 'id', sentences: [{ text: s.text, start: s.start, end: s.end, score: 1 }] });
  }
  return [...result.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** Per-sentence labels (for the sentence-level figures): classes at or above the sentence threshold, a sub-technique in place of its parent. */
export function labelSentences(model: TechniqueModel, sentences: readonly { text: string }[], sentence = model.thresholds.sentence): string[][] {
  const t = { sentence };
  return scoreSentences(model, sentences).map((m) => {
    const ids = [...m].filter(([, p]) => p >= t.sentence).map(([c]) => model.classes[c].id);
    return ids.filter((id) => !ids.some((o) => o.startsWith(`${id}.`)));
  });
}

const round = (x: number) => Math.round(x * 1000) / 1000;
