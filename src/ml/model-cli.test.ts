// End to end through `bulwark model`: train from an export-shaped CSV, list, show, eval, import XGBoost JSON, export and import ONNX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelCommand } from '../cli/model.ts';
import { testBackends } from '../control/test-support.ts';
import { modelMigrations, ModelRegistry } from './registry.ts';
import { scoringModelFrom } from './scoring.ts';
import { SeededRandom } from './random.ts';

async function cli(args: Record<string, string | boolean>, pos: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await modelCommand.run(args, pos);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally { console.log = log; console.error = error; process.stderr.write = write; }
}

test('model CLI: train registers a version with a time split and the strategy comparison; list, show, eval, import', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-model-cli-'));
  const backend = testBackends().find((b) => b.name === 'pglite')!;
  await (await backend.open({ migrations: [modelMigrations] })).close();
  const dataDir = backend.options().dataDir!;
  try {
    const rng = new SeededRandom(3);
    const lines = ['event_id,event_type,ts,verdict,score,failed_logins,known_device,country,label,label_kind'];
    for (let i = 0; i < 3000; i++) {
      const failed = Math.floor(-Math.log(1 - rng.next()) * 2);
      const known = rng.next() < 0.7;
      const bad = rng.next() < 1 / (1 + Math.exp(-(-4 + 0.8 * failed + (known ? -1 : 1))));
      const verdict = failed > 6 ? 'block' : 'allow';
      lines.push(`e${i},login,${1_700_000_000_000 + i * 1000},${verdict},${failed > 4 ? 30 : 0},${rng.next() < 0.05 ? '' : failed},${known},"x,y",${bad ? 1 : 0},${bad ? 'account_takeover' : ''}`);
    }
    const csv = join(dir, 'login.csv');
    writeFileSync(csv, lines.join('\n') + '\n');
    const common = { 'data-dir': dataDir, actor: 'tester', label: 'label', kind: 'gbdt' };
    const tr = await cli({ ...common, data: csv, out: 'login_risk', type: 'login', rounds: '20', depth: '3' }, ['train']);
    assert.equal(tr.code, 0, tr.err);
    assert.match(tr.out, /registered login_risk@1 \(gbdt, 2 inputs\)/);
    assert.match(tr.out, /strategy \(verdict, then score\): PR-AUC/);
    const ls = await cli(common, ['list']);
    assert.match(ls.out, /login_risk@1\s+gbdt\s+2 inputs/);
    const show = await cli({ ...common, json: true }, ['show', 'login_risk@1']);
    const stored = JSON.parse(show.out);
    assert.deepEqual(stored.inputs, [{ name: 'failed_logins', type: 'number' }, { name: 'known_device', type: 'bool' }]);
    assert.equal(stored.fingerprint.length, 64);
    assert.ok(stored.metrics.test.pr_auc > 0 && stored.reference.inputs.length === 2);
    const ev = await cli({ ...common, data: csv, model: 'login_risk@1' }, ['eval']);
    assert.equal(ev.code, 0, ev.err);
    assert.ok(JSON.parse(ev.out).roc_auc > 0.6);
    const xgb = join(dir, 'm.json');
    writeFileSync(xgb, JSON.stringify({ learner: { objective: { name: 'binary:logistic' }, learner_model_param: { base_score: '5E-1', num_feature: '1', num_class: '0' }, gradient_booster: { name: 'gbtree', model: { trees: [
      { left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [0, 0, 0], split_conditions: [3, -0.4, 0.6], default_left: [1, 0, 0], sum_hessian: [10, 6, 4] }] } } } }));
    const im = await cli({ ...common, xgboost: xgb, name: 'login_xgb', features: 'failed_logins' }, ['import']);
    assert.equal(im.code, 0, im.err);
    // ONNX round trip: export the trained model, import the file back; onnxruntime checks both directions.
    const onnxFile = join(dir, 'login.onnx');
    const ex = await cli({ ...common, onnx: onnxFile }, ['export', 'login_risk@1']);
    assert.equal(ex.code, 0, ex.err);
    assert.match(ex.out, /wrote .*login\.onnx .*input "input" float \[N, 2\]: failed_logins, known_device/);
    const io = await cli({ ...common, onnx: onnxFile, name: 'login_onnx', features: 'failed_logins,known_device', 'bool-features': 'known_device' }, ['import']);
    assert.equal(io.code, 0, io.err);
    assert.match(io.out, /registered login_onnx@1 .*\(\d+ trees, 2 inputs\)\nparity with onnxruntime on 300 rows: max \|Δp\| \d\.\d\de-\d+/);
    // Not ONNX, and a wrong feature count: refused with the reason, nothing registered.
    const notOnnx = await cli({ ...common, onnx: xgb, name: 'x', features: 'failed_logins' }, ['import']);
    assert.equal(notOnnx.code, 1);
    assert.match(notOnnx.err, /not an ONNX model/);
    const miscounted = await cli({ ...common, onnx: onnxFile, name: 'x', features: 'failed_logins' }, ['import']);
    assert.equal(miscounted.code, 1);
    assert.match(miscounted.err, /reads 2 features/);
    const bad = await cli({ ...common, data: csv, out: 'Bad Name' }, ['train']);
    assert.equal(bad.code, 2);
    const control = await backend.open({ migrations: [modelMigrations] });
    try {
      const reg = new ModelRegistry(control.sql);
      const m = scoringModelFrom((await reg.get('login_xgb'))!);
      assert.ok(m.score(Float64Array.of(5)) > 0.5 && m.score(Float64Array.of(1)) < 0.5);
      assert.equal(await reg.get('x'), null, 'refused imports register nothing');
      const fromOnnx = (await reg.get('login_onnx'))!;
      assert.equal(fromOnnx.source, 'import:onnx');
      assert.deepEqual(fromOnnx.inputs, [{ name: 'failed_logins', type: 'number' }, { name: 'known_device', type: 'bool' }]);
      const orig = scoringModelFrom((await reg.get('login_risk', 1))!);
      const back = scoringModelFrom(fromOnnx);
      for (const row of [[0, 1], [3, 0], [7, 1], [NaN, 0], [2, NaN]]) assert.ok(Math.abs(orig.score(Float64Array.from(row)) - back.score(Float64Array.from(row))) < 1e-6);
    } finally { await control.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await backend.dispose();
  }
});
