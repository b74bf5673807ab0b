// Histogram gradient-boosted trees for binary classification (log loss), single thread, seeded.

import type { Dataset } from './dataset.ts';
import { validateDataset } from './dataset.ts';
import { BIN_SLOTS, MISSING_BIN, quantize, sketchCuts } from './quantize.ts';
import type { QuantizedRows } from './quantize.ts';
import { SeededRandom } from './random.ts';
import { GbdtModel } from './tree-model.ts';
import type { TreeSpec } from './tree-model.ts';
import { logLoss, rocAuc } from './metrics.ts';

export interface GbdtParams {
  /** Boosting rounds (trees). */
  rounds: number;
  learningRate: number;
  /** Depth limit; 0 = none (only sensible with growPolicy 'lossguide' and maxLeaves). */
  maxDepth: number;
  /** Leaf limit per tree; 0 = none. */
  maxLeaves: number;
  /** 'depthwise' splits level by level (XGBoost default); 'lossguide' splits the best leaf first (LightGBM). */
  growPolicy: 'depthwise' | 'lossguide';
  /** Minimum hessian sum in a child. */
  minChildWeight: number;
  /** L2 penalty on leaf weights. */
  lambda: number;
  /** Minimum loss reduction to split (XGBoost gamma, same scale). */
  minSplitGain: number;
  /** Fraction of rows sampled per tree. */
  rowSubsample: number;
  /** Fraction of features sampled per tree. */
  colSubsample: number;
  /** Weight of positive rows relative to negatives (rare fraud). Multiplies classWeights[1]. */
  scalePosWeight: number;
  /** [negative, positive] class weights. */
  classWeights: readonly [number, number];
  /** At most 256 bins per feature, one of them reserved for missing values. */
  maxBins: number;
  /** Values sampled per feature for the cut-point sketch. */
  sketchSampleSize: number;
  seed: number;
  /** Stop when the validation metric has not improved for this many rounds; 0 = off. */
  earlyStoppingRounds: number;
  evalMetric: 'logloss' | 'auc';
  /** Progress hook, called after each round. */
  onRound?: (info: RoundInfo) => void;
}

export interface RoundInfo { round: number; validMetric: number | null; elapsedMs: number }

export interface GbdtTraining {
  model: GbdtModel;
  /** Validation metric per round (empty without a validation set). */
  validHistory: number[];
  /** Number of trees kept (best round + 1 with early stopping). */
  bestRounds: number;
  stoppedEarly: boolean;
}

export const defaultGbdtParams: GbdtParams = {
  rounds: 100, learningRate: 0.1, maxDepth: 6, maxLeaves: 0, growPolicy: 'depthwise', minChildWeight: 1, lambda: 1,
  minSplitGain: 0, rowSubsample: 1, colSubsample: 1, scalePosWeight: 1, classWeights: [1, 1], maxBins: 256,
  sketchSampleSize: 200_000, seed: 1, earlyStoppingRounds: 0, evalMetric: 'logloss',
};

// (gradient, hessian) pairs per feature, plus 128 bytes of padding: with exactly 4 KiB per feature, the
// low bins of every feature share their low 12 address bits and loads falsely wait on stores (4K aliasing).
const HIST_STRIDE = BIN_SLOTS * 2 + 16;
const MIN_HESS = 1e-16;

interface Split { gain: number; feature: number; bin: number; defaultLeft: boolean; gl: number; hl: number }

interface Leaf {
  node: number; start: number; end: number; depth: number; g: number; h: number;
  hist: Float64Array | null; split: Split | null;
}

