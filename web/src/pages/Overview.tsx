// The overview: live traffic, verdict mix and score distribution over a chosen range, the rules that
// fire most and the ones that jumped against their own baseline, and how the review queues keep up.
import { useEffect, useMemo, useState } from 'react';
import { VERDICTS, type ApiError } from '../api.ts';
import { useApi } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { TimeChart, Sparkline, VERDICT_COLORS } from '../charts.tsx';
import { Async, Badge, Card, Empty, ErrorBox, PageHeader, Stat } from '../ui.tsx';
import { num, pct } from '../format.ts';
import { RANGES, type Jump, type OverviewData, type Queue, type Range, type TopRule } from './overview/types.ts';
import { ScoreHeatmap, ScoreLegend } from './overview/ScoreHeatmap.tsx';
import { perSecond, regroup, shortDuration } from './overview/regroup.ts';
import './overview/overview.css';

const isRange = (s: string | null): s is Range => RANGES.some((r) => r.key === s);

export function Overview() {
  const { query } = useLocation();
  const q = query.get('range');
  const range: Range = isRange(q) ? q : '1h';
  const info = RANGES.find((r) => r.key === range)!;
  const overview = useApi<OverviewData>(`/v1/console/overview?range=${range}`, { pollMs: 2000 });

  // Moderation may be off (no /v1/queues) or the caller may not see it: then the queue card and tiles go.
  const [queuesOff, setQueuesOff] = useState(false);
  const queues = useApi<{ queues: Queue[] }>(queuesOff ? null : '/v1/queues', { pollMs: 5000 });
  useEffect(() => {
    if (queues.error && (queues.error.status === 404 || queues.error.status === 403)) setQueuesOff(true);
  }, [queues.error]);

  return (
    <div className="overview">
      <PageHeader
        title="Overview"
        subtitle="Decisions as they happen, across every event type"
        actions={<>
          <LiveIndicator data={overview.data} failing={overview.error !== null} />
          <RangeSelector value={range} onChange={(r) => navigate(r === '1h' ? '/' : `/?range=${r}`, { replace: true })} />
        </>}
      />
      <Async state={overview} what="Loading the overview">
        {(d) => (
          <>
            <StrategyStrip strategy={d.strategy} shadows={d.shadows} />
            <Tiles d={d} queues={queuesOff ? null : queues.data?.queues ?? null} />
            {d.totals.events === 0 ? <NoTraffic rangeLong={info.long} /> : <Charts d={d} rangeMs={info.ms} />}
          </>
        )}
      </Async>
      {!queuesOff && <QueuesCard state={queues} />}
    </div>
  );
}

