import type { Model } from './operation.js';

/**
 * A set of model states (a nondeterministic model is followed as the set of states it can be in),
 * deduplicated by the model's key, with one key for the whole set (sorted, so order never matters).
 */
export interface StateSet<S> {
  states: S[];
  key: string;
}

export function stateSet<S>(model: Model<S, unknown, unknown>, states: readonly S[]): StateSet<S> {
  if (states.length === 1) return { states: [states[0]!], key: model.key(states[0]!) };
  const byKey = new Map<string, S>();
  for (const s of states) byKey.set(model.key(s), s);
  const keys = [...byKey.keys()].sort();
  return { states: keys.map((k) => byKey.get(k)!), key: keys.join('\u0001') };
}

/** The states `input`/`output` can lead to from any state of the set; empty when it cannot happen. */
export function stepSet<S, I, O>(model: Model<S, I, O>, set: StateSet<S>, input: I, output: O | undefined): StateSet<S> | undefined {
  if (set.states.length === 1) {
    const next = model.step(set.states[0]!, input, output);
    return next.length === 0 ? undefined : stateSet(model as Model<S, unknown, unknown>, next);
  }
  const next: S[] = [];
  for (const s of set.states) next.push(...model.step(s, input, output));
  return next.length === 0 ? undefined : stateSet(model as Model<S, unknown, unknown>, next);
}
