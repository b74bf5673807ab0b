// Benign traffic: sessions of ordinary members with daily rhythm, new signups, and partner API integrations.
import type { Rng } from './prng.ts';
import { WeightedChoice } from './prng.ts';
import type { SimEvent } from './catalogue.ts';
import type { Source, Schedule } from './schedule.ts';
import { COUNTRIES, HONEST_COMMENTS, HONEST_LINK_COMMENTS, HONEST_MESSAGES, REVIEW_TEXT, datacenterIp, money } from './identity.ts';
import {
  DIURNAL, PUBLIC_COUPONS, WELCOME_COUPON, deviceUserAgent, localHour, memberContact, type Device, type Member, type World,
} from './population.ts';

const SLOT_MS = 15 * 60_000;
const SLOTS = 96;
const NO_LINKS: readonly string[] = Object.freeze([]);
export const GIFT_PRICES = [0.99, 1.99, 4.99, 9.99, 19.99, 49.99, 99.99, 199.99, 299.99, 499.99];

function diurnal(hour: number): number {
  const h = Math.floor(hour);
  const f = hour - h;
  return DIURNAL[h % 24]! * (1 - f) + DIURNAL[(h + 1) % 24]! * f;
}

/** Weekday 0 = Sunday, in local time. */
function weekday(ts: number, tz: number): number {
  return (Math.floor((ts / 3_600_000 + tz) / 24) + 4) % 7;
}

export const USER_ENDPOINTS = ['GET /v1/feed', 'GET /v1/users/:id', 'GET /v1/content/:id', 'GET /v1/search', 'GET /v1/notifications', 'POST /v1/uploads'];
export const PARTNER_ENDPOINTS = ['GET /v1/products/:id', 'GET /v1/orders', 'POST /v1/orders/:id/ship', 'GET /v1/catalog', 'PUT /v1/products/:id/stock', 'GET /v1/analytics/creator'];

export class Benign {
  /** Per 15-minute slot of the UTC day: which country's members are awake. */
  private readonly slotCountry: WeightedChoice[] = [];
  private readonly slotTotal: number[] = [];
  readonly maxSlotTotal: number;
  readonly meanSlotTotal: number;

  constructor(readonly world: World, readonly rng: Rng) {
    for (let s = 0; s < SLOTS; s++) {
      const t = (s + 0.5) * SLOT_MS;
      const w = COUNTRIES.map((c) => c.share * diurnal(localHour(t, c.tz)));
      this.slotCountry.push(new WeightedChoice(w));
      this.slotTotal.push(w.reduce((a, b) => a + b, 0));
    }
    this.maxSlotTotal = Math.max(...this.slotTotal);
    this.meanSlotTotal = this.slotTotal.reduce((a, b) => a + b, 0) / SLOTS;
  }

  intensity(ts: number): number {
    return this.slotTotal[Math.floor((ts % 86_400_000) / SLOT_MS)]!;
  }

  /** A member likely to be active at ts: country by local hour, then by activity weight. */
  pickMember(ts: number): Member {
    const c = this.slotCountry[Math.floor((ts % 86_400_000) / SLOT_MS)]!.draw(this.rng);
    const list = this.world.byCountry[c]!;
    for (let tries = 0; tries < 12; tries++) {
      const m = this.world.members[list[this.world.countryPick[c]!.draw(this.rng)]!]!;
      if (m.createdAt < 0 || (m.createdAt < ts && m.seen)) return m;
    }
    return this.world.oldMember(this.rng);
  }

  startSession(m: Member, ts: number, schedule: Schedule): void {
    schedule.add(new Session(this, m, ts));
  }

  /** Picks device and network for a session the way people actually connect. */
  connect(m: Member, ts: number, s: { device: Device; ip: string }): void {
    const rng = this.rng;
    const device = m.devices.length === 1 || rng.chance(0.65) ? m.devices[0]! : m.devices[1 + rng.int(m.devices.length - 1)]!;
    const hour = localHour(ts, m.country.tz);
    const wd = weekday(ts, m.country.tz);
    const atWork = m.officeIp !== undefined && wd >= 1 && wd <= 5 && hour >= 9 && hour < 18;
    let ip: string;
    if (device.mobile) {
      if ((hour < 8 || hour >= 18 || wd === 0 || wd === 6) && rng.chance(0.6)) ip = m.homeIp;
      else if (atWork && rng.chance(0.5)) ip = m.officeIp!;
      else ip = device.ip6 ?? m.natIp;
    } else ip = atWork && rng.chance(0.8) ? m.officeIp! : m.homeIp;
    if (m.vpnIp !== undefined && rng.chance(0.5)) ip = m.vpnIp;
    s.device = device;
    s.ip = ip;
  }

