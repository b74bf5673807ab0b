// The event catalogue as data: every event type the simulator emits, its fields, their types, and which are personal data.

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'string[]';

/** Entity kinds an event field can name; also the prefixes used in entity labels ("account:u…"). */
export type EntityType =
  | 'account' | 'device' | 'ip' | 'email' | 'phone' | 'card' | 'address' | 'seller' | 'product'
  | 'content' | 'coupon' | 'room' | 'api_key' | 'domain' | 'order';

export interface FieldSpec {
  readonly type: FieldType;
  readonly optional?: boolean;
  /** Personal data: pseudonymised by the platform at ingestion. */
  readonly personal?: boolean;
  /** The entity this field identifies, when it identifies one. */
  readonly entity?: EntityType;
  /** Closed set of allowed values (strings) for enum-like fields. */
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly doc: string;
}

export interface EventSpec {
  readonly doc: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** Fields every event carries. */
export const EVENT_ENVELOPE: Readonly<Record<'id' | 'type' | 'ts', FieldSpec>> = {
  id: { type: 'string', doc: 'Unique event id; the platform decides idempotently by it.' },
  type: { type: 'string', doc: 'Event type, one of the catalogue keys.' },
  ts: { type: 'integer', doc: 'Event time, epoch milliseconds (UTC).' },
};

const account: FieldSpec = { type: 'string', entity: 'account', doc: 'Acting account.' };
const device: FieldSpec = { type: 'string', entity: 'device', doc: 'Device fingerprint id.' };
const ip: FieldSpec = { type: 'string', entity: 'ip', personal: true, doc: 'Client IP address (IPv4 dotted or IPv6).' };
const content: FieldSpec = { type: 'string', entity: 'content', doc: 'Content item (video, post, stream clip).' };
const creator: FieldSpec = { type: 'string', entity: 'account', doc: 'Account that owns the content.' };
const text: FieldSpec = { type: 'string', doc: 'Free text as written by the user.' };
const linkDomains: FieldSpec = { type: 'string[]', entity: 'domain', doc: 'Registrable domains of links found in the text (empty when none).' };
const card: FieldSpec = { type: 'string', entity: 'card', personal: true, doc: 'Payment card number (PAN, digits only).' };
const address: FieldSpec = { type: 'string', entity: 'address', personal: true, doc: 'Shipping address as typed (one line).' };

export const EVENT_CATALOGUE = {
  signup: {
    doc: 'A new account is registered. Accounts that existed before the data starts never have one.',
    fields: {
      account,
      device,
      ip,
      email: { type: 'string', entity: 'email', personal: true, doc: 'E-mail as typed (case, dots and +tags preserved).' },
      phone: { type: 'string', entity: 'phone', personal: true, optional: true, doc: 'Phone number as typed, mixed formats.' },
      country: { type: 'string', doc: 'ISO 3166-1 alpha-2 country the user selected.' },
      user_agent: { type: 'string', doc: 'HTTP User-Agent of the registering client.' },
      declared_age: { type: 'integer', optional: true, min: 0, max: 120, doc: 'Age the user declared at the age gate.' },
      referrer: { type: 'string', entity: 'account', optional: true, doc: 'Account whose invite link was used.' },
    },
  },
  login: {
    doc: 'A login attempt, successful or not.',
    fields: {
      account: { ...account, doc: 'Account the attempt is for (may not exist when credentials are guessed).' },
      device,
      ip,
      success: { type: 'boolean', doc: 'Whether the credentials were accepted.' },
      method: { type: 'string', values: ['password', 'sso', 'otp'], doc: 'Authentication method.' },
    },
  },
  profile_change: {
    doc: 'A change to a sensitive account attribute (the new value is not carried).',
    fields: {
      account,
      device,
      ip,
      field: { type: 'string', values: ['email', 'phone', 'password', 'payout', 'name'], doc: 'Attribute that changed.' },
    },
  },
  follow: {
    doc: 'An account follows another.',
    fields: { account, target: { type: 'string', entity: 'account', doc: 'Followed account.' }, device, ip },
  },
  like: {
    doc: 'A like on a content item.',
    fields: { account, content, creator, device, ip },
  },
  view: {
    doc: 'A view of a content item.',
    fields: {
      account, content, creator, device, ip,
      watch_ms: { type: 'integer', optional: true, min: 0, doc: 'Watch time in milliseconds, when the player reported it.' },
    },
  },
  comment: {
    doc: 'A public comment on a content item.',
    fields: { account, content, creator, device, ip, text, link_domains: linkDomains },
  },
  message: {
    doc: 'A direct message to another account.',
    fields: { account, target: { type: 'string', entity: 'account', doc: 'Recipient account.' }, device, ip, text, link_domains: linkDomains },
  },
  order: {
    doc: 'A purchase (checkout accepted by the payment step).',
    fields: {
      account,
      seller: { type: 'string', entity: 'seller', doc: 'Selling merchant.' },
      product: { type: 'string', entity: 'product', doc: 'Product bought.' },
      quantity: { type: 'integer', min: 1, doc: 'Units bought.' },
      amount: { type: 'number', min: 0, doc: 'Total charged, in `currency` units (2 decimals; 0 for JPY/KRW).' },
      currency: { type: 'string', doc: 'ISO 4217 currency code.' },
      coupon: { type: 'string', entity: 'coupon', optional: true, doc: 'Coupon code applied.' },
      card,
      address,
      device,
      ip,
    },
  },
  review: {
    doc: 'A product review.',
    fields: {
      account,
      product: { type: 'string', entity: 'product', doc: 'Reviewed product.' },
      seller: { type: 'string', entity: 'seller', doc: 'Merchant selling the product.' },
      rating: { type: 'integer', min: 1, max: 5, doc: 'Stars, 1 to 5.' },
      text,
      order_id: { type: 'string', entity: 'order', optional: true, doc: 'Id of the `order` event this review is for (verified purchase).' },
    },
  },
  coupon_redeem: {
    doc: 'A coupon code is applied to an account or cart.',
    fields: {
      account,
      coupon: { type: 'string', entity: 'coupon', doc: 'Coupon code.' },
      device,
      ip,
      card: { ...card, optional: true },
      address: { ...address, optional: true },
    },
  },
  referral: {
    doc: 'A referral is credited: the referee signed up through the referrer\'s invite.',
    fields: {
      referrer: { type: 'string', entity: 'account', doc: 'Inviting account (earns the reward).' },
      referee: { type: 'string', entity: 'account', doc: 'Newly registered account.' },
      device: { ...device, doc: 'Device of the referee at signup.' },
      ip: { ...ip, doc: 'IP of the referee at signup.' },
    },
  },
  gift: {
    doc: 'A paid virtual gift sent in a live room.',
    fields: {
      account,
      room: { type: 'string', entity: 'room', doc: 'Live room (one broadcast of a creator).' },
      creator: { ...creator, doc: 'Broadcasting account receiving the gift.' },
      amount: { type: 'number', min: 0, doc: 'Value charged, USD.' },
      card,
      device,
      ip,
    },
  },
  api_call: {
    doc: 'A call to the public API (partners, third-party clients, scripts).',
    fields: {
      account: { ...account, optional: true, doc: 'Account of the access token, when the call is authenticated as a user.' },
      api_key: { type: 'string', entity: 'api_key', optional: true, doc: 'Developer API key, when one was sent.' },
      ip,
      device: { ...device, optional: true },
      endpoint: { type: 'string', doc: 'Route template, e.g. "GET /v1/users/:id".' },
      status: { type: 'integer', min: 100, max: 599, doc: 'HTTP status returned.' },
    },
  },
} as const satisfies Record<string, EventSpec>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

export const CAMPAIGN_KINDS = [
  'fake_accounts', 'account_takeover', 'click_farm', 'spam', 'scraping', 'referral_abuse',
  'coupon_abuse', 'scalping', 'brushing', 'gift_fraud', 'ban_evasion', 'underage',
] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const SCENARIOS = ['default', 'benign', ...CAMPAIGN_KINDS] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** An event as emitted: flat JSON object. */
export interface SimEvent {
  id: string;
  type: EventType;
  ts: number;
  [field: string]: unknown;
}

export type Role = 'attacker' | 'victim';

/** Ground truth for one attack event. `stage` says which step of a multi-step campaign it is. */
export interface EventLabel {
  event: string;
  campaign: string;
  kind: CampaignKind;
  stage?: string;
}

/** Ground truth for one entity an attack controls or harms, e.g. "account:u0x91…". */
export interface EntityLabel {
  entity: string;
  campaign: string;
  kind: CampaignKind;
  role: Role;
}

export type Label = EventLabel | EntityLabel;

/** Checks one event against the catalogue; returns problems (empty when it conforms). */
export function checkEvent(ev: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const spec = (EVENT_CATALOGUE as Record<string, EventSpec>)[ev['type'] as string];
  if (!spec) return [`unknown type ${String(ev['type'])}`];
  if (typeof ev['id'] !== 'string' || ev['id'] === '') problems.push('id must be a non-empty string');
  if (!Number.isInteger(ev['ts'])) problems.push('ts must be an integer');
  for (const key of Object.keys(ev)) {
    if (key === 'id' || key === 'type' || key === 'ts') continue;
    if (!(key in spec.fields)) problems.push(`unknown field ${key}`);
  }
  for (const [name, f] of Object.entries(spec.fields)) {
    const v = ev[name];
    if (v === undefined) {
      if (!f.optional) problems.push(`missing ${name}`);
      continue;
    }
    const ok =
      f.type === 'string' ? typeof v === 'string' && v !== '' :
      f.type === 'number' ? typeof v === 'number' && Number.isFinite(v) :
      f.type === 'integer' ? Number.isInteger(v) :
      f.type === 'boolean' ? typeof v === 'boolean' :
      Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!ok) { problems.push(`${name} is not ${f.type}`); continue; }
    if (f.values && !f.values.includes(v as string)) problems.push(`${name}=${String(v)} not in ${f.values.join('|')}`);
    if (f.min !== undefined && (v as number) < f.min) problems.push(`${name} below ${f.min}`);
    if (f.max !== undefined && (v as number) > f.max) problems.push(`${name} above ${f.max}`);
  }
  return problems;
}
