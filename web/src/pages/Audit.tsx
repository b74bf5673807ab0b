// The audit log: every human or system write with who, what, on what, and the before/after.
// Filters live in the URL so a view of the log can be shared as a link.
import { Fragment, useState, type FormEvent } from 'react';
import { api, qs } from '../api.ts';
import { useAction, useApi } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { Async, Badge, Button, Card, Empty, ErrorBox, PageHeader } from '../ui.tsx';
import { ago, entityPath, num } from '../format.ts';
import { JsonDiff } from './admin/JsonDiff.tsx';
import './admin/audit.css';

interface AuditEntry { id: number; at: string; actor: string; action: string; target: string; before: unknown; after: unknown }

const FIELDS = ['actor', 'action', 'target', 'from', 'to', 'limit'] as const;
type Filters = Record<(typeof FIELDS)[number], string>;
const LIMITS = ['50', '100', '250', '500', '1000'];
const COMMON_ACTIONS = [
  'strategy.create', 'strategy.deploy', 'strategy.rollback', 'strategy.undeploy', 'list.create', 'list.add', 'list.remove', 'list.import',
  'label.set', 'label.clear', 'key.create', 'key.revoke', 'user.create', 'user.update', 'session.create', 'session.revoke', 'queue.put',
  'case.claim', 'case.release', 'case.confirm', 'case.clear', 'case.escalate', 'case.note', 'appeal.open', 'enforcement.create', 'enforcement.lift',
  'strike.add', 'strike.remove', 'model.create', 'setting.set', 'webhook.create',
];

function filtersFrom(query: URLSearchParams): Filters {
  const f = {} as Filters;
  for (const k of FIELDS) f[k] = query.get(k) ?? '';
  return f;
}

/** ISO (from the URL) → the value a datetime-local input shows, in local time. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
const fromLocalInput = (v: string): string => (v ? new Date(v).toISOString() : '');

function localTime(ts: string): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Where a target lives in the console, when it has a page. */
function targetPath(target: string): string | null {
  const i = target.indexOf(':');
  if (i < 0) return null;
  const kind = target.slice(0, i);
  const rest = target.slice(i + 1);
  switch (kind) {
    case 'case': return `/cases/${encodeURIComponent(rest)}`;
    case 'list': return `/lists?name=${encodeURIComponent(rest)}`;
    case 'queue': return `/cases?queue=${encodeURIComponent(rest)}`;
    case 'strategy': return '/strategies';
    case 'user': case 'key': return '/admin';
    default: return /^[A-Z][A-Za-z]*$/.test(kind) ? entityPath(target) : null;
  }
}

function actionTone(action: string): 'neutral' | 'good' | 'warn' | 'bad' | 'info' {
  if (/(revoke|remove|clear|delete|lift|rollback|undeploy|deactivate|disable)/.test(action)) return 'bad';
  if (/(create|add|open|import)/.test(action)) return 'good';
  if (/(deploy|set|put|update)/.test(action)) return 'info';
  return 'neutral';
}

export function Audit() {
  const { query } = useLocation();
  const applied = filtersFrom(query);
  const params = { actor: applied.actor, action: applied.action, target: applied.target, from: applied.from, to: applied.to, limit: applied.limit || '100' };
  const path = `/v1/audit${qs(params)}`;
  const entries = useApi<{ entries: AuditEntry[] }>(path);
  const apply = (f: Partial<Filters>) => {
    const next = { ...applied, ...f };
    navigate(`/audit${qs(next)}`);
  };
  const active = FIELDS.filter((k) => k !== 'limit' && applied[k]);

  return (
    <>
      <PageHeader title="Audit log" subtitle="Every change made by people, keys and the system, newest first" actions={<Button variant="ghost" onClick={entries.reload}>Refresh</Button>} />
      <FilterBar key={query.toString()} initial={applied} onApply={apply} />
      {active.length > 0 && (
        <div className="active-filters row">
          <span className="muted small">Filtered by</span>
          {active.map((k) => (
            <span key={k} className="filter-chip">
              {k} <strong>{k === 'from' || k === 'to' ? localTime(applied[k]) : applied[k]}</strong>
              <button type="button" aria-label={`Clear ${k} filter`} onClick={() => apply({ [k]: '' })}>×</button>
            </span>
          ))}
          <button type="button" className="btn small ghost" onClick={() => navigate('/audit')}>Clear all</button>
        </div>
      )}
      <Card>
        <Async state={entries} what="Loading the audit log">
          {({ entries: list }) => list.length === 0 ? (
            <Empty title={active.length ? 'No entries match these filters' : 'The audit log is empty'}>
              {active.length ? 'Actor, action and target match exactly, or as a prefix when they end in * (case.*); widen the time range or clear a filter.' : 'Changes to strategies, lists, labels, keys, users and cases are recorded here as they happen.'}
            </Empty>
          ) : (
            <AuditTable key={path} first={list} params={params} onFilter={apply} />
          )}
        </Async>
      </Card>
    </>
  );
}

