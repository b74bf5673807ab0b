// Turns events (raw product events or the service's pseudonymised prepared events) into the link graph and the
// timed action channels the organised-abuse detectors read; bounded by age and by a cap on stored actions.
import { emailCanonical } from '../lang/index.ts';
import { LinkGraph, type LinkGraphStats } from './link-graph.ts';

/** Action channels: what an account did to which target, with when. */
export const CHANNELS = ['engage', 'follow', 'order', 'review', 'message', 'domain', 'coupon', 'gift', 'referral'] as const;
export type Channel = (typeof CHANNELS)[number];
const CH: Record<Channel, number> = { engage: 0, follow: 1, order: 2, review: 3, message: 4, domain: 5, coupon: 6, gift: 7, referral: 8 };

/** Node types of the link graph as the feed names them; identifiers on the left, behaviour targets on the right. */
export const IDENTIFIER_TYPES = ['device', 'ip', 'card', 'address', 'email'] as const;

export interface FeedOptions {
  /** links and actions older than (newest ts - maxAge) are dropped by expire(); default keep all */
  maxAge?: number;
  /** bound on stored link-graph edges; default 10M */
  maxEdges?: number;
  /** bound on stored actions; the oldest go first; default 20M */
  maxActions?: number;
  /** per identifier type, more accounts than this makes it a hub that links nothing (carrier NAT, shared office) */
  hubDegree?: Record<string, number>;
  /** values arrive as typed (CLI on a sim file) rather than pseudonymised; addresses are then folded first */
  rawValues?: boolean;
}

export const DEFAULT_HUB_DEGREE: Record<string, number> = { device: 60, ip: 40, prefix: 60, card: 60, address: 60, email: 30 };

/** Interns strings to dense integer ids. */
export class Interner {
  private readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  id(key: string): number {
    let v = this.index.get(key);
    if (v === undefined) { v = this.ids.length; this.index.set(key, v); this.ids.push(key); }
    return v;
  }
  get(key: string): number | undefined { return this.index.get(key); }
  get size(): number { return this.ids.length; }
}

/** Accounts and targets as the feed tracks them (all times event time). */
export interface AccountTimes {
  signup: Float64Array;
  first: Float64Array;
  last: Float64Array;
}

export class GraphFeed {
  readonly graph: LinkGraph;
  readonly accounts = new Interner();
  /** targets keyed "type:id" (content:c1, seller:s1, account:u1, domain:bit.ly, coupon:WELCOME10, …) */
  readonly targets = new Interner();
  /** content id → creator account, for reading a click farm's customer off its content */
  readonly creatorOf = new Map<string, string>();
  /** per account: identifiers seen at signup/login, used for succession (ban evasion) */
  readonly hubDegree: Record<string, number>;
  private readonly maxAge: number;
  private readonly maxActions: number;
  private readonly rawValues: boolean;

  private channel = new Uint8Array(1 << 16);
  private account = new Int32Array(1 << 16);
  private target = new Int32Array(1 << 16);
  private ts = new Float64Array(1 << 16);
  private amount = new Float32Array(1 << 16);
  private start = 0;
  private end = 0;

  private signup: Float64Array = new Float64Array(1024).fill(NaN);
  private first: Float64Array = new Float64Array(1024).fill(Infinity);
  private last: Float64Array = new Float64Array(1024).fill(-Infinity);
  events = 0;
  newest = -Infinity;
  droppedActions = 0;

  constructor(options: FeedOptions = {}) {
    this.hubDegree = { ...DEFAULT_HUB_DEGREE, ...(options.hubDegree ?? {}) };
    this.maxAge = options.maxAge ?? Infinity;
    this.maxActions = options.maxActions ?? 20_000_000;
    this.rawValues = options.rawValues ?? true;
    this.graph = new LinkGraph({ maxAge: this.maxAge, maxEdges: options.maxEdges, hubDegree: this.hubDegree });
  }