  /** Opening events: signup for brand-new accounts, a login for returning ones (sometimes with honest typos). */
  opening(s: Session): void {
    const m = s.m;
    const rng = this.rng;
    const q = s.queue;
    if (m.createdAt >= 0 && !m.seen) {
      const contact = memberContact(m);
      const ev: SimEvent = { id: '', type: 'signup', ts: 0, account: m.id, device: s.device.id, ip: s.ip, email: contact.email };
      if (contact.phone !== undefined) ev['phone'] = contact.phone;
      ev['country'] = m.country.code;
      ev['user_agent'] = deviceUserAgent(s.device);
      if (rng.chance(0.9)) ev['declared_age'] = m.age;
      if (m.referrer !== undefined) ev['referrer'] = m.referrer;
      q.push(ev);
      if (m.referrer !== undefined) q.push({ id: '', type: 'referral', ts: 0, referrer: m.referrer, referee: m.id, device: s.device.id, ip: s.ip });
      m.seen = true;
      return;
    }
    if (m.seen && !rng.chance(0.2)) return;
    m.seen = true;
    const method = rng.chance(0.62) ? 'password' : rng.chance(0.75) ? 'sso' : 'otp';
    if (method === 'password' && rng.chance(0.04)) {
      const fails = rng.chance(0.8) ? 1 : rng.range(2, 5);
      for (let i = 0; i < fails; i++) q.push(this.login(s, false, 'password'));
      if (fails >= 3) {
        q.push(this.login(s, true, 'otp'));
        q.push({ id: '', type: 'profile_change', ts: 0, account: m.id, device: s.device.id, ip: s.ip, field: 'password' });
        return;
      }
    }
    q.push(this.login(s, true, method));
  }

  private login(s: Session, success: boolean, method: string): SimEvent {
    return { id: '', type: 'login', ts: 0, account: s.m.id, device: s.device.id, ip: s.ip, success, method };
  }

  /** One ordinary action inside a session. */
  action(s: Session): SimEvent {
    const rng = this.rng;
    const w = this.world;
    const m = s.m;
    const r = rng.next();
    if (r < 0.5) return this.view(s);
    if (r < 0.64) {
      const c = s.lastContent >= 0 && rng.chance(0.75) ? s.lastContent : w.popularContent(rng);
      return { id: '', type: 'like', ts: 0, account: m.id, content: w.contentIds[c], creator: w.creators[w.contentCreator[c]!]!.id, device: s.device.id, ip: s.ip };
    }
    if (r < 0.675) {
      const target = rng.chance(0.6) ? w.creators[w.creatorPick.draw(rng)]!.id : w.members[rng.pick(m.friends)]!.id;
      if (target !== m.id) return { id: '', type: 'follow', ts: 0, account: m.id, target, device: s.device.id, ip: s.ip };
      return this.view(s);
    }
    if (r < 0.71) {
      const c = s.lastContent >= 0 ? s.lastContent : w.popularContent(rng);
      const link = rng.chance(0.04) ? rng.pick(HONEST_LINK_COMMENTS) : undefined;
      return {
        id: '', type: 'comment', ts: 0, account: m.id, content: w.contentIds[c], creator: w.creators[w.contentCreator[c]!]!.id, device: s.device.id, ip: s.ip,
        text: link ? link[0] : rng.pick(HONEST_COMMENTS), link_domains: link ? [link[1]] : NO_LINKS,
      };
    }
    if (r < 0.79) {
      const target = w.members[rng.pick(m.friends)]!.id;
      if (target !== m.id) {
        const link = rng.chance(0.03) ? rng.pick(HONEST_LINK_COMMENTS) : undefined;
        return { id: '', type: 'message', ts: 0, account: m.id, target, device: s.device.id, ip: s.ip, text: link ? link[0] : rng.pick(HONEST_MESSAGES), link_domains: link ? [link[1]] : NO_LINKS };
      }
      return this.view(s);
    }
    if (r < 0.79 + 0.09 * m.buyer) return this.order(s);
    if (r < 0.89 && m.pending.length > 0 && rng.chance(0.3)) {
      const p = m.pending[0]!;
      if (p.order.id !== '' && p.order.ts + 3_600_000 < s.ts) { m.pending.shift(); return this.review(s, p.order, p.product); }
    }
    if (r > 0.985 && m.gifter > 0 && m.cards.length > 0) {
      const creator = w.creators[w.creatorPick.draw(rng)]!;
      if (creator.member !== m.idx) {
        // Gifts are bought as fixed-price coin packs; whales buy the big ones.
        const amount = GIFT_PRICES[Math.min(GIFT_PRICES.length - 1, Math.floor(rng.exp(0.9 + m.gifter)))]!;
        return { id: '', type: 'gift', ts: 0, account: m.id, room: w.room(creator.id, s.ts), creator: creator.id, amount, card: m.cards[0], device: s.device.id, ip: s.ip };
      }
    }
    if (r > 0.977 && r <= 0.985) {
      const status = rng.chance(0.94) ? 200 : rng.pick([401, 404, 404, 500]);
      return { id: '', type: 'api_call', ts: 0, account: m.id, ip: s.ip, device: s.device.id, endpoint: rng.pick(USER_ENDPOINTS), status };
    }
    if (r > 0.975 && r <= 0.977) {
      const field = m.seller >= 0 && rng.chance(0.4) ? 'payout' : rng.pick(['name', 'name', 'phone', 'email', 'password']);
      return { id: '', type: 'profile_change', ts: 0, account: m.id, device: s.device.id, ip: s.ip, field };
    }
    return this.view(s);
  }

