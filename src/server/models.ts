// The models a served strategy may score: every version in the registry, each watched by a drift monitor.
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

  /** Score distribution and input drift (PSI against the training data) of every model scored so far, for /metrics. */
  metricsText(): string {
    return [...this.monitors.values()].map((m) => m.metricsText()).join('');
  }
}
