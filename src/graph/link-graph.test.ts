// LinkGraph: counting, expiry, bounded memory, hub thresholds, CSR views and snapshot round trip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkGraph } from './link-graph.ts';

function edgeList(g: LinkGraph): string[] {
  const out: string[] = [];
  g.forEachEdge((a, b, count, first, last) => {
    const x = g.entity(a)!, y = g.entity(b)!;
    const [p, q] = [`${x.type}:${x.id}`, `${y.type}:${y.id}`].sort();
    out.push(`${p}|${q}|${count}|${first}|${last}`);
  });
  return out.sort();
}

test('repeat sightings count on one edge with first and last ts', () => {
  const g = new LinkGraph();
  g.link('account', 'a1', 'device', 'd1', 50);
  g.link('device', 'd1', 'account', 'a1', 10); // same edge from the other side, out of order
  g.link('account', 'a1', 'device', 'd1', 30);
  g.link('account', 'a1', 'account', 'a1', 30); // self-link ignored
  assert.deepEqual(g.edge('account', 'a1', 'device', 'd1'), { count: 3, firstTs: 10, lastTs: 50 });
  const s = g.stats();
  assert.equal(s.edges, 1);
  assert.equal(s.nodes, 2);
  assert.deepEqual(s.nodesByType, { account: 1, device: 1 });
  // same external id under another type is another node
  g.link('account', 'x', 'ip', 'a1', 1);
  assert.equal(g.stats().nodes, 4);
});

test('expire drops edges older than maxAge by their last sighting, and nodes left without edges', () => {
  const g = new LinkGraph({ maxAge: 100 });
  g.link('account', 'a1', 'device', 'd1', 0);
  g.link('account', 'a2', 'device', 'd1', 50);
  g.link('account', 'a1', 'device', 'd1', 120); // refreshed, survives
  assert.equal(g.expire(149), 0);
  assert.equal(g.expire(151), 1);
  assert.equal(g.edge('account', 'a2', 'device', 'd1'), undefined);
  assert.equal(g.nodeOf('account', 'a2'), undefined);
  assert.deepEqual(g.edge('account', 'a1', 'device', 'd1'), { count: 2, firstTs: 0, lastTs: 120 });
  assert.equal(g.stats().expired, 1);
  assert.equal(g.stats().nodes, 2);
  // freed ids are reused and stay consistent
  g.link('account', 'a3', 'card', 'c1', 200);
  assert.equal(g.stats().nodes, 4);
  assert.equal(g.degreeOf('device', 'd1'), 1);
});

test('memory stays bounded: beyond maxEdges the least recently seen edges go first', () => {
  const g = new LinkGraph({ maxEdges: 1000 });
  for (let i = 0; i < 5000; i++) g.link('account', `a${i}`, 'device', `d${i % 700}`, i);
  const s = g.stats();
  assert.ok(s.edges <= 1000);
  assert.equal(s.evicted, 5000 - s.edges);
  let oldest = Infinity;
  g.forEachEdge((_a, _b, _c, _f, last) => { oldest = Math.min(oldest, last); });
  assert.equal(oldest, 5000 - s.edges, 'the survivors are exactly the newest edges');
  assert.ok(s.nodes <= 2 * s.edges);
});

test('hubs: thresholds per type, listed, excluded from bipartite views and down-weighted in CSR', () => {
  const g = new LinkGraph({ hubDegree: { ip: 3 } });
  for (let i = 0; i < 6; i++) g.link('account', `a${i}`, 'ip', 'nat-1', i);
  g.link('account', 'a0', 'ip', 'home-1', 1);
  g.link('account', 'a1', 'ip', 'home-1', 1);
  assert.deepEqual(g.hubThresholds(), { ip: 3 });
  assert.deepEqual(g.hubs(), [{ type: 'ip', id: 'nat-1', degree: 6, threshold: 3 }]);
  assert.ok(g.isHub('ip', 'nat-1') && !g.isHub('ip', 'home-1') && !g.isHub('account', 'a0'));
  assert.equal(g.stats().hubs, 1);
  const view = g.toBipartite('account', ['ip']);
  assert.deepEqual(Array.from({ length: view.graph.cols }, (_, c) => view.col(c).id), ['home-1']);
  assert.equal(view.graph.edges, 2);
  const excluded = g.toCsr();
  const nat = g.nodeOf('ip', 'nat-1')!;
  assert.equal(excluded.csr.offsets[nat + 1]! - excluded.csr.offsets[nat]!, 0);
  const down = g.toCsr({ hubs: 'downweight' });
  const w = down.csr.weights.subarray(down.csr.offsets[nat]!, down.csr.offsets[nat + 1]!);
  assert.equal(w.length, 6);
  assert.ok(w.every((x) => Math.abs(x - 0.5) < 1e-6), 'weight scaled by threshold / degree');
  // edges expire, the hub stops being one
  const h = new LinkGraph({ hubDegree: { ip: 3 }, maxAge: 10 });
  for (let i = 0; i < 6; i++) h.link('account', `a${i}`, 'ip', 'nat-1', i < 4 ? 0 : 20);
  assert.ok(h.isHub('ip', 'nat-1'));
  h.expire(25);
  assert.equal(h.degreeOf('ip', 'nat-1'), 2);
  assert.deepEqual(h.hubs(), []);
});

test('snapshot and restore round-trip the graph; damaged bytes are rejected as values', () => {
  const g = new LinkGraph({ maxAge: 1000, maxEdges: 500, hubDegree: { device: 4 } });
  for (let i = 0; i < 300; i++) g.link('account', `a${i % 50}`, i % 3 ? 'device' : 'email', `k${(i * 7) % 40}✓`, i * 3);
  g.expire(700);
  const bytes = g.snapshot();
  const back = LinkGraph.restore(bytes);
  assert.ok(back.ok);
  const r = back.value;
  assert.deepEqual(edgeList(r), edgeList(g));
  assert.deepEqual({ ...r.stats(), arrayBytes: 0 }, { ...g.stats(), arrayBytes: 0 });
  assert.deepEqual(r.hubs(), g.hubs());
  assert.equal(r.maxAge, 1000);
  assert.equal(r.maxEdges, 500);
  // restored graph keeps working: same sighting lands on the same edge
  const before = r.edge('account', 'a1', 'device', 'k7✓');
  r.link('account', 'a1', 'device', 'k7✓', 5000);
  assert.equal(r.edge('account', 'a1', 'device', 'k7✓')!.count, (before?.count ?? 0) + 1);
  // works from an unaligned copy too
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.ok(LinkGraph.restore(shifted.subarray(1)).ok);

  const damaged = bytes.slice();
  damaged[damaged.length >> 1]! ^= 0xff;
  const bad = LinkGraph.restore(damaged);
  assert.ok(!bad.ok && bad.error.code === 'BadSnapshot' && /checksum/.test(bad.error.message));
  const foreign = LinkGraph.restore(new TextEncoder().encode('definitely not a graph snapshot'));
  assert.ok(!foreign.ok && /magic/.test(foreign.error.message));
  const empty = LinkGraph.restore(new LinkGraph().snapshot());
  assert.ok(empty.ok && empty.value.stats().edges === 0);
});
