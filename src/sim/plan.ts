// A campaign being planned: its knobs, the attack events it will emit, and the entities it controls or harms.
import type { Rng } from './prng.ts';
import type { CampaignKind, EntityType, EventType, Role, SimEvent } from './catalogue.ts';
import {
  COUNTRIES, type Country, SCRIPTED_USER_AGENTS, appUserAgent, browserUserAgent, carrierNatIp, datacenterIp, residentialProxyIp,
} from './identity.ts';
import type { World } from './population.ts';

/** Per-campaign knobs. size and speed are multipliers around the kind's typical campaign (1 = typical). */
export interface Knobs {
  /** 0..1: benign-looking activity added, spread over more devices and IPs, fewer scripted tells. */
  readonly camouflage: number;
  readonly size: number;
  readonly speed: number;
}

export interface Planned {
  readonly ev: SimEvent;
  /** Index of the campaign; -1 for benign background events a campaign causes (honest buyers at a drop). */
  readonly campaign: number;
  readonly stage: string | undefined;
  /** For reviews of planned orders: the order whose id becomes order_id once assigned. */
  readonly orderRef: SimEvent | undefined;
}

export class Plan {
  readonly events: Planned[] = [];
  readonly roles = new Map<string, Role>();
  /** Entities labelled as soon as the campaign starts even though they appear in no attack event (card holders). */
  readonly eager: string[] = [];

  constructor(
    readonly index: number,
    readonly id: string,
    readonly kind: CampaignKind,
    readonly rng: Rng,
    readonly world: World,
    readonly knobs: Knobs,
    /** Campaign start, epoch ms. */
    readonly t0: number,
  ) {}

  get cam(): number { return this.knobs.camouflage; }

  emit(ts: number, type: EventType, fields: Record<string, unknown>, stage?: string, orderRef?: SimEvent): SimEvent {
    const ev: SimEvent = { id: '', type, ts: Math.round(ts) };
    for (const k in fields) if (fields[k] !== undefined) ev[k] = fields[k];
    // Players sometimes fail to report watch time, whoever is watching.
    if (type === 'view' && this.rng.chance(0.05)) delete ev['watch_ms'];
    this.events.push({ ev, campaign: this.index, stage, orderRef });
    return ev;
  }

  /** Honest activity the campaign's situation causes; emitted without labels. */
  background(ts: number, type: EventType, fields: Record<string, unknown>): SimEvent {
    const ev: SimEvent = { id: '', type, ts: Math.round(ts) };
    for (const k in fields) if (fields[k] !== undefined) ev[k] = fields[k];
    this.events.push({ ev, campaign: -1, stage: undefined, orderRef: undefined });
    return ev;
  }

  attacker(type: EntityType, id: string): string {
    this.roles.set(`${type}:${id}`, 'attacker');
    return id;
  }

  victim(type: EntityType, id: string, eager = false): string {
    const key = `${type}:${id}`;
    this.roles.set(key, 'victim');
    if (eager) this.eager.push(key);
    return id;
  }

  account(): string {
    return this.attacker('account', this.world.mint.account());
  }

  devices(n: number): string[] {
    return Array.from({ length: Math.max(1, Math.round(n)) }, () => this.attacker('device', this.world.mint.device()));
  }

  /** Attack egress: datacenter when careless, residential proxies and mobile NAT as camouflage rises. */
  ips(n: number): string[] {
    const rng = this.rng;
    return Array.from({ length: Math.max(1, Math.round(n)) }, () => {
      const x = rng.next();
      const ip = x < 0.85 - 0.75 * this.cam ? datacenterIp(rng) : x < 0.95 - 0.1 * this.cam ? residentialProxyIp(rng) : carrierNatIp(rng, rng.pick(COUNTRIES));
      return this.attacker('ip', ip);
    });
  }

  /** One user agent per scripted tool; camouflaged tools spoof real app and browser agents. */
  userAgent(tool: string): string {
    const rng = this.rng;
    if (rng.chance(this.cam)) return rng.chance(0.6) ? appUserAgent(rng, rng.chance(0.4)) : browserUserAgent(rng);
    return tool;
  }

  scriptedTool(): string {
    return this.rng.pick(SCRIPTED_USER_AGENTS);
  }

  country(): Country {
    return this.rng.pick(COUNTRIES);
  }

  /** Gap in ms around a mean, faster with speed. */
  gap(mean: number): number {
    return this.rng.exp(mean / this.knobs.speed);
  }

  /** Benign-looking browsing that attackers add to blend in; scales with camouflage. */
  camouflage(account: string, device: string, ip: string, from: number, to: number, perUnit: number, stage = 'camouflage'): void {
    const rng = this.rng;
    const w = this.world;
    const n = Math.round(perUnit * this.cam * rng.uniform(0.5, 1.5));
    for (let i = 0; i < n; i++) {
      const ts = rng.uniform(from, to);
      const c = w.popularContent(rng);
      const content = w.contentIds[c];
      const creator = w.creators[w.contentCreator[c]!]!.id;
      if (rng.chance(0.7)) this.emit(ts, 'view', { account, content, creator, device, ip, watch_ms: Math.round(rng.lognormal(9000, 1)) }, stage);
      else this.emit(ts, 'like', { account, content, creator, device, ip }, stage);
    }
  }
}
