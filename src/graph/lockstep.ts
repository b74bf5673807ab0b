// Lockstep groups (SynchroTrap / CopyCatch style): accounts acting on the same targets in the same time
// windows, found with MinHash + LSH banding instead of all-pairs comparison, then clustered by union-find.
import { hashKey, mix32, seededRandom } from './random.ts';
import type { DetectedGroup, EntityRef, GraphError } from './types.ts';
import { round } from './types.ts';
import { UnionFind } from './union-find.ts';

/** Actions as parallel arrays: account i acted on target at ts (engagement, order, redemption, …). */
export interface ActionLog {
  accounts: number;
  length: number;
  account: Int32Array;
  target: Int32Array;
  ts: Float64Array;
}

export interface LockstepOptions {
  /** width of a time bucket in ts units; default 60_000 (one minute of ms timestamps) */
  bucketWidth?: number;
  /** accounts with fewer distinct (target, bucket) items are not considered; default 5 */
  minActions?: number;
  /** accounts with more distinct items are skipped (heavy users, crawlers handled elsewhere); default 5000 */
  maxActions?: number;
  /** Jaccard similarity two accounts need to be linked; default 0.5 */
  similarity?: number;
  /** LSH bands × rows = MinHash signature length; defaults 32 × 4 (about 87% recall for a pair at 0.5) */
  bands?: number;
  rows?: number;
  minGroupSize?: number;
  seed?: number;
  /** how many shared items to list as evidence; default 20 */
  maxEvidence?: number;
  accountRef?: (account: number) => EntityRef;
  targetRef?: (target: number) => EntityRef;
}

export interface SharedAction {
  target: EntityRef;
  bucketStart: number;
  /** members that did it */
  accounts: number;
}

export interface LockstepEvidence {
  accounts: number[];
  /** (target, bucket) items done by at least half of the members, most shared first */
  sharedActions: SharedAction[];
  meanSimilarity: number;
  bucketWidth: number;
}

export type LockstepGroup = DetectedGroup<LockstepEvidence>;

export interface LockstepResult {
  groups: LockstepGroup[];
  /** accounts with a signature (between minActions and maxActions items) */
  considered: number;
  skippedHeavy: number;
  candidatePairs: number;
  verifiedPairs: number;
  error?: GraphError;
}

