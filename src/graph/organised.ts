// Organised-abuse detection on a GraphFeed: runs the ring, lockstep and succession detectors and names each group
// after the abuse it looks like (click farm, brushing ring, coupon household, ban evasion) with its evidence.
import { buildBipartite, type Bipartite } from './csr.ts';
import { GraphFeed } from './feed.ts';
import { findRings } from './rings.ts';
import { detectLockstep, type LockstepGroup } from './lockstep.ts';
import type { EntityRef } from './types.ts';
import { round } from './types.ts';
import { UnionFind } from './union-find.ts';

export type OrganisedKind = 'click_farm' | 'brushing' | 'coupon_abuse' | 'ban_evasion' | 'linked_ring';

/** One detected group as stored, shown in a case and published as signals. */
export interface GraphGroup {
  /** stable across runs while the membership stays the same: detector + hash of sorted members */
  id: string;
  detector: 'engagement-lockstep' | 'seller-rings' | 'coupon-households' | 'ban-evasion' | 'linked-rings';
  kind: OrganisedKind;
  accounts: string[];
  /** what the group acted on or shares: content, sellers, coupons, identifiers */
  objects: EntityRef[];
  size: number;
  score: number;
  explanation: string;
  evidence: Record<string, unknown>;
  /** wall-clock time of the run (ms) and the event time the data reached */
  detectedAt: number;
  dataUntil: number;
}

export interface OrganisedOptions {
  /** lockstep time bucket; default 30 minutes */
  lockstepBucket?: number;
  /** second, wider lockstep bucket for slow farms; default 4 × lockstepBucket */
  lockstepWideBucket?: number;
  /** Jaccard two accounts need over their (content, bucket) sets; default 0.4 */
  lockstepSimilarity?: number;
  /** smallest lockstep group reported; default 5 */
  minLockstep?: number;
  /** smallest coupon household; default 4 */
  minHousehold?: number;
  /** smallest brushing ring (linked buyers of one seller); default 5 */
  minBrushing?: number;
  /** silence between an account's last action and its successor's signup for ban evasion; default 1 hour */
  evasionGap?: number;
  /** behaviour overlap (message recipients, link domains) a successor needs; default 0.2 */
  evasionSimilarity?: number;
  /** generic linked rings of at least this size are reported too; default 3 */
  minRing?: number;
  /** wall clock for detectedAt (tests pass a fixed one) */
  now?: number;
}

export interface OrganisedResult {
  groups: GraphGroup[];
  seconds: Record<string, number>;
}

const RING_IDENTIFIERS = ['device', 'card', 'address', 'email'];

