// The per-event pipeline: prepare, dedupe, lateness, load keys, update aggregates once, evaluate live and shadow plans, commit.
import { createHash } from 'node:crypto';
import { hash53, type Aggregate, type KeySpace } from '../features/index.ts';
import { NeighbourGraph } from '../graph/index.ts';
import { LINKED_ENTITY, VERDICT_RANK, type BadEvent, type Ctx, type EventFn, type LinkedReader, type Plan, type PreparedEvent, type Verdict } from '../lang/index.ts';
import type { MemoryStore } from '../state/index.ts';
import { isRejection, type Decision, type LabelEffect, type Outcome, type Rejection, type RuleHit } from './decision.ts';
import { Lists } from './lists.ts';

export interface EngineOptions {
  store: MemoryStore<Decision>;
  lists?: Lists;
  /** Keyed hash for personal fields; null keeps raw values (tests, or an operator's explicit choice). */
  pseudonymise?: ((v: string) => string) | null;
  /** Receives every shadow decision; shadows are never returned or acted on. */
  onShadow?: (decision: Decision, event: PreparedEvent) => void;
}

/** One compiled plan bound to the store: its state objects and its reusable evaluation context. */
class Bound {
  readonly ctx: Ctx;
  readonly keyspaceMap = new Map<string, Int32Array>(); // event type -> plan key space index -> union index
  readonly lastSeen: number[];
  constructor(readonly plan: Plan, store: MemoryStore<Decision>, lists: Lists, linked: LinkedReader) {
    const keyspaces = plan.keyspaces.map((k) => k.signature);
    this.ctx = {
      ev: null as unknown as PreparedEvent,
      ts: 0,
      f: new Array(plan.features.length).fill(null),
      fired: new Uint8Array(plan.rules.length),
      rows: new Int32Array(plan.keyspaces.length).fill(-1),
      aggs: plan.aggregates.map((a) => store.aggregate({ signature: a.signature, kind: a.kind, keyspace: keyspaces[a.keyspace]!, windowMs: a.windowMs })),
      prior: new Array(plan.aggregates.length).fill(undefined),
      labels: store.labels,
      lists: plan.lists.map((l) => lists.ref(l.name, l.personal)),
      signals: store.signals,
      linked: plan.linked ? linked : null,
    };
    this.lastSeen = plan.aggregates.flatMap((a, i) => (a.kind === 'last_seen' ? [i] : []));
  }
}

interface UnionUpdate {
  agg: Aggregate;
  ks: number; // union key space index
  filter: EventFn<boolean> | null;
  value: EventFn<number | null> | null;
  distinct: EventFn<string | null> | null;
  priors: { ctx: Ctx; agg: number }[]; // last_seen: where to put the value read before adding
}

interface UnionPlan {
  keyspaces: { ks: KeySpace; key: EventFn<string | null> }[];
  updates: UnionUpdate[];
}

export class Engine {
  readonly store: MemoryStore<Decision>;
  readonly lists: Lists;
  private live: Bound;
  private shadows: Bound[] = [];
  private union = new Map<string, UnionPlan>();
  private keys: (string | null)[] = [];
  private rows = new Int32Array(0);
  private readonly pseudonymise: ((v: string) => string) | null;
  private onShadow: ((d: Decision, ev: PreparedEvent) => void) | null;
  /** linked() reads the store's neighbour graph; a linked account counts as flagged while it carries any label. */
  private readonly linked: LinkedReader;
  private readonly flagged: (account: string, ts: number) => boolean;

  constructor(plan: Plan, opts: EngineOptions) {
    this.store = opts.store;
    this.lists = opts.lists ?? new Lists(opts.pseudonymise ?? null);
    this.pseudonymise = opts.pseudonymise ?? null;
    this.onShadow = opts.onShadow ?? null;
    const store = this.store;
    const flagged = (this.flagged = (account: string, ts: number): boolean => store.labels.any(`${LINKED_ENTITY}:${account}`, ts));
    this.linked = { measure: (account, m, ts) => (store.neighbours === null ? null : store.neighbours.measure(account, m, ts, flagged)) };
    this.live = new Bound(plan, this.store, this.lists, this.linked);
    this.rebuild();
  }

