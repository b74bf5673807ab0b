// The decision service: engine, durable log, snapshots and recovery, indexes, and the control plane, in one process.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openControl, type Control, type MigrationSet, type StrategyVersion } from '../control/index.ts';
import { Engine, isRejection, Lists, type Decision, type Outcome, type Rejection } from '../engine/index.ts';
import { compileStrategy, formatError, LINKED_ENTITY, type Plan, type PreparedEvent, type StrategyError, type StrategyFiles, type StrategyModel } from '../lang/index.ts';
import { EventLog, type Durability } from '../log/index.ts';
import { MemoryStore } from '../state/index.ts';
import { Metrics } from './metrics.ts';
import { pseudonymiser } from './pseudonym.ts';
import { SnapshotDir } from './snapshots.ts';

export interface ServiceOptions {
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
  /** The models strategies may score with model("name", version), read when a strategy is compiled. */
  loadModels?: (control: Control) => Promise<ReadonlyMap<string, StrategyModel>>;
  /** Further components' migrations (e.g. casesMigrations), applied when the control plane opens. */
  migrations?: readonly MigrationSet[];
  /** The strategy deployed on first start when the control plane has none live. */
  strategyDir?: string;
  strategyFiles?: StrategyFiles;
  strategyName?: string;
  durability?: Durability;
  groupCommitMs?: number;
  snapshotIntervalMs?: number;
  /** Keep personal fields raw instead of pseudonymising them (an operator's explicit choice). */
  keepRawPersonalData?: boolean;
  recentPerEntity?: number;
  /** Events timestamped further ahead of the wall clock are refused (default 1h). */
  maxFutureMs?: number;
  maxTrackedEntities?: number;
  log?: (msg: string) => void;
}

/** The records this service appends to its log: decisions, manual labels, erasures, signals. */
export type LogRecordBody =
  | { k: 'd'; e: PreparedEvent; d: Decision }
  | { k: 'l'; op: 'set' | 'clear'; entity: string; label: string; expires_at: number | null }
  | { k: 'x'; type: string; id: string }
  | { k: 's'; entity: string; name: string; value: number | null };

export type DecideResult =
  | { ok: true; decision: Decision; duplicate: boolean }
  | { ok: false; status: number; error: Rejection['error'] | { code: string; message: string; field?: string } };

export class ServiceError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) { super(message); }
}

const decoder = new TextDecoder();

export class DecisionService {
  readonly metrics = new Metrics();
  private readonly index = new Map<string, number>(); // event id -> log position
  private readonly pending = new Map<string, Promise<number>>(); // event id -> its append, until durable
  private readonly recent = new Map<string, number[]>(); // "Type:id" -> newest decision positions
  private entityFields = new Map<string, [string, string][]>(); // event type -> [field, entity type]
  private lastAppend: Promise<number> | null = null;
  private decisionListeners: ((ev: PreparedEvent, decision: Decision, position: number) => void)[] = [];
  private snapshotTimer: NodeJS.Timeout | null = null;
  private lastSnapshot = { at: 0, position: -1, ms: 0, bytes: 0 };
  private failure: Error | null = null;
  private closed = false;
  readonly startedAt = Date.now();
  recovery = { snapshotPosition: -1, replayed: 0, indexed: 0, ms: 0, truncatedBytes: 0 };

  private constructor(
    readonly opts: ServiceOptions,
    readonly control: Control,
    readonly log: EventLog,
    readonly engine: Engine,
    readonly pseudonymise: ((v: string) => string) | null,
    private readonly snapshots: SnapshotDir,
    private readonly strategyName: string,
    private fileLists: Map<string, string[]>,
  ) {}

