// Graph jobs: fed like the service feeds them, one case per group, signals published, cleared and saved to disk.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GraphJobs } from './graph-jobs.ts';

test('graph jobs open one case per group, publish and clear signals, store results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-graph-'));
  try {
    const signals: [string, string, number | null][] = [];
    const cases: { entity: string; summary: string; related?: string[] }[] = [];
    let listener: ((ev: never, d: never, p: number) => void) | null = null;
    const jobs = new GraphJobs({ dataDir: dir, intervalMs: 0 }, {
      signals: { publish: (e, n, v) => { signals.push([e, n, v]); } },
      cases: { createCase: async (c) => { cases.push(c); return { case: { id: cases.length }, opened: true }; } },
    });
    jobs.attach({ onDecision: (l) => { listener = l as never; return () => { listener = null; }; } });
    const send = (ev: Record<string, unknown>, labels: { op: string; entity: string; label: string }[] = []): void => listener!(ev as never, { labels } as never, 0);
    // pseudonymised-looking values: only equality matters
    for (let i = 0; i < 5; i++) {
      send({ id: `s${i}`, type: 'signup', ts: 1000 + i, account: `c${i}`, device: 'D1', ip: 'h(ip)', email: `h(mail${i})`, 'email#email_canonical': 'h(jodoe@gmail.com)' });
      send({ id: `r${i}`, type: 'coupon_redeem', ts: 2000 + i, account: `c${i}`, coupon: 'WELCOME10', card: 'h(card)', address: 'h(addr)' });
    }
    send({ id: 'x', type: 'signup', ts: 3000, account: 'old', device: 'D1', ip: 'h(ip2)', email: 'h(o)' }, [{ op: 'set', entity: 'Account:old', label: 'banned' }]);
    const run = await jobs.runOnce();
    assert.ok(run.groups >= 1);
    assert.equal(cases.length, 1, 'one case for the coupon household');
    assert.match(cases[0]!.summary, /coupon_abuse/);
    const get = (e: string, n: string) => signals.filter(([x, y]) => x === e && y === n).at(-1)?.[2];
    assert.equal(get('Account:c0', 'in_group'), 1);
    assert.ok((get('Account:c0', 'ring_size') as number) >= 5);
    assert.equal(get('Account:c0', 'linked_banned'), 1, 'shares a device with a banned account');
    assert.equal(get('Device:D1', 'linked_banned'), 1);
    assert.ok(existsSync(join(dir, 'graph', 'groups.json')));
    assert.equal(JSON.parse(readFileSync(join(dir, 'graph', 'groups.json'), 'utf8')).groups.length, run.groups);
    // a second run on the same data neither re-opens the case nor re-sends unchanged signals
    const before = signals.length;
    await jobs.runOnce();
    assert.equal(cases.length, 1);
    assert.equal(signals.length, before);
    // the ban lifted: linked_banned is cleared to null
    send({ id: 'y', type: 'login', ts: 4000, account: 'old', device: 'D1', ip: 'h(ip2)', success: true, method: 'password' }, [{ op: 'clear', entity: 'Account:old', label: 'banned' }]);
    await jobs.runOnce();
    assert.equal(get('Account:c0', 'linked_banned'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
