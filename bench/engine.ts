// Engine throughput, latency and state memory on the default pack over simulated platform traffic.
// Prints progress on stderr and, last on stdout, one JSON line of figures.
import { createHmac, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readStrategyDir } from '../src/cli/sources.ts';
import { Progress } from '../src/cli/progress.ts';
import { Engine, isRejection, Lists, type Decision } from '../src/engine/index.ts';
import { compileStrategy, type PreparedEvent } from '../src/lang/index.ts';
import { simulate } from '../src/sim/index.ts';
import { MemoryStore } from '../src/state/index.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1200000' }, seed: { type: 'string', default: '1' }, strategy: { type: 'string', default: 'strategies' }, profile: { type: 'string' } } });
const N = Number(values.events);
const gc = (globalThis as { gc?: () => void }).gc;

const compiled = compileStrategy(readStrategyDir(values.strategy!));
if (!compiled.ok) throw new Error('default strategy does not compile');
const key = randomBytes(32);
const pseudonymise = (v: string) => createHmac('sha256', key).update(v).digest('base64url').slice(0, 22);
const c2 = compileStrategy(readStrategyDir(values.strategy!), { pseudonymise });
if (!c2.ok) throw new Error('unreachable');
const plan = c2.plan;
const checked = plan.checked;

// 1. Simulated traffic, prepared as the log stores it (validated, derived forms, personal fields hashed).
const lists = new Lists(pseudonymise);
for (const [n, v] of compiled.lists) lists.ref(n, plan.lists.find((l) => l.name === n)!.personal).replace(v);
const preparer = new Engine(plan, { store: new MemoryStore<Decision>({ latenessMs: plan.latenessMs }), lists, pseudonymise });
const events: PreparedEvent[] = [];
const entityFields = new Map([...checked.events].map(([t, ev]) => [t, [...ev.fields.values()].filter((f) => f.type.entity).map((f) => [f.name, f.type.entity!] as const)]));
const entities = new Set<string>();
const genBar = new Progress('simulate+prepare', N);
const tPrep = performance.now();
let prepNs = 0;
simulate({ seed: Number(values.seed), events: N }, (batch) => {
  for (const raw of batch) {
    const t = process.hrtime.bigint();
    const p = preparer.prepare(raw);
    prepNs += Number(process.hrtime.bigint() - t);
    if ('error' in p) throw new Error(`simulator event rejected: ${JSON.stringify(p.error)}`);
    events.push(p);
    // Distinct entities: every entity-typed field of every event (accounts, devices, IPs, cards, content, ...).
    for (const [field, type] of entityFields.get((raw as { type: string }).type) ?? []) {
      const v = (raw as Record<string, unknown>)[field];
      if (typeof v === 'string') entities.add(type + ':' + v);
    }
  }
  genBar.update(events.length);
});
genBar.done();
void tPrep;

// 2. Decide everything on fresh state, one core, sampling latency on one event in eight.
gc?.();
const heapBefore = process.memoryUsage();
const store = new MemoryStore<Decision>({ latenessMs: plan.latenessMs });
const engine = new Engine(plan, { store, lists, pseudonymise });
const samples = new Float64Array(Math.ceil(events.length / 8) + 1);
let ns = 0;
const verdicts: Record<string, number> = { allow: 0, challenge: 0, review: 0, block: 0 };
let rejected = 0;
const bar = new Progress('decide', events.length);
// --profile FILE: a CPU profile of the decide loop only.
const inspector = values.profile ? new (await import('node:inspector')).Session() : null;
if (inspector) { inspector.connect(); await new Promise((r) => inspector.post('Profiler.enable', () => inspector.post('Profiler.start', r))); }
const t0 = performance.now();
for (let i = 0; i < events.length; i++) {
  let d;
  if ((i & 7) === 0) {
    const s = process.hrtime.bigint();
    d = engine.decidePrepared(events[i]!);
    samples[ns++] = Number(process.hrtime.bigint() - s) / 1000;
  } else d = engine.decidePrepared(events[i]!);
  if (isRejection(d)) rejected++;
  else verdicts[d.verdict]!++;
  if ((i & 0xffff) === 0) bar.update(i);
}
const seconds = (performance.now() - t0) / 1000;
if (inspector) {
  const { writeFileSync } = await import('node:fs');
  await new Promise<void>((r) => inspector.post('Profiler.stop', (_e, res) => { writeFileSync(values.profile!, JSON.stringify(res.profile)); r(); }));
}
bar.update(events.length);
bar.done();

// 3. Memory held by feature state per (aggregate, key) pair.
gc?.();
const heapAfter = process.memoryUsage();
const stats = store.stats();
const stateBytes = heapAfter.heapUsed + heapAfter.arrayBuffers - (heapBefore.heapUsed + heapBefore.arrayBuffers);
const lat = samples.subarray(0, ns).sort();
const pct = (p: number) => Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]! * 100) / 100;

const windowed = checked.aggregates.filter((a) => a.windowMs > 0).length;
const result = {
  bench: 'engine',
  events: events.length,
  events_per_sec: Math.round(events.length / seconds),
  p50_us: pct(0.5),
  p99_us: pct(0.99),
  p999_us: pct(0.999),
  bytes_per_key: gc ? Math.round(stateBytes / stats.pairs) : null,
  pairs: stats.pairs,
  key_rows: stats.rows,
  entities: entities.size,
  features: checked.features.size,
  windowed_aggregates: windowed,
  rules: checked.rules.length,
  prepare_us: Math.round(prepNs / events.length / 10) / 100,
  rejected,
  verdicts,
};
if (!gc) console.error('run with --expose-gc for bytes_per_key (npm run bench does)');
console.error(`engine: ${result.events_per_sec.toLocaleString('en-US')} events/s, p99 ${result.p99_us} µs, ${result.bytes_per_key} bytes per (aggregate, key) over ${stats.pairs.toLocaleString('en-US')} pairs`);
console.log(JSON.stringify(result));
