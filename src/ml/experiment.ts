// Train-and-evaluate on an exported training table with a time split, against the strategy's own score.

import type { Dataset } from './dataset.ts';
import { trainGbdt, defaultGbdtParams } from './gbdt.ts';
import type { GbdtParams } from './gbdt.ts';
import { trainLogistic } from './logistic.ts';
import { averagePrecision, calibrationTable, ksStatistic, logLoss, prCurve, precisionAtFpr, recallAtK, rocAuc, rocCurve, type CalibrationBin } from './metrics.ts';
import { monitorReference } from './monitor.ts';
import type { ModelInput, NewModelVersion } from './registry.ts';
import { datasetOf, featureColumns } from './table.ts';
import type { Table } from './table.ts';

export interface ExperimentOptions {
  label: string;
  /** Only rows whose event_type is this. */
  type?: string;
  /** Positives are label = 1 rows whose label_kind is one of these (default: any label = 1). */
  kinds?: string[];
  kind: 'gbdt' | 'logistic';
  /** Share of the time span (by row count, in time order) held out as the test set. */
  testFraction: number;
  /** Share of the training rows (the latest ones) used for early stopping. */
  validFraction: number;
  exclude?: string[];
  features?: string[];
  gbdt?: Partial<GbdtParams>;
  onRound?: GbdtParams['onRound'];
}

export interface RankMetrics { roc_auc: number; pr_auc: number; recall_at_k: number; recall_at_fpr_1pct: number; precision_at_fpr_1pct: number; ks: number }

export interface ExperimentResult {
  type: string | null;
  rows: { train: number; valid: number; test: number };
  positives: { train: number; valid: number; test: number };
  /** Test rows start at this event time (ms). */
  testFrom: number;
  features: ModelInput[];
  model: RankMetrics & { log_loss: number };
  /** The strategy's decisions on the same test rows, ranked by verdict then score (`verdict`, `score` columns). */
  strategy: RankMetrics | null;
  /** The decision's `score` column alone. */
  strategyScoreOnly: RankMetrics | null;
  /** model.pr_auc − strategy.pr_auc, and the ratio. */
  prAucGain: number | null;
  prAucRatio: number | null;
  trees: number | null;
  version: Omit<NewModelVersion, 'name'>;
}

const VERDICT_RANK: Record<string, number> = { allow: 0, challenge: 1, review: 2, block: 3 };

function rank(scores: ArrayLike<number>, labels: Uint8Array): RankMetrics {
  const pos = labels.reduce((s, y) => s + y, 0);
  const r = (v: number): number => Math.round(v * 1e5) / 1e5;
  // The most permissive threshold with at most 1% false positives: recall there is what a 1%-FPR rule would catch.
  const op = precisionAtFpr(scores, labels, 0.01);
  return {
    roc_auc: r(rocAuc(scores, labels)), pr_auc: r(averagePrecision(scores, labels)),
    recall_at_k: r(recallAtK(scores, labels, pos)), recall_at_fpr_1pct: r(op.recall), precision_at_fpr_1pct: r(op.precision), ks: r(ksStatistic(scores, labels)),
  };
}

/** What the training report draws: ROC and PR curves (thinned to ~100 points), calibration, and global importance. */
export interface TrainingReport {
  roc: { fpr: number; tpr: number }[];
  pr: { recall: number; precision: number }[];
  calibration: CalibrationBin[];
  /** Mean |contribution| per feature over a sample of test rows (TreeSHAP for trees, coefficient × value for linear), largest first. */
  importance: { feature: string; mean_abs: number }[];
}

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;

function thin<T>(points: T[], n = 100): T[] {
  if (points.length <= n) return points;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(points[Math.round((i * (points.length - 1)) / (n - 1))]!);
  return out;
}

export function trainingReport(scores: Float64Array, labels: Uint8Array, test: Dataset, contribute: (row: Float64Array, out: Float64Array) => void, sample = 500): TrainingReport {
  const width = test.featureNames.length;
  const sum = new Float64Array(width);
  const row = new Float64Array(width);
  const phi = new Float64Array(width);
  const n = Math.min(sample, test.rows);
  for (let k = 0; k < n; k++) {
    const i = Math.floor((k * test.rows) / n);
    for (let f = 0; f < width; f++) row[f] = test.columns[f]![i]!;
    phi.fill(0);
    contribute(row, phi);
    for (let f = 0; f < width; f++) sum[f]! += Math.abs(phi[f]!);
  }
  const importance = test.featureNames.map((feature, f) => ({ feature, mean_abs: n ? r4(sum[f]! / n) : 0 }))
    .sort((a, b) => b.mean_abs - a.mean_abs).slice(0, 25);
  return {
    roc: thin(rocCurve(scores, labels)).map((p) => ({ fpr: r4(p.fpr), tpr: r4(p.tpr) })),
    pr: thin(prCurve(scores, labels)).map((p) => ({ recall: r4(p.recall), precision: r4(p.precision) })),
    calibration: calibrationTable(scores, labels).map((b) => ({ ...b, meanPredicted: r4(b.meanPredicted), observedRate: r4(b.observedRate) })),
    importance,
  };
}

function subset(d: Dataset, from: number, to: number): Dataset {
  return { columns: d.columns.map((c) => c.subarray(from, to)), labels: d.labels.subarray(from, to), featureNames: d.featureNames, rows: to - from };
}

