import { quorumOf } from '../cluster/quorum.js';

/**
 * The explorer's small model of the cluster: what the schedule has done to it so far. Commands'
 * preconditions read it, so a schedule never does what the model forbids (kill a member twice,
 * unpause a running one, take down more members than the budget allows). Pure: no Docker.
 */
export interface ExploreModel {
  /** Member names, in order (`etcd-1`...). */
  readonly members: readonly string[];
  /** How many members may be unavailable (down, paused or cut off) at once. */
  readonly budget: number;
  /** Killed or stopped, not started again. */
  readonly down: Set<string>;
  readonly paused: Set<string>;
  /** The side cut off by the one partition in force, if any. */
  partition?: readonly string[];
  /** Members whose wall clock is skewed now. */
  readonly skewed: Set<string>;
  /** The backend was filled to its quota (NOSPACE raised) and the quota runbook has not run since. */
  quotaFull: boolean;
}

/** The largest number of members that can be lost with quorum kept: 1 of 3, 2 of 5. */
export const tolerated = (n: number): number => n - quorumOf(n);

/** A fresh model: everything healthy. `allowQuorumLoss` lets a schedule take every member down. */
export function initialModel(members: readonly string[], opts: { allowQuorumLoss?: boolean } = {}): ExploreModel {
  return {
    members,
    budget: opts.allowQuorumLoss ? members.length : tolerated(members.length),
    down: new Set(),
    paused: new Set(),
    skewed: new Set(),
    quotaFull: false,
  };
}

/** Members that cannot take part in raft now. */
export function unavailable(m: Readonly<ExploreModel>): Set<string> {
  return new Set([...m.down, ...m.paused, ...(m.partition ?? [])]);
}

/** Running, not paused, not cut off: a member a command can act on (exec into, freeze, partition). */
export function isServing(m: Readonly<ExploreModel>, name: string): boolean {
  return !unavailable(m).has(name);
}

/** True when making `names` unavailable as well stays within the budget. */
export function withinBudget(m: Readonly<ExploreModel>, names: readonly string[]): boolean {
  return new Set([...unavailable(m), ...names]).size <= m.budget;
}

/** True when a majority of members is available: writes can commit. */
export function hasQuorum(m: Readonly<ExploreModel>): boolean {
  return m.members.length - unavailable(m).size >= quorumOf(m.members.length);
}
