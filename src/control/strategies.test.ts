// Strategy versions and deployments on both backends: immutability, dedup, deploy/rollback, concurrency.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Control } from './index.ts';
import { strategyDigest } from './index.ts';
import { rejectsWith, testBackends } from './test-support.ts';

for (const backend of testBackends()) {
  describe(`strategies on ${backend.name}`, () => {
    let control: Control;
    before(async () => {
      control = await backend.open();
    });
    after(async () => {
      await control?.close();
      await backend.dispose();
    });

    it('numbers versions, dedups identical content by digest, and keeps files intact', async () => {
      const a = await control.strategies.create({ name: 'signup', files: { 'main.bw': 'rule a', 'lib.bw': 'x' }, actor: 'ana' });
      assert.equal(a.version, 1);
      assert.equal(a.created, true);
      assert.equal(a.digest, strategyDigest({ 'lib.bw': 'x', 'main.bw': 'rule a' }), 'digest ignores key order');
      const again = await control.strategies.create({ name: 'signup', files: { 'lib.bw': 'x', 'main.bw': 'rule a' }, actor: 'bob' });
      assert.deepEqual({ v: again.version, d: again.digest, c: again.created }, { v: 1, d: a.digest, c: false });
      const b = await control.strategies.create({ name: 'signup', files: { 'main.bw': 'rule b' }, actor: 'ana' });
      assert.equal(b.version, 2);
      assert.notEqual(b.digest, a.digest);
      assert.deepEqual((await control.strategies.list('signup')).map((v) => v.version), [1, 2]);
      const got = await control.strategies.get('signup', 1);
      assert.deepEqual(got?.files, { 'main.bw': 'rule a', 'lib.bw': 'x' });
      assert.equal(got?.created_by, 'ana');
      assert.equal(await control.strategies.get('signup', 9), null);
      const audit = await control.audit.list({ target: 'strategy:signup', action: 'strategy.create' });
      assert.equal(audit.length, 2, 'one audit row per new version, none for the dedup');
      assert.equal(audit[0]!.actor, 'ana');
      assert.deepEqual(audit[0]!.after, { version: 2, digest: b.digest, files: ['main.bw'] });
    });

    it('digest separates file boundaries', () => {
      assert.notEqual(strategyDigest({ a: 'bc' }), strategyDigest({ ab: 'c' }));
      assert.notEqual(strategyDigest({ a: 'x', b: '' }), strategyDigest({ a: 'x' }));
    });

    it('rejects edits and deletes of a stored version in SQL', async () => {
      await control.strategies.create({ name: 'frozen', files: { 'main.bw': 'v1' }, actor: 'ana' });
      await assert.rejects(control.sql.query(`UPDATE strategy_versions SET files = '{}'::jsonb WHERE name = 'frozen'`), /append-only/);
      await assert.rejects(control.sql.query(`DELETE FROM strategy_versions WHERE name = 'frozen'`), /append-only/);
      assert.deepEqual((await control.strategies.get('frozen', 1))?.files, { 'main.bw': 'v1' });
    });

    it('validates input', async () => {
      await rejectsWith(control.strategies.create({ name: 'bad name!', files: { a: 'x' }, actor: 'ana' }), 'invalid');
      await rejectsWith(control.strategies.create({ name: 'ok', files: {}, actor: 'ana' }), 'invalid');
      await rejectsWith(control.strategies.create({ name: 'ok', files: { a: 'x' }, actor: '' }), 'invalid');
      await rejectsWith(control.strategies.deploy('missing', 1, 'live', 'ana'), 'not_found');
      await rejectsWith(control.strategies.deploy('signup', 99, 'live', 'ana'), 'not_found');
    });

    it('deploys live and shadow, promotes, undeploys and rolls back through history', async () => {
      const name = 'login';
      for (const body of ['v1', 'v2', 'v3']) await control.strategies.create({ name, files: { 'main.bw': body }, actor: 'ana' });
      assert.equal(await control.strategies.live(name), null);
      await rejectsWith(control.strategies.rollback(name, 'ana'), 'conflict');

      await control.strategies.deploy(name, 1, 'live', 'ana');
      await control.strategies.deploy(name, 2, 'shadow', 'ana');
      await control.strategies.deploy(name, 3, 'shadow', 'ana');
      await rejectsWith(control.strategies.deploy(name, 1, 'live', 'ana'), 'conflict');
      await rejectsWith(control.strategies.deploy(name, 1, 'shadow', 'ana'), 'conflict');
      assert.equal((await control.strategies.live(name))?.version, 1);
      assert.deepEqual((await control.strategies.shadows(name)).map((s) => s.version), [2, 3]);

      // Promotion: v2 goes live and stops shadowing.
      const promoted = await control.strategies.deploy(name, 2, 'live', 'bob');
      assert.equal(promoted.previous_version, 1);
      assert.equal((await control.strategies.live(name))?.version, 2);
      assert.deepEqual((await control.strategies.shadows(name)).map((s) => s.version), [3]);

      await control.strategies.undeploy(name, 3, 'bob');
      await rejectsWith(control.strategies.undeploy(name, 3, 'bob'), 'not_found');
      assert.deepEqual(await control.strategies.shadows(name), []);

      await control.strategies.deploy(name, 3, 'live', 'bob');
      const r1 = await control.strategies.rollback(name, 'carol');
      assert.deepEqual({ v: r1.version, prev: r1.previous_version, action: r1.action }, { v: 2, prev: 3, action: 'rollback' });
      const r2 = await control.strategies.rollback(name, 'carol');
      assert.equal(r2.version, 1, 'a second rollback walks further back');
      await rejectsWith(control.strategies.rollback(name, 'carol'), 'conflict');
      assert.equal((await control.strategies.live(name))?.version, 1);

      const hist = await control.strategies.history(name);
      assert.deepEqual(
        hist.map((h) => `${h.action}:${h.mode}:${h.version}`).reverse(),
        ['deploy:live:1', 'deploy:shadow:2', 'deploy:shadow:3', 'deploy:live:2', 'undeploy:shadow:3', 'deploy:live:3', 'rollback:live:2', 'rollback:live:1'],
      );
      assert.deepEqual(await control.strategies.names().then((ns) => ns.find((n) => n.name === name)), { name, live: 1, shadows: [] });

      const audit = await control.audit.list({ target: `strategy:${name}`, action: 'strategy.rollback' });
      assert.equal(audit.length, 2);
      assert.equal(audit[0]!.actor, 'carol');
      assert.deepEqual(audit[0]!.before, { live: 2, shadows: [] });
      assert.deepEqual(audit[0]!.after, { live: 1, shadows: [] });
      // Deployment history is append-only as well.
      await assert.rejects(control.sql.query(`DELETE FROM strategy_deployments WHERE name = $1`, [name]), /append-only/);
    });

    it('stays consistent under parallel uploads and deploys', async () => {
      const name = 'race';
      // Identical content uploaded in parallel: one version.
      const same = await Promise.all(Array.from({ length: 4 }, () => control.strategies.create({ name, files: { 'main.bw': 'same' }, actor: 'ana' })));
      assert.deepEqual(new Set(same.map((s) => s.version)), new Set([1]));
      // Different content in parallel: distinct consecutive versions.
      const made = await Promise.all([2, 3, 4, 5, 6].map((i) => control.strategies.create({ name, files: { 'main.bw': `v${i}` }, actor: 'ana' })));
      assert.deepEqual(made.map((m) => m.version).sort(), [2, 3, 4, 5, 6]);

      await control.strategies.deploy(name, 1, 'live', 'ana');
      await Promise.all([2, 3, 4, 5, 6].map((v) => control.strategies.deploy(name, v, 'live', `actor${v}`)));
      const hist = (await control.strategies.history(name)).filter((h) => h.mode === 'live').reverse();
      assert.equal(hist.length, 6);
      // Each live change names the version it replaced: the chain has no gaps or forks.
      for (let i = 1; i < hist.length; i++) assert.equal(hist[i]!.previous_version, hist[i - 1]!.version);
      assert.equal((await control.strategies.live(name))?.version, hist.at(-1)!.version);
      assert.equal((await control.audit.list({ target: `strategy:${name}`, action: 'strategy.deploy' })).length, 6);
    });
  });
}
