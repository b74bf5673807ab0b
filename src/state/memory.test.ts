// Tests for the embedded store: sharing, watermark and lateness, dedupe, eviction, persona, snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryStore } from './memory.ts';
import { hash53, WindowedDistinct } from '../features/index.ts';
import type { AggregateSpec, AggKind } from '../features/index.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Decision { verdict: string; score: number }

const SPECS: AggregateSpec[] = [
  { signature: 'count(device,1h)', kind: 'count', keyspace: 'device', windowMs: HOUR },
  { signature: 'sum(device,amount,1d)', kind: 'sum', keyspace: 'device', windowMs: DAY },
  { signature: 'min(device,amount,10m)', kind: 'min', keyspace: 'device', windowMs: 10 * MIN },
  { signature: 'max(device,amount,10m)', kind: 'max', keyspace: 'device', windowMs: 10 * MIN },
  { signature: 'mean(device,amount,1h)', kind: 'mean', keyspace: 'device', windowMs: HOUR },
  { signature: 'rate(device,5m)', kind: 'rate', keyspace: 'device', windowMs: 5 * MIN },
  { signature: 'distinct(device,account,1h)', kind: 'distinct', keyspace: 'device', windowMs: HOUR },
  { signature: 'distinct(ip,account,1d)', kind: 'distinct', keyspace: 'ip', windowMs: DAY },
  { signature: 'first_seen(account)', kind: 'first_seen', keyspace: 'account', windowMs: 0 },
  { signature: 'last_seen(account)', kind: 'last_seen', keyspace: 'account', windowMs: 0 },
  { signature: 'count(account,ip,1h)', kind: 'count', keyspace: 'account,ip', windowMs: HOUR },
];

interface Ev { id: string; ts: number; device: string; ip: string; account: string; amount: number }

function apply(store: MemoryStore<Decision>, e: Ev): Decision {
  const before = store.prior(e.id);
  if (before !== undefined) return before;
  const keyOf: Record<string, string> = { device: e.device, ip: e.ip, account: e.account, 'account,ip': e.account + ',' + e.ip };
  const score = store.aggregate(SPECS[0]!).read(store.keyspace('device').row(e.device), e.ts) ?? 0;
  for (const spec of SPECS) {
    const ks = store.keyspace(spec.keyspace);
    const row = ks.ensure(keyOf[spec.keyspace]!, e.ts);
    const value = spec.kind === 'distinct' ? hash53(e.account) : e.amount;
    store.aggregate(spec).add(row, e.ts, value);
  }
  const d = { verdict: score > 3 ? 'review' : 'allow', score };
  store.record(e.id, e.ts, d);
  return d;
}

function readAll(store: MemoryStore<Decision>, keys: Record<string, string[]>, ts: number): unknown[] {
  const out: unknown[] = [];
  for (const [space, ks] of Object.entries(keys)) for (const k of ks) out.push(store.persona(space, k, ts));
  return out;
}

const evArb = (n: number) => fc.array(fc.record({
  dt: fc.integer({ min: 0, max: 5 * MIN }),
  jitter: fc.integer({ min: 0, max: 5 * MIN }),
  device: fc.integer({ min: 0, max: 3 }),
  ip: fc.integer({ min: 0, max: 2 }),
  account: fc.integer({ min: 0, max: 2000 }),
  amount: fc.integer({ min: 0, max: 10_000 }),
  dup: fc.integer({ min: 0, max: 19 }),
}), { minLength: 1, maxLength: n, size: 'max' }).map((xs) => {
  let clock = 1.7e12;
  return xs.map((x, i): Ev => {
    clock += x.dt;
    const id = x.dup === 0 && i > 0 ? 'e' + (i - 1) : 'e' + i; // some resends of the previous id
    return { id, ts: clock - x.jitter, device: 'd' + x.device, ip: '10.0.0.' + x.ip, account: 'a' + x.account, amount: x.amount };
  });
});

const READ_KEYS = {
  device: ['d0', 'd1', 'd2', 'd3', 'nobody'],
  ip: ['10.0.0.0', '10.0.0.1', '10.0.0.2'],
  account: ['a0', 'a1', 'a7'],
  'account,ip': ['a0,10.0.0.0', 'a1,10.0.0.1'],
};

