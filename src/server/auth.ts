// Who is calling: API keys with scopes (services) and console sessions of users with roles; one permission check for every route.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../cases/index.ts';
import type { Control, Scope } from '../control/index.ts';

export { ROLES, type Role };

/**
 * What a route needs. Each route names exactly one; the matrices below say who holds it.
 * ingest: send events; read: read decisions, entities, strategies, lists, cases, enforcement;
 * analyze: change strategies, lists, labels; audit: read the audit log; review: work cases;
 * case.create: open a case by hand; appeal: file an appeal; admin: everything else (people, keys, webhooks, policy).
 */
export type Permission = 'ingest' | 'read' | 'analyze' | 'audit' | 'review' | 'case.create' | 'appeal' | 'admin';
export const PERMISSIONS: readonly Permission[] = ['ingest', 'read', 'analyze', 'audit', 'review', 'case.create', 'appeal', 'admin'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  analyst: ['read', 'analyze', 'audit', 'case.create'],
  reviewer: ['read', 'review', 'case.create', 'appeal'],
  viewer: ['read'],
};

// API keys keep their scopes; the admin scope is the admin role. The product files appeals with its ingest key.
export const SCOPE_PERMISSIONS: Readonly<Record<Scope, readonly Permission[]>> = {
  ingest: ['ingest', 'appeal'],
  read: ['read'],
  admin: PERMISSIONS,
};

export interface Caller {
  id: string;
  name: string;
  scopes: Scope[];
  /** 'key' for API keys (the default), 'user' for console sessions. */
  kind?: 'key' | 'user';
  role?: Role;
  /** For reviewers: the queues they work; null or absent = every queue. */
  queues?: string[] | null;
}

/** A console user behind a session token (implemented by the moderation component's Users). */
export interface SessionUser { username: string; role: Role; queues: string[] | null }
export interface SessionVerifier { verifySession(token: string): Promise<SessionUser | null> }

const TTL_MS = 30_000;

export class KeyCache {
  private cache = new Map<string, { caller: Caller | null; at: number }>();
  constructor(private readonly control: Control) {}

  async verify(key: string): Promise<Caller | null> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.caller;
    const caller = await this.control.keys.verify(key);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { caller, at: Date.now() });
    return caller;
  }

  forget(): void { this.cache.clear(); }
}

export const SESSION_COOKIE = 'bulwark_session';
export const SESSION_PREFIX = 'bws_';
/** Browsers cannot send this header cross-site without a CORS preflight we never grant: our CSRF guard for cookie sessions. */
export const CONSOLE_HEADER = 'x-bulwark-console';

export function presentedKey(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim();
  const x = req.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : null;
}

export function sessionCookie(req: FastifyRequest): string | null {
  const c = req.headers.cookie;
  if (typeof c !== 'string') return null;
  for (const part of c.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

/** A preHandler that lets the request through only with a valid key holding `scope` (admin holds every scope). */
export function requireScope(keys: KeyCache, scope: Scope) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const key = presentedKey(req);
    if (!key) return reply.code(401).send({ error: { code: 'unauthorized', message: 'send an API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>"' } });
    const caller = await keys.verify(key);
    if (!caller) return reply.code(401).send({ error: { code: 'unauthorized', message: 'unknown or revoked API key' } });
    if (!caller.scopes.includes(scope) && !caller.scopes.includes('admin')) {
      return reply.code(403).send({ error: { code: 'forbidden', message: `this key lacks the '${scope}' scope` } });
    }
    (req as FastifyRequest & { caller: Caller }).caller = caller;
  };
}

export function permissionsOf(caller: Caller): Set<Permission> {
  if (caller.kind === 'user') return new Set(caller.role ? ROLE_PERMISSIONS[caller.role] : []);
  return new Set(caller.scopes.flatMap((s) => SCOPE_PERMISSIONS[s] ?? []));
}

/** permissionsOf(caller).has(p) without building the set: it runs on every request. */
export function allows(caller: Caller, p: Permission): boolean {
  if (caller.kind === 'user') return caller.role ? ROLE_PERMISSIONS[caller.role].includes(p) : false;
  for (const s of caller.scopes) if (SCOPE_PERMISSIONS[s]?.includes(p)) return true;
  return false;
}

/** Authenticates API keys and console sessions (bearer token or cookie) and checks one permission per route. */
export class Access {
  constructor(
    readonly keys: KeyCache,
    private readonly sessions?: SessionVerifier,
  ) {}

  async authenticate(req: FastifyRequest): Promise<{ caller: Caller } | { status: 401; message: string }> {
    const bearer = presentedKey(req);
    const cookie = bearer ? null : sessionCookie(req);
    const token = bearer ?? cookie;
    if (!token) return { status: 401, message: 'send an API key or session token as "Authorization: Bearer <token>" (or log in to the console)' };
    if (token.startsWith(SESSION_PREFIX)) {
      const user = this.sessions ? await this.sessions.verifySession(token) : null;
      if (!user) return { status: 401, message: 'unknown, expired or revoked session; log in again' };
      if (cookie && req.method !== 'GET' && req.method !== 'HEAD' && req.headers[CONSOLE_HEADER] === undefined) {
        return { status: 401, message: `a cookie session needs the ${CONSOLE_HEADER} header on writes` };
      }
      return { caller: { id: `user:${user.username}`, name: user.username, scopes: [], kind: 'user', role: user.role, queues: user.queues } };
    }
    const caller = await this.keys.verify(token);
    if (!caller) return { status: 401, message: 'unknown or revoked API key' };
    return { caller: { ...caller, kind: 'key' } };
  }

  /** An onRequest hook: 401 without valid credentials, 403 without `permission`. */
  require(permission: Permission) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const r = await this.authenticate(req);
      if (!('caller' in r)) return reply.code(401).send({ error: { code: 'unauthorized', message: r.message } });
      if (!allows(r.caller, permission)) {
        const who = r.caller.kind === 'user' ? `role '${r.caller.role}'` : `this key (scopes ${r.caller.scopes.join(', ')})`;
        return reply.code(403).send({ error: { code: 'forbidden', message: `${who} may not do this: it needs the '${permission}' permission` } });
      }
      (req as FastifyRequest & { caller: Caller }).caller = r.caller;
    };
  }
}

export function callerOf(req: FastifyRequest): Caller | null {
  return (req as FastifyRequest & { caller?: Caller }).caller ?? null;
}

export function actorOf(req: FastifyRequest): string {
  const c = callerOf(req);
  return c ? (c.kind === 'user' ? `user:${c.name}` : `key:${c.name}`) : 'anonymous';
}
