// The console's server side: activity series, the check route, entity search and links, audit filters, static pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Activity } from './activity.ts';
import { buildApp } from './http.ts';
import { login, SERVICE_TEST_STRATEGY, startService, T0 } from './test-support.ts';
import type { Decision } from '../engine/decision.ts';

const decision = (verdict: Decision['verdict'], score: number, rules: string[] = []): Decision =>
  ({ event_id: 'e', event_type: 'login', ts: 0, verdict, score, rules: rules.map((rule) => ({ rule, verdict: null, points: 0, reason: null, queue: null, values: {} })), labels: [], queues: [], strategy: 's@1' });

test('activity buckets decisions by arrival: totals, verdicts, score bins, rule series and events per second', () => {
  let now = Date.UTC(2026, 10, 21, 12, 0, 0);
  const a = new Activity(() => now);
  for (let s = 0; s < 30; s++) {
    for (let i = 0; i < 10; i++) a.record(decision(i === 0 ? 'block' : 'allow', i === 0 ? 100 : 5, i === 0 ? ['r_block'] : []));
    now += 1000;
  }
  const five = a.series('5m');
  assert.equal(five.ts.length, 300);
  assert.equal(five.totals.events, 300);
  assert.equal(five.totals.block, 30);
  assert.equal(five.totals.allow, 270);
  assert.equal(five.events.reduce((x, y) => x + y, 0), 300);
  assert.equal(five.events.at(-1), 0, 'the current second has nothing yet');
  assert.equal(five.events.at(-2), 10);
  assert.equal(five.scores.counts[0]!.reduce((x, y) => x + y, 0), 270, 'score 5 falls in the first bin');
  assert.equal(five.scores.counts[10]!.reduce((x, y) => x + y, 0), 30, 'score 100 falls in the last bin');
  assert.deepEqual(five.top_rules.map((r) => [r.rule, r.hits]), [['r_block', 30]]);
  assert.equal(five.eps, 10);
  const hour = a.series('1h');
  assert.equal(hour.bucket_ms, 10_000);
  assert.equal(hour.totals.events, 300, 'the coarse ring holds the same decisions');
  // An hour later the fine ring no longer shows them; the 24 h range still does.
  now += 3600_000;
  assert.equal(a.series('5m').totals.events, 0);
  assert.equal(a.series('1h').totals.events, 0);
  assert.equal(a.series('24h').totals.events, 300);
  assert.equal(a.eps(), 0);
});

test('a rule whose hit rate jumps in the last fifth of the range against its own baseline is reported', () => {
  let now = Date.UTC(2026, 10, 21, 12, 0, 0);
  const a = new Activity(() => now);
  for (let s = 0; s < 300; s++) {
    const late = s >= 250;
    for (let i = 0; i < 10; i++) {
      const rules = ['steady'];
      if (i < (late ? 5 : 0) || (!late && s % 50 === 0 && i === 0)) rules.push('spiking');
      a.record(decision('allow', 0, rules));
    }
    now += 1000;
  }
  const r = a.series('5m');
  const jump = r.jumps.find((j) => j.rule === 'spiking');
  assert.ok(jump, `spiking should jump: ${JSON.stringify(r.jumps)}`);
  assert.ok(jump.ratio > 10, `ratio ${jump.ratio}`);
  assert.ok(!r.jumps.some((j) => j.rule === 'steady'), 'a rule at a steady rate is not a jump');
});

