// Shadow decisions: logged to data/shadow/<version>.ndjson and compared with the live decisions, never returned or acted on.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Comparison, type ComparisonReport } from '../backtest/index.ts';
import type { Decision } from '../engine/index.ts';
import type { Plan, PreparedEvent } from '../lang/index.ts';
import { readLines } from '../cli/ndjson.ts';
import type { DecisionService } from './service.ts';

const MAX_PENDING = 100_000;

interface ShadowRun { plan: Plan; comparison: Comparison; since: number; file: string; buffer: string[] }

/**
 * Pairs each shadow decision (from the engine's shadow listener, at decision time) with the live decision of the same
 * event (from onDecision, once it is durable) and tallies them like a backtest. Shadow decisions are appended to a file
 * in the data directory in batches; on restart the tallies are rebuilt from those files and the log.
 */
export class ShadowRecorder {
  private readonly runs = new Map<string, ShadowRun>();
  private readonly pending = new Map<string, { version: string; d: Decision; ev: PreparedEvent }[]>();
  private readonly dir: string;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly svc: DecisionService) {
    this.dir = join(svc.opts.dataDir, 'shadow');
    mkdirSync(this.dir, { recursive: true });
    svc.engine.setShadowListener((d, ev) => this.onShadow(d, ev));
    this.unsubscribe = svc.onDecision((ev, live) => this.onLive(ev, live));
    this.timer = setInterval(() => this.flush(), 200);
    this.timer.unref();
  }

  private run(version: string): ShadowRun | null {
    let r = this.runs.get(version);
    if (r) return r;
    const plan = this.svc.engine.shadowPlans.find((p) => p.version === version) ?? null;
    if (!plan) return null;
    r = { plan, comparison: new Comparison(plan, this.svc.engine.plan), since: Date.now(), file: join(this.dir, `${version.replace(/[^A-Za-z0-9_.@-]/g, '_')}.ndjson`), buffer: [] };
    this.runs.set(version, r);
    this.rebuild(r);
    return r;
  }

  /** Earlier shadow decisions of this version (before a restart) are paired again with the live ones in the log. */
  private rebuild(r: ShadowRun): void {
    if (!existsSync(r.file)) return;
    readLines(r.file, (line) => {
      try {
        const d = JSON.parse(line) as Decision;
        const live = this.svc.decision(d.event_id);
        if (live) r.comparison.add(live.event, d, live.decision);
      } catch { /* a torn last line */ }
    });
  }

  private onShadow(d: Decision, ev: PreparedEvent): void {
    let list = this.pending.get(ev.id);
    if (!list) {
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
      list = [];
      this.pending.set(ev.id, list);
    }
    list.push({ version: d.strategy, d, ev });
  }

  private onLive(ev: PreparedEvent, live: Decision): void {
    const list = this.pending.get(ev.id);
    if (!list) return;
    this.pending.delete(ev.id);
    for (const s of list) {
      const r = this.run(s.version);
      if (!r) continue;
      r.comparison.add(ev, s.d, live);
      r.buffer.push(JSON.stringify(s.d));
    }
  }

  flush(): void {
    for (const r of this.runs.values()) {
      if (r.buffer.length === 0) continue;
      const text = r.buffer.join('\n') + '\n';
      r.buffer = [];
      try { appendFileSync(r.file, text); } catch (e) { this.svc.opts.log?.(`shadow log ${r.file}: ${(e as Error).message}`); }
    }
  }

  /** The backtest comparison for a shadow (candidate) against live (baseline) since it started receiving traffic. */
  compare(version: string): (ComparisonReport & { shadow: string; live: string; since: string; deployed: boolean }) | null {
    const deployed = this.svc.engine.shadowPlans.some((p) => p.version === version);
    const r = deployed ? this.run(version) : this.runs.get(version) ?? null;
    if (!r) return null;
    return { shadow: version, live: this.svc.engine.plan.version, since: new Date(r.since).toISOString(), deployed, ...r.comparison.report() };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    this.unsubscribe();
    this.svc.engine.setShadowListener(null);
  }
}
