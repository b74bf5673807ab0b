// A backtest: candidate and baseline replayed side by side, in one pass, on fresh state, compared event by event.
import { Engine, isRejection, Lists, type Decision, type Outcome, type Rejection } from '../engine/index.ts';
import type { Plan, PreparedEvent } from '../lang/index.ts';
import { LabelStore, MemoryStore } from '../state/index.ts';
import { Comparison, type ComparisonReport } from './compare.ts';
import type { GroundTruth } from './truth.ts';

/** A compiled strategy with the values of its lists (file values plus any the control plane added). */
export interface StrategyUnderTest {
  plan: Plan;
  lists: Map<string, string[]>;
}

export interface BacktestOptions {
  candidate: StrategyUnderTest;
  baseline?: StrategyUnderTest | null;
  /** The keyed hash raw events are prepared with; null keeps raw values. Events from a log are already prepared. */
  pseudonymise?: ((v: string) => string) | null;
  truth?: GroundTruth | null;
  /** Sample events kept per verdict transition. */
  samples?: number;
  /** Logged decisions will be given with the events: report `mismatches`. */
  againstLog?: boolean;
}

export interface BacktestReport extends ComparisonReport {
  /** How state was held: one store shared by aggregate signature, or one store per strategy. */
  state: 'shared' | 'per-strategy' | 'single';
  seconds: number;
  events_per_sec: number;
  /** With a log to compare against: candidate decisions that differ from the logged ones. */
  mismatches?: number;
  compared?: number;
  mismatch_samples?: { event_id: string; logged: Decision; backtest: Outcome }[];
}

/**
 * Whether two plans can run in one engine over one store: the live plan's schema, lateness, event types and list
 * contents then hold for both, and aggregates with the same signature are the same state. Labels are kept apart
 * separately (see `Backtest`).
 */
export function canShareState(a: StrategyUnderTest, b: StrategyUnderTest): boolean {
  if (a.plan.latenessMs !== b.plan.latenessMs) return false;
  const ta = [...a.plan.events.keys()].sort();
  const tb = [...b.plan.events.keys()].sort();
  if (ta.join('\0') !== tb.join('\0')) return false;
  for (const t of ta) if (schemaOf(a.plan, t) !== schemaOf(b.plan, t)) return false;
  for (const [name, values] of a.lists) {
    const other = b.lists.get(name);
    if (other === undefined) continue;
    if (values.length !== other.length || [...values].sort().join('\n') !== [...other].sort().join('\n')) return false;
  }
  const pa = new Map(a.plan.lists.map((l) => [l.name, l.personal]));
  for (const l of b.plan.lists) if (pa.has(l.name) && pa.get(l.name) !== l.personal) return false;
  return true;
}

function schemaOf(plan: Plan, type: string): string {
  const ev = plan.checked.events.get(type)!;
  return JSON.stringify([...ev.fields.values()].map((f) => [f.name, f.type, f.optional, f.personal]));
}

function listsFor(s: StrategyUnderTest, pseudonymise: ((v: string) => string) | null, into = new Lists(pseudonymise)): Lists {
  for (const l of s.plan.lists) into.ref(l.name, l.personal).replace(s.lists.get(l.name) ?? []);
  return into;
}

function applyLabels(labels: LabelStore, d: Decision): void {
  for (let i = 0; i < d.labels.length; i++) {
    const l = d.labels[i]!;
    if (l.op === 'set') labels.set(l.entity, l.label, l.expires_at ?? Infinity);
    else labels.clear(l.entity, l.label);
  }
}

/**
 * Runs the candidate (and baseline) over events fed one at a time. Shared state: the candidate is the engine's live
 * plan and the baseline a shadow, so aggregates both use are updated once; the baseline is bound while the store's
 * label table is its own, so it reads only labels its own decisions set (the engine applies only live effects; the
 * baseline's are applied here from the shadow listener) and neither plan's labels leak into the other.
 */
export class Backtest {
  readonly comparison: Comparison;
  readonly state: BacktestReport['state'];
  private readonly cand: Engine;
  private readonly base: Engine | null;
  private readonly baseLabels: LabelStore | null = null;
  private shadowDecision: Decision | null = null;
  private mismatches = 0;
  private compared = 0;
  private readonly mismatchSamples: { event_id: string; logged: Decision; backtest: Outcome }[] = [];
  private readonly t0 = performance.now();
  private busyMs = 0;

  constructor(readonly opts: BacktestOptions) {
    const ps = opts.pseudonymise ?? null;
    const cand = opts.candidate;
    const base = opts.baseline ?? null;
    const store = new MemoryStore<Decision>({ latenessMs: cand.plan.latenessMs });
    this.cand = new Engine(cand.plan, { store, lists: listsFor(cand, ps), pseudonymise: ps });
    if (base === null) {
      this.state = 'single';
      this.base = null;
    } else if (canShareState(cand, base)) {
      this.state = 'shared';
      this.base = null;
      const own = new LabelStore();
      this.baseLabels = own;
      listsFor(base, ps, this.cand.lists);
      // The engine binds a plan's label reads to store.labels when the plan is added: swap it for the baseline's own table.
      const live = store.labels;
      (store as { labels: LabelStore }).labels = own;
      try { this.cand.addShadow(base.plan); } finally { (store as { labels: LabelStore }).labels = live; }
      this.cand.setShadowListener((d) => { this.shadowDecision = d; applyLabels(own, d); });
    } else {
      this.state = 'per-strategy';
      this.base = new Engine(base.plan, { store: new MemoryStore<Decision>({ latenessMs: base.plan.latenessMs }), lists: listsFor(base, ps), pseudonymise: ps });
    }
    this.comparison = new Comparison(cand.plan, base?.plan ?? null, { truth: opts.truth ?? null, samples: opts.samples });
  }

