// The one-line human summary of a backtest report.
import type { BacktestReport } from './run.ts';

export function summaryLine(r: BacktestReport): string {
  const mix = (v: Record<string, number>) => Object.entries(v).map(([k, n]) => `${k} ${n}`).join(', ');
  const parts = [`backtest of ${r.candidate.strategy}: ${r.events} events in ${r.seconds}s (${r.events_per_sec.toLocaleString('en-US')}/s)`, mix(r.candidate.verdicts)];
  if (r.baseline) parts.push(`vs ${r.baseline.strategy}: ${r.changed} verdicts changed${r.changed ? ` (${Object.entries(r.transitions).slice(0, 4).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`);
  if (r.candidate.precision !== undefined) parts.push(`precision ${fmt(r.candidate.precision)}, recall ${fmt(r.candidate.recall)}`);
  if (r.mismatches !== undefined) parts.push(`${r.mismatches} mismatches with the log in ${r.compared} decisions`);
  return parts.join('; ');
}

function fmt(x: number | null | undefined): string { return x === null || x === undefined ? 'n/a' : x.toFixed(3); }
