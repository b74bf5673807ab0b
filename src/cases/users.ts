// Console users with roles, scrypt password hashes, and session tokens stored only as hashes.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { appendAudit, ControlError, type Sql } from '../control/index.ts';

export type Role = 'admin' | 'analyst' | 'reviewer' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'reviewer', 'viewer'];

export interface User {
  username: string;
  role: Role;
  queues: string[] | null;
  created_at: Date;
  created_by: string;
  disabled_at: Date | null;
}

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB and ~0.3 s per login; fine for a console.
const PARAMS = { N: 1 << 17, r: 8, p: 1, maxmem: 256 << 20 };
const KEYLEN = 32;

export async function hashPassword(password: string, params = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const dk = await scrypt(password, salt, KEYLEN, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${dk.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), want.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 << 20 });
  return timingSafeEqual(got, want);
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const tokenHash = (t: string) => createHash('sha256').update(t).digest('hex');

function checkPassword(pw: unknown): asserts pw is string {
  if (typeof pw !== 'string' || pw.length < 12 || pw.length > 1024) throw new ControlError('invalid', 'password must be 12 to 1024 characters');
}

export interface UsersOptions {
  sessionTtlMs?: number;
  /** Lower scrypt cost, for tests only. */
  scryptN?: number;
}

export class Users {
  private cache = new Map<string, { user: { username: string; role: Role; queues: string[] | null } | null; at: number }>();
  private failures = new Map<string, { n: number; first: number }>();
  private readonly params: typeof PARAMS;
  private dummy: Promise<string> | null = null;

  constructor(private readonly sql: Sql, private readonly opts: UsersOptions = {}) {
    this.params = { ...PARAMS, N: opts.scryptN ?? PARAMS.N };
  }

  async create(input: { username: string; role: Role; password: string; queues?: string[] | null; actor: string }): Promise<User> {
    const { username, role, password, actor } = input;
    if (typeof username !== 'string' || !USERNAME.test(username)) throw new ControlError('invalid', 'username must be 2-64 lower-case letters, digits, ".", "_" or "-"');
    if (!ROLES.includes(role)) throw new ControlError('invalid', `role must be one of ${ROLES.join(', ')}`);
    checkPassword(password);
    const queues = input.queues ?? null;
    const hash = await hashPassword(password, this.params);
    return this.sql.tx(async (tx) => {
      const [row] = await tx.query<User>(
        `INSERT INTO users (username, role, queues, password, created_by) VALUES ($1, $2, $3::text[], $4, $5)
         ON CONFLICT (username) DO NOTHING RETURNING username, role, queues, created_at, created_by, disabled_at`,
        [username, role, queues, hash, actor],
      );
      if (!row) throw new ControlError('conflict', `user ${username} already exists`);
      await appendAudit(tx, { actor, action: 'user.create', target: `user:${username}`, after: { role, queues } });
      return row;
    });
  }

  async update(username: string, input: { role?: Role; queues?: string[] | null; disabled?: boolean; password?: string; actor: string }): Promise<User> {
    if (input.role !== undefined && !ROLES.includes(input.role)) throw new ControlError('invalid', `role must be one of ${ROLES.join(', ')}`);
    if (input.password !== undefined) checkPassword(input.password);
    const hash = input.password !== undefined ? await hashPassword(input.password, this.params) : null;
    const out = await this.sql.tx(async (tx) => {
      const [prior] = await tx.query<User>('SELECT username, role, queues, created_at, created_by, disabled_at FROM users WHERE username = $1 FOR UPDATE', [username]);
      if (!prior) throw new ControlError('not_found', `no user ${username}`);
      const [row] = await tx.query<User>(
        `UPDATE users SET role = $2, queues = $3::text[], password = coalesce($4, password),
           disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END
         WHERE username = $1 RETURNING username, role, queues, created_at, created_by, disabled_at`,
        [username, input.role ?? prior.role, input.queues === undefined ? prior.queues : input.queues, hash, input.disabled ?? null],
      );
      // A disabled user or a changed password ends every session at once.
      if (input.disabled || hash) await tx.query('UPDATE sessions SET revoked_at = now() WHERE username = $1 AND revoked_at IS NULL', [username]);
      await appendAudit(tx, {
        actor: input.actor,
        action: 'user.update',
        target: `user:${username}`,
        before: { role: prior.role, queues: prior.queues, disabled: prior.disabled_at !== null },
        after: { role: row!.role, queues: row!.queues, disabled: row!.disabled_at !== null, password_changed: hash !== null },
      });
      return row!;
    });
    this.cache.clear();
    return out;
  }

