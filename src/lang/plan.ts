// The executable plan a strategy compiles to: closures per event type, run by the engine.
import type { Verdict } from './ast.ts';
import type { Checked } from './check.ts';

/** A prepared event: validated, ts in epoch ms, derived forms added, personal fields pseudonymised. */
export interface PreparedEvent {
  id: string;
  type: string;
  ts: number;
  [field: string]: unknown;
}

export interface BadEvent {
  code: 'bad_event' | 'unknown_type';
  field?: string;
  message: string;
}

/** What compiled closures see while one event runs; the engine reuses one per plan. */
export interface Ctx {
  ev: PreparedEvent;
  ts: number;
  f: unknown[]; // feature values by slot
  fired: Uint8Array; // rule index -> fired on this event
  rows: Int32Array; // key-space index -> row in the store (-1 when the key has no state)
  aggs: AggregateReader[]; // plan aggregate index -> state
  prior: (number | null | undefined)[]; // last_seen values read before this event was added (undefined: not added)
  labels: { hasTyped(typeLabelKey: string, id: string, ts: number): boolean };
  lists: { has(value: string): boolean }[]; // plan list index -> membership
  signals: { getTyped(typeNameKey: string, id: string): number | null };
  /** Graph-neighbour measures (linked(account, "...")); null when the engine keeps no link graph. */
  linked: LinkedReader | null;
}

/** What linked() reads: measure ids are indexes into LINKED_MEASURE_NAMES; values as of before the current event. */
export interface LinkedReader {
  measure(account: string, measure: number, ts: number): number | null;
}

/** A model as a strategy scores it (src/ml provides these): inputs in order, a score in [0,1], reason codes. */
export interface StrategyModel {
  inputs: { name: string; type: 'number' | 'bool' }[];
  score(row: Float64Array): number;
  reasons(row: Float64Array, k: number): { feature: string; contribution: number }[];
}

export interface AggregateReader {
  read(row: number, ts: number): number | null;
}

export type Fn<T = unknown> = (c: Ctx) => T;
export type EventFn<T = unknown> = (ev: PreparedEvent) => T;

export interface AggregatePlan {
  signature: string;
  kind: 'count' | 'sum' | 'min' | 'max' | 'mean' | 'rate' | 'distinct' | 'first_seen' | 'last_seen';
  keyspace: number;
  windowMs: number;
}

export interface KeyspacePlan {
  signature: string;
  key: EventFn<string | null>; // the key of the current event, null when a key field is missing
}

export interface UpdatePlan {
  agg: number;
  keyspace: number;
  filter: EventFn<boolean> | null;
  value: EventFn<number | null> | null; // the number aggregated (sum, min, max, mean); null for counting kinds
  distinct: EventFn<string | null> | null; // the value counted by distinct (hashed by the engine)
  capturePrior: boolean; // last_seen: remember the value before adding
}

export interface RulePlan {
  index: number;
  name: string;
  when: Fn<boolean>;
  verdict: Verdict | null;
  points: Fn<number> | null;
  labels: { op: 'set' | 'clear'; entityType: string; entity: Fn<unknown>; label: string; forMs: number | null }[];
  queue: string | null;
  reason: Fn<string> | null;
  trace: { name: string; get: Fn }[];
}

export interface EventPlan {
  type: string;
  prepare(raw: Record<string, unknown>, pseudonymise: ((v: string) => string) | null): PreparedEvent | BadEvent;
  keyspaces: number[]; // key spaces read or updated on this event type
  updates: UpdatePlan[];
  features: { slot: number; name: string; fn: Fn }[]; // dependencies first
  rules: RulePlan[]; // dependencies first
}

export interface Plan {
  version: string;
  latenessMs: number;
  thresholds: { verdict: Verdict; at: number }[];
  events: Map<string, EventPlan>;
  keyspaces: KeyspacePlan[];
  aggregates: AggregatePlan[];
  features: string[]; // slot -> name
  rules: { name: string; verdict: Verdict | null; queue: string | null; on: string[] }[];
  lists: { name: string; from: string | null; personal: boolean }[];
  /** Some feature or rule it computes reads linked(): the engine must keep its link graph. */
  linked: boolean;
  checked: Checked;
}

export const VERDICT_RANK: Record<Verdict, number> = { allow: 0, challenge: 1, review: 2, block: 3 };
