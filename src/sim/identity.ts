// Realistic raw identifiers: countries, IPs (residential, carrier NAT, datacenter), e-mails, phones, user agents, cards, addresses, text.
import { flat, type Rng } from './prng.ts';

export interface Country {
  readonly code: string;
  /** UTC offset in hours used for the daily rhythm. */
  readonly tz: number;
  /** Share of the user base. */
  readonly share: number;
  readonly currency: string;
  /** Currency units per USD. */
  readonly fx: number;
  readonly dial: string;
  /** First octets of residential/broadband IPv4 space. */
  readonly broadband: readonly number[];
  /** Mobile carrier egress: IPv4 first octets (carrier-grade NAT) and IPv6 /32 prefixes. */
  readonly mobile4: readonly number[];
  readonly mobile6: readonly string[];
  readonly mailDomains: readonly string[];
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', tz: -6, share: 24, currency: 'USD', fx: 1, dial: '1', broadband: [73, 24, 98, 71, 67, 68, 75, 99, 108], mobile4: [172, 174, 107], mobile6: ['2600:1000', '2607:fb90', '2600:387'], mailDomains: ['yahoo.com', 'aol.com', 'comcast.net', 'att.net'] },
  { code: 'BR', tz: -3, share: 9, currency: 'BRL', fx: 5, dial: '55', broadband: [177, 179, 186, 187, 189, 191, 200], mobile4: [177, 191], mobile6: ['2804:14c', '2804:18'], mailDomains: ['uol.com.br', 'bol.com.br', 'hotmail.com'] },
  { code: 'IN', tz: 5.5, share: 10, currency: 'INR', fx: 83, dial: '91', broadband: [49, 59, 106, 117, 122, 182], mobile4: [157, 106, 223], mobile6: ['2409:40', '2401:4900'], mailDomains: ['rediffmail.com', 'yahoo.co.in'] },
  { code: 'GB', tz: 0, share: 7, currency: 'GBP', fx: 0.79, dial: '44', broadband: [81, 86, 90, 92, 109], mobile4: [31, 82, 92], mobile6: ['2a01:4c8', '2a00:23c5'], mailDomains: ['btinternet.com', 'sky.com', 'yahoo.co.uk'] },
  { code: 'DE', tz: 1, share: 6, currency: 'EUR', fx: 0.92, dial: '49', broadband: [79, 84, 87, 91, 93, 217], mobile4: [80, 109], mobile6: ['2a01:598', '2a02:3032'], mailDomains: ['gmx.de', 'web.de', 't-online.de'] },
  { code: 'FR', tz: 1, share: 5, currency: 'EUR', fx: 0.92, dial: '33', broadband: [82, 83, 86, 90, 176], mobile4: [37, 92], mobile6: ['2a01:cb', '2a04:cec0'], mailDomains: ['orange.fr', 'free.fr', 'laposte.net'] },
  { code: 'JP', tz: 9, share: 6, currency: 'JPY', fx: 150, dial: '81', broadband: [60, 61, 114, 118, 126, 153], mobile4: [1, 49, 126], mobile6: ['2400:4050', '240b:10'], mailDomains: ['yahoo.co.jp', 'docomo.ne.jp'] },
  { code: 'KR', tz: 9, share: 3, currency: 'KRW', fx: 1330, dial: '82', broadband: [110, 112, 121, 175, 211], mobile4: [39, 223], mobile6: ['2001:2d8', '2001:e60'], mailDomains: ['naver.com', 'daum.net', 'hanmail.net'] },
  { code: 'ID', tz: 7, share: 6, currency: 'IDR', fx: 15600, dial: '62', broadband: [36, 110, 114, 125], mobile4: [114, 182], mobile6: ['2001:448a'], mailDomains: ['yahoo.co.id'] },
  { code: 'MX', tz: -6, share: 5, currency: 'MXN', fx: 17, dial: '52', broadband: [177, 187, 189, 201], mobile4: [189, 201], mobile6: ['2806:10a6', '2806:2f0'], mailDomains: ['hotmail.com', 'prodigy.net.mx'] },
  { code: 'PH', tz: 8, share: 4, currency: 'PHP', fx: 56, dial: '63', broadband: [49, 112, 119, 120], mobile4: [110, 175], mobile6: ['2001:4451'], mailDomains: ['yahoo.com'] },
  { code: 'NG', tz: 1, share: 3, currency: 'NGN', fx: 1500, dial: '234', broadband: [41, 102, 105, 197], mobile4: [102, 105, 197], mobile6: ['2c0f:f5c0'], mailDomains: ['yahoo.com'] },
  { code: 'TR', tz: 3, share: 3, currency: 'TRY', fx: 30, dial: '90', broadband: [78, 85, 88, 176], mobile4: [31, 46], mobile6: ['2a02:e0'], mailDomains: ['hotmail.com', 'yandex.com'] },
  { code: 'ES', tz: 1, share: 3, currency: 'EUR', fx: 0.92, dial: '34', broadband: [79, 80, 83, 88, 95], mobile4: [37, 88], mobile6: ['2a0c:5a80'], mailDomains: ['hotmail.es', 'yahoo.es'] },
  { code: 'CA', tz: -5, share: 3, currency: 'CAD', fx: 1.35, dial: '1', broadband: [24, 70, 99, 142, 174], mobile4: [70, 142], mobile6: ['2605:8d80'], mailDomains: ['rogers.com', 'shaw.ca'] },
  { code: 'VN', tz: 7, share: 3, currency: 'VND', fx: 24500, dial: '84', broadband: [14, 27, 42, 113, 171], mobile4: [27, 171], mobile6: ['2402:800'], mailDomains: ['yahoo.com.vn'] },
];
export const COUNTRY_SHARES = COUNTRIES.map((c) => c.share);

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'IDR', 'VND', 'NGN']);
export function money(usd: number, c: Country): number {
  const v = usd * c.fx;
  return ZERO_DECIMAL.has(c.currency) ? Math.max(1, Math.round(v)) : Math.round(v * 100) / 100;
}

