// Tests for open-time recovery: torn, garbage and corrupt tails are cut, never served or built upon.
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { EventLog, LogError, segmentOf } from './index.ts';
import { scratchDir } from './test-dirs.ts';

const text = (p: Uint8Array): string => Buffer.from(p).toString('utf8');

// Writes `n` records over a few segments and returns the positions and the last segment's path.
async function seed(t: TestContext, n = 40): Promise<{ dir: string; positions: number[]; last: string }> {
  const dir = scratchDir(t);
  const log = await EventLog.open(dir, { segmentBytes: 512 });
  const positions = await log.appendMany(Array.from({ length: n }, (_, i) => `record-${i}-${'y'.repeat(i)}`));
  await log.close();
  const segs = fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).sort();
  assert.ok(segs.length >= 3, 'the fixture spans several segments');
  return { dir, positions, last: join(dir, segs.at(-1)!) };
}

async function reopenAndCheck(t: TestContext, dir: string, positions: number[], keep: number, cut: number, fault: string): Promise<void> {
  const log = await EventLog.open(dir, { segmentBytes: 512 });
  t.after(() => log.close());
  assert.equal(log.recovery.records, keep);
  assert.equal(log.recovery.truncatedBytes, cut);
  assert.equal(log.recovery.fault, fault);
  const seen: string[] = [];
  log.replaySync(undefined, (_, p) => seen.push(text(p)));
  assert.deepEqual(seen, Array.from({ length: keep }, (_, i) => `record-${i}-${'y'.repeat(i)}`), 'the good prefix is intact');
  for (let i = 0; i < keep; i++) assert.equal(text(log.readSync(positions[i]!)), seen[i]);
  if (keep < positions.length) {
    await assert.rejects(log.read(positions[keep]!), (e: unknown) => e instanceof LogError && e.code === 'BAD_POSITION', 'the cut record is not served');
  }
  const next = await log.append('after-recovery');
  if (keep < positions.length) {
    // The cut record is gone and appends continue exactly where the good prefix ends.
    assert.equal(next, positions[keep]);
  } else {
    assert.ok(next > positions.at(-1)!);
  }
  assert.equal(text(await log.read(next)), 'after-recovery');
  await log.close();
  const again = await EventLog.open(dir, { segmentBytes: 512 });
  assert.deepEqual(again.recovery, { records: keep + 1, truncatedBytes: 0, segments: again.recovery.segments, fault: null });
  await again.close();
}

test('a record cut mid-payload is truncated', async (t) => {
  const { dir, positions, last } = await seed(t);
  const size = fs.statSync(last).size;
  fs.truncateSync(last, size - 5);
  const lastStart = positions.at(-1)! % 2 ** 32;
  await reopenAndCheck(t, dir, positions, positions.length - 1, size - 5 - lastStart, 'torn');
});

test('a record cut inside its header is truncated', async (t) => {
  const { dir, positions, last } = await seed(t);
  const lastStart = positions.at(-1)! % 2 ** 32;
  fs.truncateSync(last, lastStart + 3);
  await reopenAndCheck(t, dir, positions, positions.length - 1, 3, 'torn');
});

test('garbage appended after the last record is truncated', async (t) => {
  const { dir, positions, last } = await seed(t);
  fs.appendFileSync(last, Buffer.from('\x07\x00\x00\x00garbage!!!!'));
  await reopenAndCheck(t, dir, positions, positions.length, 15, 'checksum');
});

test('a zero-filled tail (preallocated or torn extent) is truncated', async (t) => {
  const { dir, positions, last } = await seed(t);
  fs.appendFileSync(last, Buffer.alloc(4096));
  await reopenAndCheck(t, dir, positions, positions.length, 4096, 'checksum');
});

test('an absurd length field is truncated', async (t) => {
  const { dir, positions, last } = await seed(t);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0xfffffff0, 0);
  fs.appendFileSync(last, Buffer.concat([header, Buffer.alloc(100, 1)]));
  await reopenAndCheck(t, dir, positions, positions.length, 108, 'bad-length');
});

test('a flipped byte in the last record payload truncates that record', async (t) => {
  const { dir, positions, last } = await seed(t);
  const size = fs.statSync(last).size;
  const fd = fs.openSync(last, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, size - 2);
  b[0]! ^= 0x20;
  fs.writeSync(fd, b, 0, 1, size - 2);
  fs.closeSync(fd);
  const lastStart = positions.at(-1)! % 2 ** 32;
  await reopenAndCheck(t, dir, positions, positions.length - 1, size - lastStart, 'checksum');
});

test('a flipped byte mid-segment cuts from that record on: nothing after a bad record is trusted', async (t) => {
  const { dir, positions, last } = await seed(t);
  const lastSeg = segmentOf(positions.at(-1)!);
  const inLast = positions.map((p, i) => [p, i] as const).filter(([p]) => segmentOf(p) === lastSeg);
  assert.ok(inLast.length >= 2);
  const [victimPos, victim] = inLast[0]!;
  const size = fs.statSync(last).size;
  const fd = fs.openSync(last, 'r+');
  fs.writeSync(fd, Buffer.from([0xff]), 0, 1, (victimPos % 2 ** 32) + 9);
  fs.closeSync(fd);
  await reopenAndCheck(t, dir, positions, victim, size - (victimPos % 2 ** 32), 'checksum');
});

test('damage in a sealed segment is refused loudly, not truncated', async (t) => {
  const { dir } = await seed(t);
  const first = join(dir, '00000000000000000000.seg');
  const size = fs.statSync(first).size;
  fs.truncateSync(first, size - 1);
  await assert.rejects(EventLog.open(dir), (e: unknown) => e instanceof LogError && e.code === 'CORRUPT');
  assert.equal(fs.statSync(first).size, size - 1, 'left as found for an operator');
});

test('verify: all checksums sealed segments too', async (t) => {
  const { dir } = await seed(t);
  const first = join(dir, '00000000000000000000.seg');
  const fd = fs.openSync(first, 'r+');
  fs.writeSync(fd, Buffer.from([0x00]), 0, 1, 12); // inside the first payload: lengths still chain
  fs.closeSync(fd);
  const lenient = await EventLog.open(dir);
  await lenient.close();
  await assert.rejects(EventLog.open(dir, { verify: 'all' }), (e: unknown) => e instanceof LogError && e.code === 'CORRUPT');
});

test('a missing segment in the middle is refused', async (t) => {
  const { dir } = await seed(t);
  fs.unlinkSync(join(dir, '00000000004294967296.seg'));
  await assert.rejects(EventLog.open(dir), (e: unknown) => e instanceof LogError && e.code === 'MISSING_SEGMENT');
});
