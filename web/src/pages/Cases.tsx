// Cases: the queues with their counts and SLA, the list of cases (reviews and appeals), and "Next case" for reviewers.
import { useEffect, useState } from 'react';
import { qs } from '../api.ts';
import { useApi, useKeys, useSession } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { Async, Badge, Card, Empty, EntityLink, ErrorBox, PageHeader, Tabs } from '../ui.tsx';
import { ago, duration, num } from '../format.ts';
import { actorName, CaseStatusBadge, Due, isOverdue } from './cases/badges.tsx';
import { NextCaseButton, useNextCase } from './cases/next.tsx';
import type { Case } from './entities/types.ts';
import './entities/entities.css';
import './cases/cases.css';

export { CasePage } from './cases/CasePage.tsx';

/** How urgent a waiting case is: its priority plus 2 points per hour of waiting (as Next case ranks them). */
const urgency = (c: Case, now: number) => c.priority + ((now - new Date(c.opened_at).getTime()) / 3_600_000) * 2;

interface Queue { name: string; description: string; kind: 'review' | 'appeal'; sla_seconds: number; severity: number; open: number; claimed: number; pending_info: number; overdue: number }

type Kind = 'review' | 'appeal';
type StatusFilter = 'active' | 'open' | 'claimed' | 'mine' | 'pending_info' | 'closed' | 'all';
const STATUS_LABELS: Record<StatusFilter, string> = { active: 'Not closed', open: 'Open', claimed: 'Claimed', mine: 'Claimed by me', pending_info: 'Pending info', closed: 'Closed', all: 'All' };
const ACTIVE = ['open', 'claimed', 'pending_info'] as const;

