import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Engine, isRejection, Lists, type Decision } from '../engine/index.ts';
import { withCatalogue } from '../lang/test-support.ts';
import { MemoryStore } from '../state/index.ts';
import { Backtest, compileFiles, type StrategyUnderTest } from './index.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

const login = (id: string, ts: number, account: string, success: boolean, ip = '10.0.0.1') =>
  ({ id, type: 'login', ts, account, device: 'd1', ip, success, method: 'password' });
const order = (id: string, ts: number, account: string, amount: number, card = 'c1') =>
  ({ id, type: 'order', ts, account, seller: 's1', product: 'p1', quantity: 1, amount, currency: 'USD', card, address: 'addr', device: 'd1', ip: '10.0.0.1' });

function strategy(src: string, version: string): StrategyUnderTest {
  return compileFiles(withCatalogue(src), version, null);
}

/** What an independent replay on fresh state decides for each first occurrence of an event id. */
function replay(s: StrategyUnderTest, events: unknown[]): Map<string, Decision | { rejected: string }> {
  const lists = new Lists(null);
  for (const l of s.plan.lists) lists.ref(l.name, l.personal).replace(s.lists.get(l.name) ?? []);
  const e = new Engine(s.plan, { store: new MemoryStore<Decision>({ latenessMs: s.plan.latenessMs }), lists });
  const out = new Map<string, Decision | { rejected: string }>();
  for (const raw of events) {
    const id = (raw as { id: string }).id;
    const d = e.decide(raw);
    if (out.has(id)) continue;
    out.set(id, isRejection(d) ? { rejected: d.error.code } : d);
  }
  return out;
}

