// Moderation routes: sessions and users, queues, cases and reviews, enforcement, strikes, appeals, labels, precision, webhooks.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CAPABILITIES, ENFORCEMENT_KINDS, ModerationError, REVIEW_ACTIONS, ROLES, WEBHOOK_EVENTS, type Moderation, type Reviewer } from '../cases/index.ts';
import { Access, actorOf, callerOf, CONSOLE_HEADER, KeyCache, permissionsOf, presentedKey, SESSION_COOKIE, sessionCookie } from './auth.ts';
import type { DecisionService } from './service.ts';

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Entity = Type.String({ minLength: 3, maxLength: 600, pattern: '^[A-Za-z][A-Za-z0-9_]*:.+$' });
const Reason = Type.String({ minLength: 1, maxLength: 64 });
const Spec = Type.Object({
  kind: lit(ENFORCEMENT_KINDS),
  capability: Type.Optional(lit(CAPABILITIES)),
  content: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  duration_seconds: Type.Optional(Type.Integer({ minimum: 60 })),
}, { additionalProperties: false });
const Role = lit(ROLES);
const Queues = Type.Union([Type.Null(), Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), { maxItems: 100 })]);
const Step = Type.Object({ strikes: Type.Integer({ minimum: 1 }), kind: lit(ENFORCEMENT_KINDS), capability: Type.Optional(lit(CAPABILITIES)), duration_days: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

/** The reviewer a request acts as: reviewers are limited to their queues; admins (and admin keys) may act on any claimed case. */
export function reviewerOf(req: FastifyRequest): Reviewer {
  const c = callerOf(req)!;
  return { actor: actorOf(req), queues: c.kind === 'user' && c.role !== 'admin' ? (c.queues ?? null) : null, admin: permissionsOf(c).has('admin') };
}

/** Apps that have the moderation routes (so a caller can tell whether buildApp already added them). */
export const registeredApps = new WeakSet<FastifyInstance>();

/**
 * Adds the moderation routes to an app built by buildApp (call before listen). Pass the app's Access
 * so key revocations and sessions share one cache; without one, a new Access is made on svc.control.
 */
export function registerCaseRoutes(app: FastifyInstance, svc: DecisionService, cases: Moderation, access = new Access(new KeyCache(svc.control), cases.users)): void {
  registeredApps.add(app);
  const read = access.require('read');
  const review = access.require('review');
  const create = access.require('case.create');
  const appeal = access.require('appeal');
  const admin = access.require('admin');

  void app.register(async (scope) => {
    const r = scope.withTypeProvider<TypeBoxTypeProvider>();
    // ModerationError is a 403 with the API's error shape; everything else goes to the app's handler.
    r.setErrorHandler((err: FastifyError, _req, reply) => {
      if (err instanceof ModerationError) return reply.code(403).send({ error: { code: 'forbidden', message: err.message } });
      throw err;
    });

    // ---- sessions and users ----
    r.post('/v1/sessions', { schema: { body: Type.Object({ username: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 1024 }) }) } }, async (req, reply) => {
      const s = await cases.users.login(req.body.username, req.body.password);
      if (!s) return reply.code(401).send({ error: { code: 'unauthorized', message: 'wrong username or password' } });
      reply.header('set-cookie', `${SESSION_COOKIE}=${s.token}; Path=/; HttpOnly; SameSite=Strict; Secure; Expires=${s.expires_at.toUTCString()}`);
      return reply.code(201).send({ token: s.token, expires_at: s.expires_at, user: s.user, csrf_header: CONSOLE_HEADER });
    });
    r.delete('/v1/sessions', async (req, reply) => {
      const bearer = presentedKey(req);
      const token = bearer ?? sessionCookie(req);
      if (!token || !(await cases.users.verifySession(token))) return reply.code(401).send({ error: { code: 'unauthorized', message: 'no live session to end' } });
      if (!bearer && req.headers[CONSOLE_HEADER] === undefined) return reply.code(401).send({ error: { code: 'unauthorized', message: `a cookie session needs the ${CONSOLE_HEADER} header on writes` } });
      await cases.users.logout(token);
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0`);
      return { ended: true };
    });
    r.get('/v1/me', { onRequest: read }, async (req) => {
      const c = callerOf(req)!;
      return { actor: actorOf(req), kind: c.kind, role: c.role ?? null, scopes: c.scopes, queues: c.queues ?? null, permissions: [...permissionsOf(c)].sort() };
    });
    r.get('/v1/users', { onRequest: admin }, async () => ({ users: await cases.users.list() }));
    r.post('/v1/users', { onRequest: admin, schema: { body: Type.Object({ username: Type.String({ maxLength: 64 }), role: Role, password: Type.String({ maxLength: 1024 }), queues: Type.Optional(Queues) }) } }, async (req, reply) =>
      reply.code(201).send(await cases.users.create({ ...req.body, actor: actorOf(req) })));
    r.patch('/v1/users/:username', { onRequest: admin, schema: { params: Type.Object({ username: Type.String({ maxLength: 64 }) }), body: Type.Object({ role: Type.Optional(Role), queues: Type.Optional(Queues), disabled: Type.Optional(Type.Boolean()), password: Type.Optional(Type.String({ maxLength: 1024 })) }) } }, async (req) =>
      cases.users.update(req.params.username, { ...req.body, actor: actorOf(req) }));

    // ---- queues, taxonomy, policy ----
    r.get('/v1/queues', { onRequest: read }, async () => ({ queues: await cases.queues() }));
    r.put('/v1/queues/:name', { onRequest: admin, schema: { params: Type.Object({ name: Type.String({ maxLength: 64 }) }), body: Type.Object({ description: Type.Optional(Type.String({ maxLength: 1000 })), sla_seconds: Type.Optional(Type.Integer({ minimum: 60 })), severity: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })) }) } }, async (req) => {
      await cases.putQueue(req.params.name, req.body, actorOf(req));
      return { queue: (await cases.queues()).find((q) => q.name === req.params.name) };
    });
    r.get('/v1/policy-reasons', { onRequest: read }, async () => ({ reasons: await cases.reasons() }));
    r.post('/v1/policy-reasons', { onRequest: admin, schema: { body: Type.Object({ code: Type.String({ maxLength: 64 }), kind: lit(['violation', 'benign'] as const), title: Type.String({ minLength: 1, maxLength: 200 }) }) } }, async (req, reply) => {
      await cases.addReason({ ...req.body, actor: actorOf(req) });
      return reply.code(201).send(req.body);
    });
    r.get('/v1/strike-policies', { onRequest: read }, async () => ({ policies: await cases.strikePolicies() }));
    r.put('/v1/strike-policies/:reason', { onRequest: admin, schema: { params: Type.Object({ reason: Reason }), body: Type.Object({ strike_days: Type.Integer({ minimum: 1 }), ladder: Type.Array(Step, { maxItems: 20 }) }) } }, async (req) => {
      await cases.putStrikePolicy(req.params.reason, req.body, actorOf(req));
      return { reason: req.params.reason, ...req.body };
    });

    // ---- cases ----
    r.get('/v1/cases', { onRequest: read, schema: { querystring: Type.Object({ queue: Type.Optional(Type.String()), status: Type.Optional(lit(['open', 'claimed', 'pending_info', 'closed'] as const)), entity: Type.Optional(Type.String()), assignee: Type.Optional(Type.String()), kind: Type.Optional(lit(['review', 'appeal'] as const)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), before_id: Type.Optional(Type.Integer({ minimum: 1 })) }) } }, async (req) =>
      ({ cases: await cases.listCases(req.query) }));
    r.post('/v1/cases', { onRequest: create, schema: { body: Type.Object({ entity: Entity, queue: Type.Optional(Type.String({ maxLength: 64 })), summary: Type.String({ minLength: 1, maxLength: 2000 }), related: Type.Optional(Type.Array(Entity, { maxItems: 50 })) }) } }, async (req, reply) => {
      const c = callerOf(req)!;
      const out = await cases.createCase({ ...req.body, source: c.kind === 'user' ? 'manual' : 'api', actor: actorOf(req) });
      return reply.code(out.opened ? 201 : 200).send(out);
    });
    r.post('/v1/cases/next', { onRequest: review, schema: { body: Type.Optional(Type.Object({ queue: Type.Optional(Type.String({ maxLength: 64 })) })) } }, async (req, reply) => {
      const c = await cases.next(reviewerOf(req), req.body?.queue);
      return c ? { case: c } : reply.code(204).send();
    });
    r.get('/v1/cases/:id', { onRequest: read, schema: { params: Id } }, async (req, reply) =>
      (await cases.getCase(req.params.id)) ?? reply.code(404).send({ error: { code: 'not_found', message: `no case ${req.params.id}` } }));
    r.post('/v1/cases/:id/claim', { onRequest: review, schema: { params: Id } }, async (req) => ({ case: await cases.claim(req.params.id, reviewerOf(req)) }));
    r.post('/v1/cases/:id/release', { onRequest: review, schema: { params: Id } }, async (req) => ({ case: await cases.release(req.params.id, reviewerOf(req)) }));
    r.post('/v1/cases/:id/assign', { onRequest: admin, schema: { params: Id, body: Type.Object({ username: Type.String({ maxLength: 64 }) }) } }, async (req) =>
      ({ case: await cases.assign(req.params.id, req.body.username, actorOf(req)) }));
    r.post('/v1/cases/:id/notes', { onRequest: review, schema: { params: Id, body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 8000 }) }) } }, async (req) =>
      ({ case: await cases.addNote(req.params.id, req.body.note, actorOf(req)) }));
    r.post('/v1/cases/:id/actions', { onRequest: review, schema: { params: Id, body: Type.Object({ action: lit(REVIEW_ACTIONS), reason: Reason, note: Type.Optional(Type.String({ maxLength: 4000 })), enforcement: Type.Optional(Spec), queue: Type.Optional(Type.String({ maxLength: 64 })) }) } }, async (req) =>
      cases.act(req.params.id, reviewerOf(req), req.body));

    // ---- enforcement, strikes, appeals ----
    r.get('/v1/enforcements', { onRequest: read, schema: { querystring: Type.Object({ entity: Entity }) } }, async (req) => cases.enforcements(req.query.entity));
    r.post('/v1/enforcements', { onRequest: admin, schema: { body: Type.Object({ entity: Entity, enforcement: Spec, reason: Reason, source: Type.Optional(lit(['api', 'graph', 'rule'] as const)) }) } }, async (req, reply) =>
      reply.code(201).send(await cases.enforce({ ...req.body, actor: actorOf(req) })));
    r.post('/v1/enforcements/:id/lift', { onRequest: admin, schema: { params: Id, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }) } }, async (req) =>
      cases.lift(req.params.id, actorOf(req), req.body.reason));
    r.get('/v1/strikes', { onRequest: read, schema: { querystring: Type.Object({ entity: Entity }) } }, async (req) => cases.strikes(req.query.entity));
    r.post('/v1/appeals', { onRequest: appeal, schema: { body: Type.Object({ entity: Entity, enforcement_id: Type.Optional(Type.Integer({ minimum: 1 })), statement: Type.String({ minLength: 1, maxLength: 8000 }) }) } }, async (req, reply) =>
      reply.code(201).send({ case: await cases.appeal({ ...req.body, actor: actorOf(req) }) }));

    // ---- ground truth and measurement ----
    r.get('/v1/review-labels', { onRequest: read, schema: { querystring: Type.Object({ entity: Type.Optional(Type.String()), after_id: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }) } }, async (req) =>
      ({ labels: await cases.reviewLabels(req.query) }));
    r.get('/v1/rules/precision', { onRequest: read }, async () => ({ rules: await cases.precision() }));

    // ---- webhooks ----
    r.get('/v1/webhooks', { onRequest: admin }, async () => ({ webhooks: await cases.webhooks.list() }));
    r.post('/v1/webhooks', { onRequest: admin, schema: { body: Type.Object({ url: Type.String({ minLength: 8, maxLength: 2000 }), events: Type.Optional(Type.Array(lit(WEBHOOK_EVENTS), { minItems: 1 })) }) } }, async (req, reply) =>
      reply.code(201).send(await cases.webhooks.create({ ...req.body, actor: actorOf(req) })));
    r.delete('/v1/webhooks/:id', { onRequest: admin, schema: { params: Id } }, async (req) => {
      await cases.webhooks.deactivate(req.params.id, actorOf(req));
      return { id: req.params.id, active: false };
    });
    r.get('/v1/webhooks/:id/deliveries', { onRequest: admin, schema: { params: Id, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) } }, async (req) =>
      ({ deliveries: await cases.webhooks.deliveries(req.params.id, req.query.limit) }));
  });
}
