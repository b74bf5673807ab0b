// Windowed aggregates over tiles in typed-array slabs indexed by key-space rows (see tiling.ts for window semantics).
import { tilingFor } from './tiling.ts';
import { hllAdd, hllCreate, hllEstimate, hllMerge, HLL_M } from './hll.ts';
import type { KeySpace, RowSlabs } from './keyspace.ts';
import type { SnapshotReader, SnapshotWriter } from './wire.ts';

export type AggKind = 'count' | 'sum' | 'min' | 'max' | 'mean' | 'rate' | 'distinct' | 'first_seen' | 'last_seen';

export const AGG_KINDS: readonly AggKind[] = ['count', 'sum', 'min', 'max', 'mean', 'rate', 'distinct', 'first_seen', 'last_seen'];

export interface AggregateSpec {
  signature: string;
  kind: AggKind;
  keyspace: string;
  /** 0 for first_seen / last_seen. */
  windowMs: number;
}

export interface Aggregate {
  readonly spec: AggregateSpec;
  /** Row −1 is ignored. `value` is ignored by count/rate/first_seen/last_seen; non-finite values are ignored by sum/min/max/mean. */
  add(row: number, ts: number, value: number): void;
  /** Value of the window ending in tile(ts); row −1 reads as empty (0 or null by kind). */
  read(row: number, ts: number): number | null;
}

/** An aggregate as the store holds it: slabs tied to a key space, encodable into snapshots. */
export interface StoredAggregate extends Aggregate, RowSlabs {
  readonly keyspace: KeySpace;
  /** Writes rows [0, keyspace.rowLimit). */
  encode(w: SnapshotWriter): void;
  decode(r: SnapshotReader): void;
}

export interface AggregateOptions {
  latenessMs: number;
  /** How long first_seen/last_seen survive an idle key. */
  seenRetentionMs?: number;
}

export const DEFAULT_SEEN_RETENTION_MS = 400 * 24 * 3600 * 1000;

/** Past this many distinct values in a row's ring, distinct switches from exact sets to HLL tiles. */
export const DISTINCT_EXACT_LIMIT = 256;
/** Bound on (value, tile) pairs in exact mode, so values repeated over many tiles cannot grow it unbounded. */
const DISTINCT_PAIR_LIMIT = 4 * DISTINCT_EXACT_LIMIT;

function slotOf(tile: number, ring: number): number {
  const m = tile % ring;
  return m < 0 ? m + ring : m;
}

function isFiniteNumber(v: number): boolean {
  return v - v === 0;
}

/** Shared ring bookkeeping: per-row newest tile (-Infinity = no data) and slot clearing on advance. */
abstract class Tiled implements StoredAggregate {
  readonly spec: AggregateSpec;
  readonly keyspace: KeySpace;
  readonly tileMs: number;
  readonly tiles: number;
  readonly ring: number;
  readonly retentionMs: number;
  protected head = new Float64Array(0);
  /** Slot (0..ring-1) of the oldest tile of the last window computed by span(). */
  protected spanStart = 0;

  constructor(spec: AggregateSpec, keyspace: KeySpace, latenessMs: number) {
    this.spec = spec;
    this.keyspace = keyspace;
    const t = tilingFor(spec.windowMs, latenessMs);
    this.tileMs = t.tileMs;
    this.tiles = t.tiles;
    this.ring = t.ring;
    this.retentionMs = t.ring * t.tileMs;
  }

  abstract add(row: number, ts: number, value: number): void;
  abstract read(row: number, ts: number): number | null;
  protected abstract growSlots(slots: number): void;
  /** Resets flat slot indices [from, to) of one row to empty. */
  protected abstract clearSlots(row: number, from: number, to: number): void;
  protected abstract slabs(): Array<Float64Array | Uint32Array>;

  grow(capacity: number): void {
    if (capacity <= this.head.length) return;
    const h = new Float64Array(capacity).fill(-Infinity);
    h.set(this.head);
    this.head = h;
    this.growSlots(capacity * this.ring);
  }

