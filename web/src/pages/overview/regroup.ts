// The server sends fine buckets (300–360 per range); the charts read better with about 60–72 points.
// Buckets are merged into groups aligned on absolute time, so a group does not shift as the window slides.
import { VERDICTS, type Verdict } from '../../api.ts';
import type { OverviewData } from './types.ts';

const TARGET = 72;
const NICE_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200].map((s) => s * 1000);

/** Buckets per group: the smallest round duration (5 s, 1 min, 5 min, 20 min…) that keeps the chart to ~72 points. */
function groupSize(n: number, bucketMs: number): number {
  for (const ms of NICE_MS) {
    if (ms < bucketMs || ms % bucketMs !== 0) continue;
    if (n / (ms / bucketMs) <= TARGET) return ms / bucketMs;
  }
  return Math.max(1, Math.ceil(n / TARGET));
}

/** Per-second rate of each group's count (the running group divides by the time it has run). */
export function perSecond(counts: number[], seconds: number[]): number[] {
  return counts.map((n, i) => (seconds[i]! > 0 ? Math.round((n / seconds[i]!) * 100) / 100 : 0));
}

export interface Grouped {
  ts: number[];
  groupMs: number;
  /** Seconds of each group that have elapsed (the newest is still running, so it has fewer). */
  seconds: number[];
  events: number[];
  verdicts: Record<Verdict, number[]>;
  scores: number[][];
  rules: Map<string, number[]>;
}

export function regroup(d: OverviewData): Grouped {
  const n = d.ts.length;
  const k = groupSize(n, d.bucket_ms);
  const groupMs = d.bucket_ms * k;
  const index: number[] = [];
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = Math.floor(d.ts[i]! / groupMs) * groupMs;
    if (ts.length === 0 || ts[ts.length - 1] !== g) ts.push(g);
    index.push(ts.length - 1);
  }
  const m = ts.length;
  const sum = (xs: number[]) => {
    const out = new Array<number>(m).fill(0);
    for (let i = 0; i < n; i++) out[index[i]!]! += xs[i] ?? 0;
    return out;
  };
  const seconds = new Array<number>(m).fill(0);
  for (let i = 0; i < n; i++) seconds[index[i]!]! += Math.max(0, Math.min(d.bucket_ms, d.now - d.ts[i]!)) / 1000;
  // A group that has only just started says little yet: leave it out until a quarter of it has run.
  const keep = m > 1 && seconds[m - 1]! < (groupMs / 1000) * 0.25 ? m - 1 : m;
  const cut = (xs: number[]) => (keep === m ? xs : xs.slice(0, keep));
  const rules = new Map<string, number[]>();
  for (const r of d.top_rules) rules.set(r.rule, cut(sum(r.series)));
  return {
    ts: cut(ts),
    groupMs,
    seconds: cut(seconds),
    events: cut(sum(d.events)),
    verdicts: Object.fromEntries(VERDICTS.map((v) => [v, cut(sum(d.verdicts[v]))])) as Record<Verdict, number[]>,
    scores: d.scores.counts.map((c) => cut(sum(c))),
    rules,
  };
}

/** "5s", "1m", "12m", "1h 12m", "4h 48m". */
export function shortDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const mins = Math.round(s / 60);
  if (mins < 60) return `${mins}m`;
  const h = Math.floor(mins / 60);
  const rest = mins % 60;
  if (h < 48) return rest ? `${h}h ${rest}m` : `${h}h`;
  return `${Math.round(h / 24)}d`;
}