function FilterBar({ initial, onApply }: { initial: Filters; onApply: (f: Filters) => void }) {
  const [f, setF] = useState<Filters>({ ...initial, from: toLocalInput(initial.from), to: toLocalInput(initial.to) });
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setF((s) => ({ ...s, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ actor: f.actor.trim(), action: f.action.trim(), target: f.target.trim(), from: fromLocalInput(f.from), to: fromLocalInput(f.to), limit: f.limit === '100' ? '' : f.limit });
  };
  return (
    <form className="card filter-bar" onSubmit={submit} aria-label="Audit filters">
      <label>Actor<input value={f.actor} onChange={set('actor')} placeholder="user:alice" title="Exact, or a prefix ending in *" /></label>
      <label>Action<input value={f.action} onChange={set('action')} placeholder="list.*" list="audit-actions" title="Exact, or a prefix ending in *" /></label>
      <datalist id="audit-actions">{COMMON_ACTIONS.map((a) => <option key={a} value={a} />)}</datalist>
      <label>Target<input value={f.target} onChange={set('target')} placeholder="list:blocked_ips" title="Exact, or a prefix ending in *" /></label>
      <label className="when">From<input type="datetime-local" value={f.from} onChange={set('from')} /></label>
      <label className="when">To<input type="datetime-local" value={f.to} onChange={set('to')} /></label>
      <label className="limit">Limit
        <select value={f.limit || '100'} onChange={set('limit')}>{LIMITS.map((l) => <option key={l} value={l}>{l}</option>)}</select>
      </label>
      <Button type="submit" variant="primary">Apply</Button>
    </form>
  );
}

function AuditTable({ first, params, onFilter }: { first: AuditEntry[]; params: Record<string, string>; onFilter: (f: Partial<Filters>) => void }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const limit = Number(params.limit);
  // Older pages, fetched with before_id below the oldest entry shown.
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [done, setDone] = useState(first.length < limit);
  const entries = older.length ? [...first, ...older] : first;
  const more = useAction(async () => {
    const r = await api<{ entries: AuditEntry[] }>(`/v1/audit${qs({ ...params, before_id: entries[entries.length - 1]!.id })}`);
    setOlder((o) => [...o, ...r.entries]);
    if (r.entries.length < limit) setDone(true);
  });
  const toggle = (id: number) => setOpen((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  return (
    <>
      <table className="audit-table">
        <thead><tr><th className="chev" /><th>Time</th><th>Actor</th><th>Action</th><th>Target</th></tr></thead>
        <tbody>
          {entries.map((e) => {
            const expanded = open.has(e.id);
            const to = targetPath(e.target);
            return (
              <Fragment key={e.id}>
                <tr className={`clickable ${expanded ? 'expanded' : ''}`} onClick={() => toggle(e.id)}>
                  <td className="chev">
                    <button type="button" className="chev-btn" aria-expanded={expanded} aria-label={`${expanded ? 'Hide' : 'Show'} details of entry ${e.id}`} onClick={(ev) => { ev.stopPropagation(); toggle(e.id); }}>
                      <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><path d="M4 2l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.6" /></svg>
                    </button>
                  </td>
                  <td className="nowrap" title={`${new Date(e.at).toISOString()} · ${ago(e.at)}`}><span className="mono">{localTime(e.at)}</span></td>
                  <td><FilterValue value={e.actor} onClick={() => onFilter({ actor: e.actor })} label="actor" /></td>
                  <td><button type="button" className="link-btn" title="Show only this action" onClick={(ev) => { ev.stopPropagation(); onFilter({ action: e.action }); }}><Badge tone={actionTone(e.action)}>{e.action}</Badge></button></td>
                  <td>
                    <FilterValue value={e.target} onClick={() => onFilter({ target: e.target })} label="target" />
                    {to && <span onClick={(ev) => ev.stopPropagation()}><Link to={to} className="open-link small" title="Open" aria-label={`Open ${e.target}`}>↗</Link></span>}
                  </td>
                </tr>
                {expanded && (
                  <tr className="detail-row">
                    <td />
                    <td colSpan={4}><JsonDiff before={e.before} after={e.after} /></td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <ErrorBox error={more.error} retry={() => void more.run()} />
      <div className="row table-foot">
        <span className="muted small">{num(entries.length)} entr{entries.length === 1 ? 'y' : 'ies'}{done ? ' — all that match' : ', newest first'}</span>
        <span className="spacer" />
        {!done && <Button pending={more.pending} onClick={() => void more.run()}>Load older entries</Button>}
      </div>
    </>
  );
}

function FilterValue({ value, onClick, label }: { value: string; onClick: () => void; label: string }) {
  return (
    <button type="button" className="link-btn mono" title={`Show only this ${label}`} onClick={(ev) => { ev.stopPropagation(); onClick(); }}>{value}</button>
  );
}
