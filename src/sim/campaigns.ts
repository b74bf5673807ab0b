// Attack campaign planners, one per kind: each leaves the traces real risk teams detect it by.
import type { CampaignKind } from './catalogue.ts';
import {
  COUNTRIES, FIRST, LAST, appUserAgent, botFreemail, broadbandIp, cardNumber, disposableEmail, formatAddress, formatPhone, gmailVariant,
  money, phone, postalAddress, sameSubnet,
} from './identity.ts';
import { PUBLIC_COUPONS, WELCOME_COUPON, deviceUserAgent } from './population.ts';
import type { Plan } from './plan.ts';

const MIN = 60_000;
const HOUR = 3_600_000;

const SPAM_DOMAINS = ['bit.ly', 'tinyurl.com', 'cutt.ly', 'free-gifts-now.xyz', 'crypto-x2.top', 'hot-singles.club', 'promo-claim.site', 'earn-daily.online', 'giftcard-win.icu', 'followers-boost.shop', 'nft-drop.live', 'verify-acct.info'];
const SPAM_TEXT = [
  '🔥 Get 10k followers FREE today → {link}', 'Hot singles in your area 😍 {link}', 'I made $500/day from home, see how: {link}',
  'Claim your $100 gift card before it expires {link}', 'Elon is doubling BTC for 24h only!! {link}', 'Your account will be suspended, verify here {link}',
  'DM me for collab 💰 {link}', 'Cheap designer bags 90% off {link}',
];
const HARASSMENT = ['nobody likes you', 'delete your account loser', 'you are so ugly lol', 'i know where you live', 'kill yourself', 'everyone is laughing at you'];
const BRUSH_REVIEWS = ['Great product!!! Highly recommend!!!', 'Excellent quality fast shipping 5 stars', 'Very good seller, product as described, will buy again', 'Perfect!!! A+++', 'Amazing quality for the price, love it'];
const KID_COMMENTS = ['im 11 and i love this', 'my mom said i cant have tiktok lol', 'who else is in 5th grade', 'pls notice me im 10', 'i have school tomorrow 😭', 'when is the new roblox video'];
const FARM_COMMENTS = ['nice!!', 'great video', 'wow', '👍👍', 'amazing', 'cool'];

export type Planner = (p: Plan) => void;

function linkText(p: Plan, domains: string[]): [string, string[]] {
  const d = p.rng.pick(domains);
  const path = p.rng.hex(6);
  let text = p.rng.pick(SPAM_TEXT).replace('{link}', `https://${d}/${path}`);
  // Camouflaged spam varies its wording to dodge exact-text matching.
  if (p.rng.chance(p.cam)) text = `${p.rng.pick(['hey', 'omg', 'hi dear', 'look', ''])} ${text} ${p.rng.pick(['', '!!', '🙏', p.rng.hex(3)])}`.trim();
  return [text, [d]];
}

function contentOf(p: Plan): [string, string] {
  const c = p.world.popularContent(p.rng);
  return [p.world.contentIds[c]!, p.world.creators[p.world.contentCreator[c]!]!.id];
}

/** Registration waves from a device farm: disposable e-mails, scripted agents, consecutive virtual phone numbers. */
const fakeAccounts: Planner = (p) => {
  const rng = p.rng;
  const n = Math.max(20, Math.round(160 * p.knobs.size));
  const devs = p.devices(n / (25 - 20 * p.cam));
  const ips = p.ips(n / (40 - 34 * p.cam));
  const tool = p.scriptedTool();
  const claimed = p.country();
  const template = rng.int(3);
  const age = rng.range(19, 30);
  const phoneBase = rng.range(2_000_000, 8_000_000);
  const phoneArea = rng.range(201, 989);
  const waves = rng.range(2, 5);
  const accounts: string[] = [];
  let ts = p.t0;
  for (let i = 0; i < n; i++) {
    if (i % Math.ceil(n / waves) === 0 && i > 0) ts += rng.uniform(1, 6) * HOUR / p.knobs.speed;
    ts += p.gap(25_000);
    const acct = p.account();
    accounts.push(acct);
    const device = devs[i % devs.length]!;
    const ip = ips[rng.int(ips.length)]!;
    const email = p.attacker('email', rng.chance(1 - 0.7 * p.cam) ? disposableEmail(rng, template, i) : botFreemail(rng, i));
    const ph = rng.chance(0.5) ? p.attacker('phone', formatPhone(3, COUNTRIES[0]!, `${phoneArea}${phoneBase + i}`)) : undefined;
    p.emit(ts, 'signup', {
      account: acct, device, ip, email, phone: ph, country: rng.chance(p.cam) ? p.country().code : claimed.code,
      user_agent: p.userAgent(tool), declared_age: rng.chance(1 - p.cam) ? age : rng.range(18, 45),
    }, 'signup');
    let t = ts + rng.uniform(0.5, 30) * MIN;
    p.emit(t, 'login', { account: acct, device, ip, success: true, method: 'password' }, 'warmup');
    for (let k = rng.range(1, 4); k > 0; k--) {
      t += p.gap(20_000);
      if (accounts.length > 1 && rng.chance(0.5)) p.emit(t, 'follow', { account: acct, target: accounts[rng.int(accounts.length - 1)], device, ip }, 'warmup');
      else {
        const [content, creator] = contentOf(p);
        p.emit(t, 'view', { account: acct, content, creator, device, ip, watch_ms: rng.range(1000, 4000) }, 'warmup');
      }
    }
    p.camouflage(acct, device, ip, t, t + 48 * HOUR, 6);
  }
};

