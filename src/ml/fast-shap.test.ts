// Fast TreeSHAP checks: equal to the exact recursion (shapInto) on random forests and trained models, base + sum = margin.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Dataset } from './dataset.ts';
import { rowOf } from './dataset.ts';
import { trainGbdt } from './gbdt.ts';
import { FastTreeShap, gaussLegendre01 } from './fast-shap.ts';
import { SeededRandom } from './random.ts';
import { GbdtModel } from './tree-model.ts';
import type { TreeSpec } from './tree-model.ts';

interface ForestShape { seed: number; trees: number; maxDepth: number; features: number; float32: boolean; consistentCover: boolean }

const THRESHOLDS = [-1, 0, 0.1, 1 / 3, 1, 2.5];

/**
 * A random tree: leaves anywhere from the root down to maxDepth, features drawn from a few so paths repeat
 * them, covers from 1e-3 to 100 (children summing to the parent or not), thresholds shared with the rows.
 */
function randomTree(rng: SeededRandom, s: ForestShape): TreeSpec {
  const t: TreeSpec = { feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [] };
  const grow = (depth: number): number => {
    const i = t.feature.length;
    t.feature.push(-1); t.threshold.push(0); t.left.push(-1); t.right.push(-1); t.defaultLeft.push(0); t.value.push(0); t.cover.push(0);
    const leaf = depth === s.maxDepth || (depth > 0 && rng.next() < 0.25) || (depth === 0 && rng.next() < 0.05);
    if (leaf) {
      t.value[i] = rng.nextGaussian();
      t.cover[i] = [1e-3, 0.5, 1, 7, 100][Math.floor(rng.next() * 5)]!;
      return i;
    }
    t.feature[i] = Math.floor(rng.next() * s.features);
    const th = THRESHOLDS[Math.floor(rng.next() * THRESHOLDS.length)]!;
    t.threshold[i] = s.float32 ? Math.fround(th) : th;
    t.defaultLeft[i] = rng.next() < 0.5 ? 1 : 0;
    const l = grow(depth + 1);
    const r = grow(depth + 1);
    t.left[i] = l;
    t.right[i] = r;
    t.cover[i] = s.consistentCover ? t.cover[l]! + t.cover[r]! : (t.cover[l]! + t.cover[r]!) * (0.5 + rng.next());
    return i;
  };
  grow(0);
  return t;
}

function randomForest(s: ForestShape): GbdtModel {
  const rng = new SeededRandom(s.seed);
  const trees = Array.from({ length: s.trees }, () => randomTree(rng, s));
  return new GbdtModel(rng.nextGaussian(), Array.from({ length: s.features }, (_, f) => `f${f}`), trees, s.float32);
}

/** Rows that hit thresholds exactly, just off them (float32 rounding moves those), and NaN. */
function randomRow(rng: SeededRandom, features: number): Float64Array {
  const row = new Float64Array(features);
  for (let f = 0; f < features; f++) {
    const u = rng.next();
    const th = THRESHOLDS[Math.floor(rng.next() * THRESHOLDS.length)]!;
    row[f] = u < 0.15 ? NaN : u < 0.4 ? th : u < 0.6 ? th + (rng.next() - 0.5) * 1e-9 : rng.nextGaussian() * 2;
  }
  return row;
}

