import type { CommandResult } from '../cluster/command-result.js';
import type { Member } from '../cluster/member.js';
import type { RunContext, RetryOptions } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';

export interface EtcdctlStepOptions {
  source?: string;
  api?: 2 | 3;
  /** `self` (default): the member's own endpoint; `all`: every member's; or a function. */
  endpoints?: 'self' | 'all' | ((ctx: RunContext) => string[]);
  /** Keep the result in ctx.vars under this name, for later steps and observed checks. */
  saveAs?: string;
  /** Retry as an operator would (e.g. on `unhealthy cluster`). */
  retry?: RetryOptions;
}

/**
 * One etcdctl command, run inside a member as an operator on that host would. `args` may be a
 * function of what earlier steps learned (a member ID, a revision).
 */
export function etcdctl(
  on: Target,
  args: string[] | ((ctx: RunContext, m: Member) => string[]),
  title: string,
  opts: EtcdctlStepOptions = {},
): Step {
  return {
    name: title,
    source: opts.source,
    async run(ctx) {
      const [m] = await ctx.resolve(on);
      if (!m) throw new Error(`no member for ${on.description}`);
      const argv = typeof args === 'function' ? args(ctx, m) : args;
      const endpoints =
        opts.endpoints === 'all' ? ctx.cluster.clientUrls() : typeof opts.endpoints === 'function' ? opts.endpoints(ctx) : [m.clientUrl];
      const call = { api: opts.api, endpoints };
      const r: CommandResult = opts.retry ? await ctx.retryEtcdctl(m, argv, { ...call, ...opts.retry }) : await ctx.etcdctl(m, argv, call);
      if (opts.saveAs) ctx.vars.set(opts.saveAs, r);
      ctx.note(`exit ${r.exitCode}: ${(r.stderr.trim() || r.stdout.trim()).split('\n').pop()?.slice(0, 120) ?? ''}`);
    },
  };
}
