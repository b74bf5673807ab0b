// Seeded synthetic graphs with injected fraud (dense blocks, camouflage, lockstep groups) for tests and bench.
import { seededRandom } from './random.ts';
import type { ActionLog } from './lockstep.ts';

export interface BlockSpec {
  users: number;
  objects: number;
  density: number;
}

export interface InjectedBipartite {
  rows: number;
  cols: number;
  src: Int32Array;
  dst: Int32Array;
  length: number;
  blockUsers: Int32Array[];
  blockObjects: Int32Array[];
}

/** Distinct random picks from 0..n-1 (Floyd's algorithm). */
export function sampleDistinct(n: number, k: number, rnd: () => number, exclude?: Set<number>): Int32Array {
  const chosen = new Set<number>();
  while (chosen.size < k) {
    const v = Math.floor(rnd() * n);
    if (!exclude?.has(v)) chosen.add(v);
  }
  return Int32Array.from(chosen).sort();
}

/**
 * Background: power-law-ish bipartite graph (a few very popular objects, a long tail; heavy and light users).
 * Fraud: dense blocks of fresh users × tail objects, plus camouflage edges from fraud users to popular objects.
 */
export function injectedBipartite(opts: {
  users: number;
  objects: number;
  edges: number;
  blocks: BlockSpec[];
  camouflagePerUser: number;
  seed: number;
}): InjectedBipartite {
  const rnd = seededRandom(opts.seed);
  const blockEdges = opts.blocks.reduce((s, b) => s + Math.ceil(b.users * b.objects * b.density * 1.2) + b.users * opts.camouflagePerUser, 0);
  const cap = opts.edges + blockEdges;
  const src = new Int32Array(cap), dst = new Int32Array(cap);
  let m = 0;
  const popularObject = (): number => Math.floor(opts.objects * rnd() ** 3);
  for (let i = 0; i < opts.edges; i++) {
    src[m] = Math.floor(opts.users * rnd() ** 2);
    dst[m] = popularObject();
    m++;
  }
  const usedUsers = new Set<number>(), usedObjects = new Set<number>();
  const blockUsers: Int32Array[] = [], blockObjects: Int32Array[] = [];
  for (const b of opts.blocks) {
    const us = sampleDistinct(opts.users, b.users, rnd, usedUsers);
    // tail objects: the back half of the popularity order, where a block stands out
    const os = sampleDistinct(opts.objects >> 1, b.objects, rnd, usedObjects).map((o) => o + (opts.objects >> 1));
    us.forEach((u) => usedUsers.add(u));
    os.forEach((o) => usedObjects.add(o - (opts.objects >> 1)));
    for (const u of us) {
      for (const o of os) if (rnd() < b.density && m < cap) { src[m] = u; dst[m] = o; m++; }
      for (let k = 0; k < opts.camouflagePerUser && m < cap; k++) { src[m] = u; dst[m] = popularObject(); m++; }
    }
    blockUsers.push(us);
    blockObjects.push(os);
  }
  return { rows: opts.users, cols: opts.objects, src, dst, length: m, blockUsers, blockObjects };
}

export interface InjectedActions {
  log: ActionLog;
  groups: Int32Array[];
}

/**
 * Random accounts acting on power-law targets at random times, plus synchronized groups that each follow a
 * script of (target, time) actions: members do most of it, a minute-aligned jitter, plus a few own actions.
 */
export function injectedActions(opts: {
  accounts: number;
  targets: number;
  actionsPerAccount: [number, number];
  groups: number[];
  scriptLength: number;
  participation: number;
  horizon: number;
  bucketWidth: number;
  seed: number;
}): InjectedActions {
  const rnd = seededRandom(opts.seed);
  const account: number[] = [], target: number[] = [], ts: number[] = [];
  const [lo, hi] = opts.actionsPerAccount;
  const popular = (): number => Math.floor(opts.targets * rnd() ** 2);
  for (let a = 0; a < opts.accounts; a++) {
    const n = lo + Math.floor(rnd() * (hi - lo + 1));
    for (let i = 0; i < n; i++) { account.push(a); target.push(popular()); ts.push(Math.floor(rnd() * opts.horizon)); }
  }
  const groupSize = opts.groups.reduce((s, g) => s + g, 0);
  const members = sampleDistinct(opts.accounts, groupSize, rnd);
  // shuffle so group membership is unrelated to account order
  for (let i = members.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); const t = members[i]!; members[i] = members[j]!; members[j] = t; }
  const groups: Int32Array[] = [];
  let at = 0;
  for (const size of opts.groups) {
    const g = members.slice(at, at + size).sort();
    at += size;
    groups.push(g);
    const script: [number, number][] = [];
    for (let s = 0; s < opts.scriptLength; s++) {
      const bucket = Math.floor((rnd() * opts.horizon) / opts.bucketWidth);
      script.push([popular(), bucket]);
    }
    for (const a of g) {
      for (const [t, bucket] of script) {
        if (rnd() >= opts.participation) continue;
        account.push(a); target.push(t);
        ts.push(bucket * opts.bucketWidth + Math.floor(rnd() * opts.bucketWidth));
      }
    }
  }
  return {
    log: { accounts: opts.accounts, length: account.length, account: Int32Array.from(account), target: Int32Array.from(target), ts: Float64Array.from(ts) },
    groups,
  };
}

/** Member-level precision, recall and F1 of a found set against the truth. */
export function f1(found: Iterable<string>, truth: Iterable<string>): { precision: number; recall: number; f1: number } {
  const t = new Set(truth);
  const f = new Set(found);
  let hit = 0;
  for (const x of f) if (t.has(x)) hit++;
  const precision = f.size === 0 ? 0 : hit / f.size;
  const recall = t.size === 0 ? 0 : hit / t.size;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}
