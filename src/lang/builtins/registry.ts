// The registry of built-in functions: the type checker, the compiler and the docs all read it.
import type { Type } from '../types.ts';

export interface Builtin {
  name: string;
  /** Allowed argument types, one entry per parameter; entity-typed strings are accepted where 'string' is. */
  params: { name: string; bases: Type['base'][] }[];
  returns: (args: Type[]) => Type;
  /** Null in gives null out when any argument is nullable; otherwise the function is total. */
  impl: (...args: never[]) => unknown;
  doc: string;
  example: string;
  /**
   * Set for normalisations of personal data: computed from the raw value at ingestion, before the value
   * is pseudonymised. `personalResult` says whether the derived value is itself personal (and hashed).
   */
  derive?: { entities: string[]; personalResult: boolean };
}

const registry = new Map<string, Builtin>();

export function register(b: Builtin): Builtin {
  registry.set(b.name, b);
  return b;
}

export function builtin(name: string): Builtin | undefined { return registry.get(name); }
export function allBuiltins(): Builtin[] { return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name)); }
