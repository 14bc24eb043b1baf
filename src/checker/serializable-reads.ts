import type { KvOperation } from './check-kv-history.js';
import { describeKv } from './kv-types.js';

export interface SerializableViolation {
  id: number;
  client: string;
  message: string;
}

/**
 * What serializable gets must still satisfy, though they are not linearizable (etcd serves them
 * from the member's own store, possibly behind the leader):
 * - no phantom values: a value read was written to that key by an operation called before the
 *   read returned (a put or a cas, answered or not), with the mod revision that write was given,
 *   and the header revision is at least that mod revision;
 * - a member's store never goes back: for a client pinned to one member (name `c<n>@<member>`),
 *   an operation called after another one returned sees a header revision at least as high.
 */
export function checkSerializableReads(ops: readonly KvOperation[]): SerializableViolation[] {
  const violations: SerializableViolation[] = [];
  const writes = new Map<string, KvOperation[]>();
  for (const op of ops) {
    if (op.input.type !== 'put' && op.input.type !== 'cas') continue;
    if (op.output?.succeeded === false) continue;
    writes.set(`${op.input.key}\u0000${op.input.value}`, [...(writes.get(`${op.input.key}\u0000${op.input.value}`) ?? []), op]);
  }
  for (const op of ops) {
    if (op.input.type !== 'get' || !op.input.serializable || !op.output?.exists) continue;
    const out = op.output;
    const from = (writes.get(`${op.input.key}\u0000${out.value}`) ?? []).filter((w) => w.call <= op.ret);
    const fits = from.filter(
      (w) => out.modRevision === undefined || w.output?.revision === undefined || w.output.revision === out.modRevision,
    );
    if (fits.length === 0)
      violations.push({
        id: op.id,
        client: op.client,
        message: `#${op.id} ${describeKv(op.input, out)} on ${op.input.key}: no write of that value${from.length > 0 ? ' at that revision' : ''} was made before it returned`,
      });
    else if (out.revision !== undefined && out.modRevision !== undefined && out.revision < out.modRevision)
      violations.push({
        id: op.id,
        client: op.client,
        message: `#${op.id} ${describeKv(op.input, out)}: header revision below the value's mod revision`,
      });
  }
  const byClient = new Map<string, KvOperation[]>();
  for (const op of ops) {
    if (op.client.endsWith('@cluster') || !op.client.includes('@') || op.output?.revision === undefined || op.ret === Infinity) continue;
    byClient.set(op.client, [...(byClient.get(op.client) ?? []), op]);
  }
  for (const [client, list] of byClient) {
    // Revoke projections share an id: one per operation is enough.
    const unique = [...new Map(list.map((op) => [op.id, op])).values()].sort((a, b) => a.call - b.call);
    let highest: KvOperation | undefined;
    for (const op of unique) {
      if (highest && highest.ret <= op.call && op.output!.revision! < highest.output!.revision!)
        violations.push({
          id: op.id,
          client,
          message: `${client}: #${op.id} ${describeKv(op.input, op.output)} saw revision ${op.output!.revision} after #${highest.id} had seen ${highest.output!.revision}: the member's store went back`,
        });
      if (!highest || op.output!.revision! > highest.output!.revision!) highest = op;
    }
  }
  return violations;
}
