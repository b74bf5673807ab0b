// Tree-ensemble predictor for inline scoring: trees flattened into typed arrays, JSON round trip, TreeSHAP.

import type { Dataset } from './dataset.ts';
import { CompactForest } from './forest.ts';

/** One tree with local node indices; a node is a leaf when feature < 0. Rows with x < threshold go left. */
export interface TreeSpec {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** 1 when a missing value takes the left branch. */
  defaultLeft: number[];
  /** Leaf value (learning rate already applied); ignored for internal nodes. */
  value: number[];
  /** Sum of hessians that reached the node in training (XGBoost "cover"); drives TreeSHAP. */
  cover: number[];
}

export interface GbdtModelJson {
  format: 'bulwark-gbdt';
  version: 1;
  baseMargin: number;
  featureNames: string[];
  float32Inputs: boolean;
  trees: TreeSpec[];
}

export interface ShapExplanation {
  /** Expected margin over the training distribution (as seen through the trees' covers). */
  base: number;
  /** Per-feature log-odds contributions; base + sum = margin. */
  contributions: Float64Array;
}

const sigmoid = (m: number): number => 1 / (1 + Math.exp(-m));

export class GbdtModel {
  readonly baseMargin: number;
  readonly featureNames: readonly string[];
  /** Compare inputs rounded to float32, as XGBoost does; set for imported XGBoost models. */
  readonly float32Inputs: boolean;
  readonly treeCount: number;
  private readonly trees: TreeSpec[];
  private readonly roots: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly defaultLeft: Uint8Array;
  /** Child taken by a missing value (left or right, resolved once so scoring does one lookup). */
  private readonly missing: Int32Array;
  private readonly value: Float64Array;
  private readonly cover: Float64Array;
  private readonly maxDepth: number;
  private shapBase: number | null = null;
  private compact: CompactForest | null = null;
  private shapPath: ShapPath | null = null;

  constructor(baseMargin: number, featureNames: readonly string[], trees: TreeSpec[], float32Inputs = false) {
    this.baseMargin = baseMargin;
    this.featureNames = featureNames;
    this.float32Inputs = float32Inputs;
    this.trees = trees;
    this.treeCount = trees.length;
    let total = 0;
    for (const t of trees) total += t.feature.length;
    this.roots = new Int32Array(trees.length);
    this.feature = new Int32Array(total);
    this.threshold = new Float64Array(total);
    this.left = new Int32Array(total);
    this.right = new Int32Array(total);
    this.defaultLeft = new Uint8Array(total);
    this.missing = new Int32Array(total);
    this.value = new Float64Array(total);
    this.cover = new Float64Array(total);
    let off = 0;
    let maxDepth = 0;
    trees.forEach((t, ti) => {
      this.roots[ti] = off;
      for (let i = 0; i < t.feature.length; i++) {
        const leaf = t.feature[i]! < 0;
        this.feature[off + i] = leaf ? -1 : t.feature[i]!;
        this.threshold[off + i] = leaf ? 0 : t.threshold[i]!;
        this.left[off + i] = leaf ? -1 : off + t.left[i]!;
        this.right[off + i] = leaf ? -1 : off + t.right[i]!;
        this.defaultLeft[off + i] = t.defaultLeft[i] ? 1 : 0;
        this.missing[off + i] = leaf ? -1 : off + (t.defaultLeft[i] ? t.left[i]! : t.right[i]!);
        this.value[off + i] = leaf ? t.value[i]! : 0;
        this.cover[off + i] = t.cover[i] ?? 0;
      }
      maxDepth = Math.max(maxDepth, depthOf(t, 0));
      off += t.feature.length;
    });
    this.maxDepth = maxDepth;
  }

  /** Log-odds for one row (features in model order; NaN = missing). */
  predictMargin(row: ArrayLike<number>): number {
    if (this.float32Inputs) return this.predictMarginF32(row);
    const { roots, feature, threshold, left, right, missing, value } = this;
    let m = this.baseMargin;
    for (let t = 0; t < roots.length; t++) {
      let i = roots[t]!;
      let f = feature[i]!;
      while (f >= 0) {
        const v = row[f]!;
        const th = threshold[i]!;
        // NaN fails both comparisons and takes the learned default branch.
        i = v < th ? left[i]! : v >= th ? right[i]! : missing[i]!;
        f = feature[i]!;
      }
      m += value[i]!;
    }
    return m;
  }

  /** XGBoost compares float32 inputs with float32 thresholds; kept separate so the common path has no branch. */
  private predictMarginF32(row: ArrayLike<number>): number {
    const { roots, feature, threshold, left, right, missing, value } = this;
    let m = this.baseMargin;
    for (let t = 0; t < roots.length; t++) {
      let i = roots[t]!;
      let f = feature[i]!;
      while (f >= 0) {
        const v = Math.fround(row[f]!);
        const th = threshold[i]!;
        i = v < th ? left[i]! : v >= th ? right[i]! : missing[i]!;
        f = feature[i]!;
      }
      m += value[i]!;
    }
    return m;
  }