test('snapshot mid-stream, restore, continue both: every read, decision and stat stays equal', () => {
  let sketched = 0;
  fc.assert(fc.property(evArb(600), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 5 * MIN }), (events, cut, back) => {
    const a = new MemoryStore<Decision>({ latenessMs: 5 * MIN });
    // Warm-up burst: one IP sees 300 accounts, so its distinct state is in HLL mode at the cut.
    for (let i = 0; i < 300; i++) apply(a, { id: 'w' + i, ts: 1.7e12 - 300_000 + i * 1000, device: 'd0', ip: '10.0.0.0', account: 'w' + i, amount: i });
    const k = Math.floor(cut * events.length);
    for (let i = 0; i < k; i++) apply(a, events[i]!);
    sketched += (a.aggregate(SPECS[7]!) as WindowedDistinct).sketchedRows;
    const b = MemoryStore.restore<Decision>(a.snapshot());
    assert.deepEqual(b.stats(), a.stats());
    assert.equal(b.watermark, a.watermark);
    for (let i = k; i < events.length; i++) {
      const e = events[i]!;
      assert.deepEqual(apply(b, e), apply(a, e));
      if (i % 25 === 0) assert.deepEqual(readAll(b, READ_KEYS, a.watermark - back), readAll(a, READ_KEYS, a.watermark - back));
    }
    assert.deepEqual(readAll(b, READ_KEYS, a.watermark), readAll(a, READ_KEYS, a.watermark));
    assert.deepEqual(b.stats(), a.stats());
    // A second round trip of the continued store is byte-identical: nothing is lost or reordered.
    assert.deepEqual(MemoryStore.restore<Decision>(b.snapshot()).snapshot(), b.snapshot());
  }), { numRuns: 25 });
  assert.ok(sketched > 0, 'some runs snapshot distinct state in HLL mode');
});

test('snapshot carries HLL-mode distinct state and labels', () => {
  const s = new MemoryStore<Decision>({ latenessMs: MIN });
  const spec: AggregateSpec = { signature: 'distinct(ip,account,1h)', kind: 'distinct', keyspace: 'ip', windowMs: HOUR };
  const agg = s.aggregate(spec);
  const row = s.keyspace('ip').ensure('1.1.1.1', 1000);
  for (let i = 0; i < 5000; i++) agg.add(row, 1000 + i, hash53('acct' + i));
  s.labels.set('Ip:1.1.1.1', 'proxy', 50_000);
  s.record('x', 6000, { verdict: 'block', score: 9 });
  const est = agg.read(row, 6000)!;
  assert.ok(Math.abs(est - 5000) < 300, `estimate ${est}`);
  const r = MemoryStore.restore<Decision>(s.snapshot());
  assert.equal(r.aggregate(spec).read(r.keyspace('ip').row('1.1.1.1'), 6000), est);
  assert.equal(r.labels.has('Ip:1.1.1.1', 'proxy', 6000), true);
  assert.deepEqual(r.prior('x'), { verdict: 'block', score: 9 });
});

