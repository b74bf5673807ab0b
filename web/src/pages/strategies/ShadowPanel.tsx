// Shadows: versions that decide every live event without acting on it. Each is compared with live on the
// same events since it started: agreement, where verdicts would move, which rules would fire differently.
import { useApi } from '../../hooks.ts';
import { Badge, Button, Empty, ErrorBox, Loading } from '../../ui.tsx';
import { ago, num, pct } from '../../format.ts';
import { ComparisonView } from './Report.tsx';
import type { ShadowComparison } from './types.ts';

export function ShadowPanel({ shadows, live, canAct, onRemove, onPromote }: { shadows: number[]; live: number | null; canAct: boolean; onRemove: (v: number) => void; onPromote: (v: number) => void }) {
  if (shadows.length === 0) {
    return (
      <Empty title="No version runs in shadow">
        A shadow decides every live event alongside the live version, without acting on it, so you can see what it would change on real traffic.
        {canAct ? ' Pick a saved version above and press “Deploy as shadow”.' : ''}
      </Empty>
    );
  }
  return <>{shadows.map((v) => <ShadowCard key={v} version={v} live={live} canAct={canAct} onRemove={onRemove} onPromote={onPromote} />)}</>;
}

function ShadowCard({ version, live, canAct, onRemove, onPromote }: { version: number; live: number | null; canAct: boolean; onRemove: (v: number) => void; onPromote: (v: number) => void }) {
  const cmp = useApi<ShadowComparison>(`/v1/shadow/${version}/compare`, { pollMs: 5000 });
  const r = cmp.data;
  const compared = r ? r.changed + r.unchanged : 0;
  const agreement = compared ? r!.unchanged / compared : null;
  return (
    <section className="bw-shadow">
      <div className="row bw-shadow-head">
        <h2>v{version} <span className="muted">in shadow</span> vs live v{live ?? '?'}</h2>
        {agreement !== null && <Badge tone={agreement >= 0.99 ? 'good' : agreement >= 0.95 ? 'warn' : 'bad'} title="share of events both gave the same verdict">{pct(agreement, 2)} agree</Badge>}
        {r && <span className="muted small">{num(compared)} events compared since {ago(r.since)}</span>}
        <span className="spacer" />
        {canAct && <Button onClick={() => onPromote(version)} aria-label={`Promote v${version} from shadow to live`}>Promote v{version}</Button>}
        {canAct && <Button onClick={() => onRemove(version)}>Remove shadow v{version}</Button>}
      </div>
      {cmp.error && cmp.error.status === 404 ? (
        <Empty title="No shadow decisions yet">v{version} is deployed in shadow; the comparison appears once live events arrive.</Empty>
      ) : cmp.error ? (
        <ErrorBox error={cmp.error} retry={cmp.reload} />
      ) : !r ? (
        <Loading what="Comparing with live" />
      ) : r.events === 0 ? (
        <Empty title="No events since the shadow started">Once traffic arrives, each event is decided by live and by v{version}, and the two are compared here.</Empty>
      ) : (
        <ComparisonView report={r} names={{ candidate: `Shadow v${version}`, baseline: `Live v${live ?? '?'}` }} />
      )}
    </section>
  );
}
