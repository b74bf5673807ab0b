// Point-in-time training sets: one row per decided event with every feature value as the engine computed it, and the label.
import { Engine, isRejection, Lists, type Decision } from '../engine/index.ts';
import type { Ctx, Plan, PreparedEvent } from '../lang/index.ts';
import { LineWriter } from '../cli/ndjson.ts';
import { MemoryStore } from '../state/index.ts';
import type { StrategyUnderTest } from './run.ts';
import type { GroundTruth } from './truth.ts';

export type ColumnType = 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'INT32';
export interface Column { name: string; type: ColumnType }
export type Cell = number | string | boolean | null;

/** Where rows go: CSV or Parquet, written in chunks. */
export interface RowSink {
  write(columns: Cell[][], rows: number): void | Promise<void>;
  close(): void | Promise<void>;
}

/**
 * The live plan's feature values for the event just decided, by slot. Engine does not expose them yet: this reads
 * its live context until `Engine.liveFeatures` lands (patch in docs/backtesting.md); then only that getter is used.
 */
function liveFeatures(engine: Engine): readonly unknown[] {
  const e = engine as unknown as { liveFeatures?: readonly unknown[]; live: { ctx: Ctx } };
  return e.liveFeatures ?? e.live.ctx.f;
}

function columnType(plan: Plan, feature: string): ColumnType {
  const bases = new Set([...plan.checked.features.get(feature)!.types.values()].map((t) => t.base));
  bases.delete('null');
  if (bases.size !== 1) return 'STRING';
  const b = [...bases][0]!;
  return b === 'number' || b === 'timestamp' || b === 'duration' ? 'DOUBLE' : b === 'bool' ? 'BOOLEAN' : 'STRING';
}