export function trainGbdt(data: Dataset, options: Partial<GbdtParams> = {}, validation?: Dataset): GbdtTraining {
  const p: GbdtParams = { ...defaultGbdtParams, ...options };
  const bad = validateDataset(data);
  if (bad) throw new Error(bad.message);
  if (validation) {
    const vb = validateDataset(validation);
    if (vb) throw new Error(`validation: ${vb.message}`);
  }
  const t0 = performance.now();
  const cuts = sketchCuts(data, p.maxBins, p.sketchSampleSize, p.seed);
  const q = quantize(data, cuts);
  const trainer = new TreeGrower(q, p);
  const n = data.rows;
  const F = q.features;

  // Per-row weights: class weights (scalePosWeight for the rare class) times any row weights.
  const wPos = p.classWeights[1] * p.scalePosWeight;
  const wNeg = p.classWeights[0];
  const w = new Float64Array(n);
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    const y = data.labels[i]!;
    w[i] = (y ? wPos : wNeg) * (data.weights ? data.weights[i]! : 1);
    sw += w[i]!;
    swy += y * w[i]!;
  }
  // Start from the weighted prior log-odds so early trees model structure, not the base rate.
  const prior = Math.min(Math.max(swy / Math.max(sw, 1e-300), 1e-6), 1 - 1e-6);
  const baseMargin = Math.log(prior / (1 - prior));
  const margin = new Float64Array(n).fill(baseMargin);
  // Interleaved (gradient, hessian) pairs in float32, as XGBoost stores them (histograms sum in float64):
  // the histogram loop reads both from one 8-byte slot, half the memory traffic of two float64 arrays.
  const gh = new Float32Array(2 * n);
  const rng = new SeededRandom(p.seed);
  const trees: TreeSpec[] = [];
  const validMargin = validation ? new Float64Array(validation.rows).fill(baseMargin) : null;
  const validProb = validation ? new Float64Array(validation.rows) : null;
  const validHistory: number[] = [];
  let best = Infinity;
  let bestRounds = 0;
  let stoppedEarly = false;
  const higherIsBetter = p.evalMetric === 'auc';

  for (let round = 0; round < p.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const pr = 1 / (1 + Math.exp(-margin[i]!));
      const y = data.labels[i]!;
      gh[2 * i] = (pr - y) * w[i]!;
      gh[2 * i + 1] = Math.max(pr * (1 - pr), MIN_HESS) * w[i]!;
    }
    const features = sampleFeatures(F, p.colSubsample, rng);
    const tree = trainer.grow(gh, features, rng);
    trees.push(tree);
    if (p.rowSubsample < 1) trainer.addTreeBinned(tree, margin);
    else trainer.addLeavesByPartition(margin);

    let metric: number | null = null;
    if (validation && validMargin && validProb) {
      addTreeRaw(tree, validation, validMargin);
      for (let i = 0; i < validation.rows; i++) validProb[i] = 1 / (1 + Math.exp(-validMargin[i]!));
      metric = p.evalMetric === 'auc' ? rocAuc(validProb, validation.labels) : logLoss(validProb, validation.labels);
      validHistory.push(metric);
      const score = higherIsBetter ? -metric : metric;
      if (score < best - 1e-12) { best = score; bestRounds = round + 1; }
      p.onRound?.({ round, validMetric: metric, elapsedMs: performance.now() - t0 });
      if (p.earlyStoppingRounds > 0 && round + 1 - bestRounds >= p.earlyStoppingRounds) { stoppedEarly = true; break; }
    } else {
      bestRounds = round + 1;
      p.onRound?.({ round, validMetric: null, elapsedMs: performance.now() - t0 });
    }
  }
  const kept = validation && p.earlyStoppingRounds > 0 ? trees.slice(0, bestRounds) : trees;
  return { model: new GbdtModel(baseMargin, data.featureNames, kept), validHistory, bestRounds: kept.length, stoppedEarly };
}

function sampleFeatures(F: number, fraction: number, rng: SeededRandom): Int32Array {
  const all = Int32Array.from({ length: F }, (_, i) => i);
  if (fraction >= 1) return all;
  const k = Math.max(1, Math.round(F * fraction));
  for (let i = 0; i < k; i++) { // partial Fisher–Yates
    const j = i + rng.nextInt(F - i);
    const t = all[i]!; all[i] = all[j]!; all[j] = t;
  }
  return all.subarray(0, k).sort();
}

function addTreeRaw(tree: TreeSpec, data: Dataset, margin: Float64Array): void {
  const { feature, threshold, left, right, defaultLeft, value } = tree;
  for (let r = 0; r < data.rows; r++) {
    let i = 0;
    while (feature[i]! >= 0) {
      const v = data.columns[feature[i]!]![r]!;
      const th = threshold[i]!;
      i = v < th ? left[i]! : v >= th ? right[i]! : defaultLeft[i] ? left[i]! : right[i]!;
    }
    margin[r] += value[i]!;
  }
}

/** Byte order of this machine: the word-wise histogram loop below assumes little-endian (x86, ARM). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Adds one row's (g, h) to the bin of each feature, reading four bins per 32-bit word (`w` = the row's first
 * word) and updating four features' histograms per step (see buildHist). Small enough to be inlined.
 */
