// End to end: a real service on a simulated stream, then backtests, jobs, shadows and exports over its data directory.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readStrategyDir } from '../cli/sources.ts';
import { runBacktest } from '../cli/backtest.ts';
import { runExport } from '../cli/export.ts';
import { buildApp } from '../server/http.ts';
import { DecisionService } from '../server/service.ts';
import { simulate, type SimEvent } from '../sim/index.ts';

const N = 12_000;

async function start(dataDir: string) {
  const svc = await DecisionService.open({ dataDir, strategyDir: 'strategies', snapshotIntervalMs: 0, groupCommitMs: 1, durability: 'buffered' });
  const { key } = await svc.control.keys.create({ name: 't', scopes: ['ingest', 'read', 'admin'], actor: 'test' });
  const app = buildApp(svc, { bodyLimit: 4 << 20 });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() as any };
  };
  return { svc, call, close: async () => { await app.close(); await svc.close(); } };
}

async function send(call: (m: string, p: string, b?: unknown) => Promise<{ status: number; body: any }>, events: SimEvent[]) {
  for (let i = 0; i < events.length; i += 1000) {
    const r = await call('POST', '/v1/events', { events: events.slice(i, i + 1000) });
    assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
  }
}

const sim = (() => {
  const events: SimEvent[] = [];
  const labels: string[] = [];
  simulate({ seed: 3, events: N }, (e, l) => { events.push(...e); for (const x of l) labels.push(JSON.stringify(x)); });
  return { events, labels };
})();

