// Strategies: edit the sources with the checker's errors inline as you type, save versions, see what each
// version changed, backtest against live, run a version in shadow, compare it with live, promote, roll back.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, del, post } from '../api.ts';
import { useApi, useSession } from '../hooks.ts';
import { navigate, useLocation } from '../router.tsx';
import { Async, Badge, Button, Card, Empty, ErrorBox, Loading, PageHeader, Tabs } from '../ui.tsx';
import { ago, num, pct, time } from '../format.ts';
import { StrategyEditor, type JumpTarget } from '../editor/StrategyEditor.tsx';
import { BacktestPanel } from './strategies/BacktestPanel.tsx';
import { ConfirmDialog, type ConfirmRequest } from './strategies/Confirm.tsx';
import { FileList, ProblemsPanel } from './strategies/EditorParts.tsx';
import { ShadowPanel } from './strategies/ShadowPanel.tsx';
import { VersionsPanel } from './strategies/VersionsPanel.tsx';
import { drafts, fileOrder, loadVersion, rememberVersion, rollbackTarget, useVersion, type Draft } from './strategies/data.ts';
import type { CheckError, CheckResult, CreatedVersion, Deployment, ShadowComparison, StrategySummary, VersionInfo } from './strategies/types.ts';
import './strategies/strategies.css';

const CHECK_DEBOUNCE_MS = 300;

export function Strategies() {
  const { query } = useLocation();
  const list = useApi<{ strategies: StrategySummary[] }>('/v1/strategies');
  if (!list.data) {
    return <><PageHeader title="Strategies" subtitle="The rules that decide every event" /><Async state={list} what="Loading strategies">{() => null}</Async></>;
  }
  const all = list.data.strategies;
  if (all.length === 0) {
    return (
      <>
        <PageHeader title="Strategies" subtitle="The rules that decide every event" />
        <Empty title="No strategy yet">Start the server with <code>--strategy DIR</code> (a directory of <code>.bw</code> files) to deploy a first version; it then appears here.</Empty>
      </>
    );
  }
  const wanted = query.get('name');
  const s = all.find((x) => x.name === wanted) ?? all.find((x) => x.live !== null) ?? all[0]!;
  return <Workspace key={s.name} summary={s} all={all} reloadSummary={list.reload} summaryError={list.error} />;
}