export function runExperiment(t: Table, o: ExperimentOptions): ExperimentResult {
  const labelCol = t.numeric.get(o.label);
  if (!labelCol) throw new Error(`label column '${o.label}' is missing or not numeric; columns: ${t.names.join(', ')}`);
  const ts = t.numeric.get('ts');
  if (!ts) throw new Error('the table has no ts column (event time); export it with bulwark export');
  const types = t.text.get('event_type');
  const kinds = o.kinds?.length ? new Set(o.kinds) : null;
  const kindCol = t.text.get('label_kind');
  const labels = new Uint8Array(t.rows);
  for (let r = 0; r < t.rows; r++) labels[r] = labelCol[r] === 1 && (!kinds || (kindCol !== undefined && kinds.has(kindCol[r] ?? ''))) ? 1 : 0;
  // Rows of the type, in event-time order (stable for ties), so a prefix is the past and a suffix the future.
  const picked: number[] = [];
  for (let r = 0; r < t.rows; r++) if (!o.type || types?.[r] === o.type) picked.push(r);
  if (picked.length < 10) throw new Error(`only ${picked.length} rows${o.type ? ` of type ${o.type}` : ''}`);
  picked.sort((a, b) => ts[a]! - ts[b]! || a - b);
  const order = Int32Array.from(picked);
  const features = o.features?.length ? o.features : featureColumns(t, o.label, o.exclude);
  for (const f of features) if (!t.numeric.has(f)) throw new Error(`feature ${f} is not a number/bool column of the table`);
  // Drop columns with no value at all on these rows (features of other event types).
  const used = features.filter((f) => { const c = t.numeric.get(f)!; return order.some((r) => c[r] === c[r]); });
  const all = datasetOf(t, used, labels, order);
  const n = all.rows;
  const testStart = Math.floor(n * (1 - o.testFraction));
  const validStart = Math.floor(testStart * (1 - o.validFraction));
  const train = subset(all, 0, validStart);
  const valid = subset(all, validStart, testStart);
  const test = subset(all, testStart, n);
  const count = (d: Dataset): number => d.labels.reduce((s, y) => s + y, 0);
  if (count(train) === 0 || count(test) === 0) throw new Error(`no positives in the ${count(train) === 0 ? 'training' : 'test'} period${o.type ? ` for ${o.type}` : ''}; use more events or another split`);
  const inputs: ModelInput[] = used.map((name) => ({ name, type: t.kinds.get(name) === 'bool' ? 'bool' : 'number' }));

  let testScores: Float64Array;
  let trainScores: Float64Array;
  let model: NewModelVersion['model'];
  let trees: number | null = null;
  let params: Record<string, unknown>;
  let contribute: (row: Float64Array, out: Float64Array) => void;
  if (o.kind === 'gbdt') {
    const p: Partial<GbdtParams> = { ...o.gbdt, onRound: o.onRound };
    const hasValid = valid.rows > 0 && count(valid) > 0;
    const fit = trainGbdt(train, p, hasValid ? valid : undefined);
    testScores = fit.model.predictDataset(test);
    trainScores = fit.model.predictDataset(train);
    model = fit.model.toJSON();
    trees = fit.bestRounds;
    contribute = (row, out) => out.set(fit.model.shap(row).contributions);
    const { onRound: _, ...rest } = { ...defaultGbdtParams, ...o.gbdt };
    params = { ...rest, trees_kept: fit.bestRounds, stopped_early: fit.stoppedEarly };
  } else {
    const m = trainLogistic(train, {});
    testScores = m.predictDataset(test);
    trainScores = m.predictDataset(train);
    model = m.toJSON();
    params = { l2: 1 };
    contribute = (row, out) => out.set(m.contributions(row).contributions);
  }
  const metrics = { ...rank(testScores, test.labels), log_loss: Math.round(logLoss(testScores, test.labels) * 1e5) / 1e5 };
  // The strategy's ranking of the same test rows: its verdict first (block > review > challenge > allow), then its
  // score points. Most default rules act by verdict, so the score column alone ranks far worse than the strategy does.
  const scoreCol = t.numeric.get('score');
  const verdictCol = t.text.get('verdict');
  let strategy: RankMetrics | null = null;
  let strategyScoreOnly: RankMetrics | null = null;
  if (scoreCol || verdictCol) {
    const s = new Float64Array(test.rows);
    const p = new Float64Array(test.rows);
    for (let i = 0; i < test.rows; i++) {
      const r = order[testStart + i]!;
      const v = scoreCol ? scoreCol[r]! : 0;
      p[i] = v === v ? v : 0;
      s[i] = (VERDICT_RANK[verdictCol?.[r] ?? ''] ?? 0) * 1e9 + p[i]!;
    }
    strategy = rank(s, test.labels);
    if (scoreCol) strategyScoreOnly = rank(p, test.labels);
  }
  const result: ExperimentResult = {
    type: o.type ?? null,
    rows: { train: train.rows, valid: valid.rows, test: test.rows },
    positives: { train: count(train), valid: count(valid), test: count(test) },
    testFrom: ts[order[testStart]!]!,
    features: inputs,
    model: metrics,
    strategy,
    strategyScoreOnly,
    prAucGain: strategy ? Math.round((metrics.pr_auc - strategy.pr_auc) * 1e5) / 1e5 : null,
    prAucRatio: strategy && strategy.pr_auc > 0 ? Math.round((metrics.pr_auc / strategy.pr_auc) * 100) / 100 : null,
    trees,
    version: {
      kind: o.kind, inputs, fingerprint: '', model, source: 'train', reference: monitorReference(train, trainScores),
      params: { ...params, label: o.label, kinds: o.kinds ?? null, type: o.type ?? null, test_fraction: o.testFraction, valid_fraction: o.validFraction },
      metrics: { test: metrics, report: trainingReport(testScores, test.labels, test, contribute), strategy_on_test: strategy, strategy_score_only_on_test: strategyScoreOnly, rows: { train: train.rows, valid: valid.rows, test: test.rows }, positives: { train: count(train), valid: count(valid), test: count(test) } },
    },
  };
  return result;
}
