// `bulwark model`: train on exported training sets, register immutable versions, import XGBoost and ONNX, export ONNX, evaluate against the strategy.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openControl } from '../control/index.ts';
import type { Control } from '../control/index.ts';
import {
  averagePrecision, GbdtModel, importXgboostJson, LogisticModel, ModelRegistry, modelMigrations, parseModelRef, rocAuc, scoringModelFrom,
} from '../ml/index.ts';
import type { GbdtModelJson, GbdtParams, LogisticModelJson, StoredModelVersion } from '../ml/index.ts';
import { gbdtToOnnx, importOnnx, logisticToOnnx, PARITY_TOLERANCE, parityRows, verifyWithOnnxRuntime } from '../ml/onnx.ts';
import { runExperiment } from '../ml/experiment.ts';
import type { ExperimentResult } from '../ml/experiment.ts';
import { readTable } from '../ml/table.ts';
import type { CliCommand } from './backtest.ts';

const CONTROL_OPTIONS = { 'data-dir': { type: 'string' as const, default: process.env.BULWARK_DATA ?? 'data' }, actor: { type: 'string' as const, default: process.env.USER ?? 'cli' } };

async function withRegistry<T>(v: Record<string, string | boolean | undefined>, fn: (r: ModelRegistry, c: Control) => Promise<T>): Promise<T> {
  const control = await openControl({ dataDir: resolve(String(v['data-dir'])), databaseUrl: process.env.BULWARK_DATABASE_URL || undefined, migrations: [modelMigrations] });
  try { return await fn(new ModelRegistry(control.sql), control); } finally { await control.close(); }
}

