// Compact sparse-row graphs (typed arrays) that the detectors run on: bipartite users × objects and undirected.

/**
 * Bipartite graph rows × cols (accounts × identifiers, users × objects). Each edge e is stored once in the
 * row-major arrays; the column-major view points back at it through colEdge so detectors can mark edges.
 */
export interface Bipartite {
  rows: number;
  cols: number;
  edges: number;
  rowOffsets: Int32Array; // rows + 1
  rowTargets: Int32Array; // column of edge e
  colOffsets: Int32Array; // cols + 1
  colTargets: Int32Array; // row, ascending within a column
  colEdge: Int32Array; // edge id of each column-major entry
}

/** Undirected graph; every edge appears in both endpoints' lists. */
export interface Csr {
  nodes: number;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
}

/**
 * Builds a bipartite CSR from parallel edge arrays; duplicate (row, col) pairs are merged because the
 * detectors reason about distinct links, not repeat counts. Out-of-range endpoints are skipped.
 */
export function buildBipartite(rows: number, cols: number, src: Int32Array, dst: Int32Array, length = src.length): Bipartite {
  const rowOffsets = new Int32Array(rows + 1);
  for (let i = 0; i < length; i++) {
    const r = src[i]!, c = dst[i]!;
    if (r >= 0 && r < rows && c >= 0 && c < cols) rowOffsets[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) rowOffsets[r + 1]! += rowOffsets[r]!;
  const raw = new Int32Array(rowOffsets[rows]!);
  const fill = rowOffsets.slice(0, rows);
  for (let i = 0; i < length; i++) {
    const r = src[i]!, c = dst[i]!;
    if (r >= 0 && r < rows && c >= 0 && c < cols) raw[fill[r]!++] = c;
  }
  // sort each row and drop duplicates, compacting in place
  let w = 0;
  let start = 0;
  for (let r = 0; r < rows; r++) {
    const end = rowOffsets[r + 1]!;
    rowOffsets[r] = w;
    if (end - start > 1) raw.subarray(start, end).sort();
    let prev = -1;
    for (let k = start; k < end; k++) {
      const c = raw[k]!;
      if (c !== prev) { raw[w++] = c; prev = c; }
    }
    start = end;
  }
  rowOffsets[rows] = w;
  const rowTargets = w === raw.length ? raw : raw.slice(0, w);
  const colOffsets = new Int32Array(cols + 1);
  for (let e = 0; e < w; e++) colOffsets[rowTargets[e]! + 1]!++;
  for (let c = 0; c < cols; c++) colOffsets[c + 1]! += colOffsets[c]!;
  const colTargets = new Int32Array(w);
  const colEdge = new Int32Array(w);
  const cfill = colOffsets.slice(0, cols);
  for (let r = 0; r < rows; r++) {
    for (let e = rowOffsets[r]!; e < rowOffsets[r + 1]!; e++) {
      const k = cfill[rowTargets[e]!]!++;
      colTargets[k] = r;
      colEdge[k] = e;
    }
  }
  return { rows, cols, edges: w, rowOffsets, rowTargets, colOffsets, colTargets, colEdge };
}

/** Builds an undirected CSR from an edge list (a[i], b[i], weight[i]); self-loops are skipped. */
export function buildCsr(nodes: number, a: Int32Array, b: Int32Array, weight: Float32Array, length = a.length): Csr {
  const offsets = new Int32Array(nodes + 1);
  for (let i = 0; i < length; i++) {
    if (a[i] === b[i]) continue;
    offsets[a[i]! + 1]!++;
    offsets[b[i]! + 1]!++;
  }
  for (let v = 0; v < nodes; v++) offsets[v + 1]! += offsets[v]!;
  const targets = new Int32Array(offsets[nodes]!);
  const weights = new Float32Array(offsets[nodes]!);
  const fill = offsets.slice(0, nodes);
  for (let i = 0; i < length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x === y) continue;
    let k = fill[x]!++;
    targets[k] = y; weights[k] = weight[i]!;
    k = fill[y]!++;
    targets[k] = x; weights[k] = weight[i]!;
  }
  return { nodes, offsets, targets, weights };
}
