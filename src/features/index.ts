// Public face of features: tiling, hashes, HLL, key spaces and windowed aggregates.
export { tilingFor, TILE_LADDER, MAX_TILES } from './tiling.ts';
export type { Tiling } from './tiling.ts';
export { hash53, hash32, mix53 } from './hash.ts';
export { HLL_P, HLL_M, hllCreate, hllAdd, hllMerge, hllEstimate, hllEstimateClassic } from './hll.ts';
export { KeySpace } from './keyspace.ts';
export type { RowSlabs } from './keyspace.ts';
export {
  AGG_KINDS, DEFAULT_SEEN_RETENTION_MS, DISTINCT_EXACT_LIMIT, createAggregate,
  WindowedCount, WindowedRate, WindowedSum, WindowedMin, WindowedMax, WindowedMean, WindowedDistinct, SeenTime,
} from './aggregates.ts';
export type { AggKind, AggregateSpec, Aggregate, StoredAggregate, AggregateOptions } from './aggregates.ts';
export { SnapshotWriter, SnapshotReader } from './wire.ts';
