// Entity labels with expiry (e.g. "Account:a1" → "suspected_farm" until ts), dropped lazily and in sweeps.

export interface EntityLabel {
  label: string;
  expiresAt: number;
}

export class LabelStore {
  private readonly byEntity = new Map<string, Map<string, number>>();
  /** The same labels indexed by "Type\0label" then id, so a rule's check needs no string building. */
  private readonly byTypeLabel = new Map<string, Map<string, number>>();
  private count = 0;
  /**
   * Labels expiring at or before this ts are dead for every read the store still accepts
   * (reads are never more than the lateness behind the watermark), so they may be dropped.
   * Dropping by read ts instead would break out-of-order reads.
   */
  private horizon = -Infinity;
  private walk: Iterator<[string, Map<string, number>]> | null = null;

  /** Labels held. */
  get size(): number {
    return this.count;
  }

  /** Sets or replaces a label; expiresAt = Infinity means it never expires. */
  set(entity: string, label: string, expiresAt: number): void {
    let m = this.byEntity.get(entity);
    if (m === undefined) { m = new Map(); this.byEntity.set(entity, m); }
    if (!m.has(label)) this.count++;
    m.set(label, expiresAt);
    const [tl, id] = typeLabel(entity, label);
    let ids = this.byTypeLabel.get(tl);
    if (ids === undefined) { ids = new Map(); this.byTypeLabel.set(tl, ids); }
    ids.set(id, expiresAt);
  }

  /** The key `hasTyped` takes for a type and a label (computed once, at compile time). */
  static typeLabelKey(type: string, label: string): string { return `${type}\u0000${label}`; }

  /** has(), for a rule that knows the entity type and label in advance. */
  hasTyped(typeLabelKey: string, id: string, ts: number): boolean {
    const ids = this.byTypeLabel.get(typeLabelKey);
    if (ids === undefined) return false;
    const exp = ids.get(id);
    if (exp === undefined) return false;
    if (exp <= this.horizon) {
      const sep = typeLabelKey.indexOf('\u0000');
      this.clear(`${typeLabelKey.slice(0, sep)}:${id}`, typeLabelKey.slice(sep + 1));
      return false;
    }
    return exp > ts;
  }

  private unindex(entity: string, label: string): void {
    const [tl, id] = typeLabel(entity, label);
    const ids = this.byTypeLabel.get(tl);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) this.byTypeLabel.delete(tl);
  }

  clear(entity: string, label: string): boolean {
    const m = this.byEntity.get(entity);
    if (m === undefined || !m.delete(label)) return false;
    this.unindex(entity, label);
    this.count--;
    if (m.size === 0) this.byEntity.delete(entity);
    return true;
  }

  has(entity: string, label: string, ts: number): boolean {
    const m = this.byEntity.get(entity);
    if (m === undefined) return false;
    const exp = m.get(label);
    if (exp === undefined) return false;
    if (exp <= this.horizon) { this.clear(entity, label); return false; }
    return exp > ts;
  }

  /** Whether the entity carries any label in force at ts. */
  any(entity: string, ts: number): boolean {
    const m = this.byEntity.get(entity);
    if (m === undefined) return false;
    for (const expiresAt of m.values()) if (expiresAt > ts && expiresAt > this.horizon) return true;
    return false;
  }

  /** Labels in force at ts. */
  list(entity: string, ts: number): EntityLabel[] {
    const m = this.byEntity.get(entity);
    const out: EntityLabel[] = [];
    if (m === undefined) return out;
    for (const [label, expiresAt] of m) if (expiresAt > ts) out.push({ label, expiresAt });
    return out;
  }

  /** Removes everything about an entity (subject erasure). */
  clearEntity(entity: string): number {
    const m = this.byEntity.get(entity);
    if (m === undefined) return 0;
    this.count -= m.size;
    for (const label of m.keys()) this.unindex(entity, label);
    this.byEntity.delete(entity);
    return m.size;
  }

  /** Raises the drop horizon (the store passes watermark − lateness). */
  advance(horizon: number): void {
    if (horizon > this.horizon) this.horizon = horizon;
  }

  /** Incremental sweep: visits a few entities round-robin and drops their dead labels. */
  sweepStep(entities = 2): void {
    if (this.horizon === -Infinity || this.byEntity.size === 0) return;
    for (let k = 0; k < entities; k++) {
      if (this.walk === null) this.walk = this.byEntity.entries();
      const next = this.walk.next();
      if (next.done === true) { this.walk = null; continue; }
      this.dropDead(next.value[0], next.value[1]);
    }
  }

  /** Full sweep: drops every label expiring at or before the horizon. */
  sweep(horizon: number): number {
    this.advance(horizon);
    const before = this.count;
    for (const [entity, m] of this.byEntity) this.dropDead(entity, m);
    return before - this.count;
  }

  /** Every label, for snapshots. */
  forEach(fn: (entity: string, label: string, expiresAt: number) => void): void {
    for (const [entity, m] of this.byEntity) for (const [label, exp] of m) fn(entity, label, exp);
  }

  get dropHorizon(): number {
    return this.horizon;
  }

  get entities(): number {
    return this.byEntity.size;
  }

  private dropDead(entity: string, m: Map<string, number>): void {
    for (const [label, exp] of m) {
      if (exp <= this.horizon) { m.delete(label); this.unindex(entity, label); this.count--; }
    }
    if (m.size === 0) this.byEntity.delete(entity);
  }
}

/** Splits "Type:id" and pairs the type with the label: the secondary index's two keys. */
function typeLabel(entity: string, label: string): [string, string] {
  const i = entity.indexOf(':');
  return i < 0 ? [`\u0000${label}`, entity] : [`${entity.slice(0, i)}\u0000${label}`, entity.slice(i + 1)];
}