export function CaseList() {
  const { can, me } = useSession();
  const { query } = useLocation();
  const kind: Kind = query.get('kind') === 'appeal' ? 'appeal' : 'review';
  const queue = query.get('queue') ?? '';
  const status = (query.get('status') ?? 'active') as StatusFilter;
  const [limit, setLimit] = useState(50);
  const [showIdle, setShowIdle] = useState(false);
  useEffect(() => setLimit(50), [kind, queue, status]);
  const setFilter = (patch: Record<string, string>) => {
    const next = { kind, queue, status, ...patch };
    navigate(`/cases${qs({ kind: next.kind === 'review' ? '' : next.kind, queue: next.queue, status: next.status === 'active' ? '' : next.status })}`, { replace: true });
  };

  const queues = useApi<{ queues: Queue[] }>('/v1/queues', { pollMs: 10_000 });
  const base = { kind, queue, limit };
  // "Not closed" is three lists (the API filters one status at a time).
  const open = useApi<{ cases: Case[] }>(status === 'active' ? `/v1/cases${qs({ ...base, status: 'open' })}` : null, { pollMs: 10_000 });
  const claimed = useApi<{ cases: Case[] }>(status === 'active' ? `/v1/cases${qs({ ...base, status: 'claimed' })}` : null, { pollMs: 10_000 });
  const pending = useApi<{ cases: Case[] }>(status === 'active' ? `/v1/cases${qs({ ...base, status: 'pending_info' })}` : null, { pollMs: 10_000 });
  const one = useApi<{ cases: Case[] }>(status !== 'active' ? `/v1/cases${qs({ ...base, status: status === 'all' ? '' : status === 'mine' ? 'claimed' : status, assignee: status === 'mine' ? me.actor : '' })}` : null, { pollMs: 10_000 });
  const parts = status === 'active' ? [open, claimed, pending] : [one];
  const error = parts.find((p) => p.error)?.error ?? null;
  const loaded = parts.every((p) => p.data !== null);
  const now = Date.now();
  let cases: Case[] = parts.flatMap((p) => p.data?.cases ?? []);
  // Not closed: the order Next case works in (overdue first, then priority and age).
  if (status === 'active') cases = cases.sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)) || urgency(b, now) - urgency(a, now) || a.id - b.id);
  const truncated = parts.some((p) => (p.data?.cases.length ?? 0) >= limit);

  const nextCase = useNextCase();
  const reviewer = can('review');
  // On the Appeals tab, Next case works appeals; on Reviews, every queue (or the one picked).
  const appealQueue = (queues.data?.queues ?? []).find((q) => q.kind === 'appeal')?.name;
  const nextQueue = queue || (kind === 'appeal' ? appealQueue : undefined);
  const goNext = () => { if (!nextCase.pending) void nextCase.next(nextQueue); };
  useKeys((k) => { if (k === 'n' && reviewer) goNext(); }, [reviewer, nextQueue, nextCase.pending]);

  const qs_ = queues.data?.queues ?? [];
  const shownQueues = qs_.filter((q) => q.kind === kind).filter((q) => me.queues === null || me.queues.includes(q.name) || q.open + q.claimed + q.pending_info > 0);
  const appealsWaiting = qs_.filter((q) => q.kind === 'appeal').reduce((n, q) => n + q.open + q.claimed + q.pending_info, 0);
  const reviewsWaiting = qs_.filter((q) => q.kind === 'review').reduce((n, q) => n + q.open + q.claimed + q.pending_info, 0);
  const selectedQueue = qs_.find((q) => q.name === queue);
  const idle = shownQueues.filter((q) => q.name !== queue && q.open + q.claimed + q.pending_info === 0);

  return (
    <>
      <PageHeader
        title="Cases"
        subtitle={me.queues ? <>You work {me.queues.length === 0 ? 'no queues yet — ask an admin' : me.queues.join(', ')}.</> : 'Review queues opened by strategy rules, by hand and by appeals.'}
        actions={reviewer ? <NextCaseButton pending={nextCase.pending} onClick={goNext} /> : undefined}
      />
      {nextCase.none && (
        <div className="ec-flash good" role="status">
          <strong>All caught up.</strong> {nextCase.none} New cases open as rules send decisions to review.
          <button type="button" className="btn small ghost" onClick={nextCase.clearNone} aria-label="Dismiss">✕</button>
        </div>
      )}
      {nextCase.error && (
        <div className="row" style={{ marginBottom: 14 }}>
          <ErrorBox error={nextCase.error} />
          {nextCase.error.body.code === 'conflict' && <button type="button" className="btn small" onClick={() => setFilter({ status: 'mine' })}>Show the cases you hold</button>}
        </div>
      )}

      <Tabs<Kind>
        tabs={[
          { key: 'review', label: <>Reviews {reviewsWaiting > 0 && <span className="ec-tab-count">{num(reviewsWaiting)}</span>}</> },
          { key: 'appeal', label: <>Appeals {appealsWaiting > 0 && <span className="ec-tab-count">{num(appealsWaiting)}</span>}</> },
        ]}
        active={kind}
        onChange={(k) => setFilter({ kind: k, queue: '' })}
      />

      <Async state={queues} what="Loading queues">
        {() => shownQueues.length === 0 ? (
          <Empty title={kind === 'appeal' ? 'No appeal queue' : 'No queues yet'}>
            Queues appear when a strategy rule names one (<span className="mono">queue "spam"</span>) or an admin creates one.
          </Empty>
        ) : (
          <div className="ec-queue-grid" role="list" aria-label="Queues">
            {shownQueues.length > 1 && (
              <QueueCard
                name="All queues"
                selected={queue === ''}
                onClick={() => setFilter({ queue: '' })}
                q={shownQueues.reduce((a, q) => ({ ...a, open: a.open + q.open, claimed: a.claimed + q.claimed, pending_info: a.pending_info + q.pending_info, overdue: a.overdue + q.overdue }), { open: 0, claimed: 0, pending_info: 0, overdue: 0 })}
              />
            )}
            {shownQueues
              .filter((q) => showIdle || q.name === queue || q.open + q.claimed + q.pending_info > 0)
              .sort((a, b) => b.overdue - a.overdue || (b.open + b.claimed + b.pending_info) - (a.open + a.claimed + a.pending_info) || a.name.localeCompare(b.name))
              .map((q) => <QueueCard key={q.name} name={q.name} q={q} sla={q.sla_seconds} description={q.description} selected={queue === q.name} onClick={() => setFilter({ queue: queue === q.name ? '' : q.name })} />)}
            {idle.length > 0 && (
              <button type="button" className="ec-queue-card ec-idle-toggle" onClick={() => setShowIdle((v) => !v)} aria-expanded={showIdle}>
                {showIdle ? 'Hide empty queues' : <>{idle.length} empty queue{idle.length === 1 ? '' : 's'}<span className="small muted">{idle.slice(0, 4).map((q) => q.name).join(', ')}{idle.length > 4 ? '…' : ''}</span></>}
              </button>
            )}
          </div>
        )}
      </Async>

      <Card
        title={<>{kind === 'appeal' ? 'Appeals' : 'Cases'}{selectedQueue ? <> in <span className="mono">{selectedQueue.name}</span></> : ''}</>}
        actions={
          <div className="row">
            {queue && <button type="button" className="btn small ghost" onClick={() => setFilter({ queue: '' })}>Clear queue filter</button>}
            <label className="ec-inline-label">
              Status
              <select value={status} onChange={(e) => setFilter({ status: e.target.value })}>
                {(Object.keys(STATUS_LABELS) as StatusFilter[]).filter((s) => s !== 'mine' || reviewer).map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
              </select>
            </label>
          </div>
        }
      >
        {error && <ErrorBox error={error} retry={() => parts.forEach((p) => p.reload())} />}
        {!loaded && !error ? <div className="state loading" role="status"><span className="spinner" aria-hidden="true" />Loading cases…</div> : loaded && cases.length === 0 ? (
          <Empty title={status === 'active' ? `No ${kind === 'appeal' ? 'appeals' : 'cases'} waiting${queue ? ` in ${queue}` : ''}` : `No ${STATUS_LABELS[status].toLowerCase()} ${kind === 'appeal' ? 'appeals' : 'cases'}${queue ? ` in ${queue}` : ''}`}>
            {kind === 'appeal'
              ? 'Appeals open when a user contests an enforcement (POST /v1/appeals).'
              : status === 'active' ? 'Nothing to review. Cases open when a rule with a queue fires, or when someone opens one from an entity page.' : 'Try another status or queue.'}
          </Empty>
        ) : loaded && (
          <>
            <table className="ec-cases-table">
              <thead>
                <tr>
                  <th className="num">#</th><th>Entity</th><th>{kind === 'appeal' ? 'Statement' : 'Summary'}</th><th>Queue</th><th>Status</th>
                  <th className="num">Score</th><th className="num">Priority</th><th>Assignee</th><th>Age</th><th>{status === 'closed' ? 'Closed' : 'Due'}</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((c) => (
                  <tr key={c.id} className={`clickable ${isOverdue(c, now) ? 'is-overdue' : ''}`} onClick={() => navigate(`/cases/${c.id}`)}>
                    <td className="num"><Link to={`/cases/${c.id}`} onClick={(e) => e.stopPropagation()}>{c.id}</Link></td>
                    <td onClick={(e) => e.stopPropagation()}>{c.entity.includes(':~') ? <span className="entity">{c.entity}</span> : <EntityLink entity={c.entity} />}</td>
                    <td className="ec-summary-cell" title={c.summary}>{c.kind === 'appeal' && <Badge tone="warn">appeal</Badge>} {c.summary}</td>
                    <td className="mono small">{c.queue}</td>
                    <td><CaseStatusBadge c={c} /></td>
                    <td className="num">{num(c.score)}</td>
                    <td className="num">{num(c.priority)}</td>
                    <td className="small">{actorName(c.assignee)}</td>
                    <td className="small ec-nowrap" title={c.opened_at}>{ago(c.opened_at, now).replace(' ago', '')}</td>
                    <td className="small ec-nowrap"><Due c={c} now={now} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
            {truncated && limit < 1000 && (
              <div className="row" style={{ marginTop: 10 }}>
                <button type="button" className="btn small" onClick={() => setLimit((l) => Math.min(1000, l + 200))}>Show more</button>
                <span className="muted small">showing the newest {num(limit)}{status === 'active' ? ' per status' : ''}</span>
              </div>
            )}
          </>
        )}
      </Card>
    </>
  );
}

function QueueCard({ name, q, sla, description, selected, onClick }: { name: string; q: Pick<Queue, 'open' | 'claimed' | 'pending_info' | 'overdue'>; sla?: number; description?: string; selected: boolean; onClick: () => void }) {
  const waiting = q.open + q.claimed + q.pending_info;
  return (
    <button type="button" role="listitem" className={`ec-queue-card ${selected ? 'selected' : ''} ${waiting === 0 ? 'idle' : ''} ${q.overdue > 0 ? 'breach' : ''}`} onClick={onClick} aria-pressed={selected} title={description}>
      <div className="ec-queue-name">{name}</div>
      <div className="ec-queue-open"><b>{num(q.open)}</b> open</div>
      <div className="ec-queue-meta">
        <span>{num(q.claimed)} claimed</span>
        {q.pending_info > 0 && <span>{num(q.pending_info)} pending</span>}
        {q.overdue > 0 ? <span className="ec-overdue">{num(q.overdue)} overdue</span> : null}
      </div>
      {sla !== undefined && <div className="ec-queue-sla">SLA {duration(sla * 1000)}</div>}
    </button>
  );
}
