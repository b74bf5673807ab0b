// Tests for tile sizing and hashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tilingFor, TILE_LADDER, MAX_TILES } from './tiling.ts';
import { hash53, hash32, mix53 } from './hash.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

test('tilingFor picks ladder tiles for common windows', () => {
  assert.deepEqual(tilingFor(HOUR, 5 * MIN), { tileMs: 5 * MIN, tiles: 12, ring: 14 });
  assert.deepEqual(tilingFor(DAY, 5 * MIN), { tileMs: 2 * HOUR, tiles: 12, ring: 14 });
  assert.deepEqual(tilingFor(10_000, 0), { tileMs: 1000, tiles: 10, ring: 11 });
  assert.deepEqual(tilingFor(25 * MIN, 5 * MIN), { tileMs: 5 * MIN, tiles: 5, ring: 7 });
  assert.deepEqual(tilingFor(30 * DAY, 5 * MIN), { tileMs: 3 * DAY, tiles: 10, ring: 12 });
  // Beyond 12 x 30 days the largest tile is kept and more tiles are used.
  assert.deepEqual(tilingFor(400 * DAY, 0), { tileMs: 30 * DAY, tiles: 14, ring: 15 });
});

test('tilingFor: smallest ladder tile with at most 12 tiles; ring covers window and lateness', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 360 * DAY }), fc.integer({ min: 0, max: 2 * HOUR }), (w, late) => {
    const t = tilingFor(w, late);
    assert.ok(TILE_LADDER.includes(t.tileMs));
    assert.equal(t.tiles, Math.ceil(w / t.tileMs));
    assert.ok(t.tiles <= MAX_TILES);
    const i = TILE_LADDER.indexOf(t.tileMs);
    if (i > 0) assert.ok(Math.ceil(w / TILE_LADDER[i - 1]!) > MAX_TILES);
    assert.equal(t.ring, t.tiles + Math.ceil(late / t.tileMs) + 1);
  }), { numRuns: 300 });
});

test('hash53 is a deterministic safe integer, seeds and inputs change it', () => {
  const a = hash53('device:abc');
  assert.equal(a, hash53('device:abc'));
  assert.ok(Number.isSafeInteger(a) && a >= 0);
  assert.notEqual(a, hash53('device:abd'));
  assert.notEqual(a, hash53('device:abc', 1));
  const b = hash32('x');
  assert.ok(Number.isInteger(b) && b >= 0 && b < 2 ** 32);
});

test('hash53 and mix53 have no collisions on 200k inputs and spread their top bits', () => {
  const seen = new Set<number>();
  const mixed = new Set<number>();
  const topBuckets = new Uint32Array(16);
  for (let i = 0; i < 200_000; i++) {
    const h = hash53('acct:' + i);
    seen.add(h);
    const m = mix53(i);
    assert.ok(Number.isSafeInteger(m) && m >= 0);
    mixed.add(m);
    topBuckets[Math.floor(h / 2 ** 49)]!++;
  }
  assert.equal(seen.size, 200_000);
  assert.equal(mixed.size, 200_000);
  for (const c of topBuckets) assert.ok(Math.abs(c - 12_500) < 600, `top-bit bucket ${c}`);
});
