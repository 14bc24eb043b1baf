import type { RunContext } from '../run/run-context.js';
import type { Check } from '../run/scenario.js';
import { unknown, type Verdict } from './verdict.js';

/**
 * A check over what steps recorded in `ctx.vars` (an error etcd printed, an exit code): the
 * scenario-specific assertions, e.g. "writes without quorum fail with a timeout".
 */
export function observed(name: string, key: string, judge: (value: unknown, ctx: RunContext) => Verdict): Check {
  return {
    name,
    async run(ctx) {
      if (!ctx.vars.has(key)) return unknown(`nothing was recorded as "${key}" (did its step run?)`);
      return judge(ctx.vars.get(key), ctx);
    },
  };
}
