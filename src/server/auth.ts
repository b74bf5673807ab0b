// API-key authentication with scopes; verified keys are cached briefly so a request costs no database round trip.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Control, Scope } from '../control/index.ts';

export interface Caller { id: string; name: string; scopes: Scope[] }

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

export function presentedKey(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim();
  const x = req.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : null;
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

export function actorOf(req: FastifyRequest): string {
  const c = (req as FastifyRequest & { caller?: Caller }).caller;
  return c ? `key:${c.name}` : 'anonymous';
}
