/** Infers the ATT&CK techniques a text shows: explicit ids, technique names and the learned model, each technique with its supporting sentences and score. */
import { findAttackIds } from '../extract/identifiers.js';
import { type Sentence, splitSentences } from '../extract/sentences.js';
import { featuresOf, tokenise } from './features.js';
import { classIndex, type DecisionThresholds, type DocumentDecision, type TechniqueModel } from './model.js';
import { namedClasses } from './names.js';

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
  /** 0..1: 1 for an id written out, else the document decision's probability for the technique's family. */
  readonly score: number;
  /** How it was found: an id in the text, the technique's name, or the model's reading of the phrasing. */
  readonly via: 'id' | 'name' | 'model';
  readonly sentences: readonly SupportingSentence[];
}

/** A sentence's scores: class index to probability, only those worth keeping. */
export type SentenceScores = Map<number, number>;

/** Scores below this are noise: dropping them keeps aggregation linear in what matters. */
const FLOOR = 0.05;
const FLOOR_LOGIT = Math.log(FLOOR / (1 - FLOOR));
/** A name written in a sentence is strong evidence; added to the model's logit rather than replacing it. */
const NAME_BOOST = 3;
const MAX_SUPPORT = 5;
/** A sentence at or above this counts as one more mention of a family in the document decision. */
const MENTION = 0.5;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => { const q = Math.min(Math.max(p, 1e-4), 1 - 1e-4); return Math.log(q / (1 - q)); };

const biases = new WeakMap<TechniqueModel, Float64Array>();
function biasOf(model: TechniqueModel): Float64Array {
  let b = biases.get(model);
  if (!b) biases.set(model, (b = Float64Array.from(model.classes, (k) => k.bias)));
  return b;
}

/** Per-sentence scores of every class above the floor (the model, plus the name boost), and the classes each sentence names. */
export function scoreText(model: TechniqueModel, sentences: readonly { text: string }[]): { scores: SentenceScores[]; named: Set<number>[] } {
  const { offsets, classes, weights, scales } = model.postings;
  const n = model.classes.length;
  const bias = biasOf(model);
  // Dense sums, cleared per sentence: a few hundred classes cost less to sweep than to track which were touched.
  const sums = new Float64Array(n);
  const named: Set<number>[] = [];
  const scores = sentences.map((s) => {
    const tokens = tokenise(s.text);
    const v = featuresOf(tokens);
    sums.fill(0);
    for (const f of v.index) for (let k = offsets[f], end = offsets[f + 1]; k < end; k++) sums[classes[k]] += weights[k];
    const names = namedClasses(model, tokens);
    named.push(names);
    const out: SentenceScores = new Map();
    for (let c = 0; c < n; c++) {
      if (sums[c] === 0 && !names.has(c)) continue;
      const z = bias[c] + sums[c] * scales[c] * v.value + (names.has(c) ? NAME_BOOST : 0);
      if (z >= FLOOR_LOGIT) out.set(c, sigmoid(z));
    }
    return out;
  });
  return { scores, named };
}

/** Per-sentence scores of every class above the floor. */
export function scoreSentences(model: TechniqueModel, sentences: readonly { text: string }[]): SentenceScores[] {
  return scoreText(model, sentences).scores;
}

/** The class index standing for each class's family: its parent's (or its own, for a parent or an orphan sub-technique). */
const families = new WeakMap<TechniqueModel, Int32Array>();
function familyOf(model: TechniqueModel): Int32Array {
  let f = families.get(model);
  if (!f) {
    const ix = classIndex(model);
    f = Int32Array.from(model.classes, (k, c) => (k.parent ? ix.get(k.parent) ?? c : c));
    families.set(model, f);
  }
  return f;
}

/** A family's evidence in one document: its best sentences, how many sentences show it, and its members' own best. */
export interface FamilyEvidence {
  readonly family: number;
  best: number;
  second: number;
  mentions: number;
  named: boolean;
  readonly members: Map<number, { best: number; support: { at: number; score: number }[] }>;
}

export function familyEvidence(model: TechniqueModel, scores: readonly SentenceScores[], named: readonly Set<number>[]): Map<number, FamilyEvidence> {
  const fam = familyOf(model);
  const out = new Map<number, FamilyEvidence>();
  const inSentence = new Map<number, number>();
  scores.forEach((m, at) => {
    inSentence.clear();
    for (const [c, p] of m) {
      const f = fam[c];
      let e = out.get(f);
      if (!e) out.set(f, (e = { family: f, best: 0, second: 0, mentions: 0, named: false, members: new Map() }));
      let mem = e.members.get(c);
      if (!mem) e.members.set(c, (mem = { best: 0, support: [] }));
      mem.best = Math.max(mem.best, p);
      mem.support.push({ at, score: p });
      if (named[at]?.has(c)) e.named = true;
      inSentence.set(f, Math.max(inSentence.get(f) ?? 0, p));
    }
    for (const [f, p] of inSentence) {
      const e = out.get(f)!;
      if (p > e.best) { e.second = e.best; e.best = p; } else if (p > e.second) e.second = p;
      if (p >= MENTION) e.mentions++;
    }
  });
  return out;
}