  static async open(opts: ServiceOptions): Promise<DecisionService> {
    const say = opts.log ?? (() => {});
    mkdirSync(opts.dataDir, { recursive: true });
    const control = await openControl({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl, schema: opts.databaseSchema, migrations: opts.migrations });
    try {
      const key = await control.secrets.pseudonymKey();
      const pseudonymise = opts.keepRawPersonalData ? null : pseudonymiser(key);
      const name = opts.strategyName ?? 'default';
      let live = await control.strategies.live(name);
      if (!live) {
        const files = opts.strategyFiles ?? (opts.strategyDir ? (await import('../cli/sources.ts')).readStrategyDir(opts.strategyDir) : null);
        if (!files) throw new Error(`no live strategy '${name}' and no strategy directory to start from`);
        const c = compileStrategy(files);
        if (!c.ok) throw new Error(`the starting strategy does not check:\n${c.errors.map(formatError).join('\n')}`);
        const created = await control.strategies.create({ name, files, actor: 'system' });
        await control.strategies.deploy(name, created.version, 'live', 'system');
        live = (await control.strategies.live(name))!;
        say(`deployed strategy ${name} v${live.version} from ${opts.strategyDir ?? 'the given files'}`);
      }
      const models = opts.loadModels ? await opts.loadModels(control) : undefined;
      const { plan, lists: fileLists } = compileVersion(name, live, pseudonymise, models);
      const t0 = performance.now();
      const log = await EventLog.open(join(opts.dataDir, 'log'), { durability: opts.durability ?? 'fsync', groupCommitMs: opts.groupCommitMs });
      const snapshots = new SnapshotDir(join(opts.dataDir, 'snapshots'));
      let store: MemoryStore<Decision> | null = null;
      let from = -1;
      for (const s of snapshots.list()) {
        try { store = MemoryStore.restore<Decision>(snapshots.read(s)); from = s.position; break; } catch (e) { say(`snapshot ${s.path} is unusable (${(e as Error).message}); trying an older one`); }
      }
      store ??= new MemoryStore<Decision>({ latenessMs: plan.latenessMs });
      const engine = new Engine(plan, { store, lists: new Lists(pseudonymise), pseudonymise });
      const svc = new DecisionService(opts, control, log, engine, pseudonymise, snapshots, name, fileLists);
      svc.indexEntityFields(plan);
      await svc.refreshLists();
      for (const shadow of await control.strategies.shadows(name)) engine.addShadow(compileVersion(name, shadow, pseudonymise, models).plan);
      svc.recover(from);
      svc.recovery.ms = Math.round(performance.now() - t0);
      svc.recovery.truncatedBytes = log.recovery.truncatedBytes;
      svc.lastSnapshot.position = from;
      if (opts.snapshotIntervalMs !== 0) {
        svc.snapshotTimer = setInterval(() => { svc.snapshot().catch((e) => say(`snapshot failed: ${(e as Error).message}`)); }, opts.snapshotIntervalMs ?? 60_000);
        svc.snapshotTimer.unref();
      }
      return svc;
    } catch (e) {
      await control.close();
      throw e;
    }
  }

  /** Snapshot + log tail: state as it was; the whole log: the id and entity indexes. */
  private recover(from: number): void {
    let replayed = 0;
    this.log.replaySync(undefined, (pos, payload) => {
      const rec = JSON.parse(decoder.decode(payload)) as LogRecordBody;
      if (rec.k === 'd') {
        this.index.set(rec.e.id, pos);
        this.track(rec.e, pos);
      } else if (rec.k === 'x') this.recent.delete(`${rec.type}:${rec.id}`); // the index is rebuilt from the start: erasures too
      if (pos <= from) return;
      replayed++;
      this.applyRecord(rec);
    });
    this.recovery = { ...this.recovery, snapshotPosition: from, replayed, indexed: this.index.size };
  }

  private applyRecord(rec: LogRecordBody): void {
    switch (rec.k) {
      case 'd': this.engine.applyLogged(rec.e, rec.d); break;
      case 'l':
        if (rec.op === 'set') this.engine.store.labels.set(rec.entity, rec.label, rec.expires_at ?? Infinity);
        else this.engine.store.labels.clear(rec.entity, rec.label);
        break;
      case 'x': this.engine.erase(rec.type, rec.id); this.engine.store.signals.clearEntity(`${rec.type}:${rec.id}`); this.recent.delete(`${rec.type}:${rec.id}`); break;
      case 's': this.engine.store.signals.set(rec.entity, rec.name, rec.value); break;
    }
  }

  private indexEntityFields(plan: Plan): void {
    this.entityFields = new Map([...plan.checked.events].map(([t, ev]) => [t, [...ev.fields.values()].filter((f) => f.type.entity).map((f) => [f.name, f.type.entity!] as [string, string])]));
  }

