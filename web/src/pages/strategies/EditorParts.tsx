// The editor's surroundings: the file list (with each file's problem count and unsaved marker) and the
// Problems panel that lists every checker error of every file.
import { useState } from 'react';
import { num } from '../../format.ts';
import type { ApiError } from '../../api.ts';
import { fileGroup, fileOrder } from './data.ts';
import type { CheckError, CheckResult } from './types.ts';

export function FileList({ files, active, errors, modified, canEdit, onSelect, onCreate }: {
  files: string[];
  active: string;
  errors: CheckError[];
  modified: Set<string>;
  canEdit: boolean;
  onSelect: (f: string) => void;
  onCreate: (f: string) => string | null;
}) {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.file, (counts.get(e.file) ?? 0) + 1);
  const sorted = [...files].sort(fileOrder);
  const groups: [string, string[]][] = [];
  for (const f of sorted) {
    const g = fileGroup(f);
    if (groups.length === 0 || groups[groups.length - 1]![0] !== g) groups.push([g, []]);
    groups[groups.length - 1]![1].push(f);
  }
  // Errors can name a file the strategy does not have (a list file it refers to): show those too.
  const missing = [...counts.keys()].filter((f) => !files.includes(f));
  return (
    <nav className="bw-files" aria-label="Strategy files">
      {groups.map(([g, fs]) => (
        <div key={g} className="bw-file-group">
          <div className="bw-file-group-name">{g}</div>
          {fs.map((f) => {
            const n = counts.get(f) ?? 0;
            return (
              <button key={f} type="button" className={`bw-file ${f === active ? 'active' : ''} ${n ? 'has-errors' : ''}`} aria-current={f === active ? 'true' : undefined} onClick={() => onSelect(f)} title={f}>
                <span className="bw-file-name">{f.replace(/^lists\//, '')}</span>
                {modified.has(f) && <span className="bw-dirty" title="unsaved changes" aria-label="unsaved changes" />}
                {n > 0 && <span className="bw-count" aria-label={`${n} problem${n === 1 ? '' : 's'}`}>{n}</span>}
              </button>
            );
          })}
        </div>
      ))}
      {missing.length > 0 && (
        <div className="bw-file-group">
          <div className="bw-file-group-name">Missing</div>
          {missing.map((f) => <div key={f} className="bw-file missing" title="referred to but not in the strategy"><span className="bw-file-name">{f}</span><span className="bw-count">{counts.get(f)}</span></div>)}
        </div>
      )}
      {canEdit && <NewFile onCreate={onCreate} />}
    </nav>
  );
}

function NewFile({ onCreate }: { onCreate: (f: string) => string | null }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) return <button type="button" className="btn ghost small bw-new-file" onClick={() => setOpen(true)}>+ New file</button>;
  const submit = () => {
    const err = onCreate(name.trim());
    if (err) setError(err);
    else { setOpen(false); setName(''); setError(null); }
  };
  return (
    <form className="bw-new-file-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <input autoFocus aria-label="New file name" placeholder="payments.bw" value={name} onChange={(e) => { setName(e.target.value); setError(null); }} onKeyDown={(e) => { if (e.key === 'Escape') setOpen(false); }} />
      {error && <div className="bw-note warn small">{error}</div>}
      <div className="row"><button type="submit" className="btn primary small">Add</button><button type="button" className="btn small ghost" onClick={() => setOpen(false)}>Cancel</button></div>
    </form>
  );
}

export function ProblemsPanel({ check, error, busy, onJump }: { check: CheckResult | null; error: ApiError | null; busy: boolean; onJump: (e: CheckError) => void }) {
  const errors = check?.errors ?? [];
  const s = check?.summary;
  return (
    <section className="bw-problems" data-testid="problems" aria-label="Problems">
      <div className="bw-problems-head">
        <strong>Problems</strong>
        {check && <span className={`bw-count ${errors.length ? '' : 'zero'}`}>{errors.length}</span>}
        <span className="spacer" />
        {busy ? <span className="muted small bw-checking"><span className="spinner small" aria-hidden="true" /> Checking…</span> : check && <span className="muted small">checked as you type</span>}
      </div>
      {error ? (
        <div className="bw-problems-empty error" role="alert">The checker could not run: {error.message}</div>
      ) : !check ? (
        <div className="bw-problems-empty muted">Checking the sources…</div>
      ) : errors.length === 0 ? (
        <div className="bw-problems-empty ok">
          <span className="bw-ok-mark" aria-hidden="true">✓</span>
          <strong>No problems</strong>
          {s && <span className="muted">{num(s.entities)} entities · {num(s.events)} events · {num(s.features)} features · {num(s.aggregates)} aggregates · {num(s.rules)} rules · {num(s.tests)} tests</span>}
        </div>
      ) : (
        <ul className="bw-problem-list">
          {errors.map((e, i) => (
            <li key={i}>
              <button type="button" onClick={() => onJump(e)} title={`${e.code} error — click to go there`}>
                <span className="bw-problem-icon" aria-hidden="true" />
                <span className="mono bw-problem-loc">{e.file}:{e.line}:{e.col}</span>{' '}
                <span className="bw-problem-msg">{e.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