  /**
   * Takes one event. Field names follow docs/events.md; a prepared event's derived canonical e-mail
   * (`email#email_canonical`) and IP prefix (`ip#ip_prefix`) are used when present, so pseudonymised values still
   * link by equality. Events without an account are ignored.
   */
  add(ev: Record<string, unknown>): void {
    // a referral is reported about the referee (the new account); it links the referee to its referrer
    const acct = str(ev['account']) ?? (ev['type'] === 'referral' ? str(ev['referee']) : undefined);
    const ts = typeof ev['ts'] === 'number' ? ev['ts'] : Number(ev['ts']);
    if (acct === undefined || !Number.isFinite(ts)) return;
    this.events++;
    if (ts > this.newest) this.newest = ts;
    const a = this.accounts.id(acct);
    this.touch(a, ts);
    const g = this.graph;
    const type = ev['type'];
    identityLinks(ev, this.rawValues, (t, id) => g.link('account', acct, t, id, ts));
    switch (type) {
      case 'signup':
        if (Number.isNaN(this.signup[a]!)) this.signup[a] = ts;
        if (str(ev['referrer']) !== undefined) this.action(CH.referral, a, `account:${str(ev['referrer'])}`, ts, 0);
        break;
      case 'referral': {
        const r = str(ev['referrer']);
        if (r !== undefined) this.action(CH.referral, a, `account:${r}`, ts, 0);
        break;
      }
      case 'like': case 'view': case 'comment': {
        const content = str(ev['content']);
        if (content === undefined) break;
        const creator = str(ev['creator']);
        if (creator !== undefined) this.creatorOf.set(content, creator);
        this.action(CH.engage, a, `content:${content}`, ts, 0);
        g.link('account', acct, 'content', content, ts);
        if (type === 'comment') this.domains(a, ev['link_domains'], ts);
        break;
      }
      case 'follow': {
        const t = str(ev['target']);
        if (t !== undefined) { this.action(CH.follow, a, `account:${t}`, ts, 0); g.link('account', acct, 'creator', t, ts); }
        break;
      }
      case 'order': {
        const seller = str(ev['seller']);
        if (seller !== undefined) { this.action(CH.order, a, `seller:${seller}`, ts, Number(ev['amount']) || 0); g.link('account', acct, 'seller', seller, ts); }
        const coupon = str(ev['coupon']);
        if (coupon !== undefined) g.link('account', acct, 'coupon', coupon, ts);
        break;
      }
      case 'review': {
        const seller = str(ev['seller']);
        if (seller !== undefined) this.action(CH.review, a, `seller:${seller}`, ts, Number(ev['rating']) || 0);
        break;
      }
      case 'message': {
        const t = str(ev['target']);
        if (t !== undefined) this.action(CH.message, a, `account:${t}`, ts, 0);
        this.domains(a, ev['link_domains'], ts);
        break;
      }
      case 'coupon_redeem': {
        const coupon = str(ev['coupon']);
        if (coupon !== undefined) { this.action(CH.coupon, a, `coupon:${coupon}`, ts, 0); g.link('account', acct, 'coupon', coupon, ts); }
        break;
      }
      case 'gift': {
        const room = str(ev['room']);
        if (room !== undefined) this.action(CH.gift, a, `room:${room}`, ts, Number(ev['amount']) || 0);
        break;
      }
      default:
    }
  }

  /** Drops links and actions older than newest - maxAge. */
  expire(): { edges: number; actions: number } {
    if (this.maxAge === Infinity) return { edges: 0, actions: 0 };
    const cutoff = this.newest - this.maxAge;
    const before = this.start;
    while (this.start < this.end && this.ts[this.start]! < cutoff) this.start++;
    this.droppedActions += this.start - before;
    return { edges: this.graph.expire(this.newest), actions: this.start - before };
  }

  /** Actions of one channel as parallel arrays (targets are feed target ids). */
  actions(channel: Channel): { account: Int32Array; target: Int32Array; ts: Float64Array; value: Float32Array; length: number } {
    const c = CH[channel];
    let n = 0;
    for (let i = this.start; i < this.end; i++) if (this.channel[i] === c) n++;
    const account = new Int32Array(n), target = new Int32Array(n), ts = new Float64Array(n), value = new Float32Array(n);
    let k = 0;
    for (let i = this.start; i < this.end; i++) {
      if (this.channel[i] !== c) continue;
      account[k] = this.account[i]!; target[k] = this.target[i]!; ts[k] = this.ts[i]!; value[k] = this.amount[i]!; k++;
    }
    return { account, target, ts, value, length: n };
  }

  times(): AccountTimes {
    const n = this.accounts.size;
    return { signup: this.signup.subarray(0, n), first: this.first.subarray(0, n), last: this.last.subarray(0, n) };
  }