/** Credential stuffing across many accounts from rotating IPs, then takeover and cash-out. */
const accountTakeover: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const targets = Math.max(50, Math.round(900 * p.knobs.size));
  const ips = p.ips(targets / (5 - 4 * p.cam));
  const devs = p.devices(2 + 25 * p.cam);
  const drops = Array.from({ length: rng.range(1, 3) }, () => p.attacker('address', formatAddress(postalAddress(rng, p.country()), rng.int(4))));
  const cashCreator = rng.chance(0.4) ? p.account() : undefined;
  const successRate = rng.uniform(0.02, 0.05);
  let ts = p.t0;
  for (let i = 0; i < targets; i++) {
    const real = rng.chance(0.65);
    const member = real ? w.oldMember(rng) : undefined;
    const acct = member ? member.id : w.mint.account();
    const attempts = rng.chance(0.7) ? 1 : rng.range(2, 3);
    const success = member !== undefined && rng.chance(successRate);
    for (let a = 0; a < attempts; a++) {
      ts += p.gap(1_500);
      const last = a === attempts - 1;
      p.emit(ts, 'login', { account: acct, device: devs[rng.int(devs.length)], ip: ips[rng.int(ips.length)], success: success && last, method: 'password' }, success && last ? 'takeover' : 'stuffing');
    }
    if (!success || !member) continue;
    p.victim('account', member.id);
    // Takeover: a fresh device, a proxy near the victim when careful, then lock the owner out.
    let t = ts + rng.uniform(10 * MIN, 6 * HOUR) / p.knobs.speed;
    const device = p.attacker('device', w.mint.device());
    const ip = p.attacker('ip', rng.chance(p.cam) ? broadbandIp(rng, member.country) : ips[rng.int(ips.length)]!);
    p.emit(t, 'login', { account: member.id, device, ip, success: true, method: 'password' }, 'takeover');
    const fields = ['email', 'password', rng.chance(0.5) ? 'payout' : 'phone'];
    for (const field of fields) { t += p.gap(40_000); p.emit(t, 'profile_change', { account: member.id, device, ip, field }, 'takeover'); }
    p.camouflage(member.id, device, ip, t, t + 10 * MIN, 4);
    const card = member.cards[0];
    if (card === undefined) continue;
    p.victim('card', card);
    for (let k = rng.range(1, 4); k > 0; k--) {
      t += p.gap(90_000);
      if (cashCreator && rng.chance(0.5)) {
        p.emit(t, 'gift', { account: member.id, room: p.attacker('room', w.room(cashCreator, t)), creator: cashCreator, amount: rng.pick([49.99, 99.99, 199.99]), card, device, ip }, 'cashout');
      } else {
        // Resellable, pricey goods.
        let prod = w.productPick.draw(rng);
        for (let k = 0; k < 30 && w.productPrice[prod]! < 60; k++) prod = w.productPick.draw(rng);
        const qty = rng.range(1, 3);
        p.emit(t, 'order', {
          account: member.id, seller: w.sellers[w.productSeller[prod]!]!.id, product: w.productIds[prod], quantity: qty,
          amount: money(w.productPrice[prod]! * qty, member.country), currency: member.country.currency, card,
          address: rng.pick(drops), device, ip,
        }, 'cashout');
      }
    }
  }
};

