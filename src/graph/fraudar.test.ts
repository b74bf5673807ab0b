// FRAUDAR tests: 2-approximation against brute force on tiny graphs, and recovery of injected camouflaged blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildBipartite } from './csr.ts';
import { columnWeights, fraudar, peel, timeBucketedColumns } from './fraudar.ts';
import { f1, injectedBipartite } from './synthetic.ts';

function density(g: ReturnType<typeof buildBipartite>, w: Float64Array, users: Set<number>, objects: Set<number>): number {
  const n = users.size + objects.size;
  if (n === 0) return 0;
  let f = 0;
  for (const r of users) for (let e = g.rowOffsets[r]!; e < g.rowOffsets[r + 1]!; e++) if (objects.has(g.rowTargets[e]!)) f += w[g.rowTargets[e]!]!;
  return f / n;
}

test('greedy peel is within the 2-approximation of the brute-force densest subset (≤ 10 nodes)', () => {
  const tiny = fc.record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 5 }) }).chain(({ rows, cols }) =>
    fc.record({ rows: fc.constant(rows), cols: fc.constant(cols), cells: fc.array(fc.boolean(), { minLength: rows * cols, maxLength: rows * cols }) }));
  fc.assert(fc.property(tiny, ({ rows, cols, cells }) => {
    const src: number[] = [], dst: number[] = [];
    cells.forEach((on, i) => { if (on) { src.push(Math.floor(i / cols)); dst.push(i % cols); } });
    const g = buildBipartite(rows, cols, Int32Array.from(src), Int32Array.from(dst));
    const w = columnWeights(g);
    let opt = 0;
    for (let mask = 1; mask < 1 << (rows + cols); mask++) {
      const us = new Set<number>(), os = new Set<number>();
      for (let v = 0; v < rows + cols; v++) if (mask & (1 << v)) (v < rows ? us : os).add(v < rows ? v : v - rows);
      opt = Math.max(opt, density(g, w, us, os));
    }
    const res = peel(g, w, new Uint8Array(g.edges).fill(1));
    const got = density(g, w, new Set(res.users), new Set(res.objects));
    assert.ok(Math.abs(got - res.density) < 1e-9, 'reported density is the density of the reported set');
    assert.ok(got <= opt + 1e-9);
    assert.ok(got >= opt / 2 - 1e-9, `greedy ${got} below half of optimum ${opt}`);
  }), { numRuns: 300, seed: 7 });
});

test('a planted biclique is found exactly and its edges are removed before the next block', () => {
  // 6×6 complete block plus a sparse 50×50 background chain
  const src: number[] = [], dst: number[] = [];
  for (let u = 0; u < 6; u++) for (let o = 0; o < 6; o++) { src.push(u); dst.push(o); }
  for (let u = 6; u < 56; u++) { src.push(u); dst.push(u); src.push(u); dst.push(u + 1); }
  const g = buildBipartite(56, 57, Int32Array.from(src), Int32Array.from(dst));
  const blocks = fraudar(g, { blocks: 2 });
  assert.deepEqual(blocks[0]!.evidence.users, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(blocks[0]!.evidence.objects, [0, 1, 2, 3, 4, 5]);
  assert.equal(blocks[0]!.evidence.edges, 36);
  assert.equal(blocks[0]!.kind, 'dense-block');
  assert.match(blocks[0]!.explanation, /6 users and 6 objects form a dense block: 36 links/);
  if (blocks[1]) assert.ok(blocks[1].evidence.users.every((u) => u >= 6), 'second block does not reuse the first block\'s edges');
  assert.ok(blocks[0]!.score > (blocks[1]?.score ?? 0));
});

test('time-bucketed columns separate the same object in different windows', () => {
  const b = timeBucketedColumns(Int32Array.from([3, 3, 3, 4]), Float64Array.from([0, 59_999, 60_000, 10]), 60_000);
  assert.equal(b.count, 3);
  assert.deepEqual(Array.from(b.cols), [0, 0, 1, 2]);
  assert.deepEqual(Array.from(b.bucketStart), [0, 60_000, 0]);
});

test('injected camouflaged blocks in a 100k-user, 1M-edge power-law graph are recovered with F1 ≥ 0.9', () => {
  const data = injectedBipartite({
    users: 100_000,
    objects: 50_000,
    edges: 1_000_000,
    blocks: [
      { users: 200, objects: 200, density: 0.3 },
      { users: 200, objects: 200, density: 0.4 },
      { users: 200, objects: 200, density: 0.5 },
    ],
    camouflagePerUser: 40,
    seed: 42,
  });
  const g = buildBipartite(data.rows, data.cols, data.src, data.dst, data.length);
  assert.ok(g.edges >= 1_000_000, `graph has ${g.edges} distinct edges`);
  const blocks = fraudar(g, { blocks: 3 });
  const found: string[] = [];
  for (const b of blocks) {
    for (const u of b.evidence.users) found.push(`u${u}`);
    for (const o of b.evidence.objects) found.push(`o${o}`);
  }
  const truth: string[] = [];
  for (const us of data.blockUsers) for (const u of us) truth.push(`u${u}`);
  for (const os of data.blockObjects) for (const o of os) truth.push(`o${o}`);
  const score = f1(found, truth);
  assert.ok(score.f1 >= 0.9, `F1 ${score.f1.toFixed(3)} (precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)})`);
  assert.ok(blocks.every((b) => b.score > b.evidence.graphDensity * 3));
});