export function detectLockstep(log: ActionLog, options: LockstepOptions = {}): LockstepResult {
  const width = options.bucketWidth ?? 60_000;
  const minActions = options.minActions ?? 5;
  const maxActions = options.maxActions ?? 5000;
  const threshold = options.similarity ?? 0.5;
  const bands = options.bands ?? 32;
  const rowsPerBand = options.rows ?? 4;
  const minGroupSize = options.minGroupSize ?? 3;
  const K = bands * rowsPerBand;
  const accountRef = options.accountRef ?? ((a: number) => ({ type: 'account', id: String(a) }));
  const targetRef = options.targetRef ?? ((t: number) => ({ type: 'target', id: String(t) }));

  // item key = target * span + bucket offset: exact while it stays below 2^53
  let minBucket = Infinity, maxBucket = -Infinity, maxTarget = 0;
  for (let i = 0; i < log.length; i++) {
    const b = Math.floor(log.ts[i]! / width);
    if (b < minBucket) minBucket = b;
    if (b > maxBucket) maxBucket = b;
    if (log.target[i]! > maxTarget) maxTarget = log.target[i]!;
  }
  const span = log.length > 0 ? maxBucket - minBucket + 1 : 1;
  if ((maxTarget + 1) * span >= 2 ** 53) {
    const error: GraphError = { code: 'BadInput', message: `targets × time buckets (${maxTarget + 1} × ${span}) exceed 2^53; use a wider bucketWidth` };
    return { groups: [], considered: 0, skippedHeavy: 0, candidatePairs: 0, verifiedPairs: 0, error };
  }

  // group item keys by account (counting sort), then sort + dedupe each account's items
  const A = log.accounts;
  const offsets = new Int32Array(A + 1);
  for (let i = 0; i < log.length; i++) offsets[log.account[i]! + 1]!++;
  for (let a = 0; a < A; a++) offsets[a + 1]! += offsets[a]!;
  const items = new Float64Array(log.length);
  const fill = offsets.slice(0, A);
  for (let i = 0; i < log.length; i++) {
    items[fill[log.account[i]!]!++] = log.target[i]! * span + (Math.floor(log.ts[i]! / width) - minBucket);
  }
  const start = new Int32Array(A), end = new Int32Array(A);
  let w = 0;
  for (let a = 0; a < A; a++) {
    const s = offsets[a]!, e = offsets[a + 1]!;
    if (e - s > 1) items.subarray(s, e).sort();
    start[a] = w;
    let prev = -1;
    for (let k = s; k < e; k++) if (items[k] !== prev) { prev = items[k]!; items[w++] = prev; }
    end[a] = w;
  }

  const active: number[] = [];
  let skippedHeavy = 0;
  for (let a = 0; a < A; a++) {
    const n = end[a]! - start[a]!;
    if (n > maxActions) skippedHeavy++;
    else if (n >= minActions) active.push(a);
  }

  // MinHash: K independent hash functions as mix32(itemHash ^ seed_k)
  const rng = seededRandom(options.seed ?? 1);
  const seeds = new Int32Array(K);
  for (let k = 0; k < K; k++) seeds[k] = Math.floor(rng() * 4294967296) | 0;
  const M = active.length;
  const sig = new Uint32Array(M * K).fill(0xffffffff);
  for (let m = 0; m < M; m++) {
    const a = active[m]!;
    const base = m * K;
    for (let i = start[a]!; i < end[a]!; i++) {
      const h = hashKey(items[i]!);
      for (let k = 0; k < K; k++) {
        const v = mix32(h ^ seeds[k]!);
        if (v < sig[base + k]!) sig[base + k] = v;
      }
    }
  }

  // LSH banding with an open-addressing table per band: each account is compared with the first and the
  // previous account in its bucket, so a big synchronized group costs O(size) checks, not O(size²)
  const cap = 1 << Math.ceil(Math.log2(Math.max(2, M * 2)));
  const mask = cap - 1;
  const slotKey = new Uint32Array(cap), slotStamp = new Int32Array(cap), slotFirst = new Int32Array(cap), slotLast = new Int32Array(cap);
  const uf = new UnionFind(M);
  const pairA: number[] = [], pairB: number[] = [], pairSim: number[] = [];
  let candidatePairs = 0;
  const verify = (x: number, y: number): void => {
    candidatePairs++;
    if (uf.find(x) === uf.find(y)) return;
    const sim = jaccard(items, start[active[x]!]!, end[active[x]!]!, start[active[y]!]!, end[active[y]!]!);
    if (sim >= threshold) {
      uf.union(x, y);
      pairA.push(x); pairB.push(y); pairSim.push(sim);
    }
  };
  for (let b = 0; b < bands; b++) {
    const stamp = b + 1;
    for (let m = 0; m < M; m++) {
      let h = 0x9e3779b9 ^ b;
      const base = m * K + b * rowsPerBand;
      for (let r = 0; r < rowsPerBand; r++) h = mix32(h ^ sig[base + r]!) + r;
      h >>>= 0;
      let slot = h & mask;
      for (;;) {
        if (slotStamp[slot] !== stamp) {
          slotStamp[slot] = stamp; slotKey[slot] = h; slotFirst[slot] = m; slotLast[slot] = m;
          break;
        }
        if (slotKey[slot] === h) {
          const first = slotFirst[slot]!, last = slotLast[slot]!;
          verify(first, m);
          if (last !== first) verify(last, m);
          slotLast[slot] = m;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }

  const comps = uf.components();
  const simSum = new Float64Array(comps.count), simCount = new Int32Array(comps.count);
  for (let i = 0; i < pairA.length; i++) {
    const c = comps.labels[pairA[i]!]!;
    simSum[c]! += pairSim[i]!;
    simCount[c]!++;
  }
  const membersOf: number[][] = Array.from({ length: comps.count }, () => []);
  for (let m = 0; m < M; m++) if (comps.sizes[comps.labels[m]!]! >= minGroupSize) membersOf[comps.labels[m]!]!.push(active[m]!);

  const groups: LockstepGroup[] = [];
  for (let c = 0; c < comps.count; c++) {
    const accounts = membersOf[c]!;
    if (accounts.length < minGroupSize) continue;
    const mean = simSum[c]! / Math.max(1, simCount[c]!);
    const counts = new Map<number, number>();
    for (const a of accounts) for (let i = start[a]!; i < end[a]!; i++) counts.set(items[i]!, (counts.get(items[i]!) ?? 0) + 1);
    const shared = [...counts.entries()].filter(([, n]) => n * 2 >= accounts.length).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const sharedActions = shared.slice(0, options.maxEvidence ?? 20).map(([key, n]) => ({
      target: targetRef(Math.floor(key / span)),
      bucketStart: (minBucket + (key % span)) * width,
      accounts: n,
    }));
    groups.push({
      kind: 'lockstep',
      members: accounts.map(accountRef),
      size: accounts.length,
      // accounts weighted by how tightly they move together
      score: round(accounts.length * mean),
      explanation:
        `${accounts.length} accounts acted in lockstep: ${shared.length} (target, ${width}-unit window) actions shared by at least ` +
        `half of them, mean Jaccard similarity ${round(mean, 2)}`,
      evidence: { accounts, sharedActions, meanSimilarity: round(mean), bucketWidth: width },
    });
  }
  groups.sort((x, y) => y.score - x.score);
  return { groups, considered: M, skippedHeavy, candidatePairs, verifiedPairs: pairA.length };
}

/** Exact Jaccard of two sorted, duplicate-free runs of the same array. */
function jaccard(items: Float64Array, s1: number, e1: number, s2: number, e2: number): number {
  let i = s1, j = s2, inter = 0;
  while (i < e1 && j < e2) {
    const x = items[i]!, y = items[j]!;
    if (x === y) { inter++; i++; j++; } else if (x < y) i++; else j++;
  }
  return inter / (e1 - s1 + e2 - s2 - inter);
}

/** Builds an ActionLog from string ids, interning accounts and targets. */
export class ActionLogBuilder {
  private accountIndex = new Map<string, number>();
  private targetIndex = new Map<string, number>();
  readonly accountIds: string[] = [];
  readonly targetIds: string[] = [];
  private account: number[] = [];
  private target: number[] = [];
  private ts: number[] = [];

  add(account: string, target: string, ts: number): void {
    let a = this.accountIndex.get(account);
    if (a === undefined) { a = this.accountIds.length; this.accountIndex.set(account, a); this.accountIds.push(account); }
    let t = this.targetIndex.get(target);
    if (t === undefined) { t = this.targetIds.length; this.targetIndex.set(target, t); this.targetIds.push(target); }
    this.account.push(a); this.target.push(t); this.ts.push(ts);
  }

  build(): ActionLog {
    return {
      accounts: this.accountIds.length,
      length: this.account.length,
      account: Int32Array.from(this.account),
      target: Int32Array.from(this.target),
      ts: Float64Array.from(this.ts),
    };
  }

  /** Options that name members and targets with the original ids. */
  refs(accountType = 'account', targetType = 'target'): Pick<LockstepOptions, 'accountRef' | 'targetRef'> {
    return {
      accountRef: (a) => ({ type: accountType, id: this.accountIds[a]! }),
      targetRef: (t) => ({ type: targetType, id: this.targetIds[t]! }),
    };
  }
}
