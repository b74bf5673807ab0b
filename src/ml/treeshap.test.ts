// TreeSHAP checks: local accuracy on random models, and equality with brute-force Shapley values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { datasetFromRows, rowOf } from './dataset.ts';
import { trainGbdt } from './gbdt.ts';
import type { GbdtModel, TreeSpec } from './tree-model.ts';
import { topReasons } from './explain.ts';

const smallData = fc.record({
  features: fc.integer({ min: 1, max: 4 }),
  rows: fc.integer({ min: 8, max: 50 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  depth: fc.integer({ min: 1, max: 4 }),
  rounds: fc.integer({ min: 1, max: 6 }),
  missingRate: fc.constantFrom(0, 0.2),
  policy: fc.constantFrom('depthwise' as const, 'lossguide' as const),
});

function build(c: { features: number; rows: number; seed: number; depth: number; rounds: number; missingRate: number; policy: 'depthwise' | 'lossguide' }): { model: GbdtModel; rows: Float64Array[] } {
  let s = c.seed;
  const rand = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const rows: (number | null)[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < c.rows; i++) {
    const r: (number | null)[] = [];
    for (let f = 0; f < c.features; f++) r.push(rand() < c.missingRate ? null : Math.floor(rand() * 6));
    rows.push(r);
    labels.push(((r[0] ?? 3) + (r[c.features - 1] ?? 0) > 5 ? 0.8 : 0.2) > rand() ? 1 : 0);
  }
  const data = datasetFromRows(rows, labels);
  const { model } = trainGbdt(data, { rounds: c.rounds, maxDepth: c.depth, minChildWeight: 0, learningRate: 0.5, lambda: 0.5, growPolicy: c.policy, maxLeaves: c.policy === 'lossguide' ? 5 : 0, seed: c.seed });
  return { model, rows: Array.from({ length: data.rows }, (_, i) => rowOf(data, i)) };
}

/** Path-dependent conditional expectation E[f(x) | x_S] for one tree (the value function TreeSHAP explains). */
function expectation(t: TreeSpec, x: Float64Array, inS: (f: number) => boolean, i = 0): number {
  const f = t.feature[i]!;
  if (f < 0) return t.value[i]!;
  if (inS(f)) {
    const v = x[f]!;
    const left = v < t.threshold[i]! ? true : v >= t.threshold[i]! ? false : t.defaultLeft[i] === 1;
    return expectation(t, x, inS, left ? t.left[i]! : t.right[i]!);
  }
  const l = t.left[i]!, r = t.right[i]!;
  return (t.cover[l]! * expectation(t, x, inS, l) + t.cover[r]! * expectation(t, x, inS, r)) / t.cover[i]!;
}

function bruteShapley(model: GbdtModel, x: Float64Array): Float64Array {
  const M = model.featureNames.length;
  const trees = model.toJSON().trees;
  const value = (mask: number): number => trees.reduce((s, t) => s + expectation(t, x, (f) => ((mask >> f) & 1) === 1), 0);
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if ((mask >> i) & 1) continue;
      let size = 0;
      for (let b = 0; b < M; b++) size += (mask >> b) & 1;
      phi[i] += ((fact(size) * fact(M - size - 1)) / fact(M)) * (value(mask | (1 << i)) - value(mask));
    }
  }
  return phi;
}

test('base value + contributions = margin for every row (local accuracy)', () => {
  fc.assert(
    fc.property(smallData, (c) => {
      const { model, rows } = build(c);
      for (const x of rows) {
        const { base, contributions } = model.shap(x);
        const total = contributions.reduce((a, b) => a + b, base);
        assert.ok(Math.abs(total - model.predictMargin(x)) < 1e-9, `sum ${total} vs margin ${model.predictMargin(x)}`);
      }
    }),
    { numRuns: 60, seed: 42 },
  );
});

test('TreeSHAP equals brute-force Shapley values over feature subsets', () => {
  let splits = 0;
  fc.assert(
    fc.property(smallData, (c) => {
      const { model, rows } = build(c);
      splits += model.toJSON().trees.reduce((s, t) => s + t.feature.filter((f) => f >= 0).length, 0);
      for (const x of rows.slice(0, 10)) {
        const fast = model.shap(x).contributions;
        const slow = bruteShapley(model, x);
        for (let f = 0; f < fast.length; f++) assert.ok(Math.abs(fast[f]! - slow[f]!) < 1e-9, `feature ${f}: ${fast[f]} vs ${slow[f]}`);
      }
    }),
    { numRuns: 60, seed: 7 },
  );
  assert.ok(splits > 200, `models too trivial to test anything (${splits} splits)`);
});

test('a feature the model never splits on gets zero contribution', () => {
  // Column 1 is constant, so no split can use it.
  const rows = Array.from({ length: 60 }, (_, i) => [i % 7, 4, (i * 13) % 5]);
  const data = datasetFromRows(rows, rows.map((r) => (r[0]! + r[2]! > 6 ? 1 : 0)));
  const { model } = trainGbdt(data, { rounds: 4, maxDepth: 3, minChildWeight: 0 });
  assert.ok(model.toJSON().trees.some((t) => t.feature.some((f) => f >= 0)));
  for (let i = 0; i < data.rows; i++) {
    const c = model.shap(rowOf(data, i)).contributions;
    assert.equal(c[1], 0);
    assert.ok(c[0] !== 0 || c[2] !== 0);
  }
});

test('topReasons picks the largest contributions with names and signs', () => {
  const names = ['ip_velocity', 'account_age', 'device_shared', 'email_domain_risk'];
  const c = [0.4, -1.2, 0, 0.9];
  assert.deepEqual(topReasons(c, names, 2), [
    { feature: 'account_age', contribution: -1.2, sign: -1 },
    { feature: 'email_domain_risk', contribution: 0.9, sign: 1 },
  ]);
  assert.deepEqual(topReasons(c, names, 5, 'raising').map((r) => r.feature), ['email_domain_risk', 'ip_velocity']);
  assert.deepEqual(topReasons(c, names, 0), []);
});
