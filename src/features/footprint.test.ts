// Measures bytes per (aggregate, key) for count and sum slabs (run with --expose-gc for a figure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeySpace } from './keyspace.ts';
import { createAggregate } from './aggregates.ts';
import type { AggKind } from './aggregates.ts';
import { tilingFor } from './tiling.ts';

// BULWARK_FOOTPRINT_KEYS=1000000 measures at the budget's scale (slower, ~0.5 GB).
const KEYS = Number(process.env.BULWARK_FOOTPRINT_KEYS ?? 200_000);
const HOUR = 3_600_000;
const LATE = 300_000;
const gc = (globalThis as { gc?: () => void }).gc;

function heap(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes the aggregate adds on top of an already populated key space, per live key. */
function measure(kind: AggKind): number {
  const ks = new KeySpace('device');
  for (let i = 0; i < KEYS; i++) ks.ensure('d' + i, i);
  const before = heap();
  const agg = createAggregate({ signature: kind, kind, keyspace: 'device', windowMs: HOUR }, ks, { latenessMs: LATE });
  for (let r = 0; r < KEYS; r++) agg.add(r, r * 7, 3);
  const after = heap();
  assert.equal(agg.read(ks.row('d5'), 35), kind === 'count' ? 1 : 3);
  return (after - before) / KEYS;
}

test(`bytes per (aggregate, key): count and sum, 1h window, ${KEYS} keys`, { skip: gc === undefined ? 'run node with --expose-gc' : false }, () => {
  const { ring } = tilingFor(HOUR, LATE);
  const count = measure('count');
  const sum = measure('sum');
  let capacity = 1024;
  while (capacity < KEYS) capacity *= 2;
  console.log(`# footprint at ${KEYS} keys (capacity ${capacity}): count ${count.toFixed(1)} B/key, sum ${sum.toFixed(1)} B/key; per row slot: count ${ring * 4 + 8} B, sum ${ring * 8 + 8} B`);
  // Slabs are sized by capacity (doubling), so allow its headroom over the live keys.
  const headroom = capacity / KEYS;
  assert.ok(count <= (ring * 4 + 8) * headroom + 4, `count ${count}`);
  assert.ok(sum <= (ring * 8 + 8) * headroom + 4, `sum ${sum}`);
});
