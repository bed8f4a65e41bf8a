// The document decision: the logistic fit recovers which evidence matters, the threshold serves micro-F1, and postings survive their compact form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseThreshold, type DecisionExample, fitDecision } from '../../src/techniques/decision.js';
import { documentProbability } from '../../src/techniques/infer.js';
import { buildPostings } from '../../src/techniques/model.js';

/** A deterministic sample where the label follows the first feature and the second is noise. */
function sample(n: number): DecisionExample[] {
  const out: DecisionExample[] = [];
  let s = 7;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    const signal = next() * 6 - 3;
    const noise = next() * 6 - 3;
    out.push({ report: `r${i % 20}`, x: [signal, noise], y: next() < 1 / (1 + Math.exp(-2 * signal)) });
  }
  return out;
}

test('the fitted decision weighs the informative feature and ignores the noise', () => {
  const d = fitDecision(sample(2000));
  assert.equal(d.weights.length, 2);
  assert.ok(d.weights[0] > 1.4 && d.weights[0] < 2.6, `signal weight ${d.weights[0]}`);
  assert.ok(Math.abs(d.weights[1]) < 0.2, `noise weight ${d.weights[1]}`);
  assert.ok(Math.abs(d.bias) < 0.3, `bias ${d.bias}`);
  assert.ok(documentProbability(d, [3, 0]) > 0.95 && documentProbability(d, [-3, 0]) < 0.05);
});

test('the document threshold is the one with the best micro-F1, counting families that had no evidence', () => {
  const ex: DecisionExample[] = [
    { report: 'a', x: [0.9], y: true }, { report: 'a', x: [0.7], y: true }, { report: 'a', x: [0.4], y: false },
    { report: 'b', x: [0.8], y: true }, { report: 'b', x: [0.3], y: false }, { report: 'b', x: [0.2], y: true },
  ];
  const pick = chooseThreshold(ex, (x) => x[0], 10);
  // At 0.7 three of four gold are found with no false positive: F1 6/7; lower thresholds add more false positives than hits.
  assert.ok(pick.threshold > 0.4 && pick.threshold <= 0.7, String(pick.threshold));
  assert.ok(Math.abs(pick.f1 - 6 / 7) < 1e-9);
  assert.ok(chooseThreshold(ex, (x) => x[0], 1).f1 < pick.f1, 'one family per report finds less');
  assert.ok(Math.abs(chooseThreshold(ex, (x) => x[0], 10, 2).f1 - 6 / 9) < 1e-9, 'two gold families never scored');
});

test('postings turn class-major weights feature-major, every weight once, as int8 on a scale per class', () => {
  const p = buildPostings([
    { features: Uint32Array.from([1, 5]), weights: Float32Array.from([0.5, -1]) },
    { features: Uint32Array.from([5, 7]), weights: Float32Array.from([2, 3]) },
  ], 3);
  assert.deepEqual([...p.offsets], [0, 0, 1, 1, 1, 1, 3, 3, 4]);
  assert.deepEqual([...p.classes], [0, 0, 1, 1]);
  assert.deepEqual([...p.weights], [64, -127, 85, 127]);
  assert.deepEqual([...p.scales], [Math.fround(1 / 127), Math.fround(3 / 127)]);
  const back = [...p.weights].map((q, i) => q * p.scales[p.classes[i]]);
  [0.5, -1, 2, 3].forEach((w, i) => assert.ok(Math.abs(back[i] - w) <= p.scales[p.classes[i]] / 2 + 1e-9, `${w} ${back[i]}`));
});