  /** The packed layout used for inline scoring (built once, on first use). */
  forest(): CompactForest {
    return (this.compact ??= new CompactForest(this.trees, this.float32Inputs));
  }

  /** Probability of the positive class for one row. */
  predict(row: ArrayLike<number>): number {
    return sigmoid(this.predictMargin(row));
  }

  /** Margins for every row of a column-major dataset. */
  predictMarginDataset(data: Dataset): Float64Array {
    const out = new Float64Array(data.rows).fill(this.baseMargin);
    const { roots, feature, threshold, left, right, missing, value } = this;
    const cols = data.columns;
    const f32 = this.float32Inputs;
    // Tree-outer loop keeps one tree's nodes hot in cache across all rows.
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      for (let r = 0; r < data.rows; r++) {
        let i = root;
        let f = feature[i]!;
        while (f >= 0) {
          const x = cols[f]![r]!;
          const v = f32 ? Math.fround(x) : x;
          const th = threshold[i]!;
          i = v < th ? left[i]! : v >= th ? right[i]! : missing[i]!;
          f = feature[i]!;
        }
        out[r] += value[i]!;
      }
    }
    return out;
  }

  /** Probabilities for every row of a dataset. */
  predictDataset(data: Dataset): Float64Array {
    const out = this.predictMarginDataset(data);
    for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]!);
    return out;
  }

  /** First `n` trees only (early stopping keeps the best prefix). */
  truncated(n: number): GbdtModel {
    return new GbdtModel(this.baseMargin, this.featureNames, this.trees.slice(0, n), this.float32Inputs);
  }

  toJSON(): GbdtModelJson {
    return { format: 'bulwark-gbdt', version: 1, baseMargin: this.baseMargin, featureNames: [...this.featureNames], float32Inputs: this.float32Inputs, trees: this.trees };
  }

  static fromJSON(json: GbdtModelJson): GbdtModel {
    if (json.format !== 'bulwark-gbdt' || json.version !== 1) throw new Error(`not a bulwark-gbdt v1 model: ${String(json.format)} ${String(json.version)}`);
    return new GbdtModel(json.baseMargin, json.featureNames, json.trees, json.float32Inputs);
  }

  /** Expected margin: base margin plus each tree's cover-weighted mean leaf value. */
  expectedMargin(): number {
    if (this.shapBase === null) {
      let e = this.baseMargin;
      for (let t = 0; t < this.roots.length; t++) e += this.expectedValue(this.roots[t]!);
      this.shapBase = e;
    }
    return this.shapBase;
  }

  private expectedValue(i: number): number {
    if (this.feature[i]! < 0) return this.value[i]!;
    const l = this.left[i]!;
    const r = this.right[i]!;
    // Weights are the same child/parent cover ratios TreeSHAP uses, so efficiency holds exactly.
    const c = this.cover[i]!;
    return (this.cover[l]! / c) * this.expectedValue(l) + (this.cover[r]! / c) * this.expectedValue(r);
  }

  /**
   * Exact path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2): contributions to the margin
   * for one row, in O(trees · leaves · depth²).
   */
  shap(row: ArrayLike<number>): ShapExplanation {
    const phi = new Float64Array(this.featureNames.length);
    const x = this.float32Inputs ? Float64Array.from(row as ArrayLike<number>, Math.fround) : row;
    this.shapInto(x, phi);
    return { base: this.expectedMargin(), contributions: phi };
  }

  /** TreeSHAP into a caller-owned buffer (zeroed here); reuses one path buffer, so repeated calls do not allocate. */
  shapInto(x: ArrayLike<number>, phi: Float64Array): void {
    phi.fill(0);
    const path = this.pathBuffer();
    for (let t = 0; t < this.roots.length; t++) this.shapRecurse(x, phi, path, this.roots[t]!, 0, 0, 1, 1, -1);
  }

  /** One tree's TreeSHAP added into `phi` (not zeroed): the exact fallback for trees a precomputed explainer (fast-shap.ts) leaves out. */
  shapTreeInto(x: ArrayLike<number>, phi: Float64Array, tree: number): void {
    this.shapRecurse(x, phi, this.pathBuffer(), this.roots[tree]!, 0, 0, 1, 1, -1);
  }

  private pathBuffer(): ShapPath {
    if (!this.shapPath) {
      const d = this.maxDepth + 2;
      const size = (d * (d + 1)) / 2;
      this.shapPath = { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
    }
    return this.shapPath;
  }

  private shapRecurse(
    x: ArrayLike<number>, phi: Float64Array, p: ShapPath, node: number,
    parentOff: number, depth: number, parentZero: number, parentOne: number, parentFeature: number,
  ): void {
    // Each recursion level gets its own copy of the path, stored after the parent's.
    const off = parentOff + depth;
    // Plain loops: paths are a few entries long and a builtin call per array costs more than the copy.
    const pf = p.feature, pz = p.zero, po = p.one, pw = p.weight;
    for (let j = 0; j < depth; j++) {
      pf[off + j] = pf[parentOff + j]!;
      pz[off + j] = pz[parentOff + j]!;
      po[off + j] = po[parentOff + j]!;
      pw[off + j] = pw[parentOff + j]!;
    }
    extendPath(p, off, depth, parentZero, parentOne, parentFeature);
    const f = this.feature[node]!;
    if (f < 0) {
      const v = this.value[node]!;
      for (let i = 1; i <= depth; i++) {
        const w = unwoundPathSum(p, off, depth, i);
        phi[p.feature[off + i]!]! += w * (p.one[off + i]! - p.zero[off + i]!) * v;
      }
      return;
    }
    const xv = x[f]!;
    const th = this.threshold[node]!;
    const goLeft = xv < th ? true : xv >= th ? false : this.defaultLeft[node] === 1;
    const hot = goLeft ? this.left[node]! : this.right[node]!;
    const cold = goLeft ? this.right[node]! : this.left[node]!;
    const c = this.cover[node]!;
    const hotZero = this.cover[hot]! / c;
    const coldZero = this.cover[cold]! / c;
    let incomingZero = 1;
    let incomingOne = 1;
    // A feature seen earlier on the path is merged: undo its earlier extension first.
    let k = 0;
    for (; k <= depth; k++) if (p.feature[off + k] === f) break;
    if (k !== depth + 1) {
      incomingZero = p.zero[off + k]!;
      incomingOne = p.one[off + k]!;
      unwindPath(p, off, depth, k);
      depth -= 1;
    }
    this.shapRecurse(x, phi, p, hot, off, depth + 1, hotZero * incomingZero, incomingOne, f);
    this.shapRecurse(x, phi, p, cold, off, depth + 1, coldZero * incomingZero, 0, f);
  }
}