/**
 * What the document decision reads of a family, in DocumentDecision.weights order: the logits of its best and second
 * sentences, log(1 + sentences showing it), the log share of training reports that show it, whether its name is
 * written, and whether no labelled report taught it at all (its scores then come from ATT&CK's prose alone).
 */
export const DOCUMENT_FEATURES = ['best', 'second', 'mentions', 'prior', 'named', 'untaught'] as const;

export function documentFeatures(model: TechniqueModel, e: FamilyEvidence): number[] {
  const reports = model.classes[e.family].reports;
  return [
    logit(e.best), logit(Math.max(e.second, 0.01)), Math.log1p(e.mentions),
    Math.log((reports + 0.5) / (model.reports + 1)), e.named ? 1 : 0, reports === 0 ? 1 : 0,
  ];
}

/** Without labelled reports to fit it on, a family's document probability is its best sentence's. */
export const PLAIN_DECISION: DocumentDecision = { weights: [1, 0, 0, 0, 0, 0], bias: 0 };

export function documentProbability(decision: DocumentDecision, x: readonly number[]): number {
  let z = decision.bias;
  for (let i = 0; i < x.length; i++) z += (decision.weights[i] ?? 0) * x[i];
  return sigmoid(z);
}

/**
 * The techniques of a text, best first. A family (a parent and its sub-techniques) is decided on all its evidence; a
 * sub-technique replaces the parent when its own best sentence holds up. Revoked ids are reported as their replacement, retired ones never.
 */
export function inferTechniques(
  model: TechniqueModel, text: string, sentences?: readonly Sentence[], thresholds?: Partial<DecisionThresholds>,
): InferredTechnique[] {
  const ix = classIndex(model);
  const ss = sentences ?? splitSentences(text);
  const result = new Map(modelTechniques(model, ss, thresholds).map((x) => [x.id, x]));
  for (const fact of findAttackIds(ss)) {
    const id = ix.has(fact.id) ? fact.id : model.replacements[fact.id];
    if (!id || !ix.has(id)) continue;
    const k = model.classes[ix.get(id)!];
    const s = ss.find((x) => x.start === fact.evidence.start) ?? ss[0];
    result.set(id, { id, name: k.name, tactics: k.tactics, score: 1, via: 'id', sentences: [{ text: s.text, start: s.start, end: s.end, score: 1 }] });
  }
  return [...result.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** The techniques the model and the names find, without the ids written out (the eval scores the model alone with it). */
export function modelTechniques(model: TechniqueModel, ss: readonly Sentence[], thresholds?: Partial<DecisionThresholds>): InferredTechnique[] {
  const { scores, named } = scoreText(model, ss);
  const t = { ...model.thresholds, ...thresholds };
  const decided = [...familyEvidence(model, scores, named).values()]
    .map((e) => ({ e, p: documentProbability(model.decision, documentFeatures(model, e)) }))
    .filter((x) => x.p >= t.document)
    .sort((a, b) => b.p - a.p || a.e.family - b.e.family)
    .slice(0, t.maxPerDocument);
  const result = new Map<string, InferredTechnique>();
  const supportOf = (support: { at: number; score: number }[]): SupportingSentence[] => {
    const picked = [...support].sort((a, b) => b.score - a.score || a.at - b.at).filter((x, i) => i === 0 || x.score >= t.sentence).slice(0, MAX_SUPPORT);
    return picked.sort((a, b) => a.at - b.at).map((x) => ({ text: ss[x.at].text, start: ss[x.at].start, end: ss[x.at].end, score: round(x.score) }));
  };
  for (const { e, p } of decided) {
    const subs = [...e.members].filter(([c, m]) => c !== e.family && m.best >= t.subShare * e.best);
    const parent = e.members.get(e.family);
    const emit = subs.length > 0 ? subs : parent ? [[e.family, parent] as const]
      : [[e.family, { best: e.best, support: [...e.members.values()].flatMap((m) => m.support) }] as const];
    for (const [c, m] of emit) {
      const k = model.classes[c];
      result.set(k.id, { id: k.id, name: k.name, tactics: k.tactics, score: round(p), via: e.named ? 'name' : 'model', sentences: supportOf(m.support) });
    }
  }
  return [...result.values()];
}

/** Per-sentence labels (for the sentence-level figures): classes at or above the sentence threshold, a sub-technique in place of its parent. */
export function labelSentences(model: TechniqueModel, sentences: readonly { text: string }[], sentence = model.thresholds.sentence): string[][] {
  return scoreSentences(model, sentences).map((m) => {
    const ids = [...m].filter(([, p]) => p >= sentence).map(([c]) => model.classes[c].id);
    return ids.filter((id) => !ids.some((o) => o.startsWith(`${id}.`)));
  });
}

const round = (x: number) => Math.round(x * 1000) / 1000;