function Workspace({ summary, all, reloadSummary, summaryError }: { summary: StrategySummary; all: StrategySummary[]; reloadSummary: () => void; summaryError: ApiError | null }) {
  const { name, live, shadows } = summary;
  const { can } = useSession();
  const canEdit = can('analyze');
  const enc = encodeURIComponent(name);
  const versions = useApi<{ versions: VersionInfo[] }>(`/v1/strategies/${enc}/versions`);
  const deployments = useApi<{ deployments: Deployment[] }>(`/v1/strategies/${enc}/deployments`);
  const vlist = versions.data?.versions ?? [];
  const latest = vlist.length ? vlist[vlist.length - 1]!.version : null;

  // ---- the working copy: starts from live (or the latest version), keeps unsaved edits across visits ----
  const [draft, setDraftState] = useState<Draft | null>(drafts.get(name) ?? null);
  const setDraft = (d: Draft) => { drafts.set(name, d); setDraftState(d); };
  const startFrom = draft ? null : live ?? latest;
  const initial = useVersion(name, startFrom);
  useEffect(() => {
    if (!draft && initial.data) {
      const files = { ...initial.data.files };
      const first = Object.keys(files).sort(fileOrder)[0] ?? '';
      setDraft({ base: initial.data.version, files, active: files['accounts.bw'] !== undefined ? 'accounts.bw' : first });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial.data]);

  const filesRef = useRef<Record<string, string>>(draft?.files ?? {});
  const [resetN, setResetN] = useState(0);
  const baseFiles = useVersion(name, draft?.base ?? null).data?.files ?? null;

  // ---- checking as you type ----
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [checkError, setCheckError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);
  const [stale, setStale] = useState(false);
  const checkSeq = useRef(0);
  const editGen = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const runCheck = useCallback(async () => {
    const seq = ++checkSeq.current;
    const gen = editGen.current;
    setChecking(true);
    try {
      const r = await post<CheckResult>('/v1/strategies/check', { files: filesRef.current });
      if (seq !== checkSeq.current || gen !== editGen.current) return; // a newer edit has its own check coming
      setCheck(r);
      setCheckError(null);
      setStale(false);
    } catch (e) {
      if (seq !== checkSeq.current) return;
      setCheckError(e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: String(e) }));
      setStale(false);
    } finally {
      if (seq === checkSeq.current) setChecking(false);
    }
  }, []);

  // The editor reports every keystroke; the page re-renders only when the debounced check starts.
  const onChange = useCallback((file: string, text: string) => {
    filesRef.current = { ...filesRef.current, [file]: text };
    editGen.current++;
    setStale(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const d = draftRef.current;
      if (d) setDraft({ ...d, files: filesRef.current });
      void runCheck();
    }, CHECK_DEBOUNCE_MS);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runCheck]);
  useEffect(() => () => clearTimeout(timer.current), []);

  // A fresh working copy (first load, a version opened, changes discarded): check it at once.
  const draftKey = draft ? `${draft.base}#${resetN}` : null;
  useEffect(() => {
    if (!draft) return;
    filesRef.current = draft.files;
    void runCheck();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey]);

  const modified = useMemo(() => {
    const out = new Set<string>();
    if (!draft || !baseFiles) return out;
    for (const [f, t] of Object.entries(draft.files)) if (baseFiles[f] !== t) out.add(f);
    return out;
  }, [draft, baseFiles]);
  const removedFiles = draft && baseFiles ? Object.keys(baseFiles).filter((f) => !(f in draft.files)) : [];
  const dirty = modified.size > 0 || removedFiles.length > 0;
  const changedFiles = modified.size + removedFiles.length;
  const filesWord = `${changedFiles} file${changedFiles === 1 ? '' : 's'}`;

  const [jump, setJump] = useState<JumpTarget | null>(null);
  const jumpTo = (e: CheckError) => {
    if (!draft || !(e.file in filesRef.current)) return;
    setDraft({ ...draft, files: filesRef.current, active: e.file });
    setJump({ file: e.file, line: e.line, col: e.col, n: (jump?.n ?? 0) + 1 });
  };

  // ---- saving ----
  const [saved, setSaved] = useState<CreatedVersion | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const problems = check?.errors.length ?? 0;
  const saveBlocked = stale || checking || problems > 0 || !dirty;
  const saveReason = problems > 0 ? `Fix ${problems} problem${problems === 1 ? '' : 's'} first` : !dirty ? 'No changes to save' : stale || checking ? 'Checking the sources…' : undefined;
  const [target, setTarget] = useState<number | null>(null);
  const selected = target ?? latest;

  const save = async () => {
    if (!draft || saveBlocked) return;
    const files = filesRef.current;
    setSaving(true);
    setSaveError(null);
    try {
      const created = await post<CreatedVersion>(`/v1/strategies/${enc}/versions`, { files });
      rememberVersion({ name, version: created.version, digest: created.digest, created_at: created.created_at, created_by: '', files });
      // Edits typed while the request ran stay in the working copy; they now count against the new version.
      setDraft({ ...(draftRef.current ?? draft), files: filesRef.current, base: created.version });
      setSaved(created);
      setTarget(created.version);
      versions.reload();
    } catch (e) {
      setSaveError(e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: String(e) }));
    } finally {
      setSaving(false);
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key === 's') { e.preventDefault(); if (canEdit) void saveRef.current(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canEdit]);

  // ---- replacing the working copy ----
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 10_000);
    return () => clearTimeout(t);
  }, [notice]);

  const replaceDraft = (base: number, files: Record<string, string>, active?: string) => {
    const names = Object.keys(files).sort(fileOrder);
    const keep = active ?? draft?.active;
    filesRef.current = files;
    setDraft({ base, files, active: keep && keep in files ? keep : names[0] ?? '' });
    setResetN((n) => n + 1);
    setSaved(null);
    setSaveError(null);
  };
  const openVersion = (v: number) => {
    const go = async () => { const data = await loadVersion(name, v); replaceDraft(v, { ...data.files }); setNotice(`The editor now holds v${v}.`); };
    if (dirty) setConfirm({ title: `Open v${v} in the editor?`, body: <>Your unsaved changes to {filesWord} will be lost.</>, action: `Replace the editor's sources with v${v}`, danger: true, run: go });
    else void go().catch((e) => setActionError(e as ApiError));
  };
  const discard = () => {
    if (!draft || !baseFiles) return;
    setConfirm({ title: 'Discard your changes?', body: <>The editor goes back to v{draft.base}; your edits to {filesWord} are lost.</>, action: `Go back to v${draft.base}`, danger: true, run: async () => replaceDraft(draft.base, { ...baseFiles }) });
  };
  const createFile = (f: string): string | null => {
    if (!draft) return 'the sources are still loading';
    if (!/^[A-Za-z0-9_./-]{1,200}$/.test(f) || f.startsWith('/') || f.includes('..')) return 'Use letters, digits, _ - . and / only.';
    if (!f.endsWith('.bw') && !f.startsWith('lists/')) return 'Strategy sources end in .bw; list files go under lists/.';
    if (f in filesRef.current) return `${f} already exists.`;
    filesRef.current = { ...filesRef.current, [f]: f.endsWith('.bw') ? `# ${f.replace(/\.bw$/, '')}\n` : '' };
    editGen.current++;
    setDraft({ ...draft, files: filesRef.current, active: f });
    void runCheck();
    return null;
  };
  const deleteFile = (f: string) => {
    if (!draft) return;
    setConfirm({
      title: `Delete ${f}?`, body: <>The file leaves the working copy; it stays in saved versions. Save a version to make it count.</>, action: `Delete ${f}`, danger: true,
      run: async () => {
        const { [f]: _gone, ...rest } = filesRef.current;
        filesRef.current = rest;
        editGen.current++;
        const names = Object.keys(rest).sort(fileOrder);
        setDraft({ ...draft, files: rest, active: names[0] ?? '' });
        void runCheck();
      },
    });
  };

  // ---- deployments ----
  const [tab, setTab] = useState<'backtest' | 'versions' | 'shadows' | 'history'>('backtest');
  const deps = deployments.data?.deployments ?? [];
  const back = rollbackTarget(deps);
  const afterDeploy = (msg: string) => { setNotice(msg); reloadSummary(); deployments.reload(); };
  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    setNotice(null);
    try { await fn(); } catch (e) { setActionError(e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: String(e) })); }
  };
  const [deploying, setDeploying] = useState(false);
  const deployShadow = async (v: number) => {
    setDeploying(true);
    await act(async () => { await post(`/v1/strategies/${enc}/deployments`, { version: v, mode: 'shadow' }); afterDeploy(`v${v} now runs in shadow: it decides every live event without acting on it.`); setTab('shadows'); });
    setDeploying(false);
  };
  const promote = (v: number) => setConfirm({
    title: `Promote v${v} to live?`,
    body: <>Every decision from now on comes from v{v}{live !== null ? <>, replacing v{live}</> : null}.{shadows.includes(v) ? <> It stops running in shadow.</> : null} You can roll back afterwards.</>,
    action: `Make v${v} live`,
    run: () => act(async () => { await post(`/v1/strategies/${enc}/deployments`, { version: v, mode: 'live' }); afterDeploy(`v${v} is live.`); }),
  });
  const rollback = () => setConfirm({
    title: `Roll back to v${back}?`,
    body: <>v{back} becomes live again, replacing v{live}. Decisions from now on come from v{back}.</>,
    action: `Make v${back} live again`, danger: true,
    run: () => act(async () => { const r = await post<Deployment>(`/v1/strategies/${enc}/rollback`); afterDeploy(`Rolled back: v${r.version} is live.`); }),
  });
  const removeShadow = (v: number) => setConfirm({
    title: `Stop shadow v${v}?`,
    body: <>v{v} stops deciding live events in shadow; its comparison with live stops growing.</>,
    action: `Remove shadow v${v}`, danger: true,
    run: () => act(async () => { await del(`/v1/strategies/${enc}/shadows/${v}`); afterDeploy(`v${v} no longer runs in shadow.`); }),
  });
  const runConfirm = async () => {
    if (!confirm) return;
    setConfirming(true);
    try { await confirm.run(); } catch (e) { setActionError(e as ApiError); }
    setConfirming(false);
    setConfirm(null);
  };
  const cancelConfirm = useCallback(() => setConfirm(null), []);

  const { query } = useLocation();
  const liveDeploy = deps.find((d) => d.mode === 'live');
  const active = draft?.active ?? '';

  return (
    <div className="bw-strategies">
      <PageHeader
        title={<>Strategies {all.length > 1 && <StrategyPicker all={all} name={name} query={query} />}</>}
        subtitle={<>Strategy <strong>{name}</strong>: edit, test against history, run in shadow, deploy</>}
        actions={<>
          <div className="bw-status" aria-label="Deployed versions">
            <span className="bw-status-item"><span className="muted">Live</span> {live !== null ? <Badge tone="good">v{live}</Badge> : <Badge tone="warn">none</Badge>}</span>
            <span className="bw-status-item"><span className="muted">Shadow</span> {shadows.length ? shadows.map((v) => <Badge key={v} tone="info">v{v}</Badge>) : <span className="muted">none</span>}</span>
          </div>
        </>}
      />
      <ErrorBox error={summaryError} retry={reloadSummary} />

      <Card className="bw-deploy" title="Deployment">
        <div className="bw-deploy-grid">
          <div className="bw-deploy-live">
            <div className="bw-deploy-label">Live version</div>
            <div className="bw-deploy-big">{live !== null ? `v${live}` : '—'}</div>
            <div className="muted small">{liveDeploy ? <>{liveDeploy.action === 'rollback' ? 'rolled back' : 'deployed'} {ago(liveDeploy.at)} by {liveDeploy.actor.replace(/^user:/, '')}</> : deployments.loading ? '…' : 'no deployment recorded'}</div>
          </div>
          <div className="bw-deploy-shadows">
            <div className="bw-deploy-label">In shadow</div>
            {shadows.length === 0 ? <div className="muted bw-deploy-none">No shadow. A shadow decides live events without acting, to compare with live.</div> : (
              <div className="bw-shadow-chips">
                {shadows.map((v) => <ShadowChip key={v} version={v} canAct={canEdit} onOpen={() => setTab('shadows')} onRemove={() => removeShadow(v)} />)}
              </div>
            )}
          </div>
          {canEdit && (
            <div className="bw-deploy-actions">
              <label className="bw-deploy-target">
                Version to deploy
                <select aria-label="Version to deploy" value={selected ?? ''} onChange={(e) => setTarget(Number(e.target.value))} disabled={vlist.length === 0}>
                  {[...vlist].reverse().map((v) => <option key={v.version} value={v.version}>v{v.version}{v.version === live ? ' (live)' : shadows.includes(v.version) ? ' (shadow)' : ''} · {time(v.created_at).slice(0, 16)}</option>)}
                </select>
              </label>
              <div className="row">
                <Button onClick={() => selected !== null && void deployShadow(selected)} pending={deploying} disabled={selected === null || selected === live || shadows.includes(selected)} title={selected === live ? 'This version is live' : selected !== null && shadows.includes(selected) ? 'Already runs in shadow' : 'Decide live events with this version too, without acting on them'}>Deploy as shadow</Button>
                <Button variant="primary" onClick={() => selected !== null && promote(selected)} disabled={selected === null || selected === live} title={selected === live ? 'This version is already live' : 'Make this version decide every event'}>Promote to live</Button>
              </div>
            </div>
          )}
          {canEdit && (
            <div className="bw-deploy-rollback">
              <Button onClick={rollback} disabled={back === null} title={back === null ? 'No earlier live version to go back to' : `Make v${back} live again`}>Roll back</Button>
              <div className="muted small">{back !== null ? `to v${back}, the previous live version` : 'nothing to roll back to'}</div>
            </div>
          )}
        </div>
        {notice && <p className="bw-notice" role="status">{notice}</p>}
        <ErrorBox error={actionError} />
      </Card>

      <Card
        className="bw-editor-card"
        title={<>Sources {draft && <span className="muted bw-based">{dirty ? <>edited from v{draft.base} · <span className="bw-dirty-text">{filesWord} changed</span></> : <>v{draft.base}{draft.base === live ? ' (live)' : ''}, unchanged</>}</span>}</>}
        actions={canEdit ? (
          <div className="row">
            {saved && !dirty && <span className="bw-saved" role="status">{saved.created ? <>Saved as <strong>v{saved.version}</strong></> : <>Same content as <strong>v{saved.version}</strong>; no new version</>}</span>}
            {dirty && <Button variant="ghost" onClick={discard}>Discard changes</Button>}
            <Button variant="primary" onClick={() => void save()} pending={saving} disabled={saveBlocked} title={saveReason}>Save version</Button>
          </div>
        ) : <Badge tone="neutral" title="Your role can read strategies but not change them">read-only</Badge>}
      >
        {saveError && <SaveError error={saveError} onJump={jumpTo} />}
        {!draft ? (
          initial.error ? <ErrorBox error={initial.error} /> : startFrom === null && !versions.loading ? <Empty title="No versions">This strategy has no stored version yet.</Empty> : <Loading what="Loading the sources" />
        ) : (
          <>
            <div className="bw-workbench">
              <FileList
                files={Object.keys(draft.files)}
                active={active}
                errors={check?.errors ?? []}
                modified={modified}
                canEdit={canEdit}
                onSelect={(f) => setDraft({ ...draft, files: filesRef.current, active: f })}
                onCreate={createFile}
              />
              <div className="bw-editor-pane">
                <div className="bw-editor-tab">
                  <span className="mono">{active}</span>
                  {modified.has(active) && <span className="bw-dirty-text small">modified</span>}
                  <span className="spacer" />
                  {canEdit && active && <button type="button" className="btn ghost small" onClick={() => deleteFile(active)} aria-label={`Delete ${active}`}>Delete file</button>}
                </div>
                {active ? (
                  <StrategyEditor files={draft.files} resetKey={`${name}#${resetN}`} active={active} readOnly={!canEdit} errors={check?.errors ?? []} onChange={onChange} jump={jump} />
                ) : <Empty title="No files">Add a file to start.</Empty>}
              </div>
            </div>
            <ProblemsPanel check={check} error={checkError} busy={checking || stale} onJump={jumpTo} />
          </>
        )}
      </Card>

      <Card className="bw-lower">
        <Tabs
          tabs={[
            { key: 'backtest', label: 'Backtest' },
            { key: 'versions', label: <>Versions <span className="bw-tab-count">{vlist.length}</span></> },
            { key: 'shadows', label: <>Shadow vs live <span className="bw-tab-count">{shadows.length}</span></> },
            { key: 'history', label: 'Deployment history' },
          ]}
          active={tab}
          onChange={setTab}
        />
        {tab === 'backtest' && (
          <BacktestPanel versions={vlist} live={live} editorFiles={() => filesRef.current} editorProblems={problems} editorDirty={dirty} canRun={canEdit} />
        )}
        {tab === 'versions' && (
          <Async state={versions} what="Loading versions">
            {(d) => <VersionsPanel name={name} versions={d.versions} live={live} shadows={shadows} selected={selected} onSelect={setTarget} onOpen={openVersion} />}
          </Async>
        )}
        {tab === 'shadows' && <ShadowPanel shadows={shadows} live={live} canAct={canEdit} onRemove={removeShadow} onPromote={promote} />}
        {tab === 'history' && (
          <Async state={deployments} what="Loading deployments">
            {(d) => <History deployments={d.deployments} />}
          </Async>
        )}
      </Card>

      {confirm && <ConfirmDialog request={confirm} pending={confirming} onCancel={cancelConfirm} onConfirm={() => void runConfirm()} />}
    </div>
  );
}

