// Tests for EventLog: round trips across rolls and restarts, group commit, replay, failure and lifecycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { EventLog, LogError, segmentOf } from './index.ts';
import { scratchDir } from './test-dirs.ts';

const text = (p: Uint8Array): string => Buffer.from(p).toString('utf8');
const payloadFor = (i: number): string => `{"id":"evt-${i}","pad":"${'x'.repeat(i % 97)}"}`;

test('records round-trip across segment rolls and stay readable at the same positions after reopen', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir, { segmentBytes: 1024 });
  assert.deepEqual(log.recovery, { records: 0, truncatedBytes: 0, segments: 1, fault: null });
  const positions: number[] = [];
  for (let i = 0; i < 200; i++) positions.push(await log.append(payloadFor(i)));
  positions.push(...(await log.appendMany([payloadFor(200), new Uint8Array([1, 2, 3]), ''])));
  assert.ok(segmentOf(positions.at(-1)!) >= 10, 'rolled into many segments');
  for (let i = 1; i < positions.length; i++) assert.ok(positions[i]! > positions[i - 1]!, 'positions increase');
  for (let i = 0; i <= 200; i++) assert.equal(text(await log.read(positions[i]!)), payloadFor(i));
  assert.deepEqual([...log.readSync(positions[201]!)], [1, 2, 3]);
  assert.equal(log.readSync(positions[202]!).length, 0);
  const before = log.stats();
  assert.equal(before.records, 203);
  assert.equal(before.pending, 0);
  await log.close();

  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).sort();
  assert.equal(files[0], '00000000000000000000.seg');
  assert.equal(files[1], '00000000004294967296.seg', 'named by the position of their first byte');

  const again = await EventLog.open(dir, { segmentBytes: 1024 });
  t.after(() => again.close());
  assert.deepEqual(again.recovery, { records: 203, truncatedBytes: 0, segments: before.segments, fault: null });
  assert.equal(again.stats().bytes, before.bytes);
  for (let i = 0; i <= 200; i++) assert.equal(text(again.readSync(positions[i]!)), payloadFor(i));
  const next = await again.append('after-restart');
  assert.ok(next > positions.at(-1)!);
  assert.equal(text(await again.read(next)), 'after-restart');
});

test('replay and replaySync yield every committed record in order, from any record position', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir, { segmentBytes: 4096 });
  t.after(() => log.close());
  const positions = await log.appendMany(Array.from({ length: 500 }, (_, i) => payloadFor(i)));
  const all: Array<[number, string]> = [];
  for await (const r of log.replay()) all.push([r.position, text(r.payload)]);
  assert.deepEqual(all, positions.map((p, i) => [p, payloadFor(i)]));

  const chunked: number[] = [];
  for await (const chunk of log.replayChunks(positions[10])) for (const r of chunk) chunked.push(r.position);
  assert.deepEqual(chunked, positions.slice(10));

  const from = positions[321]!;
  const tail: number[] = [];
  const n = log.replaySync(from, (p, payload) => { tail.push(p); assert.equal(text(payload), payloadFor(positions.indexOf(p))); });
  assert.equal(n, 500 - 321);
  assert.deepEqual(tail, positions.slice(321));
  let count = 0;
  for await (const _ of log.replay(positions.at(-1)! + 1_000_000)) count++;
  assert.equal(count, 0, 'a position past the end replays nothing');
});

test('replay uses small chunks correctly: records straddling chunk reads are reassembled', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir);
  t.after(() => log.close());
  // 9 MiB of records, some bigger than one 8 MiB scan chunk, so windows must carry and grow.
  const big = Buffer.alloc(9 * 1024 * 1024, 7);
  const positions = await log.appendMany(['a', big, 'b', Buffer.alloc(3_000_000, 1), 'c']);
  const seen: number[] = [];
  log.replaySync(undefined, (p, payload) => { seen.push(payload.length); assert.ok(positions.includes(p)); });
  assert.deepEqual(seen, [1, big.length, 1, 3_000_000, 1]);
  assert.equal((await log.read(positions[1]!)).length, big.length);
});

test('group commit: many concurrent appenders share few fsyncs', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir);
  t.after(() => log.close());
  const appenders = 64;
  const rounds = 30;
  const positions = await Promise.all(Array.from({ length: appenders }, async (_, a) => {
    const mine: number[] = [];
    for (let r = 0; r < rounds; r++) mine.push(await log.append(payloadFor(a * rounds + r)));
    return mine;
  }));
  const s = log.stats();
  assert.equal(s.records, appenders * rounds);
  assert.equal(new Set(positions.flat()).size, appenders * rounds, 'every append got its own position');
  assert.ok(s.fsyncs > 0);
  assert.ok(s.fsyncs <= (appenders * rounds) / 16, `expected batching, got ${s.fsyncs} fsyncs for ${s.records} records`);
  assert.equal(text(await log.read(positions[5]![7]!)), payloadFor(5 * rounds + 7));
});

