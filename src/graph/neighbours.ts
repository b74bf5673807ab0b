// Graph-neighbour features for decisions and models: what the identifiers next to an account (1 hop) and the accounts
// sharing them (2 hops) look like, kept incrementally in event order so every value is as of before the event read.
import { LINKED_MEASURE_NAMES } from '../lang/index.ts';
import { DEFAULT_HUB_DEGREE, identityLinks } from './feed.ts';
import { LinkGraph } from './link-graph.ts';
import type { Result } from './types.ts';

export interface NeighbourOptions {
  /** links last seen longer ago than this (event time) are forgotten; default 30 days */
  maxAge?: number;
  /** bound on stored links; default 5M */
  maxEdges?: number;
  /** an identifier with more accounts than this links nothing (carrier NAT, shared office); defaults as the detectors */
  hubDegree?: Record<string, number>;
  /** values arrive raw (addresses are folded) rather than pseudonymised */
  rawValues?: boolean;
}

/** Identifier types that tie accounts together here: the strong ones and the full IP (not its /24, too broad). */
const LINK_TYPES = new Set(['device', 'ip', 'card', 'address', 'email']);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MAGIC = 0x424e4247; // "GBNB"
const VERSION = 1;
const M = Object.fromEntries(LINKED_MEASURE_NAMES.map((n, i) => [n, i])) as Record<(typeof LINKED_MEASURE_NAMES)[number], number>;

/**
 * The link graph of accounts and identifiers, plus what each account's own decisions said (latest score, ever
 * blocked, first seen). Per event: link(), then measure() for its features, then outcome(). Deterministic for an event order.
 */
export class NeighbourGraph {
  readonly graph: LinkGraph;
  readonly rawValues: boolean;
  // per account, indexed by its node id in the graph (reset when the id is given to a new node)
  private first = new Float64Array(1024).fill(Infinity);
  private score = new Float32Array(1024).fill(NaN);
  private blocked = new Uint8Array(1024);
  private lastExpire = -Infinity;
  /**
   * Bumped by link(), outcome() and erase(). measure() reuses one account's values until then, which is within one
   * event: the engine links every event before its features read, so labels changed between events are seen.
   */
  private version = 0;
  private cachedFor: string | null = null;
  private cachedVersion = -1;
  private cachedTs = NaN;
  private readonly values = new Float64Array(LINKED_MEASURE_NAMES.length);
  private mark: Int32Array = new Int32Array(1024);
  private stamp = 0;

  constructor(options: NeighbourOptions = {}) {
    this.graph = new LinkGraph({
      maxAge: options.maxAge ?? 30 * DAY, maxEdges: options.maxEdges ?? 5_000_000, hubDegree: { ...DEFAULT_HUB_DEGREE, ...(options.hubDegree ?? {}) },
    });
    this.rawValues = options.rawValues ?? false;
  }

  /** Takes an event's identifier links, before its features are read (as aggregates include the current event). */
  link(ev: Record<string, unknown>): void {
    this.version++;
    const acct = ev['account'];
    const ts = ev['ts'];
    if (typeof acct !== 'string' || acct.length === 0 || typeof ts !== 'number') return;
    const g = this.graph;
    const v = g.internNode('account', acct);
    if (v >= this.first.length) this.grow(v);
    if (g.created) { this.first[v] = Infinity; this.score[v] = NaN; this.blocked[v] = 0; }
    identityLinks(ev, this.rawValues, (type, id) => { if (LINK_TYPES.has(type)) g.linkNodes(v, g.internNode(type, id), ts); });
    g.releaseIfIsolated(v);
    if (ts < this.first[v]!) this.first[v] = ts;
    // expiry sweeps the edge arrays, so it runs once per hour of event time rather than per event
    if (ts - this.lastExpire >= HOUR) { g.expire(ts); this.lastExpire = ts; }
  }

  /** Takes the decision on an event after it is made: the account's latest score, and whether it was ever blocked. */
  outcome(ev: Record<string, unknown>, verdict: string, score: number): void {
    this.version++;
    const v = typeof ev['account'] === 'string' ? this.graph.nodeOf('account', ev['account']) : undefined;
    if (v === undefined) return;
    this.score[v] = score;
    if (verdict === 'block') this.blocked[v] = 1;
  }

