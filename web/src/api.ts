// The console talks to the same JSON API as every other client, with the session cookie set at login.
// Every request carries the console header: the server's CSRF guard for cookie sessions.

export interface ApiErrorBody { code: string; message: string; field?: string; details?: unknown }

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody) {
    super(body.message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when any request comes back 401: the session ended, show the login page. */
export function onUnauthorized(l: Listener): () => void {
  unauthorizedListeners.add(l);
  return () => unauthorizedListeners.delete(l);
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { 'x-bulwark-console': '1', accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), credentials: 'same-origin', signal: init.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network', message: `cannot reach the Bulwark server (${(e as Error).message})` });
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!res.ok) {
    const body = (json as { error?: ApiErrorBody } | null)?.error ?? { code: `http_${res.status}`, message: text.slice(0, 200) || res.statusText };
    if (res.status === 401 && path !== '/v1/sessions') for (const l of unauthorizedListeners) l();
    throw new ApiError(res.status, body);
  }
  return json as T;
}

export const post = <T = unknown>(path: string, body: unknown = {}) => api<T>(path, { method: 'POST', body });
export const put = <T = unknown>(path: string, body: unknown = {}) => api<T>(path, { method: 'PUT', body });
export const patch = <T = unknown>(path: string, body: unknown = {}) => api<T>(path, { method: 'PATCH', body });
export const del = <T = unknown>(path: string, body?: unknown) => api<T>(path, { method: 'DELETE', body });

/** Query string from an object, skipping empty values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

// ---- shapes the pages share (the API's, see docs/api.md) ----

export type Role = 'admin' | 'analyst' | 'reviewer' | 'viewer';
export type Verdict = 'allow' | 'challenge' | 'review' | 'block';
export const VERDICTS: Verdict[] = ['allow', 'challenge', 'review', 'block'];

export interface Me { actor: string; kind: 'key' | 'user'; role: Role | null; scopes: string[]; queues: string[] | null; permissions: string[] }

export interface RuleHit { rule: string; verdict: Verdict | null; points: number; reason: string | null; queue: string | null; values: Record<string, unknown> }
export interface Decision { event_id: string; event_type: string; ts: number; verdict: Verdict; score: number; rules: RuleHit[]; labels: { op: string; entity: string; label: string; expires_at: number | null }[]; queues: string[]; strategy: string }
