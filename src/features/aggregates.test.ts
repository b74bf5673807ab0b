// Property tests: every aggregate against a naive recomputation over the added observations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeySpace } from './keyspace.ts';
import { createAggregate, DISTINCT_EXACT_LIMIT, WindowedDistinct } from './aggregates.ts';
import type { AggKind, StoredAggregate } from './aggregates.ts';
import { tilingFor } from './tiling.ts';
import { hash53 } from './hash.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Obs { key: number; ts: number; value: number }

/** The window semantics, computed the slow way. */
function naive(kind: AggKind, obs: Obs[], key: number, ts: number, windowMs: number, latenessMs: number): number | null {
  const xs = obs.filter((o) => o.key === key);
  if (kind === 'first_seen') return xs.length === 0 ? null : Math.min(...xs.map((o) => o.ts));
  if (kind === 'last_seen') return xs.length === 0 ? null : Math.max(...xs.map((o) => o.ts));
  const { tileMs, tiles } = tilingFor(windowMs, latenessMs);
  const hi = Math.floor(ts / tileMs);
  const lo = hi - tiles + 1;
  const inWin = xs.filter((o) => { const t = Math.floor(o.ts / tileMs); return t >= lo && t <= hi; });
  const vals = inWin.map((o) => o.value);
  switch (kind) {
    case 'count': return inWin.length;
    case 'rate': return inWin.length / ((tiles * tileMs) / 60000);
    case 'sum': return vals.reduce((a, b) => a + b, 0);
    case 'min': return vals.length === 0 ? null : Math.min(...vals);
    case 'max': return vals.length === 0 ? null : Math.max(...vals);
    case 'mean': return vals.length === 0 ? null : vals.reduce((a, b) => a + b, 0) / vals.length;
    case 'distinct': return new Set(vals).size;
  }
}

const TILED: AggKind[] = ['count', 'rate', 'sum', 'min', 'max', 'mean', 'distinct'];

const windowArb = fc.oneof(
  fc.constantFrom(10 * SEC, MIN, 5 * MIN, HOUR, DAY, 7 * DAY),
  fc.integer({ min: SEC, max: 3 * DAY }),
);

const stepArb = fc.record({
  key: fc.integer({ min: 0, max: 4 }),
  // Mostly small steps, sometimes a jump past every ring so rows expire.
  dtScale: fc.constantFrom(0, 0.01, 0.1, 0.3, 0.3, 1, 5),
  dtFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  veryLate: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
  value: fc.integer({ min: -50, max: 50 }),
  readKey: fc.integer({ min: 0, max: 4 }),
  readBack: fc.double({ min: 0, max: 1, noNaN: true }),
  readSnap: fc.constantFrom('none', 'none', 'tile', 'tileMinus1'),
});

test('tiled aggregates and first/last seen equal the naive window over random out-of-order streams', () => {
  fc.assert(fc.property(
    windowArb,
    fc.constantFrom(0, 5 * SEC, MIN, 5 * MIN, HOUR),
    fc.integer({ min: 0, max: 2 * 10 ** 12 }),
    fc.array(stepArb, { minLength: 1, maxLength: 120 }),
    (windowMs, latenessMs, start, steps) => {
      const ks = new KeySpace('device');
      const seenKs = new KeySpace('account');
      const opts = { latenessMs };
      const aggs: StoredAggregate[] = TILED.map((kind) => createAggregate({ signature: kind, kind, keyspace: 'device', windowMs }, ks, opts));
      const seen = (['first_seen', 'last_seen'] as const).map((kind) => createAggregate({ signature: kind, kind, keyspace: 'account', windowMs: 0 }, seenKs, opts));
      const { tileMs } = tilingFor(windowMs, latenessMs);
      const obs: Obs[] = [];
      let clock = start;
      let wm = -Infinity;
      for (const s of steps) {
        clock += Math.floor(s.dtScale * s.dtFrac * windowMs);
        let ts = clock - Math.floor(s.jitter * latenessMs);
        if (s.veryLate) ts -= Math.floor(windowMs * (1 + s.jitter * 3)) + latenessMs;
        if (ts > wm) wm = ts;
        const key = 'k' + s.key;
        const row = ks.ensure(key, ts);
        for (const a of aggs) a.add(row, ts, s.value);
        const srow = seenKs.ensure(key, ts);
        for (const a of seen) a.add(srow, ts, s.value);
        obs.push({ key: s.key, ts, value: s.value });
        ks.evictStep(wm);
        seenKs.evictStep(wm);

        // Read somewhere in [watermark - lateness, watermark], sometimes exactly on a tile edge.
        let rts = wm - Math.floor(s.readBack * latenessMs);
        if (s.readSnap === 'tile') rts = Math.ceil(rts / tileMs) * tileMs;
        if (s.readSnap === 'tileMinus1') rts = Math.ceil(rts / tileMs) * tileMs - 1;
        if (rts < wm - latenessMs) rts = wm - latenessMs;
        const rrow = ks.row('k' + s.readKey);
        for (const a of aggs) {
          const want = naive(a.spec.kind, obs, s.readKey, rts, windowMs, latenessMs);
          assert.equal(a.read(rrow, rts), want, `${a.spec.kind} key ${s.readKey} at ${rts}`);
        }
        const srrow = seenKs.row('k' + s.readKey);
        for (const a of seen) assert.equal(a.read(srrow, rts), naive(a.spec.kind, obs, s.readKey, rts, 0, latenessMs));
      }
    },
  ), { numRuns: 250 });
});