  clearRow(row: number): void {
    // Slots are cleared lazily by the first add after this (a -Infinity head clears the whole ring).
    this.head[row] = -Infinity;
  }

  /** Flat slot index for an add at ts (advancing the ring as needed), or −1 if the tile is too old to keep. */
  protected slotForAdd(row: number, ts: number): number {
    const tile = Math.floor(ts / this.tileMs);
    const h = this.head[row]!;
    const ring = this.ring;
    const base = row * ring;
    if (tile > h) {
      const advance = tile - h;
      if (advance >= ring) this.clearSlots(row, base, base + ring);
      else {
        const start = slotOf(h + 1, ring);
        const end = start + advance;
        if (end <= ring) this.clearSlots(row, base + start, base + end);
        else { this.clearSlots(row, base + start, base + ring); this.clearSlots(row, base, base + end - ring); }
      }
      this.head[row] = tile;
    } else if (tile <= h - ring) {
      return -1;
    }
    return base + slotOf(tile, ring);
  }

  /** Sum of a per-tile slab over the window read at ts (counts, sums). */
  protected total(v: Float64Array | Uint32Array, row: number, ts: number): number {
    const n = this.span(row, ts);
    const ring = this.ring;
    const base = row * ring;
    let s = this.spanStart;
    let acc = 0;
    for (let k = 0; k < n; k++) {
      acc += v[base + s]!;
      if (++s === ring) s = 0;
    }
    return acc;
  }

  /** Number of kept tiles in the window read at ts; sets spanStart to the first one's slot. */
  protected span(row: number, ts: number): number {
    const h = this.head[row]!;
    if (h === -Infinity) return 0;
    const t = Math.floor(ts / this.tileMs);
    const hi = t < h ? t : h;
    let lo = t - this.tiles + 1;
    const oldest = h - this.ring + 1;
    if (lo < oldest) lo = oldest;
    if (hi < lo) return 0;
    this.spanStart = slotOf(lo, this.ring);
    return hi - lo + 1;
  }

  encode(w: SnapshotWriter): void {
    const rows = this.keyspace.rowLimit;
    w.f64(this.tileMs);
    w.u32(this.tiles);
    w.u32(this.ring);
    w.array(this.head.subarray(0, rows));
    for (const s of this.slabs()) w.array(s.subarray(0, rows * this.ring));
  }

  decode(r: SnapshotReader): void {
    this.checkTiling(r);
    this.head.set(r.f64s());
    for (const s of this.slabs()) {
      const saved = s instanceof Float64Array ? r.f64s() : r.u32s();
      s.set(saved);
    }
  }

  protected checkTiling(r: SnapshotReader): void {
    const tileMs = r.f64();
    const tiles = r.u32();
    const ring = r.u32();
    if (tileMs !== this.tileMs || tiles !== this.tiles || ring !== this.ring) {
      throw new Error(`snapshot tiling for ${this.spec.signature} is ${tiles}x${tileMs}ms ring ${ring}, expected ${this.tiles}x${this.tileMs}ms ring ${this.ring}`);
    }
  }
}

/** Observations per window; Uint32 tiles, ~ring*4+8 bytes per key. */
export class WindowedCount extends Tiled {
  protected counts = new Uint32Array(0);

  add(row: number, ts: number, _value: number): void {
    if (row < 0) return;
    const s = this.slotForAdd(row, ts);
    if (s >= 0) this.counts[s]!++;
  }

  read(row: number, ts: number): number {
    return row < 0 ? 0 : this.total(this.counts, row, ts);
  }

  protected growSlots(slots: number): void {
    const g = new Uint32Array(slots);
    g.set(this.counts);
    this.counts = g;
  }

  protected clearSlots(_row: number, from: number, to: number): void {
    this.counts.fill(0, from, to);
  }

  protected slabs(): Array<Float64Array | Uint32Array> {
    return [this.counts];
  }
}

