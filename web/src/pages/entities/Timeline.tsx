// Recent decisions, newest first: what happened, the verdict, and the rules that fired (expand a row for the values they read).
import { Fragment, useState } from 'react';
import type { Decision, RuleHit } from '../../api.ts';
import { Empty, VerdictBadge } from '../../ui.tsx';
import { ago, num, time } from '../../format.ts';

export function RuleChip({ hit }: { hit: Pick<RuleHit, 'rule' | 'points' | 'verdict'> & { points?: number } }) {
  const pts = hit.points ?? 0;
  return (
    <span className={`ec-rule-chip ${hit.verdict ? `v-${hit.verdict}` : ''}`} title={hit.verdict ? `verdict ${hit.verdict}` : undefined}>
      {hit.rule}
      {pts !== 0 && <b>{pts > 0 ? `+${pts}` : pts}</b>}
    </span>
  );
}

/** The values a rule read when it fired, as "name = value" lines. */
export function RuleValues({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <span className="muted small">no values recorded</span>;
  return (
    <dl className="ec-rule-values">
      {entries.map(([k, v]) => (
        <Fragment key={k}><dt>{k}</dt><dd className="mono">{formatValue(k, v)}</dd></Fragment>
      ))}
    </dl>
  );
}

/** Timestamps read as times, numbers as numbers, the rest as JSON. */
export function formatValue(name: string, v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (v > 1e12 && v < 1e13 && /(_at|_ts|seen|time|age)$/i.test(name)) return `${time(v)} (${ago(v)})`;
    return num(v);
  }
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function RuleDetail({ rules }: { rules: (Pick<RuleHit, 'rule' | 'reason' | 'queue' | 'values'> & Partial<Pick<RuleHit, 'points' | 'verdict'>>)[] }) {
  return (
    <div className="ec-rule-detail">
      {rules.map((r, i) => (
        <div key={`${r.rule}-${i}`} className="ec-rule-detail-row">
          <div className="row">
            <strong className="mono">{r.rule}</strong>
            {r.verdict && <VerdictBadge verdict={r.verdict} />}
            {r.points !== undefined && r.points !== 0 && <span className="muted small">{r.points > 0 ? `+${r.points}` : r.points} points</span>}
            {r.queue && <span className="badge tone-info" title="this rule opens a case in this queue">queue {r.queue}</span>}
          </div>
          {r.reason && <div className="ec-rule-reason">{r.reason}</div>}
          <RuleValues values={r.values} />
        </div>
      ))}
    </div>
  );
}

export function DecisionTimeline({ decisions, limit = 10 }: { decisions: Decision[]; limit?: number }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [shown, setShown] = useState(limit);
  if (decisions.length === 0) {
    return <Empty title="No recent decisions">Decisions appear here as events naming this entity are sent to <code>/v1/decide</code>.</Empty>;
  }
  const sorted = decisions.slice().sort((a, b) => b.ts - a.ts);
  const toggle = (id: string) => setOpen((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  return (
    <>
      <table className="ec-timeline">
        <thead><tr><th style={{ width: 24 }} /><th>Time</th><th>Event</th><th>Verdict</th><th className="num">Score</th><th>Rules fired</th></tr></thead>
        <tbody>
          {sorted.slice(0, shown).map((d) => {
            const isOpen = open.has(d.event_id);
            return (
              <Fragment key={d.event_id}>
                <tr className="clickable" onClick={() => toggle(d.event_id)}>
                  <td>
                    <button type="button" className="ec-expander" aria-expanded={isOpen} aria-label={`${isOpen ? 'Hide' : 'Show'} details of ${d.event_id}`} onClick={(e) => { e.stopPropagation(); toggle(d.event_id); }}>
                      {isOpen ? '▾' : '▸'}
                    </button>
                  </td>
                  <td className="ec-nowrap" title={time(d.ts)}>{time(d.ts)}<div className="muted small">{ago(d.ts)}</div></td>
                  <td><span className="mono">{d.event_type}</span><div className="muted small mono">{d.event_id}</div></td>
                  <td><VerdictBadge verdict={d.verdict} /></td>
                  <td className="num">{num(d.score)}</td>
                  <td>
                    {d.rules.length === 0 ? <span className="muted small">none</span> : <div className="ec-chips">{d.rules.map((r, i) => <RuleChip key={`${r.rule}-${i}`} hit={r} />)}</div>}
                  </td>
                </tr>
                {isOpen && (
                  <tr className="expanded">
                    <td />
                    <td colSpan={5}>
                      {d.rules.length > 0 ? <RuleDetail rules={d.rules} /> : <span className="muted small">No rule fired: the verdict is the strategy's default.</span>}
                      {d.labels.length > 0 && (
                        <div className="small" style={{ marginTop: 8 }}>
                          <span className="muted">Labels set by this decision</span>
                          <ul className="ec-label-ops">
                            {[...new Map(d.labels.map((l) => [`${l.op} ${l.entity} ${l.label}`, l])).values()].map((l) => (
                              <li key={`${l.op} ${l.entity} ${l.label}`} className="mono">{l.op === 'set' ? '+' : '−'}{l.label} <span className="muted">on {l.entity}</span>{l.expires_at ? <span className="muted"> until {time(l.expires_at)}</span> : null}</li>
                            ))}
                          </ul>
                        </div>
                      )}
                      <div className="muted small" style={{ marginTop: 6 }}>strategy {d.strategy}{d.queues.length > 0 && <> · opened cases in {d.queues.join(', ')}</>}</div>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {sorted.length > shown && (
        <div className="row" style={{ marginTop: 8 }}>
          <button type="button" className="btn small" onClick={() => setShown((s) => s + 25)}>Show {Math.min(25, sorted.length - shown)} older</button>
          <span className="muted small">{sorted.length - shown} more</span>
        </div>
      )}
    </>
  );
}
