// Test harness for moderation: a real service + moderation + full HTTP app, users with sessions, and a webhook receiver.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type HttpOptions } from '../server/http.ts';
import { registerCaseRoutes, registeredApps } from '../server/routes-cases.ts';
import { DecisionService } from '../server/service.ts';
import { dropSchema, PG_URL } from '../server/test-support.ts';
import { Moderation } from './index.ts';
import type { Role } from './users.ts';

export type Call = (method: string, path: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string> }) => Promise<{ status: number; body: any; headers: Headers }>;

export interface Stack {
  svc: DecisionService;
  cases: Moderation;
  app: FastifyInstance;
  url: string;
  /** True when http.ts has the wiring patch applied (buildApp registers the case routes and checks roles). */
  wired: boolean;
  /** API keys (adminKey, ingest, read) and user sessions (admin = root, analyst, reviewer = alice, reviewer2 = bob, viewer). */
  tokens: Record<'adminKey' | 'ingest' | 'read' | Role | 'reviewer2', string>;
  call: Call;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery staple';

export async function startStack(backend: 'pglite' | 'postgres'): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-cases-'));
  const schema = backend === 'postgres' ? `t_cases_${randomBytes(6).toString('hex')}` : undefined;
  const svc = await DecisionService.open({ dataDir, strategyFiles: MODERATION_STRATEGY, snapshotIntervalMs: 0, groupCommitMs: 1, ...(schema ? { databaseUrl: PG_URL, databaseSchema: schema } : {}) });
  const cases = await Moderation.open(svc.control.sql, { users: { scryptN: 1024 }, webhooks: { backoffMs: 50, pollMs: 200 }, log: process.env.BULWARK_TEST_LOG ? (m) => console.error(m) : () => {} });
  cases.attach(svc);
  const app = buildApp(svc, { bodyLimit: 256 * 1024, cases } as HttpOptions);
  const wired = registeredApps.has(app);
  if (!wired) registerCaseRoutes(app, svc, cases);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const key = async (name: string, scopes: ('ingest' | 'read' | 'admin')[]) => (await svc.control.keys.create({ name, scopes, actor: 'test' })).key;
  const call: Call = async (method, path, body, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* empty or text */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const adminKey = await key('test-admin', ['ingest', 'read', 'admin']);
  const users: [string, Role, string[] | null][] = [['root', 'admin', null], ['ann', 'analyst', null], ['alice', 'reviewer', ['spam', 'appeals', 'conc']], ['bob', 'reviewer', null], ['vic', 'viewer', null]];
  const tokens: Record<string, string> = { adminKey, ingest: await key('product', ['ingest']), read: await key('dashboard', ['read']) };
  for (const [username, role, queues] of users) {
    await cases.users.create({ username, role, password: PASSWORD, queues, actor: 'test' });
    const r = await call('POST', '/v1/sessions', { username, password: PASSWORD });
    if (r.status !== 201) throw new Error(`login ${username}: ${JSON.stringify(r.body)}`);
    tokens[username === 'alice' ? 'reviewer' : username === 'bob' ? 'reviewer2' : role] = r.body.token;
  }
  return {
    svc, cases, app, url, wired, call, tokens: tokens as Stack['tokens'],
    close: async () => {
      await app.close();
      await cases.close();
      await svc.close();
      if (schema) await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Received { headers: Record<string, string | string[] | undefined>; body: string }

/** A webhook receiver on 127.0.0.1 that refuses the first `failFirst` requests with 503 (to exercise retries). */
export async function startReceiver(failFirst = 1): Promise<{ url: string; got: Received[]; tries: number; close(): Promise<void> }> {
  const state = { got: [] as Received[], tries: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      state.tries++;
      if (state.tries <= failFirst) { res.writeHead(503).end('not yet'); return; }
      state.got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/bulwark`,
    get got() { return state.got; },
    get tries() { return state.tries; },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export async function until<T>(what: string, fn: () => T | Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A fixed strategy for the moderation tests (the default pack is tuned over time; these tests are about cases):
 * the default catalogue plus one spam rule that sends to the spam queue.
 */
export const MODERATION_STRATEGY: Record<string, string> = {
  'catalogue.bw': readFileSync(fileURLToPath(new URL('../../strategies/catalogue.bw', import.meta.url)), 'utf8'),
  'spam.bw': `feature link_posts_1h = count(comment|message by account where length(link_domains) > 0 over 1h)

rule link_spam on comment, message
  when link_posts_1h > 5
  then block
  label account "spammer" for 90d
  queue spam
  because "{link_posts_1h} posts with links in an hour"
`,
};
