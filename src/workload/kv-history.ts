import type { KvOperation } from '../checker/check-kv-history.js';
import type { KvInput, KvOutput } from '../checker/kv-types.js';
import { withLeaseRevokes, type LeaseRevoke } from '../checker/lease-revokes.js';
import { classifyWriteError, type Outcome } from './history.js';

/** What a client can ask: the checker's KV operations, plus whole-lease operations. */
export type KvRequest = KvInput | { type: 'revoke-lease'; lease: string } | { type: 'grant-lease'; ttlSec: number };

/** One recorded operation: arguments, answer and outcome, call and return on one monotonic clock. */
export interface KvRecord {
  id: number;
  /** `c3@etcd-2` (pinned to one member) or `c5@cluster` (all endpoints). */
  client: string;
  /** ms since the clock's origin (performance.now() based). */
  call: number;
  ret: number;
  input: KvRequest;
  /** The answer (value, mod revision, header revision, ...); absent unless outcome is ok. */
  output?: KvOutput & { lease?: string };
  outcome: Outcome;
  error?: string;
}

/**
 * Errors after which the operation certainly did not happen: those History already knows (refused
 * before raft, refused connection), and a lease that does not exist (etcd rejects the put or
 * revoke when applying it, on every member alike, and only then answers).
 */
export function classifyKvError(message: string): Outcome {
  if (/requested lease not found/.test(message)) return 'fail';
  return classifyWriteError(message);
}

/**
 * The rich history of a KV workload: every operation of every client. The simple History
 * (writes only) stays what the scenarios' checks read; this one feeds the linearizability check.
 */
export class KvHistory {
  readonly records: KvRecord[] = [];

  constructor(readonly t0 = performance.now()) {}

  now(): number {
    return performance.now() - this.t0;
  }

  /** Runs `request` and records it; never throws (an error is an outcome). */
  async record(client: string, input: KvRequest, request: () => Promise<KvRecord['output']>): Promise<KvRecord> {
    const id = this.records.length;
    // Reserve the slot now so ids follow call order.
    const rec: KvRecord = { id, client, call: this.now(), ret: NaN, input, outcome: 'unknown' };
    this.records.push(rec);
    try {
      rec.output = await request();
      rec.outcome = 'ok';
    } catch (e) {
      rec.error = e instanceof Error ? e.message : String(e);
      rec.outcome = classifyKvError(rec.error);
    }
    rec.ret = this.now();
    return rec;
  }

  count(outcome: Outcome): number {
    return this.records.filter((r) => r.outcome === outcome).length;
  }

  /**
   * The checker's view: failed operations dropped (they did not happen); unknown ones keep their
   * call and return at infinity with no answer (they may have happened, at any time after the
   * call); lease grants dropped (not KV operations); lease revokes projected onto the keys put
   * with the lease. Records still running count as unknown.
   */
  toCheckerOps(): KvOperation[] {
    const ops: KvOperation[] = [];
    const revokes: LeaseRevoke[] = [];
    for (const r of this.records) {
      if (r.outcome === 'fail' || r.input.type === 'grant-lease') continue;
      const known = r.outcome === 'ok' && !Number.isNaN(r.ret);
      const base = { id: r.id, client: r.client, call: r.call, ret: known ? r.ret : Infinity, output: known ? r.output : undefined };
      if (r.input.type === 'revoke-lease') revokes.push({ ...base, input: r.input });
      else ops.push({ ...base, input: r.input });
    }
    return withLeaseRevokes(ops, revokes);
  }
}
