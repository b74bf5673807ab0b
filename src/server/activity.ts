// What the overview shows: decisions per time bucket (by arrival), verdict mix, score bands and rule hits,
// kept in fixed rings (10 s buckets for 24 h, 1 s buckets for the last 10 minutes). Recording is a few
// array increments per decision; rule hits are counted per bucket in small maps.
import { VERDICTS, type Verdict } from '../lang/index.ts';
import type { Decision } from '../engine/decision.ts';

export const SCORE_EDGES = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
const NV = VERDICTS.length;
const NS = SCORE_EDGES.length;

class Ring {
  readonly start: Float64Array; // bucket start (ms), 0 = empty
  readonly events: Uint32Array;
  readonly verdicts: Uint32Array; // bucket * NV + verdict
  readonly scores: Uint32Array; // bucket * NS + bin
  readonly rules: (Map<string, number> | null)[];

  constructor(readonly size: number, readonly bucketMs: number) {
    this.start = new Float64Array(size);
    this.events = new Uint32Array(size);
    this.verdicts = new Uint32Array(size * NV);
    this.scores = new Uint32Array(size * NS);
    this.rules = new Array(size).fill(null);
  }

  /** The slot for time t, cleared if it held an older bucket. */
  slot(t: number): number {
    const b = Math.floor(t / this.bucketMs);
    const i = b % this.size;
    const s = b * this.bucketMs;
    if (this.start[i] !== s) {
      this.start[i] = s;
      this.events[i] = 0;
      this.verdicts.fill(0, i * NV, i * NV + NV);
      this.scores.fill(0, i * NS, i * NS + NS);
      this.rules[i] = null;
    }
    return i;
  }

  record(i: number, v: number, bin: number, rules: readonly { rule: string }[]): void {
    this.events[i]!++;
    this.verdicts[i * NV + v]!++;
    this.scores[i * NS + bin]!++;
    if (rules.length) {
      let m = this.rules[i];
      if (!m) m = this.rules[i] = new Map();
      for (const h of rules) m.set(h.rule, (m.get(h.rule) ?? 0) + 1);
    }
  }
}

export type Range = '5m' | '1h' | '6h' | '24h';
export const RANGES: Record<Range, { span: number; bucket: number }> = {
  '5m': { span: 5 * 60_000, bucket: 1000 },
  '1h': { span: 3600_000, bucket: 10_000 },
  '6h': { span: 6 * 3600_000, bucket: 60_000 },
  '24h': { span: 24 * 3600_000, bucket: 300_000 },
};

export interface OverviewSeries {
  range: Range;
  bucket_ms: number;
  now: number;
  ts: number[];
  events: number[];
  eps: number;
  verdicts: Record<Verdict, number[]>;
  scores: { edges: number[]; counts: number[][] };
  totals: Record<'events' | Verdict, number>;
  top_rules: { rule: string; hits: number; rate: number; series: number[] }[];
  jumps: { rule: string; recent_hits: number; recent_rate: number; baseline_rate: number; ratio: number }[];
}

const VERDICT_INDEX = new Map<string, number>(VERDICTS.map((v, i) => [v, i]));

export class Activity {
  private readonly fine = new Ring(600, 1000);
  private readonly coarse = new Ring(8640, 10_000);

  constructor(private readonly clock: () => number = Date.now) {}

  record(d: Decision): void {
    const now = this.clock();
    const v = VERDICT_INDEX.get(d.verdict) ?? 0;
    let bin = Math.floor(d.score / 10);
    if (!(bin >= 0)) bin = 0;
    if (bin >= NS) bin = NS - 1;
    this.fine.record(this.fine.slot(now), v, bin, d.rules);
    this.coarse.record(this.coarse.slot(now), v, bin, d.rules);
  }

  /** Series over the range ending now, in buckets of RANGES[range].bucket, oldest first. */
  series(range: Range): OverviewSeries {
    const { span, bucket } = RANGES[range];
    const now = this.clock();
    const ring = bucket < 10_000 ? this.fine : this.coarse;
    const n = Math.round(span / bucket);
    const first = (Math.floor(now / bucket) - n + 1) * bucket;
    const ts = Array.from({ length: n }, (_, i) => first + i * bucket);
    const events = new Array<number>(n).fill(0);
    const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, new Array<number>(n).fill(0)])) as Record<Verdict, number[]>;
    const counts = SCORE_EDGES.map(() => new Array<number>(n).fill(0));
    const ruleSeries = new Map<string, number[]>();
    // Walk every ring bucket that falls in the range and add it to its output bucket.
    const rb = ring.bucketMs;
    for (let t = Math.floor(first / rb) * rb; t <= now; t += rb) {
      const i = Math.floor(t / rb) % ring.size;
      if (ring.start[i] !== t || t < first) continue;
      const o = Math.floor((t - first) / bucket);
      events[o]! += ring.events[i]!;
      for (let v = 0; v < NV; v++) verdicts[VERDICTS[v]!]![o]! += ring.verdicts[i * NV + v]!;
      for (let s = 0; s < NS; s++) counts[s]![o]! += ring.scores[i * NS + s]!;
      const m = ring.rules[i];
      if (m) for (const [rule, hits] of m) {
        let sr = ruleSeries.get(rule);
        if (!sr) ruleSeries.set(rule, (sr = new Array<number>(n).fill(0)));
        sr[o]! += hits;
      }
    }
    const sum = (a: number[], from = 0, to = a.length) => { let s = 0; for (let i = from; i < to; i++) s += a[i]!; return s; };
    const total = sum(events);
    const totals = { events: total, ...Object.fromEntries(VERDICTS.map((v) => [v, sum(verdicts[v])])) } as Record<'events' | Verdict, number>;
    const top_rules = [...ruleSeries].map(([rule, series]) => ({ rule, hits: sum(series), rate: total ? sum(series) / total : 0, series }))
      .sort((a, b) => b.hits - a.hits || (a.rule < b.rule ? -1 : 1)).slice(0, 10);
    // A jump: the rule's hit rate over the last fifth of the range against its rate over the rest of it.
    const cut = n - Math.max(1, Math.round(n / 5));
    const recentEvents = sum(events, cut), baseEvents = sum(events, 0, cut);
    const jumps: OverviewSeries['jumps'] = [];
    if (recentEvents > 0 && baseEvents > 0) {
      for (const [rule, series] of ruleSeries) {
        const rh = sum(series, cut);
        if (rh < 10) continue;
        const recent_rate = rh / recentEvents;
        const baseline_rate = sum(series, 0, cut) / baseEvents;
        // With no baseline hits the ratio is against half a hit, so a brand-new rule firing counts as a jump without dividing by zero.
        const ratio = recent_rate / Math.max(baseline_rate, 0.5 / baseEvents);
        if (ratio >= 3) jumps.push({ rule, recent_hits: rh, recent_rate, baseline_rate, ratio });
      }
      jumps.sort((a, b) => b.ratio - a.ratio);
    }
    const eps = this.eps(now);
    return { range, bucket_ms: bucket, now, ts, events, eps, verdicts, scores: { edges: SCORE_EDGES, counts }, totals, top_rules, jumps: jumps.slice(0, 10) };
  }

  /** Decisions per second over the last 10 full seconds. */
  eps(now = this.clock()): number {
    let n = 0;
    const cur = Math.floor(now / 1000);
    for (let s = cur - 10; s < cur; s++) {
      const i = s % this.fine.size;
      if (this.fine.start[i] === s * 1000) n += this.fine.events[i]!;
    }
    return n / 10;
  }
}
