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
  /**
   * Row-major bins: row r, feature f at r * rowStride + f. Row-major keeps a row's bins in one cache line;
   * rows are padded to a multiple of 4 bytes so the histogram loop reads four bins per 32-bit load (`words`).
   */
  readonly bins: Uint8Array;
  readonly rowStride: number;
  /** `bins` as little-endian 32-bit words: row r starts at word r * rowStride / 4. */
  readonly words: Uint32Array;
  /** The same bins column-major (feature f, row r at f * rows + r), for partitioning a node on one feature. */
  readonly byFeature: Uint8Array;
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
  // One seeded row sample shared by every column: a uniform row sample, and 1 random draw per row instead of per value.
  const rowsSampled = n <= sampleSize ? null : new Int32Array(sampleSize);
  if (rowsSampled) { for (let i = 0; i < sampleSize; i++) rowsSampled[i] = rng.nextInt(n); rowsSampled.sort(); } // sorted: gathers walk forward
  for (const column of data.columns) {
    const m = gather(column, rowsSampled, n, sample);
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

function gather(col: Float64Array | Float32Array, rows: Int32Array | null, n: number, out: Float64Array): number {
  let m = 0;
  if (!rows) { for (let i = 0; i < n; i++) { const v = col[i]!; if (v === v) out[m++] = v; } }
  else { for (let i = 0; i < rows.length; i++) { const v = col[rows[i]!]!; if (v === v) out[m++] = v; } }
  return m;
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

/** Rows per block when quantising: one block's row-major bins stay in cache while each column fills its slot. */
const QUANTIZE_BLOCK = 4096;

export function quantize(data: Dataset, cuts: FeatureCuts): QuantizedRows {
  const n = data.rows;
  const F = data.columns.length;
  const rowStride = (F + 3) & ~3;
  const bins = new Uint8Array(n * rowStride);
  const byFeature = new Uint8Array(n * F);
  // Cuts padded to 256 with +Infinity so the search is a fixed 8 halvings with no data-dependent branch.
  const padded = cuts.cuts.map((c) => { const p = new Float64Array(BIN_SLOTS).fill(Infinity); p.set(c.subarray(0, Math.min(c.length, BIN_SLOTS))); return p; });
  const block = new Float64Array(QUANTIZE_BLOCK);
  for (let r0 = 0; r0 < n; r0 += QUANTIZE_BLOCK) {
    const r1 = Math.min(n, r0 + QUANTIZE_BLOCK);
    for (let f = 0; f < F; f++) {
      const column = data.columns[f]!;
      // Copy the block into one element type so the loop below stays monomorphic.
      for (let i = r0; i < r1; i++) block[i - r0] = column[i]!;
      const c = padded[f]!;
      const last = cuts.cuts[f]!.length - 1; // +Infinity itself lands in the last bin
      for (let i = r0, k = r0 * rowStride + f; i < r1; i++, k += rowStride) {
        const v = block[i - r0]!;
        if (v !== v) { bins[k] = MISSING_BIN; byFeature[f * n + i] = MISSING_BIN; continue; }
        // Number of cut bounds <= v, i.e. the first bin b with v < cuts[b].
        let pos = 0;
        pos += 128 * +(c[127]! <= v);
        pos += 64 * +(c[pos + 63]! <= v);
        pos += 32 * +(c[pos + 31]! <= v);
        pos += 16 * +(c[pos + 15]! <= v);
        pos += 8 * +(c[pos + 7]! <= v);
        pos += 4 * +(c[pos + 3]! <= v);
        pos += 2 * +(c[pos + 1]! <= v);
        pos += +(c[pos]! <= v);
        const b = pos < last ? pos : last;
        bins[k] = b;
        byFeature[f * n + i] = b;
      }
    }
  }
  return { cuts: cuts.cuts, bins, rowStride, words: new Uint32Array(bins.buffer, bins.byteOffset, bins.length >> 2), byFeature, features: F, rows: n };
}
