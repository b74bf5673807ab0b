// Value types of the strategy language and how they combine.

export type Base = 'string' | 'number' | 'bool' | 'timestamp' | 'duration' | 'list' | 'null';

export interface Type {
  base: Base;
  entity: string | null; // entity type name for entity-typed strings (Account, Device, ...)
  nullable: boolean;
  personal: boolean; // pseudonymised at ingestion: only equality, lists, keys and derivations may read it
}

export const T = {
  string: { base: 'string', entity: null, nullable: false, personal: false } as Type,
  number: { base: 'number', entity: null, nullable: false, personal: false } as Type,
  bool: { base: 'bool', entity: null, nullable: false, personal: false } as Type,
  timestamp: { base: 'timestamp', entity: null, nullable: false, personal: false } as Type,
  duration: { base: 'duration', entity: null, nullable: false, personal: false } as Type,
  list: { base: 'list', entity: null, nullable: false, personal: false } as Type,
  null: { base: 'null', entity: null, nullable: true, personal: false } as Type,
};

export function nullable(t: Type, n = true): Type { return t.nullable === n ? t : { ...t, nullable: n }; }
export function entity(name: string, personal: boolean): Type { return { base: 'string', entity: name, nullable: false, personal }; }

export function show(t: Type): string {
  const core = t.base === 'list' ? 'list<string>' : t.entity ?? t.base;
  return t.nullable && t.base !== 'null' ? `${core}?` : core;
}

/** Whether a value of type `from` may stand where `to` is expected (ignoring nullability). */
export function assignable(from: Type, to: Type): boolean {
  if (from.base === 'null') return true;
  if (from.base !== to.base) return false;
  if (to.entity && from.entity && to.entity !== from.entity) return false;
  return true;
}

/** Two values can be compared for equality: same base, and not two different entity types. */
export function comparable(a: Type, b: Type): boolean {
  if (a.base === 'null' || b.base === 'null') return true;
  if (a.base !== b.base) return false;
  return !(a.entity && b.entity && a.entity !== b.entity);
}

export const SCALAR_FIELD_TYPES = new Set(['string', 'number', 'bool', 'timestamp', 'duration']);
