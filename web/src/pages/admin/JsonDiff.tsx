// Before/after of an audit entry: a field-by-field diff, with the raw JSON one click away.
import { useState } from 'react';

type Status = 'added' | 'removed' | 'changed' | 'same';
interface Row { path: string; before?: string; after?: string; status: Status }

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flattens nested objects to dotted paths; arrays and scalars are leaves shown as JSON. */
function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (isPlainObject(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (v !== undefined) {
    out.set(prefix || '(value)', JSON.stringify(v));
  }
  return out;
}

export function diffRows(before: unknown, after: unknown): Row[] {
  const b = before === null || before === undefined ? new Map<string, string>() : flatten(before);
  const a = after === null || after === undefined ? new Map<string, string>() : flatten(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  return keys.map((path) => {
    const x = b.get(path);
    const y = a.get(path);
    const status: Status = x === undefined ? 'added' : y === undefined ? 'removed' : x === y ? 'same' : 'changed';
    return { path, before: x, after: y, status };
  });
}

export function JsonDiff({ before, after }: { before: unknown; after: unknown }) {
  const [raw, setRaw] = useState(false);
  const rows = diffRows(before, after);
  const none = (v: unknown) => v === null || v === undefined;
  if (none(before) && none(after)) return <p className="muted small diff-none">No before or after recorded for this entry.</p>;
  const changed = rows.filter((r) => r.status !== 'same').length;
  return (
    <div className="json-diff">
      <div className="row diff-bar">
        <span className="small muted">
          {none(before) ? 'No prior state: recorded as created' : none(after) ? 'No state after: recorded as removed' : `${changed} field${changed === 1 ? '' : 's'} changed`}
        </span>
        <span className="spacer" />
        <div className="segmented small-seg" role="radiogroup" aria-label="Diff view">
          <button type="button" role="radio" aria-checked={!raw} className={!raw ? 'on' : ''} onClick={() => setRaw(false)}>Fields</button>
          <button type="button" role="radio" aria-checked={raw} className={raw ? 'on' : ''} onClick={() => setRaw(true)}>Raw JSON</button>
        </div>
      </div>
      {raw ? (
        <div className="raw-pair">
          <div><h3>Before</h3><pre>{none(before) ? '—' : JSON.stringify(before, null, 2)}</pre></div>
          <div><h3>After</h3><pre>{none(after) ? '—' : JSON.stringify(after, null, 2)}</pre></div>
        </div>
      ) : none(before) || none(after) ? (
        <table className="diff-table one-side">
          <thead><tr><th>Field</th><th>{none(before) ? 'Value' : 'Value before'}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.path}>
                <td className="mono diff-path">{r.path}</td>
                <td className="mono">{r.after ?? r.before}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <table className="diff-table">
          <thead><tr><th>Field</th><th>Before</th><th>After</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.path} className={`diff-${r.status}`}>
                <td className="mono diff-path">{r.status !== 'same' && <span className="diff-mark" aria-label={r.status}>{r.status === 'added' ? '+' : r.status === 'removed' ? '−' : '~'}</span>}{r.path}</td>
                <td className="mono diff-before">{r.before ?? <span className="muted">—</span>}</td>
                <td className="mono diff-after">{r.after ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
