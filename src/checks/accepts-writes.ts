import type { Check } from '../run/scenario.js';
import { fail, pass } from './verdict.js';

/** A fresh put through the whole cluster succeeds and reads back: the cluster is writable again. */
export function acceptsWrites(valueBytes = 16): Check {
  return {
    name: 'cluster accepts writes',
    async run(ctx) {
      const client = ctx.cluster.client({ callTimeoutMs: 8000 });
      try {
        const key = `/firedrill/probe/${Math.round(ctx.now())}`;
        const value = 'p'.repeat(valueBytes);
        ctx.history.mark = 'probe';
        const op = await ctx.history.record(key, value, async () => await client.put(key).value(value));
        if (op.outcome !== 'ok') return fail(`put ${key} failed: ${op.error}`);
        const back = await client.get(key).string();
        return back === value ? pass(`put and linearizable get of ${key} succeeded`) : fail(`read back ${back} for ${key}`);
      } finally {
        client.close();
      }
    },
  };
}
