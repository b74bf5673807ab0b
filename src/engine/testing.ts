// `bulwark test`: runs the example events of strategy tests through a fresh engine and checks what they expect.
import type { Loc, Plan, TestDecl } from '../lang/index.ts';
import { MemoryStore } from '../state/index.ts';
import { isRejection, type Decision } from './decision.ts';
import { Engine } from './engine.ts';
import { Lists } from './lists.ts';

export const TEST_EPOCH = Date.parse('2026-01-01T00:00:00Z');

export interface TestFailure { loc: Loc; message: string }
export interface TestResult { name: string; loc: Loc; passed: boolean; failures: TestFailure[] }

/** Each test starts from empty state: its steps are the whole history it sees. */
export function runStrategyTests(plan: Plan, lists: Map<string, string[]>): TestResult[] {
  return plan.checked.tests.map((t) => runOne(plan, lists, t));
}

function runOne(plan: Plan, lists: Map<string, string[]>, t: TestDecl): TestResult {
  const l = new Lists(null);
  for (const [name, values] of lists) l.ref(name).replace(values);
  const engine = new Engine(plan, { store: new MemoryStore<Decision>({ latenessMs: plan.latenessMs }), lists: l });
  const failures: TestFailure[] = [];
  let ts = TEST_EPOCH;
  t.steps.forEach((s, i) => {
    ts += s.afterMs ?? 1000;
    const raw: Record<string, unknown> = { id: `${t.name}#${i + 1}`, type: s.eventType, ts };
    for (const f of s.fields) raw[f.name] = f.value;
    const out = engine.decide(raw);
    if (isRejection(out)) {
      failures.push({ loc: s.loc, message: `step ${i + 1} was rejected: ${out.error.message}` });
      return;
    }
    if (s.kind !== 'expect') return;
    const fired = out.rules.map((r) => r.rule);
    const got = `got ${out.verdict} (score ${out.score}, fired: ${fired.join(', ') || 'none'})`;
    if (s.verdict && out.verdict !== s.verdict) failures.push({ loc: s.loc, message: `expected verdict ${s.verdict}, ${got}` });
    for (const r of s.fires) if (!fired.includes(r)) failures.push({ loc: s.loc, message: `expected rule ${r} to fire, ${got}` });
    for (const r of s.notFires) if (fired.includes(r)) failures.push({ loc: s.loc, message: `expected rule ${r} not to fire, ${got}` });
    if (s.scoreAtLeast !== null && out.score < s.scoreAtLeast) failures.push({ loc: s.loc, message: `expected score >= ${s.scoreAtLeast}, ${got}` });
  });
  return { name: t.name, loc: t.loc, passed: failures.length === 0, failures };
}
