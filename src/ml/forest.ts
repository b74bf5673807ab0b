// Inline-scoring layout of a tree ensemble: one packed node array, leaves encoded in child links, no per-call allocation.

import type { TreeSpec } from './tree-model.ts';

/**
 * Internal nodes only, 4 int32 per node: [feature, left, right, missing-child]; a child < 0 is leaf ~child.
 * A walk then does one packed load and one threshold load per level and never tests "is this a leaf" on a
 * node it has to load first. Depth-6 trees: 300 trees ≈ 19k internal nodes ≈ 450 KB, which stays in L2.
 */
export class CompactForest {
  readonly roots: Int32Array;
  readonly nodes: Int32Array;
  readonly thresholds: Float64Array;
  readonly leaves: Float64Array;

  constructor(trees: readonly TreeSpec[], float32Thresholds = false) {
    let internal = 0;
    let leafCount = 0;
    for (const t of trees) for (const f of t.feature) { if (f >= 0) internal++; else leafCount++; }
    this.roots = new Int32Array(trees.length);
    this.nodes = new Int32Array(internal * 4);
    this.thresholds = new Float64Array(internal);
    this.leaves = new Float64Array(leafCount);
    let ni = 0;
    let li = 0;
    for (let ti = 0; ti < trees.length; ti++) {
      const t = trees[ti]!;
      // Depth-first so a node's left child usually sits right after it in memory.
      const place = (i: number): number => {
        if (t.feature[i]! < 0) { this.leaves[li] = t.value[i]!; return ~li++; }
        const me = ni++;
        this.thresholds[me] = float32Thresholds ? Math.fround(t.threshold[i]!) : t.threshold[i]!;
        this.nodes[me * 4] = t.feature[i]!;
        const l = place(t.left[i]!);
        const r = place(t.right[i]!);
        this.nodes[me * 4 + 1] = l;
        this.nodes[me * 4 + 2] = r;
        this.nodes[me * 4 + 3] = t.defaultLeft[i] ? l : r;
        return me;
      };
      this.roots[ti] = place(0);
    }
  }

  /** Sum of leaf values reached by `row` (features in model order, NaN = missing). */
  margin(row: Float64Array, base: number): number {
    const { roots, nodes, thresholds, leaves } = this;
    let m = base;
    for (let t = 0; t < roots.length; t++) {
      let i = roots[t]!;
      while (i >= 0) {
        const o = i << 2;
        const v = row[nodes[o]!]!;
        const th = thresholds[i]!;
        // NaN fails both comparisons and takes the learned default branch.
        i = v < th ? nodes[o + 1]! : v >= th ? nodes[o + 2]! : nodes[o + 3]!;
      }
      m += leaves[~i]!;
    }
    return m;
  }

  /** Same walk for inputs compared as float32 (imported XGBoost models); `scratch` avoids an allocation. */
  marginF32(row: Float64Array, base: number, scratch: Float64Array): number {
    for (let f = 0; f < scratch.length; f++) scratch[f] = Math.fround(row[f]!);
    return this.margin(scratch, base);
  }
}
