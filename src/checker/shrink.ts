import type { Model, Operation } from './operation.js';
import { searchPartition } from './partition-search.js';
import { isPending, searchLinearization } from './search.js';

export interface Piece<I, O> {
  ops: Operation<I, O>[];
  /** Ids of operations that had not returned at the cut: shown, and checked, as pending (any result, may never apply). */
  pending: number[];
  /** Ids of the longest run of operations that can be linearized, in order: where the search gets stuck. */
  longest: number[];
  /** False when the budget ran out before every reduction was tried (the piece is still not linearizable). */
  minimal: boolean;
  /**
   * When the piece is a window (it starts after a point no operation spanned): the states the
   * operations before it can leave (described), from none of which the window can be linearized.
   */
  initial?: string[];
  /** Initial states as the model has them (to check the piece again: `withInitial(model, piece.initialStates)`). */
  initialStates?: unknown[];
}

/**
 * The smallest non-linearizable piece of a non-linearizable history we can find, by reductions that
 * keep it evidence on its own (a piece that is not linearizable proves the history is not):
 * 1. the shortest prefix of the history that is still not linearizable (linearizability is
 *    prefix-closed; operations still running at the cut become pending: any result, may never
 *    apply), found by bisection since a longer prefix of a bad prefix is bad too;
 * 2. then dropping read-only operations (reads, failed compares) one at a time while it stays bad:
 *    removing an operation that changes no state keeps a linearizable history linearizable;
 * 3. then the shortest window: cut at the latest point that no answered operation spans such that
 *    the operations after it cannot be linearized from any state those before it can leave (all
 *    linearizations of the part before are enumerated; pending operations called before the cut
 *    stay in the window too, which only adds freedom, so the window is still evidence);
 * 4. then the shortest prefix again.
 */
export function smallestPiece<S, I, O>(base: Model<S, I, O>, ops: readonly Operation<I, O>[], deadline: number): Piece<I, O> {
  let minimal = true;
  let model = base;
  let initialStates: S[] | undefined;
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
  }
  const window = shortestWindow(model, current, deadline);
  if (window === 'timeout') minimal = false;
  else if (window) {
    current = window.ops;
    initialStates = window.initial;
    model = withInitial(base, window.initial);
  }
  current = shortestPrefix(current, illegal);
  const final = searchLinearization(model, current, { deadline: Infinity, trackLongest: true });
  const original = new Map(ops.map((op) => [op.id, op]));
  return {
    ops: current,
    pending: current.filter((op) => op.output === undefined && original.get(op.id)?.output !== undefined).map((op) => op.id),
    longest: (final.longest ?? []).map((i) => current[i]!.id),
    minimal,
    ...(initialStates ? { initialStates, initial: initialStates.map((st) => base.describeState?.(st) ?? base.key(st)) } : {}),
  };
}

/** The model, started in `states` instead of its own initial state. */
export function withInitial<S, I, O>(model: Model<S, I, O>, states: readonly S[]): Model<S, I, O> {
  return { ...model, init: () => [...states] };
}

/** See smallestPiece, step 3. Undefined: no cut helps; 'timeout': the budget ran out first. */
function shortestWindow<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  deadline: number,
): { ops: Operation<I, O>[]; initial: S[] } | undefined | 'timeout' {
  const pendingOps = ops.filter(isPending);
  const answered = ops.filter((op) => !isPending(op));
  // Cut points: just before a call that no answered operation spans.
  const cuts = [...new Set(answered.map((op) => op.call))]
    .filter((c) => answered.every((op) => op.ret < c || op.call >= c) && answered.some((op) => op.ret < c))
    .sort((a, b) => b - a)
    .slice(0, 40);
  for (const cut of cuts) {
    if (performance.now() > deadline) return 'timeout';
    const before = [...answered.filter((op) => op.ret < cut), ...pendingOps.filter((op) => op.call < cut)];
    const after = [...answered.filter((op) => op.call >= cut), ...pendingOps];
    const ends = new Map<string, S>();
    const r = searchLinearization(model, before, { deadline, onEnd: (states) => states.forEach((st) => ends.set(model.key(st), st)) });
    if (r.status === 'unknown') return 'timeout';
    if (ends.size === 0 || ends.size > 64) continue;
    const initial = [...ends.values()];
    const w = searchPartition(withInitial(model, initial), after, deadline);
    if (w.status === 'unknown') return 'timeout';
    if (w.status === 'illegal') return { ops: after, initial };
  }
  return undefined;
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
