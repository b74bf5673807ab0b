// Side-by-side tallies of two strategies' decisions on the same events: verdict mix, rule hits, transitions, precision/recall.
import { isRejection, type Decision, type Outcome, type RuleHit } from '../engine/index.ts';
import type { Plan, PreparedEvent, Verdict } from '../lang/index.ts';
import { entityKey, type GroundTruth } from './truth.ts';

export interface RuleReport {
  rule: string;
  verdict: Verdict | null;
  hits: number;
  /** Distinct subject entities (the event's first entity field, usually the acting account) the rule fired on. */
  entities: number;
  /** With labels: share of hits on attack events, share of attack events (of the rule's types) hit, share of hit entities labelled attackers. */
  precision?: number | null;
  recall?: number | null;
  entity_precision?: number | null;
}

export interface SideReport {
  strategy: string;
  decided: number;
  rejected: Record<string, number>;
  verdicts: Record<Verdict, number>;
  /** Decisions other than allow. */
  flagged: number;
  precision?: number | null;
  recall?: number | null;
  rules: RuleReport[];
}

export interface RuleChange { rule: string; added: number; removed: number }

export interface TransitionSample {
  event_id: string;
  event_type: string;
  ts: number;
  from: Verdict;
  to: Verdict;
  score_from: number;
  score_to: number;
  /** Rules that fired for the candidate only, and for the baseline only: what explains the change. */
  added: Pick<RuleHit, 'rule' | 'verdict' | 'points' | 'reason'>[];
  removed: Pick<RuleHit, 'rule' | 'verdict' | 'points' | 'reason'>[];
  attack?: string | null;
}

export interface ComparisonReport {
  /** Events seen (duplicates included); duplicates are decided once and counted once. */
  events: number;
  duplicates: number;
  candidate: SideReport;
  baseline: SideReport | null;
  /** Events both sides decided whose verdict differs / is the same. */
  changed: number;
  unchanged: number;
  /** "baseline verdict->candidate verdict" → events, changed verdicts only. */
  transitions: Record<string, number>;
  /** Per rule: events where it fires for the candidate only (added) or the baseline only (removed). */
  rule_changes: RuleChange[];
  samples: TransitionSample[];
  labels: { attack_events: number; attacker_entities: number; attack_events_seen: number } | null;
}

interface RuleTally { verdict: Verdict | null; on: string[]; hits: number; entities: Set<string>; positives: number }

class Side {
  decided = 0;
  rejected: Record<string, number> = {};
  verdicts: Record<Verdict, number> = { allow: 0, challenge: 0, review: 0, block: 0 };
  flagged = 0;
  flaggedPositive = 0;
  rules = new Map<string, RuleTally>();
  constructor(readonly plan: Plan) {
    for (const r of plan.rules) this.rules.set(r.name, { verdict: r.verdict, on: r.on, hits: 0, entities: new Set(), positives: 0 });
  }

  add(d: Decision, subject: string | null, positive: boolean): void {
    this.decided++;
    this.verdicts[d.verdict]++;
    if (d.verdict !== 'allow') { this.flagged++; if (positive) this.flaggedPositive++; }
    const hits = d.rules;
    for (let i = 0; i < hits.length; i++) {
      const name = hits[i]!.rule;
      let t = this.rules.get(name);
      if (t === undefined) { t = { verdict: hits[i]!.verdict, on: [], hits: 0, entities: new Set(), positives: 0 }; this.rules.set(name, t); }
      t.hits++;
      if (positive) t.positives++;
      if (subject !== null) t.entities.add(subject);
    }
  }

  reject(code: string): void { this.rejected[code] = (this.rejected[code] ?? 0) + 1; }

  report(truth: GroundTruth | null, positivesByType: Map<string, number>, positives: number): SideReport {
    const labelled = truth !== null;
    const withEntities = labelled && truth.entities.size > 0;
    const rules: RuleReport[] = [];
    for (const [rule, t] of this.rules) {
      const r: RuleReport = { rule, verdict: t.verdict, hits: t.hits, entities: t.entities.size };
      if (labelled) {
        const pos = t.on.reduce((s, ty) => s + (positivesByType.get(ty) ?? 0), 0);
        r.precision = ratio(t.positives, t.hits);
        r.recall = ratio(t.positives, pos);
        if (withEntities) {
          let bad = 0;
          for (const e of t.entities) if (truth.entities.has(e)) bad++;
          r.entity_precision = ratio(bad, t.entities.size);
        }
      }
      rules.push(r);
    }
    rules.sort((a, b) => b.hits - a.hits || a.rule.localeCompare(b.rule));
    const out: SideReport = { strategy: this.plan.version, decided: this.decided, rejected: this.rejected, verdicts: this.verdicts, flagged: this.flagged, rules };
    if (labelled) { out.precision = ratio(this.flaggedPositive, this.flagged); out.recall = ratio(this.flaggedPositive, positives); }
    return out;
  }
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 10_000) / 10_000;
}

const brief = (h: RuleHit) => ({ rule: h.rule, verdict: h.verdict, points: h.points, reason: h.reason });

/**
 * The subject of an event: its first entity-typed field (the acting account for every catalogue type).
 * Returns event type → [field, entity type].
 */
