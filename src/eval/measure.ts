// Detection quality of a strategy on labelled traffic: per campaign kind recall, precision and time to first action; benign impact.
import type { Decision } from '../engine/index.ts';
import type { Checked } from '../lang/index.ts';
import { normaliseType, type EvalTruth } from './truth.ts';

/** How the fields of one event type name entities: label prefixes each field can match, and who acts. */
interface FieldRef { name: string; types: string[]; list: boolean }
interface EventShape { refs: FieldRef[]; actors: string[] }

/**
 * Entity-typed fields per event type, from the strategy's catalogue. A field matches the label prefix of its entity
 * type (`Device` ↔ `device:…`, `ApiKey` ↔ `api_key:…`); `Creator` fields also match `account:…` (creators are
 * accounts); a `list<string>` field matches the singular of its last word (`link_domains` ↔ `domain:…`).
 * The actor of an event is its `account` field; event types without one (referral) are acted by all their Account fields.
 */
export function eventShapes(checked: Pick<Checked, 'events'>): Map<string, EventShape> {
  const shapes = new Map<string, EventShape>();
  for (const [name, info] of checked.events) {
    const refs: FieldRef[] = [];
    const accounts: string[] = [];
    for (const f of info.fields.values()) {
      if (f.type.entity) {
        const t = normaliseType(f.type.entity);
        refs.push({ name: f.name, types: t === 'creator' ? ['creator', 'account'] : [t], list: false });
        if (t === 'account') accounts.push(f.name);
      } else if (f.type.base === 'list') {
        const last = f.name.split('_').pop()!;
        refs.push({ name: f.name, types: [normaliseType(last.endsWith('s') ? last.slice(0, -1) : last)], list: true });
      }
    }
    shapes.set(name, { refs, actors: info.fields.has('account') ? ['account'] : accounts });
  }
  return shapes;
}

export interface KindReport {
  kind: string;
  campaigns: number;
  attack_events: number;
  /** Attack events with verdict challenge or stronger. */
  event_recall: number;
  attacker_entities: number;
  /** Attacker entities that appear in at least one review/block decision. */
  actor_recall: number;
  /** Per entity type: [caught, total]. */
  actor_recall_by_type: Record<string, [number, number]>;
  /** Median over the kind's campaigns of the attack events before the campaign's first review/block (all of them when never). */
  median_events_before_action: number;
  /** Campaigns never actioned. */
  campaigns_missed: number;
  /** Accounts actioned by the rules that action this kind that are attackers (victims left out); null when those rules action no account. */
  precision: number | null;
  actioned_accounts: number;
}

export interface EvalReport {
  events: number;
  rejected: number;
  verdicts: Record<string, number>;
  campaigns: KindReport[];
  benign: { accounts: number; blocked: number; actioned: number; blocked_rate: number; actioned_rate: number; named_in_actioned_attacks: number };
  /** Over all actioned accounts, victims left out. */
  overall: { actioned_accounts: number; attacker_accounts: number; benign_accounts: number; victim_accounts: number; precision: number };
  /** Benign accounts actioned per rule that fired on their actioned events: where false positives come from. */
  benign_by_rule: Record<string, number>;
}

const ACTION = new Set(['review', 'block']);

export class DetectionEval {
  private readonly shapes: Map<string, EventShape>;
  private events = 0;
  private rejected = 0;
  private readonly verdicts: Record<string, number> = { allow: 0, challenge: 0, review: 0, block: 0 };
  /** Per campaign: attack events, challenged-or-stronger, events before first action (-1 while not actioned). */
  private readonly seen: number[];
  private readonly flagged: number[];
  private readonly before: number[];
  private readonly caught = new Set<string>();
  /** Acting account → 1 any non-allow, 2 any block (bit flags). */
  private readonly accounts = new Map<string, number>();
  /** Actioned account → rules that fired on its actioned events. */
  private readonly actionedBy = new Map<string, Set<string>>();
  /** Accounts that are not attackers, named in actioned attack events (stuffing targets). */
  private readonly namedInAttacks = new Set<string>();
  /** Kind → rules that fired on its actioned attack events. */
  private readonly kindRules = new Map<string, Set<string>>();

  constructor(private readonly truth: EvalTruth, checked: Pick<Checked, 'events'>) {
    this.shapes = eventShapes(checked);
    const n = truth.campaigns.length;
    this.seen = new Array<number>(n).fill(0);
    this.flagged = new Array<number>(n).fill(0);
    this.before = new Array<number>(n).fill(-1);
  }

  reject(): void { this.events++; this.rejected++; }

