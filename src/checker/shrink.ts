import type { Model, Operation } from './operation.js';
import { searchPartition } from './partition-search.js';
import { searchLinearization } from './search.js';

export interface Piece<I, O> {
  ops: Operation<I, O>[];
  /** Ids of operations that had not returned at the cut: shown, and checked, as pending (any result, may never apply). */
  pending: number[];
  /** Ids of the longest run of operations that can be linearized, in order: where the search gets stuck. */
  longest: number[];
  /** False when the budget ran out before every reduction was tried (the piece is still not linearizable). */
  minimal: boolean;
}

/**
 * The smallest non-linearizable piece of a non-linearizable history we can find, by reductions that
 * keep it evidence on its own (a piece that is not linearizable proves the history is not):
 * 1. the shortest prefix of the history that is still not linearizable (linearizability is
 *    prefix-closed; operations still running at the cut become pending: any result, may never
 *    apply), found by bisection since a longer prefix of a bad prefix is bad too;
 * 2. then dropping read-only operations (reads, failed compares) one at a time while it stays bad:
 *    removing an operation that changes no state keeps a linearizable history linearizable;
 * 3. then the shortest prefix again.
 */
export function smallestPiece<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], deadline: number): Piece<I, O> {
  let minimal = true;
  const illegal = (candidate: readonly Operation<I, O>[]): boolean => {
    const r = searchPartition(model, candidate, deadline);
    if (r.status === 'unknown') minimal = false;
    return r.status === 'illegal';
  };

  let current = shortestPrefix(ops, illegal);
  const readOnly = model.readOnly;
  if (readOnly) {
    // Pending reads constrain nothing: drop them without asking.
    current = current.filter((op) => !(op.output === undefined && readOnly(op.input, undefined)));
    for (let i = current.length - 1; i >= 0; i--) {
      const op = current[i]!;
      if (!readOnly(op.input, op.output)) continue;
      if (performance.now() > deadline) {
        minimal = false;
        break;
      }
      const without = current.filter((_, k) => k !== i);
      if (illegal(without)) current = without;
    }
    current = shortestPrefix(current, illegal);
  }
  const final = searchLinearization(model, current, { deadline: Infinity, trackLongest: true });
  const original = new Map(ops.map((op) => [op.id, op]));
  return {
    ops: current,
    pending: current.filter((op) => op.output === undefined && original.get(op.id)?.output !== undefined).map((op) => op.id),
    longest: (final.longest ?? []).map((i) => current[i]!.id),
    minimal,
  };
}

/** Bisection on the number of events (calls and returns in time order) of the prefix. */
function shortestPrefix<I, O>(ops: readonly Operation<I, O>[], illegal: (ops: readonly Operation<I, O>[]) => boolean): Operation<I, O>[] {
  const events: { time: number; isCall: boolean; op: Operation<I, O> }[] = [];
  for (const op of ops) events.push({ time: op.call, isCall: true, op }, { time: op.ret, isCall: false, op });
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1));
  const prefix = (k: number): Operation<I, O>[] => {
    const returned = new Set<Operation<I, O>>();
    const called: Operation<I, O>[] = [];
    for (let i = 0; i < k; i++) {
      const e = events[i]!;
      if (e.isCall) called.push(e.op);
      else returned.add(e.op);
    }
    return called.map((op) => (returned.has(op) || op.ret === Infinity ? op : { ...op, ret: Infinity, output: undefined }));
  };
  let lo = 1;
  let hi = events.length; // known bad: the whole history
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (illegal(prefix(mid))) hi = mid;
    else lo = mid + 1;
  }
  return prefix(hi);
}
