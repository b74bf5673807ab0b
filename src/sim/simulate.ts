// Runs the simulation: benign world + planned campaigns merged in time order, with ids and ground-truth labels.
import { Rng } from './prng.ts';
import {
  CAMPAIGN_KINDS, EVENT_CATALOGUE, SCENARIOS, type CampaignKind, type EntityLabel, type EntityType, type EventLabel,
  type EventType, type Label, type Scenario, type SimEvent,
} from './catalogue.ts';
import { World } from './population.ts';
import { Benign, PartnerApi, SessionSpawner, SignupSpawner } from './benign.ts';
import { Schedule, type Source } from './schedule.ts';
import { Plan, type Knobs, type Planned } from './plan.ts';
import { CAMPAIGNS_PER_2M, PLANNERS } from './campaigns.ts';

export interface SimOptions {
  seed: number;
  /** Exact number of events to generate. */
  events: number;
  /** "default" (all kinds), "benign" (no attacks) or one campaign kind (that kind + benign traffic). */
  scenario?: string;
  /** 0..1, default 0.3: how hard attackers try to look benign. */
  camouflage?: number;
  /** Epoch ms of the first event; default 2026-01-05T00:00:00Z. */
  start?: number;
}

export interface CampaignInfo {
  kind: CampaignKind;
  knobs: Knobs;
  start: number;
  /** Attack events emitted. */
  events: number;
}

export interface SimSummary {
  events: number;
  labels: number;
  /** Campaign id → attack events emitted. */
  campaigns: Record<string, number>;
  /** Kind → attack events emitted. */
  kinds: Record<string, number>;
  /** Kind → entity labels emitted. */
  entities: Record<string, number>;
  details: Record<string, CampaignInfo>;
  /** Benign population size (members that may appear). */
  population: number;
  start: number;
  end: number;
}

export type BatchHandler = (events: SimEvent[], labels: Label[]) => void;
export type ProgressHandler = (done: number, total: number) => void;

export const DEFAULT_START = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
const BATCH = 8192;
/** Average spacing of events: 2M events span about 7 days. */
const MS_PER_EVENT = 302.4;
const PARTNER_SHARE = 0.015;

/** Members in the benign population: enough that ≥ 50,000 distinct benign accounts act in 2M events. */
export function populationSize(events: number): number {
  return Math.max(600, Math.ceil(events / 26));
}

/** Entity-typed fields per event type, for labelling entities as they first appear. */
const ENTITY_FIELDS: Record<string, [string, EntityType][]> = {};
for (const [type, spec] of Object.entries(EVENT_CATALOGUE)) {
  ENTITY_FIELDS[type] = Object.entries(spec.fields)
    .filter(([, f]) => 'entity' in f && f.entity !== undefined)
    .map(([name, f]) => [name, (f as { entity: EntityType }).entity]);
}

/** Replays planned campaign events in time order. */
class CampaignSource implements Source {
  seq = 0;
  done: boolean;
  ts = 0;
  last: Planned | undefined;
  private i = 0;

  constructor(private readonly planned: Planned[]) {
    this.done = planned.length === 0;
    if (!this.done) this.ts = planned[0]!.ev.ts;
  }

  step(): SimEvent {
    const p = this.planned[this.i++]!;
    this.last = p;
    if (this.i >= this.planned.length) this.done = true;
    else this.ts = this.planned[this.i]!.ev.ts;
    return p.ev;
  }
}

function kindsOf(scenario: Scenario): readonly CampaignKind[] {
  if (scenario === 'default') return CAMPAIGN_KINDS;
  if (scenario === 'benign') return [];
  return [scenario];
}

function planCampaigns(rng: Rng, world: World, kinds: readonly CampaignKind[], events: number, camouflage: number, start: number, span: number): Plan[] {
  const scale = events / 2_000_000;
  const sizeScale = Math.min(4, Math.max(0.3, Math.pow(scale, 0.35)));
  // Short runs squeeze campaigns in time so they still play out before the data ends.
  const squeeze = Math.max(1, (3 * 24 * HOUR) / span);
  const plans: Plan[] = [];
  for (const kind of kinds) {
    const count = Math.max(1, Math.round(CAMPAIGNS_PER_2M[kind] * scale));
    for (let i = 0; i < count; i++) {
      const prng = rng.fork(plans.length + 1000);
      const knobs: Knobs = {
        camouflage: Math.min(1, Math.max(0, camouflage + prng.uniform(-0.2, 0.2))),
        size: sizeScale * prng.lognormal(1, 0.35),
        speed: prng.lognormal(1, 0.4) * squeeze,
      };
      // Spread campaigns over the run, leaving room before the end so they finish.
      const t0 = start + span * (count === 1 ? prng.uniform(0.1, 0.6) : ((i + prng.uniform(0.1, 0.9)) / count) * 0.75);
      const plan = new Plan(plans.length, `${kind}-${i + 1}`, kind, prng, world, knobs, Math.round(t0));
      PLANNERS[kind](plan);
      fitAfterStart(plan, start);
      plans.push(plan);
    }
  }
  return plans;
}

/** Preparation that would predate the data (accounts registered days before) is squeezed into [start, t0], keeping its order. */
function fitAfterStart(plan: Plan, start: number): void {
  let min = Infinity;
  for (const p of plan.events) if (p.ev.ts < min) min = p.ev.ts;
  if (min >= start) return;
  // Start somewhere in the first half of the available lead so campaigns do not all pile up at the first millisecond.
  const from = start + Math.round(plan.rng.uniform(0, 0.5) * Math.max(0, plan.t0 - start));
  const lead = Math.max(1, plan.t0 - from);
  for (const p of plan.events) {
    if (p.ev.ts < plan.t0) p.ev.ts = from + Math.round(((p.ev.ts - min) / (plan.t0 - min)) * lead);
  }
}

