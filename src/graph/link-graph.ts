// Entity link graph kept incrementally from events (account–device, account–ip, buyer–seller, …): interned
// typed nodes, counted edges with first/last seen, expiry by age, bounded memory, hub detection, CSR views.
import type { Bipartite, Csr } from './csr.ts';
import { buildBipartite, buildCsr } from './csr.ts';
import type { EntityRef, GraphError, Result } from './types.ts';

export interface LinkGraphOptions {
  /** edges whose last sighting is older than now - maxAge are dropped by expire(now); default never */
  maxAge?: number;
  /** hard bound on stored edges; beyond it the least recently seen edges are dropped; default 10M */
  maxEdges?: number;
  /** per node type: a node with more distinct neighbours than this is a hub (carrier NAT IP, viral post) */
  hubDegree?: Record<string, number>;
}

export interface LinkGraphStats {
  nodes: number;
  edges: number;
  nodesByType: Record<string, number>;
  /** edges dropped by expire() */
  expired: number;
  /** edges dropped to stay under maxEdges */
  evicted: number;
  hubs: number;
  /** bytes held by the typed arrays (string keys and maps come on top) */
  arrayBytes: number;
}

export interface Hub extends EntityRef {
  degree: number;
  threshold: number;
}

/** How hub nodes enter a CSR view: dropped, or kept with weight scaled by threshold / degree. */
export type HubPolicy = 'exclude' | 'downweight' | 'keep';

export interface CsrView {
  csr: Csr;
  /** node id → entity, for reading results back */
  entity(node: number): EntityRef | undefined;
}

export interface BipartiteView {
  graph: Bipartite;
  rowNode: Int32Array;
  colNode: Int32Array;
  row(row: number): EntityRef;
  col(col: number): EntityRef;
}

// node ids are packed in pairs into one float64 map key, so they must stay below 2^26
const NODE_LIMIT = 2 ** 26;
const MAGIC = 0x474c5742; // "BWLG"
const VERSION = 1;

export class LinkGraph {
  readonly maxAge: number;
  readonly maxEdges: number;
  private readonly hubDegree: Record<string, number>;

  private typeNames: string[] = [];
  private typeIndex = new Map<string, number>();
  private keyIndex: Map<string, number>[] = []; // per type: external id → node id
  private hubLimitByType: number[] = [];

  private nodeType = new Int32Array(1024).fill(-1);
  private nodeKey: (string | undefined)[] = [];
  private degree = new Int32Array(1024);
  private nodeCount = 0; // high-water mark of node ids
  private freeNodes: number[] = [];
  private liveNodes = 0;

  private edgeA = new Int32Array(1024).fill(-1);
  private edgeB = new Int32Array(1024);
  private edgeCount = new Float64Array(1024);
  private edgeFirst = new Float64Array(1024);
  private edgeLast = new Float64Array(1024);
  private edgeTop = 0;
  private freeEdges: number[] = [];
  private liveEdges = 0;
  private edgeIndex = new Map<number, number>();
  /** per node: the ids of its live edges, for neighbourhood reads without a CSR build */
  private adj: number[][] = [];

  private expiredTotal = 0;
  private evictedTotal = 0;

  constructor(options: LinkGraphOptions = {}) {
    this.maxAge = options.maxAge ?? Infinity;
    this.maxEdges = Math.min(options.maxEdges ?? 10_000_000, NODE_LIMIT / 2 - 1);
    this.hubDegree = { ...(options.hubDegree ?? {}) };
  }

  /** Records one sighting of a link between two entities at event time ts. Self-links are ignored. */
  link(aType: string, aId: string, bType: string, bId: string, ts: number): void {
    const a = this.intern(aType, aId);
    this.linkNodes(a, this.intern(bType, bId), ts);
    this.releaseIfIsolated(a);
  }

