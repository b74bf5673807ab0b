// The models a served strategy may score: every version in the registry, loaded when a strategy is compiled.
import type { Control } from '../control/index.ts';
import { modelKey, type StrategyModel } from '../lang/index.ts';
import { ModelRegistry, scoringModelFrom } from '../ml/index.ts';

export async function registeredModels(control: Control): Promise<ReadonlyMap<string, StrategyModel>> {
  const registry = new ModelRegistry(control.sql);
  const models = new Map<string, StrategyModel>();
  for (const m of await registry.list()) {
    const v = await registry.get(m.name, m.version);
    if (v) models.set(modelKey(m.name, m.version), scoringModelFrom(v));
  }
  return models;
}
