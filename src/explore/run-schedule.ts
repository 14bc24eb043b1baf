import { backendQuota } from '../cluster/cluster-spec.js';
import fc, { type AsyncCommand } from 'fast-check';
import type { StartedCluster } from '../cluster/started-cluster.js';
import type { CheckResult } from '../report/run-report.js';
import { RunContext } from '../run/run-context.js';
import { KV_HISTORY_VAR } from '../checks/linearizable.js';
import { closeKvClients, kvClients, KvWorkload } from '../workload/kv-workload.js';
import { Workload } from '../workload/workload.js';
import type { CommandSpec } from './command.js';
import { scheduleInvariants } from './invariants.js';
import { initialModel, type ExploreModel } from './model.js';
import { EXPLORE_PREFIX } from './reset.js';
import { ScheduleRun, type ScheduleLogLine } from './schedule-run.js';

export interface ScheduleOptions {
  /** The schedule's number in the exploration: its workload writes under `<prefix><index>/`. */
  index: number;
  /** Seed of the schedule's run context (targets and any other random choice). */
  seed: number;
  allowQuorumLoss?: boolean;
  /** How long the members may take to be healthy again after healing (default 10 s). */
  settleMs?: number;
  /** Workload time before the first command, so acknowledged writes exist (default 300 ms). */
  warmupMs?: number;
  /**
   * Also run the KV workload (gets, puts, deletes, CAS, leases on a few contended keys, src/workload/
   * kv-workload.ts) for the linearizability check (default true).
   */
  kvWorkload?: boolean;
  /** How long faults still in force after the last command stay before healing (default 500 ms). */
  holdMs?: number;
  /**
   * Opt-in availability invariant: the raft term may rise by at most this much over a schedule. A
   * leader lost costs an election or two; a member cut off on 3.4 (pre-vote off) comes back with
   * its term inflated by one per election timeout and forces a new election on the healthy majority.
   */
  maxTermRise?: number;
}

export interface ScheduleResult {
  index: number;
  /** The commands that ran, readable (`kill(etcd-2)`). */
  schedule: string[];
  specs: CommandSpec[];
  log: ScheduleLogLine[];
  checks: CheckResult[];
  /** fail: an invariant failed (or a strict one could not be checked); unknown: only inconclusive ones. */
  status: 'pass' | 'fail' | 'unknown';
  /** Why it failed, one line per failed check. */
  failures: string[];
  /** Checks that could not decide (not failures): e.g. the linearizability search ran out of time. */
  inconclusive: string[];
  writes: { ok: number; fail: number; unknown: number };
  /**
   * Availability, measured (never an invariant): the longest time no put of the workload was
   * acknowledged while the schedule ran, and how far the raft term moved (a member isolated on
   * 3.4, pre-vote off, returns with an inflated term and deposes the leader).
   */
  availability: { maxWriteGapMs: number; termBefore?: number; termAfter?: number; leaderChanged: boolean };
  durationMs: number;
  error?: string;
}

/**
 * Runs one schedule on a clean cluster: a workload (one writer pinned to each member) runs while
 * the commands inject and heal faults; then every fault still in force is healed, the workload
 * stops, and the invariants are checked on what is left.
 */