/** Events per minute over the whole covered window (tiles * tileMs). */
export class WindowedRate extends WindowedCount {
  override read(row: number, ts: number): number {
    return super.read(row, ts) / ((this.tiles * this.tileMs) / 60000);
  }
}

export class WindowedSum extends Tiled {
  private sums = new Float64Array(0);

  add(row: number, ts: number, value: number): void {
    if (row < 0 || !isFiniteNumber(value)) return;
    const s = this.slotForAdd(row, ts);
    if (s >= 0) this.sums[s]! += value;
  }

  read(row: number, ts: number): number {
    return row < 0 ? 0 : this.total(this.sums, row, ts);
  }

  protected growSlots(slots: number): void {
    const g = new Float64Array(slots);
    g.set(this.sums);
    this.sums = g;
  }

  protected clearSlots(_row: number, from: number, to: number): void {
    this.sums.fill(0, from, to);
  }

  protected slabs(): Array<Float64Array | Uint32Array> {
    return [this.sums];
  }
}

/** Per-tile extreme; an empty tile holds +Infinity (min) or -Infinity (max), which adds never store. */
abstract class WindowedExtreme extends Tiled {
  protected vals = new Float64Array(0);
  protected abstract readonly empty: number;

  protected growSlots(slots: number): void {
    const g = new Float64Array(slots).fill(this.empty);
    g.set(this.vals);
    this.vals = g;
  }

  protected clearSlots(_row: number, from: number, to: number): void {
    this.vals.fill(this.empty, from, to);
  }

  protected slabs(): Array<Float64Array | Uint32Array> {
    return [this.vals];
  }
}

export class WindowedMin extends WindowedExtreme {
  protected readonly empty = Infinity;

  add(row: number, ts: number, value: number): void {
    if (row < 0 || !isFiniteNumber(value)) return;
    const s = this.slotForAdd(row, ts);
    if (s >= 0 && value < this.vals[s]!) this.vals[s] = value;
  }

  read(row: number, ts: number): number | null {
    if (row < 0) return null;
    const n = this.span(row, ts);
    const ring = this.ring;
    const base = row * ring;
    const v = this.vals;
    let s = this.spanStart;
    let acc = Infinity;
    for (let k = 0; k < n; k++) {
      const x = v[base + s]!;
      if (x < acc) acc = x;
      if (++s === ring) s = 0;
    }
    return acc === Infinity ? null : acc;
  }
}

export class WindowedMax extends WindowedExtreme {
  protected readonly empty = -Infinity;

  add(row: number, ts: number, value: number): void {
    if (row < 0 || !isFiniteNumber(value)) return;
    const s = this.slotForAdd(row, ts);
    if (s >= 0 && value > this.vals[s]!) this.vals[s] = value;
  }

  read(row: number, ts: number): number | null {
    if (row < 0) return null;
    const n = this.span(row, ts);
    const ring = this.ring;
    const base = row * ring;
    const v = this.vals;
    let s = this.spanStart;
    let acc = -Infinity;
    for (let k = 0; k < n; k++) {
      const x = v[base + s]!;
      if (x > acc) acc = x;
      if (++s === ring) s = 0;
    }
    return acc === -Infinity ? null : acc;
  }
}

export class WindowedMean extends Tiled {
  private counts = new Uint32Array(0);
  private sums = new Float64Array(0);

  add(row: number, ts: number, value: number): void {
    if (row < 0 || !isFiniteNumber(value)) return;
    const s = this.slotForAdd(row, ts);
    if (s < 0) return;
    this.counts[s]!++;
    this.sums[s]! += value;
  }

  read(row: number, ts: number): number | null {
    if (row < 0) return null;
    const n = this.span(row, ts);
    const ring = this.ring;
    const base = row * ring;
    let s = this.spanStart;
    let c = 0;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      c += this.counts[base + s]!;
      sum += this.sums[base + s]!;
      if (++s === ring) s = 0;
    }
    return c === 0 ? null : sum / c;
  }

  protected growSlots(slots: number): void {
    const c = new Uint32Array(slots);
    c.set(this.counts);
    this.counts = c;
    const g = new Float64Array(slots);
    g.set(this.sums);
    this.sums = g;
  }

  protected clearSlots(_row: number, from: number, to: number): void {
    this.counts.fill(0, from, to);
    this.sums.fill(0, from, to);
  }

  protected slabs(): Array<Float64Array | Uint32Array> {
    return [this.counts, this.sums];
  }
}