export function detectOrganised(feed: GraphFeed, options: OrganisedOptions = {}): OrganisedResult {
  const now = options.now ?? Date.now();
  const until = feed.newest;
  const seconds: Record<string, number> = {};
  const time = <T>(label: string, fn: () => T): T => {
    const t = performance.now();
    const v = fn();
    seconds[label] = round((performance.now() - t) / 1000, 3);
    return v;
  };
  const groups: GraphGroup[] = [];
  const push = (g: Omit<GraphGroup, 'id' | 'detectedAt' | 'dataUntil' | 'size'>): void => {
    const accounts = [...new Set(g.accounts)].sort();
    groups.push({ ...g, accounts, size: accounts.length, id: `${g.detector}:${hashIds(accounts)}`, detectedAt: now, dataUntil: until });
  };
  const A = feed.accounts.size;
  const byAccount = (channel: Parameters<GraphFeed['actions']>[0]): Bipartite => {
    const x = feed.actions(channel);
    return buildBipartite(A, feed.targets.size, x.account, x.target, x.length);
  };

  // 1. linked-account rings over strong identifiers (hubs excluded by the link graph's thresholds)
  const rings = time('rings', () => findRings(feed.graph, { identifierTypes: RING_IDENTIFIERS, minSize: 2, maxSize: 60 }));
  const ringOf = new Int32Array(A).fill(-1);
  rings.forEach((r, i) => { for (const m of r.members) { const a = feed.accounts.get(m.id); if (a !== undefined) ringOf[a] = i; } });
  const ringAccounts = (i: number): number[] => rings[i]!.members.map((m) => feed.accounts.get(m.id)).filter((a): a is number => a !== undefined);
  const claimed = new Uint8Array(rings.length);

  // 2. brushing: a seller most of whose buyers are linked to one another through devices, cards, e-mails
  time('brushing', () => {
    const orders = byAccount('order');
    const reviews = byAccount('review');
    const reviewed = (a: number, seller: number): boolean => {
      for (let e = reviews.rowOffsets[a]!; e < reviews.rowOffsets[a + 1]!; e++) if (reviews.rowTargets[e] === seller) return true;
      return false;
    };
    const minB = options.minBrushing ?? 5;
    for (let s = 0; s < orders.cols; s++) {
      const buyers = orders.colOffsets[s + 1]! - orders.colOffsets[s]!;
      if (buyers < minB) continue;
      const ringBuyers = new Map<number, number>();
      for (let k = orders.colOffsets[s]!; k < orders.colOffsets[s + 1]!; k++) {
        const r = ringOf[orders.colTargets[k]!]!;
        if (r >= 0) ringBuyers.set(r, (ringBuyers.get(r) ?? 0) + 1);
      }
      // only rings where two or more members bought here count as linked buyers of this seller
      let linked = 0;
      const used: number[] = [];
      for (const [r, n] of ringBuyers) if (n >= 2) { linked += n; used.push(r); }
      if (linked < minB || linked < 0.5 * buyers) continue;
      // brushed orders come back as reviews of the seller; scalpers pooling cards at a drop leave none
      let reviewers = 0;
      for (const r of used) for (const a of ringAccounts(r)) if (reviewed(a, s)) reviewers++;
      if (reviewers < 0.5 * linked) continue;
      const accounts = used.flatMap((r) => rings[r]!.members.map((m) => m.id));
      for (const r of used) claimed[r] = 1;
      const shared = used.flatMap((r) => rings[r]!.evidence.sharedIdentifiers.slice(0, 5).map(({ type, id }) => ({ type, id })));
      const seller = feed.targets.ids[s]!.slice('seller:'.length);
      push({
        detector: 'seller-rings', kind: 'brushing', accounts,
        objects: [{ type: 'seller', id: seller }, ...shared],
        score: round(Math.log2(1 + linked) * (linked / buyers) * 2),
        explanation: `${linked} of the ${buyers} buyers of seller ${seller} are linked to each other through shared devices, cards or e-mails (${used.length} ring${used.length === 1 ? '' : 's'}, ${accounts.length} accounts): ${reviewers} of them reviewed the seller: a seller buying its own reviews`,
        evidence: { seller, buyers, linkedBuyers: linked, reviewers, rings: used.length, sharedIdentifiers: shared },
      });
    }
  });

  // 3. coupon households: a ring most of whose members redeemed the same coupon
  time('coupons', () => {
    const coupons = byAccount('coupon');
    const referrals = byAccount('referral');
    const minH = options.minHousehold ?? 4;
    for (let i = 0; i < rings.length; i++) {
      const r = rings[i]!;
      if (claimed[i] || r.size < minH) continue;
      const members = ringAccounts(i);
      const perCoupon = new Map<number, number>();
      let redeemers = 0, redemptions = 0;
      for (const a of members) {
        const n = coupons.rowOffsets[a + 1]! - coupons.rowOffsets[a]!;
        if (n > 0) redeemers++;
        redemptions += n;
        for (let e = coupons.rowOffsets[a]!; e < coupons.rowOffsets[a + 1]!; e++) perCoupon.set(coupons.rowTargets[e]!, (perCoupon.get(coupons.rowTargets[e]!) ?? 0) + 1);
      }
      let top = -1, topN = 0;
      for (const [c, n] of perCoupon) if (n > topN) { top = c; topN = n; }
      if (redeemers < 0.6 * members.length || topN < 0.5 * members.length) continue;
      // a ringleader inviting its own accounts redeems welcome coupons too, but that is referral abuse
      const byReferrer = new Map<number, number>();
      for (const a of members) for (let e = referrals.rowOffsets[a]!; e < referrals.rowOffsets[a + 1]!; e++) byReferrer.set(referrals.rowTargets[e]!, (byReferrer.get(referrals.rowTargets[e]!) ?? 0) + 1);
      const referred = Math.max(0, ...byReferrer.values());
      if (referred >= 0.3 * members.length) continue;
      claimed[i] = 1;
      const coupon = feed.targets.ids[top]!.slice('coupon:'.length);
      const shared = r.evidence.sharedIdentifiers.slice(0, 10).map(({ type, id, accounts }) => ({ type, id, accounts }));
      push({
        detector: 'coupon-households', kind: 'coupon_abuse', accounts: r.members.map((m) => m.id),
        objects: [{ type: 'coupon', id: coupon }, ...shared.map(({ type, id }) => ({ type, id }))],
        score: round(r.score * (redeemers / members.length)),
        explanation: `${members.length} linked accounts (${r.explanation.replace(/^\d+ accounts are linked through /, '')}) redeemed ${redemptions} coupons; ${topN} of them redeemed ${coupon}: one household farming per-account promotions`,
        evidence: { redeemers, redemptions, coupon, couponRedeemers: topN, sharedIdentifiers: shared, sharedCount: r.evidence.sharedCount },
      });
    }
  });

  // 4. click farms: lockstep on (content, time bucket), widened to the farm's phones and its customer
  time('lockstep', () => {
    const eng = feed.actions('engage');
    const width = options.lockstepBucket ?? 1_800_000;
    // two passes: jobs run by a fast farm fit a short window, a slow farm's job spreads over hours
    const wide = options.lockstepWideBucket ?? 4 * width;
    const passes = [width, wide].map((w) => detectLockstep({ accounts: A, length: eng.length, account: eng.account, target: eng.target, ts: eng.ts }, {
      bucketWidth: w, minActions: 3, similarity: options.lockstepSimilarity ?? 0.4, minGroupSize: options.minLockstep ?? 5,
      targetRef: (t) => ({ type: 'content', id: feed.targets.ids[t]!.slice('content:'.length) }),
    }));
    // the wide pass only extends groups the narrow pass found: on its own it also groups fans of a viral post
    const narrow = new Set(passes[0]!.groups.flatMap((g) => g.evidence.accounts));
    const extending = passes[1]!.groups.filter((g) => g.evidence.accounts.filter((a) => narrow.has(a)).length >= 2);
    const res = { groups: mergeOverlapping([...passes[0]!.groups, ...extending], true) };
    const engaged = buildBipartite(A, feed.targets.size, eng.account, eng.target, eng.length);
    const phones = identifierIndex(feed, 'device');
    const networks = identifierIndex(feed, 'ip');
    for (const gr of res.groups) {
      const members = new Set(gr.evidence.accounts);
      // the contents the group moved on together (done by at least half of it)
      const targets = new Set<string>(gr.evidence.sharedActions.map((s) => s.target.id));
      const targetIdx = new Set([...targets].map((c) => feed.targets.get(`content:${c}`)!));
      // accounts on the farm's phones that engaged the same contents joined the job less often than the rest
      const devices = new Set<number>(), ips = new Set<number>();
      for (const a of members) { for (const d of phones.colsOf(a)) devices.add(d); for (const d of networks.colsOf(a)) ips.add(d); }
      let widened = 0;
      const widen = (index: typeof phones, ids: Set<number>): void => {
        for (const d of ids) {
          for (const a of index.accountsOf(d)) {
            if (members.has(a)) continue;
            let hits = false;
            for (let e = engaged.rowOffsets[a]!; e < engaged.rowOffsets[a + 1]! && !hits; e++) hits = targetIdx.has(engaged.rowTargets[e]!);
            if (hits) { members.add(a); widened++; }
          }
        }
      };
      widen(phones, devices);
      widen(networks, ips);
      const customers = [...new Set([...targets].map((c) => feed.creatorOf.get(c)).filter((c): c is string => c !== undefined))];
      const accounts = [...[...members].map((a) => feed.accounts.ids[a]!), ...customers];
      push({
        detector: 'engagement-lockstep', kind: 'click_farm', accounts,
        objects: [...[...targets].map((id) => ({ type: 'content', id })), ...customers.map((id) => ({ type: 'creator', id }))],
        score: gr.score,
        explanation: `${gr.size} accounts engaged the same ${targets.size} content item${targets.size === 1 ? '' : 's'} in the same ${Math.round(width / 60_000)}-minute windows (mean Jaccard ${gr.evidence.meanSimilarity}); ` +
          `${widened} more on the same ${devices.size} phones and ${ips.size} IPs engaged them too; the content belongs to ${customers.join(', ')}, who bought the engagement`,
        evidence: { ...gr.evidence, accounts: undefined, lockstepMembers: gr.size, widened, devices: devices.size, ips: ips.size, customers },
      });
    }
  });

  // 5. ban evasion: a new account on the device or network of one that went silent, doing the same things
  time('evasion', () => {
    const { sets: behaviour, actions } = behaviourSets(feed);
    const minActions = 5;
    const times = feed.times();
    const gap = options.evasionGap ?? 3_600_000;
    const minSim = options.evasionSimilarity ?? 0.2;
    const uf = new UnionFind(A);
    const via = new Map<number, Set<string>>();
    const linked = new Uint8Array(A);
    for (const type of ['device', 'ip', 'prefix']) {
      const index = identifierIndex(feed, type);
      for (let c = 0; c < index.cols; c++) {
        const accts = index.accountsOf(c);
        if (accts.length < 2) continue;
        const id = index.name(c);
        for (const b of accts) {
          const sb = times.signup[b]!;
          if (Number.isNaN(sb) || actions[b]! < minActions) continue;
          for (const a of accts) {
            if (a === b || times.last[a]! + gap > sb || actions[a]! < minActions) continue;
            if (jaccard(behaviour[a]!, behaviour[b]!) < minSim) continue;
            uf.union(a, b);
            linked[a] = 1; linked[b] = 1;
            for (const x of [a, b]) { let s = via.get(x); if (!s) via.set(x, (s = new Set())); s.add(`${type}:${id}`); }
          }
        }
      }
    }
    const byRoot = new Map<number, number[]>();
    for (let a = 0; a < A; a++) if (linked[a]) { const r = uf.find(a); let l = byRoot.get(r); if (!l) byRoot.set(r, (l = [])); l.push(a); }
    for (const members of byRoot.values()) {
      members.sort((x, y) => times.first[x]! - times.first[y]!);
      const shared = new Map<string, number>();
      for (const a of members) for (const t of behaviour[a]!) shared.set(t, (shared.get(t) ?? 0) + 1);
      const common = [...shared.entries()].filter(([, n]) => n >= 2).sort((x, y) => y[1] - x[1]).slice(0, 10);
      const ids = [...new Set(members.flatMap((a) => [...(via.get(a) ?? [])]))].slice(0, 20);
      const silent = members.filter((a) => members.some((b) => b !== a && times.signup[b]! >= times.last[a]! + gap)).length;
      push({
        detector: 'ban-evasion', kind: 'ban_evasion', accounts: members.map((a) => feed.accounts.ids[a]!),
        objects: [...ids.map((s) => ({ type: s.slice(0, s.indexOf(':')), id: s.slice(s.indexOf(':') + 1) })), ...common.map(([t]) => ({ type: t.slice(0, t.indexOf(':')), id: t.slice(t.indexOf(':') + 1) }))],
        score: round(Math.log2(1 + members.length) * (1 + common.length / 10)),
        explanation: `${members.length} accounts follow one another on the same devices or networks (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}): ` +
          `${silent} went silent and a new account signed up there at least ${Math.round(gap / 60_000)} minutes later, messaging or linking the same ${common.length} targets (${common.slice(0, 3).map(([t]) => t).join(', ')})`,
        evidence: { via: ids, sharedTargets: common.map(([t, n]) => ({ target: t, accounts: n })), silent, firstSeen: members.map((a) => times.first[a]!) },
      });
    }
  });

  // 6. the remaining rings, generic: reported and published, not named after a campaign kind
  const minRing = options.minRing ?? 3;
  rings.forEach((r, i) => {
    if (claimed[i] || r.size < minRing) return;
    push({
      detector: 'linked-rings', kind: 'linked_ring', accounts: r.members.map((m) => m.id),
      objects: r.evidence.sharedIdentifiers.slice(0, 20).map(({ type, id }) => ({ type, id })),
      score: r.score, explanation: r.explanation,
      evidence: { sharedIdentifiers: r.evidence.sharedIdentifiers.slice(0, 20), sharedCount: r.evidence.sharedCount, componentSize: r.evidence.componentSize },
    });
  });
  groups.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
  return { groups, seconds };
}