  private view(s: Session): SimEvent {
    const w = this.world;
    const c = w.popularContent(this.rng);
    s.lastContent = c;
    const ev: SimEvent = { id: '', type: 'view', ts: 0, account: s.m.id, content: w.contentIds[c], creator: w.creators[w.contentCreator[c]!]!.id, device: s.device.id, ip: s.ip };
    if (this.rng.next() < 0.95) ev['watch_ms'] = Math.min(600_000, Math.round(this.rng.lognormal(11_000, 1.1)));
    return ev;
  }

  private order(s: Session): SimEvent {
    const rng = this.rng;
    const w = this.world;
    const m = s.m;
    const p = w.productPick.draw(rng);
    const qty = rng.chance(0.85) ? 1 : rng.chance(0.7) ? 2 : rng.range(3, 6);
    const card = m.cards.length ? m.cards[rng.chance(0.85) ? 0 : m.cards.length - 1]! : undefined;
    if (!card) return this.view(s);
    let coupon: string | undefined;
    if (m.createdAt >= 0 && (m.coupons === undefined || !m.coupons.has(WELCOME_COUPON)) && rng.chance(0.6)) coupon = WELCOME_COUPON;
    else if (rng.chance(m.dealHunter ? 0.65 : 0.07)) coupon = rng.pick(PUBLIC_COUPONS);
    if (coupon !== undefined && m.coupons?.has(coupon)) coupon = undefined;
    let discount = 1;
    if (coupon !== undefined) {
      (m.coupons ??= new Set()).add(coupon);
      discount = 0.85;
      const redeem: SimEvent = { id: '', type: 'coupon_redeem', ts: 0, account: m.id, coupon, device: s.device.id, ip: s.ip };
      if (rng.chance(0.5)) { redeem['card'] = card; redeem['address'] = m.address; }
      s.queue.push(this.orderEvent(s, p, qty, card, coupon, discount));
      return redeem;
    }
    return this.orderEvent(s, p, qty, card, coupon, discount);
  }

  private orderEvent(s: Session, p: number, qty: number, card: string, coupon: string | undefined, discount: number): SimEvent {
    const w = this.world;
    const m = s.m;
    const ev: SimEvent = {
      id: '', type: 'order', ts: 0, account: m.id, seller: w.sellers[w.productSeller[p]!]!.id, product: w.productIds[p], quantity: qty,
      amount: money(w.productPrice[p]! * qty * discount, m.country), currency: m.country.currency,
    };
    if (coupon !== undefined) ev['coupon'] = coupon;
    ev['card'] = card;
    ev['address'] = m.address;
    ev['device'] = s.device.id;
    ev['ip'] = s.ip;
    if (this.rng.chance(m.dealHunter ? 0.5 : 0.3) && m.pending.length < 4) m.pending.push({ order: ev, product: p });
    return ev;
  }

  private review(s: Session, order: SimEvent, p: number): SimEvent {
    const rng = this.rng;
    const w = this.world;
    const x = rng.next();
    const rating = x < 0.55 ? 5 : x < 0.77 ? 4 : x < 0.86 ? 3 : x < 0.91 ? 2 : 1;
    return { id: '', type: 'review', ts: 0, account: s.m.id, product: w.productIds[p], seller: w.sellers[w.productSeller[p]!]!.id, rating, text: rng.pick(REVIEW_TEXT[rating]!), order_id: order.id };
  }
}