  private track(ev: PreparedEvent, pos: number): void {
    const fields = this.entityFields.get(ev.type);
    if (!fields) return;
    const max = this.opts.recentPerEntity ?? 20;
    const cap = this.opts.maxTrackedEntities ?? 500_000;
    for (const [field, type] of fields) {
      const v = ev[field];
      if (typeof v !== 'string') continue;
      const key = `${type}:${v}`;
      let list = this.recent.get(key);
      if (!list) {
        if (this.recent.size >= cap) this.recent.delete(this.recent.keys().next().value as string);
        list = [];
        this.recent.set(key, list);
      }
      list.push(pos);
      if (list.length > max) list.shift();
    }
  }

  private append(rec: LogRecordBody): Promise<number> {
    const p = this.log.append(JSON.stringify(rec));
    this.lastAppend = p;
    p.catch((e: Error) => { this.failure ??= e; });
    return p;
  }

  get ready(): boolean { return !this.closed && this.failure === null; }
  get failed(): Error | null { return this.failure; }

  private unavailable(): DecideResult {
    return { ok: false, status: 503, error: { code: 'unavailable', message: `the event log cannot take writes: ${this.failure?.message ?? 'closed'}` } };
  }

  /** Decides one event and returns only once the event and its decision are durable in the log. */
  async decide(raw: unknown): Promise<DecideResult> {
    const t0 = performance.now();
    const r = this.decideNow(raw);
    if (!r.ok || !('wait' in r)) return r;
    try {
      await r.wait;
    } catch {
      return this.unavailable();
    }
    this.metrics.observeLatency(performance.now() - t0);
    return r.result;
  }

  /** Decides a batch; one bad event does not fail the others. Returns once every accepted event is durable. */
  async decideBatch(raws: unknown[]): Promise<DecideResult[]> {
    const t0 = performance.now();
    const out = raws.map((raw) => this.decideNow(raw));
    const results: DecideResult[] = [];
    for (const r of out) {
      if (r.ok && 'wait' in r) {
        try { await r.wait; results.push(r.result); } catch { results.push(this.unavailable()); }
      } else results.push(r);
    }
    this.metrics.observeLatency(performance.now() - t0);
    return results;
  }

