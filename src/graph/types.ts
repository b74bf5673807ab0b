// Shapes shared by every graph detector: entity references and the detected group with score, explanation, evidence.

/** A typed entity as the rest of Bulwark names it: ('account', 'a_123'), ('device', 'd_9'). */
export interface EntityRef {
  type: string;
  id: string;
}

export type GroupKind = 'ring' | 'dense-block' | 'lockstep';

/** One organised group found by a detector. */
export interface DetectedGroup<Evidence> {
  kind: GroupKind;
  /** accounts (and for dense blocks also the objects) that make up the group */
  members: EntityRef[];
  size: number;
  /** higher is more suspicious; each detector documents its scale */
  score: number;
  /** one human sentence a reviewer can read in a case */
  explanation: string;
  evidence: Evidence;
}

/** Names row/column indices of a typed-array graph back into entities. */
export interface IndexNames {
  row(row: number): EntityRef;
  col(col: number): EntityRef;
}

/** Index names for graphs built straight from integer ids (bench, tests, pre-interned data). */
export function plainNames(rowType: string, colType: string): IndexNames {
  return {
    row: (row) => ({ type: rowType, id: String(row) }),
    col: (col) => ({ type: colType, id: String(col) }),
  };
}

/** Errors are values at the edges (see DESIGN conventions). */
export interface GraphError {
  code: 'BadSnapshot' | 'BadInput';
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: GraphError };

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
