// A comparison of two strategies on the same events, as backtests and shadows report it: verdict mix side by
// side, where verdicts moved (baseline verdict × candidate verdict), which rules fire more or less, and
// sample events whose verdict changed with the rules that explain it.
import { useMemo, useState } from 'react';
import { VERDICTS, type Verdict } from '../../api.ts';
import { VERDICT_COLORS } from '../../charts.tsx';
import { Empty, Stat, VerdictBadge } from '../../ui.tsx';
import { num, pct, time } from '../../format.ts';
import type { BriefHit, ComparisonReport, RuleReport, SideReport } from './types.ts';

export interface SideNames { candidate: string; baseline: string }

export function ComparisonView({ report, names }: { report: ComparisonReport; names: SideNames }) {
  const compared = report.changed + report.unchanged;
  const base = report.baseline;
  if (report.events === 0) {
    return <Empty title="No events in this range">Nothing was decided between these times. Widen the range, or send traffic first (for example with <code>bulwark sim --send</code>).</Empty>;
  }
  return (
    <div className="bw-report">
      <div className="grid cols-4 bw-stats">
        <Stat label="Events replayed" value={num(report.events)} hint={report.duplicates ? `${num(report.duplicates)} duplicates decided once` : `${num(report.candidate.decided)} decided`} />
        {base
          ? <Stat label="Verdicts changed" value={num(report.changed)} hint={`${pct(compared ? report.changed / compared : 0, 2)} of ${num(compared)} decisions`} tone={report.changed === 0 ? 'good' : report.changed / Math.max(1, compared) > 0.05 ? 'bad' : 'warn'} />
          : <Stat label="Verdicts changed" value="–" hint="no baseline to compare with" />}
        <Stat label={`Flagged by ${names.candidate}`} value={num(report.candidate.flagged)} hint={<>{pct(report.candidate.decided ? report.candidate.flagged / report.candidate.decided : 0)} not allowed{base && <> · <Delta a={base.flagged} b={report.candidate.flagged} suffix={` vs ${names.baseline}`} /></>}</>} />
        {base
          ? <Stat label={`Flagged by ${names.baseline}`} value={num(base.flagged)} hint={`${pct(base.decided ? base.flagged / base.decided : 0)} not allowed`} />
          : <Stat label="Baseline" value="none" hint="the candidate ran alone" />}
      </div>
      {report.labels && <LabelsLine report={report} names={names} />}
      <div className="bw-report-grid">
        <section>
          <h3>Verdict mix</h3>
          <VerdictMix candidate={report.candidate} baseline={base} names={names} />
        </section>
        {base && (
          <section>
            <h3>Verdict transitions <span className="muted small bw-h3-note">rows: {names.baseline} · columns: {names.candidate}</span></h3>
            <TransitionMatrix report={report} />
          </section>
        )}
      </div>
      <section>
        <h3>Rule hits</h3>
        <RuleTable report={report} names={names} />
      </section>
      {base && (
        <section>
          <h3>Changed decisions <span className="muted small bw-h3-note">samples per transition</span></h3>
          <Samples report={report} names={names} />
        </section>
      )}
    </div>
  );
}

function Delta({ a, b, suffix = '' }: { a: number; b: number; suffix?: string }) {
  const d = b - a;
  if (d === 0) return <span className="muted">no change{suffix}</span>;
  return <span className={d > 0 ? 'bw-up' : 'bw-down'}>{d > 0 ? '+' : '−'}{num(Math.abs(d))}{suffix}</span>;
}

function LabelsLine({ report, names }: { report: ComparisonReport; names: SideNames }) {
  const f = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : pct(x));
  const l = report.labels!;
  return (
    <p className="bw-labels small">
      Against reviewed cases ({num(l.attacker_entities)} entities confirmed abusive): {names.candidate} precision <strong>{f(report.candidate.precision)}</strong>, recall <strong>{f(report.candidate.recall)}</strong>
      {report.baseline && <> · {names.baseline} precision <strong>{f(report.baseline.precision)}</strong>, recall <strong>{f(report.baseline.recall)}</strong></>}
    </p>
  );
}

