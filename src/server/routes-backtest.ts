// Backtest jobs over the server's own log and shadow comparisons: POST /v1/backtests, GET /v1/backtests/:id, GET /v1/shadow/:version/compare.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Backtest, compileFiles, entityKey, feedRecord, parseRecord, parseTime, resolveStoredVersion, SourceError, type BacktestReport, type GroundTruth, type StrategyUnderTest } from '../backtest/index.ts';
import { KeyCache, requireScope } from './auth.ts';
import { ServiceError, type DecisionService } from './service.ts';
import { ShadowRecorder } from './shadow.ts';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

interface Job {
  id: string;
  status: 'running' | 'done' | 'failed';
  created_at: string;
  finished_at: string | null;
  request: { strategy: string; baseline: string | null; from: number | null; to: number | null; labels: { source: 'reviews'; abusive_entities: number } | null };
  progress: { records: number; total: number; fraction: number };
  result: BacktestReport | null;
  error: { code: string; message: string } | null;
}

const MAX_JOBS = 100;
/** Records between yields to the event loop: live decisions wait at most one slice (a few ms). */
const SLICE = 2000;

const StrategyRef = Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('live'), Type.Object({ files: Type.Record(Type.String({ maxLength: 200 }), Type.String()) })]);
const Body = Type.Object({
  strategy: StrategyRef,
  baseline: Type.Optional(Type.Union([StrategyRef, Type.Null()])),
  from: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
  to: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
  samples: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
});

/**
 * Adds the backtest and shadow routes. Pass the preHandlers buildApp uses so key revocation reaches them too;
 * without them the routes check keys with their own cache.
 */
/** Entities a reviewer confirmed as abusive (moderation's review labels): ground truth for server backtests. */
export type ReviewTruth = () => Promise<{ entity: string; kind: 'abuse' | 'benign' }[]>;

export function registerBacktestRoutes(app: FastifyInstance, svc: DecisionService, hooks: { read?: Hook; admin?: Hook; reviewLabels?: ReviewTruth } = {}): { shadows: ShadowRecorder } {
  const keys = hooks.read && hooks.admin ? null : new KeyCache(svc.control);
  const read = hooks.read ?? requireScope(keys!, 'read');
  const admin = hooks.admin ?? requireScope(keys!, 'admin');
  const jobs = new Map<string, Job>();
  const shadows = new ShadowRecorder(svc);
  app.addHook('onClose', async () => shadows.close());
  const strategyName = () => svc.engine.plan.version.split('@')[0]!;

  const resolve = async (ref: number | 'live' | { files: Record<string, string> }): Promise<StrategyUnderTest> => {
    try {
      if (typeof ref === 'object') return compileFiles(ref.files, undefined, svc.pseudonymise, await svc.control.lists.all());
      return await resolveStoredVersion(svc.control, strategyName(), String(ref), svc.pseudonymise);
    } catch (e) {
      if (e instanceof SourceError) throw new ServiceError(e.code === 'not_found' ? 404 : 422, e.code, e.message);
      throw e;
    }
  };

  app.post('/v1/backtests', { onRequest: admin, schema: { body: Body } }, async (req, reply) => {
    const b = req.body as { strategy: number | 'live' | { files: Record<string, string> }; baseline?: number | 'live' | { files: Record<string, string> } | null; from?: number | string; to?: number | string; samples?: number };
    let from: number | undefined, to: number | undefined;
    try { from = parseTime(b.from, 'from'); to = parseTime(b.to, 'to'); } catch (e) { throw new ServiceError(400, 'invalid_request', (e as Error).message); }
    const candidate = await resolve(b.strategy);
    // Without a baseline the job compares with the live version; baseline: null runs the candidate alone.
    const baselineRef = b.baseline === undefined ? 'live' : b.baseline;
    const baseline = baselineRef === null ? null : await resolve(baselineRef);
    // Reviewed cases count as labels: the latest outcome per entity, abuse as positive.
    let truth: GroundTruth | null = null;
    if (hooks.reviewLabels) {
      const latest = new Map<string, 'abuse' | 'benign'>();
      for (const l of await hooks.reviewLabels()) latest.set(l.entity, l.kind);
      truth = { events: new Map(), entities: new Map() };
      for (const [entity, kind] of latest) {
        const i = entity.indexOf(':');
        if (kind === 'abuse' && i > 0) truth.entities.set(entityKey(entity.slice(0, i), entity.slice(i + 1)), 'reviewed_abuse');
      }
      if (truth.entities.size === 0) truth = null;
    }
    const bt = new Backtest({ candidate, baseline, pseudonymise: svc.pseudonymise, samples: b.samples, truth });
    if (jobs.size >= MAX_JOBS) for (const [id, j] of jobs) if (j.status !== 'running') { jobs.delete(id); break; }
    const job: Job = {
      id: randomUUID(), status: 'running', created_at: new Date().toISOString(), finished_at: null,
      request: { strategy: candidate.plan.version, baseline: baseline?.plan.version ?? null, from: from ?? null, to: to ?? null, labels: truth ? { source: 'reviews', abusive_entities: truth.entities.size } : null },
      progress: { records: 0, total: svc.log.stats().records, fraction: 0 }, result: null, error: null,
    };
    jobs.set(job.id, job);
    void runJob(svc, bt, job, { from, to });
    return reply.code(202).header('location', `/v1/backtests/${job.id}`).send(job);
  });

  app.get('/v1/backtests/:id', { onRequest: read, schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (req, reply) => {
    const job = jobs.get((req.params as { id: string }).id);
    if (!job) return reply.code(404).send({ error: { code: 'not_found', message: `no backtest '${(req.params as { id: string }).id}' (jobs are kept in memory until the server restarts)` } });
    return job;
  });

  app.get('/v1/shadow/:version/compare', { onRequest: read, schema: { params: Type.Object({ version: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    const v = (req.params as { version: string }).version;
    const version = /^\d+$/.test(v) ? `${strategyName()}@${v}` : v;
    const r = shadows.compare(version);
    if (!r) return reply.code(404).send({ error: { code: 'not_found', message: `${version} is not deployed in shadow and has no recorded shadow decisions; shadows now: ${svc.engine.shadowPlans.map((p) => p.version).join(', ') || 'none'}` } });
    return r;
  });

  return { shadows };
}

/** Replays the log in slices, yielding between them; the backtest has its own stores, so live state is never touched. */
async function runJob(svc: DecisionService, bt: Backtest, job: Job, range: { from?: number; to?: number }): Promise<void> {
  try {
    let n = 0;
    for await (const chunk of svc.log.replayChunks()) {
      for (let i = 0; i < chunk.length; i++) {
        feedRecord(bt, parseRecord(chunk[i]!.payload), range, false);
        if (++n % SLICE === 0) {
          job.progress = { records: n, total: Math.max(job.progress.total, n), fraction: Math.min(1, n / Math.max(1, job.progress.total)) };
          await new Promise((r) => setImmediate(r));
        }
      }
    }
    job.progress = { records: n, total: n, fraction: 1 };
    job.result = bt.report();
    job.status = 'done';
  } catch (e) {
    job.status = 'failed';
    job.error = { code: 'backtest_failed', message: (e as Error).message };
  }
  job.finished_at = new Date().toISOString();
}
