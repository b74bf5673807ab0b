// Public face of graph detection: the entity link graph and the detectors for rings, dense blocks and lockstep.
export type { EntityRef, DetectedGroup, GroupKind, IndexNames, GraphError, Result } from './types.ts';
export { plainNames } from './types.ts';
export type { Bipartite, Csr } from './csr.ts';
export { buildBipartite, buildCsr } from './csr.ts';
export type { Components } from './union-find.ts';
export { UnionFind, groupByLabel } from './union-find.ts';
export type { LinkGraphOptions, LinkGraphStats, Hub, HubPolicy, CsrView, BipartiteView } from './link-graph.ts';
export { LinkGraph } from './link-graph.ts';
export type { RingOptions, Ring, RingEvidence, SharedIdentifier } from './rings.ts';
export { findRings, findRingsIn, linkedComponents, connectedComponents, connectedParts, STRONG_IDENTIFIERS } from './rings.ts';
export type { FraudarOptions, DenseBlock, DenseBlockEvidence, PeelResult } from './fraudar.ts';
export { fraudar, peel, columnWeights, defaultColumnWeight, timeBucketedColumns } from './fraudar.ts';
export type { ActionLog, LockstepOptions, LockstepGroup, LockstepEvidence, LockstepResult, SharedAction } from './lockstep.ts';
export { detectLockstep, ActionLogBuilder } from './lockstep.ts';
export { seededRandom } from './random.ts';