/** Farm accounts (several per phone) liking, viewing and following the customer's content in lockstep. */
const clickFarm: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(15, Math.round(90 * p.knobs.size));
  const devs = p.devices(n / Math.max(1, 8 - 6 * p.cam));
  const ips = p.ips(2 + 25 * p.cam);
  // The customer: an existing small creator buying reach, or a fresh one.
  let customer: string;
  let contents: string[];
  const existing = rng.chance(0.5) ? w.creators[rng.int(w.creators.length)] : undefined;
  if (existing) {
    customer = p.attacker('account', existing.id);
    contents = Array.from({ length: rng.range(1, 3) }, () => w.contentIds[existing.firstContent + rng.int(existing.contentCount)]!);
  } else {
    customer = p.account();
    contents = Array.from({ length: rng.range(1, 3) }, () => w.mint.content());
  }
  for (const c of contents) p.attacker('content', c);
  const farm = Array.from({ length: n }, (_, i) => ({ id: p.account(), device: devs[i % devs.length]!, ip: ips[i % ips.length]!, followed: false, seen: false }));
  // Some farm accounts are registered for the job, the rest are aged accounts that simply log in.
  for (const a of farm) {
    if (rng.chance(0.4)) {
      p.emit(p.t0 - rng.uniform(1, 20) * HOUR / p.knobs.speed, 'signup', {
        account: a.id, device: a.device, ip: a.ip, email: p.attacker('email', rng.chance(0.6 - 0.4 * p.cam) ? disposableEmail(rng, 1, 0) : botFreemail(rng, 0)),
        country: p.country().code, user_agent: p.userAgent(p.scriptedTool()), declared_age: rng.range(18, 35),
      }, 'farm');
      a.seen = true;
    }
  }
  const jobs = rng.range(3, 8);
  const step = rng.uniform(2_000, 12_000);
  let jobStart = p.t0;
  for (let j = 0; j < jobs; j++) {
    jobStart += j === 0 ? 0 : p.gap(4 * HOUR);
    const target = rng.pick(contents);
    let k = 0;
    for (const a of farm) {
      if (!rng.chance(1 - 0.3 * p.cam)) continue;
      // Same accounts in the same order every job, a few seconds apart: lockstep.
      let t = jobStart + (k++ * step) / p.knobs.speed + rng.uniform(0, 1_000 * (1 + 20 * p.cam));
      if (!a.seen) { p.emit(t - rng.uniform(5_000, 60_000), 'login', { account: a.id, device: a.device, ip: a.ip, success: true, method: 'password' }, 'farm'); a.seen = true; }
      p.emit(t, 'view', { account: a.id, content: target, creator: customer, device: a.device, ip: a.ip, watch_ms: rng.range(3_000, 8_000) }, 'engagement');
      t += rng.uniform(500, 4_000);
      p.emit(t, 'like', { account: a.id, content: target, creator: customer, device: a.device, ip: a.ip }, 'engagement');
      if (!a.followed) { t += rng.uniform(500, 3_000); p.emit(t, 'follow', { account: a.id, target: customer, device: a.device, ip: a.ip }, 'engagement'); a.followed = true; }
      if (rng.chance(0.1)) p.emit(t + rng.uniform(1_000, 5_000), 'comment', { account: a.id, content: target, creator: customer, device: a.device, ip: a.ip, text: rng.pick(FARM_COMMENTS), link_domains: [] }, 'engagement');
    }
  }
  for (const a of farm) p.camouflage(a.id, a.device, a.ip, p.t0, jobStart + HOUR, 8);
};

/** New accounts blasting comments and cold DMs with redirect links, fast. */
const spam: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(5, Math.round(30 * p.knobs.size));
  const devs = p.devices(n / (4 - 3 * p.cam));
  const ips = p.ips(n * (0.3 + p.cam));
  const domains = Array.from({ length: rng.range(1, 3) }, () => p.attacker('domain', rng.pick(SPAM_DOMAINS)));
  const tool = p.scriptedTool();
  for (let i = 0; i < n; i++) {
    const acct = p.account();
    const device = devs[i % devs.length]!;
    let ip = ips[rng.int(ips.length)]!;
    let t = p.t0 + rng.uniform(0, 2 * HOUR);
    p.emit(t, 'signup', {
      account: acct, device, ip, email: p.attacker('email', rng.chance(1 - 0.6 * p.cam) ? disposableEmail(rng, i, i) : botFreemail(rng, i)),
      country: p.country().code, user_agent: p.userAgent(tool), declared_age: rng.chance(0.5) ? 21 : undefined,
    }, 'signup');
    const msgs = rng.range(25, 80);
    for (let k = 0; k < msgs; k++) {
      t += p.gap(8_000 * (1 + 3 * p.cam));
      if (rng.chance(0.1 * p.cam)) ip = ips[rng.int(ips.length)]!;
      const [text, links] = linkText(p, domains);
      if (rng.chance(0.5)) {
        const [content, creator] = contentOf(p);
        p.emit(t, 'comment', { account: acct, content, creator, device, ip, text, link_domains: links }, 'spam');
      } else {
        p.emit(t, 'message', { account: acct, target: w.members[rng.int(w.members.length)]!.id, device, ip, text, link_domains: links }, 'spam');
      }
    }
    p.camouflage(acct, device, ip, p.t0, t, 10);
  }
};

