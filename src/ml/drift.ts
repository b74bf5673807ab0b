// Population stability index: how far a feature or score distribution moved from a reference window.

export interface PsiResult {
  psi: number;
  /** Bin upper bounds from the reference's quantiles (last is +Infinity); missing values get their own bin. */
  edges: number[];
  referenceShare: number[];
  currentShare: number[];
}

/**
 * PSI = Σ (cur − ref) · ln(cur / ref) over bins cut at the reference's quantiles. Shares are floored at
 * `epsilon` so an empty bin gives a large but finite value. Common reading: < 0.1 stable, > 0.25 shifted.
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>, bins = 10, epsilon = 1e-4): PsiResult {
  const ref: number[] = [];
  for (let i = 0; i < reference.length; i++) if (reference[i] === reference[i]) ref.push(reference[i]!);
  const sorted = Float64Array.from(ref).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    if (sorted.length === 0) break;
    const q = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]!;
    // Edges are exclusive upper bounds; skip duplicates and a bound at the minimum (it would make an empty bin).
    if (q > sorted[0]! && (edges.length === 0 || q > edges[edges.length - 1]!)) edges.push(q);
  }
  edges.push(Infinity);
  const count = (xs: ArrayLike<number>): number[] => {
    const c = new Array<number>(edges.length + 1).fill(0);
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      if (v !== v) { c[edges.length]!++; continue; }
      let lo = 0;
      let hi = edges.length - 1;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if (v < edges[mid]!) hi = mid; else lo = mid + 1; }
      c[lo]!++;
    }
    return c.map((k) => k / Math.max(xs.length, 1));
  };
  const referenceShare = count(reference);
  const currentShare = count(current);
  let psi = 0;
  for (let b = 0; b < referenceShare.length; b++) {
    if (referenceShare[b] === 0 && currentShare[b] === 0) continue;
    const r = Math.max(referenceShare[b]!, epsilon);
    const c = Math.max(currentShare[b]!, epsilon);
    psi += (c - r) * Math.log(c / r);
  }
  return { psi, edges, referenceShare, currentShare };
}
