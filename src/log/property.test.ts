// Property test: arbitrary payload sequences (empty, small, large) round-trip through append, read, replay and reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { EventLog } from './index.ts';

const payload = fc.oneof(
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 3_000, maxLength: 40_000 }) }, // bigger than a segment
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
);

const asBytes = (p: Uint8Array | string): Buffer => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p));

test('arbitrary payload sequences round-trip, including across segment rolls and a reopen', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(payload, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 64, max: 8192 }),
      async (batches, segmentBytes) => {
        const dir = fs.mkdtempSync(join(tmpdir(), 'bulwark-log-prop-'));
        try {
          const log = await EventLog.open(dir, { segmentBytes, durability: 'buffered' });
          const written: Array<[number, Buffer]> = [];
          // Single appends run concurrently, batches go through appendMany: both paths, interleaved.
          const results = await Promise.all(batches.map((b, k) =>
            k % 2 === 0 ? log.appendMany(b) : Promise.all(b.map((p) => log.append(p)))));
          results.forEach((positions, k) => positions.forEach((pos, j) => written.push([pos, asBytes(batches[k]![j]!)])));
          written.sort((a, b) => a[0] - b[0]);
          for (const [pos, bytes] of written) assert.deepEqual(Buffer.from(await log.read(pos)), bytes);
          await log.close();

          const again = await EventLog.open(dir, { segmentBytes });
          try {
            assert.equal(again.recovery.truncatedBytes, 0);
            const replayed: Array<[number, Buffer]> = [];
            for await (const r of again.replay()) replayed.push([r.position, Buffer.from(r.payload)]);
            assert.deepEqual(replayed, written);
            for (const [pos, bytes] of written) assert.deepEqual(Buffer.from(again.readSync(pos)), bytes);
          } finally { await again.close(); }
        } finally { fs.rmSync(dir, { recursive: true, force: true }); }
      },
    ),
    { numRuns: 40 },
  );
});
