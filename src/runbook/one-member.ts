import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Target } from '../targets/target.js';

/** The first member the target resolves to (remembered as `remember` when given); a step cannot go on without one. */
export async function oneMember(ctx: RunContext, target: Target, remember?: string): Promise<Member> {
  const [m] = await ctx.resolve(target, remember);
  if (!m) throw new Error(`no member for ${target.description}`);
  return m;
}