function RangeSelector({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r.key} type="button" role="radio" aria-checked={r.key === value} className={r.key === value ? 'on' : ''} onClick={() => onChange(r.key)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}

function LiveIndicator({ data, failing }: { data: OverviewData | null; failing: boolean }) {
  const at = data ? new Date(data.now).toLocaleTimeString([], { hour12: false }) : null;
  return (
    <div className={`live ${failing ? 'stale' : data ? 'on' : ''}`} role="status" aria-live="off">
      <span className="live-dot" aria-hidden="true" />
      <span className="live-text">{failing ? 'Reconnecting' : 'Live'}</span>
      {at && <span className="muted small">updated {at}</span>}
    </div>
  );
}

function StrategyStrip({ strategy, shadows }: { strategy: string; shadows: string[] }) {
  return (
    <Link to="/strategies" className="strategy-strip" aria-label="Deployed strategies">
      <span className="muted">Live strategy</span>
      <code className="strategy-live">{strategy || 'none'}</code>
      <span className="sep" aria-hidden="true" />
      <span className="muted">Shadows</span>
      {shadows.length === 0 ? <span className="muted">none</span> : shadows.map((s) => <code key={s} className="strategy-shadow">{s}</code>)}
      <span className="spacer" />
      <span className="strip-link">Strategies →</span>
    </Link>
  );
}

function Tiles({ d, queues }: { d: OverviewData; queues: Queue[] | null }) {
  const t = d.totals;
  const rate = (n: number) => (t.events ? n / t.events : null);
  const open = queues?.reduce((s, q) => s + q.open + q.claimed + q.pending_info, 0) ?? 0;
  const unclaimed = queues?.reduce((s, q) => s + q.open, 0) ?? 0;
  const overdue = queues?.reduce((s, q) => s + q.overdue, 0) ?? 0;
  const block = rate(t.block);
  const review = rate(t.review);
  return (
    <div className={`ov-tiles ${queues ? 'n6' : 'n4'}`}>
      <Stat label="Events per second" value={<>{d.eps < 10 ? d.eps.toFixed(1) : num(Math.round(d.eps))}<span className="unit">/s</span></>} hint="last 10 seconds" />
      <Stat label="Decisions" value={<span data-testid="overview-decisions">{num(t.events)}</span>} hint={`in the last ${RANGES.find((r) => r.key === d.range)?.long ?? d.range}`} />
      <Stat label="Block rate" value={pct(block)} hint={`${num(t.block)} blocked`} />
      <Stat label="Review rate" value={pct(review)} hint={`${num(t.review)} to review`} />
      {queues && <Stat label="Open cases" value={num(open)} hint={`${num(unclaimed)} unclaimed`} />}
      {queues && <Stat label="SLA breaches" value={num(overdue)} hint={overdue ? 'cases past their SLA' : 'none overdue'} tone={overdue > 0 ? 'bad' : 'good'} />}
    </div>
  );
}

function Charts({ d, rangeMs }: { d: OverviewData; rangeMs: number }) {
  const g = useMemo(() => regroup(d), [d]);
  // Rates, not counts: the newest group is still running, and a count would dip there.
  const eps = perSecond(g.events, g.seconds);
  // Decisions per second by verdict, stacked with block at the bottom so its share reads off the axis.
  const mix = [...VERDICTS].reverse().map((v) => ({ label: v, color: VERDICT_COLORS[v], values: perSecond(g.verdicts[v], g.seconds) }));
  const ruleRates = new Map([...g.rules].map(([rule, xs]) => [rule, perSecond(xs, g.seconds)]));
  const rateFmt = (v: number) => (v >= 1000 ? `${num(v / 1000)}k` : num(v));
  const per = `${shortDuration(g.groupMs)} averages`;
  return (
    <>
      <div className="grid cols-2">
        <Card title="Events per second" actions={<span className="muted small">{per}</span>}>
          <TimeChart ts={g.ts} series={[{ label: 'events/s', values: eps, color: '#2a6df4' }]} height={200} yFormat={rateFmt} label="Events per second over time" />
        </Card>
        <Card title="Verdict mix" actions={<span className="muted small">decisions/s by verdict, {per}</span>}>
          <TimeChart ts={g.ts} series={mix} stacked height={200} yFormat={rateFmt} label="Verdict mix over time" />
        </Card>
      </div>
      <div className="grid ov-split">
        <Card title="Score distribution" actions={<ScoreLegend edges={d.scores.edges} />}>
          <ScoreHeatmap ts={g.ts} bucketMs={g.groupMs} edges={d.scores.edges} counts={g.scores} height={200} />
          <p className="muted small chart-note">Each column is {shortDuration(g.groupMs)}; the stronger a cell, the larger the share of that column's decisions with that score.</p>
        </Card>
        <JumpsCard jumps={d.jumps} recentMs={rangeMs / 5} />
      </div>
      <TopRulesCard rules={d.top_rules} series={ruleRates} />
    </>
  );
}

function JumpsCard({ jumps, recentMs }: { jumps: Jump[]; recentMs: number }) {
  return (
    <Card title={<>Rules that jumped {jumps.length > 0 && <Badge tone="warn">{jumps.length}</Badge>}</>} className={`jumps ${jumps.length ? 'hot' : ''}`}>
      <p className="muted small jumps-note">Hit rate over the last {shortDuration(recentMs)} against the rest of the range; 3× or more.</p>
      {jumps.length === 0 ? (
        <Empty title="No rule jumped against its baseline">Every rule fires at about its usual rate.</Empty>
      ) : (
        <ul className="jump-list">
          {jumps.map((j) => {
            const fresh = j.baseline_rate === 0 || j.ratio === null || !Number.isFinite(j.ratio);
            return (
              <li key={j.rule}>
                <div className="jump-head">
                  <code className="rule-name">{j.rule}</code>
                  {fresh ? <Badge tone="warn" title="No hits before the recent window">new</Badge> : <span className="jump-ratio">×{j.ratio! >= 10 ? Math.round(j.ratio!) : j.ratio!.toFixed(1)}</span>}
                </div>
                <div className="muted small">
                  {pct(j.baseline_rate, 2)} → <strong className="jump-now">{pct(j.recent_rate, 2)}</strong> of decisions · {num(j.recent_hits)} hits
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

function TopRulesCard({ rules, series }: { rules: TopRule[]; series: Map<string, number[]> }) {
  const maxRate = Math.max(0.0001, ...rules.map((r) => r.rate));
  return (
    <Card title="Top rules by hits">
      {rules.length === 0 ? (
        <Empty title="No rule fired in this range">Decisions are all allow with no rule hits; rules show here once they match events.</Empty>
      ) : (
        <table className="top-rules">
          <thead><tr><th>Rule</th><th className="num">Hits</th><th>Hit rate</th><th>Over time</th></tr></thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.rule}>
                <td><code className="rule-name">{r.rule}</code></td>
                <td className="num">{num(r.hits)}</td>
                <td className="rate-cell">
                  <span className="rate-bar" aria-hidden="true"><span style={{ width: `${(r.rate / maxRate) * 100}%` }} /></span>
                  <span className="num">{pct(r.rate, 2)}</span>
                </td>
                <td><Sparkline values={series.get(r.rule) ?? r.series} width={160} height={26} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function QueuesCard({ state }: { state: { data: { queues: Queue[] } | null; error: ApiError | null; loading: boolean; reload: () => void } }) {
  const [showIdle, setShowIdle] = useState(false);
  if (state.error && (state.error.status === 404 || state.error.status === 403)) return null;
  const all = state.data?.queues ?? [];
  const load = (q: Queue) => q.open + q.claimed + q.pending_info;
  // Busiest first: overdue cases, then open work; idle queues fold away.
  const sorted = [...all].sort((a, b) => b.overdue - a.overdue || load(b) - load(a) || (a.name < b.name ? -1 : 1));
  const busy = sorted.filter((q) => load(q) > 0 || q.overdue > 0);
  const idle = sorted.length - busy.length;
  const shown = showIdle ? sorted : busy;
  return (
    <Card title="Review queues" actions={<Link to="/cases" className="small">All cases →</Link>}>
      {state.data === null ? (state.error ? <ErrorBox error={state.error} retry={state.reload} /> : <div className="muted small">Loading queues…</div>) : all.length === 0 ? (
        <Empty title="No review queues yet">Queues appear when a strategy sends decisions to review, or an admin creates one (PUT /v1/queues/:name).</Empty>
      ) : (
        <>
          {shown.length === 0 ? (
            <p className="muted queues-idle">No open cases in any queue.</p>
          ) : (
            <table className="queues">
              <thead><tr><th>Queue</th><th>Kind</th><th className="num">Open</th><th className="num">Claimed</th><th className="num">Waiting for info</th><th className="num">Overdue</th><th className="num">SLA</th></tr></thead>
              <tbody>
                {shown.map((q) => (
                  <tr key={q.name}>
                    <td><Link to={`/cases?queue=${encodeURIComponent(q.name)}`}>{q.name}</Link>{q.description && <span className="muted small queue-desc">{q.description}</span>}</td>
                    <td><Badge tone={q.kind === 'appeal' ? 'info' : 'neutral'}>{q.kind}</Badge></td>
                    <td className="num">{q.open ? num(q.open) : <span className="muted">0</span>}</td>
                    <td className="num">{q.claimed ? num(q.claimed) : <span className="muted">0</span>}</td>
                    <td className="num">{q.pending_info ? num(q.pending_info) : <span className="muted">0</span>}</td>
                    <td className="num">{q.overdue > 0 ? <Badge tone="bad">{num(q.overdue)}</Badge> : <span className="muted">0</span>}</td>
                    <td className="num">{shortDuration(q.sla_seconds * 1000)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {idle > 0 && (
            <button type="button" className="btn small ghost idle-toggle" onClick={() => setShowIdle(!showIdle)}>
              {showIdle ? 'Hide idle queues' : `Show ${idle} idle queue${idle === 1 ? '' : 's'}`}
            </button>
          )}
        </>
      )}
    </Card>
  );
}

function NoTraffic({ rangeLong }: { rangeLong: string }) {
  const origin = location.origin;
  return (
    <Card className="no-traffic">
      <Empty title={`No decisions in the last ${rangeLong}`}>
        <p>Send events to the decision API with a key that has the <code>ingest</code> scope:</p>
        <pre className="snippet">{`curl -s ${origin}/v1/decide \\
  -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \\
  -d '{"id":"e1","type":"login","ts":${Date.now()},"account":"a1","device":"d1","ip":"203.0.113.7","success":false,"method":"password"}'`}</pre>
        <p>or stream simulated traffic from the command line:</p>
        <pre className="snippet">{`bulwark sim --send ${origin} --key $KEY --events 5000`}</pre>
        <p className="small">The development key was printed when the server first started; admins can create more under <Link to="/admin">Users and keys</Link>.</p>
      </Empty>
    </Card>
  );
}