function StrategyPicker({ all, name, query }: { all: StrategySummary[]; name: string; query: URLSearchParams }) {
  return (
    <select className="bw-picker" aria-label="Strategy" value={name} onChange={(e) => { const q = new URLSearchParams(query); q.set('name', e.target.value); navigate(`/strategies?${q}`); }}>
      {all.map((s) => <option key={s.name} value={s.name}>{s.name}{s.live !== null ? ` (live v${s.live})` : ''}</option>)}
    </select>
  );
}

/** A shadow at a glance: its version and how often it agrees with live. */
function ShadowChip({ version, canAct, onOpen, onRemove }: { version: number; canAct: boolean; onOpen: () => void; onRemove: () => void }) {
  const cmp = useApi<ShadowComparison>(`/v1/shadow/${version}/compare`, { pollMs: 10_000 });
  const r = cmp.data;
  const compared = r ? r.changed + r.unchanged : 0;
  const agree = compared ? r!.unchanged / compared : null;
  return (
    <div className="bw-chip">
      <button type="button" className="bw-chip-main" onClick={onOpen} title="Compare with live">
        <strong>v{version}</strong>
        <span className={`small ${agree === null ? 'muted' : agree >= 0.99 ? 'bw-good' : agree >= 0.95 ? 'bw-warn' : 'bw-bad'}`}>{agree === null ? 'no events yet' : `${pct(agree, 1)} agree · ${num(compared)} events`}</span>
      </button>
      {canAct && <button type="button" className="bw-chip-x" onClick={onRemove} aria-label={`Remove shadow v${version}`} title={`Remove shadow v${version}`}>×</button>}
    </div>
  );
}

