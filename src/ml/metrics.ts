// Model quality metrics for rare-positive classification: ranking (AUC, AP, KS), operating points, calibration.

export type Labels = ArrayLike<number>;

export interface RocPoint { threshold: number; fpr: number; tpr: number }
export interface PrPoint { threshold: number; recall: number; precision: number }
export interface OperatingPoint { threshold: number; precision: number; recall: number; fpr: number; flagged: number }
export interface CalibrationBin { lo: number; hi: number; count: number; meanPredicted: number; observedRate: number }

/** Row indices by descending score; ties keep row order so results are deterministic. */
export function rankByScore(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order;
}

/**
 * Cumulative counts at each distinct threshold (descending): rows with score >= threshold are flagged.
 * Tied scores form one step, so every curve and metric below is tie-aware.
 */
function thresholdSteps(scores: ArrayLike<number>, labels: Labels): { thr: number[]; tp: number[]; fp: number[]; pos: number; neg: number } {
  const order = rankByScore(scores);
  const thr: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    if (labels[r]) t++;
    else f++;
    if (i === order.length - 1 || scores[order[i + 1]!] !== scores[r]) { thr.push(scores[r]!); tp.push(t); fp.push(f); }
  }
  return { thr, tp, fp, pos: t, neg: f };
}

/** ROC-AUC: probability a random positive outscores a random negative, ties counted as half. NaN if one class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: Labels): number {
  let np = 0;
  for (let i = 0; i < scores.length; i++) if (labels[i]) np++;
  const nn = scores.length - np;
  if (np === 0 || nn === 0) return NaN;
  // Native numeric sorts of each class, then one merge: far faster than an index sort with a comparator.
  const pos = new Float64Array(np);
  const neg = new Float64Array(nn);
  for (let i = 0, a = 0, b = 0; i < scores.length; i++) { if (labels[i]) pos[a++] = scores[i]!; else neg[b++] = scores[i]!; }
  pos.sort();
  neg.sort();
  let below = 0; // negatives strictly below the current positive
  let ties = 0;
  let j = 0;
  let sum = 0;
  for (let i = 0; i < np; i++) {
    const s = pos[i]!;
    if (i > 0 && s === pos[i - 1]) { sum += below + ties / 2; continue; }
    while (j < nn && neg[j]! < s) j++;
    below = j;
    let k = j;
    while (k < nn && neg[k] === s) k++;
    ties = k - j;
    sum += below + ties / 2;
  }
  return sum / (np * nn);
}

export function rocCurve(scores: ArrayLike<number>, labels: Labels): RocPoint[] {
  const s = thresholdSteps(scores, labels);
  const out: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  for (let i = 0; i < s.thr.length; i++) out.push({ threshold: s.thr[i]!, fpr: s.neg ? s.fp[i]! / s.neg : 0, tpr: s.pos ? s.tp[i]! / s.pos : 0 });
  return out;
}

export function prCurve(scores: ArrayLike<number>, labels: Labels): PrPoint[] {
  const s = thresholdSteps(scores, labels);
  const out: PrPoint[] = [];
  for (let i = 0; i < s.thr.length; i++) out.push({ threshold: s.thr[i]!, recall: s.pos ? s.tp[i]! / s.pos : 0, precision: s.tp[i]! / (s.tp[i]! + s.fp[i]!) });
  return out;
}

/** Average precision: Σ (recall_k − recall_{k−1}) · precision_k over distinct thresholds (the step-wise PR-AUC). */
export function averagePrecision(scores: ArrayLike<number>, labels: Labels): number {
  const s = thresholdSteps(scores, labels);
  if (s.pos === 0) return NaN;
  let ap = 0;
  let prevTp = 0;
  for (let i = 0; i < s.thr.length; i++) {
    ap += ((s.tp[i]! - prevTp) / s.pos) * (s.tp[i]! / (s.tp[i]! + s.fp[i]!));
    prevTp = s.tp[i]!;
  }
  return ap;
}

/** Share of all positives found in the k highest-scored rows (a review queue of capacity k). */
export function recallAtK(scores: ArrayLike<number>, labels: Labels, k: number): number {
  const order = rankByScore(scores);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) pos++;
  if (pos === 0) return NaN;
  let hit = 0;
  for (let i = 0; i < Math.min(k, order.length); i++) if (labels[order[i]!]) hit++;
  return hit / pos;
}

/** The most permissive threshold whose false-positive rate stays within `maxFpr`, and the precision there. */
export function precisionAtFpr(scores: ArrayLike<number>, labels: Labels, maxFpr: number): OperatingPoint {
  const s = thresholdSteps(scores, labels);
  let best: OperatingPoint = { threshold: Infinity, precision: NaN, recall: 0, fpr: 0, flagged: 0 };
  for (let i = 0; i < s.thr.length; i++) {
    const fpr = s.neg ? s.fp[i]! / s.neg : 0;
    if (fpr > maxFpr) break;
    best = { threshold: s.thr[i]!, precision: s.tp[i]! / (s.tp[i]! + s.fp[i]!), recall: s.pos ? s.tp[i]! / s.pos : 0, fpr, flagged: s.tp[i]! + s.fp[i]! };
  }
  return best;
}

/** Kolmogorov–Smirnov: the largest gap between the positive and negative score CDFs (= max TPR − FPR). */
export function ksStatistic(scores: ArrayLike<number>, labels: Labels): number {
  const s = thresholdSteps(scores, labels);
  if (s.pos === 0 || s.neg === 0) return NaN;
  let ks = 0;
  for (let i = 0; i < s.thr.length; i++) ks = Math.max(ks, Math.abs(s.tp[i]! / s.pos - s.fp[i]! / s.neg));
  return ks;
}

/** Equal-count bins by predicted probability (deciles by default): mean prediction vs observed positive rate. */
export function calibrationTable(probs: ArrayLike<number>, labels: Labels, bins = 10): CalibrationBin[] {
  const order = rankByScore(probs).reverse();
  const n = order.length;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins);
    const end = Math.floor(((b + 1) * n) / bins);
    if (end <= start) continue;
    let sp = 0;
    let sy = 0;
    for (let i = start; i < end; i++) { sp += probs[order[i]!]!; sy += labels[order[i]!] ? 1 : 0; }
    out.push({ lo: probs[order[start]!]!, hi: probs[order[end - 1]!]!, count: end - start, meanPredicted: sp / (end - start), observedRate: sy / (end - start) });
  }
  return out;
}

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(probs: ArrayLike<number>, labels: Labels): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(Math.max(probs[i]!, 1e-15), 1 - 1e-15);
    s -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / probs.length;
}
