import type { Operation } from './operation.js';

/**
 * The history as a doubly-linked list of call and return entries in time order (Lowe's
 * "just-in-time linearization", as porcupine does it): linearizing an operation lifts its call and
 * return out of the list in O(1), backtracking puts them back in O(1) in reverse order.
 */
export interface Entry {
  /** Index of the operation in the partition (0..n-1), also its bit in the linearized set. */
  index: number;
  /** The return entry of a call entry; undefined on return entries. */
  match?: Entry;
  prev?: Entry;
  next?: Entry;
}

/**
 * Builds the list with a sentinel head. Ties go to calls first: two operations whose call and
 * return times are equal count as concurrent, the lenient reading (porcupine does the same).
 */
export function buildEntryList<I, O>(ops: readonly Operation<I, O>[]): Entry {
  const events: { time: number; isCall: boolean; index: number }[] = [];
  ops.forEach((op, index) => {
    events.push({ time: op.call, isCall: true, index }, { time: op.ret, isCall: false, index });
  });
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.index - b.index : a.isCall ? -1 : 1));
  const head: Entry = { index: -1 };
  const calls = new Map<number, Entry>();
  let last = head;
  for (const e of events) {
    const entry: Entry = { index: e.index, prev: last };
    last.next = entry;
    last = entry;
    if (e.isCall) calls.set(e.index, entry);
    else calls.get(e.index)!.match = entry;
  }
  return head;
}

/** Removes a call entry and its return from the list. */
export function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Puts back what lift() removed (in reverse order, so the pointers are the ones lift saw). */
export function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}
