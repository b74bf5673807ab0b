// The benign platform: accounts in households, networks (home, carrier NAT, offices, VPN), creators and content, sellers and products.
import { Rng, WeightedChoice, scramble } from './prng.ts';
import {
  COUNTRIES, COUNTRY_SHARES, type Country, appUserAgent, browserUserAgent, broadbandIp, cardNumber, carrierNatIp,
  datacenterIp, formatAddress, honestEmail, mobileIp6, person, phone, postalAddress, vpnIp,
} from './identity.ts';
import type { SimEvent } from './catalogue.ts';

export interface Device {
  readonly id: string;
  readonly mobile: boolean;
  readonly ios: boolean;
  /** Per-device IPv6 on mobile data, when the carrier gives one. */
  readonly ip6?: string;
}

export interface PendingReview { readonly order: SimEvent; readonly product: number }

export interface Member {
  readonly idx: number;
  readonly id: string;
  readonly country: Country;
  readonly household: number;
  /** Relative activity: heavy-tailed, a few members are very active. */
  readonly weight: number;
  /** Mean events per session. */
  readonly sessionMean: number;
  readonly devices: Device[];
  readonly homeIp: string;
  readonly natIp: string;
  readonly officeIp: string | undefined;
  readonly vpnIp: string | undefined;
  /** Seeds the contact details, which are made only when needed (signup) to keep the population small. */
  readonly contactSeed: number;
  readonly age: number;
  readonly cards: string[];
  readonly address: string;
  /** Signup time for accounts created during the simulation; -1 for accounts older than the data. */
  readonly createdAt: number;
  referrer: string | undefined;
  /** Propensities per session step. */
  readonly buyer: number;
  readonly dealHunter: boolean;
  readonly gifter: number;
  readonly creator: number;
  readonly seller: number;
  friends: number[];
  seen: boolean;
  pending: PendingReview[];
  coupons: Set<string> | undefined;
}

export interface Creator { readonly member: number; readonly id: string; readonly firstContent: number; readonly contentCount: number }
export interface Seller { readonly id: string; readonly owner: number; readonly firstProduct: number; readonly productCount: number }

/** Public promotions honest users redeem; WELCOME10 is for a new account's first order. */
export const PUBLIC_COUPONS = ['NEWYEAR26', 'FREESHIP', 'FLASH20', 'SAVE5NOW', 'WINTER15', 'APPONLY10', 'BUNDLE3'];
export const WELCOME_COUPON = 'WELCOME10';

export const DIURNAL = [0.55, 0.35, 0.22, 0.15, 0.12, 0.14, 0.25, 0.45, 0.6, 0.65, 0.7, 0.75, 0.8, 0.78, 0.75, 0.78, 0.85, 0.95, 1.05, 1.15, 1.25, 1.3, 1.15, 0.85];

/** User agent of a device, derived from its id so it is stable without being stored. */
export function deviceUserAgent(d: Device): string {
  const rng = new Rng(parseInt(d.id.slice(0, 8), 16), 0x7a);
  return d.mobile ? appUserAgent(rng, d.ios) : browserUserAgent(rng);
}

/** E-mail and phone a member registered with, consistent with their age. */
export function memberContact(m: Member): { email: string; phone: string | undefined } {
  const rng = new Rng(m.contactSeed, 0xe1);
  const p = person(rng);
  p.birthYear = 2026 - m.age;
  return { email: honestEmail(rng, p, m.country), phone: rng.chance(0.45) ? phone(rng, m.country) : undefined };
}

export function localHour(ts: number, tz: number): number {
  const h = (ts / 3_600_000 + tz) % 24;
  return h < 0 ? h + 24 : h;
}

/** Minted identifiers: one sequence per entity type, scrambled so creation order and origin do not show. */
export class IdMint {
  private accounts = 0;
  private contents = 0;
  private products = 0;
  private sellers = 0;
  constructor(private readonly rng: Rng) {}
  account(): string { return 'u' + scramble(++this.accounts, 0x5bd1e995).toString(36).padStart(7, '0'); }
  content(): string { return 'c' + scramble(++this.contents, 0x1b873593).toString(36).padStart(7, '0'); }
  product(): string { return 'p' + scramble(++this.products, 0xcc9e2d51).toString(36).padStart(7, '0'); }
  seller(): string { return 's' + scramble(++this.sellers, 0x68e31da4).toString(36).padStart(6, '0'); }
  device(): string { return this.rng.hex(16); }
  apiKey(): string { return 'ak_live_' + this.rng.hex(24); }
}

