// Key/value settings, generated secrets (pseudonymisation key) and the record of erasure requests.
import { randomBytes } from 'node:crypto';
import { appendAudit } from './audit.ts';
import { ControlError, checkActor, checkText } from './errors.ts';
import type { Sql } from './sql.ts';

// Secrets live in the same table but are never readable or writable through settings.get/set,
// so a generic settings endpoint cannot leak them and their values never enter the audit log.
const SECRET_PREFIX = 'secret.';

function checkKey(key: unknown): asserts key is string {
  checkText('setting key', key, 256);
  if (key.startsWith(SECRET_PREFIX)) throw new ControlError('invalid', `setting keys starting with '${SECRET_PREFIX}' are reserved for secrets`);
}

export class Settings {
  constructor(private readonly sql: Sql) {}

  async get<T = unknown>(key: string): Promise<T | null> {
    checkKey(key);
    const [row] = await this.sql.query<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]);
    return row ? row.value : null;
  }

  /** value: anything JSON can hold. */
  async set(key: string, value: unknown, actor: string): Promise<void> {
    checkKey(key);
    checkActor(actor);
    if (value === undefined) throw new ControlError('invalid', 'setting value must be JSON (not undefined)');
    const text = JSON.stringify(value);
    await this.sql.tx(async (tx) => {
      const [prior] = await tx.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1 FOR UPDATE', [key]);
      await tx.query(
        `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::text::jsonb, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [key, text, actor],
      );
      await appendAudit(tx, {
        actor,
        action: 'setting.set',
        target: `setting:${key}`,
        before: prior ? { value: prior.value } : null,
        after: { value },
      });
    });
  }
}

export class Secrets {
  private pseudonym: Buffer | undefined;
  constructor(private readonly sql: Sql) {}

  /** The keyed-hash key for pseudonymising personal data: 32 random bytes made once, then stable. */
  async pseudonymKey(): Promise<Buffer> {
    this.pseudonym ??= await this.getOrCreate('pseudonym_key', 32);
    return this.pseudonym;
  }

  private getOrCreate(name: string, bytes: number): Promise<Buffer> {
    const key = SECRET_PREFIX + name;
    return this.sql.tx(async (tx) => {
      // ON CONFLICT DO NOTHING: if two nodes start at once, one value wins and both read it.
      const made = await tx.query(
        `INSERT INTO settings (key, value, updated_by) VALUES ($1, to_jsonb($2::text), 'system')
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, randomBytes(bytes).toString('base64')],
      );
      if (made.length > 0) {
        await appendAudit(tx, { actor: 'system', action: 'secret.create', target: `secret:${name}`, after: { bytes } });
      }
      const [row] = await tx.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
      return Buffer.from(row!.value, 'base64');
    });
  }
}

export interface ErasureRecord {
  id: number;
  entity: string;
  what: string[];
  at: Date;
  actor: string;
}

export class Erasure {
  constructor(private readonly sql: Sql) {}

  /** Puts a subject-erasure request on record; `what` names what was erased (e.g. ['labels', 'events']). */
  async record(input: { entity: string; actor: string; what: string[] }): Promise<ErasureRecord> {
    const { entity, actor, what } = input;
    checkText('entity', entity, 512);
    checkActor(actor);
    if (!Array.isArray(what) || what.length === 0 || !what.every((w) => typeof w === 'string' && w !== '')) {
      throw new ControlError('invalid', 'what must be a non-empty array of strings');
    }
    return this.sql.tx(async (tx) => {
      const [row] = await tx.query<ErasureRecord & { id: string | number }>(
        'INSERT INTO erasures (entity, what, actor) VALUES ($1, $2::text::jsonb, $3) RETURNING id, entity, what, at, actor',
        [entity, JSON.stringify(what), actor],
      );
      await appendAudit(tx, { actor, action: 'erasure.record', target: entity, after: { what } });
      return { ...row!, id: Number(row!.id) };
    });
  }

  /** Erasure records, newest first, optionally of one entity. */
  async list(entity?: string): Promise<ErasureRecord[]> {
    const rows = await this.sql.query<ErasureRecord & { id: string | number }>(
      `SELECT id, entity, what, at, actor FROM erasures ${entity === undefined ? '' : 'WHERE entity = $1'} ORDER BY id DESC`,
      entity === undefined ? [] : [entity],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}
