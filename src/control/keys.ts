// API keys: random bearer tokens shown once, stored only as a hash, with scopes and revocation.
import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from './audit.ts';
import { ControlError, checkActor, checkText } from './errors.ts';
import type { Sql } from './sql.ts';

export type Scope = 'ingest' | 'read' | 'admin';
export const SCOPES: readonly Scope[] = ['ingest', 'read', 'admin'];

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  /** First characters of the key, so an operator can tell keys apart without the secret. */
  prefix: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const KEY_PREFIX = 'bwk_';
const SHOWN = KEY_PREFIX.length + 8;

// Keys carry 256 random bits, so a fast unsalted SHA-256 is enough: there is nothing to
// brute-force, unlike passwords (which would need a slow salted KDF such as scrypt).
const hashKey = (plaintext: string): string => createHash('sha256').update(plaintext).digest('hex');

export class ApiKeys {
  constructor(private readonly sql: Sql) {}

  /** Returns the plaintext key; it is not stored and cannot be shown again. */
  async create(input: { name: string; scopes: Scope[]; actor: string }): Promise<{ id: string; key: string }> {
    const { name, scopes, actor } = input;
    checkText('key name', name, 256);
    checkActor(actor);
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => SCOPES.includes(s))) {
      throw new ControlError('invalid', `scopes must be a non-empty array of ${SCOPES.join(', ')}`);
    }
    const uniqueScopes = [...new Set(scopes)].sort();
    const id = `key_${randomBytes(9).toString('base64url')}`;
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    return this.sql.tx(async (tx) => {
      await tx.query('INSERT INTO api_keys (id, name, scopes, hash, prefix, created_by) VALUES ($1, $2, $3::text[], $4, $5, $6)', [
        id,
        name,
        uniqueScopes,
        hashKey(key),
        key.slice(0, SHOWN),
        actor,
      ]);
      await appendAudit(tx, { actor, action: 'key.create', target: `key:${id}`, after: { name, scopes: uniqueScopes, prefix: key.slice(0, SHOWN) } });
      return { id, key };
    });
  }

  /** The key's identity if it exists and is not revoked, else null. */
  async verify(plaintext: string): Promise<{ id: string; name: string; scopes: Scope[] } | null> {
    if (typeof plaintext !== 'string' || !plaintext.startsWith(KEY_PREFIX) || plaintext.length > 128) return null;
    // Lookup by hash: timing reveals at most which hash prefixes exist, which does not help forge a key.
    const [row] = await this.sql.query<{ id: string; name: string; scopes: Scope[] }>(
      'SELECT id, name, scopes FROM api_keys WHERE hash = $1 AND revoked_at IS NULL',
      [hashKey(plaintext)],
    );
    return row ?? null;
  }

  async list(): Promise<ApiKeyInfo[]> {
    return this.sql.query<ApiKeyInfo>(
      'SELECT id, name, scopes, prefix, created_at, created_by, revoked_at, revoked_by FROM api_keys ORDER BY created_at, id',
    );
  }

  async revoke(id: string, actor: string): Promise<void> {
    checkActor(actor);
    await this.sql.tx(async (tx) => {
      const [row] = await tx.query<{ name: string; revoked_at: Date | null }>('SELECT name, revoked_at FROM api_keys WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new ControlError('not_found', `no API key ${id}`);
      if (row.revoked_at) throw new ControlError('conflict', `API key ${id} is already revoked`);
      await tx.query('UPDATE api_keys SET revoked_at = now(), revoked_by = $2 WHERE id = $1', [id, actor]);
      await appendAudit(tx, { actor, action: 'key.revoke', target: `key:${id}`, before: { name: row.name, revoked: false }, after: { name: row.name, revoked: true } });
    });
  }

  /** Keys that still work (e.g. the server allows bootstrap only while this is 0). */
  async count(): Promise<number> {
    const [r] = await this.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL');
    return r!.n;
  }
}
