// Simulator contract: determinism, ordering, catalogue conformance, campaign coverage, label integrity, scaling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  CAMPAIGN_KINDS, EVENT_CATALOGUE, EVENT_ENVELOPE, SCENARIOS, checkEvent, simulate, writeSimulation,
  type EntityLabel, type EventLabel, type Label, type SimEvent, type SimOptions,
} from './index.ts';

function run(opts: SimOptions): { events: SimEvent[]; labels: Label[]; summary: ReturnType<typeof simulate> } {
  const events: SimEvent[] = [];
  const labels: Label[] = [];
  const summary = simulate(opts, (e, l) => { for (const x of e) events.push(x); for (const x of l) labels.push(x); });
  return { events, labels, summary };
}

function digest(opts: SimOptions): string {
  const h = createHash('sha256');
  simulate(opts, (e, l) => { for (const x of e) h.update(JSON.stringify(x) + '\n'); for (const x of l) h.update(JSON.stringify(x) + '\n'); });
  return h.digest('hex');
}

test('same seed gives byte-identical output, another seed differs', () => {
  const a = digest({ seed: 7, events: 30_000 });
  assert.equal(digest({ seed: 7, events: 30_000 }), a);
  assert.notEqual(digest({ seed: 8, events: 30_000 }), a);
});

test('exactly the requested number of events, time-ordered, for any seed and size', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 3000 }), (seed, n) => {
    const { events } = run({ seed, events: n });
    assert.equal(events.length, n);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.ts >= events[i - 1]!.ts);
  }), { numRuns: 6, examples: [[0, 0], [1, 1], [907846084, 0]] });
});

test('default scenario at 200k events', async (t) => {
  const { events, labels, summary } = run({ seed: 1, events: 200_000 });
  const ids = new Map<string, SimEvent>();
  for (const e of events) ids.set(e.id, e);

  await t.test('ids unique, ts ordered and starting at the default start', () => {
    assert.equal(ids.size, events.length);
    assert.equal(events.length, 200_000);
    assert.ok(events[0]!.ts >= Date.UTC(2026, 0, 5));
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.ts >= events[i - 1]!.ts, `event ${i} out of order`);
  });

  await t.test('every event matches the catalogue', () => {
    const bad: string[] = [];
    for (const e of events) {
      const p = checkEvent(e);
      if (p.length && bad.length < 5) bad.push(`${JSON.stringify(e)}: ${p.join('; ')}`);
    }
    assert.deepEqual(bad, []);
  });

  await t.test('every event type and every campaign kind is present', () => {
    const types = new Set(events.map((e) => e.type));
    for (const type of Object.keys(EVENT_CATALOGUE)) assert.ok(types.has(type as SimEvent['type']), `no ${type} events`);
    const kinds = new Set(labels.filter((l): l is EventLabel => 'event' in l).map((l) => l.kind));
    for (const k of CAMPAIGN_KINDS) {
      assert.ok(kinds.has(k), `no ${k} events`);
      assert.ok((summary.kinds[k] ?? 0) > 0);
    }
  });

  await t.test('labels reference existing events and well-formed entities', () => {
    const labelled = new Set<string>();
    for (const l of labels) {
      assert.ok((CAMPAIGN_KINDS as readonly string[]).includes(l.kind));
      assert.match(l.campaign, /^[a-z_]+-\d+$/);
      assert.ok(l.campaign.startsWith(l.kind));
      if ('event' in l) {
        assert.ok(ids.has(l.event), `label for unknown event ${l.event}`);
        assert.ok(!labelled.has(l.event), `event ${l.event} labelled twice`);
        labelled.add(l.event);
      } else {
        const el = l as EntityLabel;
        assert.match(el.entity, /^(account|device|ip|email|phone|card|address|seller|product|content|coupon|room|api_key|domain):./);
        assert.ok(el.role === 'attacker' || el.role === 'victim');
      }
    }
    assert.equal(labelled.size, Object.values(summary.campaigns).reduce((a, b) => a + b, 0));
    assert.equal(labels.length, summary.labels);
    // Taken-over accounts and defrauded card holders are victims.
    const victims = labels.filter((l) => 'role' in l && l.role === 'victim') as EntityLabel[];
    assert.ok(victims.some((v) => v.kind === 'account_takeover' && v.entity.startsWith('account:')));
    assert.ok(victims.some((v) => v.kind === 'gift_fraud' && v.entity.startsWith('card:')));
  });

  await t.test('no ground truth leaks into events', () => {
    const allowed = new Set(Object.keys(EVENT_ENVELOPE));
    for (const spec of Object.values(EVENT_CATALOGUE)) for (const f of Object.keys(spec.fields)) allowed.add(f);
    for (const bad of ['campaign', 'kind', 'role', 'stage', 'label', 'attack', 'benign']) assert.ok(!allowed.has(bad));
    for (const e of events) for (const k of Object.keys(e)) assert.ok(allowed.has(k), `field ${k} in ${e.type}`);
  });

  await t.test('reviews cite earlier orders', () => {
    let cited = 0;
    for (const e of events) {
      if (e.type !== 'review' || e['order_id'] === undefined) continue;
      const o = ids.get(e['order_id'] as string);
      assert.ok(o && o.type === 'order' && o.ts <= e.ts, `review ${e.id} cites ${String(e['order_id'])}`);
      cited++;
    }
    assert.ok(cited > 0);
  });

  await t.test('old accounts first appear with a login, new ones with a signup', () => {
    const first = new Map<string, SimEvent>();
    for (const e of events) if (typeof e['account'] === 'string' && !first.has(e['account'])) first.set(e['account'], e);
    let signups = 0;
    let logins = 0;
    for (const e of first.values()) { if (e.type === 'signup') signups++; if (e.type === 'login') logins++; }
    assert.ok(signups > 100 && logins > 1000, `signups ${signups} logins ${logins}`);
  });
});

