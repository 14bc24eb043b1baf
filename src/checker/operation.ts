/**
 * One operation of a history as the checker sees it: who issued it, when it was called and when
 * it returned (one monotonic clock; `Infinity` when it never returned), what it asked and what it
 * got back. `output: undefined` means the outcome is unknown (timed out, connection lost): the
 * operation may or may not have taken effect, so any output is acceptable, and with `ret: Infinity`
 * it may be linearized anywhere after its call, including after everything else (= never applied).
 */
export interface Operation<I, O> {
  /** Unique within the history; used to name the operation in reports. */
  id: number;
  client: string;
  call: number;
  ret: number;
  input: I;
  output: O | undefined;
}

/**
 * A sequential specification. `step` returns every state the operation can leave behind when it
 * is applied in `state` and answers `output` (`undefined`: any answer); an empty list means the
 * operation cannot happen there. More than one state makes the model nondeterministic (the
 * checker follows all of them at once, as a set, like porcupine's NondeterministicModel).
 */
export interface Model<S, I, O> {
  init(): S[];
  step(state: S, input: I, output: O | undefined): S[];
  /** Equal states have equal keys: the memo of the search and the dedup of state sets use it. */
  key(state: S): string;
  /** True when applying the operation never changes any state (reads): removing it keeps a linearizable history linearizable. */
  readOnly?(input: I, output: O | undefined): boolean;
  describe?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
}
