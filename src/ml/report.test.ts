// The training report: curves, calibration and importance come from the test rows, and importance finds the signal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from './dataset.ts';
import { trainingReport } from './experiment.ts';
import { trainGbdt } from './gbdt.ts';
import { trainLogistic } from './logistic.ts';
import { SeededRandom } from './random.ts';

/** Label driven by `signal` (and a little by `weak`); the rest is noise. */
function data(rows: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const cols = Array.from({ length: 4 }, () => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (const c of cols) c[i] = rng.next() * 2 - 1;
    const p = 1 / (1 + Math.exp(-(4 * cols[0]![i]! + 0.8 * cols[1]![i]! - 1)));
    labels[i] = rng.next() < p ? 1 : 0;
  }
  return { columns: cols, labels, featureNames: ['signal', 'weak', 'noise_a', 'noise_b'], rows };
}

test('training report: importance ranks the signal first for trees and for linear models; curves and calibration cover the test rows', () => {
  const train = data(4000, 1);
  const held = data(2000, 2);
  const { model } = trainGbdt(train, { rounds: 40, maxDepth: 3, learningRate: 0.2 });
  const scores = model.predictDataset(held);
  const r = trainingReport(scores, held.labels, held, (row, out) => out.set(model.shap(row).contributions));
  assert.deepEqual(r.importance.slice(0, 2).map((x) => x.feature), ['signal', 'weak']);
  assert.ok(r.importance[0]!.mean_abs > 3 * r.importance[2]!.mean_abs, JSON.stringify(r.importance));
  assert.ok(r.roc.length <= 100 && r.roc.length >= 10);
  assert.deepEqual([r.roc[0]!.fpr, r.roc[0]!.tpr], [0, 0]);
  assert.deepEqual([r.roc.at(-1)!.fpr, r.roc.at(-1)!.tpr], [1, 1]);
  for (let i = 1; i < r.roc.length; i++) assert.ok(r.roc[i]!.fpr >= r.roc[i - 1]!.fpr && r.roc[i]!.tpr >= r.roc[i - 1]!.tpr, 'ROC is monotone');
  assert.ok(r.pr.length <= 100 && r.pr.every((p) => p.precision >= 0 && p.precision <= 1 && p.recall >= 0 && p.recall <= 1));
  assert.equal(r.calibration.reduce((s, b) => s + b.count, 0), held.rows);

  const linear = trainLogistic(train);
  const lr = trainingReport(linear.predictDataset(held), held.labels, held, (row, out) => out.set(linear.contributions(row).contributions));
  assert.equal(lr.importance[0]!.feature, 'signal');
});
