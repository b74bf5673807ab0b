import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileStrategy } from '../lang/index.ts';
import { eventShapes, parseTruth, runEvaluation, type EvalReport } from './index.ts';

// A tiny catalogue and strategy whose decisions are obvious, so every figure below is computed by hand.
const STRATEGY = `
entity Account
entity Device
entity Ip personal
entity Creator
entity ApiKey
event signup { account: Account
  device: Device
  ip: Ip }
event like { account: Account
  creator: Creator
  device: Device }
event message { account: Account
  target: Account
  link_domains: list<string> }
event api_call { api_key: ApiKey?
  ip: Ip }
rule farm on signup
  when count(signup by device over 1h) >= 2
  then review
rule farm_like on like
  when device == "d1"
  then review
rule odd_like on like
  when device == "d9"
  then challenge
rule links on message
  when length(link_domains) > 0
  then block
`;

const T = Date.parse('2026-01-05T00:00:00Z');
const EVENTS = [
  { id: 'e1', type: 'signup', ts: T, account: 'a1', device: 'd1', ip: '1.1.1.1' }, // attack, allow
  { id: 'e2', type: 'signup', ts: T + 1000, account: 'a2', device: 'd1', ip: '1.1.1.2' }, // attack, review: a2 d1 1.1.1.2
  { id: 'e3', type: 'signup', ts: T + 2000, account: 'b1', device: 'd2', ip: '2.2.2.2' }, // benign, allow
  { id: 'e4', type: 'message', ts: T + 3000, account: 'a2', target: 'b1', link_domains: ['spam.xyz'] }, // attack, block: a2 spam.xyz
  { id: 'e5', type: 'message', ts: T + 4000, account: 'b1', target: 'a1', link_domains: ['ok.com'] }, // benign, block: b1 blocked
  { id: 'e6', type: 'like', ts: T + 5000, account: 'b2', creator: 'a9', device: 'd9' }, // benign, challenge
  { id: 'e7', type: 'like', ts: T + 6000, account: 'a3', creator: 'c1', device: 'd3' }, // attack, allow
  { id: 'e8', type: 'like', ts: T + 7000, account: 'a2', creator: 'c1', device: 'd1' }, // attack, review: c1 as creator
  { id: 'e9', type: 'message', ts: T + 8000, account: 'v1', target: 'b1', link_domains: ['x.com'] }, // victim's own event, block
  { id: 'e10', type: 'message', ts: T + 9000, account: 'b3', target: 'b1', link_domains: ['spam.xyz'] }, // attack naming b3, block
];
const LABELS = [
  ...['e1', 'e2', 'e7', 'e8'].map((e) => ({ event: e, campaign: 'fake_accounts-1', kind: 'fake_accounts' })),
  ...['account:a1', 'account:a2', 'account:a3', 'account:c1', 'device:d1', 'device:d3', 'ip:1.1.1.1', 'ip:1.1.1.2']
    .map((entity) => ({ entity, campaign: 'fake_accounts-1', kind: 'fake_accounts', role: 'attacker' })),
  { event: 'e4', campaign: 'spam-1', kind: 'spam' },
  { event: 'e10', campaign: 'spam-1', kind: 'spam' },
  ...['account:a2', 'domain:spam.xyz', 'domain:never.xyz'].map((entity) => ({ entity, campaign: 'spam-1', kind: 'spam', role: 'attacker' })),
  { entity: 'account:v1', campaign: 'spam-1', kind: 'spam', role: 'victim' },
];

function evaluate(): EvalReport {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-eval-'));
  writeFileSync(join(dir, 'events.ndjson'), EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(join(dir, 'labels.ndjson'), LABELS.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const r = runEvaluation({ strategy: { 'main.bw': STRATEGY }, events: join(dir, 'events.ndjson'), labels: join(dir, 'labels.ndjson') });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.report;
}

test('per-kind figures on a hand-made stream', () => {
  const r = evaluate();
  assert.equal(r.events, 10);
  assert.deepEqual(r.verdicts, { allow: 3, challenge: 1, review: 2, block: 4 });
  const fa = r.campaigns.find((k) => k.kind === 'fake_accounts')!;
  // e2 and e8 of e1, e2, e7, e8 are actioned.
  assert.equal(fa.attack_events, 4);
  assert.equal(fa.event_recall, 0.5);
  // a2, d1, 1.1.1.2 (e2), c1 (creator of e8) and a1 (target of the blocked e5: any field counts) of 8 attacker entities.
  assert.equal(fa.attacker_entities, 8);
  assert.equal(fa.actor_recall, 0.625);
  assert.deepEqual(fa.actor_recall_by_type, { account: [3, 4], device: [1, 2], ip: [1, 2] });
  // One attack event (e1) went through before the first review (e2).
  assert.equal(fa.median_events_before_action, 1);
  assert.equal(fa.campaigns_missed, 0);
  // farm and farm_like action only a2.
  assert.equal(fa.precision, 1);
  assert.equal(fa.actioned_accounts, 1);

  const spam = r.campaigns.find((k) => k.kind === 'spam')!;
  assert.equal(spam.event_recall, 1);
  // a2 and spam.xyz (an item of link_domains) of a2, spam.xyz, never.xyz.
  assert.equal(spam.actor_recall, 0.6667);
  assert.equal(spam.median_events_before_action, 0);
  // `links` actions a2 (attacker) and b1 (benign); v1 is a victim, b3 was only named by an attack event.
  assert.equal(spam.precision, 0.5);
  assert.equal(spam.actioned_accounts, 2);
});

test('benign impact counts the accounts acting in unlabelled events', () => {
  const r = evaluate();
  // b1 (blocked on e5) and b2 (challenged on e6); b1 as a message target and b3 as named in an attack are not actors.
  assert.deepEqual(r.benign, { accounts: 2, blocked: 1, actioned: 2, blocked_rate: 0.5, actioned_rate: 1, named_in_actioned_attacks: 1 });
  assert.deepEqual(r.overall, { actioned_accounts: 3, attacker_accounts: 1, benign_accounts: 1, victim_accounts: 1, precision: 0.5 });
  assert.deepEqual(r.benign_by_rule, { links: 1 });
});

test('entity fields map to label prefixes', () => {
  const c = compileStrategy({ 'main.bw': STRATEGY });
  assert.ok(c.ok);
  const shapes = eventShapes(c.plan.checked);
  assert.deepEqual(shapes.get('like')!.refs.map((r) => [r.name, r.types]), [['account', ['account']], ['creator', ['creator', 'account']], ['device', ['device']]]);
  assert.deepEqual(shapes.get('message')!.refs.find((r) => r.name === 'link_domains')!.types, ['domain']);
  assert.deepEqual(shapes.get('api_call')!.refs.map((r) => r.types[0]), ['apikey', 'ip']);
  assert.deepEqual(shapes.get('message')!.actors, ['account']);
});

test('labels: victims only when never attackers, bad lines skipped', () => {
  const t = parseTruth([
    '{"entity":"account:x","campaign":"c-1","kind":"k","role":"victim"}',
    '{"entity":"account:y","campaign":"c-1","kind":"k","role":"victim"}',
    '{"entity":"account:y","campaign":"c-2","kind":"k","role":"attacker"}',
    '{"entity":"Api_Key:k1","campaign":"c-2","kind":"k","role":"attacker"}',
    'not json',
  ].join('\n'));
  assert.deepEqual([...t.victimAccounts], ['x']);
  assert.ok(t.attackers.has('apikey:k1'));
  assert.equal(t.skipped, 1);
  assert.equal(t.campaigns.length, 2);
});