  /**
   * The node id of an entity, created (with no links) when new; `created` tells which. A caller linking one
   * entity to several others interns it once, links with linkNodes(), then calls releaseIfIsolated().
   */
  internNode(type: string, id: string): number {
    const before = this.liveNodes;
    const v = this.intern(type, id);
    this.created = this.liveNodes !== before;
    return v;
  }

  /** Whether the last internNode() call made a new node. */
  created = false;

  /** link() on interned node ids; a released node (evicted meanwhile) or a self-link records nothing. */
  linkNodes(a: number, b: number, ts: number): void {
    if (a === b || this.nodeType[a]! < 0 || this.nodeType[b]! < 0) { this.releaseIfIsolated(b); return; }
    const key = a < b ? a * NODE_LIMIT + b : b * NODE_LIMIT + a;
    const e = this.edgeIndex.get(key);
    if (e !== undefined) {
      this.edgeCount[e]!++;
      if (ts < this.edgeFirst[e]!) this.edgeFirst[e] = ts;
      if (ts > this.edgeLast[e]!) this.edgeLast[e] = ts;
      return;
    }
    this.addEdge(key, a, b, 1, ts, ts);
    if (this.liveEdges > this.maxEdges) this.evictOldest();
  }

  /** Frees a node that has no links (interned but never linked). */
  releaseIfIsolated(v: number): void {
    if (this.nodeType[v]! >= 0 && this.degree[v] === 0) this.releaseNode(v);
  }

  /** Drops edges last seen before now - maxAge, and nodes left without edges. Returns edges dropped. */
  expire(now: number): number {
    if (this.maxAge === Infinity) return 0;
    const cutoff = now - this.maxAge;
    let dropped = 0;
    for (let e = 0; e < this.edgeTop; e++) {
      if (this.edgeA[e]! >= 0 && this.edgeLast[e]! < cutoff) { this.removeEdge(e); dropped++; }
    }
    this.expiredTotal += dropped;
    return dropped;
  }

  nodeOf(type: string, id: string): number | undefined {
    const t = this.typeIndex.get(type);
    return t === undefined ? undefined : this.keyIndex[t]!.get(id);
  }

  entity(node: number): EntityRef | undefined {
    const key = this.nodeKey[node];
    return key === undefined ? undefined : { type: this.typeNames[this.nodeType[node]!]!, id: key };
  }

  degreeOf(type: string, id: string): number {
    const n = this.nodeOf(type, id);
    return n === undefined ? 0 : this.degree[n]!;
  }

  /** The link between two entities, if seen and not expired. */
  edge(aType: string, aId: string, bType: string, bId: string): { count: number; firstTs: number; lastTs: number } | undefined {
    const a = this.nodeOf(aType, aId), b = this.nodeOf(bType, bId);
    if (a === undefined || b === undefined) return undefined;
    const e = this.edgeIndex.get(a < b ? a * NODE_LIMIT + b : b * NODE_LIMIT + a);
    if (e === undefined) return undefined;
    return { count: this.edgeCount[e]!, firstTs: this.edgeFirst[e]!, lastTs: this.edgeLast[e]! };
  }

  /** Live edge ids at a node (do not modify); read the other end with otherEnd(). */
  edgesOf(node: number): readonly number[] {
    return this.adj[node] ?? NO_EDGES;
  }

  otherEnd(edge: number, node: number): number {
    const a = this.edgeA[edge]!;
    return a === node ? this.edgeB[edge]! : a;
  }

  /** Drops a node and every link it has (subject erasure); false when it is not in the graph. */
  removeNode(type: string, id: string): boolean {
    const v = this.nodeOf(type, id);
    if (v === undefined) return false;
    const edges = this.adj[v];
    while (edges !== undefined && edges.length > 0) this.removeEdge(edges[edges.length - 1]!);
    this.releaseIfIsolated(v);
    return true;
  }

  /** The external id of a live node (no object built, unlike entity()). */
  keyOf(node: number): string | undefined {
    return this.nodeKey[node];
  }

