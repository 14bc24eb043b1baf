import type { EtcdFlags } from '../cluster/cluster-spec.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { oneMember } from './one-member.js';
import { ensureLeaderSeesActive } from './peer-status.js';

const shown = (f: EtcdFlags): string =>
  Object.entries(f)
    .map(([k, v]) => `--${k}=${String(v)}`)
    .join(' ');

/** `systemctl restart etcd` on the target (SIGTERM, start), then wait until the cluster is ready again. */
export function restart(target: Target, remember: string, source?: string, flags?: EtcdFlags): Step {
  return {
    name: `restart ${target.description}${flags ? ' with new flags' : ''}`,
    source,
    async run(ctx) {
      const m = await oneMember(ctx, target, remember);
      await m.stop();
      await m.start({ flags });
      await ctx.cluster.waitReady({ timeoutMs: 30_000 });
      ctx.note(`restarted ${m.name}`);
      await ensureLeaderSeesActive(ctx, m, async () => {
        await m.stop();
        await m.start();
      });
    },
  };
}

/**
 * Restarts every member one at a time with `flags(ctx)` (a config change rolled out member by
 * member; nothing when it returns undefined), waiting until the cluster is ready after each.
 */
export function rollingRestart(flags: (ctx: RunContext) => EtcdFlags | undefined, title: string, source?: string): Step {
  return {
    name: title,
    source,
    async run(ctx) {
      const f = flags(ctx);
      if (!f) {
        ctx.note('nothing to change on this version');
        return;
      }
      for (const m of ctx.cluster.members) {
        await m.stop();
        await m.start({ flags: f });
        await ctx.cluster.waitReady({ timeoutMs: 30_000 });
        await ensureLeaderSeesActive(ctx, m, async () => {
          await m.stop();
          await m.start();
        });
      }
      const how = Object.keys(f).length ? ` with ${shown(f)}` : ' (same flags)';
      ctx.note(`restarted ${ctx.cluster.members.map((m) => m.name).join(', ')} one at a time${how}`);
    },
  };
}

/**
 * Every member stopped and started together (`systemctl restart etcd` on every host at once): no
 * member keeps a live connection to another, so every peer connection must be made anew.
 */
export function restartAllAtOnce(source?: string, settleMs = 5000): Step {
  return {
    name: 'restart every member at once',
    source,
    async run(ctx) {
      await Promise.all(ctx.cluster.members.map((m) => m.stop()));
      await Promise.all(ctx.cluster.members.map((m) => m.start()));
      await new Promise((r) => setTimeout(r, settleMs));
      const states = await Promise.all(ctx.cluster.members.map(async (m) => `${m.name} ${await m.state()}`));
      ctx.note(`restarted together; ${settleMs} ms later: ${states.join(', ')}`);
    },
  };
}