  /** Records one event and the decision the strategy made on it. */
  observe(ev: Record<string, unknown>, d: Decision): void {
    this.events++;
    this.verdicts[d.verdict] = (this.verdicts[d.verdict] ?? 0) + 1;
    const shape = this.shapes.get(d.event_type);
    const actioned = ACTION.has(d.verdict);
    const c = this.truth.events.get(d.event_id);
    if (c !== undefined) {
      this.seen[c]!++;
      if (d.verdict !== 'allow') this.flagged[c]!++;
      if (actioned && this.before[c] === -1) this.before[c] = this.seen[c]! - 1;
    }
    if (!shape) return;
    const flag = d.verdict === 'allow' ? 0 : d.verdict === 'block' ? 3 : 1;
    let rules: string[] | null = null;
    if (actioned) {
      rules = d.rules.filter((r) => r.points > 0 || (r.verdict !== null && r.verdict !== 'allow')).map((r) => r.rule);
      if (c !== undefined) {
        const kind = this.truth.campaigns[c]!.kind;
        let set = this.kindRules.get(kind);
        if (!set) this.kindRules.set(kind, (set = new Set()));
        for (const r of rules) set.add(r);
      }
      for (const ref of shape.refs) {
        const v = ev[ref.name];
        const values = ref.list ? (Array.isArray(v) ? v : []) : [v];
        for (const x of values) {
          if (typeof x !== 'string') continue;
          for (const t of ref.types) {
            const key = `${t}:${x}`;
            if (this.truth.attackers.has(key)) this.caught.add(key);
          }
        }
      }
    }
    for (const a of shape.actors) {
      const id = ev[a];
      if (typeof id !== 'string') continue;
      // An attack event that names an account the attacker does not control (a credential-stuffing attempt on it) is
      // the attacker's action, not the account's: it neither harms nor convicts that account.
      if (c !== undefined && !this.truth.attackers.has(`account:${id}`)) {
        if (actioned) this.namedInAttacks.add(id);
        continue;
      }
      this.accounts.set(id, (this.accounts.get(id) ?? 0) | flag);
      if (rules) {
        let set = this.actionedBy.get(id);
        if (!set) this.actionedBy.set(id, (set = new Set()));
        for (const r of rules) set.add(r);
      }
    }
  }

  report(): EvalReport {
    const t = this.truth;
    const isAttacker = (a: string) => t.attackers.has(`account:${a}`);
    const kinds = [...new Set(t.campaigns.map((c) => c.kind))].sort();
    const campaigns: KindReport[] = kinds.map((kind) => {
      const idx = t.campaigns.flatMap((c, i) => (c.kind === kind ? [i] : []));
      const attack = idx.reduce((s, i) => s + this.seen[i]!, 0);
      const flagged = idx.reduce((s, i) => s + this.flagged[i]!, 0);
      const byType: Record<string, [number, number]> = {};
      let total = 0;
      let caught = 0;
      for (const [key, ks] of t.attackers) {
        if (!ks.has(kind)) continue;
        const type = key.slice(0, key.indexOf(':'));
        const row = (byType[type] ??= [0, 0]);
        row[1]++;
        total++;
        if (this.caught.has(key)) { row[0]++; caught++; }
      }
      const waits = idx.map((i) => (this.before[i] === -1 ? this.seen[i]! : this.before[i]!));
      const rules = this.kindRules.get(kind) ?? new Set<string>();
      let actioned = 0;
      let good = 0;
      for (const [a, rs] of this.actionedBy) {
        if (t.victimAccounts.has(a)) continue;
        let hit = false;
        for (const r of rs) if (rules.has(r)) { hit = true; break; }
        if (!hit) continue;
        actioned++;
        if (isAttacker(a)) good++;
      }
      return {
        kind,
        campaigns: idx.length,
        attack_events: attack,
        event_recall: ratio(flagged, attack),
        attacker_entities: total,
        actor_recall: ratio(caught, total),
        actor_recall_by_type: byType,
        median_events_before_action: median(waits),
        campaigns_missed: idx.filter((i) => this.before[i] === -1).length,
        precision: actioned === 0 ? null : ratio(good, actioned),
        actioned_accounts: actioned,
      };
    });
    let benign = 0;
    let blocked = 0;
    let actionedBenign = 0;
    for (const [a, flag] of this.accounts) {
      if (t.labelledAccounts.has(a)) continue;
      benign++;
      if (flag & 1) actionedBenign++;
      if (flag & 2) blocked++;
    }
    const overall = { actioned_accounts: 0, attacker_accounts: 0, benign_accounts: 0, victim_accounts: 0, precision: 0 };
    const benignByRule: Record<string, number> = {};
    for (const [a, rs] of this.actionedBy) {
      overall.actioned_accounts++;
      if (t.victimAccounts.has(a)) overall.victim_accounts++;
      else if (isAttacker(a)) overall.attacker_accounts++;
      else if (!t.labelledAccounts.has(a)) {
        overall.benign_accounts++;
        for (const r of rs) benignByRule[r] = (benignByRule[r] ?? 0) + 1;
      }
    }
    overall.precision = ratio(overall.attacker_accounts, overall.attacker_accounts + overall.benign_accounts);
    return {
      events: this.events,
      rejected: this.rejected,
      verdicts: { ...this.verdicts },
      campaigns,
      benign: { accounts: benign, blocked, actioned: actionedBenign, blocked_rate: ratio(blocked, benign), actioned_rate: ratio(actionedBenign, benign), named_in_actioned_attacks: [...this.namedInAttacks].filter((a) => !t.labelledAccounts.has(a)).length },
      overall,
      benign_by_rule: Object.fromEntries(Object.entries(benignByRule).sort((a, b) => b[1] - a[1])),
    };
  }
}

/** n / d rounded to 4 decimals; 0 when d is 0. */
function ratio(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((n / d) * 10_000) / 10_000;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
