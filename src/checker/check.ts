import type { Model, Operation } from './operation.js';
import { searchPartition } from './partition-search.js';
import type { SearchStatus } from './search.js';
import { smallestPiece, type Piece } from './shrink.js';

export interface PartitionResult {
  key: string;
  status: SearchStatus;
  ops: number;
  steps: number;
  ms: number;
}

export interface CheckResult<I, O> {
  /** `ok` only when every partition was shown linearizable; `illegal` when one was shown not to be; else `unknown`. */
  status: SearchStatus;
  partitions: PartitionResult[];
  /** The first non-linearizable partition and its smallest piece. */
  failing?: { key: string; piece: Piece<I, O> };
  ms: number;
}

export interface CheckOptions {
  /** Time for the search, all partitions together (default 10 s). When it runs out the result is `unknown`. */
  budgetMs?: number;
  /** Extra time to shrink a failing partition to its smallest piece (default 2 s; 0: no shrinking). */
  shrinkMs?: number;
}

/**
 * Checks a history partition by partition (P-compositionality, Herlihy & Wing: a history is
 * linearizable iff each object's sub-history is). Smaller partitions go first so a violation is
 * found early; every partition is tried until the budget runs out, since one `illegal` decides.
 */
export function checkPartitions<S, I, O>(
  model: Model<S, I, O>,
  partitions: ReadonlyMap<string, readonly Operation<I, O>[]>,
  opts: CheckOptions = {},
): CheckResult<I, O> {
  const start = performance.now();
  const deadline = start + (opts.budgetMs ?? 10_000);
  const results: PartitionResult[] = [];
  const ordered = [...partitions].sort((a, b) => a[1].length - b[1].length);
  let failing: { key: string; ops: readonly Operation<I, O>[] } | undefined;
  for (const [key, ops] of ordered) {
    const t = performance.now();
    const r = t > deadline ? { status: 'unknown' as const, steps: 0 } : searchPartition(model, ops, deadline);
    results.push({ key, status: r.status, ops: ops.length, steps: r.steps, ms: performance.now() - t });
    if (r.status === 'illegal') {
      failing = { key, ops };
      break;
    }
  }
  const status: SearchStatus = failing ? 'illegal' : results.every((r) => r.status === 'ok') ? 'ok' : 'unknown';
  const shrinkMs = opts.shrinkMs ?? 2000;
  const piece = failing && (shrinkMs > 0 ? smallestPiece(model, failing.ops, performance.now() + shrinkMs) : wholePiece(failing.ops));
  return {
    status,
    partitions: results,
    failing: failing && piece ? { key: failing.key, piece } : undefined,
    ms: performance.now() - start,
  };
}

function wholePiece<I, O>(ops: readonly Operation<I, O>[]): Piece<I, O> {
  return { ops: [...ops], pending: [], longest: [], minimal: false };
}
