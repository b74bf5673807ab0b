import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends, rejectsWith } from '../control/test-support.ts';
import { datasetFromRows } from './dataset.ts';
import { trainGbdt } from './gbdt.ts';
import { ModelRegistry, modelMigrations, parseModelRef } from './registry.ts';
import type { NewModelVersion } from './registry.ts';
import { scoringModelFrom } from './scoring.ts';

test('registry: immutable numbered versions, audited, round-trip to a scoring model (PGlite)', async () => {
  const backend = testBackends().find((b) => b.name === 'pglite')!;
  const control = await backend.open({ migrations: [modelMigrations] });
  try {
    const reg = new ModelRegistry(control.sql);
    const d = datasetFromRows([[0, 1], [1, 0], [2, 1], [3, 0], [4, 1], [5, 0]], [0, 0, 0, 1, 1, 1], ['failed_logins', 'trusted_device']);
    const { model } = trainGbdt(d, { rounds: 3, maxDepth: 2, minChildWeight: 0 });
    const v: NewModelVersion = {
      name: 'login_risk', kind: 'gbdt', inputs: [{ name: 'failed_logins', type: 'number' }, { name: 'trusted_device', type: 'bool' }],
      fingerprint: 'abc', params: { rounds: 3 }, metrics: { test: { pr_auc: 0.5 } }, reference: null, model: model.toJSON(), source: 'train',
    };
    const a = await reg.create(v, 'alice');
    const b = await reg.create({ ...v, fingerprint: 'def' }, 'bob');
    assert.equal(a.version, 1);
    assert.equal(b.version, 2);
    assert.equal((await reg.get('login_risk'))!.version, 2);
    const got = (await reg.get('login_risk', 1))!;
    assert.equal(got.fingerprint, 'abc');
    assert.equal(got.createdBy, 'alice');
    assert.deepEqual(got.inputs, v.inputs);
    const s = scoringModelFrom(got);
    const row = Float64Array.of(4, 1);
    assert.ok(Math.abs(s.score(row) - model.predict(row)) < 1e-12);
    assert.equal(await reg.get('login_risk', 9), null);
    const list = await reg.list();
    assert.deepEqual(list.map((m) => `${m.name}@${m.version}:${m.inputs}`), ['login_risk@2:2', 'login_risk@1:2']);
    const audit = await control.audit.list({ action: 'model.create' });
    assert.deepEqual(audit.map((e) => e.target).sort(), ['model:login_risk@1', 'model:login_risk@2']);
    await rejectsWith(reg.create({ ...v, name: 'Bad-Name' }, 'alice'), 'invalid');
    await rejectsWith(reg.create({ ...v, inputs: [v.inputs[0]!] }, 'alice'), 'invalid');
  } finally {
    await control.close();
    await backend.dispose();
  }
});

test('model references: NAME, NAME@V, NAME@vV', () => {
  assert.deepEqual(parseModelRef('login_risk'), { name: 'login_risk' });
  assert.deepEqual(parseModelRef('login_risk@3'), { name: 'login_risk', version: 3 });
  assert.deepEqual(parseModelRef('login_risk@v3'), { name: 'login_risk', version: 3 });
  assert.equal(parseModelRef('Login'), null);
});