/** API floods from cloud IPs enumerating ids: many 404s and rate-limit 429s. */
const scraping: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const calls = Math.max(500, Math.round(7_000 * p.knobs.size));
  const ips = p.ips(3 + 40 * p.cam);
  const key = rng.chance(0.5) ? p.attacker('api_key', w.mint.apiKey()) : undefined;
  const accounts: { id: string; device: string }[] = [];
  if (rng.chance(0.4)) {
    for (let i = rng.range(1, 5); i > 0; i--) {
      const a = { id: p.account(), device: p.devices(1)[0]! };
      accounts.push(a);
      p.emit(p.t0 - rng.uniform(1, 3) * HOUR, 'signup', {
        account: a.id, device: a.device, ip: ips[0]!, email: p.attacker('email', disposableEmail(rng, 0, i)),
        country: p.country().code, user_agent: p.userAgent(p.scriptedTool()),
      }, 'signup');
    }
  }
  const perSecond = (8 * p.knobs.speed) / (1 + 2 * p.cam);
  const limited = Math.min(0.45, 0.08 * perSecond / ips.length + 0.05);
  let t = p.t0;
  for (let i = 0; i < calls; i++) {
    // Runs in bursts with pauses, like a crawler restarting its job.
    t += rng.chance(0.002) ? rng.uniform(5, 40) * MIN : rng.exp(1000 / perSecond);
    const x = rng.next();
    const endpoint = x < 0.5 ? 'GET /v1/users/:id' : x < 0.7 ? 'GET /v1/users/:id/followers' : x < 0.9 ? 'GET /v1/products/:id' : 'GET /v1/search';
    const y = rng.next();
    const status = y < limited ? 429 : y < limited + 0.2 ? 404 : y < limited + 0.25 ? 403 : 200;
    const a = accounts.length ? rng.pick(accounts) : undefined;
    p.emit(t, 'api_call', { account: a?.id, api_key: key, ip: rng.pick(ips), device: a?.device, endpoint, status }, 'scrape');
  }
};

/** A ringleader inviting their own throwaway accounts from the same few devices to farm referral rewards. */
const referralAbuse: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(5, Math.round(45 * p.knobs.size));
  const devs = p.devices(1 + 4 * p.cam);
  const home = COUNTRIES[rng.int(COUNTRIES.length)]!;
  const ips = [p.attacker('ip', broadbandIp(rng, home)), ...p.ips(p.cam * 4)];
  const first = rng.pick(FIRST);
  const local = `${first}${rng.pick(LAST)}${rng.range(1, 99)}`;
  let leader: string;
  if (rng.chance(0.5)) leader = p.attacker('account', w.oldMember(rng).id);
  else {
    leader = p.account();
    p.emit(p.t0 - rng.uniform(2, 24) * HOUR, 'signup', { account: leader, device: devs[0], ip: ips[0], email: p.attacker('email', `${local}@gmail.com`), country: home.code, user_agent: p.userAgent(p.scriptedTool()), declared_age: rng.range(18, 40) }, 'signup');
  }
  const card = p.attacker('card', cardNumber(rng));
  const ua = p.userAgent(p.scriptedTool());
  let t = p.t0;
  for (let i = 0; i < n; i++) {
    t += p.gap(20 * MIN);
    const acct = p.account();
    const device = devs[rng.int(devs.length)]!;
    const ip = rng.chance(0.7) ? ips[0]! : rng.pick(ips);
    const email = p.attacker('email', rng.chance(0.6) ? gmailVariant(rng, local, i) : disposableEmail(rng, 1, i));
    p.emit(t, 'signup', { account: acct, device, ip, email, country: home.code, user_agent: ua, declared_age: rng.chance(0.7) ? rng.range(18, 40) : undefined, referrer: leader }, 'signup');
    p.emit(t + rng.uniform(1_000, 30_000), 'referral', { referrer: leader, referee: acct, device, ip }, 'referral');
    // Just enough activity to qualify the reward.
    const q = t + rng.uniform(2, 30) * MIN;
    if (rng.chance(0.5)) p.emit(q, 'coupon_redeem', { account: acct, coupon: WELCOME_COUPON, device, ip }, 'qualify');
    else {
      const prod = w.productPick.draw(rng);
      p.emit(q, 'order', { account: acct, seller: w.sellers[w.productSeller[prod]!]!.id, product: w.productIds[prod], quantity: 1, amount: money(w.productPrice[prod]!, home), currency: home.currency, card, address: p.attacker('address', formatAddress(postalAddress(rng, home), i)), device, ip }, 'qualify');
    }
    p.camouflage(acct, device, ip, t, t + 2 * HOUR, 5);
  }
};