test('console routes: overview, check as you type, entity search and linked entities', async (t) => {
  const s = await startService();
  t.after(() => s.close());
  // Two accounts share a device; a third signs in alone.
  const events = [
    login('c1', T0, 'alice', false, { device: 'shared-dev' }),
    login('c2', T0 + 1000, 'alice', true, { device: 'shared-dev' }),
    login('c3', T0 + 2000, 'bob', true, { device: 'shared-dev' }),
    login('c4', T0 + 3000, 'carol', true, { device: 'd-carol', ip: '198.51.100.9' }),
  ];
  for (const e of events) assert.equal((await s.call('POST', '/v1/decide', e)).status, 200);

  const ov = await s.call('GET', '/v1/console/overview?range=5m');
  assert.equal(ov.status, 200);
  assert.equal(ov.body.totals.events, 4);
  assert.equal(ov.body.strategy, s.svc.engine.plan.version);
  assert.equal((await s.call('GET', '/v1/console/overview?range=2d')).status, 400);
  assert.equal((await s.call('GET', '/v1/console/overview', undefined, { key: null })).status, 401);

  // A broken rule: the error comes back at its line and column, and nothing is stored.
  const broken = { ...SERVICE_TEST_STRATEGY, 'rules.bw': SERVICE_TEST_STRATEGY['rules.bw']!.replace('when failed_logins_account_10m >= 5', 'when (failed_logins_account_10m >= 5') };
  const bad = await s.call('POST', '/v1/strategies/check', { files: broken });
  assert.equal(bad.status, 200);
  assert.equal(bad.body.ok, false);
  const e = bad.body.errors[0];
  assert.equal(e.file, 'rules.bw');
  assert.equal(e.code, 'syntax');
  assert.ok(e.line >= 6 && e.col >= 1, JSON.stringify(e));
  const good = await s.call('POST', '/v1/strategies/check', { files: SERVICE_TEST_STRATEGY });
  assert.equal(good.body.ok, true);
  assert.deepEqual(good.body.errors, []);
  assert.ok(good.body.summary.rules >= 4 && good.body.summary.events >= 5, JSON.stringify(good.body.summary));
  assert.equal((await s.call('POST', '/v1/strategies/check', { files: 'rules' })).status, 400);
  assert.equal((await s.call('GET', '/v1/strategies')).body.strategies.length, 1, 'checking stored nothing');

  const found = await s.call('GET', '/v1/entities?q=alice');
  assert.deepEqual(found.body.matches.map((m: { entity: string }) => m.entity), ['Account:alice']);
  assert.equal(found.body.matches[0].decisions, 2);
  assert.deepEqual((await s.call('GET', '/v1/entities?q=nobody')).body.matches, []);
  assert.equal((await s.call('GET', '/v1/entities?q=%20%20')).status, 400, 'a blank id is refused');
  assert.equal((await s.call('GET', '/v1/entities')).status, 400);
  const padded = await s.call('GET', '/v1/entities?q=%20alice%20');
  assert.deepEqual(padded.body.matches.map((m: { entity: string }) => m.entity), ['Account:alice'], 'the id is trimmed');

  const links = await s.call('GET', '/v1/entities/Account/alice/links');
  assert.equal(links.status, 200);
  const hop = Object.fromEntries(links.body.nodes.map((n: { id: string; hop: number }) => [n.id, n.hop]));
  assert.equal(hop['Account:alice'], 0);
  assert.equal(hop['Device:shared-dev'], 1);
  assert.equal(hop['Account:bob'], 2, 'bob shares the device');
  assert.equal(hop['Account:carol'], undefined, 'carol shares nothing');
  const edge = (a: string, b: string) => links.body.edges.find((x: { source: string; target: string }) => (x.source === a && x.target === b) || (x.source === b && x.target === a));
  assert.equal(edge('Account:alice', 'Device:shared-dev').weight, 2, 'two events, counted once each');
  assert.equal(edge('Account:bob', 'Device:shared-dev').weight, 1);
  const ipNode = links.body.nodes.find((n: { type: string }) => n.type === 'Ip');
  assert.ok(ipNode && ipNode.id.startsWith('Ip:~') && !ipNode.label.includes('203.0.113.7'), 'personal ids are shown by their pseudonym, marked ~');
  // The marked pseudonym finds the same persona as the raw id.
  const byPseudonym = await s.call('GET', `/v1/entities/Ip/${encodeURIComponent(ipNode.label)}`);
  const byRaw = await s.call('GET', '/v1/entities/Ip/203.0.113.7');
  assert.equal(byPseudonym.body.state_id, byRaw.body.state_id);
  assert.equal(byPseudonym.body.decisions.length, byRaw.body.decisions.length);
  assert.ok(byRaw.body.decisions.length >= 3);
  assert.equal((await s.call('GET', '/v1/entities/Nope/x/links')).status, 404);
});

test('audit log filters by time range and by prefix', async (t) => {
  const s = await startService();
  t.after(() => s.close());
  const before = Date.now() - 1;
  for (const name of ['alpha', 'beta']) assert.equal((await s.call('POST', '/v1/keys', { name, scopes: ['read'] })).status, 201);
  const all = await s.call('GET', `/v1/audit?from=${before}`);
  assert.equal(all.body.entries.filter((e: { action: string }) => e.action === 'key.create').length, 2);
  assert.equal((await s.call('GET', `/v1/audit?to=${before}&action=key.create`)).body.entries.filter((e: { after: { name?: string } }) => ['alpha', 'beta'].includes(e.after?.name ?? '')).length, 0);
  const prefix = await s.call('GET', '/v1/audit?action=key.*');
  assert.ok(prefix.body.entries.length >= 2 && prefix.body.entries.every((e: { action: string }) => e.action.startsWith('key.')));
  assert.equal((await s.call('GET', '/v1/audit?action=key%25')).body.entries.length, 0, '% is a literal, not a wildcard');
  assert.equal((await s.call('GET', '/v1/audit?from=yesterday')).status, 400);
});

test('the console is served at / and its routes reload to index.html; the API keeps its JSON 404s', async (t) => {
  const s = await startService();
  t.after(() => s.close());
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root">console</div>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  const app = buildApp(s.svc, { console: dir });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const empty = mkdtempSync(join(tmpdir(), 'bulwark-console-none-'));
  const bare = buildApp(s.svc, { console: empty });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => { await app.close(); await bare.close(); rmSync(dir, { recursive: true }); rmSync(empty, { recursive: true }); });
  const html = { accept: 'text/html,application/xhtml+xml' };

  const root = await fetch(url + '/', { headers: html });
  assert.equal(root.status, 200);
  assert.match(await root.text(), /console/);
  const deep = await fetch(url + '/cases/12?tab=evidence', { headers: html });
  assert.equal(deep.status, 200);
  assert.match(deep.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await deep.text(), /console/);
  const asset = await fetch(url + '/assets/app-1.js');
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await fetch(url + '/assets/missing.js', { headers: html })).status, 404, 'a missing asset is a 404, not the page');
  const api = await fetch(url + '/v1/nothing-here', { headers: html });
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error.code, 'not_found');
  assert.equal((await fetch(url + '/cases/12', { method: 'POST', headers: { ...html, 'content-type': 'application/json' }, body: '{}' })).status, 404);

  const notBuilt = await fetch(bareUrl + '/', { headers: html });
  assert.equal(notBuilt.status, 200);
  assert.match(await notBuilt.text(), /not built/);
});
