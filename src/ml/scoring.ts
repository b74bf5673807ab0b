// Inline scoring contract for the engine: a registered model version as score(row) + reasons(row, k), allocation-free scoring.

import { FastTreeShap } from './fast-shap.ts';
import { GbdtModel } from './tree-model.ts';
import type { GbdtModelJson } from './tree-model.ts';
import { LogisticModel } from './logistic.ts';
import type { LogisticModelJson } from './logistic.ts';
import { ModelMonitor } from './monitor.ts';
import type { ModelInput, StoredModelVersion } from './registry.ts';

export interface ModelReason { feature: string; contribution: number }

export interface ScoringModel {
  name: string;
  version: number;
  /** Feature names the model reads, in order. */
  inputs: { name: string; type: 'number' | 'bool' }[];
  /** Probability in [0,1]. `row` holds the inputs in order; NaN = missing. Does not allocate. */
  score(row: Float64Array): number;
  /** Top-k reason codes by |log-odds contribution|: TreeSHAP for trees, coefficient × standardised value for linear models. */
  reasons(row: Float64Array, k: number): ModelReason[];
}

const sigmoid = (m: number): number => 1 / (1 + Math.exp(-m));

/** Indices of the k largest |c| (ties: lower index), written into `order`; returns how many are non-zero. */
function topK(c: Float64Array, k: number, order: Int32Array): number {
  if (k <= 0) return 0;
  let n = 0;
  for (let f = 0; f < c.length; f++) {
    const a = Math.abs(c[f]!);
    if (a === 0 || a !== a) continue;
    // Insertion into a short sorted prefix: k is small (3–5), so this beats sorting every feature.
    let j: number;
    if (n === k) {
      if (a <= Math.abs(c[order[k - 1]!]!)) continue;
      j = k - 1;
    } else {
      j = n++;
    }
    while (j > 0 && Math.abs(c[order[j - 1]!]!) < a) { order[j] = order[j - 1]!; j--; }
    order[j] = f;
  }
  return n;
}

export class TreeScoringModel implements ScoringModel {
  private readonly phi: Float64Array;
  private readonly scratch: Float64Array;
  private readonly order: Int32Array;
  private readonly base: number;
  private readonly explainer: FastTreeShap;

  constructor(readonly name: string, readonly version: number, readonly inputs: ModelInput[], readonly model: GbdtModel) {
    this.phi = new Float64Array(model.featureNames.length);
    this.scratch = new Float64Array(model.featureNames.length);
    this.order = new Int32Array(Math.max(1, model.featureNames.length));
    this.base = model.baseMargin;
    model.forest(); // built now, not on the first event
    this.explainer = new FastTreeShap(model);
  }

  score(row: Float64Array): number {
    const forest = this.model.forest();
    return sigmoid(this.model.float32Inputs ? forest.marginF32(row, this.base, this.scratch) : forest.margin(row, this.base));
  }

  /**
   * Exact path-dependent TreeSHAP (the same values as `GbdtModel.shap`), O(nodes) per row through the precomputed
   * explainer; trees it cannot take go through the exact recursion there. Allocates only the returned reasons.
   */
  reasons(row: Float64Array, k: number): ModelReason[] {
    this.explainer.shapInto(row, this.phi);
    const n = topK(this.phi, Math.min(k, this.order.length), this.order);
    const out: ModelReason[] = [];
    for (let i = 0; i < n; i++) out.push({ feature: this.inputs[this.order[i]!]!.name, contribution: this.phi[this.order[i]!]! });
    return out;
  }
}

export class LinearScoringModel implements ScoringModel {
  private readonly slope: Float64Array;
  private readonly offset: number;
  private readonly contrib: Float64Array;
  private readonly order: Int32Array;

  constructor(readonly name: string, readonly version: number, readonly inputs: ModelInput[], readonly model: LogisticModel) {
    const raw = model.rawCoefficients();
    this.slope = raw.coefficients;
    // Raw-scale coefficients: one multiply-add per input; a missing input takes its training mean (standardised 0).
    this.offset = raw.intercept;
    this.contrib = new Float64Array(model.coefficients.length);
    this.order = new Int32Array(Math.max(1, model.coefficients.length));
  }

  score(row: Float64Array): number {
    const { slope, model } = this;
    let m = this.offset;
    for (let f = 0; f < slope.length; f++) {
      const v = row[f]!;
      m += slope[f]! * (v === v ? v : model.mean[f]!);
    }
    return sigmoid(m);
  }

  reasons(row: Float64Array, k: number): ModelReason[] {
    const { model, contrib } = this;
    for (let f = 0; f < contrib.length; f++) {
      const v = row[f]!;
      contrib[f] = v === v ? (model.coefficients[f]! * (v - model.mean[f]!)) / model.std[f]! : 0;
    }
    const n = topK(contrib, Math.min(k, this.order.length), this.order);
    const out: ModelReason[] = [];
    for (let i = 0; i < n; i++) out.push({ feature: this.inputs[this.order[i]!]!.name, contribution: contrib[this.order[i]!]! });
    return out;
  }
}

/** The executable model of a registry row. Throws on a body that does not match its kind (the registry validated it on write). */
export function scoringModelFrom(v: StoredModelVersion): ScoringModel {
  if (v.kind === 'gbdt') return new TreeScoringModel(v.name, v.version, v.inputs, GbdtModel.fromJSON(v.model as GbdtModelJson));
  if (v.kind === 'logistic') return new LinearScoringModel(v.name, v.version, v.inputs, LogisticModel.fromJSON(v.model as LogisticModelJson));
  throw new Error(`model ${v.name}@${v.version}: unknown kind ${String(v.kind)}`);
}

/** A monitor for a registry row, against the training reference stored with it. */
export function monitorFor(v: StoredModelVersion): ModelMonitor {
  return new ModelMonitor(v.name, v.version, v.inputs.map((i) => i.name), v.reference);
}
