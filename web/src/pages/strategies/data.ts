// Versions are immutable, so their files are fetched once per session; the working copy (unsaved edits)
// outlives a visit to another page.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import type { BacktestJob, VersionFiles } from './types.ts';

const versionCache = new Map<string, Promise<VersionFiles>>();

export function loadVersion(name: string, version: number): Promise<VersionFiles> {
  const key = `${name}@${version}`;
  let p = versionCache.get(key);
  if (!p) {
    p = api<VersionFiles>(`/v1/strategies/${encodeURIComponent(name)}/versions/${version}`);
    p.catch(() => versionCache.delete(key));
    versionCache.set(key, p);
  }
  return p;
}

export function rememberVersion(v: VersionFiles): void {
  versionCache.set(`${v.name}@${v.version}`, Promise.resolve(v));
}

/** The files of a stored version (null while loading or when `version` is null). */
export function useVersion(name: string, version: number | null): { data: VersionFiles | null; error: ApiError | null } {
  const [state, setState] = useState<{ key: string | null; data: VersionFiles | null; error: ApiError | null }>({ key: null, data: null, error: null });
  const key = version === null ? null : `${name}@${version}`;
  useEffect(() => {
    if (version === null) return;
    let live = true;
    loadVersion(name, version).then(
      (data) => { if (live) setState({ key: `${name}@${version}`, data, error: null }); },
      (e) => { if (live) setState({ key: `${name}@${version}`, data: null, error: e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: String(e) }) }); },
    );
    return () => { live = false; };
  }, [name, version]);
  return state.key === key ? { data: state.data, error: state.error } : { data: null, error: null };
}

/** Unsaved edits per strategy: the version they started from and every file's current text. */
export interface Draft { base: number; files: Record<string, string>; active: string }
export const drafts = new Map<string, Draft>();

/** The last backtest started from this page, so coming back shows its progress or report. */
export const lastJob: { current: BacktestJob | null } = { current: null };

/** Sources first, then their tests, then list files; alphabetical within each group. */
export function fileOrder(a: string, b: string): number {
  const rank = (f: string) => (f.endsWith('_test.bw') ? 1 : f.endsWith('.bw') ? 0 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export const fileGroup = (f: string): 'Sources' | 'Tests' | 'Lists and other files' => (f.endsWith('_test.bw') ? 'Tests' : f.endsWith('.bw') ? 'Sources' : 'Lists and other files');

/** Which version a rollback would make live: live changes form a stack (deploy pushes, rollback pops). */
export function rollbackTarget(deployments: { id: number; version: number; mode: string; action: string }[]): number | null {
  const stack: number[] = [];
  for (const d of [...deployments].sort((a, b) => a.id - b.id)) {
    if (d.mode !== 'live') continue;
    if (d.action === 'rollback') stack.pop();
    else stack.push(d.version);
  }
  return stack.length >= 2 ? stack[stack.length - 2]! : null;
}
