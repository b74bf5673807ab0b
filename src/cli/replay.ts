// `bulwark replay`: decides every event of an NDJSON file on fresh state and writes one decision line per event.
import { Engine, isRejection, Lists, type Decision } from '../engine/index.ts';
import { compileStrategy, formatError } from '../lang/index.ts';
import { MemoryStore } from '../state/index.ts';
import { LineWriter, readLines } from './ndjson.ts';
import { Progress } from './progress.ts';
import { readStrategyDir } from './sources.ts';

export interface ReplaySummary { events: number; rejected: number; seconds: number; events_per_sec: number; verdicts: Record<string, number> }

export function replayCommand(opts: { strategy: string; events: string; out: string }, err = console.error): ReplaySummary | null {
  const c = compileStrategy(readStrategyDir(opts.strategy));
  if (!c.ok) { for (const e of c.errors) err(formatError(e)); return null; }
  const lists = new Lists(null);
  for (const [n, v] of c.lists) lists.ref(n).replace(v);
  const engine = new Engine(c.plan, { store: new MemoryStore<Decision>({ latenessMs: c.plan.latenessMs }), lists });
  const w = new LineWriter(opts.out);
  const verdicts: Record<string, number> = { allow: 0, challenge: 0, review: 0, block: 0 };
  let rejected = 0;
  const bar = new Progress('replay', 0, 'bytes');
  const t0 = performance.now();
  const n = readLines(opts.events, (line, lineNo) => {
    let ev: unknown;
    try { ev = JSON.parse(line); } catch { rejected++; w.write(JSON.stringify({ event_id: null, line: lineNo, error: { code: 'bad_json', message: 'not valid JSON' } })); return; }
    const d = engine.decide(ev);
    if (isRejection(d)) { rejected++; w.write(JSON.stringify({ event_id: d.event_id, line: lineNo, error: d.error })); return; }
    verdicts[d.verdict]!++;
    w.write(JSON.stringify({ event_id: d.event_id, verdict: d.verdict, score: d.score, rules: d.rules.map((r) => r.rule) }));
  }, (b, t) => bar.update(b, t));
  w.close();
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  return { events: n, rejected, seconds: Math.round(seconds * 100) / 100, events_per_sec: Math.round(n / seconds), verdicts };
}
