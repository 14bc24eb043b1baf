import type { KvOperation } from './check-kv-history.js';
import type { KvOutput } from './kv-types.js';
import type { Operation } from './operation.js';

/** A lease revoke as recorded: it deletes every key attached to the lease, in one step. */
export type LeaseRevoke = Operation<{ type: 'revoke-lease'; lease: string }, KvOutput>;

/**
 * Projects each lease revoke onto every key that any put or cas in the history attached to that
 * lease, as one `revoke` operation per key (same id, times and outcome), so keys stay checkable
 * independently. The projection checks each key's side of a revoke, not that all of them vanished
 * at one instant.
 */
export function withLeaseRevokes(ops: readonly KvOperation[], revokes: readonly LeaseRevoke[]): KvOperation[] {
  const keysOf = new Map<string, Set<string>>();
  for (const op of ops) {
    if ((op.input.type === 'put' || op.input.type === 'cas') && op.input.lease !== undefined) {
      const keys = keysOf.get(op.input.lease) ?? new Set<string>();
      keys.add(op.input.key);
      keysOf.set(op.input.lease, keys);
    }
  }
  const projected = revokes.flatMap((r) =>
    [...(keysOf.get(r.input.lease) ?? [])].map((key): KvOperation => ({ ...r, input: { type: 'revoke', key, lease: r.input.lease } })),
  );
  return [...ops, ...projected];
}
