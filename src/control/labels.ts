// Manual entity labels set by analysts (with optional expiry), their history, and erasure.
import { appendAudit } from './audit.ts';
import { ControlError, checkActor, checkText } from './errors.ts';
import type { Sql } from './sql.ts';

export interface ManualLabel {
  entity: string;
  label: string;
  expires_at: Date | null;
  set_at: Date;
  set_by: string;
  reason: string;
}

export interface LabelEvent {
  id: number;
  entity: string;
  label: string;
  action: 'set' | 'clear';
  expires_at: Date | null;
  at: Date;
  actor: string;
  reason: string;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export class Labels {
  constructor(private readonly sql: Sql) {}

  async set(input: { entity: string; label: string; expiresAt: Date | null; actor: string; reason: string }): Promise<ManualLabel> {
    const { entity, label, expiresAt, actor, reason } = input;
    checkText('entity', entity, 512);
    checkText('label', label, 128);
    checkText('reason', reason);
    checkActor(actor);
    if (expiresAt !== null && (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()))) {
      throw new ControlError('invalid', 'expiresAt must be a Date or null');
    }
    if (expiresAt !== null && expiresAt.getTime() <= Date.now()) throw new ControlError('invalid', 'expiresAt is in the past');
    return this.sql.tx(async (tx) => {
      const [prior] = await tx.query<ManualLabel>(
        'SELECT entity, label, expires_at, set_at, set_by, reason FROM labels WHERE entity = $1 AND label = $2 FOR UPDATE',
        [entity, label],
      );
      const [row] = await tx.query<ManualLabel>(
        `INSERT INTO labels (entity, label, expires_at, set_by, reason) VALUES ($1, $2, $3::timestamptz, $4, $5)
         ON CONFLICT (entity, label) DO UPDATE
           SET expires_at = EXCLUDED.expires_at, set_at = now(), set_by = EXCLUDED.set_by, reason = EXCLUDED.reason
         RETURNING entity, label, expires_at, set_at, set_by, reason`,
        [entity, label, iso(expiresAt), actor, reason],
      );
      await tx.query(
        `INSERT INTO label_events (entity, label, action, expires_at, actor, reason) VALUES ($1, $2, 'set', $3::timestamptz, $4, $5)`,
        [entity, label, iso(expiresAt), actor, reason],
      );
      await appendAudit(tx, {
        actor,
        action: 'label.set',
        target: entity,
        before: prior ? { label, expires_at: prior.expires_at, reason: prior.reason } : null,
        after: { label, expires_at: iso(expiresAt), reason },
      });
      return row!;
    });
  }

  async clear(input: { entity: string; label: string; actor: string; reason: string }): Promise<void> {
    const { entity, label, actor, reason } = input;
    checkText('reason', reason);
    checkActor(actor);
    await this.sql.tx(async (tx) => {
      const [prior] = await tx.query<ManualLabel>(
        'DELETE FROM labels WHERE entity = $1 AND label = $2 RETURNING entity, label, expires_at, set_at, set_by, reason',
        [entity, label],
      );
      if (!prior) throw new ControlError('not_found', `${entity} has no label ${label}`);
      await tx.query(`INSERT INTO label_events (entity, label, action, actor, reason) VALUES ($1, $2, 'clear', $3, $4)`, [entity, label, actor, reason]);
      await appendAudit(tx, {
        actor,
        action: 'label.clear',
        target: entity,
        before: { label, expires_at: prior.expires_at, reason: prior.reason },
        after: { label, reason },
      });
    });
  }

  /** Labels in force at `now` (unexpired), for loading into the engine at start. */
  async active(now: Date = new Date()): Promise<ManualLabel[]> {
    return this.sql.query<ManualLabel>(
      `SELECT entity, label, expires_at, set_at, set_by, reason FROM labels
       WHERE expires_at IS NULL OR expires_at > $1::timestamptz ORDER BY entity, label`,
      [now.toISOString()],
    );
  }

  /** Set/clear events of one entity, newest first. */
  async history(entity: string): Promise<LabelEvent[]> {
    const rows = await this.sql.query<LabelEvent & { id: string | number }>(
      'SELECT id, entity, label, action, expires_at, at, actor, reason FROM label_events WHERE entity = $1 ORDER BY id DESC',
      [entity],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /**
   * Erasure: removes the entity's labels and their history (reasons may hold personal data).
   * The audit log keeps that it happened, with counts only.
   */
  async clearEntity(entity: string, actor: string): Promise<{ labels: number; events: number }> {
    checkText('entity', entity, 512);
    checkActor(actor);
    return this.sql.tx(async (tx) => {
      const gone = await tx.query<{ label: string }>('DELETE FROM labels WHERE entity = $1 RETURNING label', [entity]);
      const [ev] = await tx.query<{ n: number }>(
        'WITH gone AS (DELETE FROM label_events WHERE entity = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
        [entity],
      );
      const result = { labels: gone.length, events: ev!.n };
      await appendAudit(tx, {
        actor,
        action: 'label.clear_entity',
        target: entity,
        before: { labels: gone.map((g) => g.label).sort(), events: result.events },
        after: { labels: [], events: 0 },
      });
      return result;
    });
  }
}
