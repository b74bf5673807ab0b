// Shapes of the overview's two feeds: GET /v1/console/overview and GET /v1/queues.
import type { Verdict } from '../../api.ts';

export type Range = '5m' | '1h' | '6h' | '24h';

export const RANGES: { key: Range; label: string; long: string; ms: number }[] = [
  { key: '5m', label: '5 min', long: '5 minutes', ms: 5 * 60_000 },
  { key: '1h', label: '1 hour', long: 'hour', ms: 3_600_000 },
  { key: '6h', label: '6 hours', long: '6 hours', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 hours', long: '24 hours', ms: 24 * 3_600_000 },
];

export interface TopRule { rule: string; hits: number; rate: number; series: number[] }
export interface Jump { rule: string; recent_hits: number; recent_rate: number; baseline_rate: number; ratio: number | null }

export interface OverviewData {
  range: Range;
  bucket_ms: number;
  now: number;
  ts: number[];
  events: number[];
  eps: number;
  verdicts: Record<Verdict, number[]>;
  scores: { edges: number[]; counts: number[][] };
  totals: { events: number } & Record<Verdict, number>;
  top_rules: TopRule[];
  jumps: Jump[];
  strategy: string;
  shadows: string[];
}

export interface Queue { name: string; description: string; kind: 'review' | 'appeal'; sla_seconds: number; severity: number; open: number; claimed: number; pending_info: number; overdue: number }
