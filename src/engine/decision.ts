// What the engine returns for one event: a decision with its trace, or a rejection that changed nothing.
import type { Verdict } from '../lang/index.ts';

export interface RuleHit {
  rule: string;
  verdict: Verdict | null;
  points: number;
  reason: string | null;
  queue: string | null;
  values: Record<string, unknown>; // the features and fields the condition read, as they were
}

export interface LabelEffect {
  op: 'set' | 'clear';
  entity: string; // "Account:a1"
  label: string;
  expires_at: number | null; // epoch ms; null = never
}

export interface Decision {
  event_id: string;
  event_type: string;
  ts: number;
  verdict: Verdict;
  score: number;
  rules: RuleHit[];
  labels: LabelEffect[];
  queues: string[];
  strategy: string;
}

export type RejectionCode = 'bad_event' | 'unknown_type' | 'late';

export interface Rejection {
  event_id: string | null;
  error: { code: RejectionCode; field?: string; message: string };
}

export type Outcome = Decision | Rejection;

export function isRejection(o: Outcome): o is Rejection {
  return (o as Rejection).error !== undefined;
}
