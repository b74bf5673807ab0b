// Leak-free splits: entities never straddle train and test; time splits respect the cutoff.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { entityHash, splitByEntity, splitByTime } from './split.ts';

test('no entity on both sides, every row on exactly one side', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.string({ maxLength: 4 })), { maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (ents, frac) => {
    const { train, test: held } = splitByEntity(ents, frac, 'salt');
    assert.equal(train.length + held.length, ents.length);
    const trainSet = new Set(Array.from(train, (i) => ents[i]));
    for (const i of held) assert.ok(!trainSet.has(ents[i]!), `entity ${String(ents[i])} on both sides`);
    assert.deepEqual([...train, ...held].sort((a, b) => a - b), ents.map((_, i) => i));
  }), { numRuns: 200, seed: 4 });
});

test('entity split fraction is close to the requested share and the salt reshuffles', () => {
  const ents = Array.from({ length: 20_000 }, (_, i) => `acct_${i}`);
  const a = splitByEntity(ents, 0.2);
  assert.ok(Math.abs(a.test.length / ents.length - 0.2) < 0.015, `${a.test.length}`);
  const b = splitByEntity(ents, 0.2, 'other');
  assert.notDeepEqual(a.test, b.test);
  assert.equal(entityHash('acct_1'), entityHash('acct_1'));
});

test('time split: train strictly before the cutoff, test at/after cutoff + gap', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 50 }), (ts, cutoff, gap) => {
    const { train, test: held } = splitByTime(ts, cutoff, gap);
    for (const i of train) assert.ok(ts[i]! < cutoff);
    for (const i of held) assert.ok(ts[i]! >= cutoff + gap);
    assert.equal(train.length + held.length, ts.filter((t) => t < cutoff || t >= cutoff + gap).length);
  }), { numRuns: 200, seed: 5 });
});