  stats(): { events: number; accounts: number; targets: number; actions: number; droppedActions: number; graph: LinkGraphStats; actionBytes: number } {
    return {
      events: this.events, accounts: this.accounts.size, targets: this.targets.size, actions: this.end - this.start,
      droppedActions: this.droppedActions, graph: this.graph.stats(),
      actionBytes: this.channel.byteLength + this.account.byteLength + this.target.byteLength + this.ts.byteLength + this.amount.byteLength,
    };
  }

  private domains(a: number, v: unknown, ts: number): void {
    if (!Array.isArray(v)) return;
    for (const d of v) if (typeof d === 'string' && d.length > 0) this.action(CH.domain, a, `domain:${d}`, ts, 0);
  }

  private touch(a: number, ts: number): void {
    if (a >= this.first.length) {
      this.signup = growF(this.signup, NaN);
      this.first = growF(this.first, Infinity);
      this.last = growF(this.last, -Infinity);
    }
    if (ts < this.first[a]!) this.first[a] = ts;
    if (ts > this.last[a]!) this.last[a] = ts;
  }

  private action(channel: number, a: number, target: string, ts: number, value: number): void {
    if (this.end - this.start >= this.maxActions) { this.start++; this.droppedActions++; }
    if (this.end >= this.ts.length) this.compact();
    const i = this.end++;
    this.channel[i] = channel; this.account[i] = a; this.target[i] = this.targets.id(target); this.ts[i] = ts; this.amount[i] = value;
  }

  /** Moves live actions to the front, growing the arrays when more than half full. */
  private compact(): void {
    const live = this.end - this.start;
    const cap = live * 2 > this.ts.length ? this.ts.length * 2 : this.ts.length;
    const move = <T extends Uint8Array | Int32Array | Float64Array | Float32Array>(arr: T): T => {
      const next = cap === arr.length ? arr : new (arr.constructor as { new (n: number): T })(cap);
      next.set(arr.subarray(this.start, this.end) as never, 0);
      return next;
    };
    this.channel = move(this.channel); this.account = move(this.account); this.target = move(this.target);
    this.ts = move(this.ts); this.amount = move(this.amount);
    this.start = 0;
    this.end = live;
  }
}

/**
 * The identifiers an event ties its account to: device, IP and its /24 (/64) (not on logins and API calls, where
 * credential stuffing would tie strangers together), card (not on gifts), address (folded when raw), canonical e-mail.
 */
export function identityLinks(ev: Record<string, unknown>, rawValues: boolean, link: (type: string, id: string) => void): void {
  const type = ev['type'];
  const device = str(ev['device']);
  if (device !== undefined) link('device', device);
  const ip = str(ev['ip']);
  if (ip !== undefined && type !== 'api_call' && type !== 'login') {
    link('ip', ip);
    link('prefix', str(ev['ip#ip_prefix']) ?? ipPrefix(ip));
  }
  const card = str(ev['card']);
  if (card !== undefined && type !== 'gift') link('card', card);
  const address = str(ev['address']);
  if (address !== undefined) link('address', rawValues ? addressKey(address) : address);
  const email = str(ev['email#email_canonical']) ?? (typeof ev['email'] === 'string' ? emailCanonical(ev['email']) : undefined);
  if (email !== undefined) link('email', email);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function growF(arr: Float64Array, fill: number): Float64Array {
  const next = new Float64Array(arr.length * 2).fill(fill);
  next.set(arr);
  return next;
}

/** /24 for IPv4, /64 for IPv6 (the same prefixes the language's ip_prefix gives). */
export function ipPrefix(ip: string): string {
  if (ip.includes(':')) return ip.split(':').slice(0, 4).join(':') + '::/64';
  return ip.slice(0, ip.lastIndexOf('.')) + '.0/24';
}

const SUFFIXES: Record<string, string> = { street: 'st', avenue: 'ave', road: 'rd', drive: 'dr', lane: 'ln', boulevard: 'blvd', apartment: '', apt: '', unit: '', suite: '', ste: '' };

/** One form per postal address however it was typed: case, punctuation, street suffixes and unit markers folded. */
export function addressKey(raw: string): string {
  return raw.toLowerCase().replace(/[.,#]/g, ' ').split(/\s+/).filter((w) => w.length > 0).map((w) => SUFFIXES[w] ?? w).filter((w) => w.length > 0).join(' ');
}
