import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readStrategyDir } from '../cli/sources.ts';
import { openControl } from '../control/index.ts';
import { Engine, Lists, type Decision } from '../engine/index.ts';
import { compileStrategy, type PreparedEvent } from '../lang/index.ts';
import { EventLog } from '../log/index.ts';
import { simulate } from '../sim/index.ts';
import { MemoryStore } from '../state/index.ts';
import { pseudonymiser } from './pseudonym.ts';

interface Server { proc: ChildProcess; url: string; key: string | null; output: string[] }

function startServer(dataDir: string): Promise<Server> {
  const proc = spawn(process.execPath, ['bin/bulwark.js', 'serve', '--data', dataDir, '--port', '0', '--snapshot-seconds', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let key: string | null = null;
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 150_000);
    const onData = (b: Buffer) => {
      const s = b.toString();
      output.push(s);
      key ??= /(bwk_[A-Za-z0-9_-]+)/.exec(s)?.[1] ?? null;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1]!, key, output }); }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${output.join('')}`)); });
  });
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((r) => proc.once('exit', () => r()));
}

async function post(s: Server, key: string, path: string, body: unknown) {
  const r = await fetch(s.url + path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() as Decision & { error?: unknown } };
}

async function get(s: Server, key: string, path: string) {
  const r = await fetch(s.url + path, { headers: { authorization: `Bearer ${key}` } });
  return { status: r.status, body: await r.json() as any };
}

test('SIGKILL under load loses no acknowledged decision; recovered state equals a fresh replay of the log', { timeout: 420_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-crash-'));
  try {
    const events: object[] = [];
    simulate({ seed: 7, events: 6000 }, (batch) => { events.push(...batch); });
    let s = await startServer(dataDir);
    const key = s.key!;
    assert.ok(key, 'a development key is printed on first start');

    // Continuous load: 24 requests in flight; kill -9 once 2000 have been acknowledged.
    const acked = new Map<string, Decision>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < events.length) {
        const ev = events[next++] as { id: string };
        try {
          const r = await post(s, key, '/v1/decide', ev);
          if (r.status === 200) acked.set(ev.id, r.body);
          else assert.fail(`unexpected ${r.status}: ${JSON.stringify(r.body)}`);
          if (acked.size >= 2000 && !killed) { killed = true; s.proc.kill('SIGKILL'); }
        } catch (e) {
          if (!killed) throw e; // requests in flight at the kill fail: they were never acknowledged
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    await exited(s.proc);
    const resumeAt = next;

    s = await startServer(dataDir);
    assert.equal(s.key, null, 'no new development key on restart');
    const st = await get(s, key, '/v1/admin/state');
    assert.equal(st.status, 200);
    assert.ok(st.body.recovery.replayed > 0, 'the log tail after the last snapshot was replayed');
    const recordsAtRestart = st.body.log.records as number;
    assert.ok(recordsAtRestart >= acked.size);

    for (const [id, d] of acked) {
      const r = await get(s, key, `/v1/decisions/${encodeURIComponent(id)}`);
      assert.equal(r.status, 200, `acknowledged decision ${id} is readable after the crash`);
      assert.deepEqual(r.body.decision, d);
    }

    // Decisions continue: the rest of the stream, including requests that were in flight at the kill.
    for (let i = Math.max(0, resumeAt - 30); i < Math.min(events.length, resumeAt + 300); i++) {
      const r = await post(s, key, '/v1/decide', events[i]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const after = await get(s, key, '/v1/admin/state');
    s.proc.kill('SIGTERM');
    await exited(s.proc);

    // A fresh engine re-deciding the whole log must reproduce every logged decision and both states.
    const control = await openControl({ dataDir });
    const pseudonymise = pseudonymiser(await control.secrets.pseudonymKey());
    await control.close();
    const c = compileStrategy(readStrategyDir('strategies'), { version: 'default@1', pseudonymise });
    assert.ok(c.ok);
    const lists = new Lists(pseudonymise);
    for (const [n, v] of c.lists) lists.ref(n, c.plan.lists.find((l) => l.name === n)!.personal).replace(v);
    const fresh = new Engine(c.plan, { store: new MemoryStore<Decision>({ latenessMs: c.plan.latenessMs }), lists, pseudonymise });
    const log = await EventLog.open(join(dataDir, 'log'));
    let n = 0;
    let mismatches = 0;
    log.replaySync(undefined, (_pos, payload) => {
      const rec = JSON.parse(new TextDecoder().decode(payload)) as { k: string; e: PreparedEvent; d: Decision };
      assert.equal(rec.k, 'd');
      if (JSON.stringify(fresh.decidePrepared(rec.e)) !== JSON.stringify(rec.d)) mismatches++;
      if (++n === recordsAtRestart) assert.equal(fresh.stateDigest().digest, st.body.digest, 'state after recovery = fresh replay of the log as it was at the crash');
    });
    await log.close();
    assert.equal(mismatches, 0);
    assert.equal(fresh.stateDigest().digest, after.body.digest, 'state after more traffic = fresh replay of the whole log');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