// ---- IP addresses ----
const oct = (rng: Rng) => rng.range(1, 254);

export function broadbandIp(rng: Rng, c: Country): string {
  return flat(`${rng.pick(c.broadband)}.${rng.int(256)}.${rng.int(256)}.${oct(rng)}`);
}

/** A carrier-grade NAT egress address: one of these is shared by hundreds of phones. */
export function carrierNatIp(rng: Rng, c: Country): string {
  return flat(`${rng.pick(c.mobile4)}.${rng.int(256)}.${rng.int(256)}.${oct(rng)}`);
}

function hex16(rng: Rng): string {
  return rng.int(65536).toString(16);
}

/** Mobile IPv6: a per-device /64 under the carrier prefix. */
export function mobileIp6(rng: Rng, c: Country): string {
  return `${rng.pick(c.mobile6)}:${hex16(rng)}:${hex16(rng)}:${hex16(rng)}:${hex16(rng)}:${hex16(rng)}:${hex16(rng)}`;
}

/** Cloud and hosting ranges (AWS, GCP, DigitalOcean, Vultr, OVH, Hetzner): scripts, partners and VPNs live here. */
const DATACENTER: readonly (readonly [number, number])[] = [
  [3, -1], [13, 52], [18, -1], [34, -1], [35, -1], [52, -1], [54, -1], [104, 131], [138, 197], [142, 93],
  [159, 65], [159, 203], [161, 35], [164, 90], [165, 22], [167, 71], [167, 99], [178, 62], [188, 166],
  [206, 189], [45, 32], [45, 63], [45, 77], [66, 42], [108, 61], [149, 28], [51, 68], [51, 75], [51, 89],
  [137, 74], [147, 135], [5, 9], [88, 198], [95, 216], [116, 202], [135, 181], [157, 90], [168, 119],
];
export function datacenterIp(rng: Rng): string {
  const [a, b] = rng.pick(DATACENTER);
  return `${a}.${b < 0 ? rng.int(256) : b}.${rng.int(256)}.${oct(rng)}`;
}

