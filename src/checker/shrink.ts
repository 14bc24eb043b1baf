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
 * 2. then the shortest window: cut at the latest point that no answered operation spans such that
 *    the operations after it cannot be linearized from any state those before it can leave (all
 *    linearizations of the part before are enumerated; pending operations called before the cut
 *    stay in the window too, which only adds freedom, so the window is still evidence);
 * 3. then dropping read-only operations (reads, failed compares), in halving chunks, while it stays bad:
 *    removing an operation that changes no state keeps a linearizable history linearizable;
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
  const window = shortestWindow(model, current, deadline);
  if (window === 'timeout') minimal = false;
  else if (window) {
    current = window.ops;
    initialStates = window.initial;
    model = withInitial(base, window.initial);
  }
  const readOnly = model.readOnly;
  if (readOnly) {
    // Pending reads constrain nothing: drop them without asking.
    current = current.filter((op) => !(op.output === undefined && readOnly(op.input, undefined)));
    // Then the others in chunks, halving the chunk size down to one (delta debugging).
    let reads = current.filter((op) => readOnly(op.input, op.output));
    for (let size = Math.max(1, Math.ceil(reads.length / 2)); reads.length > 0; size = Math.ceil(size / 2)) {
      for (let from = 0; from < reads.length;) {
        if (performance.now() > deadline) {
          minimal = false;
          break;
        }
        const chunk = new Set(reads.slice(from, from + size));
        const without = current.filter((op) => !chunk.has(op));
        if (illegal(without)) {
          current = without;
          reads = reads.filter((op) => !chunk.has(op));
        } else from += size;
      }
      if (size === 1 || performance.now() > deadline) break;
    }
  }
  current = shortestPrefix(current, illegal);
  const final = searchLinearization(model, current, { deadline: Math.max(deadline, performance.now() + 1000), trackLongest: true });
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

/**
 * See smallestPiece, step 3. The states at each cut are computed forward, cut to cut, each
 * segment enumerated from the states at the previous cut (linear in the history, where
 * enumerating everything before a late cut at once is not). Pending operations called before a
 * cut join every later segment and the window: they may then apply more than once, which only
 * adds states and freedom, so a window that is still not linearizable remains evidence.
 * Undefined: no cut helps; 'timeout': the budget ran out first.
 */
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
    .sort((a, b) => a - b);
  const statesAt: { cut: number; states: S[] }[] = [];
  let states = model.init();
  let previous = -Infinity;
  for (const cut of cuts) {
    const segment = [...answered.filter((op) => op.call >= previous && op.ret < cut), ...pendingOps.filter((op) => op.call < cut)];
    const ends = new Map<string, S>();
    // Bounded: pending operations multiply the linearizations; past the bound only earlier cuts are tried.
    const r = searchLinearization(withInitial(model, states), segment, {
      deadline,
      maxSteps: 50 * segment.length + 20_000,
      onEnd: (end) => end.forEach((st) => ends.set(model.key(st), st)),
    });
    if (r.status === 'unknown') break;
    if (ends.size === 0 || ends.size > 64) break; // (none: the prefix itself is bad; many: too costly to carry on)
    states = [...ends.values()];
    statesAt.push({ cut, states });
    previous = cut;
  }
  // Each try is a search of the window; the latest cuts give the smallest windows.
  // Each gets a share of what is left of the budget (an undecided try is skipped): the steps
  // after it (dropping reads) need time too.
  const tries = statesAt.reverse().slice(0, 8);
  for (const [k, { cut, states: initial }] of tries.entries()) {
    if (performance.now() > deadline) return 'timeout';
    const after = [...answered.filter((op) => op.call >= cut), ...pendingOps];
    const share = (deadline - performance.now()) / (tries.length - k + 1);
    const w = searchPartition(withInitial(model, initial), after, performance.now() + share);
    if (w.status === 'unknown') continue;
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
