// Feature quantisation for histogram GBDT: per-feature cut points from a quantile sketch, rows to 8-bit bins.

import type { Dataset } from './dataset.ts';
import { SeededRandom } from './random.ts';

/** Bin code reserved for a missing value; value bins are 0..254. */
export const MISSING_BIN = 255;
/** Histogram slots per feature (value bins + the missing bin). */
export const BIN_SLOTS = 256;

export interface FeatureCuts {
  /**
   * Upper bounds per feature: value v falls in the first bin b with v < cuts[b]; the last bound is +Infinity.
   * So "bin <= b" is exactly "v < cuts[b]", which is the float threshold stored in the tree.
   */
  readonly cuts: readonly Float64Array[];
}

export interface QuantizedRows extends FeatureCuts {
  /** Row-major bins: row r, feature f at r * features + f. Row-major keeps a row's bins in one cache line. */
  readonly bins: Uint8Array;
  readonly features: number;
  readonly rows: number;
}

/**
 * Cut points from a seeded uniform sample of each column (exact when the column has at most `sampleSize`
 * values): equal-frequency quantiles, deduplicated, and the distinct values themselves when there are few.
 */
export function sketchCuts(data: Dataset, maxBins: number, sampleSize: number, seed: number): FeatureCuts {
  const valueBins = Math.max(2, Math.min(maxBins, BIN_SLOTS) - 1);
  const rng = new SeededRandom(seed ^ 0x5bd1e995);
  const n = data.rows;
  const cuts: Float64Array[] = [];
  const sample = new Float64Array(Math.min(n, sampleSize));
  for (const column of data.columns) {
    // One element type in the hot loops keeps property access monomorphic (Float32 columns are common).
    const col = column instanceof Float64Array ? column : Float64Array.from(column);
    let m = 0;
    if (n <= sampleSize) {
      for (let i = 0; i < n; i++) { const v = col[i]!; if (v === v) sample[m++] = v; }
    } else {
      for (let i = 0; i < sampleSize; i++) { const v = col[rng.nextInt(n)]!; if (v === v) sample[m++] = v; }
    }
    const sorted = sample.subarray(0, m).sort();
    const out: number[] = [];
    if (m > 0) {
      let distinct = 1;
      for (let i = 1; i < m && distinct <= valueBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
      if (distinct <= valueBins) {
        // Few values: one bin per value, bound = the next distinct value (as XGBoost does).
        for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) out.push(sorted[i]!);
      } else {
        for (let j = 1; j < valueBins; j++) {
          const q = sorted[Math.floor((j * m) / valueBins)]!;
          if (q > sorted[0]! && (out.length === 0 || q > out[out.length - 1]!)) out.push(q);
        }
      }
    }
    out.push(Infinity);
    cuts.push(Float64Array.from(out));
  }
  return { cuts };
}

/** Bin index of one value under `cuts` (binary search; NaN → MISSING_BIN). */
export function binOf(cuts: Float64Array, v: number): number {
  if (v !== v) return MISSING_BIN;
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v < cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function quantize(data: Dataset, cuts: FeatureCuts): QuantizedRows {
  const n = data.rows;
  const F = data.columns.length;
  const bins = new Uint8Array(n * F);
  for (let f = 0; f < F; f++) {
    const column = data.columns[f]!;
    const col = column instanceof Float64Array ? column : Float64Array.from(column);
    const c = cuts.cuts[f]!;
    const last = c.length - 1;
    for (let i = 0, k = f; i < n; i++, k += F) {
      const v = col[i]!;
      if (v !== v) { bins[k] = MISSING_BIN; continue; }
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v < c[mid]!) hi = mid;
        else lo = mid + 1;
      }
      bins[k] = lo;
    }
  }
  return { cuts: cuts.cuts, bins, features: F, rows: n };
}