/** Splits on a feature already split on above them: the merged-path case. */
function repeatsOnPaths(t: TreeSpec, i = 0, above: number[] = []): number {
  const f = t.feature[i]!;
  if (f < 0) return 0;
  return (above.includes(f) ? 1 : 0) + repeatsOnPaths(t, t.left[i]!, [...above, f]) + repeatsOnPaths(t, t.right[i]!, [...above, f]);
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

function assertSameAsExact(model: GbdtModel, fast: FastTreeShap, rows: Float64Array[]): void {
  const phi = new Float64Array(model.featureNames.length);
  assert.ok(close(fast.base, model.expectedMargin()));
  for (const row of rows) {
    const exact = model.shap(row).contributions;
    fast.shapInto(row, phi);
    for (let f = 0; f < phi.length; f++) assert.ok(close(phi[f]!, exact[f]!), `feature ${f}: fast ${phi[f]} vs exact ${exact[f]}`);
    const total = phi.reduce((a, b) => a + b, fast.base);
    const margin = model.predictMargin(row);
    assert.ok(close(total, margin), `base + sum ${total} vs margin ${margin}`);
  }
}

const forestShape = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  trees: fc.integer({ min: 1, max: 6 }),
  maxDepth: fc.integer({ min: 0, max: 8 }),
  features: fc.integer({ min: 1, max: 9 }),
  float32: fc.boolean(),
  consistentCover: fc.boolean(),
});

test('random forests up to depth 8: fast TreeSHAP equals the exact recursion per feature, and base + sum = margin', () => {
  let repeats = 0;
  fc.assert(
    fc.property(forestShape, (s) => {
      const model = randomForest(s);
      const fast = new FastTreeShap(model);
      assert.equal(fast.exactTrees.length, 0);
      const rng = new SeededRandom(s.seed + 1);
      assertSameAsExact(model, fast, Array.from({ length: 12 }, () => randomRow(rng, s.features)));
      for (const t of model.toJSON().trees) repeats += repeatsOnPaths(t);
    }),
    { numRuns: 150, seed: 11 },
  );
  assert.ok(repeats > 300, `too few splits repeating a feature of their path (${repeats})`);
});

test('paths of more than 6 distinct features take more passes (a larger rule), still exact', () => {
  let deeper = 0;
  fc.assert(
    fc.property(forestShape, fc.integer({ min: 7, max: 14 }), (s, depth) => {
      const model = randomForest({ ...s, maxDepth: depth, features: depth, trees: s.trees + 1 });
      const fast = new FastTreeShap(model);
      assert.equal(fast.exactTrees.length, 0);
      if (fast.passes > 1) deeper++;
      const rng = new SeededRandom(s.seed + 2);
      assertSameAsExact(model, fast, Array.from({ length: 6 }, () => randomRow(rng, depth)));
    }),
    { numRuns: 40, seed: 12 },
  );
  assert.ok(deeper > 20, `too few forests needed a second pass (${deeper})`);
});

test('a tree with a path of more than 30 distinct features falls back to the exact recursion', () => {
  // A chain: split k on feature k, left a leaf, right the next split; 32 distinct features on the last path.
  const n = 32;
  const chain: TreeSpec = { feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [] };
  for (let k = 0; k < n; k++) {
    const i = chain.feature.length;
    chain.feature.push(k, -1); chain.threshold.push(0.5, 0); chain.defaultLeft.push(k % 2, 0);
    chain.left.push(i + 1, -1); chain.right.push(i + 2, -1); chain.value.push(0, (k % 5) / 10 - 0.2);
    chain.cover.push(2 * (n - k) + 1, 1);
  }
  chain.feature.push(-1); chain.threshold.push(0); chain.left.push(-1); chain.right.push(-1); chain.defaultLeft.push(0); chain.value.push(0.7); chain.cover.push(1);
  const other = randomTree(new SeededRandom(3), { seed: 3, trees: 1, maxDepth: 5, features: n, float32: false, consistentCover: true });
  const model = new GbdtModel(0, Array.from({ length: n }, (_, f) => `f${f}`), [other, chain]);
  const fast = new FastTreeShap(model);
  assert.deepEqual([...fast.exactTrees], [1]);
  const rng = new SeededRandom(9);
  assertSameAsExact(model, fast, [new Float64Array(n).fill(1), ...Array.from({ length: 8 }, () => randomRow(rng, n))]);
});