test('single-kind scenarios contain only that kind; benign has no labels', () => {
  for (const scenario of SCENARIOS) {
    if (scenario === 'default') continue;
    const { labels, summary } = run({ seed: 3, events: 20_000, scenario });
    const kinds = new Set(labels.map((l) => l.kind));
    if (scenario === 'benign') assert.equal(labels.length, 0);
    else {
      assert.deepEqual([...kinds], [scenario], `scenario ${scenario}`);
      assert.ok((summary.kinds[scenario] ?? 0) > 0, `scenario ${scenario} has no attack events`);
    }
  }
  assert.throws(() => simulate({ seed: 1, events: 10, scenario: 'nope' }, () => {}), /unknown scenario/);
});

test('benign account count scales with events', () => {
  const acting = (n: number): number => {
    const s = new Set<string>();
    simulate({ seed: 5, events: n, scenario: 'benign' }, (e) => { for (const x of e) if (typeof x['account'] === 'string') s.add(x['account']); });
    return s.size;
  };
  const small = acting(10_000);
  const large = acting(60_000);
  assert.ok(large > small * 3.5, `${small} → ${large}`);
  assert.ok(large > 60_000 / 40, `only ${large} accounts at 60k events`);
});

test('writeSimulation writes the same stream as simulate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-sim-'));
  try {
    const opts = { seed: 11, events: 5_000 };
    const written = await writeSimulation(dir, opts);
    const { events, labels } = run(opts);
    const lines = readFileSync(written.eventsPath, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5_000);
    assert.equal(lines.join('\n'), events.map((e) => JSON.stringify(e)).join('\n'));
    const ls = readFileSync(written.labelsPath, 'utf8').trimEnd();
    assert.equal(ls, labels.map((l) => JSON.stringify(l)).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/events.md documents every type and field', () => {
  const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  for (const [type, spec] of Object.entries(EVENT_CATALOGUE)) {
    assert.ok(doc.includes(`## \`${type}\``), `no section for ${type}`);
    for (const f of Object.keys(spec.fields)) assert.ok(doc.includes(`\`${f}\``), `${type}.${f} undocumented`);
  }
});
