import type { ResolvedClusterSpec } from '../cluster/cluster-spec.js';
import type { Member } from '../cluster/member.js';
import type { TargetContext } from '../targets/target.js';

/** What a fault sees: the cluster, remembered members and the run's seeded RNG (so it replays). */
export type FaultContext = TargetContext;

/**
 * A fault that is in force: who it hit and how to undo it. `heal()` is idempotent (healing twice is
 * harmless), bounded in time, and tolerant of members that vanished meanwhile (Chaos Mesh's
 * Apply/Recover pair).
 */
export interface Injection {
  /** The fault's name, e.g. `pause`. */
  readonly fault: string;
  readonly members: readonly Member[];
  /** For step logs and the explorer's schedules: `pause etcd-2`. */
  readonly description: string;
  heal(): Promise<void>;
}

/**
 * A failpoint in the sense of etcd's robustness tests: a name, whether it can run on this cluster,
 * and `inject`. Built from a Target: `Faults.pause(Targets.leader())`.
 */
export interface Fault {
  readonly name: string;
  /** `true` when it can run on this cluster; otherwise one line saying why not (`needs x86_64`). */
  available(spec: ResolvedClusterSpec): true | string;
  inject(ctx: FaultContext): Promise<Injection>;
}

/** An Injection whose heal runs at most once, however often it is called. */
export function injection(fault: string, members: readonly Member[], heal: () => Promise<void>, description?: string): Injection {
  let healed: Promise<void> | undefined;
  return {
    fault,
    members,
    description: description ?? `${fault} ${members.map((m) => m.name).join(', ')}`,
    heal: () => (healed ??= heal()),
  };
}
