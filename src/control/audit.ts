// The append-only audit log: one row per human (or system) write, with before and after.
import { ControlError, checkActor } from './errors.ts';
import type { Sql } from './sql.ts';

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  /** Page backwards: only entries with id < before_id. */
  before_id?: number;
}

export interface AuditWrite {
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** Appends one audit row; call it with the transaction handle of the write it records. */
export async function appendAudit(sql: Sql, e: AuditWrite): Promise<number> {
  checkActor(e.actor);
  const [row] = await sql.query<{ id: string | number }>(
    `INSERT INTO audit (actor, action, target, before, after)
     VALUES ($1, $2, $3, $4::text::jsonb, $5::text::jsonb) RETURNING id`,
    [e.actor, e.action, e.target, json(e.before), json(e.after)],
  );
  return Number(row!.id);
}

interface AuditRow {
  id: string | number;
  at: Date;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

function checkDate(name: string, d: unknown): asserts d is Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new ControlError('invalid', `${name} must be a valid Date`);
}

export class AuditLog {
  constructor(private readonly sql: Sql) {}

  /** Newest first. */
  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      params.push(v);
      where.push(cond.replace('?', `$${params.length}`));
    };
    // Exact match, or a prefix when the value ends in * ("case.*", "Account:*").
    const match = (col: string, v: string) => {
      if (v.endsWith('*')) add(`${col} LIKE ? ESCAPE '\\'`, v.slice(0, -1).replace(/[\\%_]/g, (c) => '\\' + c) + '%');
      else add(`${col} = ?`, v);
    };
    if (q.actor !== undefined) match('actor', q.actor);
    if (q.action !== undefined) match('action', q.action);
    if (q.target !== undefined) match('target', q.target);
    if (q.since !== undefined) {
      checkDate('since', q.since);
      add('at >= ?::timestamptz', q.since.toISOString());
    }
    if (q.until !== undefined) {
      checkDate('until', q.until);
      add('at < ?::timestamptz', q.until.toISOString());
    }
    if (q.before_id !== undefined) {
      if (!Number.isSafeInteger(q.before_id)) throw new ControlError('invalid', 'before_id must be an integer');
      add('id < ?::int8', q.before_id);
    }
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ControlError('invalid', 'limit must be an integer from 1 to 1000');
    params.push(limit);
    const rows = await this.sql.query<AuditRow>(
      `SELECT id, at, actor, action, target, before, after FROM audit
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}
