// Replays a labelled event file through a strategy on fresh state and measures what it catches and what it leaves alone.
import { readFileSync } from 'node:fs';
import { readLines } from '../cli/ndjson.ts';
import { Engine, isRejection, Lists, type Decision } from '../engine/index.ts';
import { compileStrategy, type StrategyError, type StrategyFiles } from '../lang/index.ts';
import { MemoryStore } from '../state/index.ts';
import { DetectionEval, type EvalReport } from './measure.ts';
import { TruthBuilder } from './truth.ts';

export interface EvalRun {
  strategy: StrategyFiles;
  events: string;
  labels: string;
  onProgress?: (bytes: number, total: number) => void;
}

export type EvalResult = { ok: true; report: EvalReport; seconds: number } | { ok: false; errors: StrategyError[] };

/** Labels are read whole first (they are small); events stream. No pseudonymisation: labels carry raw ids. */
export function runEvaluation(run: EvalRun): EvalResult {
  const c = compileStrategy(run.strategy);
  if (!c.ok) return { ok: false, errors: c.errors };
  const tb = new TruthBuilder();
  for (const line of readFileSync(run.labels, 'utf8').split('\n')) if (line.trim()) tb.line(line);
  const measure = new DetectionEval(tb.finish(), c.plan.checked);
  const lists = new Lists(null);
  for (const [n, v] of c.lists) lists.ref(n).replace(v);
  const engine = new Engine(c.plan, { store: new MemoryStore<Decision>({ latenessMs: c.plan.latenessMs }), lists });
  const t0 = performance.now();
  readLines(run.events, (line) => {
    let ev: unknown;
    try { ev = JSON.parse(line); } catch { measure.reject(); return; }
    const d = engine.decide(ev);
    if (isRejection(d)) { measure.reject(); return; }
    measure.observe(ev as Record<string, unknown>, d);
  }, run.onProgress);
  return { ok: true, report: measure.report(), seconds: Math.round((performance.now() - t0) / 10) / 100 };
}
