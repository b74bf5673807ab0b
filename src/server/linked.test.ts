import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVICE_TEST_STRATEGY, startService, T0 } from './test-support.ts';

// A strategy whose rule reads linked(): the service keeps the link graph, on pseudonymised identifiers.
const STRATEGY = {
  ...SERVICE_TEST_STRATEGY,
  'linked.bw': `feature shared_flagged = linked(account, "flagged")
rule joins_blocked on signup
  when (shared_flagged ?? 0) >= 1
  then review
  because "{shared_flagged} flagged accounts share its devices"
rule burner on signup
  when declared_age == 1
  then block
`,
};

const signup = (id: string, ts: number, account: string, device: string, age = 30) => ({
  id, type: 'signup', ts: new Date(ts).toISOString(), account, device, ip: `198.51.100.${Number(id.slice(1))}`, email: `${account}@example.com`, country: 'us', user_agent: 'ua', declared_age: age,
});

test('service: linked() runs on pseudonymised identifiers, shows in the persona and survives a restart from snapshot and log', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-linked-'));
  try {
    let s = await startService({ dataDir, options: { strategyFiles: STRATEGY } });
    assert.equal((await s.call('POST', '/v1/decide', signup('l1', T0, 'burner1', 'phone-1', 1))).body.verdict, 'block');
    const second = await s.call('POST', '/v1/decide', signup('l2', T0 + 1000, 'new1', 'phone-1'));
    assert.equal(second.body.verdict, 'review');
    assert.equal(second.body.rules[0].reason, '1 flagged accounts share its devices');
    const p = await s.call('GET', '/v1/entities/Account/new1');
    assert.equal(p.body.linked.accounts, 1);
    assert.equal(p.body.linked.flagged, 1);
    assert.equal(p.body.linked.identifiers, 3, 'device, IP and canonical e-mail');
    await s.svc.snapshot();
    assert.equal((await s.call('POST', '/v1/decide', signup('l3', T0 + 2000, 'new2', 'phone-2'))).body.verdict, 'allow');
    await s.close();
    // restart: state from the snapshot, then the log tail (l3) re-applied
    s = await startService({ dataDir, options: { strategyFiles: STRATEGY } });
    const again = await s.call('POST', '/v1/decide', signup('l4', T0 + 3000, 'new3', 'phone-1'));
    assert.equal(again.body.verdict, 'review');
    assert.equal(again.body.rules[0].reason, '1 flagged accounts share its devices');
    assert.equal((await s.call('GET', '/v1/entities/Account/new2')).body.linked.identifiers, 3);
    await s.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