export class World {
  readonly members: Member[] = [];
  readonly creators: Creator[] = [];
  readonly sellers: Seller[] = [];
  readonly contentIds: string[] = [];
  readonly contentCreator: number[] = [];
  readonly productIds: string[] = [];
  readonly productSeller: number[] = [];
  readonly productPrice: number[] = [];
  readonly mint: IdMint;
  byCountry: number[][] = [];
  countryPick: WeightedChoice[] = [];
  contentPick!: WeightedChoice;
  productPick!: WeightedChoice;
  creatorPick!: WeightedChoice;
  /** Mean events per session weighted like session selection; sets the session rate. */
  meanSessionEvents = 0;

  constructor(readonly rng: Rng, readonly start: number, readonly span: number, size: number) {
    this.mint = new IdMint(rng.fork(11));
    this.build(size);
  }

  private build(size: number): void {
    const rng = this.rng;
    const countryOf = new WeightedChoice(COUNTRY_SHARES);
    // Shared networks per country: carrier NAT egress (hundreds per address), offices, and a global VPN pool.
    const natPools = COUNTRIES.map((c) => Array.from({ length: Math.max(2, Math.round((size * c.share) / 100 / 220)) }, () => carrierNatIp(rng, c)));
    const offices = COUNTRIES.map((c) => Array.from({ length: Math.max(1, Math.round((size * c.share) / 100 / 60)) }, () => (rng.chance(0.2) ? datacenterIp(rng) : broadbandIp(rng, c))));
    const officeSize = new WeightedChoice(offices.flat().map(() => Math.min(40, rng.pareto(1, 1.2))));
    const officeFlat = offices.flat();
    const vpnPool = Array.from({ length: Math.max(10, Math.round(size / 1500)) }, () => vpnIp(rng));

    let idx = 0;
    let household = 0;
    while (idx < size) {
      const c = COUNTRIES[countryOf.draw(rng)]!;
      const r = rng.next();
      const hsize = r < 0.55 ? 1 : r < 0.75 ? 2 : r < 0.87 ? 3 : r < 0.95 ? 4 : rng.range(5, 7);
      const homeIp = broadbandIp(rng, c);
      const ar = rng.next();
      const address = formatAddress(postalAddress(rng, c), ar < 0.8 ? 0 : ar < 0.9 ? 1 : ar < 0.95 ? 2 : 3);
      const familyCard = cardNumber(rng);
      const sharedTablet: Device | undefined = hsize > 1 && rng.chance(0.35) ? { id: this.mint.device(), mobile: true, ios: rng.chance(0.5) } : undefined;
      const first = idx;
      for (let k = 0; k < hsize && idx < size; k++, idx++) {
        const adult = k === 0 || rng.chance(0.6);
        const age = adult ? rng.range(18, 68) : rng.range(13, 17);
        const weight = Math.min(150, rng.pareto(1, 1.5));
        const ios = rng.chance(c.code === 'US' || c.code === 'JP' || c.code === 'GB' ? 0.55 : 0.25);
        const useV6 = rng.chance(0.3);
        const phoneDevice: Device = { id: this.mint.device(), mobile: true, ios, ip6: useV6 ? mobileIp6(rng, c) : undefined };
        const laptop: Device | undefined = rng.chance(0.45) ? { id: this.mint.device(), mobile: false, ios: false } : undefined;
        // Literal arrays are allocated at their exact size; push() would reserve slack for 77k members.
        const devices: Device[] = laptop
          ? (sharedTablet ? [phoneDevice, laptop, sharedTablet] : [phoneDevice, laptop])
          : (sharedTablet ? [phoneDevice, sharedTablet] : [phoneDevice]);
        const createdAt = rng.chance(0.12) ? this.start + Math.floor(rng.next() * this.span * 0.95) : -1;
        const main = rng.chance(0.55) ? (k > 0 && rng.chance(0.35) ? familyCard : cardNumber(rng)) : undefined;
        const cards = main === undefined ? [] : rng.chance(0.15) ? [main, cardNumber(rng)] : [main];
        this.members.push({
          idx, id: this.mint.account(), country: c, household, weight,
          sessionMean: 3 + 2.2 * Math.log1p(weight),
          devices, homeIp, natIp: rng.pick(natPools[COUNTRIES.indexOf(c)]!),
          officeIp: adult && rng.chance(0.2) ? officeFlat[officeSize.draw(rng)] : undefined,
          vpnIp: rng.chance(0.04) ? rng.pick(vpnPool) : undefined,
          contactSeed: rng.u32(), age,
          cards, address, createdAt, referrer: undefined,
          buyer: rng.chance(0.45) ? rng.uniform(0.2, 1) : 0, dealHunter: rng.chance(0.05),
          gifter: rng.chance(0.06) ? rng.pareto(0.2, 1.3) : 0, creator: -1, seller: -1,
          friends: [], seen: false, pending: [], coupons: undefined,
        });
      }
      for (let i = first; i < idx; i++) for (let j = first; j < idx; j++) if (i !== j) this.members[i]!.friends.push(j);
      household++;
    }

    // Friends outside the household, mostly in the same country; some new accounts were invited by one.
    this.byCountry = COUNTRIES.map(() => []);
    for (const m of this.members) this.byCountry[COUNTRIES.indexOf(m.country)]!.push(m.idx);
    for (const m of this.members) {
      const peers = this.byCountry[COUNTRIES.indexOf(m.country)]!;
      const n = rng.range(1, 10);
      for (let i = 0; i < n; i++) m.friends.push(rng.chance(0.85) ? rng.pick(peers) : rng.int(size));
      if (m.createdAt >= 0 && rng.chance(0.12)) {
        const f = this.members[m.friends[rng.int(m.friends.length)]!]!;
        if (f.createdAt < 0) m.referrer = f.id;
      }
      m.friends = m.friends.slice();
    }
    this.countryPick = this.byCountry.map((list) => new WeightedChoice(list.map((i) => this.members[i]!.weight)));

    // Creators with heavy-tailed popularity, and their content.
    const creatorWeights: number[] = [];
    const contentWeights: number[] = [];
    for (const m of this.members) {
      if (!rng.chance(0.03) || m.createdAt >= 0) continue;
      const pop = rng.pareto(1, 1.1);
      const count = rng.range(3, 40);
      const creator: Creator = { member: m.idx, id: m.id, firstContent: this.contentIds.length, contentCount: count };
      (m as { creator: number }).creator = this.creators.length;
      this.creators.push(creator);
      creatorWeights.push(pop);
      for (let k = 0; k < count; k++) {
        this.contentIds.push(this.mint.content());
        this.contentCreator.push(this.creators.length - 1);
        contentWeights.push(pop / (1 + k * 0.3));
      }
    }
    this.contentPick = new WeightedChoice(contentWeights);
    this.creatorPick = new WeightedChoice(creatorWeights);

    // Sellers (shops owned by a member) and their products.
    const productWeights: number[] = [];
    const openShop = (m: (typeof this.members)[number]) => {
      const pop = rng.pareto(1, 1.2);
      const count = rng.range(2, 60);
      const base = rng.lognormal(18, 0.8);
      const seller: Seller = { id: this.mint.seller(), owner: m.idx, firstProduct: this.productIds.length, productCount: count };
      (m as { seller: number }).seller = this.sellers.length;
      this.sellers.push(seller);
      for (let k = 0; k < count; k++) {
        this.productIds.push(this.mint.product());
        this.productSeller.push(this.sellers.length - 1);
        this.productPrice.push(Math.max(0.99, Math.round(base * rng.lognormal(1, 0.6) * 100) / 100 - 0.01));
        productWeights.push(pop / (1 + k * 0.2));
      }
    };
    for (const m of this.members) {
      if (!rng.chance(0.012) || m.createdAt >= 0) continue;
      openShop(m);
    }
    // A very small population may draw no shop at all; orders need at least one (large ones never get here).
    if (this.sellers.length === 0 && this.members.length > 0) openShop(this.members.find((m) => m.createdAt < 0) ?? this.members[0]!);
    this.productPick = new WeightedChoice(productWeights);

    let wsum = 0;
    let esum = 0;
    for (const m of this.members) { wsum += m.weight; esum += m.weight * m.sessionMean; }
    this.meanSessionEvents = esum / wsum + 0.4;
  }

  /** An account that existed before the data starts (ATO victims, card holders, targets). */
  oldMember(rng: Rng): Member {
    for (let tries = 0; tries < 1000; tries++) {
      const m = this.members[rng.int(this.members.length)]!;
      if (m.createdAt < 0) return m;
    }
    return this.members[0]!;
  }

  /** Content weighted by popularity. */
  popularContent(rng: Rng): number {
    return this.contentPick.draw(rng);
  }

  /** Live room of a creator on a given day. */
  room(creatorId: string, ts: number): string {
    return `live_${creatorId}_${Math.floor(ts / 86_400_000) % 100000}`;
  }

  addProduct(seller: number, price: number): number {
    this.productIds.push(this.mint.product());
    this.productSeller.push(seller);
    this.productPrice.push(price);
    return this.productIds.length - 1;
  }

  /** A shop opened during the simulation; owner -1 when its owner is not a benign member. */
  addSeller(owner: number): number {
    this.sellers.push({ id: this.mint.seller(), owner, firstProduct: this.productIds.length, productCount: 0 });
    return this.sellers.length - 1;
  }
}