function SaveError({ error, onJump }: { error: ApiError; onJump: (e: CheckError) => void }) {
  const details = Array.isArray(error.body.details) ? (error.body.details as CheckError[]) : [];
  return (
    <div className="state error bw-save-error" role="alert">
      <strong>The server refused this version</strong>
      <span>{error.message}</span>
      {details.length > 0 && (
        <ul>
          {details.slice(0, 8).map((e, i) => <li key={i}><button type="button" className="btn ghost small" onClick={() => onJump(e)}><span className="mono">{e.file}:{e.line}:{e.col}</span> {e.message}</button></li>)}
        </ul>
      )}
    </div>
  );
}

function History({ deployments }: { deployments: Deployment[] }) {
  if (deployments.length === 0) return <Empty title="Nothing deployed yet">Deployments, promotions, rollbacks and shadows appear here as they happen.</Empty>;
  const what = (d: Deployment) => d.action === 'rollback' ? 'rolled back to' : d.action === 'undeploy' ? 'stopped shadow' : d.mode === 'live' ? 'made live' : 'started shadow';
  return (
    <table>
      <thead><tr><th>When</th><th>What</th><th>Version</th><th>Replaced</th><th>Who</th></tr></thead>
      <tbody>
        {deployments.map((d) => (
          <tr key={d.id}>
            <td title={time(d.at)}>{time(d.at)} <span className="muted small">{ago(d.at)}</span></td>
            <td><Badge tone={d.action === 'rollback' ? 'warn' : d.mode === 'live' ? 'good' : d.action === 'undeploy' ? 'neutral' : 'info'}>{what(d)}</Badge></td>
            <td><strong>v{d.version}</strong></td>
            <td>{d.previous_version !== null ? `v${d.previous_version}` : <span className="muted">–</span>}</td>
            <td>{d.actor.replace(/^user:/, '')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
