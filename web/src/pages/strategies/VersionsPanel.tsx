// Versions and what changed in each: pick one to see its files' diffs against the version before it (or
// against live), only the files that changed.
import { useMemo, useState } from 'react';
import { Badge, Button, Empty, ErrorBox, Loading } from '../../ui.tsx';
import { ago, time } from '../../format.ts';
import { DiffView, lineStats } from '../../editor/DiffView.tsx';
import { useVersion, fileOrder } from './data.ts';
import type { VersionInfo } from './types.ts';

export function VersionsPanel({ name, versions, live, shadows, selected, onSelect, onOpen }: {
  name: string;
  versions: VersionInfo[];
  live: number | null;
  shadows: number[];
  selected: number | null;
  onSelect: (v: number) => void;
  onOpen: (v: number) => void;
}) {
  const [against, setAgainst] = useState<'previous' | 'live'>('previous');
  if (versions.length === 0) return <Empty title="No versions yet">Save the editor's sources as a version to start the history.</Empty>;
  const newestFirst = [...versions].reverse();
  const sel = selected ?? versions[versions.length - 1]!.version;
  const idx = versions.findIndex((v) => v.version === sel);
  const previous = idx > 0 ? versions[idx - 1]!.version : null;
  const base = against === 'live' ? live : previous;
  return (
    <div className="bw-versions">
      <div className="bw-version-list" role="listbox" aria-label="Versions">
        {newestFirst.map((v) => (
          <div
            key={v.version}
            role="option"
            aria-selected={v.version === sel}
            tabIndex={0}
            className={`bw-version ${v.version === sel ? 'selected' : ''}`}
            onClick={() => onSelect(v.version)}
            onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(v.version); } }}
          >
            <div className="row">
              <strong>v{v.version}</strong>
              {v.version === live && <Badge tone="good">live</Badge>}
              {shadows.includes(v.version) && <Badge tone="info">shadow</Badge>}
              <span className="spacer" />
              <span className="muted small" title={time(v.created_at)}>{ago(v.created_at)}</span>
            </div>
            <div className="muted small">{v.created_by.replace(/^user:/, '')} · <span className="mono">{v.digest.slice(0, 8)}</span></div>
          </div>
        ))}
      </div>
      <div className="bw-version-diff">
        <div className="row bw-diff-head">
          <h2>v{sel}</h2>
          <span className="muted">compared with</span>
          <div className="bw-seg" role="radiogroup" aria-label="Compare with">
            <button type="button" role="radio" aria-checked={against === 'previous'} className={against === 'previous' ? 'on' : ''} onClick={() => setAgainst('previous')}>previous{previous !== null ? ` (v${previous})` : ''}</button>
            <button type="button" role="radio" aria-checked={against === 'live'} className={against === 'live' ? 'on' : ''} onClick={() => setAgainst('live')}>live{live !== null ? ` (v${live})` : ''}</button>
          </div>
          <span className="spacer" />
          <Button onClick={() => onOpen(sel)} title="Replace the editor's sources with this version's">Open in editor</Button>
        </div>
        {base === null ? (
          <Empty title={against === 'live' ? 'Nothing is live' : 'The first version'}>{against === 'live' ? 'No version is live yet.' : `v${sel} is the first version of ${name}; there is nothing before it to compare with.`}</Empty>
        ) : base === sel ? (
          <Empty title="Same version">v{sel} is the live version. Compare it with the previous one instead.</Empty>
        ) : (
          <FileDiffs name={name} before={base} after={sel} />
        )}
      </div>
    </div>
  );
}

function FileDiffs({ name, before, after }: { name: string; before: number; after: number }) {
  const a = useVersion(name, before);
  const b = useVersion(name, after);
  const changes = useMemo(() => {
    if (!a.data || !b.data) return null;
    const fa = a.data.files, fb = b.data.files;
    const names = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort(fileOrder);
    return names.filter((f) => fa[f] !== fb[f]).map((f) => ({ file: f, before: fa[f] ?? '', after: fb[f] ?? '', status: !(f in fa) ? 'added' : !(f in fb) ? 'removed' : 'changed', ...lineStats(fa[f] ?? '', fb[f] ?? '') }));
  }, [a.data, b.data]);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  if (a.error || b.error) return <ErrorBox error={a.error ?? b.error} />;
  if (!changes) return <Loading what="Loading both versions" />;
  if (changes.length === 0) return <Empty title="No differences">v{after} and v{before} have the same files.</Empty>;
  const isOpen = (f: string, i: number) => open[f] ?? i < 3;
  return (
    <div className="bw-file-diffs">
      <p className="muted small">{changes.length} file{changes.length === 1 ? '' : 's'} changed from v{before} to v{after}</p>
      {changes.map((c, i) => (
        <details key={c.file} open={isOpen(c.file, i)} onToggle={(e) => { const o = (e.currentTarget as HTMLDetailsElement).open; if (o !== isOpen(c.file, i)) setOpen((s) => ({ ...s, [c.file]: o })); }}>
          <summary>
            <span className="mono">{c.file}</span>
            {c.status !== 'changed' && <Badge tone={c.status === 'added' ? 'good' : 'bad'}>{c.status}</Badge>}
            <span className="bw-add small">+{c.added}</span>
            <span className="bw-del small">−{c.removed}</span>
          </summary>
          {isOpen(c.file, i) && <DiffView file={c.file} before={c.before} after={c.after} />}
        </details>
      ))}
    </div>
  );
}
