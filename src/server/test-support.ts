// Test support for the service: a real service on a temporary data directory, listening on a free port.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp } from './http.ts';
import { DecisionService, type ServiceOptions } from './service.ts';

export const PG_URL = process.env.BULWARK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Drops a test's PostgreSQL schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
}

export interface Running {
  svc: DecisionService;
  url: string;
  key: string;
  dataDir: string;
  call(method: string, path: string, body?: unknown, opts?: { key?: string | null; contentType?: string; raw?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startService(o: { backend?: 'pglite' | 'postgres'; dataDir?: string; options?: Partial<ServiceOptions> } = {}): Promise<Running> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'bulwark-svc-'));
  const schema = o.backend === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const svc = await DecisionService.open({ dataDir, strategyFiles: SERVICE_TEST_STRATEGY, snapshotIntervalMs: 0, groupCommitMs: 1, ...(o.backend === 'postgres' ? { databaseUrl: PG_URL, databaseSchema: schema } : {}), ...o.options });
  const { key } = await svc.control.keys.create({ name: 'test-admin', scopes: ['ingest', 'read', 'admin'], actor: 'test' });
  const app = buildApp(svc, { bodyLimit: 64 * 1024 });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const call: Running['call'] = async (method, path, body, opts = {}) => {
    const headers: Record<string, string> = {};
    const k = opts.key === undefined ? key : opts.key;
    if (k) headers.authorization = `Bearer ${k}`;
    let payload: string | undefined = opts.raw;
    if (body !== undefined && payload === undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(url + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* text bodies (metrics) */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    svc, url, key, dataDir, call,
    close: async () => {
      await app.close();
      await svc.close();
      if (schema) await dropSchema(schema);
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const T0 = Date.UTC(2026, 0, 5);
export const login = (id: string, ts: number, account: string, success: boolean, extra: Record<string, unknown> = {}) =>
  ({ id, type: 'login', ts, account, device: 'd-' + account, ip: '203.0.113.7', success, method: 'password', ...extra });

const packFile = (f: string) => readFileSync(fileURLToPath(new URL(`../../strategies/${f}`, import.meta.url)), 'utf8');

/** The service tests run a fixed strategy (the default pack is tuned over time): the catalogue, its lists, and a few rules. */
export const SERVICE_TEST_STRATEGY: Record<string, string> = {
  'catalogue.bw': packFile('catalogue.bw'),
  ...Object.fromEntries(readdirSync(fileURLToPath(new URL('../../strategies/lists', import.meta.url))).map((f) => [`lists/${f}`, packFile(`lists/${f}`)])),
  'rules.bw': `list disposable_domains from "lists/disposable_domains.txt"
list blocked_devices: Device

feature failed_logins_account_10m = count(login by account where not success over 10m)

rule brute_force_account on login
  when failed_logins_account_10m >= 5
  then challenge
  score +30
  because "{failed_logins_account_10m} failed logins in 10 minutes"

rule blocked_device on login, signup
  when device in list blocked_devices
  then block
  because "device is on the blocked list"

rule spend_after_takeover on order, gift
  when account has label "possible_takeover"
  then review
  queue takeover
  because "spending on an account that may be taken over"

signal ring_size on Account

rule big_ring on login
  when (ring_size(account) ?? 0) >= 5
  then review
  because "in a ring of {ring_size_now} accounts"

feature ring_size_now = ring_size(account) ?? 0

rule disposable_email on signup
  when email_domain(email) in list disposable_domains
  score +25

lateness 5m

scoring
  challenge at 40
  review at 70
  block at 100
`,
};