/**
 * Distinct state of one key. Exact mode: (value, tile) pairs sorted by value, one pair per value
 * and tile still in the ring, so reads at any kept point in time are exact (a value seen in an
 * older tile still counts for a window that ends before its newest sighting). HLL mode: one
 * register set per ring slot, merged on read.
 */
class DistinctState {
  values = new Float64Array(8);
  tiles = new Float64Array(8);
  n = 0;
  /** Distinct values among the pairs (stale pairs included until the next prune). */
  distinct = 0;
  sketches: Array<Uint8Array | null> | null = null;
  used: Uint8Array | null = null;
}

const mergeScratch = new Uint8Array(HLL_M);

export class WindowedDistinct extends Tiled {
  private states: Array<DistinctState | undefined> = [];

  /** Rows currently counting with HLL (for tests and stats). */
  get sketchedRows(): number {
    let n = 0;
    for (const s of this.states) if (s !== undefined && s.sketches !== null) n++;
    return n;
  }

  add(row: number, ts: number, value: number): void {
    if (row < 0 || value !== value) return;
    const slot = this.slotForAdd(row, ts);
    if (slot < 0) return;
    let st = this.states[row];
    if (st === undefined) { st = new DistinctState(); this.states[row] = st; }
    if (st.sketches !== null) {
      this.sketchAdd(st, slot - row * this.ring, value);
      return;
    }
    const tile = Math.floor(ts / this.tileMs);
    const oldest = this.head[row]! - this.ring + 1;
    let i = lowerBound(st.values, st.n, value);
    let j = i;
    let stale = -1;
    while (j < st.n && st.values[j] === value) {
      const t = st.tiles[j]!;
      if (t === tile) return;
      if (t < oldest) stale = j;
      j++;
    }
    if (stale >= 0) { st.tiles[stale] = tile; return; } // reuse a pair whose tile left the ring
    const fresh = i === j;
    if (st.n === st.values.length) {
      prune(st, oldest);
      if (st.n * 4 > st.values.length * 3) growState(st);
      i = lowerBound(st.values, st.n, value);
      j = i;
      while (j < st.n && st.values[j] === value) j++;
    }
    st.values.copyWithin(j + 1, j, st.n);
    st.tiles.copyWithin(j + 1, j, st.n);
    st.values[j] = value;
    st.tiles[j] = tile;
    st.n++;
    if (fresh) st.distinct++;
    if (st.distinct > DISTINCT_EXACT_LIMIT || st.n > DISTINCT_PAIR_LIMIT) {
      prune(st, oldest);
      if (st.distinct > DISTINCT_EXACT_LIMIT || st.n > DISTINCT_PAIR_LIMIT) this.toSketches(st, oldest);
    }
  }

  read(row: number, ts: number): number {
    if (row < 0) return 0;
    const st = this.states[row];
    if (st === undefined) return 0;
    const n = this.span(row, ts);
    if (n === 0) return 0;
    if (st.sketches !== null) return this.sketchRead(st, n);
    const t = Math.floor(ts / this.tileMs);
    const h = this.head[row]!;
    const hi = t < h ? t : h;
    const lo = hi - n + 1;
    const values = st.values;
    const tiles = st.tiles;
    let count = 0;
    let i = 0;
    while (i < st.n) {
      const v = values[i]!;
      let hit = false;
      do {
        const tt = tiles[i]!;
        if (tt >= lo && tt <= hi) hit = true;
        i++;
      } while (i < st.n && values[i] === v);
      if (hit) count++;
    }
    return count;
  }

