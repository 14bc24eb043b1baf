import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';

/**
 * Waits until the members report one revision (followers apply a moment after the leader), so
 * per-member reads compare like with like. Rejects with what each member said when they do not.
 */
export async function converge(ctx: RunContext, members: readonly Member[], timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  for (;;) {
    const statuses = await ctx.cluster.statuses(1500, members);
    const revs = [...statuses.values()].map((s) => (s instanceof Error ? NaN : s.revision));
    if (revs.every((r) => r === revs[0] && !Number.isNaN(r))) return revs[0]!;
    last = members.map((m, i) => `${m.name}=${Number.isNaN(revs[i]) ? 'no answer' : revs[i]}`).join(', ');
    if (performance.now() > deadline) throw new Error(`members did not converge on one revision in ${timeoutMs} ms (${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
