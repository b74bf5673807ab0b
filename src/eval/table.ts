// The readable form of an evaluation report: one row per campaign kind, then benign impact.
import type { EvalReport } from './measure.ts';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

export function formatReport(r: EvalReport): string {
  const head = ['kind', 'campaigns', 'attack events', 'event recall', 'attackers', 'actor recall', 'events before action', 'precision'];
  const rows = r.campaigns.map((k) => [
    k.kind, String(k.campaigns), String(k.attack_events), pct(k.event_recall), String(k.attacker_entities), pct(k.actor_recall),
    k.campaigns_missed ? `${k.median_events_before_action} (${k.campaigns_missed} missed)` : String(k.median_events_before_action), k.precision === null ? '–' : pct(k.precision),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  const b = r.benign;
  out.push(`benign accounts ${b.accounts}: blocked ${b.blocked} (${pct(b.blocked_rate, 2)}), actioned ${b.actioned} (${pct(b.actioned_rate, 2)})`);
  const o = r.overall;
  out.push(`actioned accounts ${o.actioned_accounts}: attackers ${o.attacker_accounts}, benign ${o.benign_accounts}, victims ${o.victim_accounts}; precision ${pct(o.precision)}`);
  const top = Object.entries(r.benign_by_rule).slice(0, 5);
  if (top.length) out.push(`rules behind benign actions: ${top.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return out.join('\n');
}