  private toSketches(st: DistinctState, oldest: number): void {
    const ring = this.ring;
    st.sketches = new Array<Uint8Array | null>(ring).fill(null);
    st.used = new Uint8Array(ring);
    for (let i = 0; i < st.n; i++) {
      const t = st.tiles[i]!;
      if (t >= oldest) this.sketchAdd(st, slotOf(t, ring), st.values[i]!);
    }
    st.values = new Float64Array(8);
    st.tiles = new Float64Array(8);
    st.n = 0;
    st.distinct = 0;
  }

  private sketchAdd(st: DistinctState, slot: number, value: number): void {
    let regs = st.sketches![slot];
    if (regs == null) { regs = hllCreate(); st.sketches![slot] = regs; }
    hllAdd(regs, value);
    st.used![slot] = 1;
  }

  private sketchRead(st: DistinctState, n: number): number {
    const ring = this.ring;
    let s = this.spanStart;
    let only: Uint8Array | null = null;
    let merged = 0;
    for (let k = 0; k < n; k++) {
      if (st.used![s] === 1) {
        const regs = st.sketches![s]!;
        if (merged === 0) only = regs;
        else {
          if (merged === 1) mergeScratch.set(only!);
          hllMerge(mergeScratch, regs);
        }
        merged++;
      }
      if (++s === ring) s = 0;
    }
    if (merged === 0) return 0;
    return Math.round(hllEstimate(merged === 1 ? only! : mergeScratch));
  }

  protected growSlots(_slots: number): void {
    // Per-row state lives in `states`, which grows as rows use it.
  }

  protected clearSlots(row: number, from: number, to: number): void {
    const st = this.states[row];
    if (st === undefined || st.sketches === null) return; // exact pairs go stale by tile and are pruned lazily
    if (to - from === this.ring) {
      // The whole ring expired: start over in exact mode.
      st.sketches = null;
      st.used = null;
      return;
    }
    const base = row * this.ring;
    for (let s = from - base; s < to - base; s++) {
      if (st.used![s] === 1) { st.sketches[s]!.fill(0); st.used![s] = 0; }
    }
  }

  override clearRow(row: number): void {
    super.clearRow(row);
    this.states[row] = undefined;
  }

  protected slabs(): Array<Float64Array | Uint32Array> {
    return [];
  }

  override encode(w: SnapshotWriter): void {
    super.encode(w);
    const rows = this.keyspace.rowLimit;
    for (let r = 0; r < rows; r++) {
      const st = this.states[r];
      if (st === undefined) { w.u8(0); continue; }
      if (st.sketches === null) {
        w.u8(1);
        w.u32(st.distinct);
        w.array(st.values.subarray(0, st.n));
        w.array(st.tiles.subarray(0, st.n));
        continue;
      }
      w.u8(2);
      w.array(st.used!);
      for (let s = 0; s < this.ring; s++) if (st.used![s] === 1) w.array(st.sketches[s]!);
    }
  }

  override decode(r: SnapshotReader): void {
    super.decode(r);
    const rows = this.keyspace.rowLimit;
    for (let row = 0; row < rows; row++) {
      const mode = r.u8();
      if (mode === 0) { this.states[row] = undefined; continue; }
      const st = new DistinctState();
      if (mode === 1) {
        st.distinct = r.u32();
        const values = r.f64s();
        const tiles = r.f64s();
        if (values.length !== tiles.length) throw new Error(`snapshot distinct state of ${this.spec.signature} row ${row} is inconsistent`);
        st.n = values.length;
        st.values = new Float64Array(Math.max(8, values.length));
        st.values.set(values);
        st.tiles = new Float64Array(Math.max(8, tiles.length));
        st.tiles.set(tiles);
      } else if (mode === 2) {
        const used = r.u8s();
        if (used.length !== this.ring) throw new Error(`snapshot distinct sketches of ${this.spec.signature} row ${row} have ${used.length} slots, expected ${this.ring}`);
        st.used = used;
        st.sketches = new Array<Uint8Array | null>(this.ring).fill(null);
        for (let s = 0; s < this.ring; s++) {
          if (used[s] !== 1) continue;
          const regs = r.u8s();
          if (regs.length !== HLL_M) throw new Error(`snapshot HLL of ${this.spec.signature} has ${regs.length} registers, expected ${HLL_M}`);
          st.sketches[s] = regs;
        }
      } else {
        throw new Error(`snapshot distinct state of ${this.spec.signature} row ${row} has unknown mode ${mode}`);
      }
      this.states[row] = st;
    }
  }
}

