import type { MemberSample } from '../report/events.js';
import type { RunContext } from './run-context.js';

/**
 * Polls who leads, every `intervalMs`, and emits `leader-changed` when the answer changes (to
 * nobody included): the report's leader timeline, and the raw data for election times. Every
 * `sampleEvery` polls it also emits `member-status` (each member's term, leader, db size): the
 * report's per-member term and db size charts.
 */
export function watchLeader(ctx: RunContext, intervalMs = 250, sampleEvery = 2): () => Promise<void> {
  let last: string | undefined = '(start)';
  let stopped = false;
  const loop = (async () => {
    for (let tick = 0; !stopped; tick++) {
      const [found] = await Promise.all([
        ctx.cluster.leader(300).catch(() => undefined),
        tick % sampleEvery === 0 ? sampleMembers(ctx) : undefined,
      ]);
      const name = found?.leader.name;
      if (name !== last) {
        ctx.emit({ type: 'leader-changed', from: last === '(start)' ? undefined : last, to: name, term: found?.term ?? 0 });
        last = name;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

async function sampleMembers(ctx: RunContext): Promise<void> {
  const statuses = await ctx.cluster.statuses(300).catch(() => undefined);
  if (!statuses) return;
  const byId = new Map(ctx.cluster.members.map((m) => [m.id, m.name]));
  const members: MemberSample[] = [...statuses].map(([m, s]) =>
    s instanceof Error
      ? { name: m.name, up: false }
      : {
          name: m.name,
          up: true,
          term: s.raftTerm,
          leader: s.leaderId ? (byId.get(s.leaderId) ?? s.leaderId) : undefined,
          dbSize: s.dbSize,
          revision: s.revision,
          ...(s.errors.length ? { errors: s.errors } : {}),
        },
  );
  ctx.emit({ type: 'member-status', members });
}