test('empty reads: unknown row and untouched row read 0 or null by kind', () => {
  const ks = new KeySpace('ip');
  const kinds: AggKind[] = ['count', 'rate', 'sum', 'min', 'max', 'mean', 'distinct', 'first_seen', 'last_seen'];
  const aggs = kinds.map((kind) => createAggregate({ signature: kind, kind, keyspace: 'ip', windowMs: kind.endsWith('seen') ? 0 : HOUR }, ks, { latenessMs: MIN }));
  const row = ks.ensure('1.2.3.4', 1000);
  const want: Record<AggKind, number | null> = { count: 0, rate: 0, sum: 0, min: null, max: null, mean: null, distinct: 0, first_seen: null, last_seen: null };
  for (const a of aggs) {
    assert.equal(a.read(-1, 1000), want[a.spec.kind], a.spec.kind);
    assert.equal(a.read(row, 1000), want[a.spec.kind], a.spec.kind);
    a.add(-1, 1000, 5); // ignored, must not throw
  }
});

test('non-finite values are ignored by value aggregates but still counted', () => {
  const ks = new KeySpace('card');
  const mk = (kind: AggKind) => createAggregate({ signature: kind, kind, keyspace: 'card', windowMs: HOUR }, ks, { latenessMs: 0 });
  const count = mk('count'); const sum = mk('sum'); const min = mk('min'); const mean = mk('mean');
  const r = ks.ensure('c1', 0);
  for (const v of [5, NaN, Infinity, -Infinity, 7]) for (const a of [count, sum, min, mean]) a.add(r, 10, v);
  assert.equal(count.read(r, 10), 5);
  assert.equal(sum.read(r, 10), 12);
  assert.equal(min.read(r, 10), 5);
  assert.equal(mean.read(r, 10), 6);
});

test('rate is events per minute over the covered window', () => {
  const ks = new KeySpace('account');
  const rate = createAggregate({ signature: 'r', kind: 'rate', keyspace: 'account', windowMs: HOUR }, ks, { latenessMs: 0 });
  const r = ks.ensure('a', 0);
  for (let i = 0; i < 120; i++) rate.add(r, i * 1000, 0);
  assert.equal(rate.read(r, 120_000), 2); // 120 events over 60 minutes
});

test('distinct: exact below the limit, HLL past it, and stays close while the window slides', () => {
  const ks = new KeySpace('account');
  const windowMs = HOUR;
  const latenessMs = 5 * MIN;
  const d = createAggregate({ signature: 'd', kind: 'distinct', keyspace: 'account', windowMs }, ks, { latenessMs }) as WindowedDistinct;
  const { tileMs, tiles } = tilingFor(windowMs, latenessMs);
  const obs: Obs[] = [];
  const row = ks.ensure('a', 0);
  // Phase 1: few values, exact.
  for (let i = 0; i < 200; i++) { const ts = i * 1000; d.add(row, ts, hash53('v' + (i % 150))); obs.push({ key: 0, ts, value: hash53('v' + (i % 150)) }); }
  assert.equal(d.read(row, 199_000), 150);
  assert.equal(d.sketchedRows, 0);
  // Phase 2: many values spread over 4 hours so the window slides across the switch.
  let next = 1000;
  for (let ts = 200_000; ts < 4 * HOUR; ts += 500) {
    const v = hash53('v' + next++);
    d.add(row, ts, v);
    obs.push({ key: 0, ts, value: v });
    if (ts % (7 * MIN) === 0) {
      const want = naive('distinct', obs, 0, ts, windowMs, latenessMs)!;
      const got = d.read(row, ts);
      assert.ok(Math.abs(got - want) <= Math.max(3, want * 0.06), `at ${ts}: got ${got}, want ${want}`);
      const back = ts - latenessMs;
      const wantBack = naive('distinct', obs, 0, back, windowMs, latenessMs)!;
      assert.ok(Math.abs(d.read(row, back) - wantBack) <= Math.max(3, wantBack * 0.06));
    }
  }
  assert.equal(d.sketchedRows, 1);
  // Phase 3: a long quiet spell empties the ring; the row returns to exact counting.
  const later = 10 * HOUR;
  for (let i = 0; i < 20; i++) d.add(row, later + i, i);
  assert.equal(d.sketchedRows, 0);
  assert.equal(d.read(row, later + 100), 20);
  assert.ok(tiles * tileMs >= windowMs);
  assert.ok(DISTINCT_EXACT_LIMIT >= 150);
});
