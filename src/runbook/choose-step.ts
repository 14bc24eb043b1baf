import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';

/**
 * Resolves `target` now and remembers its members as `remember`, for a later step that acts on
 * `Targets.ref(remember)`. For when the later moment cannot ask the cluster: after the member
 * certificates expire the harness cannot open a TLS connection to a member either, so "which one
 * is a follower" must be asked before.
 */
export function choose(target: Target, remember: string): Step {
  return {
    name: `note ${target.description} now, as "${remember}"`,
    async run(ctx) {
      const members = await ctx.resolve(target, remember);
      ctx.note(`${remember}: ${members.map((m) => m.name).join(', ')}`);
    },
  };
}
