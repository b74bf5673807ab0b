// Disjoint sets over typed arrays: the connected-component core of rings and lockstep clustering.

export interface Components {
  /** component label per element, 0..count-1, numbered in order of first element */
  labels: Int32Array;
  count: number;
  /** element count per component label */
  sizes: Int32Array;
}

export class UnionFind {
  readonly parent: Int32Array;
  private readonly rank: Uint8Array;

  constructor(readonly size: number) {
    this.parent = new Int32Array(size);
    this.rank = new Uint8Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    // path halving: every visited node points two levels up, keeps trees flat without recursion
    while (p[x] !== x) {
      const g = p[p[x]!]!;
      p[x] = g;
      x = g;
    }
    return x;
  }

  /** Returns true when a and b were in different sets. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    const rank = this.rank;
    if (rank[ra]! < rank[rb]!) { const t = ra; ra = rb; rb = t; }
    this.parent[rb] = ra;
    if (rank[ra] === rank[rb]) rank[ra]!++;
    return true;
  }

  components(): Components {
    const n = this.size;
    const labels = new Int32Array(n);
    const rootLabel = new Int32Array(n).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      let l = rootLabel[r]!;
      if (l < 0) { l = count++; rootLabel[r] = l; }
      labels[i] = l;
    }
    const sizes = new Int32Array(count);
    for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
    return { labels, count, sizes };
  }
}

/** Groups element indices by label (negative = unassigned, skipped): members ascending within each label. */
export function groupByLabel(labels: Int32Array, count: number): { offsets: Int32Array; members: Int32Array } {
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) offsets[labels[i]! + 1]!++;
  for (let c = 0; c < count; c++) offsets[c + 1]! += offsets[c]!;
  const fill = offsets.slice(0, count);
  const members = new Int32Array(offsets[count]!);
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) members[fill[labels[i]!]!++] = i;
  return { offsets, members };
}