  /** The synchronous part: dedupe, prepare, decide, hand the record to the log. */
  private decideNow(raw: unknown): DecideResult | { ok: true; wait: Promise<unknown>; result: DecideResult } {
    if (!this.ready) return this.unavailable();
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof id === 'string') {
      const pending = this.pending.get(id);
      const pos = this.index.get(id);
      if (pending || pos !== undefined) {
        const wait = (pending ?? Promise.resolve(pos!)).then((p) => p);
        const result: DecideResult = { ok: true, decision: null as unknown as Decision, duplicate: true };
        return { ok: true, wait: wait.then((p) => { (result as { decision: Decision }).decision = this.readDecision(p)!.decision; }), result };
      }
    }
    const prepared = this.engine.prepare(raw);
    if ('error' in prepared) return this.rejected(prepared as Rejection);
    // A timestamp far in the future would move the watermark and make every real event late: refuse it here.
    // (Only the live edge looks at the wall clock; replays and backtests never do.)
    const maxFuture = this.opts.maxFutureMs ?? 3_600_000;
    if (prepared.ts > Date.now() + maxFuture) {
      return this.rejected({ event_id: prepared.id, error: { code: 'bad_event', field: 'ts', message: `ts ${new Date(prepared.ts).toISOString()} is more than ${Math.round(maxFuture / 60_000)} minutes in the future` } });
    }
    const out: Outcome = this.engine.decidePrepared(prepared);
    if (isRejection(out)) return this.rejected(out);
    const decision = out;
    const p = this.append({ k: 'd', e: prepared, d: decision });
    this.pending.set(decision.event_id, p);
    this.metrics.inc(this.metrics.verdicts, decision.verdict);
    for (const h of decision.rules) this.metrics.inc(this.metrics.ruleHits, h.rule);
    const wait = p.then((pos) => {
      this.index.set(decision.event_id, pos);
      this.track(prepared, pos);
      for (const l of this.decisionListeners) {
        try { l(prepared, decision, pos); } catch (e) { this.opts.log?.(`decision listener failed: ${(e as Error).message}`); }
      }
    }).finally(() => this.pending.delete(decision.event_id));
    return { ok: true, wait, result: { ok: true, decision, duplicate: false } };
  }

  private rejected(r: Rejection): DecideResult {
    this.metrics.inc(this.metrics.rejections, r.error.code);
    return { ok: false, status: r.error.code === 'late' ? 422 : 400, error: r.error };
  }

  /**
   * Calls `listener` for every new decision once it is durable (effects after the response: cases, webhooks...).
   * Not called for duplicates or during recovery. Returns a function that removes the listener.
   */
  onDecision(listener: (ev: PreparedEvent, decision: Decision, position: number) => void): () => void {
    this.decisionListeners.push(listener);
    return () => { this.decisionListeners = this.decisionListeners.filter((l) => l !== listener); };
  }

  readDecision(pos: number): { event: PreparedEvent; decision: Decision } | null {
    const rec = JSON.parse(decoder.decode(this.log.readSync(pos))) as LogRecordBody;
    return rec.k === 'd' ? { event: rec.e, decision: rec.d } : null;
  }

  decision(eventId: string): { event: PreparedEvent; decision: Decision } | null {
    const pos = this.index.get(eventId);
    return pos === undefined ? null : this.readDecision(pos);
  }

  /** The id an entity has in state: pseudonymised when its type is personal. */
  stateId(type: string, id: string): string {
    const e = this.engine.plan.checked.entities.get(type);
    if (!e) throw new ServiceError(404, 'unknown_entity_type', `unknown entity type '${type}'; known: ${[...this.engine.plan.checked.entities.keys()].join(', ')}`);
    if (!e.personal || !this.pseudonymise) return id;
    // "~p_…" names a personal entity by its pseudonym (as cases and the links graph do): it is the state id already.
    return id.startsWith('~') ? id.slice(1) : this.pseudonymise(id);
  }

  /** The recent events and decisions that involve an entity ("Type:stateId"), newest first. */
  recentRecords(entity: string): { event: PreparedEvent; decision: Decision }[] {
    const out: { event: PreparedEvent; decision: Decision }[] = [];
    const list = this.recent.get(entity) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const r = this.readDecision(list[i]!);
      if (r) out.push(r);
    }
    return out;
  }

  /** How many recent decisions are indexed for an entity ("Type:stateId"), without reading them. */
  recentCount(entity: string): number {
    return this.recent.get(entity)?.length ?? 0;
  }

  /** The entities an event names ("Type:stateId"), from the live strategy's entity-typed fields. */
  eventEntities(ev: PreparedEvent): string[] {
    const out: string[] = [];
    for (const [field, type] of this.entityFields.get(ev.type) ?? []) {
      const v = ev[field];
      if (typeof v === 'string') out.push(`${type}:${v}`);
    }
    return out;
  }

  persona(type: string, id: string) {
    const sid = this.stateId(type, id);
    const p = this.engine.persona(type, sid);
    const personal = this.engine.plan.checked.entities.get(type)!.personal;
    const lists = this.engine.plan.lists.filter((l) => this.engine.lists.get(l.name)?.has(personal && this.pseudonymise ? sid : id)).map((l) => l.name);
    const decisions = this.recentRecords(`${type}:${sid}`).map((r) => r.decision);
    const signals = this.engine.store.signals.list(`${type}:${sid}`);
    const linked = type === LINKED_ENTITY ? this.engine.linkedMeasures(sid) : null;
    return { entity: `${type}:${id}`, state_id: sid, features: p.features, labels: p.labels, signals, linked, lists, decisions };
  }

  async erase(type: string, id: string, actor: string) {
    const sid = this.stateId(type, id);
    await this.append({ k: 'x', type, id: sid });
    const r = this.engine.erase(type, sid);
    this.engine.store.signals.clearEntity(`${type}:${sid}`);
    this.recent.delete(`${type}:${sid}`);
    const labels = await this.control.labels.clearEntity(`${type}:${sid}`, actor);
    await this.control.erasure.record({ entity: `${type}:${sid}`, actor, what: ['persona', 'labels', 'recent decisions index'] });
    return { entity: `${type}:${id}`, erased: { aggregate_rows: r.rows, state_labels: r.labels, manual_labels: labels.labels } };
  }

  async setLabel(input: { entity: string; label: string; expiresAt: number | null; actor: string; reason: string }) {
    const [type, id] = splitEntity(input.entity);
    const sid = this.stateId(type, id);
    await this.control.labels.set({ entity: `${type}:${sid}`, label: input.label, expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt), actor: input.actor, reason: input.reason });
    await this.append({ k: 'l', op: 'set', entity: `${type}:${sid}`, label: input.label, expires_at: input.expiresAt });
    this.engine.store.labels.set(`${type}:${sid}`, input.label, input.expiresAt ?? Infinity);
  }

  /**
   * Sets a numeric signal on an entity (graph detection, batch models); rules read it as NAME(entity).
   * Durable: logged like a decision, so recovery and replays of the log see it at the same point.
   */
  async setSignal(entity: string, name: string, value: number | null): Promise<void> {
    const [type, id] = splitEntity(entity);
    const sid = this.stateId(type, id);
    if (value !== null && !Number.isFinite(value)) throw new ServiceError(400, 'invalid_request', `signal ${name} must be a finite number or null`);
    await this.append({ k: 's', entity: `${type}:${sid}`, name, value });
    this.engine.store.signals.set(`${type}:${sid}`, name, value);
  }

  async clearLabel(input: { entity: string; label: string; actor: string; reason: string }) {
    const [type, id] = splitEntity(input.entity);
    const sid = this.stateId(type, id);
    await this.control.labels.clear({ ...input, entity: `${type}:${sid}` });
    await this.append({ k: 'l', op: 'clear', entity: `${type}:${sid}`, label: input.label, expires_at: null });
    this.engine.store.labels.clear(`${type}:${sid}`, input.label);
  }

  // ---- strategies ----
  /** The models strategies may score (every registered version), as the compiler sees them. */
  async strategyModels(): Promise<ReadonlyMap<string, StrategyModel> | undefined> {
    return this.opts.loadModels ? this.opts.loadModels(this.control) : undefined;
  }

  async uploadStrategy(name: string, files: StrategyFiles, actor: string) {
    this.requireName(name);
    const c = compileStrategy(files, { models: await this.strategyModels() });
    if (!c.ok) throw new ServiceError(422, 'strategy_invalid', `the strategy has ${c.errors.length} error(s)`, c.errors.map(errorJson));
    return this.control.strategies.create({ name, files, actor });
  }

  async deploy(name: string, version: number, mode: 'live' | 'shadow', actor: string) {
    this.requireName(name);
    const v = await this.control.strategies.get(name, version);
    if (!v) throw new ServiceError(404, 'not_found', `strategy ${name} has no version ${version}`);
    const { plan, lists } = compileVersion(name, v, this.pseudonymise, await this.strategyModels());
    const rec = await this.control.strategies.deploy(name, version, mode, actor);
    if (mode === 'live') {
      this.engine.setLive(plan);
      this.fileLists = lists;
      this.indexEntityFields(plan);
      await this.refreshLists();
    } else this.engine.addShadow(plan);
    return rec;
  }

  async undeployShadow(name: string, version: number, actor: string) {
    this.requireName(name);
    const rec = await this.control.strategies.undeploy(name, version, actor);
    this.engine.removeShadow(`${name}@${version}`);
    return rec;
  }

  async rollback(name: string, actor: string) {
    this.requireName(name);
    const rec = await this.control.strategies.rollback(name, actor);
    const live = (await this.control.strategies.live(name))!;
    const { plan, lists } = compileVersion(name, live, this.pseudonymise, await this.strategyModels());
    this.engine.setLive(plan);
    this.fileLists = lists;
    this.indexEntityFields(plan);
    await this.refreshLists();
    return rec;
  }

  private requireName(name: string): void {
    if (name !== this.strategyName) throw new ServiceError(404, 'not_found', `this service runs strategy '${this.strategyName}', not '${name}'`);
  }

  /** A list's values are those of its file in the live strategy plus those added through the control plane. */
  async refreshLists(): Promise<void> {
    const known = new Set((await this.control.lists.list()).map((l) => l.name));
    for (const l of this.engine.plan.lists) {
      if (!known.has(l.name)) await this.control.lists.create(l.name, { description: `declared by strategy ${this.engine.plan.version}${l.from ? `, seeded from ${l.from}` : ''}`, actor: 'system' });
    }
    const control = await this.control.lists.all();
    for (const l of this.engine.plan.lists) {
      const values = new Set(this.fileLists.get(l.name) ?? []);
      for (const v of control.get(l.name) ?? []) values.add(v);
      this.engine.lists.ref(l.name, l.personal).replace(values);
    }
  }

  /** A list as rules see it: values added through the control plane, and those from the live strategy's file. */
  async listValues(name: string): Promise<{ name: string; values: string[]; from_strategy: string[] }> {
    return { name, values: await this.control.lists.values(name), from_strategy: this.fileLists.get(name) ?? [] };
  }

  // ---- snapshots ----
  /** Snapshots state as of the last appended record; the file is written once that record is durable. */
  async snapshot(): Promise<{ position: number; bytes: number; ms: number } | null> {
    const last = this.lastAppend;
    if (!last) return null;
    const t0 = performance.now();
    const bytes = this.engine.store.snapshot();
    const ms = performance.now() - t0;
    const position = await last;
    if (position <= this.lastSnapshot.position) return null;
    this.snapshots.write(position, bytes);
    this.lastSnapshot = { at: Date.now(), position, ms: Math.round(ms), bytes: bytes.length };
    return { position, bytes: bytes.length, ms: Math.round(ms) };
  }

  gauges(): Record<string, { help: string; value: number }> {
    const ls = this.log.stats();
    const st = this.engine.store.stats();
    return {
      bulwark_log_records: { help: 'Records in the event log.', value: ls.records },
      bulwark_log_bytes: { help: 'Bytes in the event log.', value: ls.bytes },
      bulwark_log_fsyncs: { help: 'fdatasync calls on the log since start.', value: ls.fsyncs },
      bulwark_log_last_fsync_ms: { help: 'Duration of the last log fsync.', value: ls.lastFsyncMs },
      bulwark_log_pending: { help: 'Records accepted but not yet durable.', value: ls.pending },
      bulwark_log_failed: { help: '1 when the log refuses writes.', value: this.failure ? 1 : 0 },
      bulwark_snapshot_age_seconds: { help: 'Seconds since the last snapshot was written (-1: none yet).', value: this.lastSnapshot.at ? Math.round((Date.now() - this.lastSnapshot.at) / 1000) : -1 },
      bulwark_snapshot_duration_ms: { help: 'Time to serialise the last snapshot.', value: this.lastSnapshot.ms },
      bulwark_snapshot_bytes: { help: 'Size of the last snapshot.', value: this.lastSnapshot.bytes },
      bulwark_state_rows: { help: 'Key rows held in feature state.', value: st.rows },
      bulwark_state_pairs: { help: '(aggregate, key) pairs held in feature state.', value: st.pairs },
      bulwark_state_labels: { help: 'Entity labels held in state.', value: st.labels },
      bulwark_watermark_ms: { help: 'Newest event time seen.', value: Number.isFinite(this.engine.store.watermark) ? this.engine.store.watermark : 0 },
    };
  }

  /** Orderly stop: no new writes, everything accepted made durable, a final snapshot, then close. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    try { if (!this.failure) await this.snapshot(); } catch { /* the log tail still covers it */ }
    this.closed = true;
    await this.log.close();
    await this.control.close();
  }
}

function compileVersion(name: string, v: StrategyVersion, pseudonymise: ((s: string) => string) | null, models?: ReadonlyMap<string, StrategyModel>): { plan: Plan; lists: Map<string, string[]> } {
  const c = compileStrategy(v.files, { version: `${name}@${v.version}`, pseudonymise, models });
  if (!c.ok) throw new ServiceError(422, 'strategy_invalid', `strategy ${name} v${v.version} does not compile with this release`, c.errors.map(errorJson));
  return { plan: c.plan, lists: c.lists };
}

export function errorJson(e: StrategyError) {
  return { file: e.loc.file, line: e.loc.line, col: e.loc.col, code: e.code, message: e.message };
}

export function splitEntity(entity: string): [string, string] {
  const i = entity.indexOf(':');
  if (i <= 0 || i === entity.length - 1) throw new ServiceError(400, 'bad_entity', `entity must look like Type:id (as in Account:a1), found '${entity.slice(0, 100)}'`);
  return [entity.slice(0, i), entity.slice(i + 1)];
}