function histRowWords(hist: Float64Array, words: Uint32Array, w: number, g: number, h: number, END4: number, END: number): void {
  const S = HIST_STRIDE;
  let base = 0;
  for (; base < END4; base += 4 * S, w++) {
    const x = words[w]!;
    const k0 = base + ((x & 255) << 1);
    const k1 = base + S + (((x >>> 8) & 255) << 1);
    const k2 = base + 2 * S + (((x >>> 16) & 255) << 1);
    const k3 = base + 3 * S + ((x >>> 24) << 1);
    hist[k0] += g; hist[k0 + 1] += h;
    hist[k1] += g; hist[k1 + 1] += h;
    hist[k2] += g; hist[k2 + 1] += h;
    hist[k3] += g; hist[k3 + 1] += h;
  }
  if (base < END) {
    const x = words[w]!;
    for (let shift = 0; base < END; base += S, shift += 8) {
      const k = base + (((x >>> shift) & 255) << 1);
      hist[k] += g; hist[k + 1] += h;
    }
  }
}

/** The same, one byte at a time (big-endian machines). */
function histRowBytes(hist: Float64Array, bins: Uint8Array, o: number, g: number, h: number, END4: number, END: number): void {
  const S = HIST_STRIDE;
  let base = 0;
  for (; base < END4; base += 4 * S, o += 4) {
    const k0 = base + (bins[o]! << 1);
    const k1 = base + S + (bins[o + 1]! << 1);
    const k2 = base + 2 * S + (bins[o + 2]! << 1);
    const k3 = base + 3 * S + (bins[o + 3]! << 1);
    hist[k0] += g; hist[k0 + 1] += h;
    hist[k1] += g; hist[k1 + 1] += h;
    hist[k2] += g; hist[k2 + 1] += h;
    hist[k3] += g; hist[k3 + 1] += h;
  }
  for (; base < END; base += S, o++) {
    const k = base + (bins[o]! << 1);
    hist[k] += g; hist[k + 1] += h;
  }
}

/** Grows one tree on quantised rows; keeps buffers across trees so the inner loops do not allocate. */
class TreeGrower {
  private readonly idx: Int32Array;
  private readonly scratch: Int32Array;
  private readonly pool: Float64Array[] = [];
  private leaves: Leaf[] = [];
  private tree!: TreeSpec;
  private binThreshold: number[] = [];

  constructor(private readonly q: QuantizedRows, private readonly p: GbdtParams) {
    this.idx = new Int32Array(q.rows);
    this.scratch = new Int32Array(q.rows);
  }

