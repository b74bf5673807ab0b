// Enforcement in force and its history; strikes and how close they are to the next step of the ladder.
import { useState } from 'react';
import { Link } from '../../router.tsx';
import { Badge, Empty } from '../../ui.tsx';
import { ago, time } from '../../format.ts';
import { enforcementText, type Enforcement, type Enforcements, type Strike, type Strikes } from './types.ts';

function Until({ at }: { at: string | null }) {
  if (!at) return <span className="muted small">no expiry</span>;
  return <span className="muted small" title={time(at)}>until {time(at)} ({ago(at)})</span>;
}

function EnforcementRow({ e, active }: { e: Enforcement; active: boolean }) {
  return (
    <li className={`ec-enf-row ${active ? 'active' : 'past'}`}>
      <div className="row">
        <Badge tone={active ? (e.kind === 'warn' ? 'warn' : 'bad') : 'neutral'}>{enforcementText(e)}</Badge>
        <span className="small">for <span className="mono">{e.reason}</span></span>
        <span className="spacer" />
        {e.case_id !== null && <Link to={`/cases/${e.case_id}`} className="small">case #{e.case_id}</Link>}
      </div>
      <div className="muted small">
        {e.source === 'strike_policy' ? 'by the strike ladder' : `by ${e.created_by.replace(/^user:/, '')}`} · {time(e.created_at)}
        {' · '}
        {e.lifted_at ? <>lifted {ago(e.lifted_at)} by {e.lifted_by?.replace(/^user:/, '')}{e.lift_reason ? ` (${e.lift_reason})` : ''}</> : active ? <Until at={e.expires_at} /> : <>expired {ago(e.expires_at)}</>}
      </div>
    </li>
  );
}

/** The active enforcement, then the rest of the history behind a toggle. */
export function EnforcementList({ data }: { data: Enforcements }) {
  const [all, setAll] = useState(false);
  const activeIds = new Set(data.active.map((e) => e.id));
  const past = data.history.filter((e) => !activeIds.has(e.id));
  return (
    <>
      {data.active.length === 0
        ? <p className="ec-none-active">No enforcement in force.</p>
        : <ul className="ec-enf-list">{data.active.map((e) => <EnforcementRow key={e.id} e={e} active />)}</ul>}
      {past.length > 0 && (
        <>
          <button type="button" className="btn small ghost" aria-expanded={all} onClick={() => setAll((a) => !a)}>{all ? 'Hide' : 'Show'} history ({past.length})</button>
          {all && <ul className="ec-enf-list">{past.map((e) => <EnforcementRow key={e.id} e={e} active={false} />)}</ul>}
        </>
      )}
    </>
  );
}

export function StrikeList({ data }: { data: Strikes }) {
  const [all, setAll] = useState(false);
  const byReason = new Map<string, number>();
  for (const s of data.active) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  const rows = all ? data.history : data.active;
  if (data.history.length === 0) return <Empty title="No strikes">A strike is added each time a reviewer confirms a violation.</Empty>;
  return (
    <>
      <div className="row" style={{ marginBottom: 8 }}>
        {byReason.size === 0 ? <span className="muted small">No active strikes.</span> : [...byReason].map(([r, n]) => <Badge key={r} tone="warn">{n} × {r}</Badge>)}
      </div>
      {rows.length > 0 && (
        <ul className="ec-enf-list">
          {rows.map((s: Strike) => {
            const live = s.removed_at === null && new Date(s.expires_at).getTime() > Date.now();
            return (
              <li key={s.id} className={`ec-enf-row ${live ? 'active' : 'past'}`}>
                <div className="row">
                  <span className="mono small">{s.reason}</span>
                  <span className="spacer" />
                  {s.case_id !== null && <Link to={`/cases/${s.case_id}`} className="small">case #{s.case_id}</Link>}
                </div>
                <div className="muted small">
                  {time(s.created_at)} by {s.created_by.replace(/^user:/, '')} · {s.removed_at ? <>removed ({s.remove_reason})</> : live ? <>expires {ago(s.expires_at)}</> : <>expired</>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {data.history.length > data.active.length && (
        <button type="button" className="btn small ghost" aria-expanded={all} onClick={() => setAll((a) => !a)}>{all ? 'Only active' : `All strikes (${data.history.length})`}</button>
      )}
    </>
  );
}