test('Gauss–Legendre rules on [0, 1] integrate t^k exactly for k ≤ 2n − 1', () => {
  for (let n = 1; n <= 12; n++) {
    const { t, w } = gaussLegendre01(n);
    for (let k = 0; k < 2 * n; k++) {
      const sum = t.reduce((s, x, g) => s + w[g]! * x ** k, 0);
      assert.ok(Math.abs(sum - 1 / (k + 1)) < 1e-14, `n=${n} k=${k}: ${sum}`);
    }
  }
  const one = gaussLegendre01(1);
  assert.deepEqual([...one.t, ...one.w], [0.5, 1]);
});

test('single-leaf trees and a lone stump', () => {
  const leaf: TreeSpec = { feature: [-1], threshold: [0], left: [-1], right: [-1], defaultLeft: [0], value: [0.7], cover: [3] };
  const stump: TreeSpec = { feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], defaultLeft: [1, 0, 0], value: [0, -0.4, 0.6], cover: [10, 6, 4] };
  const model = new GbdtModel(0.1, ['x', 'y'], [leaf, stump, leaf]);
  const fast = new FastTreeShap(model);
  assertSameAsExact(model, fast, [Float64Array.of(0.2, 1), Float64Array.of(0.9, NaN), Float64Array.of(NaN, 0)]);
  const phi = new Float64Array(2);
  fast.shapInto(Float64Array.of(0.9, 0), phi);
  // Stump: 0.6 − (0.6·0.4 − 0.4·0.6) = 0.6 − 0 = 0.6 above its mean of 0.
  assert.ok(Math.abs(phi[0]! - 0.6) < 1e-12);
  assert.equal(phi[1], 0);
});

test('a branch no training row reached (cover 0)', () => {
  // f0 < 0.5 ? (f1 < 0 ? 0.3 [cover 4] : −0.8 [cover 0]) : 0.5 [cover 6]
  const t: TreeSpec = {
    feature: [0, 1, -1, -1, -1], threshold: [0.5, 0, 0, 0, 0], left: [1, 2, -1, -1, -1], right: [4, 3, -1, -1, -1],
    defaultLeft: [0, 1, 0, 0, 0], value: [0, 0, 0.3, -0.8, 0.5], cover: [10, 4, 4, 0, 6],
  };
  const model = new GbdtModel(0, ['f0', 'f1'], [t]);
  assertSameAsExact(model, new FastTreeShap(model), [Float64Array.of(0, -1), Float64Array.of(0, 1), Float64Array.of(1, 1), Float64Array.of(NaN, NaN)]);
});

/** Fraud-like rows (as in bench/ml.ts, smaller): thresholds, an interaction, missing values. */
function fraudLike(rows: number, features: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const columns = Array.from({ length: features }, () => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < features; f++) columns[f]![i] = f % 3 === 1 && rng.next() < 0.1 ? NaN : f % 4 === 0 ? Math.floor(-Math.log(1 - rng.next()) * 3) : rng.nextGaussian();
    const x = (f: number): number => columns[f]![i]!;
    const m = -2 + 0.35 * Math.min(x(0), 8) + (x(1) !== x(1) ? 1.2 : 0.6 * x(1)) + (x(2) > 1 ? 1.1 : 0) + (x(3) * x(5) > 0.5 ? 0.9 : -0.2);
    labels[i] = rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }
  return { columns, labels, featureNames: Array.from({ length: features }, (_, f) => `f${f}`), rows };
}

test('trained depth-6 model: same contributions as the exact recursion, float32 inputs on and off', () => {
  const data = fraudLike(4000, 8, 3);
  const { model } = trainGbdt(data, { rounds: 25, maxDepth: 6, learningRate: 0.3 });
  const rows = Array.from({ length: 300 }, (_, i) => rowOf(data, i));
  assertSameAsExact(model, new FastTreeShap(model), rows);
  const json = model.toJSON();
  const f32 = GbdtModel.fromJSON({ ...json, float32Inputs: true, trees: json.trees.map((t) => ({ ...t, threshold: t.threshold.map(Math.fround) })) });
  assertSameAsExact(f32, new FastTreeShap(f32), rows.map((r) => r.map((v) => v + 1e-9)));
});