/** One visit of one member: a burst of events a few seconds to minutes apart. */
export class Session implements Source {
  seq = 0;
  done = false;
  readonly queue: SimEvent[] = [];
  lastContent = -1;
  device!: Device;
  ip = '';
  private left: number;
  private readonly gapMedian: number;

  constructor(private readonly b: Benign, readonly m: Member, public ts: number) {
    b.connect(m, ts, this);
    this.left = b.rng.geometric(m.sessionMean);
    this.gapMedian = 20_000 / (1 + 0.15 * Math.log1p(m.weight));
    b.opening(this);
  }

  step(): SimEvent {
    const ev = this.queue.length > 0 ? this.queue.shift()! : this.b.action(this);
    ev.ts = this.ts;
    if (this.queue.length === 0 && --this.left <= 0) this.done = true;
    else this.ts += Math.max(300, Math.min(900_000, Math.round(this.b.rng.lognormal(this.gapMedian, 1.0))));
    return ev;
  }
}

/** Starts sessions as a non-homogeneous Poisson process following the world's waking hours (thinning). */
export class SessionSpawner implements Source {
  seq = 0;
  done = false;
  private readonly rate: number;

  /** sessionsPerMs: mean session starts per millisecond. */
  constructor(private readonly b: Benign, public ts: number, sessionsPerMs: number) {
    this.rate = sessionsPerMs * (b.maxSlotTotal / b.meanSlotTotal);
    if (!(this.rate > 0 && Number.isFinite(this.rate))) this.done = true;
    else this.advance();
  }

  private advance(): void {
    for (;;) {
      this.ts += Math.max(1, Math.round(this.b.rng.exp(1 / this.rate)));
      if (this.b.rng.next() * this.b.maxSlotTotal < this.b.intensity(this.ts)) return;
    }
  }

  step(schedule: Schedule): null {
    this.b.startSession(this.b.pickMember(this.ts), this.ts, schedule);
    this.advance();
    return null;
  }
}

/** Brand-new members: their first session starts with a signup at their creation time. */
export class SignupSpawner implements Source {
  seq = 0;
  done = false;
  ts = 0;
  private i = 0;
  private readonly due: Member[];

  constructor(private readonly b: Benign) {
    this.due = b.world.members.filter((m) => m.createdAt >= 0).sort((x, y) => x.createdAt - y.createdAt || x.idx - y.idx);
    this.done = this.due.length === 0;
    if (!this.done) this.ts = this.due[0]!.createdAt;
  }

  step(schedule: Schedule): null {
    this.b.startSession(this.due[this.i]!, this.ts, schedule);
    if (++this.i >= this.due.length) this.done = true;
    else this.ts = this.due[this.i]!.createdAt;
    return null;
  }
}

/** An honest partner integration: steady API traffic with a key, from cloud IPs (looks like scraping, is not). */
export class PartnerApi implements Source {
  seq = 0;
  done = false;
  private readonly key: string;
  private readonly ips: string[];
  private readonly endpoints: string[];
  private readonly account: string | undefined;

  constructor(private readonly b: Benign, public ts: number, private readonly meanGap: number) {
    const rng = b.rng;
    this.key = b.world.mint.apiKey();
    this.ips = Array.from({ length: rng.range(1, 4) }, () => datacenterIp(rng));
    this.endpoints = PARTNER_ENDPOINTS.filter(() => rng.chance(0.6));
    if (this.endpoints.length === 0) this.endpoints.push(PARTNER_ENDPOINTS[0]!);
    this.account = rng.chance(0.5) ? b.world.oldMember(rng).id : undefined;
    this.ts += Math.round(rng.exp(meanGap));
  }

  step(): SimEvent {
    const rng = this.b.rng;
    const x = rng.next();
    const status = x < 0.965 ? 200 : x < 0.985 ? 404 : x < 0.995 ? 429 : 500;
    const ev: SimEvent = { id: '', type: 'api_call', ts: this.ts };
    if (this.account !== undefined) ev['account'] = this.account;
    ev['api_key'] = this.key;
    ev['ip'] = rng.pick(this.ips);
    ev['endpoint'] = rng.pick(this.endpoints);
    ev['status'] = status;
    this.ts += Math.max(1, Math.round(rng.exp(this.meanGap)));
    return ev;
  }
}
