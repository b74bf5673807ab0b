// Column-major training data for the learners: one typed array per feature, NaN = missing.

export type FeatureColumn = Float64Array | Float32Array;

export interface Dataset {
  /** One column per feature, all of length `rows`. NaN marks a missing value. */
  readonly columns: readonly FeatureColumn[];
  /** 1 = positive (abuse / fraud), 0 = negative. */
  readonly labels: Uint8Array;
  readonly featureNames: readonly string[];
  readonly rows: number;
  /** Optional per-row weights (e.g. sampling corrections); class weights are a training option. */
  readonly weights?: Float64Array;
}

export type DatasetError = { code: 'BadDataset'; message: string };

/** Checks shapes once so learners can index without bounds thinking. */
export function validateDataset(data: Dataset): DatasetError | null {
  if (data.columns.length !== data.featureNames.length) {
    return { code: 'BadDataset', message: `${data.columns.length} columns but ${data.featureNames.length} feature names` };
  }
  if (data.labels.length !== data.rows) return { code: 'BadDataset', message: `${data.labels.length} labels for ${data.rows} rows` };
  for (let f = 0; f < data.columns.length; f++) {
    if (data.columns[f]!.length !== data.rows) {
      return { code: 'BadDataset', message: `column ${data.featureNames[f]} has ${data.columns[f]!.length} values for ${data.rows} rows` };
    }
  }
  for (let i = 0; i < data.rows; i++) {
    const y = data.labels[i]!;
    if (y !== 0 && y !== 1) return { code: 'BadDataset', message: `label at row ${i} is ${y}, expected 0 or 1` };
  }
  if (data.weights && data.weights.length !== data.rows) return { code: 'BadDataset', message: 'weights length differs from rows' };
  return null;
}

/** Builds a dataset from row-major values (null/undefined/NaN = missing). Handy for tests and small exports. */
export function datasetFromRows(
  rows: ReadonlyArray<ArrayLike<number | null | undefined>>,
  labels: ArrayLike<number>,
  featureNames?: readonly string[],
): Dataset {
  const n = rows.length;
  const width = featureNames?.length ?? (n > 0 ? rows[0]!.length : 0);
  const columns: Float64Array[] = [];
  for (let f = 0; f < width; f++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = rows[i]![f];
      col[i] = v === null || v === undefined ? NaN : v;
    }
    columns.push(col);
  }
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = labels[i] ? 1 : 0;
  return { columns, labels: y, featureNames: featureNames ?? columns.map((_, f) => `f${f}`), rows: n };
}

/** Row subset (copying) in the order given; keeps the column element type. */
export function selectRows(data: Dataset, rowIndices: ArrayLike<number>): Dataset {
  const m = rowIndices.length;
  const columns = data.columns.map((col) => {
    const out = col instanceof Float32Array ? new Float32Array(m) : new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = col[rowIndices[i]!]!;
    return out;
  });
  const labels = new Uint8Array(m);
  for (let i = 0; i < m; i++) labels[i] = data.labels[rowIndices[i]!]!;
  let weights: Float64Array | undefined;
  if (data.weights) {
    weights = new Float64Array(m);
    for (let i = 0; i < m; i++) weights[i] = data.weights[rowIndices[i]!]!;
  }
  return weights ? { columns, labels, featureNames: data.featureNames, rows: m, weights } : { columns, labels, featureNames: data.featureNames, rows: m };
}

/** Row `i` as a dense Float64Array, for scoring one row at a time. */
export function rowOf(data: Dataset, i: number, out = new Float64Array(data.columns.length)): Float64Array {
  for (let f = 0; f < data.columns.length; f++) out[f] = data.columns[f]![i]!;
  return out;
}
