// The linearizability checker: Wing-Gong/Lowe search, memoised, per key, with a model of etcd's KV store.
export type { Model, Operation } from './operation.js';
export type { CasCompare, KvInput, KvOutput } from './kv-types.js';
export { describeKv } from './kv-types.js';
export { kvModel, type KeyState } from './kv-model.js';
export { searchLinearization, type SearchResult, type SearchStatus } from './search.js';
export { checkPartitions, type CheckOptions, type CheckResult, type PartitionResult } from './check.js';
export { checkKvHistory, partitionByKey, type KvOperation } from './check-kv-history.js';
export { withLeaseRevokes, type LeaseRevoke } from './lease-revokes.js';
export { smallestPiece, withInitial, type Piece } from './shrink.js';
export { searchPartition } from './partition-search.js';
export { renderTimelines, timelineData, type TimelineData } from './render.js';
export { checkSerializableReads, type SerializableViolation } from './serializable-reads.js';
export { parseJepsenLog } from './jepsen-log.js';
export { generateKvHistory, mulberry32, type GenerateOptions, type GeneratedHistory } from './generate-history.js';
