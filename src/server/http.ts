// The HTTP API (fastify + TypeBox): decisions, entities, strategies, lists, labels, keys, audit, metrics, health.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ControlError, SCOPES, type Scope } from '../control/index.ts';
import type { Moderation } from '../cases/index.ts';
import { Access, actorOf, KeyCache } from './auth.ts';
import { registerCaseRoutes } from './routes-cases.ts';
import { registerBacktestRoutes } from './routes-backtest.ts';
import { DecisionService, ServiceError, type DecideResult } from './service.ts';
import { registerConsoleRoutes } from './routes-console.ts';
import { registerModelRoutes, type ModelCatalog } from './models.ts';
import { registerConsole } from './console-static.ts';
import { parseTime } from '../backtest/index.ts';

export interface HttpOptions {
  bodyLimit?: number; // bytes, default 1 MiB
  maxBatch?: number; // events per /v1/events call, default 1000
  cases?: Moderation; // moderation: its routes, console sessions, and its /metrics lines
  extraMetrics?: () => string; // more Prometheus lines, e.g. model monitors
  models?: ModelCatalog; // the served models: GET /v1/models with their monitors
  console?: string | false; // the built web console to serve at /: a directory (default web/dist), or false for none
}

const Error = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }) });
void Error;

const EventEnvelope = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 256 }),
  type: Type.String({ minLength: 1, maxLength: 100 }),
  ts: Type.Union([Type.Number(), Type.String({ maxLength: 40 })]),
}, { additionalProperties: true });

