import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { EtcdFlags } from '../cluster/cluster-spec.js';
import type { Step } from '../run/scenario.js';
import { Targets } from '../targets/targets.js';
import type { Target } from '../targets/target.js';
import { withFlags } from '../cluster/etcd-flags.js';

/** SIGKILL the target (a host dying), remembering who under `remember`. */
export function kill(target: Target, remember = 'killed', source?: string): Step {
  return {
    name: `kill ${target.description} (SIGKILL)`,
    source,
    async run(ctx) {
      const members = await ctx.resolve(target, remember);
      await Promise.all(members.map((m) => m.kill()));
      ctx.note(`killed ${members.map((m) => m.name).join(', ')}`);
      ctx.vars.set(killedAtKey(remember), ctx.now());
      ctx.emit({ type: 'fault-injected', name: 'kill', members: members.map((m) => m.name) });
    },
  };
}

/** Starts the target again; `flags` change its configuration, like an edited unit file. */
export function start(target: Target, flags?: EtcdFlags, source?: string): Step {
  const how = withFlags(flags);
  return {
    name: `start ${target.description}${how}`,
    source,
    async run(ctx) {
      const members = await ctx.resolve(target);
      // Most recently stopped first, as an operator brings back the freshest data first.
      for (const m of [...members].reverse()) await m.start({ flags });
      ctx.note(`started ${members.map((m) => m.name).join(', ')}`);
    },
  };
}

/** Empties the target's data dir (`rm -rf` of the data dir on a stopped member). */
export function wipe(target: Target, source?: string): Step {
  return {
    name: `wipe the data dir of ${target.description}`,
    source,
    async run(ctx) {
      const members = await ctx.resolve(target);
      await Promise.all(members.map((m) => m.wipeData()));
      ctx.note(`wiped ${members.map((m) => m.name).join(', ')}`);
    },
  };
}

const killedAtKey = (remember: string): string => `${remember}-at`;

/** The members not remembered under `down`, and when `kill` last acted on `down` (now if never). */
function afterKill(ctx: RunContext, down: string): { survivors: Member[]; since: number } {
  const gone = ctx.ref(down);
  const since = (ctx.vars.get(killedAtKey(down)) as number | undefined) ?? ctx.now();
  return { survivors: ctx.cluster.members.filter((m) => !gone.includes(m)), since };
}

/** Waits for a leader outside `down` and records how long the election took since the kill. */
export function waitForNewLeader(down = 'killed', metric = 'election after leader kill'): Step {
  return {
    name: 'wait for a new leader among the survivors',
    async run(ctx) {
      const { survivors, since } = afterKill(ctx, down);
      const found = await ctx.cluster.waitForLeader({ among: survivors, timeoutMs: 30_000 });
      ctx.metric(metric, ctx.now() - since);
      ctx.note(`new leader ${found.leader.name}, term ${found.term}`);
    },
  };
}

/**
 * Waits until the survivors (members not in `down`) report no leader: with quorum gone the leader
 * steps down after an election timeout (CheckQuorum). Records the time since the last kill.
 */
export function waitForQuorumLoss(down = 'killed', metric = 'quorum lost after kill'): Step {
  return {
    name: 'wait until the survivors report no leader',
    async run(ctx) {
      const { survivors, since } = afterKill(ctx, down);
      const deadline = ctx.now() + 30_000;
      for (;;) {
        const statuses = await ctx.cluster.statuses(500, survivors);
        if ([...statuses.values()].every((s) => s instanceof Error || !s.leaderId)) break;
        if (ctx.now() > deadline) throw new Error(`survivors still report a leader 30 s after the kill`);
        await new Promise((r) => setTimeout(r, 50));
      }
      ctx.metric(metric, ctx.now() - since);
    },
  };
}

/** Waits until every member is healthy and one leader is agreed; records the time as `metric`. */
export function waitReady(metric = 'recovery', timeoutMs = 60_000): Step {
  return {
    name: 'wait until every member is healthy and one leader is agreed',
    async run(ctx) {
      const t0 = ctx.now();
      await ctx.cluster.waitReady({ timeoutMs });
      ctx.metric(metric, ctx.now() - t0);
    },
  };
}

export function sleep(ms: number, why: string): Step {
  return { name: `wait ${ms} ms: ${why}`, run: () => new Promise((r) => setTimeout(r, ms)) };
}

export { Targets };
