// Models: every registered version with its training report (ROC and PR curves, calibration, importance)
// and, for the versions this server scores, the drift monitor (score distribution, input PSI).
import { Bars, XYChart } from '../charts.tsx';
import { ago, num, time } from '../format.ts';
import { useApi } from '../hooks.ts';
import { navigate, useLocation } from '../router.tsx';
import { Async, Badge, Card, Empty, PageHeader, Stat } from '../ui.tsx';

interface RankMetrics { roc_auc: number; pr_auc: number; recall_at_k: number; recall_at_fpr_1pct: number; precision_at_fpr_1pct: number; ks: number; log_loss?: number }
interface Summary {
  name: string; version: number; kind: string; source: string; inputs: number; created_at: string; created_by: string;
  metrics: { test?: RankMetrics; strategy_on_test?: RankMetrics | null; rows?: Record<string, number>; positives?: Record<string, number> };
  monitor: { status: MonitorStatus; observed: number; score_psi: number | null; max_input_psi: number | null } | null;
}
type MonitorStatus = 'stable' | 'watch' | 'shifted' | 'no_data' | 'no_reference';
interface Report {
  roc: { fpr: number; tpr: number }[];
  pr: { recall: number; precision: number }[];
  calibration: { lo: number; hi: number; count: number; meanPredicted: number; observedRate: number }[];
  importance: { feature: string; mean_abs: number }[];
}
interface Detail {
  name: string; version: number; kind: string; source: string; fingerprint: string; note: string; createdAt: string; createdBy: string; trees: number | null;
  inputs: { name: string; type: string }[];
  params: Record<string, unknown>;
  metrics: Summary['metrics'] & { report?: Report };
  monitor: { observed: number; status: MonitorStatus; maxInputPsi: number | null; score: { mean: number; psi: number | null; buckets: { le: number; count: number }[] }; inputs: { feature: string; psi: number | null; missingRate: number }[] } | null;
}

const STATUS_TONE: Record<MonitorStatus, 'good' | 'warn' | 'bad' | 'neutral'> = { stable: 'good', watch: 'warn', shifted: 'bad', no_data: 'neutral', no_reference: 'neutral' };
const STATUS_TEXT: Record<MonitorStatus, string> = { stable: 'stable', watch: 'watch', shifted: 'shifted', no_data: 'not scored yet', no_reference: 'no training reference' };
const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));