/** A household of linked accounts (Gmail variants, one card, one address typed many ways) redeeming the same coupons. */
const couponAbuse: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(4, Math.round(20 * p.knobs.size));
  const home = COUNTRIES[rng.int(COUNTRIES.length)]!;
  const devs = p.devices(1 + 3 * p.cam);
  const ips = [p.attacker('ip', broadbandIp(rng, home)), ...p.ips(p.cam * 3)];
  const cards = Array.from({ length: rng.range(1, 2) + Math.round(p.cam * 2) }, () => p.attacker('card', cardNumber(rng)));
  const addr = postalAddress(rng, home);
  const local = `${rng.pick(FIRST)}.${rng.pick(LAST)}`;
  const coupons = [WELCOME_COUPON, ...PUBLIC_COUPONS.filter(() => rng.chance(0.3))];
  const ua = p.userAgent(p.scriptedTool());
  let t = p.t0;
  for (let i = 0; i < n; i++) {
    t += p.gap(30 * MIN);
    const acct = p.account();
    const device = rng.pick(devs);
    const ip = rng.chance(0.75) ? ips[0]! : rng.pick(ips);
    const email = p.attacker('email', rng.chance(0.7) ? gmailVariant(rng, local, i) : disposableEmail(rng, 1, i));
    p.emit(t, 'signup', { account: acct, device, ip, email, country: home.code, user_agent: ua, declared_age: rng.chance(0.8) ? rng.range(20, 50) : undefined }, 'signup');
    let u = t;
    for (const coupon of coupons) {
      if (coupon !== WELCOME_COUPON && !rng.chance(0.7)) continue;
      u += rng.uniform(1, 20) * MIN;
      const card = rng.pick(cards);
      const address = p.attacker('address', formatAddress(addr, rng.int(4)));
      p.emit(u, 'coupon_redeem', { account: acct, coupon, device, ip, card, address }, 'redeem');
      const prod = w.productPick.draw(rng);
      u += rng.uniform(20_000, 5 * MIN);
      p.emit(u, 'order', { account: acct, seller: w.sellers[w.productSeller[prod]!]!.id, product: w.productIds[prod], quantity: 1, amount: money(w.productPrice[prod]! * 0.85, home), currency: home.currency, coupon, card, address, device, ip }, 'redeem');
    }
    p.camouflage(acct, device, ip, t, u + HOUR, 6);
  }
};

/** Bots hitting a limited drop within seconds of release, pooling a few cards and addresses; honest fans buy too. */
const scalping: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(10, Math.round(60 * p.knobs.size));
  const sellerIdx = w.productSeller[w.productPick.draw(rng)]!;
  const seller = w.sellers[sellerIdx]!.id;
  const price = Math.round(rng.uniform(150, 450)) - 0.01;
  const prod = w.addProduct(sellerIdx, price);
  const product = w.productIds[prod]!;
  const release = p.t0;
  const devs = p.devices(n / (6 - 4 * p.cam));
  const ips = p.ips(n * (0.15 + 0.6 * p.cam));
  const cards = Array.from({ length: Math.max(1, Math.round(n / (12 - 9 * p.cam))) }, () => p.attacker('card', cardNumber(rng)));
  const home = COUNTRIES[rng.int(3)]!;
  const bases = Array.from({ length: rng.range(2, 4) }, () => postalAddress(rng, home));
  for (let i = 0; i < n; i++) {
    const acct = p.account();
    const device = devs[i % devs.length]!;
    const ip = ips[rng.int(ips.length)]!;
    if (rng.chance(0.5)) {
      p.emit(release - rng.uniform(2, 48) * HOUR, 'signup', { account: acct, device, ip, email: p.attacker('email', rng.chance(0.7 - 0.5 * p.cam) ? disposableEmail(rng, 2, i) : botFreemail(rng, i)), country: home.code, user_agent: p.userAgent(p.scriptedTool()), declared_age: rng.range(18, 40) }, 'signup');
    }
    p.emit(release - rng.uniform(1, 30) * MIN, 'login', { account: acct, device, ip, success: true, method: 'password' }, 'prepare');
    // Polling the product page until it goes live.
    for (let k = rng.range(2, 10); k > 0; k--) p.emit(release - rng.uniform(0, 3) * MIN, 'api_call', { account: acct, ip, device, endpoint: 'GET /v1/products/:id', status: rng.chance(0.2) ? 429 : 200 }, 'prepare');
    let t = release + rng.exp(1_500 / p.knobs.speed) + 150;
    for (let k = rng.range(1, 3); k > 0; k--) {
      const qty = 2;
      const address = p.attacker('address', formatAddress(rng.pick(bases), rng.int(4)));
      p.emit(t, 'order', { account: acct, seller, product, quantity: qty, amount: money(price * qty, home), currency: home.currency, card: rng.pick(cards), address, device, ip }, 'checkout');
      t += rng.uniform(800, 8_000);
    }
  }
  // Honest fans also race for the drop: fast, but one unit, own card and address.
  for (let i = Math.round(n * 0.6); i > 0; i--) {
    const m = w.oldMember(rng);
    if (!m.cards.length) continue;
    p.background(release + rng.exp(90_000) + 2_000, 'order', { account: m.id, seller, product, quantity: 1, amount: money(price, m.country), currency: m.country.currency, card: m.cards[0], address: m.address, device: m.devices[0]!.id, ip: m.homeIp });
  }
};