  /** link() then outcome(): one decided event. */
  observe(ev: Record<string, unknown>, verdict: string, score: number): void {
    this.link(ev);
    this.outcome(ev, verdict, score);
  }

  /**
   * One measure (an index into LINKED_MEASURE_NAMES) for an account at event time ts. `flagged` says whether a
   * linked account carries a label in force; the engine answers it from its label store.
   */
  measure(account: string, measure: number, ts: number, flagged: (account: string, ts: number) => boolean): number | null {
    if (this.cachedFor !== account || this.cachedVersion !== this.version || this.cachedTs !== ts) {
      this.compute(account, ts, flagged);
      this.cachedFor = account;
      this.cachedVersion = this.version;
      this.cachedTs = ts;
    }
    const v = this.values[measure]!;
    return Number.isNaN(v) ? null : v;
  }

  /** Every measure of an account, by name, computed afresh (outside an event labels may have changed since). */
  measures(account: string, ts: number, flagged: (account: string, ts: number) => boolean): Record<string, number | null> {
    this.compute(account, ts, flagged);
    this.cachedFor = null;
    const out: Record<string, number | null> = {};
    LINKED_MEASURE_NAMES.forEach((n, i) => { const v = this.values[i]!; out[n] = Number.isNaN(v) ? null : v; });
    return out;
  }

  /** Subject erasure: drops an account (its links and what its decisions said) or an identifier ("Device", …). */
  erase(entityType: string, id: string): boolean {
    this.version++;
    const type = entityType.toLowerCase();
    const v = this.graph.nodeOf(type, id);
    if (v === undefined) return false;
    if (type === 'account') { this.first[v] = Infinity; this.score[v] = NaN; this.blocked[v] = 0; }
    return this.graph.removeNode(type, id);
  }

  private compute(account: string, ts: number, flagged: (account: string, ts: number) => boolean): void {
    const out = this.values;
    out.fill(NaN);
    out[M.identifiers] = 0; out[M.max_shared] = 0; out[M.accounts] = 0; out[M.flagged] = 0;
    const g = this.graph;
    const v = g.nodeOf('account', account);
    if (v === undefined) return;
    if (++this.stamp === 0x7fffffff) { this.mark.fill(0); this.stamp = 1; }
    const stamp = this.stamp;
    let ids = 0, sharedSum = 0, sharedMax = 0, accounts = 0, flaggedN = 0;
    let scored = 0, scoreSum = 0, scoreMax = -Infinity, aged = 0, ageSum = 0, ageMin = Infinity;
    const edges = g.edgesOf(v);
    for (let i = 0; i < edges.length; i++) {
      const w = g.otherEnd(edges[i]!, v);
      if (g.isHubNode(w)) continue;
      ids++;
      const shared = g.degreeOfNode(w) - 1;
      sharedSum += shared;
      if (shared > sharedMax) sharedMax = shared;
      const second = g.edgesOf(w);
      for (let j = 0; j < second.length; j++) {
        const u = g.otherEnd(second[j]!, w);
        if (u === v) continue;
        if (u >= this.mark.length) this.mark = growMark(this.mark, u);
        if (this.mark[u] === stamp) continue;
        this.mark[u] = stamp;
        accounts++;
        if (this.blocked[u] === 1 || flagged(g.keyOf(u)!, ts)) flaggedN++;
        const s = this.score[u]!;
        if (!Number.isNaN(s)) { scored++; scoreSum += s; if (s > scoreMax) scoreMax = s; }
        const f = this.first[u]!;
        if (f !== Infinity) { const age = Math.max(0, ts - f) / DAY; aged++; ageSum += age; if (age < ageMin) ageMin = age; }
      }
    }
    out[M.identifiers] = ids;
    out[M.max_shared] = sharedMax;
    if (ids > 0) out[M.mean_shared] = sharedSum / ids;
    out[M.accounts] = accounts;
    out[M.flagged] = flaggedN;
    if (accounts > 0) out[M.flagged_share] = flaggedN / accounts;
    if (scored > 0) { out[M.max_score] = scoreMax; out[M.mean_score] = scoreSum / scored; }
    if (aged > 0) { out[M.min_age_days] = ageMin; out[M.mean_age_days] = ageSum / aged; }
  }