export function VerdictMix({ candidate, baseline, names }: { candidate: SideReport; baseline: SideReport | null; names: SideNames }) {
  const rows: [string, SideReport][] = baseline ? [[names.baseline, baseline], [names.candidate, candidate]] : [[names.candidate, candidate]];
  return (
    <div className="bw-mix">
      {rows.map(([label, side], i) => (
        <div className="bw-mix-row" key={i}>
          <div className="bw-mix-label" title={side.strategy}>{label}</div>
          <div className="bw-mix-bar" role="img" aria-label={`${label}: ${VERDICTS.map((v) => `${v} ${side.verdicts[v]}`).join(', ')}`}>
            {VERDICTS.map((v) => {
              const share = side.decided ? side.verdicts[v] / side.decided : 0;
              return share > 0 ? <span key={v} style={{ width: `${Math.max(share * 100, 0.6)}%`, background: VERDICT_COLORS[v] }} title={`${v}: ${num(side.verdicts[v])} (${pct(share, 2)})`} /> : null;
            })}
          </div>
        </div>
      ))}
      <table className="bw-mix-table">
        <thead>
          <tr><th>Verdict</th>{baseline && <th className="num">{names.baseline}</th>}<th className="num">{names.candidate}</th>{baseline && <th className="num">Change</th>}</tr>
        </thead>
        <tbody>
          {VERDICTS.map((v) => (
            <tr key={v}>
              <td><span className="bw-swatch" style={{ background: VERDICT_COLORS[v] }} />{v}</td>
              {baseline && <td className="num">{num(baseline.verdicts[v])} <span className="muted small">{pct(baseline.decided ? baseline.verdicts[v] / baseline.decided : 0)}</span></td>}
              <td className="num">{num(candidate.verdicts[v])} <span className="muted small">{pct(candidate.decided ? candidate.verdicts[v] / candidate.decided : 0)}</span></td>
              {baseline && <td className="num"><Delta a={baseline.verdicts[v]} b={candidate.verdicts[v]} /></td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const RANK: Record<Verdict, number> = { allow: 0, challenge: 1, review: 2, block: 3 };

/** Rows: the baseline's verdict; columns: the candidate's. The diagonal (same verdict) is derived from the baseline's mix. */
export function TransitionMatrix({ report }: { report: ComparisonReport }) {
  const base = report.baseline!;
  const cell = (from: Verdict, to: Verdict) => report.transitions[`${from}->${to}`] ?? 0;
  const offMax = Math.max(1, ...Object.values(report.transitions));
  return (
    <table className="bw-matrix">
      <thead>
        <tr><th aria-label="baseline verdict" />{VERDICTS.map((v) => <th key={v} scope="col"><VerdictBadge verdict={v} /></th>)}</tr>
      </thead>
      <tbody>
        {VERDICTS.map((from) => {
          const moved = VERDICTS.reduce((s, to) => s + (to === from ? 0 : cell(from, to)), 0);
          const same = Math.max(0, base.verdicts[from] - moved);
          return (
            <tr key={from}>
              <th scope="row"><VerdictBadge verdict={from} /></th>
              {VERDICTS.map((to) => {
                if (to === from) return <td key={to} className="bw-cell same" title={`${from} in both: ${num(same)}`}>{num(same)}</td>;
                const n = cell(from, to);
                const stricter = RANK[to] > RANK[from];
                const alpha = n === 0 ? 0 : 0.12 + 0.6 * (n / offMax);
                return (
                  <td key={to} className={`bw-cell ${n === 0 ? 'zero' : stricter ? 'stricter' : 'looser'}`} style={n ? { backgroundColor: stricter ? `rgba(220,76,76,${alpha})` : `rgba(58,167,109,${alpha})` } : undefined} title={`${from} → ${to}: ${num(n)}`}>
                    {n === 0 ? '·' : num(n)}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface RuleRow { rule: string; verdict: Verdict | null; cand: number | null; base: number | null; added: number; removed: number; entities: number; precision?: number | null }

/** null hits: the rule does not exist on that side (new in the candidate, or gone from it). */
const changed = (r: RuleRow, hasBase: boolean) => hasBase && (r.cand !== r.base || r.added > 0 || r.removed > 0);

export function RuleTable({ report, names }: { report: ComparisonReport; names: SideNames }) {
  const hasBase = report.baseline !== null;
  const rows = useMemo(() => {
    const byName = new Map<string, RuleRow>();
    const get = (r: RuleReport) => {
      let row = byName.get(r.rule);
      if (!row) { row = { rule: r.rule, verdict: r.verdict, cand: null, base: null, added: 0, removed: 0, entities: 0 }; byName.set(r.rule, row); }
      return row;
    };
    for (const r of report.candidate.rules) { const row = get(r); row.cand = r.hits; row.entities = r.entities; row.precision = r.precision; }
    for (const r of report.baseline?.rules ?? []) { const row = get(r); row.base = r.hits; if (row.cand === null) row.entities = r.entities; if (row.verdict === null) row.verdict = r.verdict; }
    for (const c of report.rule_changes) { const row = byName.get(c.rule); if (row) { row.added = c.added; row.removed = c.removed; } }
    const changeOf = (r: RuleRow) => (r.cand === null || r.base === null ? 1e12 : 0) + Math.abs((r.cand ?? 0) - (r.base ?? 0)) + r.added + r.removed;
    return [...byName.values()].sort((a, b) => (hasBase ? changeOf(b) - changeOf(a) : 0) || (b.cand ?? 0) - (a.cand ?? 0) || (b.base ?? 0) - (a.base ?? 0) || a.rule.localeCompare(b.rule));
  }, [report, hasBase]);
  const changedCount = rows.filter((r) => changed(r, hasBase)).length;
  const [onlyChanged, setOnlyChanged] = useState(changedCount > 0);
  const [filter, setFilter] = useState('');
  const [all, setAll] = useState(false);
  const visible = rows.filter((r) => (!onlyChanged || changed(r, hasBase)) && (!filter || r.rule.includes(filter.trim())));
  const shown = all ? visible : visible.slice(0, 25);
  const maxHits = Math.max(1, ...rows.map((r) => Math.max(r.cand ?? 0, r.base ?? 0)));
  const hasPrecision = rows.some((r) => r.precision !== undefined);
  if (rows.length === 0) return <Empty title="No rules">Neither strategy declares a rule.</Empty>;
  return (
    <>
      <div className="row bw-table-tools">
        <input type="search" placeholder="Filter rules" aria-label="Filter rules" value={filter} onChange={(e) => setFilter(e.target.value)} />
        {report.baseline && (
          <label className="bw-check"><input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} /> Only rules that changed ({changedCount})</label>
        )}
        <span className="spacer" />
        <span className="muted small">{num(visible.length)} of {num(rows.length)} rules</span>
      </div>
      {visible.length === 0 ? (
        <Empty title={onlyChanged ? 'No rule changed' : 'No rule matches'}>{onlyChanged ? 'Every rule fired on the same events for both. Untick “Only rules that changed” to see their hits.' : 'Try another part of the rule name.'}</Empty>
      ) : (
        <table className="bw-rules">
          <thead>
            <tr>
              <th>Rule</th><th>Verdict</th>
              {hasBase && <th className="num">{names.baseline}</th>}
              <th className="num">{names.candidate}</th>
              {hasBase && <th className="num">Change</th>}
              {report.baseline && <th className="num" title="events where the rule fires only for the candidate (gained) or only for the baseline (lost)">Gained / lost</th>}
              <th className="num">Entities</th>
              {hasPrecision && <th className="num">Precision</th>}
              <th className="bw-bar-col" aria-label="hits" />
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.rule}>
                <td className="mono">{r.rule}</td>
                <td>{r.verdict ? <VerdictBadge verdict={r.verdict} /> : <span className="muted small">score</span>}</td>
                {hasBase && <td className="num">{r.base === null ? <span className="muted">–</span> : num(r.base)}</td>}
                <td className="num">{r.cand === null ? <span className="muted">–</span> : num(r.cand)}</td>
                {hasBase && <td className="num">{r.base === null ? <span className="badge tone-info">new rule</span> : r.cand === null ? <span className="badge">removed</span> : <Delta a={r.base} b={r.cand} />}</td>}
                {report.baseline && <td className="num small">{r.added || r.removed ? <><span className="bw-up">+{num(r.added)}</span> / <span className="bw-down">−{num(r.removed)}</span></> : <span className="muted">–</span>}</td>}
                <td className="num">{num(r.entities)}</td>
                {hasPrecision && <td className="num">{r.precision === null || r.precision === undefined ? '–' : pct(r.precision)}</td>}
                <td className="bw-bar-col">
                  <div className="bw-hitbar" aria-hidden="true">
                    {r.base !== null && <span className="base" style={{ width: `${(r.base / maxHits) * 100}%` }} />}
                    {r.cand !== null && <span className="cand" style={{ width: `${(r.cand / maxHits) * 100}%` }} />}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!all && visible.length > shown.length && <button className="btn small" onClick={() => setAll(true)}>Show all {num(visible.length)} rules</button>}
    </>
  );
}

function Hits({ hits, sign }: { hits: BriefHit[]; sign: '+' | '−' }) {
  return (
    <>
      {hits.map((h) => (
        <div key={h.rule} className={`bw-hit ${sign === '+' ? 'added' : 'removed'}`}>
          <span className="bw-hit-sign">{sign}</span>
          <span className="mono">{h.rule}</span>
          {h.verdict && <VerdictBadge verdict={h.verdict} />}
          {h.points ? <span className="muted small">{h.points > 0 ? '+' : ''}{h.points} pts</span> : null}
          {h.reason && <span className="muted small bw-reason">{h.reason}</span>}
        </div>
      ))}
    </>
  );
}

export function Samples({ report, names }: { report: ComparisonReport; names: SideNames }) {
  if (report.samples.length === 0) return <Empty title="No decision changed">Every event got the same verdict from {names.candidate} and {names.baseline}.</Empty>;
  const samples = [...report.samples].sort((a, b) => (report.transitions[`${b.from}->${b.to}`] ?? 0) - (report.transitions[`${a.from}->${a.to}`] ?? 0) || a.ts - b.ts);
  return (
    <table className="bw-samples">
      <thead>
        <tr><th>Event</th><th>Verdict</th><th className="num">Score</th><th>Why it changed</th></tr>
      </thead>
      <tbody>
        {samples.map((s) => (
          <tr key={s.event_id + s.from + s.to}>
            <td>
              <div className="mono small">{s.event_id}</div>
              <div className="muted small">{s.event_type} · {time(s.ts)}{s.attack ? <> · <span className="badge tone-bad">{s.attack}</span></> : null}</div>
            </td>
            <td className="nowrap"><VerdictBadge verdict={s.from} /> <span className="muted">→</span> <VerdictBadge verdict={s.to} /></td>
            <td className="num nowrap">{num(s.score_from)} <span className="muted">→</span> {num(s.score_to)}</td>
            <td>
              {s.added.length === 0 && s.removed.length === 0 ? <span className="muted small">same rules fired; points or thresholds differ</span> : <><Hits hits={s.added} sign="+" /><Hits hits={s.removed} sign="−" /></>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
