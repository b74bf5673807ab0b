// Lockstep detection: injected synchronized groups among random accounts are found; random accounts are not grouped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionLogBuilder, detectLockstep } from './lockstep.ts';
import { f1, injectedActions } from './synthetic.ts';

const MINUTE = 60_000;

test('injected synchronized groups are found with precision and recall ≥ 0.9', () => {
  const { log, groups } = injectedActions({
    accounts: 20_000,
    targets: 5_000,
    actionsPerAccount: [3, 40],
    groups: [8, 15, 30, 60, 120],
    scriptLength: 30,
    participation: 0.85,
    horizon: 7 * 24 * 60 * MINUTE,
    bucketWidth: MINUTE,
    seed: 99,
  });
  // members keep their own random activity as cover, so pairwise Jaccard is only ~0.25–0.4: lower the bar
  // and use shorter bands (LSH threshold (1/40)^(1/3) ≈ 0.29) to match
  const res = detectLockstep(log, { bucketWidth: MINUTE, minGroupSize: 5, similarity: 0.25, bands: 40, rows: 3, seed: 4 });
  assert.equal(res.error, undefined);
  const truthOf = new Map<number, number>();
  groups.forEach((g, i) => g.forEach((a) => truthOf.set(a, i)));
  const found = res.groups.flatMap((g) => g.evidence.accounts.map(String));
  const score = f1(found, [...truthOf.keys()].map(String));
  assert.ok(score.precision >= 0.9 && score.recall >= 0.9, JSON.stringify(score));
  // per injected group: one found group holds nearly all of it, nothing from outside
  for (const [i, g] of groups.entries()) {
    const best = res.groups.map((x) => x.evidence.accounts.filter((a) => truthOf.get(a) === i).length).sort((a, b) => b - a)[0] ?? 0;
    assert.ok(best >= 0.9 * g.length, `group ${i}: ${best}/${g.length} in one found group`);
  }
  const randomGrouped = found.filter((a) => !truthOf.has(Number(a))).length;
  assert.ok(randomGrouped <= 2, `${randomGrouped} random accounts grouped`);
  const top = res.groups[0]!;
  assert.equal(top.kind, 'lockstep');
  assert.ok(res.groups.every((g) => g.evidence.meanSimilarity >= 0.25 && g.evidence.meanSimilarity <= 1), "mean of verified pairs respects the threshold");
  assert.ok(top.evidence.sharedActions.length > 10);
  assert.ok(top.evidence.sharedActions.every((s) => s.accounts * 2 >= top.size && s.bucketStart % MINUTE === 0));
  assert.ok(res.candidatePairs < 50 * log.accounts, `candidate pairs ${res.candidatePairs} stay near linear`);
});

test('random accounts alone form no lockstep group', () => {
  const { log } = injectedActions({
    accounts: 10_000, targets: 3_000, actionsPerAccount: [5, 50], groups: [], scriptLength: 0,
    participation: 0, horizon: 30 * 24 * 60 * MINUTE, bucketWidth: MINUTE, seed: 5,
  });
  const res = detectLockstep(log, { bucketWidth: MINUTE });
  assert.deepEqual(res.groups, []);
  assert.ok(res.considered > 9000);
});

test('string ids through the builder, evidence names targets and windows', () => {
  const b = new ActionLogBuilder();
  const t0 = 1_700_000_000_000;
  for (let a = 0; a < 4; a++) {
    for (let k = 0; k < 8; k++) b.add(`bot${a}`, `post${k}`, t0 + k * 10 * MINUTE + a * 1000);
  }
  for (let k = 0; k < 8; k++) b.add('human', `post${k}`, t0 + k * 10 * MINUTE + 5 * MINUTE);
  const res = detectLockstep(b.build(), { bucketWidth: MINUTE, ...b.refs('account', 'content') });
  assert.equal(res.groups.length, 1);
  const g = res.groups[0]!;
  assert.deepEqual(g.members.map((m) => m.id).sort(), ['bot0', 'bot1', 'bot2', 'bot3']);
  assert.equal(g.evidence.meanSimilarity, 1);
  assert.equal(g.score, 4);
  assert.deepEqual(g.evidence.sharedActions[0], { target: { type: 'content', id: 'post0' }, bucketStart: t0 - (t0 % MINUTE), accounts: 4 });
  assert.match(g.explanation, /4 accounts acted in lockstep: 8 \(target, 60000-unit window\) actions/);
});
