// Metrics against hand-checked cases and brute-force definitions on random inputs; PSI for drift.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  averagePrecision, calibrationTable, ksStatistic, logLoss, prCurve, precisionAtFpr, recallAtK, rocAuc, rocCurve,
} from './metrics.ts';
import { populationStabilityIndex } from './drift.ts';

const close = (a: number, b: number, eps = 1e-12): void => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test('hand-checked small cases', () => {
  const s = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4];
  const y = [1, 0, 1, 1, 0, 0];
  // Positive/negative pairs ordered right: 0.9 beats 3, 0.7 beats 2, 0.6 beats 2 → 7 of 9.
  close(rocAuc(s, y), 7 / 9);
  // AP: positives at ranks 1, 3, 4 → (1/1 + 2/3 + 3/4) / 3.
  close(averagePrecision(s, y), (1 + 2 / 3 + 3 / 4) / 3);
  close(recallAtK(s, y, 2), 1 / 3);
  close(recallAtK(s, y, 4), 1);
  // KS: after 0.6, TPR = 1 and FPR = 1/3.
  close(ksStatistic(s, y), 2 / 3);
  const op = precisionAtFpr(s, y, 0.34);
  assert.deepEqual({ ...op, precision: Math.round(op.precision * 1e9) / 1e9 }, { threshold: 0.6, precision: 0.75, recall: 1, fpr: 1 / 3, flagged: 4 });
  assert.equal(precisionAtFpr(s, y, 0).threshold, 0.9);
  close(logLoss([0.8, 0.25], [1, 0]), -(Math.log(0.8) + Math.log(0.75)) / 2);
  // Ties: one positive and one negative at the same score count half.
  close(rocAuc([0.5, 0.5, 0.2], [1, 0, 0]), 0.75);
  assert.deepEqual(rocCurve([0.5, 0.5, 0.2], [1, 0, 0]).map((p) => [p.fpr, p.tpr]), [[0, 0], [0.5, 1], [1, 1]]);
  assert.deepEqual(prCurve([0.5, 0.5, 0.2], [1, 0, 0]).map((p) => [p.recall, p.precision]), [[1, 0.5], [1, 1 / 3]]);
  assert.ok(Number.isNaN(rocAuc([0.1, 0.2], [1, 1])));
});

test('calibration table: equal-count bins, mean predicted vs observed', () => {
  const probs = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9];
  const labels = [0, 0, 1, 0, 1, 0, 1, 1];
  const t = calibrationTable(probs, labels, 4);
  assert.deepEqual(t.map((b) => b.count), [2, 2, 2, 2]);
  assert.deepEqual(t.map((b) => b.observedRate), [0, 0.5, 0.5, 1]);
  t.forEach((b, i) => close(b.meanPredicted, [0.15, 0.35, 0.65, 0.85][i]!));
  assert.equal(calibrationTable(new Float64Array(1000).map((_, i) => i / 1000), new Uint8Array(1000)).length, 10);
});

const scored = fc.array(fc.record({ s: fc.integer({ min: 0, max: 8 }).map((v) => v / 8), y: fc.integer({ min: 0, max: 1 }) }), { minLength: 2, maxLength: 60 })
  .filter((xs) => xs.some((x) => x.y === 1) && xs.some((x) => x.y === 0));

test('AUC equals the fraction of correctly ordered positive/negative pairs (ties half)', () => {
  fc.assert(fc.property(scored, (xs) => {
    let good = 0, pairs = 0;
    for (const p of xs) if (p.y) for (const n of xs) if (!n.y) { pairs++; good += p.s > n.s ? 1 : p.s === n.s ? 0.5 : 0; }
    close(rocAuc(xs.map((x) => x.s), xs.map((x) => x.y)), good / pairs, 1e-12);
    // The trapezoid area under the ROC curve is the same number.
    const c = rocCurve(xs.map((x) => x.s), xs.map((x) => x.y));
    let area = 0;
    for (let i = 1; i < c.length; i++) area += ((c[i]!.fpr - c[i - 1]!.fpr) * (c[i]!.tpr + c[i - 1]!.tpr)) / 2;
    close(area, good / pairs, 1e-12);
  }), { numRuns: 300, seed: 1 });
});

test('AP, KS and precision at FPR match brute force over every distinct threshold', () => {
  fc.assert(fc.property(scored, fc.double({ min: 0, max: 1, noNaN: true }), (xs, maxFpr) => {
    const s = xs.map((x) => x.s), y = xs.map((x) => x.y);
    const P = y.filter(Boolean).length, N = y.length - P;
    const thresholds = [...new Set(s)].sort((a, b) => b - a);
    let ap = 0, prevRecall = 0, ks = 0;
    let op = { threshold: Infinity, precision: NaN };
    for (const t of thresholds) {
      const tp = xs.filter((x) => x.s >= t && x.y).length;
      const fp = xs.filter((x) => x.s >= t && !x.y).length;
      ap += (tp / P - prevRecall) * (tp / (tp + fp));
      prevRecall = tp / P;
      ks = Math.max(ks, Math.abs(tp / P - fp / N));
      if (fp / N <= maxFpr) op = { threshold: t, precision: tp / (tp + fp) };
    }
    close(averagePrecision(s, y), ap, 1e-12);
    close(ksStatistic(s, y), ks, 1e-12);
    const got = precisionAtFpr(s, y, maxFpr);
    assert.equal(got.threshold, op.threshold);
    if (!Number.isNaN(op.precision)) close(got.precision, op.precision, 1e-12);
  }), { numRuns: 300, seed: 2 });
});

test('recall at K matches counting positives in the top K', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 45 }), (xs, k) => {
    const P = xs.filter((x) => x[1]).length;
    if (P === 0) return;
    const top = [...xs].sort((a, b) => b[0] - a[0]).slice(0, k);
    // Ties at the boundary can be ordered either way; compare only when the K-th score is unique.
    if (k > 0 && k < xs.length && top[k - 1]![0] === [...xs].sort((a, b) => b[0] - a[0])[k]![0]) return;
    close(recallAtK(xs.map((x) => x[0]), xs.map((x) => x[1]), k), top.filter((x) => x[1]).length / P);
  }), { numRuns: 300, seed: 3 });
});

test('PSI: zero for the same distribution, small for a resample, large for a shift; hand-checked value', () => {
  let s = 5;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const ref = Float64Array.from({ length: 20_000 }, rand);
  const same = Float64Array.from({ length: 20_000 }, rand);
  const shifted = same.map((v) => v + 0.3);
  close(populationStabilityIndex(ref, ref).psi, 0);
  assert.ok(populationStabilityIndex(ref, same).psi < 0.01);
  assert.ok(populationStabilityIndex(ref, shifted).psi > 0.25);
  // Two bins split at 2; reference 50/50, current 80/20 → 0.3·ln(1.6) + (−0.3)·ln(0.4).
  const r = populationStabilityIndex([1, 1, 3, 3], [1, 1, 1, 1, 1, 1, 1, 1, 3, 3], 2);
  close(r.psi, 0.3 * Math.log(1.6) - 0.3 * Math.log(0.4), 1e-12);
  // A rise in missing values is drift too.
  assert.ok(populationStabilityIndex([1, 2, 3, 4], [1, NaN, NaN, 4]).psi > 1);
});
