import type { EtcdFlags } from '../cluster/cluster-spec.js';
import type { LogLine } from '../cluster/log-line.js';
import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { memberIdFromMemberAdd } from './member-add-output.js';
import { UNHEALTHY_RETRY } from './peer-status.js';

// What a rejected start may print, on either log format (3.4 capnslog text, 3.5 zap JSON).
const REJECTION = /permanently removed|must be removed|mismatch|already been bootstrapped|tocommit|panic|cluster ID/i;

/** What a start that etcd should refuse left behind: the observed checks judge this. */
export interface RejectedStart {
  exited: boolean;
  exitCode?: number;
  /** ms from `docker start` to the container having exited (or to giving up). */
  afterMs: number;
  /** Log lines of this attempt that say why, with their level; `text` is the flattened message. */
  lines: Array<{ level: string; text: string }>;
}

async function one(ctx: RunContext, target: Target, remember?: string): Promise<Member> {
  const [m] = await ctx.resolve(target, remember);
  if (!m) throw new Error(`no member for ${target.description}`);
  return m;
}

/** Another member that answers /health: membership commands must go through a live member. */
async function healthyPeer(ctx: RunContext, not: Member): Promise<Member> {
  for (const m of ctx.cluster.members) {
    if (m !== not && (await m.health(2000).catch(() => ({ healthy: false }))).healthy) return m;
  }
  throw new Error(`no healthy member other than ${not.name} to run etcdctl on`);
}