export async function runSchedule(
  cluster: StartedCluster,
  commands: Iterable<AsyncCommand<ExploreModel, ScheduleRun, boolean>>,
  opts: ScheduleOptions,
): Promise<ScheduleResult> {
  const t0 = performance.now();
  const before = await cluster.leader(1000);
  const ctx = new RunContext(cluster, opts.seed, () => {}, t0);
  const names = cluster.members.map((m) => m.name);
  const clients = cluster.members.map((m) => m.client({ callTimeoutMs: 2000, dialTimeoutMs: 1000 }));
  const workload = new Workload(clients, ctx.history, `${EXPLORE_PREFIX}${opts.index}/`).start();
  ctx.workload = workload;
  const kvc = opts.kvWorkload === false ? [] : kvClients(cluster, { pinned: names.length, clusterWide: 1, callTimeoutMs: 2000 });
  const kv = kvc.length
    ? new KvWorkload(kvc, {
        rate: 50,
        maxOps: 1_000_000,
        durationMs: 10 * 60_000, // stopped when the schedule ends
        prefix: `${EXPLORE_PREFIX}${opts.index}/kv/`,
        seed: opts.seed + opts.index,
      }).start()
    : undefined;
  if (kv) ctx.vars.set(KV_HISTORY_VAR, kv);
  await new Promise((r) => setTimeout(r, opts.warmupMs ?? 300));
  // At least one acknowledged write before the first command (bounded): otherwise "every acknowledged
  // write is present" has nothing to check, and a loaded machine could make a schedule vacuous.
  for (const until = performance.now() + 5000; ctx.history.count('ok') === 0 && performance.now() < until;)
    await new Promise((r) => setTimeout(r, 50));
  const real = new ScheduleRun(ctx);
  const commandsFrom = ctx.now();
  let error: string | undefined;
  try {
    await fc.asyncModelRun(() => ({ model: initialModel(names, opts), real }), commands);
  } catch (e) {
    error = `schedule aborted: ${e instanceof Error ? e.message : String(e)}`;
  }
  // A fault the last commands injected would otherwise be healed at once: hold it a moment, so
  // the workload meets it (a schedule's own sleeps come on top).
  if (ctx.active().length) await new Promise((r) => setTimeout(r, opts.holdMs ?? 500));
  try {
    await real.healAll();
  } catch (e) {
    error ??= `healing failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  await workload.stop();
  const commandsTo = ctx.now();
  await kv?.stop();
  closeKvClients(kvc);
  ctx.workload = undefined;
  const checks: CheckResult[] = [];
  const failures: string[] = [];
  const inconclusive: string[] = [];
  for (const inv of scheduleInvariants(opts.settleMs ?? 10_000, { quotaBytes: backendQuota(cluster.spec) })) {
    const c0 = performance.now();
    const verdict = await inv.check
      .run(ctx)
      .catch((e: unknown) => ({ status: 'unknown' as const, message: `check threw: ${e instanceof Error ? e.message : String(e)}` }));
    checks.push({ name: inv.check.name, assumption: false, verdict, durationMs: Math.round(performance.now() - c0) });
    if (verdict.status === 'fail' || (verdict.status === 'unknown' && inv.strict)) failures.push(`${inv.check.name}: ${verdict.message}`);
    else if (verdict.status === 'unknown') inconclusive.push(`${inv.check.name}: ${verdict.message}`);
  }
  const after = await cluster.leader(1000);
  if (opts.maxTermRise !== undefined) {
    const name = 'raft term stable';
    const rise = before && after ? after.term - before.term : undefined;
    const verdict: CheckResult['verdict'] =
      rise === undefined
        ? { status: 'unknown', message: 'no leader agreed before or after the schedule: the term could not be read' }
        : rise > opts.maxTermRise
          ? {
              status: 'fail',
              message: `raft term rose from ${before!.term} to ${after!.term} (by ${rise}, more than ${opts.maxTermRise}): elections beyond those the faults explain (a member returning with an inflated term?)`,
            }
          : { status: 'pass', message: `raft term ${before!.term} → ${after!.term}` };
    checks.push({ name, assumption: false, verdict, durationMs: 0 });
    if (verdict.status === 'fail') failures.push(`${name}: ${verdict.message}`);
    else if (verdict.status === 'unknown') inconclusive.push(`${name}: ${verdict.message}`);
  }
  if (error) failures.push(error);
  const h = ctx.history;
  return {
    index: opts.index,
    schedule: real.ran.map((s, i) => real.log[i]?.command ?? s.type),
    specs: real.ran,
    log: real.log,
    checks,
    status: failures.length ? 'fail' : inconclusive.length ? 'unknown' : 'pass',
    failures,
    inconclusive,
    writes: { ok: h.count('ok'), fail: h.count('fail'), unknown: h.count('unknown') },
    availability: {
      maxWriteGapMs: Math.round(maxAckGap(h.ops, commandsFrom, commandsTo)),
      termBefore: before?.term,
      termAfter: after?.term,
      leaderChanged: before?.leader !== after?.leader,
    },
    durationMs: Math.round(performance.now() - t0),
    error,
  };
}

/** The longest stretch of [from, to] in which no write was acknowledged (by its return time). */
export function maxAckGap(ops: readonly { outcome: string; ret: number }[], from: number, to: number): number {
  const acks = ops
    .filter((o) => o.outcome === 'ok' && o.ret >= from && o.ret <= to)
    .map((o) => o.ret)
    .sort((a, b) => a - b);
  let gap = 0;
  let last = from;
  for (const t of [...acks, to]) {
    gap = Math.max(gap, t - last);
    last = t;
  }
  return gap;
}
