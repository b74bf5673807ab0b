// Backtest: replay the server's log over a time range through a candidate (the editor's sources or a saved
// version) and a baseline (live by default), on fresh state, and compare decision by decision.
import { useEffect, useState } from 'react';
import { api, ApiError, post } from '../../api.ts';
import { Button, Empty, ErrorBox, ProgressBar } from '../../ui.tsx';
import { duration, num, time } from '../../format.ts';
import { ComparisonView } from './Report.tsx';
import { lastJob } from './data.ts';
import type { BacktestJob, StrategyRef, VersionInfo } from './types.ts';

const PRESETS: { label: string; ms: number | null }[] = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last day', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'All history', ms: null },
];

/** A datetime-local input's value for an instant, in the browser's time zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export interface BacktestPanelProps {
  versions: VersionInfo[];
  live: number | null;
  /** The editor's current files, and whether the checker accepts them. */
  editorFiles: () => Record<string, string>;
  editorProblems: number;
  editorDirty: boolean;
  canRun: boolean;
}

export function BacktestPanel({ versions, live, editorFiles, editorProblems, editorDirty, canRun }: BacktestPanelProps) {
  const [candidate, setCandidate] = useState<string>('editor');
  const [baseline, setBaseline] = useState<string>('live');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [preset, setPreset] = useState<string | null>('All history');
  const [job, setJobState] = useState<BacktestJob | null>(lastJob.current);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const setJob = (j: BacktestJob | null) => { lastJob.current = j; setJobState(j); };

  // Poll a running job every half second until it is done or failed.
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    let stop = false;
    const t = setTimeout(async () => {
      try {
        const j = await api<BacktestJob>(`/v1/backtests/${job.id}`);
        if (!stop) setJob(j);
      } catch (e) {
        if (!stop) setError(e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: String(e) }));
      }
    }, 500);
    return () => { stop = true; clearTimeout(t); };
  }, [job]);

  const applyPreset = (p: (typeof PRESETS)[number]) => {
    setPreset(p.label);
    setFrom(p.ms === null ? '' : localInput(Date.now() - p.ms));
    setTo('');
  };

  const usesEditor = candidate === 'editor';
  const blocked = usesEditor && editorProblems > 0;
  const badRange = from !== '' && to !== '' && new Date(from).getTime() >= new Date(to).getTime();

  const run = async () => {
    setError(null);
    setStarting(true);
    try {
      const ref = (v: string): StrategyRef | null => (v === 'editor' ? { files: editorFiles() } : v === 'live' ? 'live' : v === 'none' ? null : Number(v));
      const body: Record<string, unknown> = { strategy: ref(candidate), baseline: ref(baseline), samples: 5 };
      // A preset is relative to when the run starts, not to when it was picked.
      const p = PRESETS.find((x) => x.label === preset);
      if (p && p.ms !== null) body.from = Date.now() - p.ms;
      else if (from) body.from = new Date(from).getTime();
      if (to && !(p && p.ms !== null)) body.to = new Date(to).getTime();
      setJob(await post<BacktestJob>('/v1/backtests', body));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: String(e) }));
    } finally {
      setStarting(false);
    }
  };

  const versionLabel = (v: number) => `v${v}${v === live ? ' (live)' : ''}`;
  const names = job ? sideNames(job) : null;

  return (
    <div className="bw-backtest">
      {canRun ? (
        <form className="bw-bt-form" onSubmit={(e) => { e.preventDefault(); void run(); }}>
          <div className="bw-bt-fields">
            <label>
              Candidate
              <select aria-label="Candidate" value={candidate} onChange={(e) => setCandidate(e.target.value)}>
                <option value="editor">Editor sources{editorDirty ? ' (unsaved edits)' : ''}</option>
                {[...versions].reverse().map((v) => <option key={v.version} value={v.version}>{versionLabel(v.version)}</option>)}
              </select>
            </label>
            <label>
              Compared with
              <select aria-label="Compared with" value={baseline} onChange={(e) => setBaseline(e.target.value)}>
                <option value="live">Live{live !== null ? ` (v${live})` : ''}</option>
                {[...versions].reverse().map((v) => <option key={v.version} value={v.version}>{versionLabel(v.version)}</option>)}
                <option value="none">Nothing (run it alone)</option>
              </select>
            </label>
            <label>
              From
              <input type="datetime-local" aria-label="From" value={from} onChange={(e) => { setFrom(e.target.value); setPreset(null); }} />
            </label>
            <label>
              To
              <input type="datetime-local" aria-label="To" value={to} placeholder="now" onChange={(e) => { setTo(e.target.value); setPreset(null); }} />
            </label>
          </div>
          <div className="row bw-presets" role="group" aria-label="Time range presets">
            {PRESETS.map((p) => (
              <button key={p.label} type="button" className={`btn small ${preset === p.label ? 'on' : ''}`} aria-pressed={preset === p.label} onClick={() => applyPreset(p)}>{p.label}</button>
            ))}
            <span className="muted small">Events are chosen by their own time (ts); an empty end means up to now.</span>
            <span className="spacer" />
            <Button type="submit" variant="primary" pending={starting} disabled={blocked || badRange || job?.status === 'running'} title={blocked ? 'Fix the problems in the editor first' : undefined}>Run backtest</Button>
          </div>
          {blocked && <p className="bw-note warn">The editor's sources have {editorProblems} problem{editorProblems === 1 ? '' : 's'}; fix {editorProblems === 1 ? 'it' : 'them'} or pick a saved version to backtest.</p>}
          {badRange && <p className="bw-note warn">The start of the range must come before its end.</p>}
        </form>
      ) : (
        <p className="bw-note">Running backtests needs the analyze permission. Versions with their diffs, shadow comparisons and the deployment history are open to you.</p>
      )}
      <ErrorBox error={error} />
      {!job && !error && canRun && (
        <Empty title="No backtest yet">Pick what to replay and over which time, then <strong>Run backtest</strong>. The replay runs on its own copy of state; live decisions are not touched.</Empty>
      )}
      {job && (
        <div className="bw-job" aria-live="polite">
          <div className="row bw-job-head">
            <strong>{names!.candidate}</strong><span className="muted">vs</span><strong>{names!.baseline}</strong>
            <span className="muted small">
              {job.request.from || job.request.to ? `${job.request.from ? time(job.request.from) : 'start'} → ${job.request.to ? time(job.request.to) : 'now'}` : 'all history'}
              {' · started '}{time(job.created_at)}
            </span>
            <span className="spacer" />
            {job.status === 'done' && job.result && <span className="muted small">{num(job.result.events)} events in {job.result.seconds < 1 ? `${Math.round(job.result.seconds * 1000)} ms` : duration(job.result.seconds * 1000)} · {num(job.result.events_per_sec)}/s</span>}
          </div>
          {job.status === 'running' && (
            <ProgressBar fraction={job.progress.fraction} label={`${num(job.progress.records)} / ${num(job.progress.total)} records`} />
          )}
          {job.status === 'failed' && (
            <div className="state error" role="alert"><strong>The backtest failed</strong><span>{job.error?.message ?? 'no reason given'}</span></div>
          )}
          {job.status === 'done' && job.result && (
            <div data-testid="backtest-report">
              <ComparisonView report={job.result} names={names!} />
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** Short names for the two sides: "Candidate (default@files…)" reads worse than "Editor sources" or "v5". */
function sideNames(job: BacktestJob): { candidate: string; baseline: string } {
  const short = (s: string | null) => {
    if (s === null) return 'nothing';
    const at = s.lastIndexOf('@');
    const v = at >= 0 ? s.slice(at + 1) : s;
    return /^\d+$/.test(v) ? `v${v}` : 'Editor sources';
  };
  return { candidate: short(job.request.strategy), baseline: job.request.baseline === null ? 'nothing' : short(job.request.baseline) };
}
