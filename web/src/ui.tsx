// The console's small design system: states every page needs (loading, empty, error), badges, cards and buttons.
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import type { ApiError, Verdict } from './api.ts';
import { Link } from './router.tsx';
import { entityPath } from './format.ts';

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </header>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <div className="state loading" role="status"><span className="spinner" aria-hidden="true" />{what}…</div>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <svg width="40" height="40" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5z" fill="none" stroke="currentColor" strokeWidth="1.5" /></svg>
      <strong>{title}</strong>
      {children && <div className="hint">{children}</div>}
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: ApiError | Error | null; retry?: () => void }) {
  if (!error) return null;
  const code = 'body' in error ? (error as ApiError).body.code : 'error';
  return (
    <div className="state error" role="alert">
      <strong>{code === 'forbidden' ? 'Not allowed' : code === 'network' ? 'Server unreachable' : 'Something went wrong'}</strong>
      <span>{error.message}</span>
      {retry && <button className="btn small" onClick={retry}>Retry</button>}
    </div>
  );
}

/** Loading / error / data in one place: renders children only once data is there. */
export function Async<T>({ state, children, what }: { state: { data: T | null; error: ApiError | null; loading: boolean; reload?: () => void }; children: (data: T) => ReactNode; what?: string }) {
  if (state.data !== null) return <>{state.error && <ErrorBox error={state.error} retry={state.reload} />}{children(state.data)}</>;
  if (state.error) return <ErrorBox error={state.error} retry={state.reload} />;
  return <Loading what={what} />;
}

export function VerdictBadge({ verdict }: { verdict: Verdict | string | null }) {
  return <span className={`badge verdict-${verdict ?? 'none'}`}>{verdict ?? '—'}</span>;
}

export function Badge({ children, tone = 'neutral', title }: { children: ReactNode; tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; title?: string }) {
  return <span className={`badge tone-${tone}`} title={title}>{children}</span>;
}

export function Card({ title, children, actions, className }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && <div className="card-head">{title && <h2>{title}</h2>}{actions}</div>}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: ReactNode; tone?: 'good' | 'warn' | 'bad' }) {
  return (
    <div className={`stat ${tone ? `tone-${tone}` : ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

export function Button({ pending, children, variant = 'default', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { pending?: boolean; variant?: 'default' | 'primary' | 'danger' | 'ghost' }) {
  return (
    <button className={`btn ${variant}`} disabled={pending || rest.disabled} {...rest}>
      {pending && <span className="spinner small" aria-hidden="true" />}
      {children}
    </button>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd>{children}</kbd>;
}

export function EntityLink({ entity }: { entity: string }) {
  return <Link to={entityPath(entity)} className="entity">{entity}</Link>;
}

export function Tabs<K extends string>({ tabs, active, onChange }: { tabs: { key: K; label: ReactNode }[]; active: K; onChange: (k: K) => void }) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((t) => (
        <button key={t.key} role="tab" aria-selected={t.key === active} className={t.key === active ? 'active' : ''} onClick={() => onChange(t.key)}>{t.label}</button>
      ))}
    </div>
  );
}

/** A determinate progress bar (fraction 0..1). */
export function ProgressBar({ fraction, label }: { fraction: number; label?: string }) {
  const p = Math.max(0, Math.min(1, fraction));
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p * 100)} aria-label={label}>
      <div className="progress-fill" style={{ width: `${p * 100}%` }} />
      <span className="progress-label">{label ?? `${Math.round(p * 100)}%`}</span>
    </div>
  );
}
