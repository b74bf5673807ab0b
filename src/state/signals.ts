// Entity signals: numbers about an entity computed outside the event stream (graph ring size, a batch model score).

export class SignalStore {
  /** "Type\0name" → id → value: a rule's read needs no string building. */
  private readonly byTypeName = new Map<string, Map<string, number>>();
  private count = 0;

  static typeNameKey(type: string, name: string): string { return `${type}\u0000${name}`; }

  get size(): number { return this.count; }

  /** Sets a signal; null removes it. `entity` is "Type:id". */
  set(entity: string, name: string, value: number | null): void {
    const [key, id] = split(entity, name);
    let ids = this.byTypeName.get(key);
    if (value === null) {
      if (ids?.delete(id)) { this.count--; if (ids.size === 0) this.byTypeName.delete(key); }
      return;
    }
    if (ids === undefined) { ids = new Map(); this.byTypeName.set(key, ids); }
    if (!ids.has(id)) this.count++;
    ids.set(id, value);
  }

  getTyped(typeNameKey: string, id: string): number | null {
    const v = this.byTypeName.get(typeNameKey)?.get(id);
    return v === undefined ? null : v;
  }

  get(entity: string, name: string): number | null {
    const [key, id] = split(entity, name);
    return this.getTyped(key, id);
  }

  /** Every signal of one entity. */
  list(entity: string): { name: string; value: number }[] {
    const i = entity.indexOf(':');
    const type = entity.slice(0, i);
    const id = entity.slice(i + 1);
    const out: { name: string; value: number }[] = [];
    for (const [key, ids] of this.byTypeName) {
      const sep = key.indexOf('\u0000');
      if (key.slice(0, sep) !== type) continue;
      const v = ids.get(id);
      if (v !== undefined) out.push({ name: key.slice(sep + 1), value: v });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  clearEntity(entity: string): number {
    let n = 0;
    for (const s of this.list(entity)) { this.set(entity, s.name, null); n++; }
    return n;
  }

  forEach(fn: (entity: string, name: string, value: number) => void): void {
    for (const [key, ids] of this.byTypeName) {
      const sep = key.indexOf('\u0000');
      const type = key.slice(0, sep);
      const name = key.slice(sep + 1);
      for (const [id, v] of ids) fn(`${type}:${id}`, name, v);
    }
  }
}

function split(entity: string, name: string): [string, string] {
  const i = entity.indexOf(':');
  return i < 0 ? [`\u0000${name}`, entity] : [`${entity.slice(0, i)}\u0000${name}`, entity.slice(i + 1)];
}
