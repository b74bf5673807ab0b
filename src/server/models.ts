// The models a served strategy may score: every version in the registry, each watched by a drift monitor.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Control } from '../control/index.ts';
import { modelKey, type StrategyModel } from '../lang/index.ts';
import { ModelRegistry, monitorFor, scoringModelFrom, type ModelMonitor } from '../ml/index.ts';

export class ModelCatalog {
  /** One monitor per model version for the life of the process, across strategy reloads. */
  private readonly monitors = new Map<string, ModelMonitor>();

  /** Every registered version, wrapped so each score (and its input row) is counted by the version's monitor. */
  async load(control: Control): Promise<ReadonlyMap<string, StrategyModel>> {
    const registry = new ModelRegistry(control.sql);
    const models = new Map<string, StrategyModel>();
    for (const m of await registry.list()) {
      const v = await registry.get(m.name, m.version);
      if (!v) continue;
      const key = modelKey(m.name, m.version);
      const scoring = scoringModelFrom(v);
      let monitor = this.monitors.get(key);
      if (!monitor) { monitor = monitorFor(v); this.monitors.set(key, monitor); }
      const watched = monitor;
      models.set(key, {
        inputs: scoring.inputs,
        score: (row) => { const s = scoring.score(row); watched.observe(row, s); return s; },
        reasons: (row, k) => scoring.reasons(row, k),
      });
    }
    return models;
  }

  /** The drift monitor's report for a model version, or null when this process has not loaded it. */
  report(name: string, version: number) {
    return this.monitors.get(modelKey(name, version))?.report() ?? null;
  }

  /** Score distribution and input drift (PSI against the training data) of every model scored so far, for /metrics. */
  metricsText(): string {
    return [...this.monitors.values()].map((m) => m.metricsText()).join('');
  }
}

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * GET /v1/models: every registered version with its test metrics and its monitor's status;
 * GET /v1/models/:name/:version: one version's inputs, parameters, training report and monitor (not the model body).
 */
export function registerModelRoutes(app: FastifyInstance, control: Control, catalog: ModelCatalog, read: Hook): void {
  const registry = new ModelRegistry(control.sql);
  app.get('/v1/models', { onRequest: read }, async () => ({
    models: (await registry.list()).map((m) => {
      const { report: _report, ...metrics } = m.metrics as { report?: unknown };
      const monitor = catalog.report(m.name, m.version);
      return { name: m.name, version: m.version, kind: m.kind, source: m.source, inputs: m.inputs, created_at: m.createdAt, created_by: m.createdBy, metrics, monitor: monitor && { status: monitor.status, observed: monitor.observed, score_psi: monitor.score.psi, max_input_psi: monitor.maxInputPsi } };
    }),
  }));
  app.get('/v1/models/:name/:version', { onRequest: read, schema: { params: Type.Object({ name: Type.String({ maxLength: 63 }), version: Type.Integer({ minimum: 1 }) }) } }, async (req, reply) => {
    const { name, version } = req.params as { name: string; version: number };
    const m = await registry.get(name, version);
    if (!m) return reply.code(404).send({ error: { code: 'not_found', message: `no model ${name}@${version}` } });
    const { model: body, reference: _reference, ...rest } = m;
    return { ...rest, trees: 'trees' in body ? body.trees.length : null, monitor: catalog.report(name, version) };
  });
}
