// Live model monitoring: score distribution and per-input PSI against the training data, counted without allocation.

import type { Dataset } from './dataset.ts';

/** Quantile bins of one distribution; `edges` are exclusive upper bounds (+Infinity implied last), then one missing bin. */
export interface BinnedDistribution { edges: number[]; shares: number[] }

/** Stored with each model version: what its inputs and scores looked like on the training data. */
export interface MonitorReference {
  rows: number;
  inputs: (BinnedDistribution & { name: string })[];
  score: BinnedDistribution;
}

/** Fixed score buckets for the exported histogram (upper bounds, inclusive). */
export const SCORE_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1] as const;

const PSI_EPSILON = 1e-4;

function binned(values: ArrayLike<number>, bins: number): BinnedDistribution {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) { const v = values[i]!; if (v === v) present.push(v); }
  const sorted = Float64Array.from(present).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins && sorted.length > 0; b++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]!;
    if (q > sorted[0]! && (edges.length === 0 || q > edges[edges.length - 1]!)) edges.push(q);
  }
  const counts = new Float64Array(edges.length + 2);
  for (let i = 0; i < values.length; i++) counts[binIndex(edges, values[i]!)]!++;
  return { edges, shares: Array.from(counts, (c) => c / Math.max(values.length, 1)) };
}

/** Bin of v: 0..edges.length for values, edges.length + 1 for missing. */
function binIndex(edges: readonly number[], v: number): number {
  if (v !== v) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (v < edges[mid]!) hi = mid; else lo = mid + 1; }
  return lo;
}

/** The training-data baseline of a model: deciles of each input (plus missing) and of its scores. */
export function monitorReference(data: Dataset, scores: ArrayLike<number>, bins = 10): MonitorReference {
  return {
    rows: data.rows,
    inputs: data.columns.map((col, f) => ({ name: data.featureNames[f]!, ...binned(col, bins) })),
    score: binned(scores, bins),
  };
}

export function psiOf(reference: readonly number[], counts: ArrayLike<number>, total: number): number {
  if (total === 0) return 0;
  let psi = 0;
  for (let b = 0; b < reference.length; b++) {
    const r = reference[b]!;
    const c = counts[b]! / total;
    if (r === 0 && c === 0) continue;
    const rr = Math.max(r, PSI_EPSILON);
    const cc = Math.max(c, PSI_EPSILON);
    psi += (cc - rr) * Math.log(cc / rr);
  }
  return psi;
}

export interface MonitorReport {
  model: string;
  version: number;
  /** Scores observed since the monitor started or was last reset. */
  observed: number;
  score: { mean: number; psi: number | null; buckets: { le: number; count: number }[] };
  inputs: { feature: string; psi: number | null; missingRate: number }[];
  /** Largest input PSI; > 0.25 is the usual "population shifted" line, 0.1–0.25 "watch". */
  maxInputPsi: number | null;
  status: 'stable' | 'watch' | 'shifted' | 'no_data' | 'no_reference';
}

/**
 * One per (model, version) in a serving process. `observe` is called with the input row and score of every
 * scored event; it only increments counters. `report` computes PSI against the training reference.
 */
export class ModelMonitor {
  private readonly inputCounts: Float64Array[];
  private readonly scoreCounts: Float64Array;
  private readonly bucketCounts = new Float64Array(SCORE_BUCKETS.length);
  private observed = 0;
  private scoreSum = 0;

  constructor(readonly model: string, readonly version: number, private readonly inputNames: readonly string[], private readonly reference: MonitorReference | null) {
    this.inputCounts = inputNames.map((_, f) => new Float64Array((reference?.inputs[f]?.edges.length ?? 0) + 2));
    this.scoreCounts = new Float64Array((reference?.score.edges.length ?? 0) + 2);
  }

  observe(row: Float64Array, score: number): void {
    this.observed++;
    this.scoreSum += score;
    const ref = this.reference;
    if (ref) {
      for (let f = 0; f < this.inputCounts.length; f++) this.inputCounts[f]![binIndex(ref.inputs[f]!.edges, row[f]!)]!++;
      this.scoreCounts[binIndex(ref.score.edges, score)]!++;
    } else {
      for (let f = 0; f < this.inputCounts.length; f++) if (row[f] !== row[f]) this.inputCounts[f]![1]!++;
    }
    let b = 0;
    while (b < SCORE_BUCKETS.length - 1 && score > SCORE_BUCKETS[b]!) b++;
    this.bucketCounts[b]!++;
  }

  report(): MonitorReport {
    const n = this.observed;
    const ref = this.reference;
    const inputs = this.inputNames.map((feature, f) => {
      const c = this.inputCounts[f]!;
      return { feature, psi: ref && n ? psiOf(ref.inputs[f]!.shares, c, n) : null, missingRate: n ? c[c.length - 1]! / n : 0 };
    });
    let maxInputPsi: number | null = null;
    for (const i of inputs) if (i.psi !== null && (maxInputPsi === null || i.psi > maxInputPsi)) maxInputPsi = i.psi;
    const scorePsi = ref && n ? psiOf(ref.score.shares, this.scoreCounts, n) : null;
    const worst = Math.max(maxInputPsi ?? 0, scorePsi ?? 0);
    return {
      model: this.model, version: this.version, observed: n,
      score: { mean: n ? this.scoreSum / n : 0, psi: scorePsi, buckets: SCORE_BUCKETS.map((le, b) => ({ le, count: this.bucketCounts[b]! })) },
      inputs, maxInputPsi,
      status: !ref ? 'no_reference' : n === 0 ? 'no_data' : worst > 0.25 ? 'shifted' : worst > 0.1 ? 'watch' : 'stable',
    };
  }

  /** Starts a new observation window (e.g. daily), keeping the reference. */
  reset(): void {
    for (const c of this.inputCounts) c.fill(0);
    this.scoreCounts.fill(0);
    this.bucketCounts.fill(0);
    this.observed = 0;
    this.scoreSum = 0;
  }

  /** Prometheus text exposition of this monitor (the server appends it to /metrics). */
  metricsText(): string {
    const r = this.report();
    const l = `model="${r.model}",version="${r.version}"`;
    const out: string[] = [`bulwark_model_scored_total{${l}} ${r.observed}`];
    let cum = 0;
    for (const b of r.score.buckets) { cum += b.count; out.push(`bulwark_model_score_bucket{${l},le="${b.le}"} ${cum}`); }
    out.push(`bulwark_model_score_bucket{${l},le="+Inf"} ${r.observed}`);
    out.push(`bulwark_model_score_sum{${l}} ${this.scoreSum}`, `bulwark_model_score_count{${l}} ${r.observed}`);
    if (r.score.psi !== null) out.push(`bulwark_model_score_psi{${l}} ${r.score.psi}`);
    for (const i of r.inputs) {
      if (i.psi !== null) out.push(`bulwark_model_input_psi{${l},feature="${i.feature}"} ${i.psi}`);
      out.push(`bulwark_model_input_missing_ratio{${l},feature="${i.feature}"} ${i.missingRate}`);
    }
    return out.join('\n') + '\n';
  }
}
