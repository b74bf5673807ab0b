// Components and rings checked against naive BFS on random graphs (fast-check); hubs and Louvain splits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildBipartite, buildCsr } from './csr.ts';
import { LinkGraph } from './link-graph.ts';
import { connectedComponents, findRings, linkedComponents } from './rings.ts';

/** Partition as a canonical set of sorted member lists, for comparing labelings. */
function partition(labels: ArrayLike<number>): string[] {
  const by = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! < 0) continue;
    if (!by.has(labels[i]!)) by.set(labels[i]!, []);
    by.get(labels[i]!)!.push(i);
  }
  return [...by.values()].map((m) => m.join(',')).sort();
}

function bfsLabels(n: number, adj: number[][]): number[] {
  const label = new Array<number>(n).fill(-1);
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (label[s] !== -1) continue;
    label[s] = next;
    const queue = [s];
    while (queue.length) for (const u of adj[queue.shift()!]!) if (label[u] === -1) { label[u] = next; queue.push(u); }
    next++;
  }
  return label;
}

const edgesArb = fc.record({
  rows: fc.integer({ min: 1, max: 40 }),
  cols: fc.integer({ min: 1, max: 25 }),
  pairs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 80 }),
  hub: fc.integer({ min: 1, max: 6 }),
});

test('linked components equal BFS over account–identifier–account paths through non-hub identifiers', () => {
  fc.assert(fc.property(edgesArb, ({ rows, cols, pairs, hub }) => {
    const src = Int32Array.from(pairs.map(([a]) => a % rows)), dst = Int32Array.from(pairs.map(([, b]) => b % cols));
    const g = buildBipartite(rows, cols, src, dst);
    const skip = new Uint8Array(cols);
    for (let c = 0; c < cols; c++) if (g.colOffsets[c + 1]! - g.colOffsets[c]! > hub) skip[c] = 1;
    // naive: BFS on the account–identifier graph where hub identifiers are cut out
    const adj: number[][] = Array.from({ length: rows + cols }, () => []);
    for (let i = 0; i < src.length; i++) {
      if (skip[dst[i]!]) continue;
      adj[src[i]!]!.push(rows + dst[i]!);
      adj[rows + dst[i]!]!.push(src[i]!);
    }
    const naive = bfsLabels(rows + cols, adj).slice(0, rows);
    assert.deepEqual(partition(linkedComponents(g, skip).labels), partition(naive));
  }), { numRuns: 300, seed: 11 });
});

test('connected components of an undirected CSR equal BFS', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 90 }), (n, pairs) => {
    const a = Int32Array.from(pairs.map(([x]) => x % n)), b = Int32Array.from(pairs.map(([, y]) => y % n));
    const csr = buildCsr(n, a, b, new Float32Array(a.length).fill(1));
    const adj: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < a.length; i++) { adj[a[i]!]!.push(b[i]!); adj[b[i]!]!.push(a[i]!); }
    const comps = connectedComponents(n, csr.offsets, csr.targets);
    assert.deepEqual(partition(comps.labels), partition(bfsLabels(n, adj)));
    assert.equal(comps.count, new Set(bfsLabels(n, adj)).size);
  }), { numRuns: 300, seed: 12 });
});