  /** Index of a node type (stable for the graph's life), -1 when no node of it was ever seen. */
  typeIndexOf(type: string): number {
    return this.typeIndex.get(type) ?? -1;
  }

  nodeTypeIndex(node: number): number {
    return this.nodeType[node]!;
  }

  /** Degree of a node id (distinct neighbours). */
  degreeOfNode(node: number): number {
    return this.degree[node]!;
  }

  /** Hub thresholds by node type (types without one never become hubs). */
  hubThresholds(): Record<string, number> {
    return { ...this.hubDegree };
  }

  isHubNode(node: number): boolean {
    const t = this.nodeType[node]!;
    return t >= 0 && this.degree[node]! > this.hubLimitByType[t]!;
  }

  isHub(type: string, id: string): boolean {
    const n = this.nodeOf(type, id);
    return n !== undefined && this.isHubNode(n);
  }

  /** Nodes currently above their type's hub threshold, highest degree first. */
  hubs(type?: string): Hub[] {
    const out: Hub[] = [];
    for (let v = 0; v < this.nodeCount; v++) {
      if (!this.isHubNode(v)) continue;
      const t = this.typeNames[this.nodeType[v]!]!;
      if (type !== undefined && t !== type) continue;
      out.push({ type: t, id: this.nodeKey[v]!, degree: this.degree[v]!, threshold: this.hubLimitByType[this.nodeType[v]!]! });
    }
    return out.sort((x, y) => y.degree - x.degree || (x.type < y.type ? -1 : x.type > y.type ? 1 : x.id < y.id ? -1 : 1));
  }

  stats(): LinkGraphStats {
    const nodesByType: Record<string, number> = {};
    for (let t = 0; t < this.typeNames.length; t++) nodesByType[this.typeNames[t]!] = this.keyIndex[t]!.size;
    let hubs = 0;
    for (let v = 0; v < this.nodeCount; v++) if (this.isHubNode(v)) hubs++;
    const arrayBytes =
      this.nodeType.byteLength + this.degree.byteLength + this.edgeA.byteLength + this.edgeB.byteLength +
      this.edgeCount.byteLength + this.edgeFirst.byteLength + this.edgeLast.byteLength;
    return { nodes: this.liveNodes, edges: this.liveEdges, nodesByType, expired: this.expiredTotal, evicted: this.evictedTotal, hubs, arrayBytes };
  }

  /** Calls fn for every live edge (node ids, count, first and last ts). */
  forEachEdge(fn: (a: number, b: number, count: number, firstTs: number, lastTs: number) => void): void {
    for (let e = 0; e < this.edgeTop; e++) {
      const a = this.edgeA[e]!;
      if (a >= 0) fn(a, this.edgeB[e]!, this.edgeCount[e]!, this.edgeFirst[e]!, this.edgeLast[e]!);
    }
  }

  /**
   * Undirected CSR over node ids (free ids are isolated). `types` limits which node types take part; weights
   * are 1, or the sighting count with weight: 'count'; hubs per policy (default exclude).
   */
  toCsr(options: { types?: string[]; hubs?: HubPolicy; weight?: 'binary' | 'count' } = {}): CsrView {
    const policy = options.hubs ?? 'exclude';
    const allowed = this.typeMask(options.types);
    const a = new Int32Array(this.liveEdges), b = new Int32Array(this.liveEdges), w = new Float32Array(this.liveEdges);
    let m = 0;
    for (let e = 0; e < this.edgeTop; e++) {
      const x = this.edgeA[e]!;
      if (x < 0) continue;
      const y = this.edgeB[e]!;
      if (!allowed[this.nodeType[x]!] || !allowed[this.nodeType[y]!]) continue;
      let weight = options.weight === 'count' ? this.edgeCount[e]! : 1;
      if (policy !== 'keep') {
        for (const v of [x, y]) {
          if (!this.isHubNode(v)) continue;
          if (policy === 'exclude') weight = 0;
          else weight *= this.hubLimitByType[this.nodeType[v]!]! / this.degree[v]!;
        }
        if (weight === 0) continue;
      }
      a[m] = x; b[m] = y; w[m] = weight; m++;
    }
    return { csr: buildCsr(this.nodeCount, a, b, w, m), entity: (node) => this.entity(node) };
  }

