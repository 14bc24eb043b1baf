import type { MemberStatus } from '../cluster/member-status.js';
import { quorumOf } from '../cluster/quorum.js';
import type { MemberSample } from '../report/events.js';
import type { RunContext } from './run-context.js';

/**
 * Polls every member's status every `intervalMs` (one request round per poll) and emits
 * `member-status` (each member's term, whom it names as leader, db size) and `leader-changed`
 * when the agreed leader changes (to nobody included): the report's leader and term charts, and
 * the raw data for election times. Agreed = named by a majority of the members, the rule of
 * StartedCluster.leader(); a dead leader still named by the survivors counts until they elect.
 */
export function watchLeader(ctx: RunContext, intervalMs = 250): () => Promise<void> {
  let last: string | undefined = '(start)';
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const sampledAt = Math.round(ctx.now());
      const statuses = await ctx.cluster.statuses(300).catch(() => undefined);
      if (statuses) {
        const { members, leader, term } = sample(ctx, statuses);
        // A member that is down answers only at the timeout: the poll's start is when the others spoke.
        ctx.emit({ type: 'member-status', sampledAt, members });
        if (leader !== last) {
          ctx.emit({ type: 'leader-changed', from: last === '(start)' ? undefined : last, to: leader, term });
          last = leader;
        }
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

function sample(
  ctx: RunContext,
  statuses: Map<{ name: string; id?: string }, MemberStatus | Error>,
): { members: MemberSample[]; leader?: string; term: number } {
  const byId = new Map(ctx.cluster.members.map((m) => [m.id, m.name]));
  const votes = new Map<string, number>();
  let term = 0;
  const members: MemberSample[] = [...statuses].map(([m, s]) => {
    if (s instanceof Error) return { name: m.name, up: false };
    if (s.leaderId) votes.set(s.leaderId, (votes.get(s.leaderId) ?? 0) + 1);
    term = Math.max(term, s.raftTerm);
    return {
      name: m.name,
      up: true,
      term: s.raftTerm,
      leader: s.leaderId ? (byId.get(s.leaderId) ?? s.leaderId) : undefined,
      dbSize: s.dbSize,
      revision: s.revision,
      ...(s.errors.length ? { errors: s.errors } : {}),
    };
  });
  const quorum = quorumOf(ctx.cluster.members.length);
  const agreed = [...votes].find(([id, n]) => n >= quorum && byId.has(id));
  return { members, leader: agreed ? byId.get(agreed[0]) : undefined, term: agreed ? term : 0 };
}
