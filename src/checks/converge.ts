import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';

export type Convergence = { revision: number } | { problem: string };

/**
 * Waits until the members report one revision (followers apply a moment after the leader), so
 * per-member reads compare like with like. When they never do, says what each member reported.
 */
export async function waitConverged(ctx: RunContext, members: readonly Member[], timeoutMs = 10_000): Promise<Convergence> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const statuses = await ctx.cluster.statuses(1500, members);
    const revs = [...statuses.values()].map((s) => (s instanceof Error ? NaN : s.revision));
    if (revs.every((r) => r === revs[0] && !Number.isNaN(r))) return { revision: revs[0]! };
    // A member whose etcd is not running (exited, removed, paused) will not answer before the
    // deadline either: nothing in a check starts it. Say so now rather than wait the bound out.
    const silent = members.filter((_, i) => Number.isNaN(revs[i]));
    const states = await Promise.all(silent.map((m) => m.state()));
    const down = silent.map((m, i) => [m.name, states[i]] as const).filter(([, st]) => st !== 'running');
    if (down.length) return { problem: `members cannot converge: ${down.map(([n, st]) => `${n} ${st}`).join(', ')}` };
    if (performance.now() > deadline) {
      const each = members.map((m, i) => `${m.name}=${Number.isNaN(revs[i]) ? 'no answer' : revs[i]}`).join(', ');
      return { problem: `members did not converge on one revision in ${timeoutMs} ms (${each})` };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** For checks that can only read once the members agree: throws (so the check is `unknown`) otherwise. */
export async function converge(ctx: RunContext, members: readonly Member[], timeoutMs = 10_000): Promise<number> {
  const c = await waitConverged(ctx, members, timeoutMs);
  if ('problem' in c) throw new Error(c.problem);
  return c.revision;
}
