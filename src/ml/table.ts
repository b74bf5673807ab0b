// Training tables from `bulwark export` files (CSV or Parquet): typed columns, a content fingerprint, datasets for the learners.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Dataset } from './dataset.ts';

export type ColumnKind = 'number' | 'bool' | 'string';

export interface Table {
  names: string[];
  kinds: Map<string, ColumnKind>;
  /** number and bool columns as Float64 (bool = 0/1, missing = NaN). */
  numeric: Map<string, Float64Array>;
  /** string columns (null = missing). */
  text: Map<string, (string | null)[]>;
  rows: number;
  /** sha256 of the file's bytes. */
  fingerprint: string;
}

/** Splits one CSV line (RFC 4180 quoting, as `bulwark export` writes it). */
function splitCsv(line: string, out: string[]): void {
  out.length = 0;
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) { v += line.slice(i); i = line.length; break; }
        v += line.slice(i, q);
        if (line[q + 1] === '"') { v += '"'; i = q + 2; } else { i = q + 1; break; }
      }
      out.push(v);
      i++; // the comma
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
}

function buildTable(names: string[], cells: (string | number | boolean | null)[][], rows: number, fingerprint: string): Table {
  const kinds = new Map<string, ColumnKind>();
  const numeric = new Map<string, Float64Array>();
  const text = new Map<string, (string | null)[]>();
  names.forEach((name, c) => {
    const col = cells[c]!;
    let kind: ColumnKind | null = null;
    for (const v of col) {
      if (v === null || v === '') continue;
      const k: ColumnKind = typeof v === 'boolean' || v === 'true' || v === 'false' ? 'bool'
        : typeof v === 'number' || (v.trim() !== '' && Number.isFinite(Number(v))) ? 'number' : 'string';
      if (kind === null) kind = k;
      else if (kind !== k) { kind = 'string'; break; }
    }
    kind ??= 'number'; // an all-empty column: numeric, all missing
    kinds.set(name, kind);
    if (kind === 'string') { text.set(name, col.map((v) => (v === null || v === '' ? null : String(v)))); return; }
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const v = col[r];
      out[r] = v === null || v === '' || v === undefined ? NaN : v === true || v === 'true' ? 1 : v === false || v === 'false' ? 0 : Number(v);
    }
    numeric.set(name, out);
  });
  return { names, kinds, numeric, text, rows, fingerprint };
}

export function readCsvTable(path: string): Table {
  const bytes = readFileSync(path);
  const fingerprint = createHash('sha256').update(bytes).digest('hex');
  const lines = bytes.toString('utf8').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new Error(`${path} is empty`);
  const header: string[] = [];
  splitCsv(lines[0]!.replace(/\r$/, ''), header);
  const names = [...header];
  const cells: string[][] = names.map(() => []);
  const parts: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    splitCsv(lines[i]!.replace(/\r$/, ''), parts);
    if (parts.length !== names.length) throw new Error(`${path}:${i + 1}: ${parts.length} fields, expected ${names.length}`);
    for (let c = 0; c < names.length; c++) cells[c]!.push(parts[c]!);
  }
  return buildTable(names, cells, lines.length - 1, fingerprint);
}

/** Parquet through hyparquet (the reader hyparquet-writer depends on); loaded only when a .parquet file is read. */
export async function readParquetTable(path: string): Promise<Table> {
  const bytes = readFileSync(path);
  const fingerprint = createHash('sha256').update(bytes).digest('hex');
  const { parquetReadObjects } = (await import('hyparquet')) as unknown as {
    parquetReadObjects(o: { file: ArrayBuffer }): Promise<Record<string, unknown>[]>;
  };
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const objects = await parquetReadObjects({ file: ab });
  const names = objects.length ? Object.keys(objects[0]!) : [];
  const cells = names.map((n) => objects.map((o) => {
    const v = o[n];
    return v === undefined || v === null ? null : typeof v === 'bigint' ? Number(v) : (v as string | number | boolean);
  }));
  return buildTable(names, cells, objects.length, fingerprint);
}

export async function readTable(path: string): Promise<Table> {
  if (path.endsWith('.csv')) return readCsvTable(path);
  if (path.endsWith('.parquet')) return readParquetTable(path);
  throw new Error(`--data must be a .csv or .parquet file from bulwark export, found '${path}'`);
}

/** Columns `bulwark export` adds around the features; never model inputs. */
export const EXPORT_META_COLUMNS = new Set(['event_id', 'event_type', 'ts', 'verdict', 'score', 'label', 'label_kind']);

/** Feature columns (number/bool) of a table, minus the label and anything excluded. */
export function featureColumns(t: Table, label: string, exclude: readonly string[] = []): string[] {
  const skip = new Set([...EXPORT_META_COLUMNS, label, ...exclude]);
  return t.names.filter((n) => !skip.has(n) && t.kinds.get(n) !== 'string');
}

/** A dataset over `rows` (indices into the table) with these feature columns and 0/1 labels. */
export function datasetOf(t: Table, features: readonly string[], labels: Uint8Array, rows: Int32Array): Dataset {
  const columns = features.map((f) => {
    const src = t.numeric.get(f);
    if (!src) throw new Error(`column ${f} is not numeric`);
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = src[rows[i]!]!;
    return out;
  });
  const y = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) y[i] = labels[rows[i]!]!;
  return { columns, labels: y, featureNames: [...features], rows: rows.length };
}