/** Commercial VPN exits (M247, Datacamp, etc. ranges). */
const VPN: readonly (readonly [number, number])[] = [[37, 120], [89, 187], [185, 156], [185, 212], [193, 176], [194, 110], [146, 70], [156, 146], [212, 102], [103, 108]];
export function vpnIp(rng: Rng): string {
  const [a, b] = rng.pick(VPN);
  return `${a}.${b}.${rng.int(256)}.${oct(rng)}`;
}

/** Residential proxy exits look like ordinary broadband in random countries. */
export function residentialProxyIp(rng: Rng): string {
  return broadbandIp(rng, rng.pick(COUNTRIES));
}

/** Another address in the same /24 (neighbouring DHCP lease, same proxy subnet). */
export function sameSubnet(ip: string, rng: Rng): string {
  if (ip.includes(':')) return ip.slice(0, ip.lastIndexOf(':') + 1) + hex16(rng);
  return ip.slice(0, ip.lastIndexOf('.') + 1) + oct(rng);
}

// ---- names and e-mails ----
export const FIRST = ['james', 'maria', 'john', 'anna', 'david', 'sofia', 'michael', 'laura', 'daniel', 'emma', 'lucas', 'olivia', 'mateo', 'ana', 'rahul', 'priya', 'arjun', 'neha', 'kenji', 'yuki', 'haruto', 'sakura', 'minjun', 'jiwoo', 'budi', 'siti', 'ahmed', 'fatima', 'chinedu', 'amaka', 'mehmet', 'elif', 'pierre', 'camille', 'lukas', 'lea', 'carlos', 'lucia', 'jose', 'juan', 'nguyen', 'linh', 'mark', 'jessica', 'chris', 'sarah', 'kevin', 'ashley', 'ryan', 'megan', 'tom', 'chloe', 'ben', 'grace', 'alex', 'sam', 'jordan', 'taylor', 'miguel', 'gabriel'];
export const LAST = ['smith', 'johnson', 'williams', 'brown', 'garcia', 'martinez', 'silva', 'santos', 'oliveira', 'sharma', 'patel', 'singh', 'kumar', 'tanaka', 'suzuki', 'sato', 'kim', 'lee', 'park', 'wijaya', 'santoso', 'okafor', 'adeyemi', 'yilmaz', 'kaya', 'martin', 'bernard', 'muller', 'schmidt', 'fischer', 'lopez', 'gonzalez', 'hernandez', 'tran', 'pham', 'reyes', 'cruz', 'wilson', 'taylor', 'davies', 'evans', 'thomas', 'roberts', 'walker', 'wright', 'green', 'hall', 'young', 'allen', 'king', 'scott', 'moore', 'clark', 'lewis', 'robinson', 'white', 'harris', 'jackson', 'thompson', 'anderson'];
const GLOBAL_MAIL = ['gmail.com', 'gmail.com', 'gmail.com', 'gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'icloud.com', 'proton.me'];
export const DISPOSABLE_DOMAINS = ['mailinator.com', 'guerrillamail.com', '10minutemail.com', 'yopmail.com', 'temp-mail.org', 'trashmail.com', 'sharklasers.com', 'getnada.com', 'dispostable.com', 'maildrop.cc', 'tempmail.plus', 'emailondeck.com', 'mohmal.com', 'throwawaymail.com', '1secmail.com', 'mintemail.com'];

export interface Person { first: string; last: string; birthYear: number }

export function person(rng: Rng): Person {
  return { first: rng.pick(FIRST), last: rng.pick(LAST), birthYear: rng.range(1958, 2008) };
}

/** An ordinary mailbox; a few honest users add a +tag, as Gmail allows. */
export function honestEmail(rng: Rng, p: Person, c: Country): string {
  const domain = rng.chance(0.22) ? rng.pick(c.mailDomains) : rng.pick(GLOBAL_MAIL);
  const yy = String(p.birthYear % 100).padStart(2, '0');
  let local: string;
  switch (rng.int(8)) {
    case 0: local = `${p.first}.${p.last}`; break;
    case 1: local = `${p.first}${p.last}`; break;
    case 2: local = `${p.first}_${p.last}${yy}`; break;
    case 3: local = `${p.first[0]}${p.last}${rng.range(1, 99)}`; break;
    case 4: local = `${p.first}.${p.last}${p.birthYear}`; break;
    case 5: local = `${p.first}${rng.range(100, 9999)}`; break;
    case 6: local = `${p.last}.${p.first}${yy}`; break;
    default: local = `${p.first}${p.last[0]}${rng.range(10, 999)}`;
  }
  if (rng.chance(0.15)) local = local[0]!.toUpperCase() + local.slice(1);
  if (domain === 'gmail.com' && rng.chance(0.04)) local += `+${rng.pick(['shop', 'news', 'social', 'promo', 'x'])}`;
  return `${local}@${domain}`;
}

/** Gmail ignores dots and +tags: one inbox, many "different" addresses. */
export function gmailVariant(rng: Rng, local: string, i: number): string {
  const bare = local.replace(/\./g, '');
  switch (i % 4) {
    case 0: return `${bare}+${rng.pick(['a', 'b', 'promo', 'deal', ''])}${i}@gmail.com`;
    case 1: {
      const cut = 1 + rng.int(Math.max(1, bare.length - 1));
      return `${bare.slice(0, cut)}.${bare.slice(cut)}@gmail.com`;
    }
    case 2: return `${bare.split('').join(i % 3 === 0 ? '.' : '')}@googlemail.com`;
    default: return `${bare.toUpperCase().slice(0, 1)}${bare.slice(1)}+${i}@gmail.com`;
  }
}

/** Throwaway mailbox of a scripted registration: random or templated local part. */
export function disposableEmail(rng: Rng, template: number, i: number): string {
  const domain = rng.pick(DISPOSABLE_DOMAINS);
  switch (template % 3) {
    case 0: return `${rng.hex(10)}@${domain}`;
    case 1: return `${rng.pick(FIRST)}${rng.pick(LAST)}${rng.range(1000, 9999)}@${domain}`;
    default: return `user${1000 + i}${rng.hex(3)}@${domain}`;
  }
}

/** Scripted but non-disposable: random-looking local parts on big free providers. */
export function botFreemail(rng: Rng, i: number): string {
  const p = rng.pick(FIRST);
  return rng.chance(0.5) ? `${p}${rng.pick(LAST)}${rng.range(10000, 99999)}@gmail.com` : `${p}.${rng.hex(5)}${i % 100}@${rng.pick(['outlook.com', 'hotmail.com', 'yahoo.com'])}`;
}

// ---- phones ----
function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
}

