import type { Member } from '../cluster/member.js';
import type { StartedCluster } from '../cluster/started-cluster.js';

/** What a target needs to choose members: pure given the same answers and seed. */
export interface TargetContext {
  cluster: StartedCluster;
  /** Members remembered by earlier steps (`remember: 'victim'`). */
  refs: Map<string, Member[]>;
  /** Seeded: the same seed picks the same members. */
  random(): number;
  /** The member most members name as leader now; undefined without quorum. */
  leader(): Promise<Member | undefined>;
}

/** A seeded choice of members, with a name for step logs (`the leader`, `2 followers`). */
export interface Target {
  readonly description: string;
  resolve(ctx: TargetContext): Promise<Member[]>;
}