interface ShapPath { feature: Int32Array; zero: Float64Array; one: Float64Array; weight: Float64Array }

function depthOf(t: TreeSpec, i: number): number {
  if (t.feature[i]! < 0) return 0;
  return 1 + Math.max(depthOf(t, t.left[i]!), depthOf(t, t.right[i]!));
}

function extendPath(p: ShapPath, off: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[off + depth] = feature;
  p.zero[off + depth] = zero;
  p.one[off + depth] = one;
  p.weight[off + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[off + i + 1]! += (one * p.weight[off + i]! * (i + 1)) / (depth + 1);
    p.weight[off + i] = (zero * p.weight[off + i]! * (depth - i)) / (depth + 1);
  }
}

function unwindPath(p: ShapPath, off: number, depth: number, k: number): void {
  const one = p.one[off + k]!;
  const zero = p.zero[off + k]!;
  let next = p.weight[off + depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[off + i]!;
      p.weight[off + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (p.weight[off + i]! * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[off + i] = (p.weight[off + i]! * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = k; i < depth; i++) {
    p.feature[off + i] = p.feature[off + i + 1]!;
    p.zero[off + i] = p.zero[off + i + 1]!;
    p.one[off + i] = p.one[off + i + 1]!;
  }
}

/** 1/k for the small integers of the path-weight recurrences: multiplications instead of divisions in the hot loop. */
const INV = Float64Array.from({ length: 1024 }, (_, k) => (k === 0 ? Infinity : 1 / k));

function unwoundPathSum(p: ShapPath, off: number, depth: number, k: number): number {
  const one = p.one[off + k]!;
  const zero = p.zero[off + k]!;
  const w = p.weight;
  const d1 = depth + 1;
  let total = 0;
  if (d1 >= INV.length) return unwoundPathSumSlow(p, off, depth, one, zero);
  if (one !== 0) {
    const scale = d1 / one;
    const zd = zero * INV[d1]!;
    let next = w[off + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next * scale * INV[i + 1]!;
      total += tmp;
      next = w[off + i]! - tmp * zd * (depth - i);
    }
  } else if (zero !== 0) {
    const scale = d1 / zero;
    for (let i = depth - 1; i >= 0; i--) total += w[off + i]! * scale * INV[depth - i]!;
  }
  return total;
}

function unwoundPathSumSlow(p: ShapPath, off: number, depth: number, one: number, zero: number): number {
  let next = p.weight[off + depth]!;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = p.weight[off + i]! - tmp * zero * ((depth - i) / (depth + 1));
    } else if (zero !== 0) {
      total += p.weight[off + i]! / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}