test('determinism end to end: the live version backtested against its own log has 0 mismatches; server jobs agree', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bt-'));
  try {
    const s = await start(dir);
    // A manual label in the middle of the stream is a fact the replay must apply in log order too.
    await send(s.call, sim.events.slice(0, N / 2));
    assert.equal((await s.call('POST', '/v1/labels', { entity: `Account:${(sim.events[N / 2] as { account?: string }).account ?? 'u1'}`, label: 'spammer', reason: 'test' })).status, 201);
    await send(s.call, sim.events.slice(N / 2));

    // Server job over its own log, live vs live: nothing changes; never blocks (the test's own requests still go through).
    const post = await s.call('POST', '/v1/backtests', { strategy: 'live', baseline: 'live' });
    assert.equal(post.status, 202);
    let job = post.body;
    for (let i = 0; i < 400 && job.status === 'running'; i++) { await new Promise((r) => setTimeout(r, 25)); job = (await s.call('GET', `/v1/backtests/${job.id}`)).body; }
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    assert.equal(job.result.events, N);
    assert.equal(job.result.changed, 0);
    assert.equal(job.result.state, 'shared');
    const live = s.svc.engine.stateDigest().digest;
    assert.equal((await s.call('GET', '/v1/backtests/nope')).status, 404);
    assert.equal((await s.call('POST', '/v1/backtests', { strategy: 99 })).status, 404);
    await s.close();

    const fromLog = await runBacktest({ strategy: 'live', againstLog: dir, progress: false });
    assert.equal(fromLog.mismatches, 0, JSON.stringify(fromLog.mismatch_samples?.[0]));
    assert.equal(fromLog.compared, N);
    assert.deepEqual(fromLog.candidate.verdicts, job.result.candidate.verdicts);
    void live;

    // The same raw stream from a file, prepared with the data directory's key, also matches the log (manual labels
    // are taken from the log, at their place in it).
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, sim.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const fromFile = await runBacktest({ strategy: 'live', events: file, againstLog: dir, progress: false });
    assert.equal(fromFile.mismatches, 0, JSON.stringify(fromFile.mismatch_samples?.[0]));
    assert.equal(fromFile.compared, N);

    // A time range backtests only the events inside it.
    const t = sim.events[N / 2]!.ts;
    const half = await runBacktest({ strategy: 'live', data: dir, from: String(t), progress: false });
    assert.equal(half.events, sim.events.filter((e) => e.ts >= t).length);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('shadow: compare equals a backtest of the same change over the log; promotion keeps warmed state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-shadow-'));
  try {
    const s = await start(dir);
    const files = readStrategyDir('strategies');
    files['shadow.bw'] = `
feature logins_per_device_2h_v2 = count(login by device over 2h)

rule device_login_burst_v2 on login
  when logins_per_device_2h_v2 >= 3
  then challenge
  score +5
  because "{logins_per_device_2h_v2} logins from one device in 2h"
`;
    const up = await s.call('POST', '/v1/strategies/default/versions', { files });
    assert.equal(up.status, 201);
    assert.equal((await s.call('POST', '/v1/strategies/default/deployments', { version: up.body.version, mode: 'shadow' })).status, 200);
    await send(s.call, sim.events);
    // Two logins from a fresh device while v2 is a shadow.
    const base = sim.events[N - 1]!.ts;
    const login = (id: string, ts: number) => ({ id, type: 'login', ts, account: 'warm1', device: 'dev-warm', ip: '198.51.100.9', success: true, method: 'password' });
    await send(s.call, [login('w1', base + 1000), login('w2', base + 2000)] as SimEvent[]);

    const cmp = await s.call('GET', `/v1/shadow/${up.body.version}/compare`);
    assert.equal(cmp.status, 200);
    assert.equal(cmp.body.candidate.decided, N + 2);
    assert.ok(cmp.body.candidate.rules.find((r: { rule: string }) => r.rule === 'device_login_burst_v2').hits > 0);
    assert.equal((await s.call('GET', '/v1/shadow/77/compare')).status, 404);

    // Promote: the live plan now reads the state the shadow warmed.
    assert.equal((await s.call('POST', '/v1/strategies/default/deployments', { version: up.body.version, mode: 'live' })).status, 200);
    const third = await s.call('POST', '/v1/decide', login('w3', base + 3000));
    assert.equal(third.status, 200);
    const hit = third.body.rules.find((r: { rule: string }) => r.rule === 'device_login_burst_v2');
    assert.ok(hit, JSON.stringify(third.body));
    assert.equal(hit.values.logins_per_device_2h_v2, 3);
    await s.close();

    // The shadow's tallies equal a backtest of v2 against v1 over the same traffic (the change sets no labels).
    // The log has N + 3 decisions, the last made live by v2; the shadow saw the first N + 2.
    const bt = await runBacktest({ strategy: String(up.body.version), baseline: '1', data: dir, to: String(base + 3000), progress: false });
    assert.equal(bt.events, N + 2);
    assert.deepEqual(cmp.body.transitions, bt.transitions);
    assert.deepEqual(cmp.body.candidate.verdicts, bt.candidate.verdicts);
    assert.deepEqual(cmp.body.baseline.verdicts, bt.baseline!.verdicts);
    // Shadow decisions were logged to the data directory, never returned.
    const logged = readFileSync(join(dir, 'shadow', `default@${up.body.version}.ndjson`), 'utf8').trim().split('\n');
    assert.equal(logged.length, N + 2);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('export rows equal the feature values in decision traces for the same events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-export-'));
  try {
    const events = join(dir, 'events.ndjson');
    const labels = join(dir, 'labels.ndjson');
    writeFileSync(events, sim.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    writeFileSync(labels, sim.labels.join('\n') + '\n');
    const out = join(dir, 'rows.csv');
    const r = await runExport({ strategy: 'strategies', events, labels, out, progress: false });
    assert.equal(r.rows, N);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    const rows = new Map(lines.slice(1).map((l) => { const c = l.split(','); return [c[0]!, c] as const; }));
    // Traces of an independent replay: every value a fired rule read must appear in the row, as decided.
    const bt = await import('./index.ts');
    const cand = bt.compileFiles(readStrategyDir('strategies'), undefined, null);
    const run = new bt.Backtest({ candidate: cand });
    let checked = 0;
    for (const ev of sim.events) {
      const d = run.decideRaw(ev);
      if ('error' in d) continue;
      const row = rows.get(d.event_id)!;
      assert.equal(row[header.indexOf('verdict')], d.verdict);
      for (const h of d.rules) for (const [name, v] of Object.entries(h.values)) {
        const col = header.indexOf(name);
        if (col < 0) continue; // an event field, not a feature
        assert.equal(row[col], v === null ? '' : String(v), `${d.event_id} ${name}`);
        checked++;
      }
    }
    assert.ok(checked > 500, `only ${checked} traced values`);
    const positives = [...rows.values()].filter((c) => c[header.indexOf('label')] === '1').length;
    assert.equal(positives, sim.labels.filter((l) => l.includes('"event"')).length);

    // Parquet: same rows, read back with hyparquet.
    const pq = join(dir, 'rows.parquet');
    await runExport({ strategy: 'strategies', events, labels, out: pq, type: 'login', progress: false });
    const { parquetReadObjects, asyncBufferFromFile } = await import('hyparquet' as string) as { parquetReadObjects: (o: { file: unknown }) => Promise<Record<string, unknown>[]>; asyncBufferFromFile: (p: string) => Promise<unknown> };
    const objs = await parquetReadObjects({ file: await asyncBufferFromFile(pq) });
    assert.equal(objs.length, sim.events.filter((e) => e.type === 'login').length);
    for (const o of objs.slice(0, 200)) {
      const c = rows.get(o.event_id as string)!;
      for (const name of ['failed_logins_account_10m', 'accounts_tried_ip_1h', 'verdict']) {
        const v = o[name];
        assert.equal(v === null || v === undefined ? '' : String(v), c[header.indexOf(name)], `${o.event_id} ${name}`);
      }
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