/**
 * Generates exactly `opts.events` events in non-decreasing ts order, calling onBatch with chunks of
 * events and the labels for them (labels never appear inside events). Same options → identical output.
 */
export function simulate(opts: SimOptions, onBatch: BatchHandler, onProgress?: ProgressHandler): SimSummary {
  const total = opts.events;
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`events must be a non-negative integer, got ${total}`);
  const scenario = (opts.scenario ?? 'default') as Scenario;
  if (!SCENARIOS.includes(scenario)) throw new RangeError(`unknown scenario "${opts.scenario}"; expected one of ${SCENARIOS.join(', ')}`);
  const camouflage = opts.camouflage ?? 0.3;
  if (!(camouflage >= 0 && camouflage <= 1)) throw new RangeError(`camouflage must be within 0..1, got ${camouflage}`);
  const start = opts.start ?? DEFAULT_START;
  const span = Math.max(HOUR, Math.round(total * MS_PER_EVENT));

  const root = new Rng(opts.seed >>> 0, 0x51);
  const world = new World(root.fork(1), start, span, populationSize(total));
  const plans = planCampaigns(root.fork(2), world, kindsOf(scenario), total, camouflage, start, span);

  const planned: Planned[] = [];
  for (const p of plans) for (const e of p.events) planned.push(e);
  const order = planned.map((_, i) => i).sort((a, b) => planned[a]!.ev.ts - planned[b]!.ev.ts || a - b);
  const sorted = order.map((i) => planned[i]!);

  const benign = new Benign(world, root.fork(3));
  const benignTarget = Math.max(total * 0.5, total - sorted.length);
  const sessionsPerMs = (benignTarget * (1 - PARTNER_SHARE)) / world.meanSessionEvents / span;
  const schedule = new Schedule();
  const spawner = new SessionSpawner(benign, start, sessionsPerMs);
  if (!spawner.done) schedule.add(spawner);
  const signups = new SignupSpawner(benign);
  if (!signups.done) schedule.add(signups);
  const partners = Math.max(2, Math.round(total / 200_000));
  for (let i = 0; i < partners; i++) schedule.add(new PartnerApi(benign, start, (span * partners) / Math.max(1, PARTNER_SHARE * total)));
  const campaignSource = new CampaignSource(sorted);
  if (!campaignSource.done) schedule.add(campaignSource);

  const summary: SimSummary = { events: 0, labels: 0, campaigns: {}, kinds: {}, entities: {}, details: {}, population: world.members.length, start, end: start };
  for (const p of plans) {
    summary.campaigns[p.id] = 0;
    summary.kinds[p.kind] = 0;
    summary.entities[p.kind] = 0;
    summary.details[p.id] = { kind: p.kind, knobs: p.knobs, start: p.t0, events: 0 };
  }
  const labelled = plans.map(() => new Set<string>());
  const started = plans.map(() => false);

  let batch: SimEvent[] = [];
  let labels: Label[] = [];
  let n = 0;
  let lastTs = start;
  const entityLabel = (p: Plan, key: string): void => {
    const seen = labelled[p.index]!;
    if (seen.has(key)) return;
    const role = p.roles.get(key);
    if (role === undefined) return;
    seen.add(key);
    const l: EntityLabel = { entity: key, campaign: p.id, kind: p.kind, role };
    labels.push(l);
    summary.entities[p.kind]!++;
  };

  while (n < total) {
    const ev = schedule.step();
    if (ev === null) {
      if (schedule.size === 0) break;
      continue;
    }
    ev.id = 'e' + n;
    if (ev.ts < lastTs) ev.ts = lastTs; // sources are ordered; this only guards rounding at ties
    lastTs = ev.ts;
    n++;
    const planned = campaignSource.last;
    if (planned !== undefined && planned.ev === ev) {
      if (planned.orderRef !== undefined) ev['order_id'] = planned.orderRef.id;
      if (planned.campaign >= 0) {
        const p = plans[planned.campaign]!;
        if (!started[p.index]) { started[p.index] = true; for (const key of p.eager) entityLabel(p, key); }
        const l: EventLabel = { event: ev.id, campaign: p.id, kind: p.kind };
        if (planned.stage !== undefined) l.stage = planned.stage;
        labels.push(l);
        summary.campaigns[p.id]!++;
        summary.kinds[p.kind]!++;
        summary.details[p.id]!.events++;
        for (const [field, type] of ENTITY_FIELDS[ev.type as EventType]!) {
          const v = ev[field];
          if (typeof v === 'string') entityLabel(p, `${type}:${v}`);
          else if (Array.isArray(v)) for (const x of v) entityLabel(p, `${type}:${x as string}`);
        }
      }
    }
    batch.push(ev);
    if (batch.length >= BATCH) {
      summary.labels += labels.length;
      onBatch(batch, labels);
      batch = [];
      labels = [];
      onProgress?.(n, total);
    }
  }
  if (batch.length || labels.length) {
    summary.labels += labels.length;
    onBatch(batch, labels);
  }
  onProgress?.(n, total);
  summary.events = n;
  summary.end = lastTs;
  return summary;
}