test('rings are disjoint, connected through strong non-hub identifiers, and whole when small', () => {
  const types = ['device', 'card', 'address', 'email', 'ip'];
  const linksArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 59 }), fc.constantFrom(...types), fc.integer({ min: 0, max: 14 })), { maxLength: 150 });
  fc.assert(fc.property(linksArb, fc.integer({ min: 2, max: 8 }), (links, maxSize) => {
    const graph = new LinkGraph({ hubDegree: { device: 6, card: 6, address: 6, email: 6 } });
    links.forEach(([acct, t, id], i) => graph.link('account', `a${acct}`, t, `${t}${id}`, i));
    const rings = findRings(graph, { maxSize, minSize: 2, seed: 3 });
    // naive components of accounts through strong, non-hub identifiers
    const strong = (t: string, id: string): boolean => t !== 'ip' && !graph.isHub(t, id);
    const accountsOf = new Map<string, Set<string>>();
    for (const [acct, t, id] of links) {
      if (!strong(t, `${t}${id}`)) continue;
      const k = `${t}:${t}${id}`;
      if (!accountsOf.has(k)) accountsOf.set(k, new Set());
      accountsOf.get(k)!.add(`a${acct}`);
    }
    const neighbours = (a: string, within: Set<string>): string[] => {
      const out: string[] = [];
      for (const members of accountsOf.values()) if (members.has(a)) for (const b of members) if (b !== a && within.has(b)) out.push(b);
      return out;
    };
    const all = new Set(links.map(([a]) => `a${a}`));
    const componentOf = new Map<string, Set<string>>();
    for (const a of all) {
      if (componentOf.has(a)) continue;
      const comp = new Set([a]);
      const queue = [a];
      while (queue.length) for (const b of neighbours(queue.shift()!, all)) if (!comp.has(b)) { comp.add(b); queue.push(b); }
      for (const b of comp) componentOf.set(b, comp);
    }
    const seen = new Set<string>();
    for (const ring of rings) {
      const ids = ring.members.map((m) => m.id);
      assert.ok(ring.members.every((m) => m.type === 'account'));
      assert.ok(ids.length >= 2 && ids.length === ring.size);
      for (const id of ids) { assert.ok(!seen.has(id), 'rings are disjoint'); seen.add(id); }
      // connected inside the ring
      const inside = new Set(ids);
      const reached = new Set([ids[0]!]);
      const queue = [ids[0]!];
      while (queue.length) for (const b of neighbours(queue.shift()!, inside)) if (!reached.has(b)) { reached.add(b); queue.push(b); }
      assert.equal(reached.size, inside.size, 'ring is connected');
      const comp = componentOf.get(ids[0]!)!;
      assert.ok(ids.every((id) => comp.has(id)), 'ring lies within one component');
      if (comp.size <= maxSize) assert.equal(ids.length, comp.size, 'small components are reported whole');
      if (!ring.evidence.oversized) assert.ok(ids.length <= maxSize);
      assert.ok(ring.evidence.sharedIdentifiers.every((s) => s.type !== 'ip' && !graph.isHub(s.type, s.id) && s.accounts >= 2));
    }
    // every component within the size limits shows up
    for (const comp of new Set(componentOf.values())) {
      if (comp.size >= 2 && comp.size <= maxSize) assert.ok([...comp].every((a) => seen.has(a)));
    }
  }), { numRuns: 120, seed: 13 });
});

test('a shared hub identifier does not link accounts, a shared card does', () => {
  const graph = new LinkGraph({ hubDegree: { device: 10 } });
  for (let i = 0; i < 30; i++) graph.link('account', `a${i}`, 'device', 'emulator-default-id', i);
  graph.link('account', 'a1', 'card', 'c1', 100);
  graph.link('account', 'a2', 'card', 'c1', 101);
  const rings = findRings(graph);
  assert.equal(rings.length, 1);
  assert.deepEqual(rings[0]!.members.map((m) => m.id).sort(), ['a1', 'a2']);
  assert.deepEqual(rings[0]!.evidence.sharedIdentifiers, [{ type: 'card', id: 'c1', accounts: 2 }]);
  assert.match(rings[0]!.explanation, /2 accounts are linked through 1 shared identifier \(1 card\)/);
});

test('an oversized component is split by Louvain into connected communities', () => {
  const graph = new LinkGraph();
  // two households of 12 accounts, each account on 3 of its household's 4 devices, joined by one bridging card
  for (const house of ['x', 'y']) {
    for (let i = 0; i < 12; i++) for (const d of [0, 1, 2, 3].filter((d) => d !== i % 4)) graph.link('account', `${house}${i}`, 'device', `${house}-dev${d}`, i);
  }
  graph.link('account', 'x0', 'card', 'bridge', 1);
  graph.link('account', 'y0', 'card', 'bridge', 1);
  const whole = findRings(graph, { maxSize: 100 });
  assert.equal(whole.length, 1);
  assert.equal(whole[0]!.size, 24);
  const split = findRings(graph, { maxSize: 15, seed: 5 });
  assert.ok(split.length >= 2, `split into ${split.length}`);
  for (const r of split) {
    assert.ok(r.size <= 15);
    assert.equal(r.evidence.componentSize, 24);
    const houses = new Set(r.members.map((m) => m.id[0]));
    assert.equal(houses.size, 1, 'each community stays inside one household');
  }
  assert.equal(split.reduce((s, r) => s + r.size, 0), 24);
});
