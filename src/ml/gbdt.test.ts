// GBDT behaviour: learns nonlinear structure, deterministic per seed, native missing values, early stopping.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from './dataset.ts';
import { rowOf } from './dataset.ts';
import { trainGbdt } from './gbdt.ts';
import { GbdtModel } from './tree-model.ts';
import { trainLogistic } from './logistic.ts';
import { rocAuc } from './metrics.ts';
import { SeededRandom } from './random.ts';

/** Positives inside a ring around the origin plus noise features: no linear score separates that. */
function ring(rows: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const cols = Array.from({ length: 5 }, () => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (const c of cols) c[i] = rng.next() * 4 - 2;
    const r2 = cols[0]![i]! ** 2 + cols[1]![i]! ** 2;
    labels[i] = (r2 < 1.2 ? 0.9 : 0.08) > rng.next() ? 1 : 0;
  }
  return { columns: cols, labels, featureNames: ['x', 'y', 'noise_a', 'noise_b', 'noise_c'], rows };
}

test('learns a nonlinear boundary that logistic regression cannot', () => {
  const train = ring(6000, 1);
  const held = ring(3000, 2);
  const { model } = trainGbdt(train, { rounds: 60, maxDepth: 4, learningRate: 0.2 });
  const auc = rocAuc(model.predictDataset(held), held.labels);
  const linearAuc = rocAuc(trainLogistic(train).predictDataset(held), held.labels);
  // Bayes-optimal AUC for this noise level is ≈ 0.872.
  assert.ok(auc > 0.85, `gbdt auc ${auc}`);
  assert.ok(linearAuc < 0.65, `linear auc ${linearAuc}`);
});

test('same seed gives the same model; another seed a different one (with sampling)', () => {
  const data = ring(3000, 3);
  const opts = { rounds: 15, rowSubsample: 0.7, colSubsample: 0.6, seed: 11 };
  const a = JSON.stringify(trainGbdt(data, opts).model.toJSON());
  const b = JSON.stringify(trainGbdt(data, opts).model.toJSON());
  const c = JSON.stringify(trainGbdt(data, { ...opts, seed: 12 }).model.toJSON());
  assert.equal(a, b);
  assert.notEqual(a, c);
});

function missingSignal(rows: number, missingIsPositive: boolean, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const x = new Float64Array(rows);
  const z = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const missing = rng.next() < 0.3;
    x[i] = missing ? NaN : rng.next() * 10;
    z[i] = rng.next();
    const positive = missing ? missingIsPositive : x[i]! > 8;
    labels[i] = positive ? 1 : 0;
  }
  return { columns: [x, z], labels, featureNames: ['days_since_phone_verified', 'noise'], rows };
}

test('missing values take a learned default branch, in either direction', () => {
  for (const missingIsPositive of [true, false]) {
    const { model } = trainGbdt(missingSignal(4000, missingIsPositive, 5), { rounds: 30, maxDepth: 3, learningRate: 0.3 });
    const pMissing = model.predict([NaN, 0.5]);
    const pLow = model.predict([2, 0.5]);
    const pHigh = model.predict([9, 0.5]);
    if (missingIsPositive) assert.ok(pMissing > 0.9, `missing → ${pMissing}`);
    else assert.ok(pMissing < 0.1, `missing → ${pMissing}`);
    assert.ok(pLow < 0.1 && pHigh > 0.9, `low ${pLow} high ${pHigh}`);
  }
});

test('early stopping stops when validation loss stops improving and keeps the best prefix', () => {
  const rng = new SeededRandom(9);
  const noise = (rows: number): Dataset => {
    const cols = [new Float64Array(rows), new Float64Array(rows)];
    const labels = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) { cols[0]![i] = rng.next(); cols[1]![i] = rng.next(); labels[i] = rng.next() < 0.3 ? 1 : 0; }
    return { columns: cols, labels, featureNames: ['a', 'b'], rows };
  };
  const r = trainGbdt(noise(2000), { rounds: 300, maxDepth: 6, learningRate: 0.3, earlyStoppingRounds: 5 }, noise(1000));
  assert.ok(r.stoppedEarly);
  assert.ok(r.bestRounds < 20, `kept ${r.bestRounds}`);
  assert.equal(r.model.treeCount, r.bestRounds);
  assert.ok(r.validHistory.length < 300 && r.validHistory.length === r.bestRounds + 5);
  const best = Math.min(...r.validHistory);
  assert.equal(r.validHistory[r.bestRounds - 1], best);
});

test('JSON round trip predicts identically', () => {
  const data = ring(2000, 4);
  const { model } = trainGbdt(data, { rounds: 20 });
  const copy = GbdtModel.fromJSON(JSON.parse(JSON.stringify(model)));
  for (let i = 0; i < 200; i++) {
    const x = rowOf(data, i);
    assert.equal(copy.predictMargin(x), model.predictMargin(x));
  }
  assert.deepEqual(copy.predictDataset(data), model.predictDataset(data));
});

test('per-row and whole-dataset prediction agree, including missing values', () => {
  const data = missingSignal(1500, true, 8);
  const { model } = trainGbdt(data, { rounds: 10, rowSubsample: 0.8 });
  const all = model.predictDataset(data);
  for (let i = 0; i < data.rows; i++) assert.equal(model.predict(rowOf(data, i)), all[i]);
});

test('tree shape limits: maxDepth and maxLeaves (loss-guided) hold', () => {
  const data = ring(3000, 6);
  const depth = (t: { feature: number[]; left: number[]; right: number[] }, i = 0): number =>
    t.feature[i]! < 0 ? 0 : 1 + Math.max(depth(t, t.left[i]!), depth(t, t.right[i]!));
  const deep = trainGbdt(data, { rounds: 5, maxDepth: 3, minChildWeight: 0 }).model.toJSON().trees;
  assert.ok(deep.every((t) => depth(t) <= 3) && deep.some((t) => depth(t) === 3));
  const guided = trainGbdt(data, { rounds: 5, maxDepth: 0, maxLeaves: 7, growPolicy: 'lossguide', minChildWeight: 0 }).model.toJSON().trees;
  const leaves = guided.map((t) => t.feature.filter((f) => f < 0).length);
  assert.ok(leaves.every((n) => n <= 7) && leaves.some((n) => n === 7), `leaves ${leaves}`);
});

test('scalePosWeight raises scores for the rare class', () => {
  const data = ring(3000, 7);
  const plain = trainGbdt(data, { rounds: 20 }).model.predictDataset(data);
  const weighted = trainGbdt(data, { rounds: 20, scalePosWeight: 5 }).model.predictDataset(data);
  const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(mean(weighted) > mean(plain) + 0.1, `${mean(weighted)} vs ${mean(plain)}`);
});

test('minSplitGain and minChildWeight prune: huge values give a stump-free model', () => {
  const data = ring(1000, 8);
  const a = trainGbdt(data, { rounds: 3, minSplitGain: 1e9 }).model.toJSON().trees;
  const b = trainGbdt(data, { rounds: 3, minChildWeight: 1e9 }).model.toJSON().trees;
  for (const t of [...a, ...b]) assert.equal(t.feature.length, 1);
});

test('bad input is rejected with a message', () => {
  const data: Dataset = { columns: [new Float64Array(3)], labels: new Uint8Array([0, 2, 1]), featureNames: ['a'], rows: 3 };
  assert.throws(() => trainGbdt(data), /label at row 1/);
});
