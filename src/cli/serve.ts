// `bulwark serve` and `bulwark keys`: run the decision service, manage API keys.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ControlError, openControl, SCOPES, type Scope } from '../control/index.ts';
import { casesMigrations, Moderation } from '../cases/index.ts';
import { GraphJobs } from '../server/graph-jobs.ts';
import { modelMigrations } from '../ml/index.ts';
import { ModelCatalog } from '../server/models.ts';
import { buildApp } from '../server/http.ts';
import { DecisionService } from '../server/service.ts';

export interface ServeOptions {
  data: string;
  port: number;
  host: string;
  strategy: string;
  durability: 'fsync' | 'buffered';
  snapshotSeconds: number;
  bodyLimit: number;
  keepRaw: boolean;
}

export async function serveCommand(o: ServeOptions): Promise<number> {
  const say = (m: string) => console.log(m);
  const models = new ModelCatalog();
  const svc = await DecisionService.open({
    dataDir: resolve(o.data),
    databaseUrl: process.env.BULWARK_DATABASE_URL || undefined,
    strategyDir: existsSync(o.strategy) ? o.strategy : undefined,
    durability: o.durability,
    snapshotIntervalMs: o.snapshotSeconds * 1000,
    keepRawPersonalData: o.keepRaw,
    migrations: [casesMigrations, modelMigrations],
    // Every registered model version, so strategies can score them with model("name", version).
    loadModels: (control) => models.load(control),
    log: say,
  });
  const cases = await Moderation.open(svc.control.sql, { log: say });
  cases.attach(svc);
  // Graph detection on the decisions: rings become cases, and signals rules can read (ring_size(account), ...).
  const graph = new GraphJobs({ dataDir: resolve(o.data), intervalMs: Number(process.env.BULWARK_GRAPH_INTERVAL_MS ?? 600_000), log: say },
    { signals: { publish: (e, n, v) => svc.setSignal(e, n, v) }, cases });
  graph.attach(svc);
  graph.start();
  if ((await svc.control.keys.count()) === 0) {
    const k = await svc.control.keys.create({ name: 'development', scopes: ['ingest', 'read', 'admin'], actor: 'system' });
    say(`\nCreated a development API key with every scope (shown once; store it now):\n\n  ${k.key}\n`);
  }
  // The console needs someone to sign in as: the first start creates an admin with a random password.
  if ((await cases.users.list()).length === 0) {
    const password = randomBytes(12).toString('base64url');
    await cases.users.create({ username: 'admin', role: 'admin', password, actor: 'system' });
    say(`Created the console user 'admin' with password ${password} (shown once; change it under Users and keys)\n`);
  }
  const app = buildApp(svc, { bodyLimit: o.bodyLimit, cases, models, extraMetrics: () => models.metricsText() });
  const r = svc.recovery;
  say(`recovered: snapshot at ${r.snapshotPosition}, ${r.replayed} log records replayed, ${r.indexed} decisions indexed in ${r.ms} ms${r.truncatedBytes ? `; cut ${r.truncatedBytes} bytes of torn log tail` : ''}`);
  const address = await app.listen({ port: o.port, host: o.host });
  say(`Bulwark is serving strategy ${svc.engine.plan.version} on ${address}, console at ${address}/ (data in ${resolve(o.data)}, control plane on ${svc.control.backend})`);
  say(`try: curl -s ${address}/v1/decide -H "Authorization: Bearer <key>" -H 'content-type: application/json' -d '{"id":"e1","type":"login","ts":${Date.UTC(2026, 0, 5)},"account":"a1","device":"d1","ip":"203.0.113.7","success":false,"method":"password"}'`);
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    say(`${sig}: finishing requests, writing a snapshot, closing`);
    await app.close();
    graph.stop();
    await cases.close();
    await svc.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return await new Promise<number>(() => {});
}

export async function keysCommand(action: string | undefined, o: { data: string; name?: string; scope?: string; id?: string }): Promise<number> {
  let control;
  try {
    control = await openControl({ dataDir: resolve(o.data), databaseUrl: process.env.BULWARK_DATABASE_URL || undefined });
  } catch (e) {
    if (e instanceof ControlError && e.code === 'conflict') {
      console.error(`the embedded control plane in ${resolve(o.data)} is in use by a running server: stop it first, or create keys over the API (POST /v1/keys)`);
      return 1;
    }
    throw e;
  }
  try {
    switch (action) {
      case 'create': {
        const scopes = (o.scope ?? '').split(',').map((s) => s.trim()).filter(Boolean) as Scope[];
        const bad = scopes.filter((s) => !SCOPES.includes(s));
        if (scopes.length === 0 || bad.length) { console.error(`--scope takes a comma-separated list of ${SCOPES.join(', ')}${bad.length ? `; unknown: ${bad.join(', ')}` : ''}`); return 2; }
        const k = await control.keys.create({ name: o.name ?? 'cli', scopes, actor: 'cli' });
        console.log(k.key);
        console.error(`created key ${k.id} (${o.name ?? 'cli'}) with scopes ${scopes.join(', ')}; the key is shown once`);
        return 0;
      }
      case 'list':
        for (const k of await control.keys.list()) console.log(JSON.stringify(k));
        return 0;
      case 'revoke':
        if (!o.id) { console.error('keys revoke needs --id'); return 2; }
        await control.keys.revoke(o.id, 'cli');
        console.error(`revoked ${o.id}`);
        return 0;
      default:
        console.error('usage: bulwark keys create --scope ingest,read,admin [--name NAME] | keys list | keys revoke --id ID   [--data DIR]');
        return 2;
    }
  } finally {
    await control.close();
  }
}