function bruteTransitions(cand: Map<string, Decision | { rejected: string }>, base: Map<string, Decision | { rejected: string }>): Record<string, number> {
  const t: Record<string, number> = {};
  for (const [id, c] of cand) {
    const b = base.get(id)!;
    if ('rejected' in c || 'rejected' in b || c.verdict === b.verdict) continue;
    const k = `${b.verdict}->${c.verdict}`;
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

function verdictMix(m: Map<string, Decision | { rejected: string }>): Record<string, number> {
  const v: Record<string, number> = { allow: 0, challenge: 0, review: 0, block: 0 };
  for (const d of m.values()) if (!('rejected' in d)) v[d.verdict]!++;
  return v;
}

function ruleHits(m: Map<string, Decision | { rejected: string }>): Record<string, number> {
  const h: Record<string, number> = {};
  for (const d of m.values()) if (!('rejected' in d)) for (const r of d.rules) h[r.rule] = (h[r.rule] ?? 0) + 1;
  return h;
}

// ---- random small strategies ----
const FEATURES: [string, 'login' | 'order'][] = [
  ['count(login by account over 10m)', 'login'],
  ['count(login by account over 1h)', 'login'],
  ['count(login by account where not success over 30m)', 'login'],
  ['distinct(login.ip by account over 1d)', 'login'],
  ['sum(order.amount by account over 1h)', 'order'],
  ['count(order by card over 1h)', 'order'],
];
const VERDICTS = ['', 'challenge', 'review', 'block'];

const ruleArb = fc.record({
  feature: fc.integer({ min: 0, max: FEATURES.length - 1 }),
  at: fc.integer({ min: 1, max: 4 }),
  verdict: fc.integer({ min: 0, max: 3 }),
  points: fc.integer({ min: 0, max: 60 }),
  setsLabel: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
  readsLabel: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
});

interface RuleSpec { feature: number; at: number; verdict: number; points: number; setsLabel: number | null; readsLabel: number | null }

function source(rules: RuleSpec[]): string {
  const out: string[] = [];
  rules.forEach((r, i) => {
    const [expr, on] = FEATURES[r.feature]!;
    const threshold = expr.startsWith('sum') ? r.at * 40 : r.at;
    out.push(`feature f${i} = ${expr}`);
    out.push(`rule r${i} on ${on}\n  when f${i} >= ${threshold}${r.verdict ? `\n  then ${VERDICTS[r.verdict]}` : ''}\n  score +${r.points}${r.setsLabel !== null ? `\n  label account "L${r.setsLabel}" for 1h` : ''}`);
    if (r.readsLabel !== null) out.push(`rule h${i} on ${on === 'login' ? 'order' : 'login'}\n  when account has label "L${r.readsLabel}"\n  then ${VERDICTS[1 + (r.verdict % 3)]}`);
  });
  out.push('scoring\n  challenge at 50\n  block at 100');
  return out.join('\n\n') + '\n';
}

const eventsArb = fc.array(fc.record({
  kind: fc.integer({ min: 0, max: 9 }),
  account: fc.constantFrom('a1', 'a2', 'a3'),
  gapSec: fc.integer({ min: 0, max: 900 }),
  success: fc.boolean(),
  ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3'),
  amount: fc.integer({ min: 1, max: 120 }),
  card: fc.constantFrom('c1', 'c2'),
}), { minLength: 5, maxLength: 60 }).map((xs) => {
  let ts = T0;
  return xs.map((x, i) => {
    // kind 9: a duplicate of the previous event; kind 8: an event 10 minutes back (late beyond the 5m lateness).
    if (x.kind === 9 && i > 0) return { id: `e${i - 1}`, dup: true } as const;
    ts += x.gapSec * 1000;
    const at = x.kind === 8 ? ts - 600_000 : ts;
    return x.kind < 5 ? login(`e${i}`, at, x.account, x.success, x.ip) : order(`e${i}`, at, x.account, x.amount, x.card);
  });
}).map((xs) => {
  const out: unknown[] = [];
  const byId = new Map<string, unknown>();
  for (const x of xs) {
    if ('dup' in x) { const prev = byId.get(x.id); if (prev) out.push(prev); continue; }
    byId.set(x.id, x);
    out.push(x);
  }
  return out;
});

test('backtest transitions, verdict mix and rule hits equal two independent replays (random strategies with labels)', () => {
  fc.assert(fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 5 }), fc.array(ruleArb, { minLength: 1, maxLength: 5 }), eventsArb, (cr, br, events) => {
    const cand = strategy(source(cr), 'cand');
    const base = strategy(source(br), 'base');
    const bt = new Backtest({ candidate: cand, baseline: base });
    assert.equal(bt.state, 'shared');
    for (const raw of events) bt.decideRaw(raw);
    const r = bt.report();
    const c = replay(cand, events);
    const b = replay(base, events);
    assert.deepEqual(r.transitions, Object.fromEntries(Object.entries(bruteTransitions(c, b)).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))));
    assert.deepEqual(r.candidate.verdicts, verdictMix(c));
    assert.deepEqual(r.baseline!.verdicts, verdictMix(b));
    const hits = (s: typeof r.candidate) => Object.fromEntries(s.rules.filter((x) => x.hits > 0).map((x) => [x.rule, x.hits]));
    assert.deepEqual(hits(r.candidate), ruleHits(c));
    assert.deepEqual(hits(r.baseline!), ruleHits(b));
    assert.equal(r.changed, Object.values(r.transitions).reduce((s, n) => s + n, 0));
  }), { numRuns: 150 });
});

test('per-strategy state gives the same answer as shared state', () => {
  fc.assert(fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), fc.array(ruleArb, { minLength: 1, maxLength: 4 }), eventsArb, (cr, br, events) => {
    const cand = strategy(source(cr), 'cand');
    const base = strategy(source(br), 'base');
    // Different list contents force one store per strategy.
    const baseOwn = strategy(source(br) + '\nlist extra\n', 'base');
    baseOwn.lists.set('extra', ['x']);
    const cand2 = strategy(source(cr) + '\nlist extra\n', 'cand');
    const shared = new Backtest({ candidate: cand, baseline: base });
    const apart = new Backtest({ candidate: cand2, baseline: baseOwn });
    assert.equal(apart.state, 'per-strategy');
    for (const raw of events) { shared.decideRaw(raw); apart.decideRaw(raw); }
    const a = shared.report();
    const b = apart.report();
    assert.deepEqual(a.transitions, b.transitions);
    assert.deepEqual(a.candidate.verdicts, b.candidate.verdicts);
    assert.deepEqual(a.baseline!.verdicts, b.baseline!.verdicts);
  }), { numRuns: 60 });
});

