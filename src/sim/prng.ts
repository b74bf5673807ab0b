// Seeded, fast, portable randomness (sfc32) and the sampling shapes the simulator needs.

/** sfc32: 128-bit state, passes PractRand, ~5 ns per draw; identical on every platform. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9 ^ seed;
    this.b = 0x243f6a88 ^ stream;
    this.c = 0xb7e15162 ^ Math.imul(seed, 0x85ebca6b);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32(); // warm up so nearby seeds diverge
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal parameterised by its median and the sigma of the underlying normal. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Pareto with minimum xm and tail index alpha: heavy-tailed activity. */
  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.next(), 1 / alpha);
  }

  /** Geometric count >= 1 with the given mean. */
  geometric(mean: number): number {
    if (mean <= 1) return 1;
    return 1 + Math.floor(Math.log(1 - this.next()) / Math.log(1 - 1 / mean));
  }

  /** len hex digits (a multiple of 8 is cheapest). */
  hex(len: number): string {
    let s = '';
    for (let n = len; n > 0; n -= 8) {
      const h = (this.u32() + 0x100000000).toString(16);
      s += n >= 8 ? h.slice(1) : h.slice(1, 1 + n);
    }
    return flat(s);
  }

  /** A child generator whose sequence does not depend on how much the parent is used later. */
  fork(stream: number): Rng {
    return new Rng(this.u32() ^ Math.imul(stream, 0x27d4eb2d), stream);
  }
}

/** Walker alias table: O(1) weighted choice among a fixed population. */
export class WeightedChoice {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    if (n === 0) return;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = total > 0 ? (weights[i]! * n) / total : 1;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  draw(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** Scrambles a counter into a uniformly spread 32-bit value (a bijection, so ids stay unique). */
export function scramble(n: number, salt: number): number {
  let x = Math.imul(n ^ salt, 0x9e3779b1) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x85ebca6b) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
}

/** Flattens a concatenated (rope) string; long-lived ids stored as ropes cost several times their length. */
export function flat(s: string): string {
  return (' ' + s).slice(1);
}
