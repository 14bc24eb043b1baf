import { checkPartitions, type CheckOptions, type CheckResult } from './check.js';
import { kvModel } from './kv-model.js';
import type { KvInput, KvOutput } from './kv-types.js';
import type { Operation } from './operation.js';

export type KvOperation = Operation<KvInput, KvOutput>;

/**
 * What of a recorded history the linearizability check takes: serializable gets are left out (etcd
 * serves them from the local member without a quorum round, so they may be stale by design; they
 * are not linearizable operations), and so are reads whose answer was lost (they constrain nothing).
 * Everything else is partitioned by key.
 */
export function partitionByKey(ops: readonly KvOperation[]): Map<string, KvOperation[]> {
  const byKey = new Map<string, KvOperation[]>();
  for (const op of ops) {
    if (op.input.type === 'get' && (op.input.serializable || op.output === undefined)) continue;
    const list = byKey.get(op.input.key);
    if (list) list.push(op);
    else byKey.set(op.input.key, [op]);
  }
  return byKey;
}

/** Checks a history of etcd KV operations for linearizability, key by key, within a time budget. */
export function checkKvHistory(ops: readonly KvOperation[], opts: CheckOptions = {}): CheckResult<KvInput, KvOutput> {
  return checkPartitions(kvModel, partitionByKey(ops), opts);
}
