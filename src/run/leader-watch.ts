import type { RunContext } from './run-context.js';

/**
 * Polls who leads, every `intervalMs`, and emits `leader-changed` when the answer changes (to
 * nobody included): the report's leader timeline, and the raw data for election times.
 */
export function watchLeader(ctx: RunContext, intervalMs = 250): () => Promise<void> {
  let last: string | undefined = '(start)';
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const found = await ctx.cluster.leader(300).catch(() => undefined);
      const name = found?.leader.name;
      if (name !== last) {
        ctx.emit({ type: 'leader-changed', from: last === '(start)' ? undefined : last, to: name, term: found?.term ?? 0 });
        last = name;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}