function lowerBound(values: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Drops pairs whose tile left the ring and recounts distinct values; keeps the sort order. */
function prune(st: DistinctState, oldest: number): void {
  let k = 0;
  let distinct = 0;
  for (let i = 0; i < st.n; i++) {
    const t = st.tiles[i]!;
    if (t < oldest) continue;
    const v = st.values[i]!;
    if (k === 0 || st.values[k - 1] !== v) distinct++;
    st.values[k] = v;
    st.tiles[k] = t;
    k++;
  }
  st.n = k;
  st.distinct = distinct;
}

function growState(st: DistinctState): void {
  const size = st.values.length * 2;
  const v = new Float64Array(size);
  v.set(st.values.subarray(0, st.n));
  const t = new Float64Array(size);
  t.set(st.tiles.subarray(0, st.n));
  st.values = v;
  st.tiles = t;
}

/** Earliest (first_seen) or newest (last_seen) ts ever added per key; NaN = never. */
export class SeenTime implements StoredAggregate {
  readonly spec: AggregateSpec;
  readonly keyspace: KeySpace;
  readonly retentionMs: number;
  private readonly earliest: boolean;
  private vals = new Float64Array(0);

  constructor(spec: AggregateSpec, keyspace: KeySpace, retentionMs: number) {
    this.spec = spec;
    this.keyspace = keyspace;
    this.retentionMs = retentionMs;
    this.earliest = spec.kind === 'first_seen';
  }

  add(row: number, ts: number, _value: number): void {
    if (row < 0 || ts !== ts) return;
    const v = this.vals[row]!;
    if (v !== v || (this.earliest ? ts < v : ts > v)) this.vals[row] = ts;
  }

  read(row: number, _ts: number): number | null {
    if (row < 0) return null;
    const v = this.vals[row]!;
    return v === v ? v : null;
  }

  grow(capacity: number): void {
    if (capacity <= this.vals.length) return;
    const g = new Float64Array(capacity).fill(NaN);
    g.set(this.vals);
    this.vals = g;
  }

  clearRow(row: number): void {
    this.vals[row] = NaN;
  }

  encode(w: SnapshotWriter): void {
    w.array(this.vals.subarray(0, this.keyspace.rowLimit));
  }

  decode(r: SnapshotReader): void {
    this.vals.set(r.f64s());
  }
}

/** Builds the aggregate for a spec and attaches it to its key space (which must match spec.keyspace). */
export function createAggregate(spec: AggregateSpec, keyspace: KeySpace, opts: AggregateOptions): StoredAggregate {
  const late = opts.latenessMs;
  let agg: StoredAggregate;
  switch (spec.kind) {
    case 'count': agg = new WindowedCount(spec, keyspace, late); break;
    case 'rate': agg = new WindowedRate(spec, keyspace, late); break;
    case 'sum': agg = new WindowedSum(spec, keyspace, late); break;
    case 'min': agg = new WindowedMin(spec, keyspace, late); break;
    case 'max': agg = new WindowedMax(spec, keyspace, late); break;
    case 'mean': agg = new WindowedMean(spec, keyspace, late); break;
    case 'distinct': agg = new WindowedDistinct(spec, keyspace, late); break;
    case 'first_seen':
    case 'last_seen':
      agg = new SeenTime(spec, keyspace, opts.seenRetentionMs ?? DEFAULT_SEEN_RETENTION_MS);
      break;
    default: {
      const never: never = spec.kind;
      throw new Error(`unknown aggregate kind ${String(never)}`);
    }
  }
  keyspace.attach(agg);
  return agg;
}
