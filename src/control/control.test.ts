// Control plane on both backends: migrations, transactions, audit, keys, labels, settings, erasure.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Control, MigrationSet } from './index.ts';
import { ControlError, controlMigrations, migrate } from './index.ts';
import { rejectsWith, testBackends } from './test-support.ts';

for (const backend of testBackends()) {
  describe(`control on ${backend.name}`, () => {
    let control: Control;
    before(async () => {
      control = await backend.open();
    });
    after(async () => {
      await control?.close();
      await backend.dispose();
    });

    it('migrations are recorded once and running them again is a no-op', async () => {
      const rows = await control.sql.query<{ version: number }>(`SELECT version FROM migrations WHERE component = 'control' ORDER BY version`);
      assert.deepEqual(rows.map((r) => r.version), controlMigrations.migrations.map((m) => m.version));
      assert.deepEqual(await migrate(control.sql, controlMigrations), []);
      const [n] = await control.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM migrations');
      assert.equal(n!.n, controlMigrations.migrations.length);
    });

    it('reopening the same database keeps data and applies nothing', async () => {
      await control.settings.set('reopen.marker', { ok: 1 }, 'ana');
      if (backend.name === 'pglite') {
        // One process owns an embedded data dir: close, then reopen it.
        await control.close();
        control = await backend.open();
        // While it is open, a second opener of the embedded data dir is refused rather than corrupting it.
        await rejectsWith(backend.open(), 'conflict');
      } else {
        const second = await backend.open();
        assert.deepEqual(await second.settings.get('reopen.marker'), { ok: 1 });
        await second.close();
      }
      assert.deepEqual(await control.settings.get('reopen.marker'), { ok: 1 });
      const [n] = await control.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM migrations');
      assert.equal(n!.n, controlMigrations.migrations.length);
    });

    it('the schema option puts every table in that schema', async () => {
      if (backend.name === 'pglite') {
        await control.close();
        const alt = await backend.open({ schema: 'tenant_b' });
        try {
          const [s] = await alt.sql.query<{ s: string }>('SELECT current_schema() AS s');
          assert.equal(s!.s, 'tenant_b');
          await alt.settings.set('where', 'tenant_b', 'ana');
          const [n] = await alt.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM tenant_b.audit`);
          assert.equal(n!.n, 1, 'a fresh audit table in the new schema');
        } finally {
          await alt.close();
          control = await backend.open();
        }
        assert.equal(await control.settings.get('where'), null, 'the default schema is untouched');
      } else {
        const [s] = await control.sql.query<{ s: string }>('SELECT current_schema() AS s');
        assert.match(s!.s, /^bulwark_test_[0-9a-f]{12}$/);
        const [t] = await control.sql.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`${s!.s}.strategy_versions`]);
        assert.notEqual(t!.t, null);
      }
      await assert.rejects(backend.open({ schema: 'Bad-Schema' }), /schema must match/);
    });

    it('other components add their own migration sets; a failing set applies nothing', async () => {
      const ext: MigrationSet = { component: 'ext', migrations: [{ version: 1, name: 'one', sql: 'CREATE TABLE ext_one (x int); INSERT INTO ext_one VALUES (1);' }] };
      assert.deepEqual(await migrate(control.sql, ext), [1]);
      assert.deepEqual(await migrate(control.sql, ext), []);
      const grown: MigrationSet = {
        component: 'ext',
        migrations: [...ext.migrations, { version: 2, name: 'two', sql: 'CREATE TABLE ext_two (x int)' }, { version: 3, name: 'broken', sql: 'CREATE TABLE ext_one (x int)' }],
      };
      await assert.rejects(migrate(control.sql, grown), /already exists/);
      const [t] = await control.sql.query<{ t: string | null }>(`SELECT to_regclass('ext_two')::text AS t`);
      assert.equal(t!.t, null, 'migration 2 rolled back with the failing 3');
      const edited: MigrationSet = { component: 'ext', migrations: [{ version: 1, name: 'one', sql: 'CREATE TABLE ext_one (y int)' }] };
      await rejectsWith(migrate(control.sql, edited), 'conflict');
      await rejectsWith(migrate(control.sql, { component: 'ext', migrations: [{ version: 2, name: 'a', sql: '' }, { version: 1, name: 'b', sql: '' }] }), 'invalid');
      const [one] = await control.sql.query<{ x: number }>('SELECT x FROM ext_one');
      assert.equal(one!.x, 1);
    });

    it('tx commits together, rolls back together, and runs on one session', async () => {
      await control.sql.exec('CREATE TABLE tx_probe (v int)');
      const pids = await control.sql.tx(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (1)');
        const [a] = await tx.query<{ pid: number; x: string }>('SELECT pg_backend_pid() AS pid, txid_current()::text AS x');
        const [b] = await tx.query<{ pid: number; x: string }>('SELECT pg_backend_pid() AS pid, txid_current()::text AS x');
        return [a, b];
      });
      assert.deepEqual(pids[0], pids[1]);
      await assert.rejects(
        control.sql.tx(async (tx) => {
          await tx.query('INSERT INTO tx_probe VALUES (2)');
          throw new Error('boom');
        }),
        /boom/,
      );
      // Nested tx is a savepoint: the inner failure is undone, the outer work stays.
      await control.sql.tx(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (3)');
        await assert.rejects(
          tx.tx(async (inner) => {
            await inner.query('INSERT INTO tx_probe VALUES (4)');
            throw new Error('inner');
          }),
        );
      });
      const rows = await control.sql.query<{ v: number }>('SELECT v FROM tx_probe ORDER BY v');
      assert.deepEqual(rows.map((r) => r.v), [1, 3]);
    });

    it('audit rows cannot be updated, deleted or truncated', async () => {
      await control.settings.set('audit.probe', 1, 'ana');
      const [row] = await control.audit.list({ target: 'setting:audit.probe' });
      assert.ok(row);
      await assert.rejects(control.sql.query(`UPDATE audit SET actor = 'mallory' WHERE id = $1`, [row.id]), /append-only/);
      await assert.rejects(control.sql.query('DELETE FROM audit WHERE id = $1', [row.id]), /append-only/);
      await assert.rejects(control.sql.query('TRUNCATE audit'), /append-only/);
      const [still] = await control.audit.list({ target: 'setting:audit.probe' });
      assert.equal(still?.actor, 'ana');
    });

    it('audit.list filters by actor, action, target, time and pages newest first', async () => {
      const t0 = new Date(Date.now() - 1000);
      for (let i = 0; i < 5; i++) await control.settings.set(`page.${i}`, i, i % 2 ? 'odd' : 'even');
      const even = await control.audit.list({ actor: 'even', action: 'setting.set' });
      assert.deepEqual(even.map((e) => e.target), ['setting:page.4', 'setting:page.2', 'setting:page.0']);
      const page1 = await control.audit.list({ action: 'setting.set', limit: 2 });
      const page2 = await control.audit.list({ action: 'setting.set', limit: 2, before_id: page1[1]!.id });
      assert.ok(page1[0]!.id > page1[1]!.id && page1[1]!.id > page2[0]!.id);
      assert.deepEqual(page1.map((e) => e.target), ['setting:page.4', 'setting:page.3']);
      assert.deepEqual(page2.map((e) => e.target), ['setting:page.2', 'setting:page.1']);
      assert.ok((await control.audit.list({ since: t0, actor: 'odd' })).length === 2);
      assert.equal((await control.audit.list({ until: t0, actor: 'odd' })).length, 0);
      assert.ok(page1[0]!.at instanceof Date);
      await rejectsWith(control.audit.list({ limit: 0 }), 'invalid');
    });

    it('API keys: shown once, stored hashed, verified, revoked', async () => {
      const { id, key } = await control.keys.create({ name: 'ingest-prod', scopes: ['ingest', 'read'], actor: 'ana' });
      assert.match(key, /^bwk_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(await control.keys.verify(key), { id, name: 'ingest-prod', scopes: ['ingest', 'read'] });
      assert.equal(await control.keys.verify(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A')), null);
      assert.equal(await control.keys.verify('bwk_nope'), null);
      assert.equal(await control.keys.verify(''), null);
      const stored = JSON.stringify(await control.sql.query('SELECT * FROM api_keys'));
      const secretPart = key.slice('bwk_'.length);
      assert.ok(!stored.includes(key) && !stored.includes(secretPart), 'plaintext key is not stored');
      assert.ok(!JSON.stringify(await control.audit.list({ target: `key:${id}` })).includes(secretPart), 'nor audited');
      const before = await control.keys.count();
      await control.keys.revoke(id, 'bob');
      assert.equal(await control.keys.verify(key), null);
      assert.equal(await control.keys.count(), before - 1);
      await rejectsWith(control.keys.revoke(id, 'bob'), 'conflict');
      await rejectsWith(control.keys.revoke('key_missing', 'bob'), 'not_found');
      const listed = (await control.keys.list()).find((k) => k.id === id);
      assert.equal(listed?.revoked_by, 'bob');
      assert.ok(!JSON.stringify(listed).includes(secretPart));
      const audit = await control.audit.list({ target: `key:${id}` });
      assert.deepEqual(audit.map((a) => `${a.action}/${a.actor}`), ['key.revoke/bob', 'key.create/ana']);
      assert.deepEqual(audit[0]!.after, { name: 'ingest-prod', revoked: true });
      await rejectsWith(control.keys.create({ name: 'x', scopes: ['root' as 'admin'], actor: 'ana' }), 'invalid');
      await rejectsWith(control.keys.create({ name: 'x', scopes: [], actor: 'ana' }), 'invalid');
    });

    it('manual labels: set, replace, expire, clear, history and audit', async () => {
      const soon = new Date(Date.now() + 60_000);
      await control.labels.set({ entity: 'Account:1', label: 'fraudster', expiresAt: null, actor: 'ana', reason: 'chargebacks' });
      await control.labels.set({ entity: 'Account:2', label: 'vip', expiresAt: soon, actor: 'ana', reason: 'partner' });
      await control.labels.set({ entity: 'Account:1', label: 'fraudster', expiresAt: soon, actor: 'bob', reason: 'appeal pending' });
      const now = await control.labels.active(new Date());
      assert.deepEqual(now.filter((l) => l.entity.startsWith('Account:')).map((l) => [l.entity, l.label, l.expires_at?.getTime()]), [
        ['Account:1', 'fraudster', soon.getTime()],
        ['Account:2', 'vip', soon.getTime()],
      ]);
      const later = await control.labels.active(new Date(soon.getTime() + 1));
      assert.equal(later.filter((l) => l.entity.startsWith('Account:')).length, 0, 'expired labels are not active');
      await control.labels.clear({ entity: 'Account:1', label: 'fraudster', actor: 'carol', reason: 'appeal upheld' });
      await rejectsWith(control.labels.clear({ entity: 'Account:1', label: 'fraudster', actor: 'carol', reason: 'again' }), 'not_found');
      const hist = await control.labels.history('Account:1');
      assert.deepEqual(hist.map((h) => `${h.action}/${h.actor}/${h.reason}`), ['clear/carol/appeal upheld', 'set/bob/appeal pending', 'set/ana/chargebacks']);
      const audit = await control.audit.list({ target: 'Account:1' });
      assert.deepEqual(audit.map((a) => a.action), ['label.clear', 'label.set', 'label.set']);
      assert.deepEqual(audit[1]!.before, { label: 'fraudster', expires_at: null, reason: 'chargebacks' });
      assert.deepEqual(audit[1]!.after, { label: 'fraudster', expires_at: soon.toISOString(), reason: 'appeal pending' });
      await rejectsWith(control.labels.set({ entity: 'Account:3', label: 'x', expiresAt: new Date(Date.now() - 1000), actor: 'ana', reason: 'r' }), 'invalid');
    });

    it('erasure: record the request and clear the entity labels and their history', async () => {
      await control.labels.set({ entity: 'Email:h1', label: 'spammer', expiresAt: null, actor: 'ana', reason: 'reported by x@example.com' });
      await control.labels.set({ entity: 'Email:h1', label: 'bulk', expiresAt: null, actor: 'ana', reason: 'r' });
      const res = await control.labels.clearEntity('Email:h1', 'dpo');
      assert.deepEqual(res, { labels: 2, events: 2 });
      assert.deepEqual(await control.labels.history('Email:h1'), []);
      assert.ok(!(await control.labels.active()).some((l) => l.entity === 'Email:h1'));
      const rec = await control.erasure.record({ entity: 'Email:h1', actor: 'dpo', what: ['labels', 'events'] });
      assert.deepEqual(rec.what, ['labels', 'events']);
      assert.deepEqual((await control.erasure.list('Email:h1')).map((e) => e.id), [rec.id]);
      const audit = await control.audit.list({ target: 'Email:h1', actor: 'dpo' });
      assert.deepEqual(audit.map((a) => a.action), ['erasure.record', 'label.clear_entity']);
      assert.deepEqual(audit[1]!.before, { labels: ['bulk', 'spammer'], events: 2 });
      await assert.rejects(control.sql.query('DELETE FROM erasures'), /append-only/);
    });

    it('settings round-trip JSON with audit; secrets are generated once and kept apart', async () => {
      assert.equal(await control.settings.get('retention.days'), null);
      await control.settings.set('retention.days', 30, 'ana');
      await control.settings.set('retention.days', 90, 'bob');
      await control.settings.set('features.flags', { graph: true, list: ['a'] }, 'ana');
      assert.equal(await control.settings.get('retention.days'), 90);
      assert.deepEqual(await control.settings.get('features.flags'), { graph: true, list: ['a'] });
      const [last] = await control.audit.list({ target: 'setting:retention.days' });
      assert.deepEqual([last!.actor, last!.before, last!.after], ['bob', { value: 30 }, { value: 90 }]);

      const [k1, k2] = await Promise.all([control.secrets.pseudonymKey(), control.secrets.pseudonymKey()]);
      assert.equal(k1.length, 32);
      assert.ok(k1.equals(k2));
      // A second handle on the same database reads the same key rather than making one.
      if (backend.name === 'postgres') {
        const other = await backend.open();
        assert.ok((await other.secrets.pseudonymKey()).equals(k1));
        await other.close();
      }
      const created = await control.audit.list({ action: 'secret.create' });
      assert.equal(created.length, 1);
      assert.ok(!JSON.stringify(created).includes(k1.toString('base64')), 'secret value is not audited');
      await rejectsWith(control.settings.get('secret.pseudonym_key'), 'invalid');
      await rejectsWith(control.settings.set('secret.pseudonym_key', 'x', 'mallory'), 'invalid');
      await rejectsWith(control.settings.set('x', undefined, 'ana'), 'invalid');
    });

    it('every write leaves an audit row naming its actor', async () => {
      const before = (await control.audit.list({ limit: 1 }))[0]?.id ?? 0;
      await control.strategies.create({ name: 'audited', files: { 'a.bw': '1' }, actor: 'u1' });
      await control.strategies.deploy('audited', 1, 'live', 'u2');
      await control.lists.create('audited', { actor: 'u3' });
      await control.lists.add('audited', ['a'], 'u4');
      await control.lists.import('audited', 'b\n', 'u5');
      await control.lists.remove('audited', ['a'], 'u6');
      const { id } = await control.keys.create({ name: 'k', scopes: ['read'], actor: 'u7' });
      await control.keys.revoke(id, 'u8');
      await control.labels.set({ entity: 'Device:d', label: 'emulator', expiresAt: null, actor: 'u9', reason: 'r' });
      await control.labels.clear({ entity: 'Device:d', label: 'emulator', actor: 'u10', reason: 'r' });
      await control.settings.set('s', 1, 'u11');
      await control.erasure.record({ entity: 'Device:d', actor: 'u12', what: ['labels'] });
      await control.labels.clearEntity('Device:d', 'u13');
      const rows = (await control.audit.list({ limit: 1000 })).filter((r) => r.id > before).reverse();
      assert.deepEqual(rows.map((r) => r.actor), Array.from({ length: 13 }, (_, i) => `u${i + 1}`));
      assert.ok(rows.every((r) => r.after !== null || r.before !== null));
    });

    it('ControlError carries a code and a message', () => {
      const e = new ControlError('not_found', 'no such thing');
      assert.ok(e instanceof Error);
      assert.deepEqual([e.code, e.message, e.name], ['not_found', 'no such thing', 'ControlError']);
    });
  });
}
