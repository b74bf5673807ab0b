// Single-version backtest speed on simulated traffic, prepared as the server's log stores it (default strategy pack).
// Simulation and preparation stream in batches and are not timed; the backtest's own time is. Last stdout line: JSON.
import { createHmac, randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Backtest, compileFiles } from '../src/backtest/index.ts';
import { Progress } from '../src/cli/progress.ts';
import { readStrategyDir } from '../src/cli/sources.ts';
import { Engine, Lists, type Decision } from '../src/engine/index.ts';
import type { PreparedEvent } from '../src/lang/index.ts';
import { simulate } from '../src/sim/index.ts';
import { MemoryStore } from '../src/state/index.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' }, strategy: { type: 'string', default: 'strategies' }, baseline: { type: 'string' } } });
const N = Number(values.events);
const key = randomBytes(32);
const pseudonymise = (v: string) => createHmac('sha256', key).update(v).digest('base64url').slice(0, 22);
const candidate = compileFiles(readStrategyDir(values.strategy!), 'bench@1', pseudonymise);
const baseline = values.baseline ? compileFiles(readStrategyDir(values.baseline), 'bench@0', pseudonymise) : null;
const lists = new Lists(pseudonymise);
for (const l of candidate.plan.lists) lists.ref(l.name, l.personal).replace(candidate.lists.get(l.name) ?? []);
const preparer = new Engine(candidate.plan, { store: new MemoryStore<Decision>({ latenessMs: candidate.plan.latenessMs }), lists, pseudonymise });
const bt = new Backtest({ candidate, baseline, pseudonymise });
const load0 = loadavg()[0]!;
const bar = new Progress('backtest', N);
const wall0 = performance.now();
let ns = 0;
let done = 0;
const batch: PreparedEvent[] = [];
simulate({ seed: Number(values.seed), events: N }, (raws) => {
  batch.length = 0;
  for (const raw of raws) { const p = preparer.prepare(raw); if (!('error' in p)) batch.push(p as PreparedEvent); }
  const t = process.hrtime.bigint();
  for (let i = 0; i < batch.length; i++) bt.decidePrepared(batch[i]!);
  ns += Number(process.hrtime.bigint() - t);
  done += raws.length;
  bar.update(done);
});
bar.done();
const r = bt.report();
const secs = ns / 1e9;
const out = {
  bench: 'backtest', events: r.events, strategies: baseline ? 2 : 1, state: r.state,
  events_per_sec: Math.round(r.events / secs), backtest_seconds: Math.round(secs * 100) / 100,
  wall_seconds_with_simulation: Math.round((performance.now() - wall0) / 10) / 100,
  projected_10m_seconds: Math.round((10_000_000 / (r.events / secs)) * 10) / 10,
  verdicts: r.candidate.verdicts, changed: r.changed,
  loadavg_1m_start: Math.round(load0 * 100) / 100, loadavg_1m_end: Math.round(loadavg()[0]! * 100) / 100,
  heap_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
};
console.log(`backtest: ${out.events} events in ${out.backtest_seconds}s of backtest time (${out.events_per_sec.toLocaleString('en-US')}/s), load ${out.loadavg_1m_start}→${out.loadavg_1m_end}`);
console.log(JSON.stringify(out));
