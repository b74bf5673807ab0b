import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { login, SERVICE_TEST_STRATEGY, startService, T0, type Running } from './test-support.ts';

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`decision service API on ${backend}`, () => {
    let s: Running;
    before(async () => { s = await startService({ backend }); });
    after(async () => { await s.close(); });

    test('decide returns a decision that is durable, readable by id, and idempotent', async () => {
      const ids = ['a1', 'a2', 'a3', 'a4', 'a5'].map((x, i) => login(`ev-${x}`, T0 + i * 1000, 'acct1', false));
      const verdicts = [];
      for (const ev of ids) {
        const r = await s.call('POST', '/v1/decide', ev);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        verdicts.push(r.body.verdict);
      }
      assert.deepEqual(verdicts, ['allow', 'allow', 'allow', 'allow', 'challenge']);
      const records = s.svc.log.stats().records;
      const again = await s.call('POST', '/v1/decide', ids[4]);
      assert.equal(again.status, 200);
      assert.equal(again.headers.get('x-bulwark-duplicate'), 'true');
      assert.deepEqual(again.body.rules, (await s.call('GET', '/v1/decisions/ev-a5')).body.decision.rules);
      assert.equal(s.svc.log.stats().records, records, 'a duplicate appends nothing');
      const stored = await s.call('GET', '/v1/decisions/ev-a5');
      assert.equal(stored.status, 200);
      assert.equal(stored.body.decision.rules[0].rule, 'brute_force_account');
      assert.deepEqual(stored.body.decision.rules[0].values, { failed_logins_account_10m: 5 });
      assert.notEqual(stored.body.event.ip, '203.0.113.7', 'the IP is pseudonymised in the log');
      assert.equal((await s.call('GET', '/v1/decisions/nope')).status, 404);
    });

    test('a batch decides the good events and reports the bad ones', async () => {
      const r = await s.call('POST', '/v1/events', { events: [login('b1', T0 + 10_000, 'acct2', true), { id: 'b2', type: 'login', ts: T0 }, { id: 'b3', type: 'nope', ts: T0 }, login('b4', T0 + 11_000, 'acct2', true)] });
      assert.equal(r.status, 200);
      assert.equal(r.body.decided, 2);
      assert.equal(r.body.rejected, 2);
      assert.equal(r.body.results[1].error.field, 'account');
      assert.equal(r.body.results[2].error.code, 'unknown_type');
      assert.equal((await s.call('GET', '/v1/decisions/b4')).status, 200);
      assert.equal((await s.call('GET', '/v1/decisions/b2')).status, 404);
    });

    test('the persona shows aggregates, labels, lists and recent decisions', async () => {
      const r = await s.call('GET', '/v1/entities/Account/acct1');
      assert.equal(r.status, 200);
      const fails = r.body.features.find((f: { name: string }) => f.name === 'failed_logins_account_10m');
      assert.equal(fails.value, 5);
      assert.equal(r.body.decisions.length, 5);
      assert.equal(r.body.decisions[0].event_id, 'ev-a5', 'newest first');
      const ip = await s.call('GET', '/v1/entities/Ip/203.0.113.7');
      assert.equal(ip.status, 200);
      assert.match(ip.body.state_id, /^p_/);
      assert.equal((await s.call('GET', '/v1/entities/Nope/x')).status, 404);
    });

    test('list edits through the API change decisions at once', async () => {
      const ev = (id: string, ts: number) => ({ id, type: 'login', ts, account: 'acct3', device: 'evil-device', ip: '198.51.100.1', success: true, method: 'password' });
      assert.equal((await s.call('POST', '/v1/decide', ev('l1', T0 + 20_000))).body.verdict, 'allow');
      // Lists the strategy declares exist in the control plane from the start.
      assert.ok((await s.call('GET', '/v1/lists')).body.lists.some((l: { name: string }) => l.name === 'blocked_devices'));
      assert.equal((await s.call('POST', '/v1/lists', { name: 'blocked_devices', description: 'again' })).status, 409);
      assert.ok((await s.call('GET', '/v1/lists/disposable_domains')).body.from_strategy.includes('mailinator.com'));
      assert.equal((await s.call('POST', '/v1/lists/blocked_devices/values', { values: ['evil-device'] })).status, 200);
      const d = await s.call('POST', '/v1/decide', ev('l2', T0 + 21_000));
      assert.equal(d.body.verdict, 'block');
      assert.deepEqual(d.body.rules.map((r: { rule: string }) => r.rule), ['blocked_device']);
      const imp = await s.call('POST', '/v1/lists/blocked_devices/import', undefined, { raw: '# more\nother-device\n\nthird-device\n', contentType: 'text/plain' });
      assert.equal(imp.status, 200, JSON.stringify(imp.body));
      assert.equal((await s.call('GET', '/v1/lists/blocked_devices')).body.values.length, 3);
      assert.equal((await s.call('DELETE', '/v1/lists/blocked_devices/values', { values: ['evil-device'] })).status, 200);
      assert.equal((await s.call('POST', '/v1/decide', ev('l3', T0 + 22_000))).body.verdict, 'allow');
    });

    test('manual labels are audited and read by rules', async () => {
      const order = (id: string, ts: number) => ({ id, type: 'order', ts, account: 'acct4', seller: 's', product: 'p', quantity: 1, amount: 20, currency: 'USD', card: '4111', address: 'addr', device: 'd', ip: '192.0.2.1' });
      assert.equal((await s.call('POST', '/v1/decide', order('o1', T0 + 30_000))).body.verdict, 'allow');
      const set = await s.call('POST', '/v1/labels', { entity: 'Account:acct4', label: 'possible_takeover', expires_at: null, reason: 'customer called in' });
      assert.equal(set.status, 201);
      const d = await s.call('POST', '/v1/decide', order('o2', T0 + 31_000));
      assert.equal(d.body.verdict, 'review');
      assert.equal((await s.call('DELETE', '/v1/labels', { entity: 'Account:acct4', label: 'possible_takeover', reason: 'resolved' })).status, 200);
      assert.equal((await s.call('POST', '/v1/decide', order('o3', T0 + 32_000))).body.verdict, 'allow');
      const audit = await s.call('GET', '/v1/audit?target=Account:acct4');
      assert.equal(audit.status, 200);
      assert.ok(audit.body.entries.length >= 2, JSON.stringify(audit.body));
      assert.ok(audit.body.entries.every((e: { actor: string }) => e.actor === 'key:test-admin'));
    });

    test('strategies: invalid uploads list every error with its location; deploy and roll back', async () => {
      const files = SERVICE_TEST_STRATEGY;
      const bad = await s.call('POST', '/v1/strategies/default/versions', { files: { ...files, 'extra.bw': 'feature x = count(login by devce over 1h)\nrule r on login\n  when (\n' } });
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.body.error.details.map((e: { file: string; line: number }) => `${e.file}:${e.line}`), ['extra.bw:1', 'extra.bw:4']);
      const changed = { ...files, 'extra.bw': 'rule every_login on login\n  when true\n  score +1\n' };
      const up = await s.call('POST', '/v1/strategies/default/versions', { files: changed });
      assert.equal(up.status, 201);
      const dep = await s.call('POST', '/v1/strategies/default/deployments', { version: up.body.version, mode: 'live' });
      assert.equal(dep.status, 200, JSON.stringify(dep.body));
      const d = await s.call('POST', '/v1/decide', login('s1', T0 + 40_000, 'acct5', true));
      assert.equal(d.body.strategy, `default@${up.body.version}`);
      assert.deepEqual(d.body.rules.map((r: { rule: string }) => r.rule), ['every_login']);
      assert.equal((await s.call('POST', '/v1/strategies/default/rollback')).status, 200);
      const d2 = await s.call('POST', '/v1/decide', login('s2', T0 + 41_000, 'acct5', true));
      assert.equal(d2.body.strategy, 'default@1');
      assert.deepEqual(d2.body.rules, []);
      assert.ok((await s.call('GET', '/v1/strategies/default/deployments')).body.deployments.length >= 3);
    });

    test('API keys: scopes are enforced, keys are hashed, revocation works', async () => {
      const created = await s.call('POST', '/v1/keys', { name: 'ingest-only', scopes: ['ingest'] });
      assert.equal(created.status, 201);
      const k = created.body.key as string;
      assert.equal((await s.call('POST', '/v1/decide', login('k1', T0 + 50_000, 'acct6', true), { key: k })).status, 200);
      assert.equal((await s.call('GET', '/v1/decisions/k1', undefined, { key: k })).status, 403);
      assert.equal((await s.call('GET', '/v1/decisions/k1', undefined, { key: null })).status, 401);
      assert.equal((await s.call('GET', '/v1/decisions/k1', undefined, { key: 'bwk_wrong' })).status, 401);
      const listed = await s.call('GET', '/v1/keys');
      assert.ok(!JSON.stringify(listed.body).includes(k), 'the plaintext key is never returned again');
      assert.equal((await s.call('DELETE', `/v1/keys/${created.body.id}`)).status, 200);
      assert.equal((await s.call('POST', '/v1/decide', login('k2', T0 + 51_000, 'acct6', true), { key: k })).status, 401);
    });

    test('subject erasure removes the persona and labels and is on record', async () => {
      await s.call('POST', '/v1/labels', { entity: 'Account:acct1', label: 'vip', reason: 'test' });
      const r = await s.call('DELETE', '/v1/entities/Account/acct1');
      assert.equal(r.status, 200);
      assert.ok(r.body.erased.aggregate_rows > 0);
      const p = await s.call('GET', '/v1/entities/Account/acct1');
      assert.ok(p.body.features.every((f: { value: number | null }) => f.value === 0 || f.value === null));
      assert.deepEqual(p.body.labels, []);
      assert.deepEqual(p.body.decisions, []);
      assert.equal((await s.call('GET', '/v1/audit?target=Account:acct1')).body.entries.some((e: { action: string }) => /erasure/.test(e.action)), true);
    });

    test('manual labels on personal entities are stored pseudonymised in the control plane', async () => {
      assert.equal((await s.call('POST', '/v1/labels', { entity: 'Ip:198.51.100.77', label: 'proxy', reason: 'vendor feed' })).status, 201);
      const rows = await s.svc.control.sql.query<{ entity: string }>('SELECT entity FROM labels UNION ALL SELECT entity FROM label_events');
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => !r.entity.includes('198.51.100.77')), JSON.stringify(rows));
      const audit = await s.call('GET', '/v1/audit?limit=50');
      assert.ok(!JSON.stringify(audit.body).includes('198.51.100.77'));
      const p = await s.call('GET', '/v1/entities/Ip/198.51.100.77');
      assert.deepEqual(p.body.labels.map((l: { label: string }) => l.label), ['proxy']);
    });

    test('events dated far in the future are refused so they cannot make real traffic late', async () => {
      const r = await s.call('POST', '/v1/decide', login('future', Date.UTC(2100, 0, 1), 'acct7', true));
      assert.equal(r.status, 400);
      assert.equal(r.body.error.field, 'ts');
      assert.equal((await s.call('POST', '/v1/decide', login('now-ish', T0 + 60_000, 'acct7', true))).status, 200);
    });

    test('uploads go to the strategy this service runs', async () => {
      assert.equal((await s.call('POST', '/v1/strategies/other/versions', { files: { 'a.bw': 'entity A\n' } })).status, 404);
    });

    test('metrics and health', async () => {
      const m = await s.call('GET', '/metrics');
      assert.equal(m.status, 200);
      assert.match(m.body, /bulwark_decisions_total\{verdict="allow"\} \d+/);
      assert.match(m.body, /bulwark_rule_hits_total\{rule="brute_force_account"\} 1/);
      assert.match(m.body, /bulwark_decide_latency_ms_count \d+/);
      assert.match(m.body, /bulwark_log_records \d+/);
      assert.equal((await s.call('GET', '/healthz')).status, 200);
      const ready = await s.call('GET', '/readyz');
      assert.equal(ready.body.status, 'ready');
    });
  });
}

