import type { Check } from '../run/scenario.js';
import { fail, pass } from './verdict.js';

/**
 * The members remembered under `ref` (a leader that was cut off or frozen) are back as followers:
 * each answers, names a leader other than itself, and that leader is the one the others name.
 * Polled for up to `timeoutMs`, as a rejoining member needs a heartbeat or two.
 */
export function rejoinedAsFollower(ref: string, timeoutMs = 5_000): Check {
  return {
    name: `the ${ref} old leader rejoins as a follower`,
    async run(ctx) {
      const mine = ctx.ref(ref);
      if (mine.length === 0) return fail(`no member was remembered as "${ref}"`);
      const deadline = ctx.now() + timeoutMs;
      for (;;) {
        const statuses = await ctx.cluster.statuses(1000);
        const problems: string[] = [];
        const othersLeader = new Set(
          [...statuses]
            .filter(([m, s]) => !mine.includes(m) && !(s instanceof Error))
            .map(([, s]) => (s as { leaderId?: string }).leaderId),
        );
        for (const m of mine) {
          const s = statuses.get(m);
          if (!s || s instanceof Error) problems.push(`${m.name} does not answer (${s?.message ?? 'no status'})`);
          else if (!s.leaderId) problems.push(`${m.name} has no leader`);
          else if (s.leaderId === s.memberId) problems.push(`${m.name} is leader (term ${s.raftTerm})`);
          else if (!othersLeader.has(s.leaderId) || othersLeader.size !== 1)
            problems.push(`${m.name} follows ${s.leaderId}, the others name ${[...othersLeader].join(', ') || 'none'}`);
        }
        if (problems.length === 0) {
          const leader = ctx.cluster.members.find((m) => m.id === [...othersLeader][0]);
          return pass(
            `${mine.map((m) => m.name).join(', ')} follow${mine.length === 1 ? 's' : ''} ${leader?.name ?? [...othersLeader][0]}`,
          );
        }
        if (ctx.now() > deadline) return fail(problems.join('; '));
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}
