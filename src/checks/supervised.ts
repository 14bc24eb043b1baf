import type { Check } from '../run/scenario.js';
import { fail, pass, unknown } from './verdict.js';

/**
 * The members remembered as `ref` run under their supervisor again (restart policy `policy`), and
 * it is not restarting them: the environment is back as it was (seed 000 步骤五, 步骤六).
 */
export function supervised(ref: string, policy = 'always'): Check {
  return {
    name: `the ${ref} runs under its supervisor again (restart policy ${policy})`,
    async run(ctx) {
      const members = ctx.ref(ref);
      if (members.length === 0) return unknown(`no member was remembered as "${ref}"`);
      const problems: string[] = [];
      const seen: string[] = [];
      for (const m of members) {
        const r = await m.restarts();
        const state = await m.state();
        seen.push(`${m.name}: ${state}, policy ${r.policy}, ${r.count} restarts`);
        if (r.policy !== policy) problems.push(`${m.name} has restart policy ${r.policy}`);
        if (state !== 'running') problems.push(`${m.name} is ${state} (exit ${(await m.exitCode()) ?? '-'})`);
      }
      return problems.length ? fail(`${problems.join('; ')} (${seen.join('; ')})`) : pass(seen.join('; '));
    },
  };
}
