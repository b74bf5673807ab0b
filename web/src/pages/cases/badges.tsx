// Small pieces the case pages share: status badges, due times, outcome words.
import { Badge } from '../../ui.tsx';
import { ago, duration, time } from '../../format.ts';
import type { Case } from '../entities/types.ts';

export function CaseStatusBadge({ c }: { c: Pick<Case, 'status' | 'outcome' | 'overturned_at'> }) {
  if (c.status === 'closed') {
    const tone = c.outcome === 'confirmed' || c.outcome === 'upheld' ? 'bad' : c.outcome === 'cleared' || c.outcome === 'overturned' ? 'good' : 'neutral';
    return <Badge tone={tone} title={c.overturned_at ? `overturned on appeal ${ago(c.overturned_at)}` : undefined}>{c.outcome ?? 'closed'}{c.overturned_at ? ' · overturned' : ''}</Badge>;
  }
  if (c.status === 'claimed') return <Badge tone="info">claimed</Badge>;
  if (c.status === 'pending_info') return <Badge tone="warn">pending info</Badge>;
  return <Badge>open</Badge>;
}

export const isOverdue = (c: Pick<Case, 'status' | 'due_at'>, now = Date.now()) => c.status !== 'closed' && new Date(c.due_at).getTime() <= now;

/** "in 3h 20m" or, past the SLA, "overdue 2h" in red. */
export function Due({ c, now = Date.now() }: { c: Pick<Case, 'status' | 'due_at' | 'closed_at'>; now?: number }) {
  if (c.status === 'closed') return <span className="muted small" title={time(c.due_at)}>closed {c.closed_at ? ago(c.closed_at, now) : ''}</span>;
  const ms = new Date(c.due_at).getTime() - now;
  if (ms <= 0) return <span className="ec-overdue" title={`was due ${time(c.due_at)}`}>overdue {duration(-ms)}</span>;
  return <span title={time(c.due_at)}>in {duration(ms)}</span>;
}

export const actorName = (a: string | null | undefined) => (a ? a.replace(/^user:/, '') : '–');
