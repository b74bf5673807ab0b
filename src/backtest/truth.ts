// Ground truth for backtests and training sets: attack events and attacker entities from labels.ndjson.
import { readLines } from '../cli/ndjson.ts';
import type { Plan } from '../lang/index.ts';

export interface GroundTruth {
  /** Attack event id → campaign kind. */
  events: Map<string, string>;
  /** Attacker entity ("account:u0x9", id pseudonymised for personal types) → campaign kind. */
  entities: Map<string, string>;
}

/** Entity keys compare case- and underscore-insensitively on the type: `ApiKey:k1` and `api_key:k1` are the same entity. */
export function entityKey(type: string, id: string): string {
  return `${type.toLowerCase().replaceAll('_', '')}:${id}`;
}

/**
 * Reads simulator labels (`{event, campaign, kind}` and `{entity, campaign, kind, role}` lines). Entity ids of
 * personal types are pseudonymised like the events they are matched against. Victims are not positives.
 */
export function readGroundTruth(path: string, opts: { plan?: Plan; pseudonymise?: ((v: string) => string) | null } = {}): GroundTruth {
  const personal = new Set<string>();
  if (opts.plan) for (const [name, e] of opts.plan.checked.entities) if (e.personal) personal.add(name.toLowerCase().replaceAll('_', ''));
  const truth: GroundTruth = { events: new Map(), entities: new Map() };
  readLines(path, (line) => {
    let rec: Record<string, unknown>;
    try { rec = JSON.parse(line) as Record<string, unknown>; } catch { return; }
    if (typeof rec.event === 'string') truth.events.set(rec.event, String(rec.kind ?? rec.campaign ?? 'attack'));
    else if (typeof rec.entity === 'string' && rec.role !== 'victim') {
      const i = rec.entity.indexOf(':');
      if (i <= 0) return;
      const type = rec.entity.slice(0, i).toLowerCase().replaceAll('_', '');
      let id = rec.entity.slice(i + 1);
      if (personal.has(type) && opts.pseudonymise) id = opts.pseudonymise(id);
      truth.entities.set(`${type}:${id}`, String(rec.kind ?? rec.campaign ?? 'attack'));
    }
  });
  return truth;
}
