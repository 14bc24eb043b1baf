import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { UNHEALTHY_RETRY } from './peer-status.js';
import { listedRow, livePeer, one } from './replace-steps.js';

/**
 * Moves the stopped target to a new host (seed 003 §3.1 step 2, `tar` + `scp` of the data dir): a
 * new container at the next free IP, same etcd `--name`, with a copy of the data dir. The old host
 * is retired (its container stays stopped until teardown); `ref` now names the member on the new
 * host. Records `<ref>-old-id` (from `member list` on a live peer), `<ref>-old-peer-url` and
 * `<ref>-new-peer-url`.
 */
export function moveDataDir(target: Target, ref: string, source?: string): Step {
  return {
    name: `copy the data dir of ${target.description} to a new host (new IP, same --name)`,
    source,
    async run(ctx) {
      const old = await one(ctx, target);
      const { row } = await listedRow(ctx, await livePeer(ctx, old), old);
      if (!row) throw new Error(`${old.name} is not in the member list`);
      ctx.vars.set(`${ref}-old-id`, row.id);
      // Retired first: the harness must not count the old host among the members it polls.
      ctx.cluster.retire(old);
      const moved = await ctx.cluster.addMember({ name: old.name, host: `${old.host}-moved` });
      await old.copyDataDirTo(moved);
      const files = (await moved.readDataDir()).filter((e) => e.type === 'file');
      ctx.refs.set(ref, [moved]);
      ctx.vars.set(`${ref}-old-peer-url`, old.peerUrl);
      ctx.vars.set(`${ref}-new-peer-url`, moved.peerUrl);
      ctx.note(`${old.name} (${row.id}) moved from ${old.ip} to ${moved.ip} (host ${moved.host}): ${files.length} files copied`);
    },
  };
}

/**
 * `etcdctl member update <id> --peer-urls=<new peer url>` on a live peer (seed 003 §3.1 step 3),
 * for the member `ref` names now (after moveDataDir: on its new host); `<ref>-old-id` is its ID.
 * `args` replaces the arguments after `member update <id>`, for the seed's own spelling.
 */
export function memberUpdate(target: Target, ref: string, source?: string, args?: (url: string) => string[]): Step {
  return {
    name: `etcdctl member update <id> ${args ? args('<new peer url>').join(' ') : '--peer-urls=<new peer url>'} for ${target.description}`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const id = ctx.vars.get(`${ref}-old-id`) as string | undefined;
      if (!id) throw new Error(`no member ID recorded for the ${ref}`);
      const via = await livePeer(ctx, m);
      const r = await ctx.retryEtcdctl(
        via,
        ['member', 'update', id, ...(args ? args(m.peerUrl) : [`--peer-urls=${m.peerUrl}`])],
        UNHEALTHY_RETRY,
      );
      if (!r.ok) throw new Error(`member update ${id} refused: ${r.stderr.trim().split('\n').pop()}`);
      ctx.note(r.stdout.trim());
    },
  };
}

/**
 * Writes `n` v3 keys `<prefix><i>` through the members other than those remembered as `skip`
 * (round robin, each write in the history): writes the stopped member must catch up on.
 */
export function writeWhileDown(n: number, prefix: string, skip: string, source?: string): Step {
  return {
    name: `write ${n} v3 keys ${prefix}1..${n} through the other members`,
    source,
    async run(ctx) {
      const down = ctx.ref(skip);
      const live = ctx.cluster.members.filter((m) => !down.includes(m));
      if (live.length === 0) throw new Error('no member left to write through');
      for (let i = 1; i <= n; i++) {
        const client = live[i % live.length]!.client();
        const key = `${prefix}${i}`;
        await ctx.history.record(key, `v${i}`, async () => await client.put(key).value(`v${i}`));
      }
      ctx.note(`${ctx.history.count('ok', (o) => o.key.startsWith(prefix))} of ${n} acknowledged`);
    },
  };
}

/** Stops the target (`systemctl stop etcd`, seed 003: kill `pgrep etcd`), remembering it as `ref`. */
export function stopAs(target: Target, ref: string, source?: string): Step {
  return {
    name: `stop ${target.description}`,
    source,
    async run(ctx) {
      const m = await one(ctx, target, ref);
      await m.stop();
      ctx.note(`stopped ${m.name} (${m.ip})`);
    },
  };
}
