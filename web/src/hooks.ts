// Data loading for pages: one hook that fetches, optionally polls, and keeps the last good data while reloading.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { api, ApiError, type Me } from './api.ts';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** GET `path` (null = don't fetch yet); with `pollMs`, again every pollMs while the page is visible. */
export function useApi<T>(path: string | null, opts: { pollMs?: number } = {}): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean; path: string | null }>({ data: null, error: null, loading: path !== null, path });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  if (state.path !== path) setState({ data: null, error: null, loading: path !== null, path });
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const data = await api<T>(path, { signal: ctl.signal });
        if (!ctl.signal.aborted) setState({ data, error: null, loading: false, path });
      } catch (e) {
        if (ctl.signal.aborted) return;
        const err = e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: (e as Error).message });
        setState((s) => ({ ...s, error: err, loading: false }));
      }
      if (opts.pollMs && !ctl.signal.aborted) timer = setTimeout(() => { if (document.visibilityState !== 'hidden') void run(); else timer = setTimeout(run, opts.pollMs); }, opts.pollMs);
    };
    void run();
    return () => { ctl.abort(); clearTimeout(timer); };
  }, [path, tick, opts.pollMs]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Runs an action (a POST, a deploy...) and tracks its pending state and error for the button that started it. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): { run: (...args: A) => Promise<R | undefined>; pending: boolean; error: ApiError | null; clear: () => void } {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A) => {
    setPending(true);
    setError(null);
    try {
      return await fnRef.current(...args);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { code: 'client', message: (e as Error).message }));
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  return { run, pending, error, clear: () => setError(null) };
}

/** The signed-in user; pages use `can(permission)` to show only what the role may do. */
export const SessionContext = createContext<{ me: Me; can: (p: string) => boolean; logout: () => void } | null>(null);

export function useSession() {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}

/** Calls `handler` on a key press, unless the user is typing in a field. */
export function useKeys(handler: (key: string, e: KeyboardEvent) => void, deps: unknown[]): void {
  useEffect(() => {
    const l = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      handler(e.key, e);
    };
    window.addEventListener('keydown', l);
    return () => window.removeEventListener('keydown', l);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}
