// Linked-account rings: accounts joined through shared strong identifiers (device, card, address, canonical
// e-mail) — components by union-find, oversized ones split by Louvain into connected communities.
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import type { Bipartite } from './csr.ts';
import type { LinkGraph } from './link-graph.ts';
import { seededRandom } from './random.ts';
import type { DetectedGroup, EntityRef, IndexNames } from './types.ts';
import { plainNames, round } from './types.ts';
import type { Components } from './union-find.ts';
import { UnionFind, groupByLabel } from './union-find.ts';

// the package is CommonJS (module.exports = fn) while its typings say `export default`; accept both shapes
type LouvainFn = (graph: UndirectedGraph, options: { resolution?: number; rng?: () => number }) => Record<string, number>;
const louvain: LouvainFn = ((louvainModule as unknown as { default?: LouvainFn }).default ?? louvainModule) as unknown as LouvainFn;

export const STRONG_IDENTIFIERS = ['device', 'card', 'address', 'email'];

export interface RingOptions {
  /** rings smaller than this are not reported; default 2 */
  minSize?: number;
  /** components above this many accounts are split with Louvain; default 50 */
  maxSize?: number;
  /** Louvain resolution; higher gives smaller communities; default 1 */
  resolution?: number;
  seed?: number;
  /** at most this many shared identifiers listed as evidence per ring; default 50 */
  maxEvidence?: number;
  names?: IndexNames;
}

export interface SharedIdentifier extends EntityRef {
  /** ring members linked to it */
  accounts: number;
}

export interface RingEvidence {
  accounts: number[];
  sharedIdentifiers: SharedIdentifier[];
  /** distinct identifiers shared by two or more members (the list above may be truncated) */
  sharedCount: number;
  /** size of the connected component the ring was cut from */
  componentSize: number;
  /** true when Louvain could not bring the ring under maxSize */
  oversized: boolean;
}

export type Ring = DetectedGroup<RingEvidence>;

/**
 * Connected components of rows where two rows are joined when they share a column (account–identifier–
 * account paths). Columns flagged in `skipCols` (hubs) do not join anything. O(E α(N)).
 */
export function linkedComponents(g: Bipartite, skipCols?: Uint8Array): Components {
  const uf = new UnionFind(g.rows);
  const { colOffsets, colTargets } = g;
  for (let c = 0; c < g.cols; c++) {
    if (skipCols && skipCols[c] === 1) continue;
    const start = colOffsets[c]!, end = colOffsets[c + 1]!;
    if (end - start < 2) continue;
    const first = colTargets[start]!;
    for (let k = start + 1; k < end; k++) uf.union(first, colTargets[k]!);
  }
  return uf.components();
}

/** Connected components of an undirected CSR. */
export function connectedComponents(nodes: number, offsets: Int32Array, targets: Int32Array): Components {
  const uf = new UnionFind(nodes);
  for (let v = 0; v < nodes; v++) {
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const u = targets[k]!;
      if (u > v) uf.union(v, u);
    }
  }
  return uf.components();
}

/** Rings over a bipartite accounts × identifiers graph (hubs already left out by the caller). */
export function findRingsIn(g: Bipartite, options: RingOptions = {}): Ring[] {
  const minSize = options.minSize ?? 2;
  const maxSize = options.maxSize ?? 50;
  const names = options.names ?? plainNames('account', 'identifier');
  const rng = seededRandom(options.seed ?? 1);
  const comps = linkedComponents(g);
  const { offsets, members } = groupByLabel(comps.labels, comps.count);
  const rings: Ring[] = [];
  for (let c = 0; c < comps.count; c++) {
    const size = comps.sizes[c]!;
    if (size < minSize) continue;
    const accounts = members.subarray(offsets[c]!, offsets[c + 1]!);
    const parts = size > maxSize ? splitCommunity(g, accounts, maxSize, options.resolution ?? 1, rng, 0) : [Array.from(accounts)];
    for (const part of parts) {
      if (part.length < minSize) continue;
      rings.push(ring(g, part, size, part.length > maxSize, names, options.maxEvidence ?? 50));
    }
  }
  return rings.sort((a, b) => b.score - a.score || b.size - a.size);
}

/** Rings from the live link graph: accounts × strong identifiers, hubs excluded. */
export function findRings(graph: LinkGraph, options: RingOptions & { accountType?: string; identifierTypes?: string[] } = {}): Ring[] {
  const view = graph.toBipartite(options.accountType ?? 'account', options.identifierTypes ?? STRONG_IDENTIFIERS, { hubs: 'exclude' });
  return findRingsIn(view.graph, { ...options, names: { row: view.row, col: view.col } });
}

