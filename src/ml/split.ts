// Train/test splits that do not leak: by event time, or by entity so one account never sits on both sides.

export interface RowSplit { train: Int32Array; test: Int32Array }

/**
 * Rows with time < cutoff train, rows with time >= cutoff + gap test. A gap (embargo) drops rows whose
 * labels may not have matured or whose windowed features overlap the boundary.
 */
export function splitByTime(times: ArrayLike<number>, cutoff: number, gap = 0): RowSplit {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t < cutoff) train.push(i);
    else if (t >= cutoff + gap) test.push(i);
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** FNV-1a over the UTF-16 code units of the entity id and a salt; stable across runs and machines. */
export function entityHash(entity: string | number | bigint, salt = ''): number {
  const s = `${salt}\u0000${String(entity)}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche so near-identical ids spread evenly.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The entity's hash decides its side, so every row of one entity lands on the same side. */
export function splitByEntity(entities: ArrayLike<string | number | bigint>, testFraction: number, salt = ''): RowSplit {
  const train: number[] = [];
  const test: number[] = [];
  const cut = testFraction * 4294967296;
  const memo = new Map<string | number | bigint, boolean>();
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i]!;
    let isTest = memo.get(e);
    if (isTest === undefined) { isTest = entityHash(e, salt) < cut; memo.set(e, isTest); }
    (isTest ? test : train).push(i);
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