function cell(v: unknown, type: ColumnType): Cell {
  if (v === null || v === undefined) return null;
  if (type === 'DOUBLE') return typeof v === 'number' && Number.isFinite(v) ? v : null;
  if (type === 'BOOLEAN') return typeof v === 'boolean' ? v : null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export interface TrainingSetOptions {
  strategy: StrategyUnderTest;
  /** Only decisions of this event type (and only its features as columns). */
  type?: string;
  truth?: GroundTruth | null;
  pseudonymise?: ((v: string) => string) | null;
  /** Rows per chunk handed to the sink. */
  chunkRows?: number;
}

/**
 * Decides events on fresh state with the strategy and captures, for each, the feature values at decision time.
 * Features a type does not have are null in its rows. Label columns: `label` (1 for an attack event) and `label_kind`.
 */
export class TrainingSet {
  readonly columns: Column[];
  readonly engine: Engine;
  private readonly features: { name: string; slot: number; type: ColumnType }[];
  private readonly applies = new Map<string, Int32Array>(); // event type -> per feature column: slot or -1
  private readonly buf: Cell[][];
  private n = 0;
  rows = 0;
  skipped = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly opts: TrainingSetOptions, private readonly sink: RowSink) {
    const plan = opts.strategy.plan;
    if (opts.type !== undefined && !plan.events.has(opts.type)) throw new Error(`the strategy has no event type '${opts.type}'; it knows ${[...plan.events.keys()].join(', ')}`);
    const names = plan.features.filter((f) => opts.type === undefined || plan.checked.features.get(f)!.types.has(opts.type));
    this.features = names.map((name) => ({ name, slot: plan.features.indexOf(name), type: columnType(plan, name) }));
    for (const [type, ep] of plan.events) {
      const computed = new Set(ep.features.map((f) => f.slot));
      this.applies.set(type, Int32Array.from(this.features.map((f) => (computed.has(f.slot) ? f.slot : -1))));
    }
    this.columns = [
      { name: 'event_id', type: 'STRING' }, { name: 'event_type', type: 'STRING' }, { name: 'ts', type: 'DOUBLE' },
      { name: 'verdict', type: 'STRING' }, { name: 'score', type: 'DOUBLE' },
      ...this.features.map((f) => ({ name: f.name, type: f.type })),
      ...(opts.truth ? [{ name: 'label', type: 'INT32' as const }, { name: 'label_kind', type: 'STRING' as const }] : []),
    ];
    this.buf = this.columns.map(() => []);
    const lists = new Lists(opts.pseudonymise ?? null);
    for (const l of plan.lists) lists.ref(l.name, l.personal).replace(opts.strategy.lists.get(l.name) ?? []);
    this.engine = new Engine(plan, { store: new MemoryStore<Decision>({ latenessMs: plan.latenessMs }), lists, pseudonymise: opts.pseudonymise ?? null });
  }

  /** Names of the features that have no value on any row because no rule reads them and the plan was not compiled with allFeatures. */
  get uncomputed(): string[] {
    return this.features.filter((_, i) => ![...this.applies.values()].some((a) => a[i]! >= 0)).map((f) => f.name);
  }

  addRaw(raw: unknown): void {
    const p = this.engine.prepare(raw);
    if ('error' in p) { this.skipped++; return; }
    this.add(p as PreparedEvent);
  }

  /** Decides one prepared event; every event updates state, only those of the chosen type become rows. */
  add(ev: PreparedEvent): void {
    if (this.engine.store.prior(ev.id) !== undefined) { this.skipped++; return; }
    const d = this.engine.decidePrepared(ev);
    if (isRejection(d)) { this.skipped++; return; }
    if (this.opts.type !== undefined && ev.type !== this.opts.type) return;
    const f = liveFeatures(this.engine);
    const slots = this.applies.get(ev.type)!;
    const b = this.buf;
    b[0]!.push(ev.id); b[1]!.push(ev.type); b[2]!.push(ev.ts); b[3]!.push(d.verdict); b[4]!.push(d.score);
    for (let i = 0; i < this.features.length; i++) { const s = slots[i]!; b[5 + i]!.push(s >= 0 ? cell(f[s], this.features[i]!.type) : null); }
    if (this.opts.truth) {
      const kind = this.opts.truth.events.get(ev.id);
      b[5 + this.features.length]!.push(kind === undefined ? 0 : 1);
      b[6 + this.features.length]!.push(kind ?? null);
    }
    this.rows++;
    if (++this.n >= (this.opts.chunkRows ?? 100_000)) this.flushSync();
  }

  private flushSync(): void {
    if (this.n === 0) return;
    const cols = this.buf.map((c) => c.splice(0));
    const n = this.n;
    this.n = 0;
    this.pending = this.pending.then(() => this.sink.write(cols, n));
  }

  async close(): Promise<void> {
    this.flushSync();
    await this.pending;
    await this.sink.close();
  }
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvSink(path: string, columns: Column[]): RowSink {
  const w = new LineWriter(path);
  w.write(columns.map((c) => csvCell(c.name)).join(','));
  return {
    write(cols, rows) {
      for (let r = 0; r < rows; r++) {
        let line = '';
        for (let c = 0; c < cols.length; c++) line += (c ? ',' : '') + csvCell(cols[c]![r]!);
        w.write(line);
      }
    },
    close() { w.close(); },
  };
}

/** Parquet through hyparquet-writer, one row group per chunk. Loaded on first use. */
export async function parquetSink(path: string, columns: Column[]): Promise<RowSink> {
  const hw = await import('hyparquet-writer');
  const empty = columns.map((c) => ({ name: c.name, data: [] as Cell[], type: c.type, nullable: true }));
  const schema = hw.schemaFromColumnData({ columnData: empty as never });
  const writer = new hw.ParquetWriter({ writer: hw.fileWriter(path), schema });
  let wrote = false;
  return {
    async write(cols, rows) {
      wrote = true;
      await writer.write({ columnData: columns.map((c, i) => ({ name: c.name, data: cols[i]!.slice(0, rows) })) as never, rowGroupSize: rows });
    },
    async close() {
      if (!wrote) await writer.write({ columnData: columns.map((c) => ({ name: c.name, data: [] })) as never });
      await writer.finish();
    },
  };
}

export async function sinkFor(path: string, columns: Column[]): Promise<RowSink> {
  if (path.endsWith('.parquet')) return parquetSink(path, columns);
  if (path.endsWith('.csv')) return csvSink(path, columns);
  throw new Error(`--out must end in .csv or .parquet, found '${path}'`);
}
