// XGBoost JSON import: our predictions equal the xgboost CLI's on a model it trained (needs Debian's xgboost).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importXgboostJson } from './xgboost-import.ts';
import { SeededRandom } from './random.ts';

const haveXgboost = spawnSync('xgboost', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = haveXgboost ? false : 'xgboost CLI not installed (apt-get install -y xgboost) — parity test skipped';

test('predictions equal the xgboost CLI on its own model (missing values included)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-xgb-'));
  try {
    const rng = new SeededRandom(21);
    const rows: number[][] = [];
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const x = Array.from({ length: 6 }, (_, f) => (rng.next() < 0.15 * (f % 3) ? NaN : Math.round(rng.nextGaussian() * 256) / 256));
      const m = (x[0]! > 0 ? 1 : -1) + (Number.isNaN(x[1]!) ? 1.5 : x[1]!) - 0.5 * (x[2]! || 0) * (x[3]! || 0);
      const y = rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
      rows.push(x);
      // LIBSVM: an absent feature is missing to xgboost. Values are binary fractions because the CLI's
      // text parser is not correctly rounded ("-1.889" can land one float32 step off), which is not ours to test.
      lines.push(`${y} ${x.map((v, f) => (Number.isNaN(v) ? '' : `${f}:${v}`)).filter(Boolean).join(' ')}`);
    }
    writeFileSync(join(dir, 'train.libsvm'), lines.join('\n') + '\n');
    const conf = [
      'booster = gbtree', 'objective = binary:logistic', 'tree_method = hist', 'max_depth = 4', 'eta = 0.3',
      'num_round = 12', 'min_child_weight = 0.5', 'lambda = 1', 'nthread = 1', 'seed = 1',
      'data = "train.libsvm?format=libsvm"', 'model_out = "model.json"',
    ].join('\n');
    writeFileSync(join(dir, 'train.conf'), conf + '\n');
    const trained = spawnSync('xgboost', ['train.conf'], { cwd: dir, encoding: 'utf8' });
    assert.equal(trained.status, 0, trained.stderr);
    const pred = spawnSync('xgboost', ['train.conf', 'task=pred', 'model_in=model.json', 'test:data=train.libsvm?format=libsvm', 'name_pred=pred.txt'], { cwd: dir, encoding: 'utf8' });
    assert.equal(pred.status, 0, pred.stderr);
    const theirs = readFileSync(join(dir, 'pred.txt'), 'utf8').trim().split('\n').map(Number);
    const imported = importXgboostJson(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.ok(imported.ok, imported.ok ? '' : imported.error.message);
    const model = imported.model;
    assert.equal(model.treeCount, 12);
    let maxDiff = 0;
    rows.forEach((x, i) => { maxDiff = Math.max(maxDiff, Math.abs(model.predict(x) - theirs[i]!)); });
    // xgboost sums in float32 and prints 9 digits.
    assert.ok(maxDiff < 1e-6, `max difference ${maxDiff}`);
    // TreeSHAP works on imported models too.
    const { base, contributions } = model.shap(rows[0]!);
    assert.ok(Math.abs(contributions.reduce((a, b) => a + b, base) - model.predictMargin(rows[0]!)) < 1e-9);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hand-written model: routing, default direction and base score', () => {
  const json = {
    learner: {
      learner_model_param: { base_score: '[2E-1]', num_feature: '2', num_class: '0' },
      objective: { name: 'binary:logistic' },
      gradient_booster: { name: 'gbtree', model: { trees: [{
        left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [1, 0, 0], split_conditions: [3, 0.5, -0.25],
        default_left: [1, 0, 0], sum_hessian: [10, 4, 6], split_type: [0, 0, 0],
      }] } },
    },
  };
  const r = importXgboostJson(json);
  assert.ok(r.ok);
  const base = Math.log(0.2 / 0.8);
  assert.ok(Math.abs(r.model.predictMargin([0, 2]) - (base + 0.5)) < 1e-7);
  assert.ok(Math.abs(r.model.predictMargin([0, 3]) - (base - 0.25)) < 1e-7);
  assert.ok(Math.abs(r.model.predictMargin([0, NaN]) - (base + 0.5)) < 1e-7);
});

test('unsupported or broken models are errors, not exceptions', () => {
  const bad = importXgboostJson({ learner: { objective: { name: 'multi:softprob' } } });
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.error.message, /multi:softprob/);
  const notJson = importXgboostJson('{oops');
  assert.equal(notJson.ok ? '' : notJson.error.code, 'BadModel');
});
