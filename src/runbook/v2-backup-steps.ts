import { lastLine, type CommandResult } from '../cluster/command-result.js';
import { DATA_DIR, VOLUME_MOUNT } from '../cluster/etcd-flags.js';
import { memberList, rangePrefix } from '../cluster/gateway.js';
import type { Member } from '../cluster/member.js';
import { readV2 } from '../checks/v2-keys.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { initialClusterFromMemberAdd } from './member-add-output.js';
import { UNHEALTHY_RETRY } from './peer-status.js';

/** Backup dirs next to the data dir, on the member's own volume (seed 001: `--backup-dir etcd_backup`). */
export const backupDir = (name: string): string => `${VOLUME_MOUNT}/${name}`;

async function one(ctx: RunContext, target: Target, remember?: string): Promise<Member> {
  const [m] = await ctx.resolve(target, remember);
  if (!m) throw new Error(`no member for ${target.description}`);
  return m;
}

/** Remembers the target under `name`, so later targets can say `Targets.ref(name)` / `except(name)`. */
export function rememberAs(target: Target, name: string): Step {
  return {
    name: `${target.description} is the ${name}`,
    async run(ctx) {
      const members = await ctx.resolve(target, name);
      ctx.note(members.map((m) => m.name).join(', '));
    },
  };
}

/** Keeps the target's member ID and cluster ID (hex, exact) under `<saveAs>`: `{ memberId, clusterId }`. */
export function rememberIds(target: Target, saveAs: string, source?: string): Step {
  return {
    name: `note the member ID and cluster ID of ${target.description} (endpoint status)`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const s = await m.status(3000);
      ctx.vars.set(saveAs, { memberId: s.memberId, clusterId: s.clusterId });
      ctx.note(`member ${s.memberId}, cluster ${s.clusterId}`);
    },
  };
}

export interface BackupOptions {
  withV3?: boolean;
  /** Inside the running member (`exec`), or in a one-shot container while etcd is stopped. */
  where: 'running' | 'stopped';
  /** A short bound: `--with-v3` on a running member waits forever for the db lock. */
  timeoutMs?: number;
  saveAs: string;
  source?: string;
}

/**
 * `ETCDCTL_API=2 etcdctl backup --data-dir <data dir> --backup-dir <dir> [--with-v3]`, as seeds 001,
 * 003 and 004 write it (3.5 prints that it moved to etcdutl, and still does it). The result (with
 * `timedOut`) is kept under `saveAs`; a failure is data, not an exception.
 */
export function v2Backup(target: Target, dir: string, opts: BackupOptions): Step {
  const argv = ['etcdctl', 'backup', `--data-dir=${DATA_DIR}`, `--backup-dir=${dir}`, ...(opts.withV3 ? ['--with-v3'] : [])];
  return {
    name: `ETCDCTL_API=2 etcdctl backup --backup-dir ${dir}${opts.withV3 ? ' --with-v3' : ''} on ${target.description} (etcd ${opts.where})`,
    source: opts.source,
    async run(ctx) {
      const m = await one(ctx, target);
      const how = { env: { ETCDCTL_API: '2' }, timeoutMs: opts.timeoutMs ?? 30_000 };
      const r = opts.where === 'running' ? await ctx.exec(m, argv, how) : await ctx.oneShot(m, argv, how);
      ctx.vars.set(opts.saveAs, r);
      ctx.note(
        r.timedOut ? `still running after ${how.timeoutMs} ms: ${lastLine(r) || '(no output)'}` : `exit ${r.exitCode}: ${lastLine(r)}`,
      );
    },
  };
}

/** What a single member started on a backup with `--force-new-cluster` serves: saved under `saveAs`. */
export interface ForcedStart {
  healthy: boolean;
  memberId?: string;
  clusterId?: string;
  peerUrls: string[];
  members: number;
  v3Keys: number;
  v2: Record<string, string | null>;
  error?: string;
}

