import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { datasetFromRows, ModelRegistry, modelMigrations, trainGbdt, type NewModelVersion } from '../ml/index.ts';
import { buildApp } from './http.ts';
import { ModelCatalog } from './models.ts';
import { DecisionService } from './service.ts';
import { login, SERVICE_TEST_STRATEGY, T0 } from './test-support.ts';

test('a registered model is scored inline by a deployed strategy, with reason codes in the trace', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-models-'));
  const catalog = new ModelCatalog();
  const svc = await DecisionService.open({ dataDir, strategyFiles: SERVICE_TEST_STRATEGY, snapshotIntervalMs: 0, migrations: [modelMigrations], loadModels: (c) => catalog.load(c) });
  try {
    // A small GBDT: many recent failures means risk.
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let f = 0; f < 10; f++) for (let k = 0; k < 20; k++) { rows.push([f]); labels.push(f >= 4 ? 1 : 0); }
    const { model } = trainGbdt(datasetFromRows(rows, labels, ['failed_logins_account_10m']), { rounds: 20, maxDepth: 2, minChildWeight: 0 });
    const v: NewModelVersion = {
      name: 'login_risk', kind: 'gbdt', inputs: [{ name: 'failed_logins_account_10m', type: 'number' }], fingerprint: 'test',
      params: {}, metrics: {}, reference: null, model: model.toJSON(), source: 'train',
    };
    const stored = await new ModelRegistry(svc.control.sql).create(v, 'test');

    const files = { ...SERVICE_TEST_STRATEGY, 'model.bw': `feature login_risk = model("login_risk", ${stored.version})\n\nrule risky_login on login\n  when login_risk > 0.5\n  then review\n` };
    const up = await svc.uploadStrategy('default', files, 'test');
    await svc.deploy('default', up.version, 'live', 'test');

    for (let i = 0; i < 3; i++) {
      const r = await svc.decide(login(`m${i}`, T0 + i * 1000, 'acct', false));
      assert.ok(r.ok);
      if (r.ok) assert.equal(r.decision.verdict, 'allow', `failure ${i + 1}`);
    }
    const r = await svc.decide(login('m3', T0 + 3000, 'acct', false));
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(r.decision.verdict, 'review');
    const hit = r.decision.rules.find((h) => h.rule === 'risky_login')!;
    const traced = hit.values.login_risk as { score: number; reasons: { feature: string; contribution: number }[] };
    assert.ok(traced.score > 0.5 && traced.score <= 1);
    assert.equal(traced.reasons[0]!.feature, 'failed_logins_account_10m');
    assert.ok(traced.reasons[0]!.contribution > 0, 'four failures push the score up');
    // Every score is watched: the monitor counted the four login events the model scored.
    assert.match(catalog.metricsText(), new RegExp(`bulwark_model_scored_total\\{model="login_risk",version="${stored.version}"\\} 4`));

    // The console reads the registry and the monitors over HTTP.
    const { key } = await svc.control.keys.create({ name: 'reader', scopes: ['read'], actor: 'test' });
    const app = buildApp(svc, { models: catalog, console: false });
    try {
      const get = async (path: string) => { const res = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${key}` } }); return { status: res.statusCode, body: res.json() }; };
      const list = await get('/v1/models');
      assert.equal(list.status, 200);
      assert.equal(list.body.models.length, 1);
      assert.equal(list.body.models[0].name, 'login_risk');
      assert.equal(list.body.models[0].monitor.observed, 4);
      assert.equal(list.body.models[0].monitor.status, 'no_reference', 'no training reference: drift cannot be measured');
      const one = await get(`/v1/models/login_risk/${stored.version}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.trees, 20);
      assert.equal(one.body.model, undefined, 'the model body stays out of the console');
      assert.equal(one.body.monitor.observed, 4);
      assert.equal((await get('/v1/models/login_risk/99')).status, 404);
      assert.equal((await get('/v1/models/login_risk/v1')).status, 400, 'a version is a number');
      assert.equal((await get('/v1/models/login_risk/0')).status, 400);
    } finally {
      await app.close();
    }
  } finally {
    await svc.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