export function Models() {
  const list = useApi<{ models: Summary[] }>('/v1/models', { pollMs: 10_000 });
  const { query } = useLocation();
  const selected = query.get('model');
  return (
    <>
      <PageHeader title="Models" subtitle="Trained on review labels and point-in-time training sets; scored inline with reason codes; watched for drift." />
      <Async state={list} what="Loading models">
        {({ models }) => models.length === 0 ? (
          <Empty title="No models registered">
            Export a training set and train one: <code>bulwark export … --out train.csv</code>, then <code>bulwark model train --data train.csv --label label --out login_risk</code>.
            Strategies use it as <code>feature risk = model("login_risk", 1)</code>. See docs/models.md.
          </Empty>
        ) : (
          <>
            <Card title="Registered versions">
              <table>
                <thead><tr><th>Model</th><th>Kind</th><th className="num">Inputs</th><th className="num">PR-AUC</th><th className="num">ROC-AUC</th><th className="num">Strategy PR-AUC</th><th>Monitor</th><th className="num">Scored</th><th>Created</th></tr></thead>
                <tbody>
                  {models.map((m) => {
                    const ref = `${m.name}@${m.version}`;
                    return (
                      <tr key={ref} className="clickable" aria-selected={selected === ref} onClick={() => navigate(`/models?model=${encodeURIComponent(ref)}`)}>
                        <td><strong className="mono">{ref}</strong> <span className="muted small">{m.source}</span></td>
                        <td>{m.kind}</td>
                        <td className="num">{m.inputs}</td>
                        <td className="num">{f3(m.metrics.test?.pr_auc)}</td>
                        <td className="num">{f3(m.metrics.test?.roc_auc)}</td>
                        <td className="num">{f3(m.metrics.strategy_on_test?.pr_auc)}</td>
                        <td>{m.monitor ? <Badge tone={STATUS_TONE[m.monitor.status]}>{STATUS_TEXT[m.monitor.status]}</Badge> : <span className="muted small">not loaded</span>}</td>
                        <td className="num">{num(m.monitor?.observed ?? 0)}</td>
                        <td title={time(m.created_at)}>{ago(m.created_at)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </Card>
            <ModelDetail key={selected ?? `${models[0]!.name}@${models[0]!.version}`} ref_={selected ?? `${models[0]!.name}@${models[0]!.version}`} />
          </>
        )}
      </Async>
    </>
  );
}

function ModelDetail({ ref_ }: { ref_: string }) {
  const [name, version] = ref_.split('@');
  const d = useApi<Detail>(`/v1/models/${encodeURIComponent(name!)}/${encodeURIComponent(version!)}`, { pollMs: 10_000 });
  return (
    <Async state={d} what={`Loading ${ref_}`}>
      {(m) => {
        const t = m.metrics.test;
        const s = m.metrics.strategy_on_test;
        const r = m.metrics.report;
        return (
          <>
            <h3>{ref_} · {m.kind}{m.trees !== null ? `, ${m.trees} trees` : ''} · by {m.createdBy}</h3>
            <div className="grid cols-4" style={{ marginBottom: 16 }}>
              <Stat label="PR-AUC (test)" value={f3(t?.pr_auc)} hint={s ? `strategy ${f3(s.pr_auc)} (${t && s.pr_auc > 0 ? (t.pr_auc / s.pr_auc).toFixed(2) + '×' : '–'})` : undefined} />
              <Stat label="ROC-AUC (test)" value={f3(t?.roc_auc)} hint={s ? `strategy ${f3(s.roc_auc)}` : undefined} />
              <Stat label="Recall at 1% FPR" value={f3(t?.recall_at_fpr_1pct)} hint={`precision there ${f3(t?.precision_at_fpr_1pct)}`} />
              <Stat label="KS" value={f3(t?.ks)} hint={m.metrics.rows ? `${num(m.metrics.rows.train)} train · ${num(m.metrics.rows.test)} test rows` : undefined} />
            </div>
            {r ? (
              <div className="grid cols-2">
                <Card title="ROC curve (test rows)"><XYChart x={r.roc.map((p) => p.fpr)} series={[{ label: 'model', values: r.roc.map((p) => p.tpr) }]} xLabel="false-positive rate" yLabel="true-positive rate" diagonal /></Card>
                <Card title="Precision–recall (test rows)"><XYChart x={r.pr.map((p) => p.recall)} series={[{ label: 'model', values: r.pr.map((p) => p.precision), color: '#8b5cf6' }]} xLabel="recall" yLabel="precision" /></Card>
                <Card title="Feature importance (mean |contribution|)"><Bars items={r.importance.slice(0, 15).map((i) => ({ label: i.feature, value: i.mean_abs }))} /></Card>
                <Card title="Calibration">
                  <table>
                    <thead><tr><th>Score band</th><th className="num">Rows</th><th className="num">Mean predicted</th><th className="num">Observed rate</th></tr></thead>
                    <tbody>{r.calibration.filter((b) => b.count > 0).map((b) => (
                      <tr key={b.lo}><td className="mono">{b.lo.toFixed(3)}–{b.hi.toFixed(3)}</td><td className="num">{num(b.count)}</td><td className="num">{b.meanPredicted.toFixed(3)}</td><td className="num">{b.observedRate.toFixed(3)}</td></tr>
                    ))}</tbody>
                  </table>
                </Card>
              </div>
            ) : <Empty title="No training report">This version was imported or trained before reports were stored.</Empty>}
            <Monitor m={m} />
            <Card title={`Inputs (${m.inputs.length}) and parameters`}>
              <div className="row small" style={{ gap: 6, marginBottom: 8 }}>{m.inputs.map((i) => <code key={i.name} className="badge">{i.name}:{i.type}</code>)}</div>
              <div className="row small" style={{ gap: 6 }}>{Object.entries(m.params).map(([k, v]) => <span key={k} className="badge tone-info">{k} = {typeof v === 'object' ? JSON.stringify(v) : String(v)}</span>)}</div>
              <p className="muted small">training data fingerprint {m.fingerprint || '–'}</p>
            </Card>
          </>
        );
      }}
    </Async>
  );
}

function Monitor({ m }: { m: Detail }) {
  const mon = m.monitor;
  if (!mon) return <Card title="Drift monitor"><Empty title="Not scored by this server">Deploy a strategy that uses <code>model("{m.name}", {m.version})</code> and its scores and inputs are watched here.</Empty></Card>;
  const psiColor = (v: number | null) => (v === null ? '#9ca3af' : v > 0.25 ? '#dc4c4c' : v > 0.1 ? '#e0a526' : '#3aa76d');
  return (
    <div className="grid cols-2" style={{ marginTop: 16 }}>
      <Card title="Live score distribution" actions={<Badge tone={STATUS_TONE[mon.status]}>{STATUS_TEXT[mon.status]}</Badge>}>
        <p className="muted small">{num(mon.observed)} scores since start · mean {mon.observed ? mon.score.mean.toFixed(3) : '–'} · score PSI {f3(mon.score.psi)}</p>
        <Bars items={mon.score.buckets.map((b) => ({ label: `≤ ${b.le}`, value: b.count }))} format={(v) => num(v)} color="#8b5cf6" />
      </Card>
      <Card title="Input drift (PSI against training)">
        <p className="muted small">Under 0.1 stable, 0.1–0.25 watch, over 0.25 the population shifted.</p>
        {mon.inputs.some((i) => i.psi !== null)
          ? <Bars items={[...mon.inputs].sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1)).slice(0, 15).map((i) => ({ label: i.feature, value: i.psi ?? 0, color: psiColor(i.psi) }))} max={Math.max(0.3, ...mon.inputs.map((i) => i.psi ?? 0))} />
          : <Empty title={mon.status === 'no_reference' ? 'No training reference stored' : 'Not enough scores yet'} />}
      </Card>
    </div>
  );
}
