// Streams simulated traffic to a running server (POST /v1/events in batches): demo traffic for the console,
// load for a staging server. Each run gets its own event ids, and its timeline is re-timed so the server
// accepts it live: a run longer than four minutes of simulated time is squeezed into the four minutes
// before it starts (inside the default five-minute lateness), so its traffic is denser in time than the
// simulated week and velocity rules fire more often than in `bulwark sim` files. `rate` only paces sending.
import { simulate } from './simulate.ts';
import type { SimEvent } from './catalogue.ts';

const SQUEEZE_MS = 4 * 60_000;

export interface SendOptions {
  url: string; // server base URL
  key: string; // an API key with the ingest scope
  seed: number;
  events: number;
  scenario?: string;
  camouflage?: number;
  batch?: number; // events per request, default 500
  rate?: number; // events per second to pace at; 0 = as fast as the server takes them
  onProgress?: (sent: number, total: number) => void;
}

export interface SendSummary { sent: number; decided: number; rejected: number; verdicts: Record<string, number>; rejections: Record<string, number>; seconds: number }

export async function sendSimulation(o: SendOptions): Promise<SendSummary> {
  const events: SimEvent[] = [];
  const sim = simulate({ seed: o.seed, events: o.events, scenario: o.scenario, camouflage: o.camouflage }, (batch) => { for (const e of batch) events.push(e); });
  const run = Date.now().toString(36);
  const span = Math.max(1, sim.end - sim.start);
  const squeeze = Math.min(1, SQUEEZE_MS / span);
  const origin = Date.now() - Math.round(span * squeeze);
  for (const e of events) {
    e.id = `${run}-${e.id}`;
    e.ts = origin + Math.round((e.ts - sim.start) * squeeze);
  }
  const size = o.batch ?? 500;
  const t0 = performance.now();
  const out: SendSummary = { sent: 0, decided: 0, rejected: 0, verdicts: {}, rejections: {}, seconds: 0 };
  const base = o.url.replace(/\/+$/, '');
  for (let i = 0; i < events.length; i += size) {
    const chunk = events.slice(i, i + size);
    const res = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.key}` }, body: JSON.stringify({ events: chunk }) });
    const body = (await res.json().catch(() => null)) as { results?: { decision?: { verdict: string }; error?: { code: string } }[]; error?: { message: string } } | null;
    if (!res.ok || !body?.results) throw new Error(`the server refused the batch at event ${i}: HTTP ${res.status} ${body?.error?.message ?? ''}`.trim());
    for (const r of body.results) {
      if (r.decision) { out.decided++; out.verdicts[r.decision.verdict] = (out.verdicts[r.decision.verdict] ?? 0) + 1; }
      else if (r.error) { out.rejected++; out.rejections[r.error.code] = (out.rejections[r.error.code] ?? 0) + 1; }
    }
    out.sent += chunk.length;
    o.onProgress?.(out.sent, events.length);
    if (o.rate && o.rate > 0) {
      const due = (out.sent / o.rate) * 1000 - (performance.now() - t0);
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
  }
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}