/** Polls the container until it has exited: a removed or rejected member stops by itself. */
export async function waitExited(m: Member, timeoutMs: number): Promise<{ exited: boolean; afterMs: number }> {
  const t0 = performance.now();
  for (;;) {
    const state = await m.state();
    if (state === 'exited' || state === 'absent') return { exited: true, afterMs: performance.now() - t0 };
    if (performance.now() - t0 > timeoutMs) return { exited: false, afterMs: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `etcdctl member list` on a healthy peer, then `member remove <id>` (seed 000 步骤二.2-3). The ID is
 * read from the simple output (hex): `-w json` prints uint64 IDs JSON.parse rounds (point 4). The
 * old ID is kept as `<remember>-old-id` so a check can show the re-added member got a new one.
 */
export function memberRemove(target: Target, remember: string, source?: string): Step {
  return {
    name: `etcdctl member list, then member remove <id> of ${target.description}`,
    source,
    async run(ctx) {
      const m = await one(ctx, target, remember);
      const via = await healthyPeer(ctx, m);
      const list = await ctx.etcdctl(via, ['member', 'list']);
      // `8e9e05c52164694d, started, etcd-1, http://…:2380, http://…:2379, false`
      const row = list.stdout
        .split('\n')
        .map((l) => l.split(',').map((f) => f.trim()))
        .find((f) => f[2] === m.name || f[3] === m.peerUrl);
      const id = row?.[0];
      if (!id || !/^[0-9a-f]+$/.test(id))
        throw new Error(`${m.name} not found in member list on ${via.name}: ${list.stdout.trim() || list.stderr.trim()}`);
      ctx.vars.set(`${remember}-old-id`, id);
      ctx.vars.set(`${remember}-log-lines`, (await m.logLines()).length); // its goodbye comes after this
      const r = await ctx.retryEtcdctl(via, ['member', 'remove', id], UNHEALTHY_RETRY);
      if (!r.ok) throw new Error(`member remove ${id} failed: ${r.stderr.trim()}`);
      ctx.vars.set(`${remember}-removed-at`, ctx.now());
      ctx.note(`${m.name} was ${id}; ${r.stdout.trim()}`);
    },
  };
}

/** The log lines among `lines` that say why a member stopped (or panicked), at most 12. */
function why(lines: readonly LogLine[]): RejectedStart['lines'] {
  return lines
    .filter((l) => REJECTION.test(l.text) || l.level === 'panic' || l.level === 'critical')
    .slice(0, 12)
    .map((l) => ({ level: l.level, text: l.text.length > 200 ? `${l.text.slice(0, 200)}…` : l.text })); // zap panics carry a stack trace
}

/**
 * Waits (bounded) for a removed member's container to exit by itself and saves a RejectedStart
 * under `saveAs`: etcd exits once its peers say it was removed (ground-truth.md §6, point 9), and
 * its flags can only change once it is stopped. The exit code is evidence, not assumed: 3.4.23 and
 * etcd (seen on 3.4.23 and 3.5.16) can panic (exit 2, "failed to find local ID") when a Status request races the removal.
 */
export function awaitSelfExit(target: Target, remember: string, saveAs: string, source?: string, timeoutMs = 10_000): Step {
  return {
    name: `wait for ${target.description} to exit by itself after its removal`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const { exited } = await waitExited(m, timeoutMs);
      const since = ctx.now() - ((ctx.vars.get(`${remember}-removed-at`) as number | undefined) ?? ctx.now());
      const exitCode = exited ? await m.exitCode() : undefined;
      const lines = why((await m.logLines()).slice((ctx.vars.get(`${remember}-log-lines`) as number | undefined) ?? -150));
      const record: RejectedStart = { exited, exitCode, afterMs: Math.round(since), lines };
      ctx.vars.set(saveAs, record);
      ctx.metric('removed member exits after member remove', since);
      if (!exited) await m.kill(); // as an operator would `systemctl stop etcd`; later starts need it stopped
      ctx.note(
        exited ? `exited with code ${exitCode} ${record.afterMs} ms after member remove` : `still running after ${timeoutMs} ms: killed`,
      );
    },
  };
}

/**
 * `etcdctl member add <name> --peer-urls=<its peer URL>` on a healthy peer (seed 000 步骤二.4). The
 * member keeps its name and IP, so its `--initial-cluster` stays as at bootstrap. The registered
 * ID (`Member <hex> added to cluster <hex>`) is kept as `<remember>-new-id`.
 */
export function memberAdd(target: Target, remember: string, source?: string): Step {
  return {
    name: `etcdctl member add <name> --peer-urls=<peer url> for ${target.description}`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const via = await healthyPeer(ctx, m);
      const r = await ctx.retryEtcdctl(via, ['member', 'add', m.name, `--peer-urls=${m.peerUrl}`], UNHEALTHY_RETRY);
      if (!r.ok) throw new Error(`member add ${m.name} failed: ${r.stderr.trim()}`);
      const id = memberIdFromMemberAdd(r.stdout);
      if (id) ctx.vars.set(`${remember}-new-id`, id);
      ctx.note(`registered as ${id ?? '(ID not printed)'}`);
    },
  };
}

/**
 * Starts the target with `flags` and waits (bounded) for etcd to refuse: the container exits. Saves
 * a RejectedStart under `saveAs` with the exit code and this attempt's log lines that say why. A
 * member still running at the deadline is killed, so the next step starts from a stopped member.
 */
export function startExpectingRejection(target: Target, flags: EtcdFlags, saveAs: string, source?: string, timeoutMs = 15_000): Step {
  const how = Object.entries(flags)
    .map(([k, v]) => `--${k}=${String(v)}`)
    .join(' ');
  return {
    name: `start ${target.description} with ${how} (etcd should refuse it)`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const before = (await m.logLines()).length; // only this attempt's lines are evidence
      await m.start({ flags });
      const { exited, afterMs } = await waitExited(m, timeoutMs);
      const exitCode = exited ? await m.exitCode() : undefined;
      const lines = why((await m.logLines()).slice(before));
      const record: RejectedStart = { exited, exitCode, afterMs: Math.round(afterMs), lines };
      ctx.vars.set(saveAs, record);
      ctx.metric(`${saveAs}: exit after start`, afterMs);
      if (!exited) await m.kill();
      ctx.note(
        exited
          ? `exited ${exitCode} after ${record.afterMs} ms: ${lines[0]?.text ?? '(no matching log line)'}`
          : `still running after ${timeoutMs} ms: killed`,
      );
    },
  };
}

/** Stops the target (`systemctl stop etcd`); a member that already exited is left as it is. */
export function stop(target: Target, source?: string): Step {
  return {
    name: `stop ${target.description}`,
    source,
    async run(ctx) {
      const members = await ctx.resolve(target);
      await Promise.all(members.map(async (m) => ((await m.state()) === 'absent' ? undefined : m.stop())));
      ctx.note(`stopped ${members.map((m) => m.name).join(', ')}`);
    },
  };
}