/** A seller's own buyer accounts placing tiny orders and leaving 5-star reviews. */
const brushing: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(8, Math.round(50 * p.knobs.size));
  const owner = p.account();
  const sellerIdx = w.addSeller(-1);
  const seller = p.attacker('seller', w.sellers[sellerIdx]!.id);
  const home = COUNTRIES[rng.int(COUNTRIES.length)]!;
  const products = Array.from({ length: rng.range(1, 3) }, () => w.addProduct(sellerIdx, rng.pick([0.99, 1.49, 1.99, 2.99, 4.99])));
  const devs = p.devices(n / (10 - 7 * p.cam));
  const ips = [p.attacker('ip', broadbandIp(rng, home)), ...p.ips(1 + 6 * p.cam)];
  const cards = Array.from({ length: Math.max(1, Math.round(n / (15 - 10 * p.cam))) }, () => p.attacker('card', cardNumber(rng)));
  p.emit(p.t0 - 30 * HOUR, 'signup', { account: owner, device: devs[0], ip: ips[0], email: p.attacker('email', botFreemail(rng, 0)), country: home.code, user_agent: browserAgentOf(p), declared_age: rng.range(25, 50) }, 'setup');
  for (let i = 0; i < n; i++) {
    const acct = p.account();
    const device = devs[i % devs.length]!;
    const ip = rng.chance(0.6) ? ips[0]! : rng.pick(ips);
    const t = p.t0 + rng.uniform(0, 12 * HOUR) / p.knobs.speed;
    p.emit(t, 'signup', { account: acct, device, ip, email: p.attacker('email', rng.chance(0.6 - 0.4 * p.cam) ? disposableEmail(rng, 1, i) : botFreemail(rng, i)), country: home.code, user_agent: p.userAgent(p.scriptedTool()), declared_age: rng.range(20, 60) }, 'signup');
    let u = t;
    for (let k = rng.chance(0.7) ? 1 : rng.range(2, 3); k > 0; k--) {
      u += rng.uniform(5, 120) * MIN / p.knobs.speed;
      const prod = rng.pick(products);
      // Parcels go to strangers' real addresses, so the reviews look verified.
      const order = p.emit(u, 'order', { account: acct, seller, product: w.productIds[prod], quantity: 1, amount: money(w.productPrice[prod]!, home), currency: home.currency, card: rng.pick(cards), address: formatAddress(postalAddress(rng, home), 0), device, ip }, 'order');
      const rt = u + rng.uniform(1, 30) * HOUR / p.knobs.speed;
      p.emit(rt, 'review', { account: acct, product: w.productIds[prod], seller, rating: rng.chance(0.95) ? 5 : 4, text: rng.pick(BRUSH_REVIEWS), order_id: '' }, 'review', order);
    }
    p.camouflage(acct, device, ip, t, u, 4);
  }
};

function browserAgentOf(p: Plan): string {
  return p.userAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36');
}