/**
 * Starts the target on `dir` with `--force-new-cluster` (seed 001 §7, 003 §3.2, 004), waits
 * (bounded) until it answers /health, and records what it serves: its IDs, its peer URL as `member
 * list` shows it, how many v3 keys under `v3Prefix`, and the v2 keys acknowledged so far. With
 * `thenStop` it is stopped again (a look at a backup, not the recovery).
 */
export function startForceNewCluster(
  target: Target,
  dir: string,
  opts: { v3Prefix: string; saveAs: string; thenStop?: boolean; source?: string },
): Step {
  return {
    name: `start ${target.description} on ${dir} with --force-new-cluster${opts.thenStop ? ', look at its data, stop it' : ''}`,
    source: opts.source,
    async run(ctx) {
      const m = await one(ctx, target);
      await m.start({ flags: { 'data-dir': dir, 'force-new-cluster': true } });
      const t0 = ctx.now();
      const record: ForcedStart = { healthy: false, peerUrls: [], members: 0, v3Keys: 0, v2: {} };
      while (ctx.now() - t0 < 20_000) {
        if ((await m.health(1000).catch(() => ({ healthy: false }))).healthy) {
          record.healthy = true;
          break;
        }
        if ((await m.state()) === 'exited') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      if (record.healthy) {
        ctx.metric(`${opts.saveAs}: single member healthy after start`, ctx.now() - t0);
        const s = await m.status(3000);
        const list = await memberList(m.clientUrl);
        record.memberId = s.memberId;
        record.clusterId = s.clusterId;
        record.members = list.length;
        record.peerUrls = list.find((x) => x.id === s.memberId)?.peerUrls ?? [];
        record.v3Keys = (await rangePrefix(m.clientUrl, opts.v3Prefix, { serializable: true })).kvs.length;
        for (const op of ctx.history.ops.filter((o) => o.api === 2 && o.outcome === 'ok'))
          record.v2[op.key] = (await readV2(m.clientUrl, op.key)) ?? null;
      } else {
        record.error = `not healthy within 20 s (${await m.state()})`;
      }
      ctx.vars.set(opts.saveAs, record);
      const v2 = Object.entries(record.v2);
      ctx.note(
        record.healthy
          ? `member ${record.memberId}, cluster ${record.clusterId}, ${record.members} member(s), peer URL ${record.peerUrls.join(',')}; ${record.v3Keys} v3 keys under ${opts.v3Prefix}; v2 keys present ${v2.filter(([, v]) => v !== null).length} of ${v2.length}`
          : record.error!,
      );
      if (opts.thenStop) await m.stop();
      if (!record.healthy) throw new Error(`${m.name} on ${dir} with --force-new-cluster: ${record.error}`);
    },
  };
}

/** Stops the target, replaces its data dir with `dir` (seed 003 §3.2 step 2: pkill, rm -rf, mv) and starts it without `--force-new-cluster`. */
export function moveBackupIntoPlace(target: Target, dir: string, source?: string): Step {
  return {
    name: `stop ${target.description}, rm -rf the data dir, mv ${dir} into its place, start it without --force-new-cluster`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      await m.stop();
      const r = await ctx.oneShot(m, ['sh', '-c', `rm -rf ${DATA_DIR} && mv ${dir} ${DATA_DIR}`]);
      if (!r.ok) throw new Error(`mv ${dir} ${DATA_DIR} failed: ${lastLine(r)}`);
      // The flag must go: left on, the next restart would throw every other member out again.
      await m.start({ flags: { 'data-dir': DATA_DIR, 'force-new-cluster': null } });
      await ctx.cluster.waitReady({ members: [m], timeoutMs: 20_000 });
      ctx.note(`${m.name} runs on ${DATA_DIR}, flag removed`);
    },
  };
}

/**
 * `etcdctl member update <id> --peer-urls=<its real peer URL>` on the target itself (seed 004 does it
 * with `PUT /v2/members/<id>`; etcdctl can do it too). The ID is the member's own, read from status.
 */
