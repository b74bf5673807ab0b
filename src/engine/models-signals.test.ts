import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStrategy, compileStrategy, formatError, type StrategyModel } from '../lang/index.ts';
import { withCatalogue } from '../lang/test-support.ts';
import { MemoryStore } from '../state/index.ts';
import { Engine, isRejection, type Decision } from './index.ts';

const T0 = Date.UTC(2026, 2, 1);

/** A small logistic model over two inputs; reasons are coefficient × value. */
function linearModel(weights: Record<string, number>, bias: number): StrategyModel {
  const inputs = Object.keys(weights).map((name) => ({ name, type: 'number' as const }));
  const w = Object.values(weights);
  return {
    inputs,
    score(row) { let z = bias; for (let i = 0; i < w.length; i++) z += w[i]! * (Number.isNaN(row[i]!) ? 0 : row[i]!); return 1 / (1 + Math.exp(-z)); },
    reasons(row, k) { return inputs.map((x, i) => ({ feature: x.name, contribution: w[i]! * (Number.isNaN(row[i]!) ? 0 : row[i]!) })).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, k); },
  };
}

const SRC = `
signal ring_size on Account
feature fails_10m = count(login by account where not success over 10m)
feature ips_1d = distinct(login.ip by account over 1d)
feature login_risk = model("login_risk", 2)

rule big_ring on login
  when (ring_size(account) ?? 0) >= 5
  then review
  because "account is in a ring of {fails_10m}"

rule risky_login on login
  when login_risk > 0.9
  then challenge
`;

const models = new Map([['login_risk@2', linearModel({ fails_10m: 1.5, ips_1d: 0.5 }, -6)]]);
const login = (id: string, ts: number, account: string, success: boolean, ip = '10.0.0.1') => ({ id, type: 'login', ts, account, device: 'd', ip, success, method: 'password' });

test('signals and models are checked: declared types, known models, inputs that exist', () => {
  const errs = (src: string, m = models) => checkStrategy(withCatalogue(src), m).errors.map(formatError);
  assert.deepEqual(errs(SRC), []);
  assert.match(errs('signal s on Planet')[0]!, /unknown entity type 'Planet'/);
  assert.match(errs('signal s on Account\nrule r on login\n  when s(device) > 1')[0]!, /signal s is declared on Account, not on Device/);
  assert.match(errs('signal s on Account\nrule r on login\n  when s(account) > 1')[0]!, /s\(account\) may be null/);
  assert.match(errs('feature f = model("nope", 1)')[0]!, /unknown model nope@1; registered models: login_risk@2/);
  assert.match(errs('feature f = model("login_risk")')[0]!, /model takes a model name and a version/);
  const noInput = new Map([['m@1', linearModel({ not_a_feature: 1 }, 0)]]);
  assert.match(errs('feature f = model("m", 1)', noInput)[0]!, /unknown name 'not_a_feature'/);
});

test('a model feature is scored inline and its reason codes are in the trace; signals are read from state', () => {
  const c = compileStrategy(withCatalogue(SRC), { models });
  assert.ok(c.ok, c.ok ? '' : c.errors.map(formatError).join('\n'));
  if (!c.ok) return;
  const store = new MemoryStore<Decision>({ latenessMs: c.plan.latenessMs });
  const e = new Engine(c.plan, { store });
  const decide = (ev: object) => { const d = e.decide(ev); if (isRejection(d)) throw new Error(d.error.message); return d; };
  for (let i = 0; i < 4; i++) assert.equal(decide(login(`f${i}`, T0 + i * 1000, 'a', false, `10.0.0.${i}`)).verdict, 'allow');
  const d = decide(login('f4', T0 + 5000, 'a', false, '10.0.0.9'));
  assert.equal(d.verdict, 'challenge');
  const hit = d.rules.find((r) => r.rule === 'risky_login')!;
  const traced = hit.values.login_risk as { score: number; reasons: { feature: string; contribution: number }[] };
  const z = -6 + 1.5 * 5 + 0.5 * 5;
  assert.ok(Math.abs(traced.score - 1 / (1 + Math.exp(-z))) < 1e-12);
  assert.deepEqual(traced.reasons.map((r) => r.feature), ['fails_10m', 'ips_1d']);
  assert.equal(traced.reasons[0]!.contribution, 7.5);

  assert.deepEqual(decide(login('s1', T0 + 6000, 'b', true)).rules.map((r) => r.rule), []);
  store.signals.set('Account:b', 'ring_size', 7);
  assert.deepEqual(decide(login('s2', T0 + 7000, 'b', true)).rules.map((r) => r.rule), ['big_ring']);
  // Signals survive a snapshot.
  const restored = MemoryStore.restore<Decision>(store.snapshot());
  assert.equal(restored.signals.get('Account:b', 'ring_size'), 7);
});
