/** Fits the document decision: a small L2 logistic regression over family evidence, by Newton's method, and the document threshold that serves micro-F1 best. */
import type { DocumentDecision } from './model.js';

/** One family in one held-out report: what the decision reads, and whether the report's annotators gave it. */
export interface DecisionExample {
  readonly report: string;
  readonly x: readonly number[];
  readonly y: boolean;
}

/** Solves A x = b for a small dense symmetric positive-definite A (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/** Maximum a posteriori weights under an L2 penalty (the bias unpenalised); a few Newton steps converge on so few features. */
export function fitDecision(examples: readonly DecisionExample[], l2 = 1e-2, iterations = 25): DocumentDecision {
  const dims = examples[0]?.x.length ?? 0;
  const w = new Array<number>(dims + 1).fill(0);
  const n = Math.max(1, examples.length);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(dims + 1).fill(0);
    const h = Array.from({ length: dims + 1 }, () => new Array<number>(dims + 1).fill(0));
    for (const e of examples) {
      let z = w[dims];
      for (let i = 0; i < dims; i++) z += w[i] * e.x[i];
      const p = 1 / (1 + Math.exp(-z));
      const r = p - (e.y ? 1 : 0);
      const s = p * (1 - p);
      for (let i = 0; i <= dims; i++) {
        const xi = i < dims ? e.x[i] : 1;
        g[i] += (r * xi) / n;
        for (let j = 0; j <= dims; j++) h[i][j] += (s * xi * (j < dims ? e.x[j] : 1)) / n;
      }
    }
    for (let i = 0; i < dims; i++) { g[i] += l2 * w[i]; h[i][i] += l2; }
    h[dims][dims] += 1e-9;
    const step = solve(h, g);
    let moved = 0;
    for (let i = 0; i <= dims; i++) { w[i] -= step[i]; moved = Math.max(moved, Math.abs(step[i])); }
    if (moved < 1e-7) break;
  }
  return { weights: w.slice(0, dims).map((x) => Number(x.toFixed(6))), bias: Number(w[dims].toFixed(6)) };
}

/**
 * The document threshold (on the decision's probability) with the best micro-F1 over the held-out reports, each report
 * keeping at most maxPerDocument families, as inference does; `missed` gold families had no evidence to decide on.
 */
export function chooseThreshold(
  examples: readonly DecisionExample[], probability: (x: readonly number[]) => number, maxPerDocument: number, missed = 0,
): { threshold: number; f1: number } {
  const byReport = new Map<string, { p: number; y: boolean }[]>();
  for (const e of examples) {
    let l = byReport.get(e.report);
    if (!l) byReport.set(e.report, (l = []));
    l.push({ p: probability(e.x), y: e.y });
  }
  // Gold families with no evidence at all are misses whatever the threshold, but they weigh in the F1 it is chosen on.
  const gold = examples.filter((e) => e.y).length + missed;
  let best = { threshold: 0.5, f1: -1 };
  for (let step = 4; step <= 36; step++) {
    const t = step / 40;
    let tp = 0; let fp = 0;
    for (const l of byReport.values()) {
      const kept = l.filter((x) => x.p >= t).sort((a, b) => b.p - a.p).slice(0, maxPerDocument);
      for (const x of kept) if (x.y) tp++; else fp++;
    }
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + (gold - tp));
    if (f1 > best.f1 + 1e-9) best = { threshold: t, f1 };
  }
  return best;
}
