// Reason codes from per-feature contributions: the few features that moved this score the most.

export interface Reason {
  feature: string;
  /** Log-odds contribution. */
  contribution: number;
  /** +1 pushed the score towards abuse, −1 away from it. */
  sign: 1 | -1;
}

/**
 * The k contributions largest in magnitude (`by: 'magnitude'`) or the k that raised the score most
 * (`by: 'raising'`, what a block or review reason should cite). Zero contributions are never reasons.
 */
export function topReasons(contributions: ArrayLike<number>, names: readonly string[], k: number, by: 'magnitude' | 'raising' = 'magnitude'): Reason[] {
  const picked: number[] = [];
  for (let f = 0; f < contributions.length; f++) {
    const c = contributions[f]!;
    if (c === 0 || c !== c || (by === 'raising' && c < 0)) continue;
    picked.push(f);
  }
  picked.sort((a, b) => Math.abs(contributions[b]!) - Math.abs(contributions[a]!) || a - b);
  return picked.slice(0, Math.max(0, k)).map((f) => ({ feature: names[f] ?? `f${f}`, contribution: contributions[f]!, sign: contributions[f]! > 0 ? 1 : -1 }));
}