  private takeHist(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.q.features * HIST_STRIDE);
  }

  grow(gh: Float32Array, features: Int32Array, rng: SeededRandom): TreeSpec {
    const { p, idx } = this;
    const n = this.q.rows;
    let m = 0;
    if (p.rowSubsample < 1) {
      for (let i = 0; i < n; i++) if (rng.next() < p.rowSubsample) idx[m++] = i;
    } else {
      for (let i = 0; i < n; i++) idx[i] = i;
      m = n;
    }
    let g = 0;
    let h = 0;
    for (let i = 0; i < m; i++) { const r = idx[i]!; g += gh[2 * r]!; h += gh[2 * r + 1]!; }
    this.tree = { feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [] };
    this.binThreshold = [];
    const root = this.newNode(h);
    this.leaves = [];
    const rootLeaf: Leaf = { node: root, start: 0, end: m, depth: 0, g, h, hist: null, split: null };
    const finished: Leaf[] = [];
    const open: Leaf[] = [];
    if (this.canSplit(rootLeaf)) {
      rootLeaf.hist = this.takeHist();
      this.buildHist(rootLeaf.hist, 0, m, gh, features, m === n);
      rootLeaf.split = this.bestSplit(rootLeaf, features);
    }
    (rootLeaf.split ? open : finished).push(rootLeaf);
    this.release(rootLeaf);
    let leafCount = 1;
    const maxLeaves = p.maxLeaves > 0 ? p.maxLeaves : Infinity;
    while (open.length > 0 && leafCount < maxLeaves) {
      // Depth-wise takes the oldest open leaf (FIFO = level order); loss-guided takes the best gain.
      let pick = 0;
      if (p.growPolicy === 'lossguide') {
        for (let i = 1; i < open.length; i++) if (open[i]!.split!.gain > open[pick]!.split!.gain) pick = i;
      }
      const leaf = open.splice(pick, 1)[0]!;
      const [a, b] = this.expand(leaf, gh, features);
      leafCount++;
      for (const c of [a, b]) {
        (c.split ? open : finished).push(c);
        this.release(c);
      }
    }
    for (const l of open) { if (l.hist) { this.pool.push(l.hist); l.hist = null; } finished.push(l); }
    for (const l of finished) this.tree.value[l.node] = (-l.g / (l.h + p.lambda)) * p.learningRate;
    this.leaves = finished;
    return this.tree;
  }

  /** A leaf without a viable split gives its histogram back to the pool. */
  private release(l: Leaf): void {
    if (!l.split && l.hist) { this.pool.push(l.hist); l.hist = null; }
  }

  private canSplit(l: Leaf): boolean {
    const p = this.p;
    return (p.maxDepth <= 0 || l.depth < p.maxDepth) && l.end - l.start >= 2 && l.h >= 2 * p.minChildWeight;
  }

  private newNode(cover: number): number {
    const t = this.tree;
    t.feature.push(-1); t.threshold.push(0); t.left.push(-1); t.right.push(-1); t.defaultLeft.push(0); t.value.push(0); t.cover.push(cover);
    this.binThreshold.push(0);
    return t.feature.length - 1;
  }

  private expand(leaf: Leaf, gh: Float32Array, features: Int32Array): [Leaf, Leaf] {
    const s = leaf.split!;
    const t = this.tree;
    const { idx, scratch } = this;
    // Stable partition keeps row indices ascending inside each node, so histogram reads stay sequential.
    let nl = leaf.start;
    let nr = 0;
    const f = s.feature;
    const thr = s.bin;
    const dl = s.defaultLeft;
    // The split feature's column (column-major copy): ascending rows read nearby bytes, not one row-major line each.
    const col = this.q.byFeature.subarray(f * this.q.rows, (f + 1) * this.q.rows);
    for (let i = leaf.start; i < leaf.end; i++) {
      const r = idx[i]!;
      const b = col[r]!;
      if (b === MISSING_BIN ? dl : b <= thr) idx[nl++] = r;
      else scratch[nr++] = r;
    }
    idx.set(scratch.subarray(0, nr), nl);
    const hr = leaf.h - s.hl;
    const lNode = this.newNode(s.hl);
    const rNode = this.newNode(hr);
    t.feature[leaf.node] = f;
    t.threshold[leaf.node] = this.q.cuts[f]![thr]!;
    t.defaultLeft[leaf.node] = dl ? 1 : 0;
    t.left[leaf.node] = lNode;
    t.right[leaf.node] = rNode;
    t.cover[leaf.node] = s.hl + hr; // children covers sum exactly to the parent's
    this.binThreshold[leaf.node] = thr;
    const a: Leaf = { node: lNode, start: leaf.start, end: nl, depth: leaf.depth + 1, g: s.gl, h: s.hl, hist: null, split: null };
    const b: Leaf = { node: rNode, start: nl, end: leaf.end, depth: leaf.depth + 1, g: leaf.g - s.gl, h: hr, hist: null, split: null };
    const parentHist = leaf.hist!;
    leaf.hist = null;
    const splitA = this.canSplit(a);
    const splitB = this.canSplit(b);
    if (splitA || splitB) {
      // Subtraction trick: build the smaller child's histogram, derive the larger as parent − smaller.
      const [small, large] = a.end - a.start <= b.end - b.start ? [a, b] : [b, a];
      const sh = this.takeHist();
      this.buildHist(sh, small.start, small.end, gh, features, false);
      for (let j = 0; j < features.length; j++) {
        const base = features[j]! * HIST_STRIDE;
        for (let k = base; k < base + HIST_STRIDE; k++) parentHist[k] -= sh[k]!;
      }
      small.hist = sh;
      large.hist = parentHist;
      if (splitA) a.split = this.bestSplit(a, features);
      if (splitB) b.split = this.bestSplit(b, features);
    } else {
      this.pool.push(parentHist);
    }
    return [a, b];
  }

  /**
   * Sums (gradient, hessian) per bin of every sampled feature over the node's rows. `all` = the node holds
   * every row in order (the root without row sampling): then rows are read directly, without the index.
   * Features are unrolled by four so consecutive updates hit independent histogram slots; updates of one
   * feature from consecutive rows often hit the same bin and would otherwise serialise on store forwarding.
   */
  private buildHist(hist: Float64Array, start: number, end: number, gh: Float32Array, features: Int32Array, all: boolean): void {
    const F = this.q.features;
    const bins = this.q.bins;
    const idx = this.idx;
    const nf = features.length;
    if (nf === F) {
      hist.fill(0);
      const F4 = F & ~3;
      const S = HIST_STRIDE;
      const END4 = F4 * S;
      const END = F * S;
      const stride = this.q.rowStride;
      if (LITTLE_ENDIAN) {
        const words = this.q.words;
        const W = stride >> 2;
        if (all) {
          for (let r = start; r < end; r++) histRowWords(hist, words, r * W, gh[2 * r]!, gh[2 * r + 1]!, END4, END);
        } else {
          for (let i = start; i < end; i++) { const r = idx[i]!; histRowWords(hist, words, r * W, gh[2 * r]!, gh[2 * r + 1]!, END4, END); }
        }
      } else {
        for (let i = start; i < end; i++) { const r = all ? i : idx[i]!; histRowBytes(hist, bins, r * stride, gh[2 * r]!, gh[2 * r + 1]!, END4, END); }
      }
      return;
    }
    for (let j = 0; j < nf; j++) hist.fill(0, features[j]! * HIST_STRIDE, (features[j]! + 1) * HIST_STRIDE);
    for (let i = start; i < end; i++) {
      const r = all ? i : idx[i]!;
      const g = gh[2 * r]!;
      const h = gh[2 * r + 1]!;
      const o = r * this.q.rowStride;
      for (let j = 0; j < nf; j++) {
        const f = features[j]!;
        const k = f * HIST_STRIDE + (bins[o + f]! << 1);
        hist[k] += g;
        hist[k + 1] += h;
      }
    }
  }

  /** Scans every bin boundary of every sampled feature, trying missing values on both sides. */
  private bestSplit(l: Leaf, features: Int32Array): Split | null {
    const { lambda, minChildWeight, minSplitGain } = this.p;
    const hist = l.hist!;
    const G = l.g;
    const H = l.h;
    const minH = Math.max(minChildWeight, 1e-10);
    const parentScore = (G * G) / (H + lambda);
    let bestGain = minSplitGain;
    let best: Split | null = null;
    for (let j = 0; j < features.length; j++) {
      const f = features[j]!;
      const base = f * HIST_STRIDE;
      const nb = this.q.cuts[f]!.length;
      const gm = hist[base + MISSING_BIN * 2]!;
      const hm = hist[base + MISSING_BIN * 2 + 1]!;
      const hasMissing = hm > 0;
      let gl = 0;
      let hl = 0;
      for (let b = 0; b < nb - 1; b++) {
        gl += hist[base + 2 * b]!;
        hl += hist[base + 2 * b + 1]!;
        // Missing to the right.
        const hr = H - hl;
        if (hl >= minH && hr >= minH) {
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            // Without missing rows in this node, send future missing values the way most weight went.
            best = { gain, feature: f, bin: b, defaultLeft: hasMissing ? false : hl >= hr, gl, hl };
          }
        }
        if (hasMissing) {
          const gl2 = gl + gm;
          const hl2 = hl + hm;
          const hr2 = H - hl2;
          if (hl2 >= minH && hr2 >= minH) {
            const gr2 = G - gl2;
            const gain = (gl2 * gl2) / (hl2 + lambda) + (gr2 * gr2) / (hr2 + lambda) - parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              best = { gain, feature: f, bin: b, defaultLeft: true, gl: gl2, hl: hl2 };
            }
          }
        }
      }
    }
    return best;
  }

  /** Adds each leaf's value to its rows, read straight from the partition (no tree traversal). */
  addLeavesByPartition(margin: Float64Array): void {
    const idx = this.idx;
    for (const l of this.leaves) {
      const v = this.tree.value[l.node]!;
      for (let i = l.start; i < l.end; i++) margin[idx[i]!] += v;
    }
  }

  /** With row subsampling some rows were not partitioned: route every row through the binned tree. */
  addTreeBinned(tree: TreeSpec, margin: Float64Array): void {
    const stride = this.q.rowStride;
    const bins = this.q.bins;
    const bt = this.binThreshold;
    for (let r = 0; r < this.q.rows; r++) {
      let i = 0;
      const o = r * stride;
      while (tree.feature[i]! >= 0) {
        const b = bins[o + tree.feature[i]!]!;
        i = (b === MISSING_BIN ? tree.defaultLeft[i] === 1 : b <= bt[i]!) ? tree.left[i]! : tree.right[i]!;
      }
      margin[r] += tree.value[i]!;
    }
  }
}