/** Lockstep groups from several passes that share members become one (evidence of the largest kept, members united). */
function mergeOverlapping(groups: LockstepGroup[], byTarget: boolean): LockstepGroup[] {
  const uf = new UnionFind(groups.length);
  const owner = new Map<number | string, number>();
  const claim = (key: number | string, i: number): void => { const o = owner.get(key); if (o === undefined) owner.set(key, i); else uf.union(o, i); };
  groups.forEach((g, i) => {
    for (const a of g.evidence.accounts) claim(a, i);
    // two groups pushing the same content item are two shifts of one farm
    if (byTarget) for (const s of g.evidence.sharedActions) claim(`${s.target.type}:${s.target.id}`, i);
  });
  const merged = new Map<number, LockstepGroup>();
  for (let i = 0; i < groups.length; i++) {
    const r = uf.find(i);
    const g = groups[i]!;
    const m = merged.get(r);
    if (!m) { merged.set(r, { ...g, evidence: { ...g.evidence, accounts: [...g.evidence.accounts] } }); continue; }
    const accounts = [...new Set([...m.evidence.accounts, ...g.evidence.accounts])];
    const base = g.size > m.size ? g : m;
    merged.set(r, { ...base, size: accounts.length, score: Math.max(m.score, g.score), evidence: { ...base.evidence, accounts, sharedActions: [...m.evidence.sharedActions, ...g.evidence.sharedActions] } });
  }
  return [...merged.values()];
}