  get candidateEngine(): Engine { return this.cand; }

  /** A raw event as a product sends it (from an NDJSON file): each strategy prepares it with its own schema. */
  decideRaw(raw: unknown, logged?: Decision): Outcome {
    const t = performance.now();
    const p = this.cand.prepare(raw);
    let out: Outcome;
    if ('error' in p) {
      out = p as Rejection;
      let base: Outcome | null = null;
      if (this.state === 'shared') base = out;
      else if (this.base) { const bp = this.base.prepare(raw); base = 'error' in bp ? (bp as Rejection) : this.base.decidePrepared(bp as PreparedEvent); }
      this.comparison.add(null, out, base);
    } else if (this.base) {
      const bp = this.base.prepare(raw);
      out = 'error' in bp ? this.pair(p as PreparedEvent, bp as Rejection, null) : this.pair(p as PreparedEvent, null, bp as PreparedEvent);
    } else out = this.pair(p as PreparedEvent, null, p as PreparedEvent);
    if (logged !== undefined && !isDup(out)) this.compareLogged(logged, out);
    this.busyMs += performance.now() - t;
    return out;
  }

  /** An event as stored in the log (already prepared and pseudonymised); `logged` is the decision the server returned. */
  decidePrepared(ev: PreparedEvent, logged?: Decision): Outcome {
    const t = performance.now();
    const out = this.pair(ev, null, ev);
    if (logged !== undefined && !isDup(out)) this.compareLogged(logged, out);
    this.busyMs += performance.now() - t;
    return out;
  }

  private pair(ev: PreparedEvent, baseRejected: Rejection | null, baseEv: PreparedEvent | null): Outcome {
    const store = this.cand.store;
    if (store.prior(ev.id) !== undefined) { this.comparison.duplicate(); return DUPLICATE; }
    this.shadowDecision = null;
    const out = this.cand.decidePrepared(ev);
    let base: Outcome | null = null;
    if (this.state === 'shared') base = isRejection(out) ? out : this.shadowDecision;
    else if (this.base) base = baseRejected ?? this.base.decidePrepared(baseEv!);
    this.comparison.add(ev, out, base);
    return out;
  }

  /** Compares the candidate's decision with the logged one, byte for byte except the strategy name. */
  private compareLogged(logged: Decision, out: Outcome): void {
    this.compared++;
    if (!isRejection(out) && sameDecision(logged, out)) return;
    this.mismatches++;
    if (this.mismatchSamples.length < 5) this.mismatchSamples.push({ event_id: logged.event_id, logged, backtest: out });
  }

  /** A label set or cleared outside decisions (an analyst, the API): a fact both strategies see. */
  applyManualLabel(op: 'set' | 'clear', entity: string, label: string, expiresAt: number | null): void {
    for (const labels of this.labelTables()) {
      if (op === 'set') labels.set(entity, label, expiresAt ?? Infinity);
      else labels.clear(entity, label);
    }
  }

  /** A signal set on an entity (graph detection, batch models), as recorded in the log: both strategies see it. */
  applySignal(entity: string, name: string, value: number | null): void {
    this.cand.store.signals.set(entity, name, value);
    if (this.base && this.base.store !== this.cand.store) this.base.store.signals.set(entity, name, value);
  }

  /** Subject erasure recorded in the log: applied to both strategies' state. */
  erase(type: string, id: string): void {
    this.cand.erase(type, id);
    this.base?.erase(type, id);
    this.baseLabels?.clearEntity(`${type}:${id}`);
  }

  private labelTables(): LabelStore[] {
    const out = [this.cand.store.labels];
    if (this.base) out.push(this.base.store.labels);
    if (this.baseLabels) out.push(this.baseLabels);
    return out;
  }

  report(): BacktestReport {
    const seconds = (performance.now() - this.t0) / 1000;
    const busy = this.busyMs / 1000;
    const r = this.comparison.report();
    const out: BacktestReport = { ...r, state: this.state, seconds: Math.round(seconds * 1000) / 1000, events_per_sec: busy > 0 ? Math.round(r.events / busy) : 0 };
    if (this.opts.againstLog) { out.compared = this.compared; out.mismatches = this.mismatches; out.mismatch_samples = this.mismatchSamples; }
    return out;
  }

}

const DUPLICATE: Rejection = { event_id: null, error: { code: 'bad_event', message: 'duplicate event id: decided once' } };
function isDup(o: Outcome): boolean { return o === DUPLICATE; }

/** Same decision as logged: every field but the strategy name, compared as JSON. */
export function sameDecision(a: Decision, b: Decision): boolean {
  return JSON.stringify({ ...a, strategy: '' }) === JSON.stringify({ ...b, strategy: '' });
}
