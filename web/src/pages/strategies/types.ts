// Shapes of the strategy, backtest and shadow routes (src/server/http.ts, src/control/strategies.ts,
// src/server/routes-backtest.ts, src/server/shadow.ts, src/backtest/compare.ts and run.ts).
import type { Verdict } from '../../api.ts';
import type { CheckError } from '../../editor/setup.ts';

export type { CheckError };

export interface StrategySummary { name: string; live: number | null; shadows: number[] }
export interface VersionInfo { name: string; version: number; digest: string; created_at: string; created_by: string }
export interface VersionFiles extends VersionInfo { files: Record<string, string> }
export interface CreatedVersion { version: number; digest: string; created_at: string; created: boolean }
export interface Deployment { id: number; name: string; version: number; mode: 'live' | 'shadow'; action: 'deploy' | 'undeploy' | 'rollback'; previous_version: number | null; at: string; actor: string }

export interface CheckSummary { entities: number; events: number; features: number; aggregates: number; rules: number; tests: number }
export interface CheckResult { ok: boolean; errors: CheckError[]; summary: CheckSummary | null }

export interface RuleReport { rule: string; verdict: Verdict | null; hits: number; entities: number; precision?: number | null; recall?: number | null; entity_precision?: number | null }
export interface SideReport { strategy: string; decided: number; rejected: Record<string, number>; verdicts: Record<Verdict, number>; flagged: number; precision?: number | null; recall?: number | null; rules: RuleReport[] }
export interface RuleChange { rule: string; added: number; removed: number }
export interface BriefHit { rule: string; verdict: Verdict | null; points: number; reason: string | null }
export interface TransitionSample { event_id: string; event_type: string; ts: number; from: Verdict; to: Verdict; score_from: number; score_to: number; added: BriefHit[]; removed: BriefHit[]; attack?: string | null }

export interface ComparisonReport {
  events: number;
  duplicates: number;
  candidate: SideReport;
  baseline: SideReport | null;
  changed: number;
  unchanged: number;
  /** "baseline->candidate" → events, changed verdicts only. */
  transitions: Record<string, number>;
  rule_changes: RuleChange[];
  samples: TransitionSample[];
  labels: { attack_events: number; attacker_entities: number; attack_events_seen: number } | null;
}

export interface BacktestReport extends ComparisonReport { state: 'shared' | 'per-strategy' | 'single'; seconds: number; events_per_sec: number }

export type StrategyRef = number | 'live' | { files: Record<string, string> };

export interface BacktestJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  created_at: string;
  finished_at: string | null;
  request: { strategy: string; baseline: string | null; from: number | null; to: number | null; labels: { source: 'reviews'; abusive_entities: number } | null };
  progress: { records: number; total: number; fraction: number };
  result: BacktestReport | null;
  error: { code: string; message: string } | null;
}

export interface ShadowComparison extends ComparisonReport { shadow: string; live: string; since: string; deployed: boolean }
