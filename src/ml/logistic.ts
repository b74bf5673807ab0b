// L2-regularised logistic regression on standardised features, trained by Newton's method (IRLS).

import type { Dataset } from './dataset.ts';
import { validateDataset } from './dataset.ts';

export interface LogisticParams {
  /** L2 penalty on standardised coefficients (the intercept is not penalised). */
  l2: number;
  maxIterations: number;
  /** Stop when no coefficient moves more than this in one Newton step. */
  tolerance: number;
  scalePosWeight: number;
  classWeights: readonly [number, number];
}

export const defaultLogisticParams: LogisticParams = { l2: 1, maxIterations: 50, tolerance: 1e-9, scalePosWeight: 1, classWeights: [1, 1] };

export interface LogisticModelJson {
  format: 'bulwark-logistic';
  version: 1;
  featureNames: string[];
  mean: number[];
  std: number[];
  coefficients: number[];
  intercept: number;
}

export class LogisticModel {
  constructor(
    readonly featureNames: readonly string[],
    /** Training means: used for standardising and to impute missing values. */
    readonly mean: Float64Array,
    readonly std: Float64Array,
    /** Coefficients on the standardised scale. */
    readonly coefficients: Float64Array,
    readonly intercept: number,
  ) {}

  predictMargin(row: ArrayLike<number>): number {
    let m = this.intercept;
    for (let f = 0; f < this.coefficients.length; f++) {
      const v = row[f]!;
      // A missing value is the training mean: standardised 0, contributes nothing.
      if (v === v) m += (this.coefficients[f]! * (v - this.mean[f]!)) / this.std[f]!;
    }
    return m;
  }

  predict(row: ArrayLike<number>): number {
    return 1 / (1 + Math.exp(-this.predictMargin(row)));
  }

  predictDataset(data: Dataset): Float64Array {
    const out = new Float64Array(data.rows).fill(this.intercept);
    for (let f = 0; f < this.coefficients.length; f++) {
      const col = data.columns[f]!;
      const c = this.coefficients[f]! / this.std[f]!;
      const mu = this.mean[f]!;
      for (let i = 0; i < data.rows; i++) { const v = col[i]!; if (v === v) out[i] += c * (v - mu); }
    }
    for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-out[i]!));
    return out;
  }

  /** Per-feature log-odds contributions: coefficient × standardised value; intercept + sum = margin. */
  contributions(row: ArrayLike<number>): { base: number; contributions: Float64Array } {
    const c = new Float64Array(this.coefficients.length);
    for (let f = 0; f < c.length; f++) {
      const v = row[f]!;
      c[f] = v === v ? (this.coefficients[f]! * (v - this.mean[f]!)) / this.std[f]! : 0;
    }
    return { base: this.intercept, contributions: c };
  }

  /** Coefficients and intercept on the original feature scale. */
  rawCoefficients(): { coefficients: Float64Array; intercept: number } {
    const c = new Float64Array(this.coefficients.length);
    let b = this.intercept;
    for (let f = 0; f < c.length; f++) {
      c[f] = this.coefficients[f]! / this.std[f]!;
      b -= c[f]! * this.mean[f]!;
    }
    return { coefficients: c, intercept: b };
  }

  toJSON(): LogisticModelJson {
    return { format: 'bulwark-logistic', version: 1, featureNames: [...this.featureNames], mean: [...this.mean], std: [...this.std], coefficients: [...this.coefficients], intercept: this.intercept };
  }

  static fromJSON(j: LogisticModelJson): LogisticModel {
    if (j.format !== 'bulwark-logistic' || j.version !== 1) throw new Error(`not a bulwark-logistic v1 model: ${String(j.format)}`);
    return new LogisticModel(j.featureNames, Float64Array.from(j.mean), Float64Array.from(j.std), Float64Array.from(j.coefficients), j.intercept);
  }
}

