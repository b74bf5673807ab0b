// How numbers, times and durations read in the console.

const nf = new Intl.NumberFormat('en-US');
export const num = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : nf.format(Math.round(n * 100) / 100));
export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`);

export function time(ts: number | string | null | undefined): string {
  if (ts === null || ts === undefined) return '–';
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString().replace('T', ' ').slice(0, 19);
}

export function ago(ts: number | string | null | undefined, now = Date.now()): string {
  if (ts === null || ts === undefined) return '–';
  const ms = now - new Date(ts).getTime();
  if (!Number.isFinite(ms)) return '–';
  return `${duration(Math.abs(ms))} ${ms >= 0 ? 'ago' : 'from now'}`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** "Account:a1" → ["Account", "a1"]; the id may itself contain colons. */
export function splitEntity(e: string): [string, string] {
  const i = e.indexOf(':');
  return i < 0 ? ['', e] : [e.slice(0, i), e.slice(i + 1)];
}

export const entityPath = (entity: string): string => {
  const [t, id] = splitEntity(entity);
  return `/entities/${encodeURIComponent(t)}/${encodeURIComponent(id)}`;
};