const num = (v: unknown, name: string, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, found '${String(v)}'`);
  return n;
};
const list = (v: unknown): string[] | undefined => (typeof v === 'string' && v.trim() ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

class UsageError extends Error {}

function gbdtParams(v: Record<string, string | boolean | undefined>): Partial<GbdtParams> {
  return {
    rounds: num(v.rounds, 'rounds', 300), maxDepth: num(v.depth, 'depth', 6), learningRate: num(v['learning-rate'], 'learning-rate', 0.05),
    minChildWeight: num(v['min-child-weight'], 'min-child-weight', 1), rowSubsample: num(v.subsample, 'subsample', 0.8),
    colSubsample: num(v.colsample, 'colsample', 0.8), scalePosWeight: num(v['scale-pos-weight'], 'scale-pos-weight', 1),
    earlyStoppingRounds: num(v['early-stopping'], 'early-stopping', 30), seed: num(v.seed, 'seed', 1), evalMetric: 'logloss',
  };
}

const TRAIN_OPTIONS = {
  data: { type: 'string' as const }, label: { type: 'string' as const, default: 'label' }, type: { type: 'string' as const }, kinds: { type: 'string' as const },
  kind: { type: 'string' as const, default: 'gbdt' }, exclude: { type: 'string' as const }, features: { type: 'string' as const },
  'test-fraction': { type: 'string' as const }, 'valid-fraction': { type: 'string' as const },
  rounds: { type: 'string' as const }, depth: { type: 'string' as const }, 'learning-rate': { type: 'string' as const }, 'min-child-weight': { type: 'string' as const },
  subsample: { type: 'string' as const }, colsample: { type: 'string' as const }, 'scale-pos-weight': { type: 'string' as const }, 'early-stopping': { type: 'string' as const },
  seed: { type: 'string' as const }, json: { type: 'boolean' as const },
};

async function experiment(v: Record<string, string | boolean | undefined>, type: string | undefined, quiet: boolean): Promise<{ r: ExperimentResult; fingerprint: string }> {
  if (!v.data) throw new UsageError('give the training set: --data FILE.csv|FILE.parquet (from bulwark export)');
  const kind = String(v.kind);
  if (kind !== 'gbdt' && kind !== 'logistic') throw new UsageError(`--kind is gbdt or logistic, found '${kind}'`);
  const t = await readTable(String(v.data));
  const r = runExperiment(t, {
    label: String(v.label), type, kinds: list(v.kinds), kind, exclude: list(v.exclude), features: list(v.features),
    testFraction: num(v['test-fraction'], 'test-fraction', 0.25), validFraction: num(v['valid-fraction'], 'valid-fraction', 0.15),
    gbdt: gbdtParams(v),
    onRound: quiet ? undefined : ({ round, validMetric }) => { if ((round + 1) % 25 === 0) process.stderr.write(`[model] ${type ?? 'all'} round ${round + 1} valid logloss ${validMetric?.toFixed(5) ?? '-'}\n`); },
  });
  return { r, fingerprint: t.fingerprint };
}

function fmt(x: number | null | undefined, d = 4): string { return x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d); }

function printResult(r: ExperimentResult): void {
  console.log(`${r.type ?? 'all'}: train ${r.rows.train} rows (${r.positives.train} pos), valid ${r.rows.valid} (${r.positives.valid}), test ${r.rows.test} (${r.positives.test}) from ${new Date(r.testFrom).toISOString()}; ${r.features.length} features${r.trees !== null ? `, ${r.trees} trees` : ''}`);
  console.log(`  model:    PR-AUC ${fmt(r.model.pr_auc)}  ROC-AUC ${fmt(r.model.roc_auc)}  recall@K ${fmt(r.model.recall_at_k)}  recall@1%FPR ${fmt(r.model.recall_at_fpr_1pct)}  KS ${fmt(r.model.ks)}`);
  if (r.strategyScoreOnly) console.log(`  score column alone: PR-AUC ${fmt(r.strategyScoreOnly.pr_auc)}  ROC-AUC ${fmt(r.strategyScoreOnly.roc_auc)}`);
  if (r.strategy) console.log(`  strategy (verdict, then score): PR-AUC ${fmt(r.strategy.pr_auc)}  ROC-AUC ${fmt(r.strategy.roc_auc)}  recall@K ${fmt(r.strategy.recall_at_k)}  recall@1%FPR ${fmt(r.strategy.recall_at_fpr_1pct)}  KS ${fmt(r.strategy.ks)}`);
  if (r.prAucGain !== null) console.log(`  PR-AUC gain ${r.prAucGain >= 0 ? '+' : ''}${fmt(r.prAucGain)} (${r.prAucRatio ?? '-'}× the strategy's)`);
}

function describe(m: StoredModelVersion): string {
  const lines = [
    `${m.name}@${m.version}  ${m.kind}  from ${m.source}  by ${m.createdBy} at ${m.createdAt.toISOString()}`,
    `  fingerprint ${m.fingerprint || '-'}`,
    `  inputs (${m.inputs.length}): ${m.inputs.map((i) => `${i.name}:${i.type}`).join(', ')}`,
    `  params ${JSON.stringify(m.params)}`,
    `  metrics ${JSON.stringify(m.metrics)}`,
  ];
  if (m.kind === 'gbdt' && 'trees' in m.model) lines.push(`  trees ${m.model.trees.length}`);
  return lines.join('\n');
}

async function run(sub: string | undefined, v: Record<string, string | boolean | undefined>, p: string[]): Promise<number> {
  switch (sub) {
    case 'train': {
      if (!v.out || !parseModelRef(String(v.out)) || String(v.out).includes('@')) throw new UsageError('give the model name: --out NAME (lower-case, digits, _)');
      const { r, fingerprint } = await experiment(v, v.type as string | undefined, false);
      printResult(r);
      const stored = await withRegistry(v, (reg) => reg.create({ ...r.version, name: String(v.out), fingerprint }, String(v.actor)));
      console.log(`registered ${stored.name}@${stored.version} (${stored.kind}, ${stored.inputs.length} inputs)`);
      if (v.json) { const { version: _body, ...summary } = r; console.log(JSON.stringify({ ...summary, name: stored.name, registered_version: stored.version })); }
      return 0;
    }
    case 'eval': {
      if (v.model) return evalStored(v);
      // Several types in one run: the comparison table for docs/models.md.
      const types = list(v.type) ?? [undefined as unknown as string];
      const rows: Record<string, unknown>[] = [];
      for (const type of types) {
        const { r } = await experiment(v, type, false);
        printResult(r);
        rows.push({ type: r.type, test_rows: r.rows.test, test_positives: r.positives.test, model_pr_auc: r.model.pr_auc, strategy_pr_auc: r.strategy?.pr_auc ?? null, score_column_pr_auc: r.strategyScoreOnly?.pr_auc ?? null, pr_auc_gain: r.prAucGain, pr_auc_ratio: r.prAucRatio, model_roc_auc: r.model.roc_auc, strategy_roc_auc: r.strategy?.roc_auc ?? null, trees: r.trees });
      }
      console.log(JSON.stringify({ eval: 'model', data: v.data, label: v.label, kind: v.kind, results: rows }));
      return 0;
    }
    case 'list': {
      const all = await withRegistry(v, (reg) => reg.list(p[0]));
      if (!all.length) { console.log('no models registered'); return 0; }
      for (const m of all) {
        const test = (m.metrics as { test?: { pr_auc?: number; roc_auc?: number } }).test;
        console.log(`${`${m.name}@${m.version}`.padEnd(28)} ${m.kind.padEnd(9)} ${String(m.inputs).padStart(3)} inputs  ${m.source.padEnd(15)} ${m.createdAt.toISOString()}  ${test ? `PR-AUC ${fmt(test.pr_auc)} ROC-AUC ${fmt(test.roc_auc)}` : ''}`);
      }
      return 0;
    }
    case 'show': {
      const ref = p[0] ? parseModelRef(p[0]) : null;
      if (!ref) throw new UsageError('usage: bulwark model show NAME[@V]');
      const m = await withRegistry(v, (reg) => reg.get(ref.name, ref.version));
      if (!m) { console.error(`no model ${p[0]}`); return 1; }
      console.log(v.json ? JSON.stringify(m) : describe(m));
      return 0;
    }
    case 'import': {
      if (v.onnx) return importOnnxFile(v);
      if (!v.xgboost || !v.name || !parseModelRef(String(v.name)) || String(v.name).includes('@')) throw new UsageError('usage: bulwark model import --xgboost FILE.json --name NAME [--features a,b,...] [--bool-features x,y]');
      const res = importXgboostJson(readFileSync(String(v.xgboost), 'utf8'), list(v.features));
      if (!res.ok) { console.error(`${v.xgboost}: ${res.error.message}`); return 1; }
      const bools = new Set(list(v['bool-features']) ?? []);
      const names = res.model.featureNames;
      if (names.every((n) => /^f\d+$/.test(n)) && !v.features) console.error('note: the model has no feature names; pass --features a,b,... so strategies can bind its inputs');
      const stored = await withRegistry(v, (reg) => reg.create({
        name: String(v.name), kind: 'gbdt', inputs: names.map((n) => ({ name: n, type: bools.has(n) ? 'bool' : 'number' })),
        fingerprint: '', params: { imported_from: String(v.xgboost) }, metrics: {}, reference: null, model: res.model.toJSON(), source: 'import:xgboost',
      }, String(v.actor)));
      console.log(`registered ${stored.name}@${stored.version} from ${v.xgboost} (${res.model.treeCount} trees, ${names.length} inputs)`);
      return 0;
    }
    case 'export': {
      const ref = p[0] ? parseModelRef(p[0]) : null;
      if (!ref || !v.onnx) throw new UsageError('usage: bulwark model export NAME[@V] --onnx OUT.onnx');
      const m = await withRegistry(v, (reg) => reg.get(ref.name, ref.version));
      if (!m) { console.error(`no model ${p[0]}`); return 1; }
      const model = m.kind === 'gbdt' ? GbdtModel.fromJSON(m.model as GbdtModelJson) : LogisticModel.fromJSON(m.model as LogisticModelJson);
      const bytes = model instanceof GbdtModel ? gbdtToOnnx(model) : logisticToOnnx(model);
      // The file is checked in onnxruntime before it is written, so a user never receives one that scores differently.
      const check = await verifyWithOnnxRuntime(bytes, model, parityRows(model));
      if (!check.ok) { console.error(`export of ${m.name}@${m.version} failed its onnxruntime check: ${check.error.message}`); return 1; }
      if (check.parity.maxDiff > PARITY_TOLERANCE) { console.error(`export of ${m.name}@${m.version} disagrees with onnxruntime: max |Δp| ${check.parity.maxDiff.toExponential(2)}`); return 1; }
      writeFileSync(String(v.onnx), bytes);
      console.log(`wrote ${v.onnx} (${bytes.length} bytes, ${m.name}@${m.version} ${m.kind}${model instanceof GbdtModel ? `, ${model.treeCount} trees` : ''}); input "input" float [N, ${model.featureNames.length}]: ${model.featureNames.join(', ')}; output "probabilities" [N, 2]`);
      console.log(`parity with onnxruntime on ${check.parity.rows} rows: max |Δp| ${check.parity.maxDiff.toExponential(2)}`);
      return 0;
    }
    default:
      throw new UsageError(MODEL_USAGE);
  }
}

/** `model import --onnx`: convert, check against onnxruntime, register; nothing is stored unless parity holds. */
async function importOnnxFile(v: Record<string, string | boolean | undefined>): Promise<number> {
  if (!v.name || !parseModelRef(String(v.name)) || String(v.name).includes('@')) throw new UsageError('usage: bulwark model import --onnx FILE.onnx --name NAME --features a,b,... [--bool-features x,y]');
  const file = String(v.onnx);
  const res = await importOnnx(new Uint8Array(readFileSync(file)), list(v.features));
  if (!res.ok) { console.error(`${file}: ${res.error.message}`); return 1; }
  const { model, parity } = res;
  const bools = new Set(list(v['bool-features']) ?? []);
  const names = model.featureNames;
  const stored = await withRegistry(v, (reg) => reg.create({
    name: String(v.name), kind: model instanceof GbdtModel ? 'gbdt' : 'logistic', inputs: names.map((n) => ({ name: n, type: bools.has(n) ? 'bool' : 'number' })),
    fingerprint: '', params: { imported_from: file, parity_rows: parity.rows, parity_max_abs_diff: parity.maxDiff }, metrics: {}, reference: null,
    model: model.toJSON(), source: 'import:onnx',
  }, String(v.actor)));
  console.log(`registered ${stored.name}@${stored.version} from ${file} (${model instanceof GbdtModel ? `${model.treeCount} trees` : 'logistic'}, ${names.length} inputs)`);
  console.log(`parity with onnxruntime on ${parity.rows} rows: max |Δp| ${parity.maxDiff.toExponential(2)} (limit ${PARITY_TOLERANCE})`);
  return 0;
}

/** Scores a stored version on a table (inputs bound by column name) and compares with the strategy's score. */
async function evalStored(v: Record<string, string | boolean | undefined>): Promise<number> {
  const ref = parseModelRef(String(v.model));
  if (!ref) throw new UsageError('--model NAME[@V]');
  if (!v.data) throw new UsageError('--data FILE');
  const m = await withRegistry(v, (reg) => reg.get(ref.name, ref.version));
  if (!m) { console.error(`no model ${String(v.model)}`); return 1; }
  const t = await readTable(String(v.data));
  const missing = m.inputs.filter((i) => !t.numeric.has(i.name)).map((i) => i.name);
  if (missing.length) { console.error(`the table lacks inputs of ${m.name}@${m.version}: ${missing.join(', ')}`); return 1; }
  const model = scoringModelFrom(m);
  const cols = m.inputs.map((i) => t.numeric.get(i.name)!);
  const label = t.numeric.get(String(v.label));
  if (!label) { console.error(`no label column ${String(v.label)}`); return 1; }
  const types = t.text.get('event_type');
  const row = new Float64Array(cols.length);
  const scores: number[] = [];
  const ys: number[] = [];
  const strat: number[] = [];
  const sc = t.numeric.get('score');
  for (let r = 0; r < t.rows; r++) {
    if (v.type && types?.[r] !== v.type) continue;
    for (let f = 0; f < cols.length; f++) row[f] = cols[f]![r]!;
    scores.push(model.score(row));
    ys.push(label[r] === 1 ? 1 : 0);
    if (sc) strat.push(sc[r]! === sc[r]! ? sc[r]! : 0);
  }
  const out = { model: `${m.name}@${m.version}`, rows: scores.length, positives: ys.reduce((a, b) => a + b, 0), pr_auc: averagePrecision(scores, ys), roc_auc: rocAuc(scores, ys), strategy_pr_auc: sc ? averagePrecision(strat, ys) : null, strategy_roc_auc: sc ? rocAuc(strat, ys) : null };
  console.log(JSON.stringify(out));
  return 0;
}

export const MODEL_USAGE = [
  'bulwark model train --data FILE --label COL --out NAME [--type EVENT_TYPE] [--kinds K1,K2] [--kind gbdt|logistic] [--rounds N] [--depth N] [--learning-rate X] [--early-stopping N] [--exclude a,b] [--features a,b] [--test-fraction 0.25] [--data-dir DIR]',
  'bulwark model eval --data FILE --label COL [--type T1,T2,...]   (time split, model vs the strategy score column; nothing stored)',
  'bulwark model eval --model NAME[@V] --data FILE --label COL [--type T]',
  'bulwark model list [NAME] | model show NAME[@V] [--json]',
  'bulwark model import --xgboost FILE.json --name NAME [--features a,b,...] [--bool-features x,y]',
  'bulwark model import --onnx FILE.onnx --name NAME --features a,b,... [--bool-features x,y]   (checked against onnxruntime before it is registered)',
  'bulwark model export NAME[@V] --onnx OUT.onnx',
].join('\n');

export const modelCommand: CliCommand = {
  summary: 'train, register, import, export and evaluate models used by strategies (model("name", v))',
  usage: MODEL_USAGE,
  options: {
    ...CONTROL_OPTIONS, ...TRAIN_OPTIONS,
    out: { type: 'string' }, model: { type: 'string' }, xgboost: { type: 'string' }, onnx: { type: 'string' }, name: { type: 'string' }, 'bool-features': { type: 'string' },
  },
  run: async (v, p) => {
    try {
      return await run(p[0], v, p.slice(1));
    } catch (e) {
      if (e instanceof UsageError || (e as { name?: string }).name === 'ControlError') { console.error((e as Error).message); return 2; }
      if (e instanceof Error && /no positives|only \d+ rows|label column|no ts column|must be a \.csv|not a number\/bool/.test(e.message)) { console.error(e.message); return 1; }
      throw e;
    }
  },
};
