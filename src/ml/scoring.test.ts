import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { datasetFromRows, rowOf } from './dataset.ts';
import { trainGbdt } from './gbdt.ts';
import { trainLogistic } from './logistic.ts';
import { SeededRandom } from './random.ts';
import { ModelMonitor, monitorReference } from './monitor.ts';
import { scoringModelFrom } from './scoring.ts';
import type { StoredModelVersion } from './registry.ts';
import { importXgboostJson } from './xgboost-import.ts';

function data(rows: number, seed: number) {
  const rng = new SeededRandom(seed);
  const xs: (number | null)[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = rng.nextGaussian(), b = rng.next() < 0.2 ? null : rng.nextGaussian(), c = rng.next() < 0.5 ? 1 : 0;
    xs.push([a, b, c]);
    ys.push(rng.next() < 1 / (1 + Math.exp(-(2 * a + (b === null ? 1 : -b) + c - 1))) ? 1 : 0);
  }
  return datasetFromRows(xs, ys, ['velocity', 'verified', 'new_device']);
}

const inputs = [{ name: 'velocity', type: 'number' as const }, { name: 'verified', type: 'number' as const }, { name: 'new_device', type: 'bool' as const }];
const stored = (kind: 'gbdt' | 'logistic', model: StoredModelVersion['model']): StoredModelVersion => ({
  name: 'login_risk', version: 3, kind, inputs, fingerprint: 'x', params: {}, metrics: {}, reference: null, model, source: 'train', createdAt: new Date(0), createdBy: 't',
});

test('tree scoring model: same probability as the training predictor, reasons are the largest TreeSHAP terms', () => {
  const d = data(3000, 1);
  const { model } = trainGbdt(d, { rounds: 30, maxDepth: 4 });
  const s = scoringModelFrom(stored('gbdt', model.toJSON()));
  assert.equal(s.name, 'login_risk');
  assert.equal(s.version, 3);
  assert.deepEqual(s.inputs.map((i) => i.name), ['velocity', 'verified', 'new_device']);
  const row = new Float64Array(3);
  for (let i = 0; i < 200; i++) {
    rowOf(d, i, row);
    assert.ok(Math.abs(s.score(row) - model.predict(row)) < 1e-12);
    const shap = model.shap(row);
    const reasons = s.reasons(row, 2);
    const sorted = [...shap.contributions].map((c, f) => ({ c, f })).filter((x) => x.c !== 0).sort((a, b) => Math.abs(b.c) - Math.abs(a.c) || a.f - b.f).slice(0, 2);
    assert.deepEqual(reasons.map((r) => r.feature), sorted.map((x) => inputs[x.f]!.name));
    for (const r of reasons) assert.ok(Math.abs(r.contribution - shap.contributions[inputs.findIndex((i) => i.name === r.feature)]!) < 1e-12);
  }
});

test('tree scoring model: score equals the training predictor on arbitrary rows, missing values included', () => {
  const d = data(2000, 2);
  const { model } = trainGbdt(d, { rounds: 20, maxDepth: 5 });
  const s = scoringModelFrom(stored('gbdt', model.toJSON()));
  fc.assert(fc.property(fc.array(fc.option(fc.double({ min: -5, max: 5, noNaN: true }), { nil: null }), { minLength: 3, maxLength: 3 }), (xs) => {
    const row = Float64Array.from(xs, (x) => (x === null ? NaN : x));
    const p = s.score(row);
    return p >= 0 && p <= 1 && Math.abs(p - model.predict(row)) < 1e-12;
  }), { numRuns: 300 });
});

test('linear scoring model: score and coefficient × standardised value reasons', () => {
  const d = data(3000, 3);
  const m = trainLogistic(d);
  const s = scoringModelFrom(stored('logistic', m.toJSON()));
  const row = new Float64Array(3);
  for (let i = 0; i < 100; i++) {
    rowOf(d, i, row);
    assert.ok(Math.abs(s.score(row) - m.predict(row)) < 1e-9);
    const c = m.contributions(row).contributions;
    const top = s.reasons(row, 1)[0]!;
    const best = [...c].reduce((b, v, f) => (Math.abs(v) > Math.abs(c[b]!) ? f : b), 0);
    assert.equal(top.feature, inputs[best]!.name);
    assert.ok(Math.abs(top.contribution - c[best]!) < 1e-12);
  }
  assert.deepEqual(s.reasons(row, 0), []);
});

test('imported XGBoost model scores through the same contract', () => {
  // Stump on f0 < 0.5: left leaf -0.4, right leaf 0.6, base_score 0.5.
  const json = { learner: { objective: { name: 'binary:logistic' }, learner_model_param: { base_score: '5E-1', num_feature: '1', num_class: '0' }, gradient_booster: { name: 'gbtree', model: { trees: [
    { left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [0, 0, 0], split_conditions: [0.5, -0.4, 0.6], default_left: [1, 0, 0], sum_hessian: [10, 6, 4] },
  ] } } } };
  const imp = importXgboostJson(json, ['x']);
  assert.ok(imp.ok);
  const s = scoringModelFrom({ ...stored('gbdt', imp.model.toJSON()), inputs: [{ name: 'x', type: 'number' }] });
  const sig = (m: number): number => 1 / (1 + Math.exp(-m));
  assert.ok(Math.abs(s.score(Float64Array.of(0.2)) - sig(Math.fround(-0.4))) < 1e-12);
  assert.ok(Math.abs(s.score(Float64Array.of(0.9)) - sig(Math.fround(0.6))) < 1e-12);
  assert.ok(Math.abs(s.score(Float64Array.of(NaN)) - sig(Math.fround(-0.4))) < 1e-12);
  assert.equal(s.reasons(Float64Array.of(0.9), 3)[0]!.feature, 'x');
});

test('monitor: stable on training-like traffic, shifted when an input moves', () => {
  const train = data(5000, 4);
  const { model } = trainGbdt(train, { rounds: 10, maxDepth: 3 });
  const ref = monitorReference(train, model.predictDataset(train));
  const same = new ModelMonitor('login_risk', 3, train.featureNames, ref);
  const moved = new ModelMonitor('login_risk', 3, train.featureNames, ref);
  const live = data(5000, 5);
  const row = new Float64Array(3);
  for (let i = 0; i < live.rows; i++) {
    rowOf(live, i, row);
    same.observe(row, model.predict(row));
    row[0] = row[0]! + 2; // velocity jumps
    moved.observe(row, model.predict(row));
  }
  const a = same.report();
  const b = moved.report();
  assert.equal(a.observed, 5000);
  assert.equal(a.status, 'stable');
  assert.ok(a.maxInputPsi! < 0.1);
  assert.equal(b.status, 'shifted');
  assert.ok(b.inputs[0]!.psi! > 0.25 && b.score.psi! > 0.1);
  assert.ok(Math.abs(a.inputs[1]!.missingRate - 0.2) < 0.03);
  assert.equal(a.score.buckets.reduce((s, x) => s + x.count, 0), 5000);
  const text = moved.metricsText();
  assert.match(text, /bulwark_model_input_psi\{model="login_risk",version="3",feature="velocity"\} \d/);
  assert.match(text, /bulwark_model_score_bucket\{model="login_risk",version="3",le="\+Inf"\} 5000/);
  moved.reset();
  assert.equal(moved.report().status, 'no_data');
});
