// Entity keys of one "by" clause mapped to dense rows that aggregates index their slabs with.

/** What a key space needs from the aggregates whose slabs are indexed by its rows. */
export interface RowSlabs {
  /** How long after a row's newest ts its state may still be read; drives eviction. */
  readonly retentionMs: number;
  /** Make room for rows [0, capacity). */
  grow(capacity: number): void;
  /** Forget a row's state; the row will be reused for another key. */
  clearRow(row: number): void;
}

const INITIAL_CAPACITY = 1024;

export class KeySpace {
  readonly signature: string;
  private readonly rows = new Map<string, number>();
  private keys: string[] = [];
  /** Newest event ts seen per row; NaN marks a free row. */
  private newest: Float64Array;
  private readonly free: number[] = [];
  private readonly attached: RowSlabs[] = [];
  private cap = INITIAL_CAPACITY;
  /** Rows handed out so far (free or live); rows above it have never been used. */
  private used = 0;
  private cursor = 0;
  private createdSinceStep = 0;
  private retention = 0;
  /** Newest ts seen by ensure or passed to an eviction step. */
  watermark = -Infinity;

  constructor(signature: string) {
    this.signature = signature;
    this.newest = new Float64Array(this.cap).fill(NaN);
  }

  /** Live rows. */
  get size(): number {
    return this.rows.size;
  }

  get capacity(): number {
    return this.cap;
  }

  /** One past the highest row ever handed out (slabs beyond it hold nothing). */
  get rowLimit(): number {
    return this.used;
  }

  /** Longest time a row may sit idle before eviction. */
  get retentionMs(): number {
    return this.retention;
  }

  row(key: string): number {
    const r = this.rows.get(key);
    return r === undefined ? -1 : r;
  }

  /**
   * Row for key, created if needed; records ts as the row's newest when it is newer.
   * Never evicts: eviction runs in evictStep/sweep (the store calls it once per event, after
   * commit), so rows handed out while one event is processed cannot be recycled under it.
   */
  ensure(key: string, ts: number): number {
    let r = this.rows.get(key);
    if (r === undefined) {
      r = this.free.length > 0 ? this.free.pop()! : this.fresh();
      this.rows.set(key, r);
      this.keys[r] = key;
      this.newest[r] = ts;
      this.createdSinceStep++;
    } else if (ts > this.newest[r]!) {
      this.newest[r] = ts;
    }
    if (ts > this.watermark) this.watermark = ts;
    return r;
  }

  key(row: number): string {
    return row >= 0 && row < this.used && this.newest[row] === this.newest[row] ? this.keys[row]! : '';
  }

  /** Newest ts recorded for a row (NaN if the row is free). */
  newestTs(row: number): number {
    return row >= 0 && row < this.used ? this.newest[row]! : NaN;
  }

  /** Removes a key now (subject erasure). */
  remove(key: string): boolean {
    const r = this.rows.get(key);
    if (r === undefined) return false;
    this.evict(r);
    return true;
  }

  attach(slabs: RowSlabs): void {
    this.attached.push(slabs);
    slabs.grow(this.cap);
    if (slabs.retentionMs > this.retention) this.retention = slabs.retentionMs;
  }

  /**
   * Incremental eviction: checks a few rows round-robin (at least two, and two per row created
   * since the last step, so a stream of unique keys cannot outrun it). Amortised O(1) per event.
   */
  evictStep(watermark: number): void {
    if (watermark > this.watermark) this.watermark = watermark;
    if (this.used === 0) return;
    const limit = this.watermark - this.retention;
    let n = 2 + 2 * this.createdSinceStep;
    this.createdSinceStep = 0;
    if (n > this.used) n = this.used;
    let c = this.cursor;
    for (; n > 0; n--) {
      if (c >= this.used) c = 0;
      const t = this.newest[c]!;
      if (t < limit) this.evict(c);
      c++;
    }
    this.cursor = c;
  }

  /** Full pass: evicts every row idle for longer than the retention. */
  sweep(watermark: number): number {
    if (watermark > this.watermark) this.watermark = watermark;
    const limit = this.watermark - this.retention;
    let evicted = 0;
    for (let r = 0; r < this.used; r++) {
      if (this.newest[r]! < limit) { this.evict(r); evicted++; }
    }
    return evicted;
  }

  /** Calls fn for every live row. */
  forEachRow(fn: (row: number, key: string, newestTs: number) => void): void {
    for (let r = 0; r < this.used; r++) {
      const t = this.newest[r]!;
      if (t === t) fn(r, this.keys[r]!, t);
    }
  }

  private evict(r: number): void {
    this.rows.delete(this.keys[r]!);
    this.keys[r] = '';
    this.newest[r] = NaN;
    for (const s of this.attached) s.clearRow(r);
    this.free.push(r);
  }

  private fresh(): number {
    if (this.used === this.cap) {
      // Grow by a quarter, not double: slab memory is most of the state, and doubling leaves up to half of it idle.
      this.cap = Math.ceil(this.cap * 1.25) + 64;
      const grown = new Float64Array(this.cap).fill(NaN);
      grown.set(this.newest);
      this.newest = grown;
      for (const s of this.attached) s.grow(this.cap);
    }
    return this.used++;
  }

  /** Raw state for snapshots. */
  exportState(): { capacity: number; used: number; cursor: number; created: number; watermark: number; newest: Float64Array; keys: string[]; free: number[] } {
    return { capacity: this.cap, used: this.used, cursor: this.cursor, created: this.createdSinceStep, watermark: this.watermark, newest: this.newest.subarray(0, this.used), keys: this.keys.slice(0, this.used), free: this.free.slice() };
  }

  /** Rebuilds from exportState() output; call before attaching aggregates. */
  importState(s: { capacity: number; used: number; cursor: number; created?: number; watermark: number; newest: Float64Array; keys: string[]; free: number[] }): void {
    // Rows created since the last eviction step size the next step: part of the state, so a restore evicts alike.
    this.createdSinceStep = s.created ?? 0;
    if (this.attached.length > 0) throw new Error('KeySpace.importState: aggregates already attached');
    this.cap = s.capacity;
    this.used = s.used;
    this.cursor = s.cursor;
    this.watermark = s.watermark;
    this.newest = new Float64Array(this.cap).fill(NaN);
    this.newest.set(s.newest.subarray(0, s.used));
    this.keys = s.keys.slice(0, s.used);
    this.free.length = 0;
    for (const r of s.free) this.free.push(r);
    this.rows.clear();
    for (let r = 0; r < this.used; r++) {
      if (this.newest[r] === this.newest[r]) this.rows.set(this.keys[r]!, r);
    }
  }
}
