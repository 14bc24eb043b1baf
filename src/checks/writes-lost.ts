import { rangePrefix } from '../cluster/gateway.js';
import type { Check } from '../run/scenario.js';
import { converge } from './converge.js';
import { fail, pass, unknown } from './verdict.js';

/**
 * Acknowledged writes made under `mark` are gone on every member, as a restore from an older
 * snapshot must leave them; the verdict counts them, so the report says how many writes were lost.
 */
export function writesLost(mark: string): Check {
  return {
    name: `writes made ${mark} are lost (and counted)`,
    async run(ctx) {
      const acked = ctx.history.ops.filter((o) => o.api === 3 && o.mark === mark && o.outcome === 'ok');
      if (acked.length === 0) return unknown(`no acknowledged writes marked ${mark}`);
      await converge(ctx, ctx.cluster.members);
      const survived: string[] = [];
      for (const m of ctx.cluster.members) {
        const { kvs } = await rangePrefix(m.clientUrl, '', { serializable: true, timeoutMs: 10_000 });
        const keys = new Set(kvs.map((kv) => kv.key));
        for (const op of acked) if (keys.has(op.key)) survived.push(`${m.name}:${op.key}`);
      }
      ctx.metric(`writes lost (${mark})`, acked.length - survived.length, 'writes');
      return survived.length
        ? fail(`${survived.length} writes made ${mark} are still there (e.g. ${survived[0]})`, { survived })
        : pass(
            `${acked.length} of ${acked.length} acknowledged writes made ${mark} are lost, as a restore from an older snapshot must lose them`,
          );
    },
  };
}
