// Crash test: a real child process appends, gets SIGKILLed mid-run; every acknowledged record must survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventLog } from './index.ts';
import { scratchDir } from './test-dirs.ts';

const fixture = fileURLToPath(new URL('./crash-writer.fixture.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

// Same formula as the fixture (imported there would start a writer).
function crashPayload(r: string, w: number, i: number): string {
  const size = (w * 7919 + i * 104729) % 20_000;
  return `${r}:${w}:${i}:${String.fromCharCode(97 + ((w + i) % 26)).repeat(size)}`;
}

interface Ack { position: number; w: number; i: number; round: string }

// Runs the writer until it has acknowledged `killAfter` records, then SIGKILLs it.
function runAndKill(dir: string, round: string, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, round], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let rest = '';
    let stderr = '';
    let killed = false;
    const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`writer made no progress: ${stderr}`)); }, 20_000);
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const [kind, pos, w, i] = line.split(' ');
        if (kind !== 'ack') continue;
        acks.push({ position: Number(pos), w: Number(w), i: Number(i), round });
        if (!killed && acks.length >= killAfter) { killed = true; child.kill('SIGKILL'); }
      }
    });
    // Only after exit is the pid reaped, so the reopen sees a dead lock owner.
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code}): ${stderr}`));
      else resolve(acks);
    });
  });
}

test('SIGKILL mid-run loses no acknowledged record, across two crash-restart rounds', { timeout: 60_000 }, async (t) => {
  const dir = scratchDir(t);
  const acked: Ack[] = [];
  for (const round of ['r1', 'r2']) {
    acked.push(...(await runAndKill(dir, round, 1000)));
    assert.ok(acked.length >= 1000, 'the writer acknowledged records before the kill');
  }
  const log = await EventLog.open(dir);
  t.after(() => log.close());
  const replayed = new Map<number, string>();
  log.replaySync(undefined, (p, payload) => { replayed.set(p, Buffer.from(payload).toString('utf8')); });
  assert.equal(new Set(acked.map((a) => a.position)).size, acked.length, 'no position acknowledged twice');
  for (const a of acked) {
    const expected = crashPayload(a.round, a.w, a.i);
    assert.equal(Buffer.from(log.readSync(a.position)).toString('utf8'), expected, `acked record at ${a.position}`);
    assert.equal(replayed.get(a.position), expected);
  }
  // Everything in the log is a whole record some writer produced (unacknowledged ones may or may not be there).
  for (const payload of replayed.values()) {
    const [r, w, i] = payload.split(':');
    assert.equal(payload, crashPayload(r!, Number(w), Number(i)));
  }
  assert.ok(log.stats().segments > 3, 'the run rolled segments');
});
