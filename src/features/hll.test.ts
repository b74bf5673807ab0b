// Accuracy and merge tests for the HyperLogLog sketch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hllAdd, hllCreate, hllEstimate, hllEstimateClassic, hllMerge } from './hll.ts';
import { hash53 } from './hash.ts';

test('HLL: 10k-200k distinct values within 2% on average and 6% each', () => {
  const errors: number[] = [];
  for (const n of [10_000, 30_000, 100_000, 200_000]) {
    for (let seed = 1; seed <= 4; seed++) {
      const regs = hllCreate();
      // Every value added twice: duplicates must not count.
      for (let i = 0; i < n; i++) { const h = hash53(`v${seed}:${i}`); hllAdd(regs, h); hllAdd(regs, h); }
      const err = Math.abs(hllEstimate(regs) / n - 1);
      assert.ok(err < 0.06, `n=${n} seed=${seed} error ${(err * 100).toFixed(2)}%`);
      errors.push(err);
    }
  }
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  assert.ok(mean < 0.02, `mean error ${(mean * 100).toFixed(2)}%`);
});

test('HLL: small counts are near exact (linear-counting range)', () => {
  for (const n of [0, 1, 10, 100, 1000]) {
    const regs = hllCreate();
    for (let i = 0; i < n; i++) hllAdd(regs, i); // raw small integers: the sketch re-mixes them
    const est = hllEstimate(regs);
    assert.ok(Math.abs(est - n) <= Math.max(1, n * 0.03), `n=${n} est=${est}`);
    const classic = hllEstimateClassic(regs);
    assert.ok(Math.abs(classic - n) <= Math.max(1, n * 0.03), `classic n=${n} est=${classic}`);
  }
});

test('HLL: merge is the union', () => {
  const a = hllCreate();
  const b = hllCreate();
  const both = hllCreate();
  for (let i = 0; i < 30_000; i++) { hllAdd(a, i); hllAdd(both, i); }
  for (let i = 20_000; i < 50_000; i++) { hllAdd(b, i); hllAdd(both, i); }
  hllMerge(a, b);
  assert.deepEqual(a, both);
  assert.ok(Math.abs(hllEstimate(a) / 50_000 - 1) < 0.06);
});
