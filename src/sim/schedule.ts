// Merges many timed event sources (sessions, spawners, campaigns) into one time-ordered stream.
import type { SimEvent } from './catalogue.ts';

export interface Source {
  /** Time of the next event (or action) of this source. */
  ts: number;
  /** Tie-breaker so equal timestamps come out in a deterministic order. */
  seq: number;
  done: boolean;
  /** Produces the event at `ts` (or null when it only spawned other sources), then advances `ts` or sets `done`. */
  step(schedule: Schedule): SimEvent | null;
}

/** Binary min-heap on (ts, seq). */
export class Schedule {
  private readonly heap: Source[] = [];
  private nextSeq = 0;
  private stepping = false;
  private readonly pending: Source[] = [];

  get size(): number { return this.heap.length; }

  add(s: Source): void {
    if (this.stepping) { this.pending.push(s); return; }
    s.seq = this.nextSeq++;
    const h = this.heap;
    h.push(s);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(s, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = s;
  }

  /** Steps the earliest source and restores heap order; sources it adds meanwhile join afterwards. */
  step(): SimEvent | null {
    const h = this.heap;
    const top = h[0];
    if (!top) return null;
    this.stepping = true;
    const ev = top.step(this);
    this.stepping = false;
    if (top.done) {
      const last = h.pop()!;
      if (h.length) { h[0] = last; this.down(0); }
    } else this.down(0);
    if (this.pending.length) {
      for (const s of this.pending) this.add(s);
      this.pending.length = 0;
    }
    return ev;
  }

  peek(): Source | undefined { return this.heap[0]; }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const s = h[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(h[c + 1]!, h[c]!)) c++;
      if (!before(h[c]!, s)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = s;
  }
}

function before(a: Source, b: Source): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}