  /**
   * Bipartite view rows × cols, e.g. accounts × strong identifiers. Hub columns (and hub rows) are left out:
   * a carrier NAT IP or viral post links strangers and would merge unrelated accounts.
   */
  toBipartite(rowType: string, colTypes: string[], options: { hubs?: 'exclude' | 'keep' } = {}): BipartiteView {
    const exclude = (options.hubs ?? 'exclude') === 'exclude';
    const rt = this.typeIndex.get(rowType) ?? -1;
    const colMask = this.typeMask(colTypes);
    const rowIndex = new Int32Array(this.nodeCount).fill(-1);
    const colIndex = new Int32Array(this.nodeCount).fill(-1);
    const rowNode: number[] = [];
    const colNode: number[] = [];
    const src = new Int32Array(this.liveEdges), dst = new Int32Array(this.liveEdges);
    let m = 0;
    for (let e = 0; e < this.edgeTop; e++) {
      let x = this.edgeA[e]!;
      if (x < 0) continue;
      let y = this.edgeB[e]!;
      if (this.nodeType[x] !== rt) { const t = x; x = y; y = t; }
      if (this.nodeType[x] !== rt || !colMask[this.nodeType[y]!] || x === y) continue;
      if (exclude && (this.isHubNode(x) || this.isHubNode(y))) continue;
      if (rowIndex[x]! < 0) { rowIndex[x] = rowNode.length; rowNode.push(x); }
      if (colIndex[y]! < 0) { colIndex[y] = colNode.length; colNode.push(y); }
      src[m] = rowIndex[x]!; dst[m] = colIndex[y]!; m++;
    }
    const rows = Int32Array.from(rowNode), cols = Int32Array.from(colNode);
    return {
      graph: buildBipartite(rows.length, cols.length, src, dst, m),
      rowNode: rows,
      colNode: cols,
      row: (r) => this.entity(rows[r]!)!,
      col: (c) => this.entity(cols[c]!)!,
    };
  }