/**
 * Louvain on the component's account–identifier subgraph (bipartite keeps it linear in edges, unlike the
 * account projection). Each community's accounts are re-checked for connectivity through identifiers and
 * split into their components; parts still too big are split again, a few levels deep at most.
 */
function splitCommunity(g: Bipartite, accounts: ArrayLike<number>, maxSize: number, resolution: number, rng: () => number, depth: number): number[][] {
  const graph = new UndirectedGraph();
  for (let i = 0; i < accounts.length; i++) graph.addNode(`a${accounts[i]}`);
  for (let i = 0; i < accounts.length; i++) {
    const r = accounts[i]!;
    for (let e = g.rowOffsets[r]!; e < g.rowOffsets[r + 1]!; e++) {
      const col = `i${g.rowTargets[e]}`;
      graph.mergeNode(col);
      graph.mergeEdge(`a${r}`, col);
    }
  }
  const community = louvain(graph, { resolution, rng });
  const byCommunity = new Map<number, number[]>();
  for (let i = 0; i < accounts.length; i++) {
    const r = accounts[i]!;
    const k = community[`a${r}`]!;
    let list = byCommunity.get(k);
    if (!list) byCommunity.set(k, (list = []));
    list.push(r);
  }
  const out: number[][] = [];
  for (const list of byCommunity.values()) {
    for (const part of connectedParts(g, list)) {
      // stop when Louvain made no progress, otherwise recurse on what is still too big
      if (part.length > maxSize && depth < 4 && part.length < accounts.length) out.push(...splitCommunity(g, part, maxSize, resolution, rng, depth + 1));
      else out.push(part);
    }
  }
  return out;
}

/** Splits a set of accounts into the parts that are connected through identifiers they share. */
export function connectedParts(g: Bipartite, accounts: number[]): number[][] {
  const local = new Map<number, number>();
  accounts.forEach((r, i) => local.set(r, i));
  const uf = new UnionFind(accounts.length);
  const seenCol = new Map<number, number>();
  for (let i = 0; i < accounts.length; i++) {
    const r = accounts[i]!;
    for (let e = g.rowOffsets[r]!; e < g.rowOffsets[r + 1]!; e++) {
      const c = g.rowTargets[e]!;
      const first = seenCol.get(c);
      if (first === undefined) seenCol.set(c, i);
      else uf.union(first, i);
    }
  }
  const comps = uf.components();
  const parts: number[][] = Array.from({ length: comps.count }, () => []);
  for (let i = 0; i < accounts.length; i++) parts[comps.labels[i]!]!.push(accounts[i]!);
  for (const p of parts) p.sort((x, y) => x - y);
  return parts;
}

function ring(g: Bipartite, accounts: number[], componentSize: number, oversized: boolean, names: IndexNames, maxEvidence: number): Ring {
  const perCol = new Map<number, number>();
  for (const r of accounts) {
    for (let e = g.rowOffsets[r]!; e < g.rowOffsets[r + 1]!; e++) perCol.set(g.rowTargets[e]!, (perCol.get(g.rowTargets[e]!) ?? 0) + 1);
  }
  const shared = [...perCol.entries()].filter(([, n]) => n >= 2).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const sharedIdentifiers = shared.slice(0, maxEvidence).map(([c, n]) => ({ ...names.col(c), accounts: n }));
  // links beyond the minimum needed to connect the ring: a chain of one-off overlaps scores low,
  // many accounts on the same device/card/address score high
  const memberships = shared.reduce((s, [, n]) => s + n, 0);
  const redundancy = memberships - shared.length - (accounts.length - 1);
  const score = round(Math.log2(accounts.length) * (1 + redundancy / accounts.length));
  const byType = new Map<string, number>();
  for (const id of sharedIdentifiers) byType.set(id.type, (byType.get(id.type) ?? 0) + 1);
  const typeList = [...byType.entries()].map(([t, n]) => `${n} ${t}${n === 1 ? '' : 's'}`).join(', ');
  return {
    kind: 'ring',
    members: accounts.map((r) => names.row(r)),
    size: accounts.length,
    score,
    explanation:
      `${accounts.length} accounts are linked through ${shared.length} shared identifier${shared.length === 1 ? '' : 's'}` +
      (typeList ? ` (${typeList}${shared.length > sharedIdentifiers.length ? ' listed' : ''})` : '') +
      (componentSize > accounts.length ? `; cut from a linked component of ${componentSize}` : ''),
    evidence: { accounts, sharedIdentifiers, sharedCount: shared.length, componentSize, oversized },
  };
}