test('an idle log commits a lone append without waiting for the group window', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir, { groupCommitMs: 5_000 });
  t.after(() => log.close());
  await log.append('warm-up');
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  await Promise.race([
    log.append('lone'),
    new Promise((_, reject) => setTimeout(() => reject(new Error('lone append waited for the window')), 1_000)),
  ]);
  assert.ok(performance.now() - t0 < 1_000);
  assert.equal(log.stats().fsyncs, 2);
});

test('under load the next group waits out groupCommitMs and takes everything that arrived', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir, { groupCommitMs: 150 });
  t.after(() => log.close());
  const t0 = performance.now();
  const first = log.append('first');
  await new Promise((r) => setImmediate(r)); // the first group is now committing
  const behind = Array.from({ length: 20 }, (_, i) => log.append(`behind-${i}`));
  await first;
  await Promise.all(behind);
  const elapsed = performance.now() - t0;
  assert.ok(elapsed >= 140, `second group started after ${elapsed.toFixed(1)} ms, expected >= 150 ms pacing`);
  assert.equal(log.stats().fsyncs, 2, 'one fsync for the first record, one for the 20 behind it');
});

test('buffered durability acknowledges after write and still fsyncs periodically and on close', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir, { durability: 'buffered', fsyncIntervalMs: 20 });
  const positions = await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(payloadFor(i))));
  const fsyncsAtAck = log.stats().fsyncs;
  assert.equal(fsyncsAtAck, 0, 'acknowledged before any fsync');
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(log.stats().fsyncs >= 1, 'the periodic fsync ran');
  await log.close();
  const again = await EventLog.open(dir);
  t.after(() => again.close());
  assert.equal(again.recovery.records, 100);
  assert.equal(text(again.readSync(positions[42]!)), payloadFor(42));
});

test('a write error rejects the group and every later append, and says why', async (t) => {
  const dir = scratchDir(t);
  // The first segment is /dev/full: every write fails with ENOSPC, a real disk-full error.
  fs.symlinkSync('/dev/full', join(dir, '00000000000000000000.seg'));
  const log = await EventLog.open(dir);
  t.after(() => log.close());
  const results = await Promise.allSettled([log.append('a'), log.append('b'), log.appendMany(['c', 'd'])]);
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.ok(r.reason instanceof LogError);
    assert.equal(r.reason.code, 'FAILED');
    assert.match(r.reason.message, /ENOSPC/);
  }
  await assert.rejects(log.append('later'), (e: unknown) => e instanceof LogError && e.code === 'FAILED');
  assert.equal(log.stats().records, 0);
  assert.equal(log.stats().pending, 0);
});

test('bad positions, oversize payloads, a second writer and use after close are refused with codes', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir);
  const p = await log.append('one');
  const code = (c: string) => (e: unknown) => e instanceof LogError && e.code === c;
  await assert.rejects(log.read(p + 1_000), code('BAD_POSITION'));
  await assert.rejects(log.read(-1), code('BAD_POSITION'));
  await assert.rejects(log.read(2 ** 40), code('BAD_POSITION'));
  await assert.rejects(EventLog.open(dir), code('LOCKED'));
  await assert.rejects(EventLog.open(dir, { segmentBytes: 10 }), code('BAD_OPTIONS'));
  await assert.rejects(log.append(new Uint8Array(256 * 1024 * 1024 + 1)), code('TOO_LARGE'));
  await log.close();
  await log.close();
  await assert.rejects(log.append('two'), code('CLOSED'));
  assert.throws(() => log.readSync(p), code('CLOSED'));
  const again = await EventLog.open(dir);
  assert.equal(again.recovery.records, 1);
  await again.close();
});

test('close commits everything already accepted', async (t) => {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir, { groupCommitMs: 50 });
  const accepted = Array.from({ length: 300 }, (_, i) => log.append(payloadFor(i)));
  await log.close();
  const positions = await Promise.all(accepted);
  const again = await EventLog.open(dir);
  t.after(() => again.close());
  assert.equal(again.recovery.records, 300);
  assert.equal(text(await again.read(positions[299]!)), payloadFor(299));
});