  /** Serialises the whole graph (options, nodes, edges) to bytes with a CRC-32 trailer. */
  snapshot(): Uint8Array {
    // compact node ids so restore does not inherit holes
    const remap = new Int32Array(this.nodeCount).fill(-1);
    const nodes: [number, string][] = [];
    for (let v = 0; v < this.nodeCount; v++) {
      const key = this.nodeKey[v];
      if (key === undefined) continue;
      remap[v] = nodes.length;
      nodes.push([this.nodeType[v]!, key]);
    }
    const meta = new TextEncoder().encode(JSON.stringify({
      maxAge: this.maxAge === Infinity ? null : this.maxAge,
      maxEdges: this.maxEdges,
      hubDegree: this.hubDegree,
      types: this.typeNames,
      nodes,
      expired: this.expiredTotal,
      evicted: this.evictedTotal,
    }));
    const E = this.liveEdges;
    const metaPad = (8 - ((16 + meta.length) % 8)) % 8;
    const edgeStart = 16 + meta.length + metaPad;
    const total = edgeStart + E * (8 + 8 + 8 + 4 + 4) + 4;
    const buf = new ArrayBuffer(total);
    const bytes = new Uint8Array(buf);
    const view = new DataView(buf);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, VERSION, true);
    view.setUint32(8, meta.length, true);
    view.setUint32(12, E, true);
    bytes.set(meta, 16);
    const count = new Float64Array(buf, edgeStart, E);
    const first = new Float64Array(buf, edgeStart + 8 * E, E);
    const last = new Float64Array(buf, edgeStart + 16 * E, E);
    const ea = new Int32Array(buf, edgeStart + 24 * E, E);
    const eb = new Int32Array(buf, edgeStart + 28 * E, E);
    let i = 0;
    for (let e = 0; e < this.edgeTop; e++) {
      if (this.edgeA[e]! < 0) continue;
      count[i] = this.edgeCount[e]!; first[i] = this.edgeFirst[e]!; last[i] = this.edgeLast[e]!;
      ea[i] = remap[this.edgeA[e]!]!; eb[i] = remap[this.edgeB[e]!]!;
      i++;
    }
    view.setUint32(total - 4, crc32(bytes.subarray(0, total - 4)), true);
    return bytes;
  }

  /** Rebuilds a graph from snapshot() bytes; corrupt or foreign bytes give a BadSnapshot error value. */
  static restore(bytes: Uint8Array): Result<LinkGraph> {
    const bad = (message: string): { ok: false; error: GraphError } => ({ ok: false, error: { code: 'BadSnapshot', message } });
    if (bytes.length < 20) return bad('snapshot is too short');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) return bad('not a link graph snapshot (bad magic)');
    if (view.getUint32(4, true) !== VERSION) return bad(`unsupported snapshot version ${view.getUint32(4, true)}`);
    if (crc32(bytes.subarray(0, bytes.length - 4)) !== view.getUint32(bytes.length - 4, true)) return bad('checksum mismatch');
    const metaLen = view.getUint32(8, true);
    const E = view.getUint32(12, true);
    const metaPad = (8 - ((16 + metaLen) % 8)) % 8;
    const edgeStart = 16 + metaLen + metaPad;
    if (edgeStart + E * 32 + 4 !== bytes.length) return bad('length does not match header');
    let meta: {
      maxAge: number | null; maxEdges: number; hubDegree: Record<string, number>; types: string[];
      nodes: [number, string][]; expired: number; evicted: number;
    };
    try {
      meta = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + metaLen)));
    } catch {
      return bad('metadata is not valid JSON');
    }
    const g = new LinkGraph({ maxAge: meta.maxAge ?? Infinity, maxEdges: meta.maxEdges, hubDegree: meta.hubDegree });
    const ids = meta.nodes.map(([t, key]) => g.intern(meta.types[t]!, key));
    // copy out of the (possibly unaligned) input before viewing as typed arrays
    const edgeBytes = bytes.slice(edgeStart, edgeStart + E * 32);
    const eb = edgeBytes.buffer;
    const count = new Float64Array(eb, 0, E), first = new Float64Array(eb, 8 * E, E), last = new Float64Array(eb, 16 * E, E);
    const ea = new Int32Array(eb, 24 * E, E), ebn = new Int32Array(eb, 28 * E, E);
    for (let i = 0; i < E; i++) {
      const a = ids[ea[i]!], b = ids[ebn[i]!];
      if (a === undefined || b === undefined) return bad(`edge ${i} points at a missing node`);
      g.addEdge(a < b ? a * NODE_LIMIT + b : b * NODE_LIMIT + a, a, b, count[i]!, first[i]!, last[i]!);
    }
    g.expiredTotal = meta.expired;
    g.evictedTotal = meta.evicted;
    return { ok: true, value: g };
  }

  private typeMask(types: string[] | undefined): boolean[] {
    return this.typeNames.map((t) => types === undefined || types.includes(t));
  }

  private intern(type: string, id: string): number {
    let t = this.typeIndex.get(type);
    if (t === undefined) {
      t = this.typeNames.length;
      this.typeNames.push(type);
      this.typeIndex.set(type, t);
      this.keyIndex.push(new Map());
      this.hubLimitByType.push(this.hubDegree[type] ?? Infinity);
    }
    const keys = this.keyIndex[t]!;
    let v = keys.get(id);
    if (v !== undefined) return v;
    v = this.freeNodes.length > 0 ? this.freeNodes.pop()! : this.nodeCount++;
    if (v >= this.nodeType.length) {
      this.nodeType = grow(this.nodeType, -1);
      this.degree = grow(this.degree, 0);
    }
    this.nodeType[v] = t;
    this.nodeKey[v] = id;
    this.degree[v] = 0;
    keys.set(id, v);
    this.liveNodes++;
    return v;
  }

  private addEdge(key: number, a: number, b: number, count: number, first: number, last: number): void {
    let e: number;
    if (this.freeEdges.length > 0) e = this.freeEdges.pop()!;
    else {
      e = this.edgeTop++;
      if (e >= this.edgeA.length) {
        this.edgeA = grow(this.edgeA, -1);
        this.edgeB = grow(this.edgeB, 0);
        this.edgeCount = grow(this.edgeCount, 0);
        this.edgeFirst = grow(this.edgeFirst, 0);
        this.edgeLast = grow(this.edgeLast, 0);
      }
    }
    this.edgeA[e] = a; this.edgeB[e] = b;
    this.edgeCount[e] = count; this.edgeFirst[e] = first; this.edgeLast[e] = last;
    this.edgeIndex.set(key, e);
    (this.adj[a] ??= []).push(e);
    (this.adj[b] ??= []).push(e);
    this.degree[a]!++;
    this.degree[b]!++;
    this.liveEdges++;
  }

  private removeEdge(e: number): void {
    const a = this.edgeA[e]!, b = this.edgeB[e]!;
    this.edgeIndex.delete(a < b ? a * NODE_LIMIT + b : b * NODE_LIMIT + a);
    this.edgeA[e] = -1;
    dropEdge(this.adj[a]!, e);
    dropEdge(this.adj[b]!, e);
    this.freeEdges.push(e);
    this.liveEdges--;
    if (--this.degree[a]! === 0) this.releaseNode(a);
    if (--this.degree[b]! === 0) this.releaseNode(b);
  }

  private releaseNode(v: number): void {
    this.keyIndex[this.nodeType[v]!]!.delete(this.nodeKey[v]!);
    this.nodeKey[v] = undefined;
    this.nodeType[v] = -1;
    this.freeNodes.push(v);
    this.liveNodes--;
  }

  /**
   * Drops the least recently seen edges in one batch (at least 1% of maxEdges) so the sort it needs is
   * amortised over many inserts; ties on last ts go by edge slot, which keeps replays deterministic.
   */
  private evictOldest(): void {
    const k = Math.max(this.liveEdges - this.maxEdges, Math.ceil(this.maxEdges * 0.01));
    const ts = new Float64Array(this.liveEdges);
    let i = 0;
    for (let e = 0; e < this.edgeTop; e++) if (this.edgeA[e]! >= 0) ts[i++] = this.edgeLast[e]!;
    ts.sort();
    const cutoff = ts[Math.min(k, ts.length) - 1]!;
    let below = 0;
    for (let j = 0; j < ts.length && ts[j]! < cutoff; j++) below++;
    let atCutoff = k - below;
    let dropped = 0;
    for (let e = 0; e < this.edgeTop; e++) {
      if (this.edgeA[e]! < 0) continue;
      const t = this.edgeLast[e]!;
      if (t < cutoff || (t === cutoff && atCutoff-- > 0)) { this.removeEdge(e); dropped++; }
    }
    this.evictedTotal += dropped;
  }
}

const NO_EDGES: readonly number[] = [];

/** Removes edge e from an adjacency list by swapping in the last entry (order does not matter). */
function dropEdge(list: number[], e: number): void {
  const i = list.indexOf(e);
  if (i < 0) return;
  list[i] = list[list.length - 1]!;
  list.pop();
}

function grow<T extends Int32Array | Float64Array>(arr: T, fill: number): T {
  const next = new (arr.constructor as { new (n: number): T })(arr.length * 2);
  next.set(arr);
  if (fill !== 0) next.fill(fill, arr.length);
  return next;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