  get plan(): Plan { return this.live.plan; }

  /** Feature values by slot that the live plan computed for the last decided event (only that type's features are current). */
  get liveFeatures(): readonly unknown[] { return this.live.ctx.f; }

  /** Receives every shadow decision with its event (replaces the listener given at construction). */
  setShadowListener(fn: ((d: Decision, ev: PreparedEvent) => void) | null): void { this.onShadow = fn; }
  get shadowPlans(): Plan[] { return this.shadows.map((s) => s.plan); }

  /** Makes `plan` live. State is shared by aggregate signature, so unchanged features keep their history. */
  setLive(plan: Plan): void {
    this.live = new Bound(plan, this.store, this.lists, this.linked);
    this.shadows = this.shadows.filter((s) => s.plan.version !== plan.version);
    this.rebuild();
  }

  addShadow(plan: Plan): void {
    this.shadows = this.shadows.filter((s) => s.plan.version !== plan.version);
    this.shadows.push(new Bound(plan, this.store, this.lists, this.linked));
    this.rebuild();
  }

  removeShadow(version: string): boolean {
    const n = this.shadows.length;
    this.shadows = this.shadows.filter((s) => s.plan.version !== version);
    this.rebuild();
    return this.shadows.length !== n;
  }

  /** Live, then shadows: one union of key spaces and aggregate updates so shared state is updated once. */
  private rebuild(): void {
    this.union.clear();
    const all = [this.live, ...this.shadows];
    // The link graph costs memory and a few µs per event: kept while some plan reads linked(), dropped when none does.
    if (all.some((b) => b.plan.linked)) this.store.neighbours ??= new NeighbourGraph({ rawValues: this.pseudonymise === null });
    else this.store.neighbours = null;
    const ksIndex = new Map<string, number>();
    const ksList: { ks: KeySpace; key: EventFn<string | null> }[] = [];
    for (const b of all) {
      for (const [type, ep] of b.plan.events) {
        let u = this.union.get(type);
        if (!u) { u = { keyspaces: [], updates: [] }; this.union.set(type, u); }
        const local = new Int32Array(b.plan.keyspaces.length).fill(-1);
        for (const k of ep.keyspaces) {
          const kp = b.plan.keyspaces[k]!;
          let gi = ksIndex.get(kp.signature);
          if (gi === undefined) { gi = ksList.length; ksIndex.set(kp.signature, gi); ksList.push({ ks: this.store.keyspace(kp.signature), key: kp.key }); }
          local[k] = gi;
        }
        b.keyspaceMap.set(type, local);
        for (const up of ep.updates) {
          const agg = b.ctx.aggs[up.agg] as Aggregate;
          let uu = u.updates.find((x) => x.agg === agg);
          if (!uu) {
            uu = { agg, ks: local[up.keyspace]!, filter: up.filter, value: up.value, distinct: up.distinct, priors: [] };
            u.updates.push(uu);
          }
          if (up.capturePrior) uu.priors.push({ ctx: b.ctx, agg: up.agg });
        }
      }
    }
    // Each event type loads only the key spaces its plans use; indexes are global so plans can share rows.
    for (const [type, u] of this.union) {
      const used = new Set<number>();
      for (const b of all) { const m = b.keyspaceMap.get(type); if (m) for (const g of m) if (g >= 0) used.add(g); }
      const remap = new Map([...used].sort((a, b) => a - b).map((g, i) => [g, i]));
      // Rewrite global indexes to positions in this event type's load list.
      const order = [...used].sort((a, b) => a - b);
      u.keyspaces = order.map((g) => ksList[g]!);
      for (const up of u.updates) up.ks = remap.get(up.ks)!;
      for (const b of all) {
        const m = b.keyspaceMap.get(type);
        if (m) for (let i = 0; i < m.length; i++) if (m[i]! >= 0) m[i] = remap.get(m[i]!)!;
      }
    }
    const width = Math.max(ksList.length, 1);
    this.keys = new Array(width).fill(null);
    this.rows = new Int32Array(width);
  }

