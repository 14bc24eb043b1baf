import { Bitset, zobristTable } from './bitset.js';
import { buildEntryList, lift, unlift, type Entry } from './entry-list.js';
import type { Model, Operation } from './operation.js';
import { stateSet, stepSet, type StateSet } from './state-set.js';

/** `ok`: linearizable; `illegal`: not; `unknown`: the budget ran out first (never taken as ok). */
export type SearchStatus = 'ok' | 'illegal' | 'unknown';

export interface SearchResult {
  status: SearchStatus;
  /** Steps tried (a step = one attempt to linearize one operation next). */
  steps: number;
  /** On `illegal` with `trackLongest`: the longest sequence of operations (indices) that could be linearized. */
  longest?: number[];
}

export interface SearchOptions<S = unknown> {
  /** performance.now() value after which the search gives up with `unknown`. */
  deadline?: number;
  /** Record the longest partial linearization (costly on long histories; the shrinker uses it on small pieces). */
  trackLongest?: boolean;
  /**
   * Which candidates to try first at each point: `call` (time order, porcupine's) or
   * `returned-first` (operations that returned before pending ones). Both are complete; each is
   * fast where the other can be slow (see checkPartition, which runs them in turn).
   */
  order?: 'call' | 'returned-first';
  /** Give up with `unknown` after this many steps. */
  maxSteps?: number;
  /**
   * Enumerate instead of stopping at the first linearization: called with the final states of
   * every linearization found (operations still pending at the end count as not applied). The
   * result is then `ok` when there was at least one.
   */
  onEnd?: (states: readonly S[]) => void;
}

/** Memory the memo may take (its linearized sets) before the search gives up with `unknown`. */
const MEMO_BYTES = 512 * 1024 * 1024;

/** An operation that never returned and whose answer is unknown: it may apply any time after its call, or never. */
export const isPending = (op: Operation<unknown, unknown>): boolean => op.ret === Infinity && op.output === undefined;

/**
 * Wing-Gong/Lowe linearizability search over one partition: walk the entry list, try to linearize
 * the first call whose state step succeeds, lift it out, restart from the head; on reaching a
 * return whose call is not linearized yet, backtrack (undo the last linearization). Memoised on
 * (linearized set, state set): a configuration seen before is never explored again.
 *
 * Pending operations (no return, no answer) get two refinements, both sound:
 * - they may never happen, so the search succeeds as soon as every other operation is placed;
 * - a configuration is also pruned when one with the same operations placed, the same state and
 *   a subset of its pending operations was seen (it has every option this one has, and more);
 *   used with `order: 'returned-first'`, which meets the smaller sets first: then each pending
 *   write no longer doubles the search on a violation.
 */