/** A phone number typed the way people type them: E.164, national, spaced, dashed. */
export function phone(rng: Rng, c: Country, national?: string): string {
  const n = national ?? (c.dial === '1' ? `${rng.range(201, 989)}${rng.range(200, 999)}${digits(rng, 4)}` : `${rng.range(6, 9)}${digits(rng, 9)}`);
  return formatPhone(rng.int(4), c, n);
}

export function formatPhone(style: number, c: Country, n: string): string {
  if (c.dial === '1') {
    const [a, b, d] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
    return [`+1 ${a}-${b}-${d}`, `(${a}) ${b}-${d}`, n, `+1${n}`][style]!;
  }
  return [`+${c.dial} ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `0${n}`, `+${c.dial}${n}`, `0${n.slice(0, 3)} ${n.slice(3)}`][style]!;
}

// ---- user agents ----
export function appUserAgent(rng: Rng, ios: boolean): string {
  const v = `9.${rng.range(8, 14)}.${rng.int(4)}`;
  return ios
    ? `ShopSocial/${v} (iPhone${rng.range(12, 16)},${rng.range(1, 5)}; iOS 17.${rng.int(4)}; Scale/3.00)`
    : `ShopSocial/${v} (Linux; Android ${rng.range(11, 14)}; ${rng.pick(['SM-S918B', 'SM-A546E', 'Pixel 7', 'Pixel 8', 'M2101K6G', 'CPH2487', 'V2250', 'RMX3630', '22111317G'])})`;
}

export function browserUserAgent(rng: Rng): string {
  const chrome = `${rng.range(118, 121)}.0.${rng.range(5900, 6200)}.${rng.range(50, 230)}`;
  switch (rng.int(5)) {
    case 0: return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36`;
    case 1: return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${rng.int(3)} Safari/605.1.15`;
    case 2: return `Mozilla/5.0 (Linux; Android ${rng.range(10, 14)}; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Mobile Safari/537.36`;
    case 3: return `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${rng.int(3)} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${rng.int(3)} Mobile/15E148 Safari/604.1`;
    default: return `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${rng.range(119, 122)}.0) Gecko/20100101 Firefox/${rng.range(119, 122)}.0`;
  }
}

export const SCRIPTED_USER_AGENTS = [
  'python-requests/2.31.0',
  'okhttp/4.9.3',
  'Dalvik/2.1.0 (Linux; U; Android 9; SM-G960F Build/PPR1.180610.011)',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.6045.105 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 7.1.2; SM-G955N Build/NRD90M; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/75.0.3770.143 Mobile Safari/537.36',
  'Go-http-client/2.0',
  'curl/8.4.0',
];

// ---- cards ----
const BINS = ['414720', '426684', '431940', '453275', '476173', '489537', '410039', '465946', '510510', '522223', '542418', '545454', '531260', '559666', '371449', '378282', '601100', '356600'];

/** A Luhn-valid card number with a plausible issuer prefix. */
export function cardNumber(rng: Rng): string {
  const bin = rng.pick(BINS);
  const len = bin.startsWith('3') && bin[1] === '7' ? 15 : 16;
  const body = bin + digits(rng, len - bin.length - 1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return flat(body + String((10 - (sum % 10)) % 10));
}

// ---- addresses ----
const STREETS = ['Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Main', 'Sunset', 'River', 'Church', 'Mill', 'Highland', 'Victoria', 'Station', 'Bahnhof', 'Linden', 'Garden'];
const SUFFIX: readonly (readonly [string, string])[] = [['Street', 'St'], ['Avenue', 'Ave'], ['Road', 'Rd'], ['Drive', 'Dr'], ['Lane', 'Ln'], ['Boulevard', 'Blvd']];
const CITIES: Record<string, readonly string[]> = {
  US: ['Springfield, IL 62704', 'Austin, TX 78701', 'Columbus, OH 43215', 'Fresno, CA 93721', 'Tampa, FL 33602', 'Newark, NJ 07102'],
  GB: ['Leeds LS1 4AP', 'Bristol BS1 5TR', 'Manchester M1 1AE'],
  DE: ['10115 Berlin', '80331 München', '50667 Köln'],
  FR: ['75011 Paris', '69002 Lyon', '13001 Marseille'],
  BR: ['São Paulo - SP, 01310-100', 'Rio de Janeiro - RJ, 20040-020'],
  IN: ['Mumbai 400001', 'Bengaluru 560001', 'Delhi 110001'],
  JP: ['Tokyo 150-0002', 'Osaka 530-0001'],
};

export interface PostalAddress { num: number; street: string; suffix: number; unit: string; city: string; country: string }

export function postalAddress(rng: Rng, c: Country): PostalAddress {
  const cities = CITIES[c.code] ?? [`${rng.pick(['Central', 'North', 'Old Town', 'Riverside'])} ${rng.range(10000, 99999)}`];
  return {
    num: rng.range(1, 4999), street: rng.pick(STREETS), suffix: rng.int(SUFFIX.length),
    unit: rng.chance(0.4) ? `${rng.range(1, 40)}${rng.pick(['', 'A', 'B', 'C'])}` : '', city: rng.pick(cities), country: c.code,
  };
}

/** Style 0 is how most people type it; other styles are the variations abusers use to dodge exact matching. */
export function formatAddress(a: PostalAddress, style = 0): string {
  return flat(addressText(a, style));
}

function addressText(a: PostalAddress, style: number): string {
  const [long, short] = SUFFIX[a.suffix]!;
  switch (style % 4) {
    case 0: return `${a.num} ${a.street} ${long}${a.unit ? `, Apt ${a.unit}` : ''}, ${a.city}, ${a.country}`;
    case 1: return `${a.num} ${a.street} ${short}${a.unit ? ` #${a.unit}` : ''}, ${a.city}, ${a.country}`;
    case 2: return `${a.num} ${a.street.toLowerCase()} ${short.toLowerCase()}.${a.unit ? ` unit ${a.unit.toLowerCase()}` : ''} ${a.city.toLowerCase()} ${a.country}`;
    default: return `${a.num} ${a.street} ${long}${a.unit ? ` Apartment ${a.unit}` : ''} ${a.city} ${a.country}`;
  }
}

// ---- text ----
export const HONEST_COMMENTS = ['love this!', 'haha so true', 'where did you get that jacket?', '🔥🔥🔥', 'first time watching, subscribed', 'this recipe saved my dinner', 'can you do a tutorial on the lighting?', 'the ending 😂', 'underrated', 'how long did this take you?', 'my cat does the exact same thing', 'song name pls', 'you deserve more followers', 'I tried this and it worked', 'not the plot twist lol', 'this is so relaxing', 'wait what', 'agree 100%', 'which camera do you use?', 'miss these old videos'];
export const HONEST_LINK_COMMENTS: readonly (readonly [string, string])[] = [['full version here youtube.com/watch?v=dQw4w9WgXcQ', 'youtube.com'], ['got mine at amazon.com/dp/B0C1234XYZ', 'amazon.com'], ['recipe: allrecipes.com/recipe/23600', 'allrecipes.com'], ['source: en.wikipedia.org/wiki/Octopus', 'wikipedia.org'], ['my shop is on etsy.com/shop/handmadebyme', 'etsy.com']];
export const HONEST_MESSAGES = ['hey are you coming tonight?', 'lol', 'did you see this?', 'ok see you at 7', 'thanks!!', 'can you send me the pic', 'happy birthday!! 🎉', 'call me when you can', 'haha yes', 'is the item still available?', 'what time does it start', 'omw', 'sounds good', 'love you mom', 'did you finish the assignment?', 'check out this video', 'sorry, running late'];
export const REVIEW_TEXT: Record<number, readonly string[]> = {
  5: ['Great quality, fast shipping.', 'Exactly as described, would buy again.', 'Love it! My daughter uses it every day.', 'Excellent value for the price.', 'Perfect fit.'],
  4: ['Good product, packaging could be better.', 'Works well, a bit smaller than expected.', 'Nice, but delivery took a week.'],
  3: ['It is ok for the price.', 'Average quality, does the job.', 'Colour differs from the photos.'],
  2: ['Stopped working after two weeks.', 'Not as described.', 'Poor stitching, returned it.'],
  1: ['Never arrived.', 'Broke on first use. Seller did not reply.', 'Fake, do not buy.'],
};