test('signals set through the API are read by rules, shown on the persona, and survive a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-signal-'));
  const first = await startService({ dataDir });
  try {
    assert.equal((await first.call('POST', '/v1/decide', login('sg1', T0, 'ringleader', true))).body.verdict, 'allow');
    assert.equal((await first.call('POST', '/v1/signals', { entity: 'Account:ringleader', name: 'ring_size', value: 9 })).status, 200);
    const d = await first.call('POST', '/v1/decide', login('sg2', T0 + 1000, 'ringleader', true));
    assert.equal(d.body.verdict, 'review');
    assert.equal(d.body.rules[0].reason, 'in a ring of 9 accounts');
    assert.equal((await first.call('POST', '/v1/signals', { entity: 'Account:x', name: 'ring_size', value: 'big' })).status, 400);
    await first.close();
    const again = await startService({ dataDir });
    try {
      assert.deepEqual((await again.call('GET', '/v1/entities/Account/ringleader')).body.signals, [{ name: 'ring_size', value: 9 }]);
      assert.equal((await again.call('POST', '/v1/decide', login('sg3', T0 + 2000, 'ringleader', true))).body.verdict, 'review');
    } finally { await again.close(); }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an erased entity stays erased after a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-erase-'));
  const first = await startService({ dataDir });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await first.call('POST', '/v1/decide', login(`er${i}`, T0 + i * 1000, 'gone', false))).status, 200);
    assert.equal((await first.call('GET', '/v1/entities/Account/gone')).body.decisions.length, 3);
    assert.equal((await first.call('DELETE', '/v1/entities/Account/gone')).status, 200);
    await first.svc.snapshot();
    assert.equal((await first.call('POST', '/v1/decide', login('er9', T0 + 9000, 'other', false))).status, 200);
    await first.close();
    const again = await startService({ dataDir });
    try {
      const p = await again.call('GET', '/v1/entities/Account/gone');
      assert.deepEqual(p.body.decisions, []);
      assert.ok(p.body.features.every((f: { value: number | null }) => !f.value));
    } finally { await again.close(); }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