export function trainLogistic(data: Dataset, options: Partial<LogisticParams> = {}): LogisticModel {
  const p: LogisticParams = { ...defaultLogisticParams, ...options };
  const bad = validateDataset(data);
  if (bad) throw new Error(bad.message);
  const n = data.rows;
  const F = data.columns.length;
  const mean = new Float64Array(F);
  const std = new Float64Array(F);
  // Standardised design matrix, column-major, missing → 0 (= mean imputation).
  const z: Float64Array[] = [];
  for (let f = 0; f < F; f++) {
    const col = data.columns[f]!;
    let s = 0, s2 = 0, k = 0;
    for (let i = 0; i < n; i++) { const v = col[i]!; if (v === v) { s += v; s2 += v * v; k++; } }
    const mu = k ? s / k : 0;
    const sd = k ? Math.sqrt(Math.max(s2 / k - mu * mu, 0)) : 0;
    mean[f] = mu;
    std[f] = sd > 1e-12 ? sd : 1; // a constant column gets coefficient 0 under L2 anyway
    const zc = new Float64Array(n);
    for (let i = 0; i < n; i++) { const v = col[i]!; zc[i] = v === v ? (v - mu) / std[f]! : 0; }
    z.push(zc);
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = (data.labels[i] ? p.classWeights[1] * p.scalePosWeight : p.classWeights[0]) * (data.weights ? data.weights[i]! : 1);

  const D = F + 1; // parameter 0 is the intercept
  const beta = new Float64Array(D);
  const margin = new Float64Array(n);
  const objective = (b: Float64Array): number => {
    let o = 0;
    for (let i = 0; i < n; i++) margin[i] = b[0]!;
    for (let f = 0; f < F; f++) { const c = b[f + 1]!, zc = z[f]!; for (let i = 0; i < n; i++) margin[i] += c * zc[i]!; }
    for (let i = 0; i < n; i++) {
      const m = margin[i]!;
      // log(1 + e^m) − y·m, computed stably
      const sp = m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
      o += w[i]! * (sp - (data.labels[i] ? m : 0));
    }
    for (let f = 1; f < D; f++) o += 0.5 * p.l2 * b[f]! * b[f]!;
    return o;
  };
  let obj = objective(beta);
  const grad = new Float64Array(D);
  const hess = new Float64Array(D * D);
  const row = new Float64Array(D);
  for (let iter = 0; iter < p.maxIterations; iter++) {
    grad.fill(0);
    hess.fill(0);
    for (let i = 0; i < n; i++) {
      const pr = 1 / (1 + Math.exp(-margin[i]!));
      const r = w[i]! * (pr - data.labels[i]!);
      const s = w[i]! * Math.max(pr * (1 - pr), 1e-12);
      row[0] = 1;
      for (let f = 0; f < F; f++) row[f + 1] = z[f]![i]!;
      for (let a = 0; a < D; a++) {
        const ra = row[a]!;
        grad[a] += r * ra;
        const sa = s * ra;
        for (let b = 0; b <= a; b++) hess[a * D + b] += sa * row[b]!;
      }
    }
    for (let a = 1; a < D; a++) { grad[a] += p.l2 * beta[a]!; hess[a * D + a] += p.l2; }
    for (let a = 0; a < D; a++) for (let b = a + 1; b < D; b++) hess[a * D + b] = hess[b * D + a]!;
    const step = choleskySolve(hess, grad, D);
    // Damped Newton: halve the step until the penalised loss does not increase.
    let t = 1;
    const next = new Float64Array(D);
    let nextObj = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let a = 0; a < D; a++) next[a] = beta[a]! - t * step[a]!;
      nextObj = objective(next);
      if (nextObj <= obj + 1e-12 * Math.abs(obj)) break;
      t /= 2;
    }
    let moved = 0;
    for (let a = 0; a < D; a++) moved = Math.max(moved, Math.abs(next[a]! - beta[a]!));
    beta.set(next);
    obj = objective(beta); // leaves `margin` in sync with beta
    if (moved < p.tolerance) break;
  }
  return new LogisticModel(data.featureNames, mean, std, beta.slice(1), beta[0]!);
}

/** Solves A x = b for symmetric positive definite A (row-major D×D); adds jitter if A is near singular. */
function choleskySolve(A: Float64Array, b: Float64Array, D: number): Float64Array {
  const L = new Float64Array(D * D);
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-10 : jitter * 10) {
    let ok = true;
    for (let i = 0; i < D && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = A[i * D + j]! + (i === j ? jitter : 0);
        for (let k = 0; k < j; k++) s -= L[i * D + k]! * L[j * D + k]!;
        if (i === j) {
          if (s <= 0) { ok = false; break; }
          L[i * D + i] = Math.sqrt(s);
        } else {
          L[i * D + j] = s / L[j * D + j]!;
        }
      }
    }
    if (ok) break;
    if (jitter > 1e3) throw new Error('logistic regression: hessian is not positive definite');
  }
  const y = new Float64Array(D);
  for (let i = 0; i < D; i++) { let s = b[i]!; for (let k = 0; k < i; k++) s -= L[i * D + k]! * y[k]!; y[i] = s / L[i * D + i]!; }
  const x = new Float64Array(D);
  for (let i = D - 1; i >= 0; i--) { let s = y[i]!; for (let k = i + 1; k < D; k++) s -= L[k * D + i]! * x[k]!; x[i] = s / L[i * D + i]!; }
  return x;
}
