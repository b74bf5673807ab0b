// Server-side graph detection: a link graph fed by every durable decision, detectors on a schedule, results kept in
// memory and in the data directory, one case per detected group through moderation, and graph signals published.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectOrganised, GraphFeed, type GraphGroup, type OrganisedOptions } from '../graph/index.ts';

/** Where graph signals go: DecisionService.setSignal(entity "Account:a1", name, value) once it lands. */
export interface SignalSink {
  publish(entity: string, name: string, value: number | null): void | Promise<void>;
}

/** The part of moderation that opens ring cases (Moderation.createCase satisfies it). */
export interface RingCaseSink {
  createCase(input: { entity: string; queue?: string; summary: string; related?: string[]; source?: 'graph'; actor: string }): Promise<{ case: { id: number }; opened: boolean }>;
}

/** The part of DecisionService graph jobs listen to. */
export interface DecisionSource {
  onDecision(listener: (ev: { id: string; type: string; ts: number; [field: string]: unknown }, decision: { labels?: readonly { op: string; entity: string; label: string }[] }, position: number) => void): () => void;
}

export interface GraphJobsOptions {
  dataDir: string;
  /** how often detection runs; default 10 minutes; 0 = only when runOnce() is called */
  intervalMs?: number;
  /** links and actions older than this (event time) are forgotten; default 30 days */
  maxAge?: number;
  maxEdges?: number;
  hubDegree?: Record<string, number>;
  /** queue ring cases go to; default 'manual' */
  queue?: string;
  /** groups below this score get signals but no case; default 0 */
  minCaseScore?: number;
  /** open cases for generic linked rings too (not only click farms, brushing, coupon households, ban evasion); default false */
  caseLinkedRings?: boolean;
  detector?: OrganisedOptions;
  log?: (msg: string) => void;
}

export interface GraphRun {
  at: number;
  dataUntil: number;
  seconds: number;
  events: number;
  groups: number;
  casesOpened: number;
  signals: number;
  memory: { links: number; actions: number; arrayBytes: number; hubs: number };
}

/** Signal names published and the entity types they are set on. */
export const GRAPH_SIGNALS = {
  ring_size: 'Account: size of the detected group the account is in (null when in none)',
  in_group: 'Account: 1 when the account is in a detected group, else 0',
  group_score: 'Account: score of the strongest group the account is in (null when in none)',
  linked_banned: 'Account and Device: labelled (banned, flagged) accounts linked through a shared device, card, address, e-mail or IP',
} as const;