export function searchLinearization<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  opts: SearchOptions<S> = {},
): SearchResult {
  const n = ops.length;
  const pending = ops.map((op) => isPending(op as Operation<unknown, unknown>));
  let definiteLeft = pending.filter((p) => !p).length;
  if (definiteLeft === 0) {
    opts.onEnd?.(model.init());
    return { status: 'ok', steps: 0 };
  }
  let ends = 0;

  const phases = opts.order === 'returned-first';
  // With `returned-first`, pending operations are left out of the hash (zero Zobrist words) and
  // compared as a subset; with `call`, configurations are compared exactly (dominance there was
  // measured to send the search the long way round on linearizable histories).
  const zobrist = zobristTable(n);
  const pendingMask = new Uint32Array(Math.ceil(n / 32));
  pending.forEach((p, i) => {
    if (!p || !phases) return;
    zobrist[2 * i] = 0;
    zobrist[2 * i + 1] = 0;
    pendingMask[i >>> 5]! |= 1 << (i & 31);
  });
  const linearized = new Bitset(n, zobrist);
  // The memo's linearized sets live in one growing arena (one allocation per doubling, not one
  // per configuration: measured, per-configuration copies made the garbage collector a third of
  // the time on 10k-operation histories); an entry is (offset in the arena, state id).
  const wordCount = linearized.words.length;
  let arena = new Uint32Array(wordCount * 1024);
  let used = 0;
  const store = (i: number): number => {
    if (used + wordCount > arena.length) {
      if (arena.length * 8 > MEMO_BYTES) return -1;
      const bigger = new Uint32Array(arena.length * 2);
      bigger.set(arena);
      arena = bigger;
    }
    const at = used;
    arena.set(linearized.words, at);
    arena[at + (i >>> 5)]! |= 1 << (i & 31);
    used += wordCount;
    return at;
  };
  const memo = new Map<number, { at: number; stateId: number }[]>();
  /** Whether a stored configuration dominates the current set with operation `i` added. */
  const dominated = (at: number, i: number): boolean => {
    const words = linearized.words;
    const w = i >>> 5;
    for (let k = 0; k < wordCount; k++) {
      const current = k === w ? words[k]! | (1 << (i & 31)) : words[k]!;
      const stored = arena[at + k]!;
      const m = pendingMask[k]!;
      if (((stored ^ current) & ~m) !== 0) return false; // other placed operations
      if ((stored & m & ~current) !== 0) return false; // stored has a pending op current lacks
    }
    return true;
  };
  const exact = (at: number, i: number): boolean => {
    const words = linearized.words;
    const w = i >>> 5;
    for (let k = 0; k < wordCount; k++) {
      const current = k === w ? words[k]! | (1 << (i & 31)) : words[k]!;
      if ((arena[at + k]! ^ current) !== 0) return false;
    }
    return true;
  };
  // State sets are interned (equal key = same id) and steps cached per (state id, operation):
  // the search tries the same step from the same state many times while backtracking.
  const interned = new Map<string, StateSet<S>>();
  const ids = new Map<StateSet<S>, number>();
  const intern = (set: StateSet<S>): StateSet<S> => {
    const known = interned.get(set.key);
    if (known) return known;
    interned.set(set.key, set);
    ids.set(set, ids.size);
    return set;
  };
  const stepCache = new Map<number, StateSet<S> | null>();
  const step = (from: StateSet<S>, index: number): StateSet<S> | undefined => {
    const cacheKey = ids.get(from)! * n + index;
    const cached = stepCache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const op = ops[index]!;
    const next = stepSet(model, from, op.input, op.output);
    const result = next ? intern(next) : null;
    stepCache.set(cacheKey, result);
    return result ?? undefined;
  };

  const head = buildEntryList(ops);
  const stack: { entry: Entry; state: StateSet<S>; pendingPhase: boolean }[] = [];
  let state = intern(stateSet(model as Model<S, unknown, unknown>, model.init()));
  let entry = head.next;
  // Phase 1 tries the operations that returned; phase 2 (after reaching the first return) the pending ones.
  let pendingPhase = false;
  let steps = 0;
  let longest: number[] | undefined;
  const deadline = opts.deadline ?? Infinity;
  const maxSteps = opts.maxSteps ?? Infinity;

  for (;;) {
    if ((++steps & 1023) === 0 && (performance.now() > deadline || steps > maxSteps)) return { status: 'unknown', steps };
    if (!entry) throw new Error('entry list corrupted: ran off the end with operations left');
    if (entry.match) {
      const call: Entry = entry;
      if (phases && pending[entry.index] !== pendingPhase) {
        entry = entry.next;
        continue;
      }
      const next = step(state, entry.index);
      let advanced = false;
      if (next) {
        const stateId = ids.get(next)!;
        const hash = linearized.hashWith(entry.index, stateId);
        const seen = memo.get(hash);
        if (!seen?.some((m) => m.stateId === stateId && (phases ? dominated(m.at, call.index) : exact(m.at, call.index)))) {
          const stored = { at: store(entry.index), stateId };
          if (stored.at < 0) return { status: 'unknown', steps }; // memo full: give up rather than swap
          if (seen) seen.push(stored);
          else memo.set(hash, [stored]);
          stack.push({ entry, state, pendingPhase });
          state = next;
          linearized.set(entry.index);
          lift(entry);
          if (!pending[entry.index] && --definiteLeft === 0) {
            if (!opts.onEnd) return { status: 'ok', steps };
            opts.onEnd(next.states);
            ends++;
            // Undo this step and go on looking for other ends.
            state = stack.pop()!.state;
            linearized.clear(call.index);
            definiteLeft++;
            unlift(call);
            entry = call.next;
            continue;
          }
          if (opts.trackLongest && (!longest || stack.length > longest.length)) longest = stack.map((s) => s.entry.index);
          entry = head.next;
          pendingPhase = false;
          advanced = true;
        }
      }
      if (!advanced) entry = call.next;
    } else if (phases && !pendingPhase) {
      pendingPhase = true;
      entry = head.next;
    } else {
      // A return whose call is still in the list: that operation had to be linearized by now.
      const top = stack.pop();
      if (!top) return ends > 0 ? { status: 'ok', steps } : { status: 'illegal', steps, longest: longest ?? [] };
      entry = top.entry;
      state = top.state;
      pendingPhase = top.pendingPhase;
      linearized.clear(entry.index);
      if (!pending[entry.index]) definiteLeft++;
      unlift(entry);
      entry = entry.next;
    }
  }
}