test('any flipped byte makes restore throw a clear error', () => {
  const s = new MemoryStore<Decision>({ latenessMs: MIN });
  for (let i = 0; i < 50; i++) apply(s, { id: 'e' + i, ts: 1e12 + i * 1000, device: 'd' + (i % 3), ip: 'i', account: 'a' + i, amount: i });
  const snap = s.snapshot();
  assert.doesNotThrow(() => MemoryStore.restore(snap));
  fc.assert(fc.property(fc.integer({ min: 0, max: snap.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
    const bad = snap.slice();
    bad[pos]! ^= mask;
    assert.throws(() => MemoryStore.restore(bad), /snapshot/);
  }), { numRuns: 300 });
  assert.throws(() => MemoryStore.restore(snap.subarray(0, snap.length - 1)), /snapshot corrupt/);
  assert.throws(() => MemoryStore.restore(new Uint8Array(3)), /snapshot corrupt/);
});

test('aggregate() returns the same instance per signature so strategy versions share warm state', () => {
  const s = new MemoryStore({ latenessMs: MIN });
  const spec = SPECS[0]!;
  const v1 = s.aggregate(spec);
  const v2 = s.aggregate({ ...spec });
  assert.equal(v1, v2);
  assert.equal(s.keyspace('device'), s.keyspace('device'));
  v1.add(s.keyspace('device').ensure('d', 10), 10, 0);
  assert.equal(v2.read(s.keyspace('device').row('d'), 10), 1);
});

test('watermark, lateness and dedupe horizon', () => {
  const s = new MemoryStore<string>({ latenessMs: MIN });
  assert.equal(s.watermark, -Infinity);
  assert.equal(s.isLate(0), false);
  assert.equal(s.dedupeHorizonMs, 10 * MIN);
  s.record('a', 1_000_000, 'allow');
  s.record('b', 999_000, 'block'); // out of order: watermark stays
  assert.equal(s.watermark, 1_000_000);
  assert.equal(s.isLate(1_000_000 - MIN), false);
  assert.equal(s.isLate(1_000_000 - MIN - 1), true);
  assert.equal(s.prior('a'), 'allow');
  assert.equal(s.prior('b'), 'block');
  s.record('c', 1_000_000 + 10 * MIN, 'allow');
  assert.equal(s.prior('b'), undefined); // older than watermark - horizon: forgotten
  assert.equal(s.prior('a'), 'allow'); // exactly at the horizon: kept
  s.record('d', 1_000_000 + 10 * MIN + 1, 'allow');
  assert.equal(s.prior('a'), undefined);
  assert.equal(s.stats().dedupe, 2);
  assert.equal(new MemoryStore({ latenessMs: HOUR, dedupeHorizonMs: MIN }).dedupeHorizonMs, HOUR);
});

test('dedupe stays bounded over a long stream', () => {
  const s = new MemoryStore<number>({ latenessMs: 0, dedupeHorizonMs: 1000 });
  for (let i = 0; i < 50_000; i++) s.record('e' + i, i * 10, i);
  assert.ok(s.stats().dedupe <= 101, `dedupe ${s.stats().dedupe}`);
  assert.equal(s.prior('e49999'), 49_999);
});

test('record() evicts idle rows incrementally; sweep() does a full pass; stats count pairs', () => {
  const s = new MemoryStore({ latenessMs: MIN });
  const c = s.aggregate({ signature: 'c', kind: 'count', keyspace: 'device', windowMs: 10 * MIN });
  s.aggregate({ signature: 'm', kind: 'max', keyspace: 'device', windowMs: 10 * MIN });
  const f = s.aggregate({ signature: 'f', kind: 'first_seen', keyspace: 'account', windowMs: 0 });
  const ks = s.keyspace('device');
  for (let i = 0; i < 100; i++) c.add(ks.ensure('d' + i, i), i, 0);
  f.add(s.keyspace('account').ensure('a', 0), 0, 0);
  assert.deepEqual(s.stats(), { keyspaces: 2, rows: 101, aggregates: 3, pairs: 201, dedupe: 0, labels: 0, signals: 0 });
  for (let i = 0; i < 60; i++) s.record('e' + i, DAY + i, null);
  assert.ok(ks.size < 100, 'incremental eviction made progress');
  s.sweep();
  assert.equal(ks.size, 0);
  assert.equal(s.keyspace('account').size, 1); // first_seen keeps its key for seenRetentionMs
  assert.equal(s.stats().pairs, 1);
});

test('persona reads every aggregate on a key space', () => {
  const s = new MemoryStore({ latenessMs: MIN });
  const kinds: AggKind[] = ['count', 'sum', 'last_seen'];
  for (const kind of kinds) s.aggregate({ signature: kind, kind, keyspace: 'account', windowMs: kind === 'last_seen' ? 0 : HOUR });
  const row = s.keyspace('account').ensure('a1', 5000);
  for (const kind of kinds) s.aggregate({ signature: kind, kind, keyspace: 'account', windowMs: 0 }).add(row, 5000, 7);
  assert.deepEqual(s.persona('account', 'a1', 6000), [
    { signature: 'count', kind: 'count', windowMs: HOUR, value: 1 },
    { signature: 'sum', kind: 'sum', windowMs: HOUR, value: 7 },
    { signature: 'last_seen', kind: 'last_seen', windowMs: 0, value: 5000 },
  ]);
  assert.deepEqual(s.persona('account', 'nobody', 6000).map((p) => p.value), [0, 0, null]);
  assert.deepEqual(s.persona('nope', 'a1', 6000), []);
});
