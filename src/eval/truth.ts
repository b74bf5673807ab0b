// Simulator ground truth (labels.ndjson) for detection-quality evaluation: attack events, campaigns, attacker and victim entities.

export interface Campaign {
  id: string;
  kind: string;
  /** Attack events of the campaign seen so far in the stream. */
  events: number;
}

export interface EvalTruth {
  /** Campaigns in order of first appearance in the labels. */
  campaigns: Campaign[];
  /** Attack event id → campaign index. */
  events: Map<string, number>;
  /** Attacker entity ("account:u0x9", prefix normalised: lower case, no underscores) → kinds of the campaigns that control it. */
  attackers: Map<string, Set<string>>;
  /** Accounts in any label line, whatever the role: not benign. */
  labelledAccounts: Set<string>;
  /** Accounts labelled only as victims (taken over, card holders). */
  victimAccounts: Set<string>;
  /** Lines that were not label records. */
  skipped: number;
}

/** `api_key` and `ApiKey` name the same entity type. */
export function normaliseType(type: string): string {
  return type.toLowerCase().replaceAll('_', '');
}

export class TruthBuilder {
  private readonly byId = new Map<string, number>();
  private readonly roles = new Map<string, { attacker: boolean; victim: boolean }>();
  readonly truth: EvalTruth = { campaigns: [], events: new Map(), attackers: new Map(), labelledAccounts: new Set(), victimAccounts: new Set(), skipped: 0 };

  /** Adds one labels.ndjson line. */
  line(text: string): void {
    let rec: Record<string, unknown>;
    try { rec = JSON.parse(text) as Record<string, unknown>; } catch { this.truth.skipped++; return; }
    if (rec === null || typeof rec !== 'object' || typeof rec.campaign !== 'string') { this.truth.skipped++; return; }
    const kind = typeof rec.kind === 'string' ? rec.kind : rec.campaign;
    const c = this.campaign(rec.campaign, kind);
    if (typeof rec.event === 'string') { this.truth.events.set(rec.event, c); return; }
    if (typeof rec.entity !== 'string') { this.truth.skipped++; return; }
    const i = rec.entity.indexOf(':');
    if (i <= 0) { this.truth.skipped++; return; }
    const type = normaliseType(rec.entity.slice(0, i));
    const id = rec.entity.slice(i + 1);
    const key = `${type}:${id}`;
    const attacker = rec.role !== 'victim';
    if (attacker) {
      let kinds = this.truth.attackers.get(key);
      if (!kinds) this.truth.attackers.set(key, (kinds = new Set()));
      kinds.add(kind);
    }
    if (type === 'account') {
      this.truth.labelledAccounts.add(id);
      let r = this.roles.get(id);
      if (!r) this.roles.set(id, (r = { attacker: false, victim: false }));
      if (attacker) r.attacker = true; else r.victim = true;
    }
  }

  finish(): EvalTruth {
    for (const [id, r] of this.roles) if (r.victim && !r.attacker) this.truth.victimAccounts.add(id);
    return this.truth;
  }

  private campaign(id: string, kind: string): number {
    let c = this.byId.get(id);
    if (c === undefined) {
      c = this.truth.campaigns.length;
      this.byId.set(id, c);
      this.truth.campaigns.push({ id, kind, events: 0 });
    }
    return c;
  }
}

export function parseTruth(text: string): EvalTruth {
  const b = new TruthBuilder();
  for (const line of text.split('\n')) if (line.trim()) b.line(line);
  return b.finish();
}