  private grow(need: number): void {
    let n = this.first.length;
    while (n <= need) n *= 2;
    const first = new Float64Array(n).fill(Infinity); first.set(this.first); this.first = first;
    const score = new Float32Array(n).fill(NaN); score.set(this.score); this.score = score;
    const blocked = new Uint8Array(n); blocked.set(this.blocked); this.blocked = blocked;
  }

  /** Bytes for a state snapshot: the link graph's own snapshot, then each account's id and outcomes. */
  snapshot(): Uint8Array {
    const graph = this.graph.snapshot();
    const g = this.graph;
    const t = g.typeIndexOf('account');
    const ids: string[] = [];
    const nodes: number[] = [];
    for (let v = 0; v < this.first.length; v++) if (t >= 0 && g.nodeTypeIndex(v) === t) { ids.push(g.keyOf(v)!); nodes.push(v); }
    const meta = new TextEncoder().encode(JSON.stringify({ accounts: ids, lastExpire: this.lastExpire, rawValues: this.rawValues }));
    const out = new Uint8Array(16 + graph.length + meta.length + ids.length * 13);
    const view = new DataView(out.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, VERSION, true);
    view.setUint32(8, graph.length, true);
    view.setUint32(12, meta.length, true);
    out.set(graph, 16);
    out.set(meta, 16 + graph.length);
    let p = 16 + graph.length + meta.length;
    for (const v of nodes) { view.setFloat64(p, this.first[v]!, true); view.setFloat32(p + 8, this.score[v]!, true); out[p + 12] = this.blocked[v]!; p += 13; }
    return out;
  }

  static restore(bytes: Uint8Array, options: NeighbourOptions = {}): Result<NeighbourGraph> {
    const bad = (message: string): Result<NeighbourGraph> => ({ ok: false, error: { code: 'BadSnapshot', message } });
    if (bytes.length < 16) return bad('neighbour graph snapshot is too short');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) return bad('not a neighbour graph snapshot (bad magic)');
    if (view.getUint32(4, true) !== VERSION) return bad(`unsupported neighbour graph snapshot version ${view.getUint32(4, true)}`);
    const gLen = view.getUint32(8, true), mLen = view.getUint32(12, true);
    if (16 + gLen + mLen > bytes.length) return bad('neighbour graph snapshot is truncated');
    const graph = LinkGraph.restore(bytes.subarray(16, 16 + gLen));
    if (!graph.ok) return graph as Result<NeighbourGraph>;
    let meta: { accounts: string[]; lastExpire: number | null; rawValues: boolean };
    try { meta = JSON.parse(new TextDecoder().decode(bytes.subarray(16 + gLen, 16 + gLen + mLen))); } catch { return bad('neighbour graph snapshot has a corrupt account list'); }
    if (!Array.isArray(meta.accounts) || 16 + gLen + mLen + meta.accounts.length * 13 !== bytes.length) return bad('neighbour graph snapshot size does not match its account count');
    const ng = new NeighbourGraph({ ...options, rawValues: meta.rawValues });
    (ng as { graph: LinkGraph }).graph = graph.value;
    ng.lastExpire = meta.lastExpire ?? -Infinity; // JSON writes -Infinity as null
    let p = 16 + gLen + mLen;
    for (const id of meta.accounts) {
      const v = graph.value.nodeOf('account', id);
      if (v === undefined) return bad(`neighbour graph snapshot names account ${id}, which its graph does not hold`);
      if (v >= ng.first.length) ng.grow(v);
      ng.first[v] = view.getFloat64(p, true); ng.score[v] = view.getFloat32(p + 8, true); ng.blocked[v] = bytes[p + 12]!; p += 13;
    }
    return { ok: true, value: ng };
  }
}

function growMark(mark: Int32Array, need: number): Int32Array {
  let n = mark.length;
  while (n <= need) n *= 2;
  const next = new Int32Array(n);
  next.set(mark);
  return next;
}
