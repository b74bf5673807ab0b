// Key space rows: reuse, growth with attached slabs, and eviction of idle keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeySpace } from './keyspace.ts';
import { createAggregate, DEFAULT_SEEN_RETENTION_MS } from './aggregates.ts';
import { tilingFor } from './tiling.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

test('rows are stable per key, grow past the initial capacity, and keep aggregate state', () => {
  const ks = new KeySpace('device');
  const count = createAggregate({ signature: 'c', kind: 'count', keyspace: 'device', windowMs: HOUR }, ks, { latenessMs: 5 * MIN });
  for (let i = 0; i < 5000; i++) count.add(ks.ensure('d' + i, i), i, 0);
  assert.equal(ks.size, 5000);
  assert.ok(ks.capacity >= 5000);
  for (let i = 0; i < 5000; i += 97) {
    const r = ks.row('d' + i);
    assert.equal(ks.key(r), 'd' + i);
    assert.equal(count.read(r, 5000), 1);
  }
  assert.equal(ks.row('nope'), -1);
  assert.equal(ks.ensure('d7', 9), ks.row('d7'));
  assert.equal(ks.newestTs(ks.row('d7')), 9);
  ks.ensure('d7', 3); // older ts does not move newest back
  assert.equal(ks.newestTs(ks.row('d7')), 9);
});

test('idle rows are evicted after the longest ring span and their rows reused clean', () => {
  const ks = new KeySpace('ip');
  const late = 5 * MIN;
  const count = createAggregate({ signature: 'c', kind: 'count', keyspace: 'ip', windowMs: HOUR }, ks, { latenessMs: late });
  const day = createAggregate({ signature: 's', kind: 'sum', keyspace: 'ip', windowMs: 24 * HOUR }, ks, { latenessMs: late });
  const t = tilingFor(24 * HOUR, late);
  assert.equal(ks.retentionMs, t.ring * t.tileMs);
  const r = ks.ensure('old', 0);
  count.add(r, 0, 1);
  day.add(r, 0, 10);
  ks.ensure('fresh', ks.retentionMs);
  assert.equal(ks.sweep(ks.retentionMs), 0); // exactly at the limit: kept
  assert.equal(ks.sweep(ks.retentionMs + 1), 1);
  assert.equal(ks.row('old'), -1);
  assert.equal(ks.size, 1);
  const reused = ks.ensure('new', ks.retentionMs + 2);
  assert.equal(reused, r); // free list hands the row back
  assert.equal(count.read(reused, ks.retentionMs + 2), 0);
  assert.equal(day.read(reused, ks.retentionMs + 2), 0);
});

test('first/last seen keep a key space for seenRetentionMs', () => {
  const ks = new KeySpace('account');
  createAggregate({ signature: 'c', kind: 'count', keyspace: 'account', windowMs: HOUR }, ks, { latenessMs: 0 });
  createAggregate({ signature: 'f', kind: 'first_seen', keyspace: 'account', windowMs: 0 }, ks, { latenessMs: 0 });
  assert.equal(ks.retentionMs, DEFAULT_SEEN_RETENTION_MS);
});

test('memory stays bounded on a long stream of unique keys (incremental eviction only)', () => {
  const ks = new KeySpace('device');
  const count = createAggregate({ signature: 'c', kind: 'count', keyspace: 'device', windowMs: MIN }, ks, { latenessMs: 10_000 });
  // One new key every 10 ms for 2M ms: 200k keys; only ~ retention / 10 ms are live at once.
  let maxSize = 0;
  for (let i = 0; i < 200_000; i++) {
    const ts = i * 10;
    count.add(ks.ensure('u' + i, ts), ts, 0);
    ks.evictStep(ts);
    if (ks.size > maxSize) maxSize = ks.size;
  }
  const liveWindow = ks.retentionMs / 10;
  assert.ok(maxSize <= 3 * liveWindow, `max live rows ${maxSize}, retention holds ${liveWindow}`);
  assert.ok(ks.capacity <= 4 * liveWindow + 1024, `capacity ${ks.capacity}`);
  // A recent key is still there and exact.
  assert.equal(count.read(ks.row('u199999'), 1_999_990), 1);
});

test('remove() erases a key now', () => {
  const ks = new KeySpace('email');
  const c = createAggregate({ signature: 'c', kind: 'count', keyspace: 'email', windowMs: HOUR }, ks, { latenessMs: 0 });
  c.add(ks.ensure('e1', 5), 5, 0);
  assert.equal(ks.remove('e1'), true);
  assert.equal(ks.row('e1'), -1);
  assert.equal(ks.remove('e1'), false);
  assert.equal(c.read(ks.ensure('e2', 6), 6), 0);
});