test("a label the candidate sets is not seen by the baseline, and the baseline's own labels are", () => {
  const base = strategy(`
rule fails on login
  when count(login by account where not success over 10m) >= 2
  label account "base_flag" for 1h
rule base_reads on order
  when account has label "base_flag"
  then review
rule base_reads_cand on order
  when account has label "cand_flag"
  then block
`, 'base');
  const cand = strategy(`
rule fails on login
  when count(login by account where not success over 10m) >= 2
  label account "cand_flag" for 1h
rule cand_reads on order
  when account has label "cand_flag"
  then challenge
`, 'cand');
  const bt = new Backtest({ candidate: cand, baseline: base, samples: 5 });
  assert.equal(bt.state, 'shared');
  bt.decideRaw(login('l1', T0, 'a', false));
  bt.decideRaw(login('l2', T0 + 1000, 'a', false));
  bt.decideRaw(order('o1', T0 + 2000, 'a', 10));
  const r = bt.report();
  assert.deepEqual(r.transitions, { 'review->challenge': 1 });
  assert.deepEqual(r.baseline!.rules.find((x) => x.rule === 'base_reads_cand')!.hits, 0);
  const s = r.samples[0]!;
  assert.equal(s.event_id, 'o1');
  assert.deepEqual(s.added.map((h) => h.rule), ['cand_reads']);
  assert.deepEqual(s.removed.map((h) => h.rule), ['base_reads']);
});

test('shared aggregates are updated once: a feature both strategies use counts each event once', () => {
  const src = `
rule many on login
  when count(login by account over 1h) >= 3
  then review
`;
  const bt = new Backtest({ candidate: strategy(src, 'c'), baseline: strategy(src + '\nrule other on order\n  when true\n  then challenge\n', 'b') });
  for (let i = 0; i < 3; i++) bt.decideRaw(login(`l${i}`, T0 + i, 'a', true));
  const r = bt.report();
  assert.equal(r.candidate.verdicts.review, 1);
  assert.equal(r.baseline!.verdicts.review, 1);
  assert.equal(r.changed, 0);
});

test('per-rule precision and recall against labels; unique entities hit', () => {
  const s = strategy(`
rule many on login
  when count(login by account over 1h) >= 2
  then review
`, 'v1');
  const truth = { events: new Map([['l1', 'ato'], ['l2', 'ato'], ['l9', 'ato']]), entities: new Map([['account:a', 'ato']]) };
  const bt = new Backtest({ candidate: s, truth });
  bt.decideRaw(login('l1', T0, 'a', false));
  bt.decideRaw(login('l2', T0 + 1, 'a', false));
  bt.decideRaw(login('l3', T0 + 2, 'b', true));
  bt.decideRaw(login('l4', T0 + 3, 'b', true));
  bt.decideRaw(login('l9', T0 + 4, 'c', true));
  const r = bt.report();
  const many = r.candidate.rules.find((x) => x.rule === 'many')!;
  assert.equal(many.hits, 2);
  assert.equal(many.entities, 2);
  assert.equal(many.precision, 0.5); // l2 is an attack, l4 is not
  assert.equal(many.recall, 0.3333); // of l1, l2, l9
  assert.equal(many.entity_precision, 0.5); // a is an attacker, b is not
  assert.equal(r.candidate.precision, 0.5);
  assert.equal(r.labels!.attack_events_seen, 3);
});