  /** Validates and prepares a raw event, then decides it. */
  decide(raw: unknown): Outcome {
    const prepared = this.prepare(raw);
    if ('error' in prepared) return prepared as Rejection;
    return this.decidePrepared(prepared);
  }

  prepare(raw: unknown): PreparedEvent | Rejection {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { event_id: null, error: { code: 'bad_event', message: 'an event must be a JSON object' } };
    }
    const r = raw as Record<string, unknown>;
    const id = typeof r.id === 'string' ? r.id : null;
    const type = r.type;
    if (typeof type !== 'string') return { event_id: id, error: { code: 'bad_event', field: 'type', message: type === undefined ? 'missing required field type' : 'type must be a string' } };
    const ep = this.live.plan.events.get(type);
    if (!ep) return { event_id: id, error: { code: 'unknown_type', field: 'type', message: `unknown event type '${type.slice(0, 100)}'; this strategy knows: ${[...this.live.plan.events.keys()].join(', ')}` } };
    const p = ep.prepare(r, this.pseudonymise);
    if ((p as BadEvent).code !== undefined) {
      const b = p as BadEvent;
      return { event_id: id, error: { code: b.code, field: b.field, message: b.message } };
    }
    return p as PreparedEvent;
  }

  /** Decides an event that is already prepared (as stored in the log): the replay and backtest path. */
  decidePrepared(ev: PreparedEvent): Outcome {
    const store = this.store;
    const prior = store.prior(ev.id);
    if (prior !== undefined) return prior;
    if (store.isLate(ev.ts)) {
      return { event_id: ev.id, error: { code: 'late', field: 'ts', message: `event is more than ${this.live.plan.latenessMs / 1000}s older than the newest event seen (${new Date(store.watermark).toISOString()})` } };
    }
    const u = this.union.get(ev.type);
    if (!u) return { event_id: ev.id, error: { code: 'unknown_type', field: 'type', message: `unknown event type '${ev.type}'` } };
    this.loadAndUpdate(u, ev);
    if (store.neighbours !== null) store.neighbours.link(ev);

    const decision = this.evaluate(this.live, ev)!;
    for (let i = 0; i < this.shadows.length; i++) {
      const d = this.evaluate(this.shadows[i]!, ev);
      if (d && this.onShadow) this.onShadow(d, ev);
    }
    this.commit(ev, decision);
    return decision;
  }

  /**
   * Recovery: re-applies an event that was decided and logged before a restart. Aggregates are updated
   * as when it was decided and the logged decision's effects are applied; rules are not re-evaluated,
   * so the state follows the log even if the strategy has changed since.
   */
  applyLogged(ev: PreparedEvent, decision: Decision): void {
    if (this.store.prior(ev.id) !== undefined) return;
    const u = this.union.get(ev.type);
    if (u) this.loadAndUpdate(u, ev);
    if (this.store.neighbours !== null) this.store.neighbours.link(ev);
    this.commit(ev, decision);
  }

  /** Commit: label effects of the live decision, then the dedupe record (which also advances the watermark). */
  private commit(ev: PreparedEvent, decision: Decision): void {
    const store = this.store;
    for (let i = 0; i < decision.labels.length; i++) {
      const l = decision.labels[i]!;
      if (l.op === 'set') store.labels.set(l.entity, l.label, l.expires_at ?? Infinity);
      else store.labels.clear(l.entity, l.label);
    }
    store.record(ev.id, ev.ts, decision);
    // the decision itself: linked() on this event saw its links but not its outcome
    if (store.neighbours !== null) store.neighbours.outcome(ev, decision.verdict, decision.score);
  }

  private loadAndUpdate(u: UnionPlan, ev: PreparedEvent): void {
    const ts = ev.ts;
    // Load: one key lookup per key space.
    const keys = this.keys;
    const rows = this.rows;
    const kss = u.keyspaces;
    for (let i = 0; i < kss.length; i++) {
      keys[i] = kss[i]!.key(ev);
      rows[i] = UNLOADED;
    }
    this.clearPriors(this.live);
    for (let i = 0; i < this.shadows.length; i++) this.clearPriors(this.shadows[i]!);
    // Update: every aggregate this event feeds, once, before features read (windows include the current event).
    const ups = u.updates;
    for (let i = 0; i < ups.length; i++) {
      const up = ups[i]!;
      const key = keys[up.ks];
      if (key === null || key === undefined) continue;
      if (up.filter !== null && !up.filter(ev)) continue;
      let v = 0;
      if (up.value !== null) { const x = up.value(ev); if (x === null) continue; v = x; }
      else if (up.distinct !== null) { const s = up.distinct(ev); if (s === null) continue; v = hash53(s); }
      let row = rows[up.ks]!;
      if (row < 0) { row = kss[up.ks]!.ks.ensure(key, ts); rows[up.ks] = row; }
      for (let j = 0; j < up.priors.length; j++) { const p = up.priors[j]!; p.ctx.prior[p.agg] = up.agg.read(row, ts); }
      up.agg.add(row, ts, v);
    }
    for (let i = 0; i < kss.length; i++) {
      if (rows[i] !== UNLOADED) continue;
      const key = keys[i];
      rows[i] = key === null || key === undefined ? -1 : kss[i]!.ks.row(key);
    }
  }

  private clearPriors(b: Bound): void {
    for (let i = 0; i < b.lastSeen.length; i++) b.ctx.prior[b.lastSeen[i]!] = undefined;
  }

  /** Key spaces keyed by one field of the given entity type, with the features of the live plan that read them. */
  private entityKeyspaces(entityType: string): { signature: string; features: Map<string, string[]> }[] {
    const out: { signature: string; features: Map<string, string[]> }[] = [];
    const suffix = `:${entityType}`;
    const checked = this.live.plan.checked;
    for (const ks of this.live.plan.keyspaces) {
      if (!ks.signature.endsWith(suffix) || !/^[A-Za-z_][A-Za-z0-9_]*:[A-Za-z]+$/.test(ks.signature)) continue;
      const features = new Map<string, string[]>();
      for (const [name, f] of checked.features) {
        const info = f.expr.kind === 'agg' ? checked.aggOf.get(f.expr) : undefined;
        if (info && info.keyspace === ks.signature) features.set(info.signature, [...(features.get(info.signature) ?? []), name]);
      }
      out.push({ signature: ks.signature, features });
    }
    return out;
  }

  /** What the state holds about one entity: aggregate values at the newest event time, and labels. */
  persona(entityType: string, id: string): { features: { name: string | null; signature: string; value: number | null }[]; labels: { label: string; expires_at: number | null }[] } {
    const ts = Number.isFinite(this.store.watermark) ? this.store.watermark : 0;
    const features: { name: string | null; signature: string; value: number | null }[] = [];
    for (const ks of this.entityKeyspaces(entityType)) {
      for (const p of this.store.persona(ks.signature, id, ts)) {
        const names = ks.features.get(p.signature);
        for (const name of names ?? [null]) features.push({ name, signature: p.signature, value: p.value });
      }
    }
    const labels = this.store.labels.list(`${entityType}:${id}`, ts).map((l) => ({ label: l.label, expires_at: Number.isFinite(l.expiresAt) ? l.expiresAt : null }));
    return { features, labels };
  }

  /** Every linked() measure of an account at the newest event time; null while no plan reads linked(). */
  linkedMeasures(account: string): Record<string, number | null> | null {
    const ng = this.store.neighbours;
    return ng === null ? null : ng.measures(account, this.store.watermark, this.flagged);
  }

  /**
   * A digest of everything the state holds that decisions can read — every aggregate of every key at the
   * newest event time, labels, watermark — independent of memory layout, so two stores can be compared.
   */
  stateDigest(): { digest: string; keys: number; labels: number; watermark: number } {
    const h = createHash('sha256');
    const ts = this.store.watermark;
    h.update(`watermark ${ts}\n`);
    let keys = 0;
    const sigs = [...new Set([this.live, ...this.shadows].flatMap((b) => b.plan.keyspaces.map((k) => k.signature)))].sort();
    for (const sig of sigs) {
      const rows: string[] = [];
      this.store.keyspace(sig).forEachRow((_row, key) => { rows.push(key); });
      rows.sort();
      keys += rows.length;
      for (const key of rows) {
        const values = this.store.persona(sig, key, ts);
        // A row that holds nothing readable (expired, not yet evicted) is the same as no row.
        if (values.every((p) => p.value === 0 || p.value === null)) { keys--; continue; }
        h.update(`${sig}\u0000${key}\u0000${JSON.stringify(values.map((p) => [p.signature, p.value]))}\n`);
      }
    }
    const labels: string[] = [];
    this.store.labels.forEach((entity, label, exp) => { if (exp > ts - this.live.plan.latenessMs) labels.push(`${entity}\u0000${label}\u0000${exp}`); });
    labels.sort();
    for (const l of labels) h.update(l + '\n');
    return { digest: h.digest('hex'), keys, labels: labels.length, watermark: ts };
  }

  /** Subject erasure: drops the entity's rows in every key space keyed by it alone, and its labels. */
  erase(entityType: string, id: string): { rows: number; labels: number } {
    let rows = 0;
    for (const ks of this.entityKeyspaces(entityType)) if (this.store.keyspace(ks.signature).remove(id)) rows++;
    if (this.store.neighbours !== null && this.store.neighbours.erase(entityType, id)) rows++;
    return { rows, labels: this.store.labels.clearEntity(`${entityType}:${id}`) };
  }

  private evaluate(b: Bound, ev: PreparedEvent): Decision | null {
    const ep = b.plan.events.get(ev.type);
    if (!ep) return null;
    const c = b.ctx;
    c.ev = ev;
    c.ts = ev.ts;
    const map = b.keyspaceMap.get(ev.type)!;
    for (let i = 0; i < map.length; i++) { const g = map[i]!; c.rows[i] = g >= 0 ? this.rows[g]! : -1; }
    const feats = ep.features;
    for (let i = 0; i < feats.length; i++) { const f = feats[i]!; c.f[f.slot] = f.fn(c); }

    let score = 0;
    let rank = 0;
    let hits: RuleHit[] | null = null;
    let labels: LabelEffect[] | null = null;
    let queues: string[] | null = null;
    const rules = ep.rules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (!r.when(c)) { c.fired[r.index] = 0; continue; }
      c.fired[r.index] = 1;
      const points = r.points !== null ? r.points(c) : 0;
      score += points;
      if (r.verdict !== null && VERDICT_RANK[r.verdict] > rank) rank = VERDICT_RANK[r.verdict];
      const values: Record<string, unknown> = {};
      for (const t of r.trace) values[t.name] = t.get(c);
      (hits ??= []).push({ rule: r.name, verdict: r.verdict, points, reason: r.reason !== null ? r.reason(c) : null, queue: r.queue, values });
      if (r.queue !== null && !(queues ??= []).includes(r.queue)) queues.push(r.queue);
      for (const l of r.labels) {
        const id = l.entity(c);
        if (id === null || id === undefined) continue;
        (labels ??= []).push({ op: l.op, entity: `${l.entityType}:${id as string}`, label: l.label, expires_at: l.op === 'set' && l.forMs !== null ? ev.ts + l.forMs : null });
      }
    }
    const th = b.plan.thresholds;
    for (let i = 0; i < th.length; i++) if (score >= th[i]!.at && VERDICT_RANK[th[i]!.verdict] > rank) rank = VERDICT_RANK[th[i]!.verdict];
    return {
      event_id: ev.id,
      event_type: ev.type,
      ts: ev.ts,
      verdict: VERDICTS_BY_RANK[rank]!,
      score,
      rules: hits ?? (NONE as unknown as RuleHit[]),
      labels: labels ?? (NONE as unknown as LabelEffect[]),
      queues: queues ?? (NONE as unknown as string[]),
      strategy: b.plan.version,
    };
  }
}

/** A key space whose row this event has not looked up yet (ensure and row both give -1 or more). */
const UNLOADED = -2;

const VERDICTS_BY_RANK: Verdict[] = ['allow', 'challenge', 'review', 'block'];
// Most decisions fire nothing: they share one frozen empty array instead of allocating three.
const NONE: readonly never[] = Object.freeze([]);

export { isRejection };
