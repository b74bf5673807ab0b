// Organised-abuse detectors on small hand-made traffic: each planted group is found and named, benign pairs are not.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { attackerAccounts, detectOrganised, GraphFeed, scoreGroups } from './index.ts';
import { addressKey } from './feed.ts';

const H = 3_600_000;

function plantedFeed(): GraphFeed {
  const f = new GraphFeed();
  let n = 0;
  const ev = (type: string, ts: number, fields: Record<string, unknown>): void => f.add({ id: `e${n++}`, type, ts, ...fields });
  // a benign household: two accounts, one tablet, one address
  ev('signup', 0, { account: 'h1', device: 'tab', ip: '10.0.0.1', email: 'ann@x.com' });
  ev('signup', 10, { account: 'h2', device: 'tab', ip: '10.0.0.1', email: 'bob@x.com' });
  // a coupon household: 6 accounts, Gmail variants, one card, one address typed two ways, all redeem WELCOME10
  for (let i = 0; i < 6; i++) {
    const a = `c${i}`;
    ev('signup', H + i * 1000, { account: a, device: i % 2 ? 'cd1' : 'cd2', ip: '20.0.0.1', email: i % 2 ? `jo.doe+${i}@gmail.com` : `J.o.doe@googlemail.com` });
    ev('coupon_redeem', H + i * 1000 + 10, { account: a, coupon: 'WELCOME10', card: '4111', address: i % 2 ? '1 Oak Street, Apt 4B, Leeds' : '1 oak st. unit 4b leeds' });
  }
  // ban evasion: an abuser harasses two people, goes silent, a new account on the same phone does it again
  for (const [a, t0] of [['b1', 0], ['b2', 10 * H]] as const) {
    ev('signup', t0, { account: a, device: 'bd', ip: '30.0.0.1', email: `${a}@mail.com` });
    for (let k = 0; k < 6; k++) ev('message', t0 + 1000 + k, { account: a, target: k % 2 ? 'victim1' : 'victim2', device: 'bd', ip: '30.0.0.1' });
  }
  // a click farm: 8 accounts on 2 phones like and view the same 3 videos in the same minutes, 4 jobs
  for (let j = 0; j < 4; j++) {
    for (let i = 0; i < 8; i++) {
      const t = 20 * H + j * 5 * H + i * 5000;
      ev('view', t, { account: `f${i}`, content: `v${j % 3}`, creator: 'buyer', device: `fd${i % 2}`, ip: '40.0.0.1' });
      ev('like', t + 100, { account: `f${i}`, content: `v${j % 3}`, creator: 'buyer', device: `fd${i % 2}`, ip: '40.0.0.1' });
    }
  }
  return f;
}

test('addressKey folds case, punctuation, suffixes and unit markers', () => {
  assert.equal(addressKey('1 Oak Street, Apt 4B, Leeds'), addressKey('1 oak st. unit 4b leeds'));
  assert.notEqual(addressKey('1 Oak Street'), addressKey('2 Oak Street'));
});

test('planted coupon household, ban evasion and click farm are found, named and explained', () => {
  const { groups } = detectOrganised(plantedFeed(), { now: 0 });
  const byKind = (k: string) => groups.filter((g) => g.kind === k);
  assert.deepEqual(byKind('coupon_abuse').map((g) => g.accounts), [['c0', 'c1', 'c2', 'c3', 'c4', 'c5']]);
  assert.deepEqual(byKind('ban_evasion').map((g) => g.accounts), [['b1', 'b2']]);
  const farm = byKind('click_farm');
  assert.equal(farm.length, 1);
  assert.deepEqual(farm[0]!.accounts, ['buyer', 'f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
  for (const g of groups) {
    assert.ok(g.explanation.length > 20, g.explanation);
    assert.ok(!g.accounts.includes('h1') || g.kind === 'linked_ring', 'the benign household is never named after a campaign');
  }
  const labels = [...['c0', 'c1', 'c2', 'c3', 'c4', 'c5'].map((a) => ({ entity: `account:${a}`, kind: 'coupon_abuse', role: 'attacker' })), { entity: 'account:b1', kind: 'ban_evasion', role: 'attacker' }];
  const s = scoreGroups(groups, attackerAccounts(labels));
  const coupon = s.find((x) => x.kind === 'coupon_abuse')!;
  assert.equal(coupon.precision, 1);
  assert.equal(coupon.recall, 1);
  assert.equal(s.find((x) => x.kind === 'ban_evasion')!.precision, 0.5);
});

test('group ids are stable across runs on the same data', () => {
  const a = detectOrganised(plantedFeed(), { now: 0 }).groups.map((g) => g.id);
  const b = detectOrganised(plantedFeed(), { now: 0 }).groups.map((g) => g.id);
  assert.deepEqual(a, b);
});

test('the feed expires actions and links older than maxAge', () => {
  const f = new GraphFeed({ maxAge: H });
  f.add({ id: 'a', type: 'like', ts: 0, account: 'x', content: 'c', creator: 'k', device: 'd' });
  f.add({ id: 'b', type: 'like', ts: 3 * H, account: 'y', content: 'c', creator: 'k', device: 'd2' });
  const dropped = f.expire();
  assert.equal(dropped.actions, 1);
  assert.ok(dropped.edges >= 2);
  assert.equal(f.actions('engage').length, 1);
});