/** Stolen cards tested with small gifts then maxed out on colluding creators' live rooms. */
const giftFraud: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const nCards = Math.max(6, Math.round(30 * p.knobs.size));
  const n = Math.max(2, Math.round(6 * p.knobs.size));
  const devs = p.devices(1 + n * p.cam);
  const ips = p.ips(2 + n * p.cam);
  const creators = Array.from({ length: rng.range(1, 2) }, () => p.account());
  for (const c of creators) {
    p.emit(p.t0 - rng.uniform(24, 72) * HOUR, 'signup', { account: c, device: p.devices(1)[0], ip: ips[0], email: p.attacker('email', botFreemail(rng, 1)), country: p.country().code, user_agent: browserAgentOf(p), declared_age: rng.range(19, 30) }, 'setup');
  }
  const gifters = Array.from({ length: n }, (_, i) => ({ id: p.account(), device: devs[i % devs.length]!, ip: ips[i % ips.length]! }));
  for (const g of gifters) {
    p.emit(p.t0 - rng.uniform(1, 12) * HOUR, 'signup', { account: g.id, device: g.device, ip: g.ip, email: p.attacker('email', disposableEmail(rng, rng.int(3), 0)), country: p.country().code, user_agent: p.userAgent(p.scriptedTool()), declared_age: rng.range(18, 30) }, 'signup');
  }
  let t = p.t0;
  for (let i = 0; i < nCards; i++) {
    const holder = w.oldMember(rng);
    const card = holder.cards[0] ?? cardNumber(rng);
    p.victim('card', card);
    p.victim('account', holder.id, true);
    const g = rng.pick(gifters);
    const creator = rng.pick(creators);
    const room = p.attacker('room', w.room(creator, t));
    t += p.gap(3 * MIN);
    let u = t;
    for (let k = rng.range(1, 2); k > 0; k--) { u += rng.uniform(2_000, 20_000); p.emit(u, 'gift', { account: g.id, room, creator, amount: rng.pick([0.99, 1.99]), card, device: g.device, ip: g.ip }, 'card_test'); }
    for (let k = rng.range(1, 5); k > 0; k--) { u += rng.uniform(3_000, 40_000); p.emit(u, 'gift', { account: g.id, room, creator, amount: rng.pick([49.99, 99.99, 199.99, 299.99, 499.99]), card, device: g.device, ip: g.ip }, 'cashout'); }
  }
  for (const g of gifters) p.camouflage(g.id, g.device, g.ip, p.t0, t, 6);
};

/** Abusers spam or harass, get banned, then come back with new accounts on the same devices and networks. */
const banEvasion: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(2, Math.round(5 * p.knobs.size));
  const harass = rng.chance(0.5);
  const targets = Array.from({ length: rng.range(1, 4) }, () => w.oldMember(rng).id);
  const domains = harass ? [] : [p.attacker('domain', rng.pick(SPAM_DOMAINS))];
  const base = `${rng.pick(FIRST)}${rng.pick(['x', '_', 'xx', '.'])}${rng.pick(LAST)}`;
  const tool = p.scriptedTool();
  const origins = Array.from({ length: n }, () => ({ device: p.devices(1)[0]!, ip: p.ips(1)[0]! }));
  let serial = rng.range(1, 9);
  const burst = (acct: string, device: string, ip: string, from: number, stage: string): void => {
    let t = from;
    for (let k = rng.range(25, 60); k > 0; k--) {
      t += p.gap(25_000);
      if (harass) p.emit(t, 'message', { account: acct, target: rng.pick(targets), device, ip, text: rng.pick(HARASSMENT), link_domains: [] }, stage);
      else {
        const [text, links] = linkText(p, domains);
        const [content, creator] = contentOf(p);
        p.emit(t, 'comment', { account: acct, content, creator, device, ip, text, link_domains: links }, stage);
      }
    }
  };
  const signup = (t: number, device: string, ip: string, stage: string): string => {
    const acct = p.account();
    const email = p.attacker('email', rng.chance(0.7 - 0.5 * p.cam) ? `${base}${serial++}@${rng.pick(['gmail.com', 'outlook.com'])}` : disposableEmail(rng, 1, serial++));
    p.emit(t, 'signup', { account: acct, device, ip, email, country: p.country().code, user_agent: p.userAgent(tool), declared_age: rng.range(16, 30) }, stage);
    return acct;
  };
  for (const o of origins) {
    const t = p.t0 + rng.uniform(0, 2 * HOUR);
    burst(signup(t, o.device, o.ip, 'prior_abuse'), o.device, o.ip, t + rng.uniform(1, 10) * MIN, 'prior_abuse');
  }
  // The comeback, hours to days later: same device unless they reset it, same home network or its /24.
  for (const o of origins) {
    for (let r = rng.range(1, 3); r > 0; r--) {
      const t = p.t0 + rng.uniform(6, 48) * HOUR / p.knobs.speed;
      const device = rng.chance(1 - 0.6 * p.cam) ? o.device : p.devices(1)[0]!;
      const ip = rng.chance(0.6) ? o.ip : p.attacker('ip', sameSubnet(o.ip, rng));
      const acct = signup(t, device, ip, 'evasion');
      p.camouflage(acct, device, ip, t, t + HOUR, 6, 'evasion');
      burst(acct, device, ip, t + rng.uniform(5, 60) * MIN, 'evasion');
    }
  }
};