export function buildApp(svc: DecisionService, opts: HttpOptions = {}): FastifyInstance {
  const maxBatch = opts.maxBatch ?? 1000;
  const app = Fastify({ bodyLimit: opts.bodyLimit ?? 1 << 20, logger: false, return503OnClosing: true, routerOptions: { maxParamLength: 4096 } })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();
  const keys = new KeyCache(svc.control);
  const access = new Access(keys, opts.cases?.users);
  const ingest = access.require('ingest');
  const read = access.require('read');
  const analyze = access.require('analyze');
  const audit = access.require('audit');
  const admin = access.require('admin');


  app.setErrorHandler((err: FastifyError & { validation?: { instancePath?: string; message?: string; params?: { requiredProperties?: string[] } }[] }, _req, reply) => {
    if (err instanceof ServiceError) return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    if (err instanceof ControlError) {
      const status = err.code === 'not_found' ? 404 : err.code === 'conflict' ? 409 : 400;
      return reply.code(status).send({ error: { code: err.code === 'invalid' ? 'invalid_request' : err.code, message: err.message } });
    }
    if (err.validation) {
      const v = err.validation[0]!;
      const missing = v.params?.requiredProperties?.[0];
      const path = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      const field = missing ? (path ? `${path}.${missing}` : missing) : path;
      const message = missing ? `missing required field ${field}` : `${field ? field + ' ' : 'the request body '}${v.message ?? 'is invalid'}`;
      return reply.code(400).send({ error: { code: 'invalid_request', field: field || undefined, message } });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return reply.code(415).send({ error: { code: 'unsupported_media_type', message: `send JSON with Content-Type: application/json${err.message ? ` (${err.message})` : ''}` } });
      case 'FST_ERR_CTP_BODY_TOO_LARGE': return reply.code(413).send({ error: { code: 'payload_too_large', message: `request body is larger than ${opts.bodyLimit ?? 1 << 20} bytes` } });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY': return reply.code(400).send({ error: { code: 'malformed_json', message: 'the request body is empty' } });
      case 'FST_ERR_CTP_INVALID_JSON_BODY': case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(400).send({ error: { code: 'malformed_json', message: `the request body is not valid JSON: ${err.message}` } });
    }
    if (err instanceof SyntaxError || err instanceof RangeError || err.statusCode === 400) {
      return reply.code(400).send({ error: { code: 'malformed_json', message: `the request body could not be parsed: ${err.message.slice(0, 200)}` } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: 'bad_request', message: err.message } });
    console.error(err);
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error; see the server log' } });
  });
  // The console's pages (client-side routes) fall back to its index.html; everything else is the API's 404.
  const consolePages = opts.console === false ? null : registerConsole(app, opts.console);
  app.setNotFoundHandler(async (req, reply) => {
    if (consolePages?.(req, reply)) return reply;
    return reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  const send = (reply: { code(n: number): { send(b: unknown): unknown }; header(k: string, v: string): unknown }, r: DecideResult) => {
    if (r.ok) { if (r.duplicate) reply.header('x-bulwark-duplicate', 'true'); return reply.code(200).send(r.decision); }
    return reply.code(r.status).send({ error: r.error });
  };

  // ---- decisions ----
  app.post('/v1/decide', { onRequest: ingest, schema: { body: EventEnvelope } }, async (req, reply) => send(reply, await svc.decide(req.body)));

  app.post('/v1/events', { onRequest: ingest, schema: { body: Type.Object({ events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: maxBatch }) }) } }, async (req) => {
    const results = await svc.decideBatch(req.body.events);
    const out = results.map((r) => (r.ok ? { decision: r.decision, duplicate: r.duplicate || undefined } : { error: r.error }));
    return { results: out, decided: results.filter((r) => r.ok).length, rejected: results.filter((r) => !r.ok).length };
  });

  app.get('/v1/decisions/:eventId', { onRequest: read, schema: { params: Type.Object({ eventId: Type.String({ maxLength: 256 }) }) } }, async (req, reply) => {
    const d = svc.decision(req.params.eventId);
    if (!d) return reply.code(404).send({ error: { code: 'not_found', message: `no decision for event '${req.params.eventId}'` } });
    return d;
  });

  // ---- entities ----
  const EntityParams = Type.Object({ type: Type.String({ maxLength: 100 }), id: Type.String({ maxLength: 512 }) });
  app.get('/v1/entities/:type/:id', { onRequest: read, schema: { params: EntityParams } }, async (req) => {
    const p = svc.persona(req.params.type, req.params.id);
    const manual = await svc.control.labels.history(`${req.params.type}:${svc.stateId(req.params.type, req.params.id)}`);
    return { ...p, label_history: manual };
  });
  app.delete('/v1/entities/:type/:id', { onRequest: admin, schema: { params: EntityParams } }, async (req) => svc.erase(req.params.type, req.params.id, actorOf(req)));

  // ---- strategies ----
  const Name = Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }) });
  app.get('/v1/strategies', { onRequest: read }, async () => ({ strategies: await svc.control.strategies.names() }));
  app.get('/v1/strategies/:name/versions', { onRequest: read, schema: { params: Name } }, async (req) => ({ versions: await svc.control.strategies.list(req.params.name) }));
  app.get('/v1/strategies/:name/versions/:version', { onRequest: read, schema: { params: Type.Object({ name: Type.String(), version: Type.Integer({ minimum: 1 }) }) } }, async (req, reply) => {
    const v = await svc.control.strategies.get(req.params.name, req.params.version);
    return v ?? reply.code(404).send({ error: { code: 'not_found', message: `no version ${req.params.version} of ${req.params.name}` } });
  });
  app.post('/v1/strategies/:name/versions', { onRequest: analyze, schema: { params: Name, body: Type.Object({ files: Type.Record(Type.String({ maxLength: 200 }), Type.String()) }) } }, async (req, reply) => {
    const created = await svc.uploadStrategy(req.params.name, req.body.files, actorOf(req));
    return reply.code(201).send(created);
  });
  app.post('/v1/strategies/:name/deployments', { onRequest: analyze, schema: { params: Name, body: Type.Object({ version: Type.Integer({ minimum: 1 }), mode: Type.Union([Type.Literal('live'), Type.Literal('shadow')]) }) } }, async (req) =>
    svc.deploy(req.params.name, req.body.version, req.body.mode, actorOf(req)));
  app.get('/v1/strategies/:name/deployments', { onRequest: read, schema: { params: Name } }, async (req) => ({ deployments: await svc.control.strategies.history(req.params.name) }));
  app.post('/v1/strategies/:name/rollback', { onRequest: analyze, schema: { params: Name } }, async (req) => svc.rollback(req.params.name, actorOf(req)));
  app.delete('/v1/strategies/:name/shadows/:version', { onRequest: analyze, schema: { params: Type.Object({ name: Type.String(), version: Type.Integer({ minimum: 1 }) }) } }, async (req) =>
    svc.undeployShadow(req.params.name, req.params.version, actorOf(req)));

  // ---- lists ----
  const ListName = Type.Object({ name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }) });
  const Values = Type.Object({ values: Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { minItems: 1, maxItems: 100_000 }) });
  app.get('/v1/lists', { onRequest: read }, async () => ({ lists: await svc.control.lists.list() }));
  app.post('/v1/lists', { onRequest: analyze, schema: { body: Type.Object({ name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), description: Type.Optional(Type.String({ maxLength: 1000 })) }) } }, async (req, reply) =>
    reply.code(201).send(await svc.control.lists.create(req.body.name, { description: req.body.description, actor: actorOf(req) })));
  app.get('/v1/lists/:name', { onRequest: read, schema: { params: ListName } }, async (req) => svc.listValues(req.params.name));
  app.post('/v1/lists/:name/values', { onRequest: analyze, schema: { params: ListName, body: Values } }, async (req) => {
    const r = await svc.control.lists.add(req.params.name, req.body.values, actorOf(req));
    await svc.refreshLists();
    return r;
  });
  app.delete('/v1/lists/:name/values', { onRequest: analyze, schema: { params: ListName, body: Values } }, async (req) => {
    const r = await svc.control.lists.remove(req.params.name, req.body.values, actorOf(req));
    await svc.refreshLists();
    return r;
  });
  // Bulk import takes the list file as text/plain: one value per line, # comments.
  void app.register(async (plain) => {
    const scoped = plain.withTypeProvider<TypeBoxTypeProvider>();
    scoped.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: 64 << 20 }, (_req, body, done) => done(null, body));
    scoped.post('/v1/lists/:name/import', { onRequest: analyze, schema: { params: ListName, body: Type.String({ maxLength: 64 << 20 }) } }, async (req) => {
      const r = await svc.control.lists.import(req.params.name, req.body as string, actorOf(req));
      await svc.refreshLists();
      return r;
    });
  });

  // ---- labels ----
  const Entity = Type.String({ minLength: 3, maxLength: 600, pattern: '^[A-Za-z]+:.+$' });
  app.post('/v1/labels', { onRequest: analyze, schema: { body: Type.Object({ entity: Entity, label: Type.String({ minLength: 1, maxLength: 100 }), expires_at: Type.Optional(Type.Union([Type.Null(), Type.Number(), Type.String({ maxLength: 40 })])), reason: Type.String({ minLength: 1, maxLength: 2000 }) }) } }, async (req, reply) => {
    const e = req.body.expires_at;
    const expiresAt = e === undefined || e === null ? null : typeof e === 'number' ? e : Date.parse(e);
    if (expiresAt !== null && !Number.isFinite(expiresAt)) return reply.code(400).send({ error: { code: 'invalid_request', field: 'expires_at', message: 'expires_at must be epoch ms or an ISO-8601 date-time' } });
    await svc.setLabel({ entity: req.body.entity, label: req.body.label, expiresAt, actor: actorOf(req), reason: req.body.reason });
    return reply.code(201).send({ entity: req.body.entity, label: req.body.label, expires_at: expiresAt });
  });
  app.delete('/v1/labels', { onRequest: analyze, schema: { body: Type.Object({ entity: Entity, label: Type.String({ minLength: 1, maxLength: 100 }), reason: Type.String({ minLength: 1, maxLength: 2000 }) }) } }, async (req) => {
    await svc.clearLabel({ ...req.body, actor: actorOf(req) });
    return { entity: req.body.entity, label: req.body.label, cleared: true };
  });

  // ---- signals: numbers about entities computed outside the event stream (graph jobs, batch models) ----
  app.post('/v1/signals', { onRequest: analyze, schema: { body: Type.Object({ entity: Type.String({ minLength: 3, maxLength: 600, pattern: '^[A-Za-z]+:.+$' }), name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), value: Type.Union([Type.Number(), Type.Null()]) }) } }, async (req) => {
    await svc.setSignal(req.body.entity, req.body.name, req.body.value);
    return { entity: req.body.entity, name: req.body.name, value: req.body.value };
  });

  // ---- keys and audit ----
  app.get('/v1/keys', { onRequest: admin }, async () => ({ keys: await svc.control.keys.list() }));
  app.post('/v1/keys', { onRequest: admin, schema: { body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), scopes: Type.Array(Type.Union(SCOPES.map((s: Scope) => Type.Literal(s)), { description: 'ingest, read or admin' }), { minItems: 1, maxItems: 3 }) }) } }, async (req, reply) =>
    reply.code(201).send(await svc.control.keys.create({ name: req.body.name, scopes: req.body.scopes, actor: actorOf(req) })));
  app.delete('/v1/keys/:id', { onRequest: admin, schema: { params: Type.Object({ id: Type.String({ maxLength: 100 }) }) } }, async (req) => {
    await svc.control.keys.revoke(req.params.id, actorOf(req));
    keys.forget();
    return { id: req.params.id, revoked: true };
  });
  app.get('/v1/audit', { onRequest: audit, schema: { querystring: Type.Object({ actor: Type.Optional(Type.String({ maxLength: 200 })), action: Type.Optional(Type.String({ maxLength: 200 })), target: Type.Optional(Type.String({ maxLength: 700 })), from: Type.Optional(Type.String({ maxLength: 40 })), to: Type.Optional(Type.String({ maxLength: 40 })), before_id: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) } }, async (req) => {
    const { from, to, ...rest } = req.query;
    // from/to: epoch ms or ISO-8601; actor, action and target match exactly, or as a prefix when they end in *.
    const when = (v: string | undefined, name: string) => {
      try {
        const t = parseTime(v, name);
        return t === undefined ? undefined : new Date(t);
      } catch (e) {
        throw new ServiceError(400, 'invalid_request', (e as Error).message);
      }
    };
    return { entries: await svc.control.audit.list({ ...rest, since: when(from, 'from'), until: when(to, 'to') }) };
  });

  app.get('/v1/admin/state', { onRequest: admin }, async () => ({ ...svc.engine.stateDigest(), stats: svc.engine.store.stats(), recovery: svc.recovery, log: svc.log.stats() }));
  app.post('/v1/admin/snapshot', { onRequest: admin }, async () => ({ snapshot: await svc.snapshot() }));

  // ---- operations ----
  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4').send(svc.metrics.render(svc.gauges()) + (opts.cases ? await opts.cases.metrics() : '') + (opts.extraMetrics?.() ?? '')));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (!svc.ready) return reply.code(503).send({ status: 'unavailable', reason: svc.failed?.message ?? 'closing' });
    return { status: 'ready', strategy: svc.engine.plan.version, shadows: svc.engine.shadowPlans.map((p) => p.version), recovery: svc.recovery };
  });
  const cases = opts.cases;
  registerBacktestRoutes(app as never, svc, {
    read, admin: analyze,
    // Reviewed cases count as labels in server backtests.
    reviewLabels: cases ? async () => {
      const out: { entity: string; kind: 'abuse' | 'benign' }[] = [];
      for (let after = 0; ;) {
        const page = await cases.reviewLabels({ after_id: after, limit: 10_000 });
        out.push(...page);
        if (page.length < 10_000) return out;
        after = page[page.length - 1]!.id;
      }
    } : undefined,
  });
  if (opts.cases) registerCaseRoutes(app, svc, opts.cases, access);
  registerConsoleRoutes(app as never, svc, { read });
  if (opts.models) registerModelRoutes(app as never, svc.control, opts.models, read);
  app.addHook('onResponse', async (req, reply) => { svc.metrics.inc(svc.metrics.requests, `${req.routeOptions.url ?? 'unknown'} ${reply.statusCode}`); });
  return app;
}
