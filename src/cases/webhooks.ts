// Signed webhooks on enforcement changes: a transactional outbox, a dispatcher with backoff, and a delivery log.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { appendAudit, ControlError, type Sql } from '../control/index.ts';

export const WEBHOOK_EVENTS = ['enforcement.created', 'enforcement.lifted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook { id: number; url: string; events: string[]; active: boolean; created_at: Date; created_by: string }
export interface Delivery {
  id: number; webhook_id: number; event_type: string; body: string; status: 'pending' | 'delivered' | 'failed';
  attempts: number; next_attempt_at: Date; last_status: number | null; last_error: string | null; created_at: Date; delivered_at: Date | null;
}
export interface Attempt { id: number; delivery_id: number; at: Date; status: number | null; error: string | null; duration_ms: number }

export const SIGNATURE_HEADER = 'x-bulwark-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the timestamp is signed so a captured request cannot be replayed later. */
export function signWebhook(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What a receiver runs: true when the signature matches and is at most `toleranceSec` old. */
export function verifyWebhook(secret: string, body: string, header: string | undefined, toleranceSec = 300, now = Date.now()): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || Math.abs(now / 1000 - t) > toleranceSec) return false;
  const want = Buffer.from(signWebhook(secret, body, t).split('v1=')[1]!, 'hex');
  const got = Buffer.from(v1, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Queues one delivery per subscribed webhook; call inside the transaction of the change it reports. */
export async function enqueueWebhook(tx: Sql, type: WebhookEvent, data: unknown): Promise<number> {
  const body = JSON.stringify({ id: randomUUID(), type, created_at: new Date().toISOString(), data });
  const rows = await tx.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_type, body)
     SELECT id, $1, $2 FROM webhooks WHERE active AND $1 = ANY (events) RETURNING id`,
    [type, body],
  );
  return rows.length;
}

export interface DispatcherOptions {
  /** First retry after this long; doubles per attempt (default 2 s), capped at 1 hour. */
  backoffMs?: number;
  /** Attempts before a delivery is marked failed (default 10). */
  maxAttempts?: number;
  /** How often due deliveries are looked for (default 1 s); changes also kick the dispatcher at once. */
  pollMs?: number;
  timeoutMs?: number;
  log?: (msg: string) => void;
}

interface Claimed { id: number | string; webhook_id: number | string; event_type: string; body: string; attempts: number; url: string; secret: string }

export class Webhooks {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly sql: Sql, private readonly opts: DispatcherOptions = {}) {}

  async create(input: { url: string; events?: string[]; actor: string }): Promise<Webhook & { secret: string }> {
    let u: URL;
    try { u = new URL(input.url); } catch { throw new ControlError('invalid', 'url must be an absolute http(s) URL'); }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ControlError('invalid', 'url must be an absolute http(s) URL');
    const events = input.events ?? [...WEBHOOK_EVENTS];
    if (events.length === 0 || !events.every((e) => (WEBHOOK_EVENTS as readonly string[]).includes(e))) throw new ControlError('invalid', `events must be a non-empty list of ${WEBHOOK_EVENTS.join(', ')}`);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    return this.sql.tx(async (tx) => {
      const [row] = await tx.query<Webhook>('INSERT INTO webhooks (url, secret, events, created_by) VALUES ($1, $2, $3::text[], $4) RETURNING id, url, events, active, created_at, created_by', [u.toString(), secret, events, input.actor]);
      const hook = { ...row!, id: Number(row!.id) };
      await appendAudit(tx, { actor: input.actor, action: 'webhook.create', target: `webhook:${hook.id}`, after: { url: hook.url, events } });
      return { ...hook, secret };
    });
  }

  async list(): Promise<Webhook[]> {
    const rows = await this.sql.query<Webhook>('SELECT id, url, events, active, created_at, created_by FROM webhooks ORDER BY id');
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async deactivate(id: number, actor: string): Promise<void> {
    await this.sql.tx(async (tx) => {
      const [row] = await tx.query<{ url: string }>('UPDATE webhooks SET active = false WHERE id = $1 AND active RETURNING url', [id]);
      if (!row) throw new ControlError('not_found', `no active webhook ${id}`);
      await appendAudit(tx, { actor, action: 'webhook.deactivate', target: `webhook:${id}`, before: { active: true }, after: { active: false } });
    });
  }

  /** The delivery log of one webhook, newest first, each with its attempts. */
  async deliveries(webhookId: number, limit = 100): Promise<(Delivery & { attempts_log: Attempt[] })[]> {
    const ds = await this.sql.query<Delivery>('SELECT * FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2', [webhookId, limit]);
    if (ds.length === 0) return [];
    const as = await this.sql.query<Attempt>('SELECT * FROM webhook_attempts WHERE delivery_id = ANY ($1::int8[]) ORDER BY id', [ds.map((d) => d.id)]);
    return ds.map((d) => ({ ...d, id: Number(d.id), webhook_id: Number(d.webhook_id), attempts_log: as.filter((a) => Number(a.delivery_id) === Number(d.id)).map((a) => ({ ...a, id: Number(a.id), delivery_id: Number(a.delivery_id) })) }));
  }

  async counts(): Promise<Record<string, number>> {
    const rows = await this.sql.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status');
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Runs a dispatch pass now (or right after the one in progress). */
  kick(): void {
    if (this.closed) return;
    if (this.running) { this.again = true; return; }
    this.running = this.pass()
      .catch((e: Error) => this.opts.log?.(`webhook dispatch failed: ${e.message}`))
      .finally(() => {
        this.running = null;
        if (this.again) { this.again = false; this.kick(); }
      });
  }

  /** Resolves once no pass is running (tests, shutdown). */
  async idle(): Promise<void> { while (this.running) await this.running; }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.idle();
  }

  private async pass(): Promise<void> {
    for (;;) {
      // Leasing with SKIP LOCKED lets several service nodes dispatch from one outbox without double sends.
      const batch = await this.sql.query<Claimed>(
        `WITH due AS (
           SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at, id LIMIT 20 FOR UPDATE SKIP LOCKED)
         UPDATE webhook_deliveries d SET next_attempt_at = now() + interval '5 minutes'
         FROM due, webhooks w WHERE d.id = due.id AND w.id = d.webhook_id
         RETURNING d.id, d.webhook_id, d.event_type, d.body, d.attempts, w.url, w.secret`,
      );
      if (batch.length === 0 || this.closed) return;
      await Promise.all(batch.map((d) => this.send(d)));
    }
  }

  private async send(d: Claimed): Promise<void> {
    const t0 = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(d.secret, d.body), 'x-bulwark-delivery': String(d.id), 'x-bulwark-event': d.event_type },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
    }
    const ms = Math.round(performance.now() - t0);
    const attempts = d.attempts + 1;
    const max = this.opts.maxAttempts ?? 10;
    const backoff = Math.min((this.opts.backoffMs ?? 2000) * 2 ** (attempts - 1), 3600_000);
    await this.sql.tx(async (tx) => {
      await tx.query('INSERT INTO webhook_attempts (delivery_id, status, error, duration_ms) VALUES ($1, $2::int, $3, $4::int)', [d.id, status, error, ms]);
      if (error === null) {
        await tx.query(`UPDATE webhook_deliveries SET status = 'delivered', attempts = $2::int, last_status = $3::int, last_error = NULL, delivered_at = now() WHERE id = $1`, [d.id, attempts, status]);
      } else {
        await tx.query(
          `UPDATE webhook_deliveries SET attempts = $2::int, last_status = $3::int, last_error = $4,
             status = CASE WHEN $2::int >= $5::int THEN 'failed' ELSE 'pending' END,
             next_attempt_at = now() + ($6::int * interval '1 millisecond') WHERE id = $1`,
          [d.id, attempts, status, error, max, backoff],
        );
      }
    });
    if (error !== null && attempts < max) {
      const t = setTimeout(() => this.kick(), backoff + 5);
      t.unref();
    }
  }
}