export class GraphJobs {
  readonly feed: GraphFeed;
  private groups: GraphGroup[] = [];
  private runs: GraphRun[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<GraphRun> | null = null;
  /** accounts carrying labels from decisions (bans, moderation labels): what linked_banned counts */
  private readonly labelled = new Set<string>();
  /** last published value per "entity\0name", so unchanged values are not re-sent */
  private readonly published = new Map<string, number | null>();
  /** group id / member → case id, so a group found again (or one that grew) is not cased twice */
  private readonly casedGroup = new Map<string, number>();
  private readonly casedMember = new Map<string, number>();
  private readonly say: (msg: string) => void;

  constructor(readonly opts: GraphJobsOptions, private readonly sinks: { signals: SignalSink; cases?: RingCaseSink }) {
    this.feed = new GraphFeed({ maxAge: opts.maxAge ?? 30 * 86_400_000, maxEdges: opts.maxEdges, hubDegree: opts.hubDegree, rawValues: false });
    this.say = opts.log ?? (() => {});
    mkdirSync(join(opts.dataDir, 'graph'), { recursive: true });
  }

  /** Feeds the graph from every durable decision; returns the unsubscribe function. */
  attach(source: DecisionSource): () => void {
    return source.onDecision((ev, decision) => this.ingest(ev, decision));
  }

  ingest(ev: Record<string, unknown>, decision?: { labels?: readonly { op: string; entity: string; label: string }[] }): void {
    this.feed.add(ev);
    for (const l of decision?.labels ?? []) {
      const m = /^account:(.+)$/i.exec(l.entity);
      if (!m) continue;
      if (l.op === 'set') this.labelled.add(m[1]!); else this.labelled.delete(m[1]!);
    }
  }

  /** Marks an account as banned/labelled from outside the decision stream (enforcement read back, lists). */
  markLabelled(account: string, on = true): void {
    if (on) this.labelled.add(account); else this.labelled.delete(account);
  }

  start(): void {
    const every = this.opts.intervalMs ?? 600_000;
    if (every <= 0 || this.timer) return;
    this.timer = setInterval(() => { this.runOnce().catch((e) => this.say(`graph detection failed: ${(e as Error).message}`)); }, every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  latest(): { run: GraphRun | null; groups: GraphGroup[] } {
    return { run: this.runs.at(-1) ?? null, groups: this.groups };
  }

  groupsOf(account: string): GraphGroup[] {
    return this.groups.filter((g) => g.accounts.includes(account));
  }

  /** One detection run; concurrent calls share the run in progress. */
  runOnce(): Promise<GraphRun> {
    this.running ??= this.run().finally(() => { this.running = null; });
    return this.running;
  }

  private async run(): Promise<GraphRun> {
    const t0 = performance.now();
    this.feed.expire();
    const { groups } = detectOrganised(this.feed, this.opts.detector);
    this.groups = groups;
    const signals = await this.publishSignals(groups);
    const casesOpened = await this.openCases(groups);
    const st = this.feed.stats();
    const run: GraphRun = {
      at: Date.now(), dataUntil: this.feed.newest, seconds: Math.round(performance.now() - t0) / 1000, events: st.events, groups: groups.length, casesOpened, signals,
      memory: { links: st.graph.edges, actions: st.actions, arrayBytes: st.graph.arrayBytes + st.actionBytes, hubs: st.graph.hubs },
    };
    this.runs.push(run);
    if (this.runs.length > 100) this.runs.shift();
    this.save(run);
    this.say(`graph detection: ${groups.length} groups, ${casesOpened} cases opened, ${signals} signals in ${run.seconds}s`);
    return run;
  }

  private async publishSignals(groups: GraphGroup[]): Promise<number> {
    const want = new Map<string, number | null>();
    const set = (entity: string, name: string, value: number | null): void => { want.set(`${entity}\0${name}`, value); };
    // best group per account: the highest score wins, its size is the ring size
    const best = new Map<string, GraphGroup>();
    for (const g of groups) for (const a of g.accounts) { const b = best.get(a); if (!b || g.score > b.score) best.set(a, g); }
    for (const [a, g] of best) {
      set(`Account:${a}`, 'ring_size', g.size);
      set(`Account:${a}`, 'in_group', 1);
      set(`Account:${a}`, 'group_score', g.score);
    }
    // linked_banned: labelled accounts reachable through one shared non-hub identifier
    if (this.labelled.size > 0) {
      const graph = this.feed.graph;
      const view = graph.toBipartite('account', ['device', 'card', 'address', 'email', 'ip'], { hubs: 'exclude' });
      const g = view.graph;
      const counts = new Map<string, number>();
      const deviceCounts = new Map<string, number>();
      for (let r = 0; r < g.rows; r++) {
        const acct = view.row(r).id;
        if (!this.labelled.has(acct)) continue;
        const reached = new Set<string>();
        for (let e = g.rowOffsets[r]!; e < g.rowOffsets[r + 1]!; e++) {
          const c = g.rowTargets[e]!;
          const col = view.col(c);
          if (col.type === 'device') deviceCounts.set(col.id, (deviceCounts.get(col.id) ?? 0) + 1);
          for (let k = g.colOffsets[c]!; k < g.colOffsets[c + 1]!; k++) {
            const other = view.row(g.colTargets[k]!).id;
            if (other !== acct) reached.add(other);
          }
        }
        for (const o of reached) counts.set(o, (counts.get(o) ?? 0) + 1);
      }
      for (const [a, n] of counts) set(`Account:${a}`, 'linked_banned', n);
      for (const [d, n] of deviceCounts) set(`Device:${d}`, 'linked_banned', n);
    }
    // values published before and not wanted now are cleared
    for (const key of this.published.keys()) {
      if (want.has(key)) continue;
      const name = key.slice(key.indexOf('\0') + 1);
      want.set(key, name === 'in_group' ? 0 : null);
    }
    let sent = 0;
    for (const [key, value] of want) {
      if (this.published.has(key) && this.published.get(key) === value) continue;
      const i = key.indexOf('\0');
      await this.sinks.signals.publish(key.slice(0, i), key.slice(i + 1), value);
      if (value === null || (key.endsWith('\0in_group') && value === 0)) this.published.delete(key); else this.published.set(key, value);
      sent++;
    }
    return sent;
  }

  private async openCases(groups: GraphGroup[]): Promise<number> {
    const cases = this.sinks.cases;
    if (!cases) return 0;
    let opened = 0;
    for (const g of groups) {
      if (g.kind === 'linked_ring' && !this.opts.caseLinkedRings) continue;
      if (g.score < (this.opts.minCaseScore ?? 0) || this.casedGroup.has(g.id)) continue;
      // a group most of whose members already sit in a graph case is the same ring seen again
      const already = g.accounts.filter((a) => this.casedMember.has(a)).length;
      if (already * 2 > g.accounts.length) continue;
      const lead = g.accounts[0]!;
      try {
        const r = await cases.createCase({
          entity: `Account:${lead}`, queue: this.opts.queue ?? 'manual', source: 'graph', actor: 'graph',
          summary: `[${g.kind}] ${g.explanation} (group ${g.id}, score ${g.score}, members: ${g.accounts.slice(0, 50).join(', ')}${g.accounts.length > 50 ? ', …' : ''})`,
          related: [...g.accounts.slice(1, 200).map((a) => `Account:${a}`), ...g.objects.filter((o) => o.type === 'device' || o.type === 'seller' || o.type === 'content' || o.type === 'coupon').slice(0, 50).map((o) => `${cap(o.type)}:${o.id}`)],
        });
        this.casedGroup.set(g.id, r.case.id);
        for (const a of g.accounts) this.casedMember.set(a, r.case.id);
        if (r.opened) opened++;
      } catch (e) {
        this.say(`graph case for group ${g.id} failed: ${(e as Error).message}`);
      }
    }
    return opened;
  }

  /** Latest groups and run history in DATA/graph/groups.json (written to a temp file, then renamed). */
  private save(run: GraphRun): void {
    const dir = join(this.opts.dataDir, 'graph');
    const tmp = join(dir, 'groups.json.tmp');
    try {
      writeFileSync(tmp, JSON.stringify({ run, runs: this.runs, cases: Object.fromEntries(this.casedGroup), groups: this.groups }));
      renameSync(tmp, join(dir, 'groups.json'));
    } catch (e) {
      this.say(`graph results not saved: ${(e as Error).message}`);
    }
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