/** Children on the platform: under-13 declared ages, age-gate retries on the same device, kid-typical content and hours. */
const underage: Planner = (p) => {
  const rng = p.rng;
  const w = p.world;
  const n = Math.max(3, Math.round(20 * p.knobs.size));
  for (let i = 0; i < n; i++) {
    // Kids live in real households: the family's network and often a parent's tablet.
    const parent = w.oldMember(rng);
    const shared = rng.chance(0.5) ? parent.devices[parent.devices.length - 1]! : undefined;
    const device = shared ? shared.id : p.attacker('device', w.mint.device());
    const ua = shared ? deviceUserAgent(shared) : appUserAgent(rng, rng.chance(0.5));
    const ip = parent.homeIp;
    const c = parent.country;
    const age = rng.range(8, 12);
    const email = `${rng.pick(FIRST)}${rng.pick(['gamer', 'cutie', 'xx', 'roblox', 'kid'])}${2026 - age}@gmail.com`;
    let t = p.t0 + rng.uniform(0, 36 * HOUR) / p.knobs.speed;
    const style = rng.int(4);
    let acct = p.account();
    if (style === 0) {
      p.emit(t, 'signup', { account: acct, device, ip, email, country: c.code, user_agent: ua, declared_age: age }, 'signup');
    } else if (style === 1) {
      // Age-gate retry: blocked at 11, back two minutes later as 18 with another mailbox.
      p.emit(t, 'signup', { account: acct, device, ip, email, country: c.code, user_agent: ua, declared_age: age }, 'signup');
      t += rng.uniform(1, 10) * MIN;
      acct = p.account();
      p.emit(t, 'signup', { account: acct, device, ip, email: email.replace('@', `${rng.range(1, 9)}@`), country: c.code, user_agent: ua, declared_age: rng.pick([13, 18, 18, 21]) }, 'signup');
    } else {
      p.emit(t, 'signup', { account: acct, device, ip, email, phone: rng.chance(0.2) ? phone(rng, c) : undefined, country: c.code, user_agent: ua, declared_age: style === 2 ? rng.pick([13, 14, 18, 99]) : undefined }, 'signup');
    }
    // Right after joining, then after school until bedtime, local time.
    for (let day = 0; day < 3; day++) {
      const dayStart = Math.floor((t + day * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR - c.tz * HOUR;
      let u = day === 0 ? t + rng.uniform(1, 10) * MIN : dayStart + rng.uniform(15, 20) * HOUR;
      if (u < t) continue;
      for (let k = rng.range(5, 20); k > 0; k--) {
        u += p.gap(40_000);
        const [content, creator] = contentOf(p);
        const x = rng.next();
        if (x < 0.6) p.emit(u, 'view', { account: acct, content, creator, device, ip, watch_ms: Math.round(rng.lognormal(15_000, 1)) }, 'activity');
        else if (x < 0.8) p.emit(u, 'like', { account: acct, content, creator, device, ip }, 'activity');
        else if (x < 0.9) p.emit(u, 'comment', { account: acct, content, creator, device, ip, text: rng.pick(KID_COMMENTS), link_domains: [] }, 'activity');
        else p.emit(u, 'follow', { account: acct, target: creator, device, ip }, 'activity');
      }
    }
  }
};

export const PLANNERS: Record<CampaignKind, Planner> = {
  fake_accounts: fakeAccounts,
  account_takeover: accountTakeover,
  click_farm: clickFarm,
  spam,
  scraping,
  referral_abuse: referralAbuse,
  coupon_abuse: couponAbuse,
  scalping,
  brushing,
  gift_fraud: giftFraud,
  ban_evasion: banEvasion,
  underage,
};

/** Typical campaigns per kind at 2M events; more traffic means more campaigns. */
export const CAMPAIGNS_PER_2M: Record<CampaignKind, number> = {
  fake_accounts: 4, account_takeover: 3, click_farm: 4, spam: 4, scraping: 3, referral_abuse: 4,
  coupon_abuse: 6, scalping: 3, brushing: 4, gift_fraud: 3, ban_evasion: 4, underage: 3,
};

