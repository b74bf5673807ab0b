// Public face of state: the embedded memory store and entity labels.
export { MemoryStore, SNAPSHOT_FORMAT_VERSION } from './memory.ts';
export type { MemoryStoreOptions, StoreStats, PersonaFeature } from './memory.ts';
export { LabelStore } from './labels.ts';
export type { EntityLabel } from './labels.ts';
export { SignalStore } from './signals.ts';
export type { KeySpace, Aggregate, AggregateSpec, AggKind } from '../features/index.ts';