  async get(username: string): Promise<User | null> {
    const [u] = await this.sql.query<User>('SELECT username, role, queues, created_at, created_by, disabled_at FROM users WHERE username = $1', [username]);
    return u ?? null;
  }

  async list(): Promise<User[]> {
    return this.sql.query<User>('SELECT username, role, queues, created_at, created_by, disabled_at FROM users ORDER BY username');
  }

  /** Checks the password and opens a session; the token is returned once and stored only as a hash. */
  async login(username: string, password: string): Promise<{ token: string; expires_at: Date; user: User } | null> {
    const f = this.failures.get(username);
    if (f && f.n >= 5 && Date.now() - f.first < 15 * 60_000) throw new ControlError('conflict', 'too many failed logins for this user; try again in 15 minutes');
    const [row] = await this.sql.query<User & { password: string }>(
      'SELECT username, role, queues, created_at, created_by, disabled_at, password FROM users WHERE username = $1',
      [username],
    );
    // Unknown users cost the same scrypt as known ones, so timing does not tell which names exist.
    const ok = row ? await verifyPassword(password, row.password) : await verifyPassword(password, await (this.dummy ??= hashPassword('not-a-password', this.params))).then(() => false);
    if (!row || !ok || row.disabled_at) {
      const cur = this.failures.get(username);
      this.failures.set(username, cur && Date.now() - cur.first < 15 * 60_000 ? { n: cur.n + 1, first: cur.first } : { n: 1, first: Date.now() });
      if (this.failures.size > 100_000) this.failures.clear();
      return null;
    }
    this.failures.delete(username);
    const token = `bws_${randomBytes(32).toString('base64url')}`;
    const expires = new Date(Date.now() + (this.opts.sessionTtlMs ?? 12 * 3600_000));
    await this.sql.tx(async (tx) => {
      await tx.query('INSERT INTO sessions (hash, username, expires_at) VALUES ($1, $2, $3::timestamptz)', [tokenHash(token), username, expires.toISOString()]);
      await appendAudit(tx, { actor: `user:${username}`, action: 'session.create', target: `user:${username}`, after: { expires_at: expires.toISOString() } });
    });
    const { password: _, ...user } = row;
    return { token, expires_at: expires, user };
  }

  async logout(token: string): Promise<void> {
    const rows = await this.sql.query<{ username: string }>('UPDATE sessions SET revoked_at = now() WHERE hash = $1 AND revoked_at IS NULL RETURNING username', [tokenHash(token)]);
    this.cache.delete(token);
    if (rows[0]) await appendAudit(this.sql, { actor: `user:${rows[0].username}`, action: 'session.revoke', target: `user:${rows[0].username}` });
  }

  /** The user behind a live session token; cached for a few seconds so a console page costs no extra round trips. */
  async verifySession(token: string): Promise<{ username: string; role: Role; queues: string[] | null } | null> {
    if (!token.startsWith('bws_') || token.length > 128) return null;
    const hit = this.cache.get(token);
    if (hit && Date.now() - hit.at < 5_000) return hit.user;
    const [row] = await this.sql.query<{ username: string; role: Role; queues: string[] | null }>(
      `SELECT u.username, u.role, u.queues FROM sessions s JOIN users u ON u.username = s.username
       WHERE s.hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [tokenHash(token)],
    );
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { user: row ?? null, at: Date.now() });
    return row ?? null;
  }
}