/** Per account, the set of message recipients and link domains it used: what an evader repeats. */
function behaviourSets(feed: GraphFeed): { sets: Set<string>[]; actions: Int32Array } {
  const sets: Set<string>[] = Array.from({ length: feed.accounts.size }, () => new Set<string>());
  const actions = new Int32Array(feed.accounts.size);
  for (const ch of ['message', 'domain'] as const) {
    const x = feed.actions(ch);
    for (let i = 0; i < x.length; i++) { sets[x.account[i]!]!.add(feed.targets.ids[x.target[i]!]!); actions[x.account[i]!]!++; }
  }
  return { sets, actions };
}

/** Accounts ↔ identifiers of one type (hubs left out), in feed account ids. */
function identifierIndex(feed: GraphFeed, type: string): { cols: number; accountsOf(col: number): number[]; colsOf(account: number): number[]; name(col: number): string } {
  const view = feed.graph.toBipartite('account', [type], { hubs: 'exclude' });
  const g = view.graph;
  const feedOf = new Int32Array(g.rows);
  const rowOf = new Map<number, number>();
  for (let r = 0; r < g.rows; r++) {
    const a = feed.accounts.get(view.row(r).id) ?? -1;
    feedOf[r] = a;
    if (a >= 0) rowOf.set(a, r);
  }
  return {
    cols: g.cols,
    name: (c) => view.col(c).id,
    accountsOf: (c) => {
      const out: number[] = [];
      for (let k = g.colOffsets[c]!; k < g.colOffsets[c + 1]!; k++) if (feedOf[g.colTargets[k]!]! >= 0) out.push(feedOf[g.colTargets[k]!]!);
      return out;
    },
    colsOf: (a) => {
      const r = rowOf.get(a);
      return r === undefined ? [] : Array.from(g.rowTargets.subarray(g.rowOffsets[r]!, g.rowOffsets[r + 1]!));
    },
  };
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  const [s, l] = a.size < b.size ? [a, b] : [b, a];
  for (const x of s) if (l.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** FNV-1a over the sorted member ids, hex: names a group by who is in it. */
export function hashIds(ids: string[]): string {
  let h = 0x811c9dc5;
  for (const id of ids) {
    for (let i = 0; i < id.length; i++) { h ^= id.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    h ^= 0x2c; h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