export function subjectFields(plan: Plan): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const [type, ev] of plan.checked.events) {
    for (const f of ev.fields.values()) if (f.type.entity) { out.set(type, [f.name, f.type.entity]); break; }
  }
  return out;
}

export interface ComparisonOptions {
  /** Sample events kept per transition. Default 3. */
  samples?: number;
  truth?: GroundTruth | null;
}

/** Feed it the outcome of each side per event, in event order; read `report()` at any time. */
export class Comparison {
  private readonly cand: Side;
  private readonly base: Side | null;
  private readonly subjects: Map<string, [string, string]>;
  private readonly truth: GroundTruth | null;
  private readonly perTransition: number;
  private events = 0;
  private duplicates = 0;
  private changed = 0;
  private unchanged = 0;
  private readonly transitions = new Map<string, number>();
  private readonly ruleChanges = new Map<string, RuleChange>();
  private readonly samples: TransitionSample[] = [];
  private readonly sampled = new Map<string, number>();
  private positives = 0;
  private readonly positivesByType = new Map<string, number>();

  constructor(candidate: Plan, baseline: Plan | null, opts: ComparisonOptions = {}) {
    this.cand = new Side(candidate);
    this.base = baseline ? new Side(baseline) : null;
    this.subjects = subjectFields(candidate);
    if (baseline) for (const [t, s] of subjectFields(baseline)) if (!this.subjects.has(t)) this.subjects.set(t, s);
    this.truth = opts.truth ?? null;
    this.perTransition = opts.samples ?? 3;
  }

  get hasBaseline(): boolean { return this.base !== null; }

  duplicate(): void { this.events++; this.duplicates++; }

  /** One event: the candidate's outcome and, when there is a baseline, the baseline's. */
  add(ev: PreparedEvent | null, cand: Outcome, base: Outcome | null = null): void {
    this.events++;
    let subject: string | null = null;
    let positive = false;
    if (ev !== null) {
      const s = this.subjects.get(ev.type);
      if (s !== undefined) { const v = ev[s[0]]; if (typeof v === 'string') subject = entityKey(s[1], v); }
      if (this.truth !== null && this.truth.events.has(ev.id)) {
        positive = true;
        this.positives++;
        this.positivesByType.set(ev.type, (this.positivesByType.get(ev.type) ?? 0) + 1);
      }
    }
    const cd = isRejection(cand) ? null : cand;
    if (cd === null) this.cand.reject((cand as { error: { code: string } }).error.code);
    else this.cand.add(cd, subject, positive);
    if (this.base === null || base === null) return;
    const bd = isRejection(base) ? null : base;
    if (bd === null) this.base.reject((base as { error: { code: string } }).error.code);
    else this.base.add(bd, subject, positive);
    if (cd === null || bd === null) return;
    if (cd.rules.length > 0 || bd.rules.length > 0) this.diffRules(cd, bd);
    if (cd.verdict === bd.verdict) { this.unchanged++; return; }
    this.changed++;
    const key = `${bd.verdict}->${cd.verdict}`;
    this.transitions.set(key, (this.transitions.get(key) ?? 0) + 1);
    const n = this.sampled.get(key) ?? 0;
    if (n < this.perTransition) {
      this.sampled.set(key, n + 1);
      const names = new Set(bd.rules.map((h) => h.rule));
      const cnames = new Set(cd.rules.map((h) => h.rule));
      this.samples.push({
        event_id: cd.event_id, event_type: cd.event_type, ts: cd.ts, from: bd.verdict, to: cd.verdict, score_from: bd.score, score_to: cd.score,
        added: cd.rules.filter((h) => !names.has(h.rule)).map(brief),
        removed: bd.rules.filter((h) => !cnames.has(h.rule)).map(brief),
        ...(this.truth ? { attack: this.truth.events.get(cd.event_id) ?? null } : {}),
      });
    }
  }

  private diffRules(cd: Decision, bd: Decision): void {
    for (const h of cd.rules) if (!bd.rules.some((b) => b.rule === h.rule)) this.ruleChange(h.rule).added++;
    for (const h of bd.rules) if (!cd.rules.some((c) => c.rule === h.rule)) this.ruleChange(h.rule).removed++;
  }

  private ruleChange(rule: string): RuleChange {
    let r = this.ruleChanges.get(rule);
    if (r === undefined) { r = { rule, added: 0, removed: 0 }; this.ruleChanges.set(rule, r); }
    return r;
  }

  report(): ComparisonReport {
    const truth = this.truth;
    return {
      events: this.events,
      duplicates: this.duplicates,
      candidate: this.cand.report(truth, this.positivesByType, this.positives),
      baseline: this.base ? this.base.report(truth, this.positivesByType, this.positives) : null,
      changed: this.changed,
      unchanged: this.unchanged,
      transitions: Object.fromEntries([...this.transitions].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
      rule_changes: [...this.ruleChanges.values()].sort((a, b) => b.added + b.removed - a.added - a.removed || a.rule.localeCompare(b.rule)),
      samples: this.samples,
      labels: truth ? { attack_events: truth.events.size, attacker_entities: truth.entities.size, attack_events_seen: this.positives } : null,
    };
  }
}