export function memberUpdateOwnPeerUrl(target: Target, source?: string): Step {
  return {
    name: `etcdctl member update <id> --peer-urls=<peer url> of ${target.description}`,
    source,
    async run(ctx) {
      const m = await one(ctx, target);
      const { memberId } = await m.status(3000);
      const r = await ctx.etcdctl(m, ['member', 'update', memberId, `--peer-urls=${m.peerUrl}`]);
      if (!r.ok) throw new Error(`member update failed: ${lastLine(r)}`);
      ctx.note(r.stdout.trim());
    },
  };
}

/** How one grown-back member fared: what member add said, and whether it came up. */
export interface GrowResult {
  add: CommandResult;
  initialCluster?: string;
  outcome: 'healthy' | 'exited' | 'timeout' | 'not added';
  afterMs: number;
  why?: string;
}

/**
 * Grows the cluster back one member at a time (seed 003 §3.2 step 3, seed 004 扩展), for each
 * target member in turn: `member add <name> --peer-urls=...` on `via`, retried while etcd answers
 * `unhealthy cluster` (the 5 s strict-reconfiguration window; bounded), then its data dir wiped and
 * it started with `existing` and the `ETCD_INITIAL_CLUSTER` member add printed, watched until
 * healthy or exited (bounded). Saves a GrowResult per member under `<saveAs>:<name>`; throws at the
 * first member that does not come up (the procedure stops there, as an operator's would).
 */
export function growBack(target: Target, via: Target, saveAs: string, source?: string): Step {
  return {
    name: `one at a time: etcdctl member add, wipe, start with existing: ${target.description}`,
    source,
    async run(ctx) {
      const members = await ctx.resolve(target);
      const peer = await one(ctx, via);
      for (const m of members) {
        const add = await ctx.retryEtcdctl(peer, ['member', 'add', m.name, `--peer-urls=${m.peerUrl}`], UNHEALTHY_RETRY);
        const initialCluster = initialClusterFromMemberAdd(add.stdout);
        const result: GrowResult = { add, initialCluster, outcome: 'not added', afterMs: 0 };
        ctx.vars.set(`${saveAs}:${m.name}`, result);
        if (!add.ok || !initialCluster) throw new Error(`member add ${m.name} failed: ${lastLine(add)}`);
        ctx.note(`${m.name}: ETCD_INITIAL_CLUSTER="${initialCluster}"`);
        // Its host died with the old cluster: whatever it holds belongs to that cluster.
        await m.kill();
        await m.wipeData();
        const before = (await m.logLines()).length;
        const t0 = ctx.now();
        await m.start({ flags: { 'initial-cluster': initialCluster, 'initial-cluster-state': 'existing' } });
        for (;;) {
          if ((await m.health(1000).catch(() => ({ healthy: false }))).healthy) {
            result.outcome = 'healthy';
            break;
          }
          if ((await m.state()) === 'exited') {
            result.outcome = 'exited';
            break;
          }
          if (ctx.now() - t0 > 20_000) {
            result.outcome = 'timeout';
            break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        result.afterMs = Math.round(ctx.now() - t0);
        if (result.outcome !== 'healthy') {
          const lines = (await m.logLines()).slice(before);
          result.why = lines.filter((l) => l.level === 'critical' || /could not|cannot|discovery failed/.test(l.text)).pop()?.text;
        }
        ctx.metric(`${m.name}: ${result.outcome} after start`, result.afterMs);
        ctx.note(`${m.name} ${result.outcome} after ${result.afterMs} ms${result.why ? `: ${result.why.slice(0, 200)}` : ''}`);
        if (result.outcome !== 'healthy')
          throw new Error(`${m.name} did not join: ${result.outcome}${result.why ? ` (${result.why.slice(0, 160)})` : ''}`);
      }
    },
  };
}
