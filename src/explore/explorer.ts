import { cpus, loadavg } from 'node:os';
import fc from 'fast-check';
import { newRunId } from '../cluster/run-id.js';
import { startCluster } from '../cluster/start-cluster.js';
import type { StartedCluster } from '../cluster/started-cluster.js';
import { netnsAvailable } from '../faults/netns.js';
import { clockHelperUnavailable } from '../setup/clock-helper.js';
import { commandArbitraries, DEFAULT_KINDS, type CommandKind } from './arbitraries.js';
import { exploreClusterSpec } from './explore-cluster-spec.js';
import { writeExploreReport, type ExploreReport, type ScheduleSummary } from './explore-report.js';
import { reap } from '../cluster/reaper.js';
import { teardownOnSignal } from '../cluster/teardown-on-signal.js';
import { resetCluster } from './reset.js';
import { runSchedule, type ScheduleResult } from './run-schedule.js';

export interface ExploreOptions {
  /** How many schedules fast-check generates (shrinking runs come on top). */
  runs: number;
  seed?: number;
  /** fast-check's counterexample path: with it, exactly that schedule runs (a replay). */
  path?: string;
  /** fc.commands' own replay path (which commands the shrinker kept). */
  replayPath?: string;
  members?: number;
  version?: string;
  /** Commands per schedule, at most (default 5). */
  maxCommands?: number;
  /** Stop generating (and shrinking) after this long; what was found so far is reported. */
  timeLimitMs?: number;
  /** The command kinds to draw from (default: every fault the machine supports, and sleep). */
  kinds?: readonly CommandKind[];
  /** Adds the test-only fault that deletes an acknowledged key behind etcd's back. Never for real exploration. */
  includeTestFaults?: boolean;
  /** Schedules may take every member down; the invariants are still checked after healing. */
  allowQuorumLoss?: boolean;
  /** Reuse one cluster across schedules (reset and verified between them); default true. */
  reuse?: boolean;
  settleMs?: number;
  /** Opt-in invariant: the raft term rises by at most this much per schedule (see ScheduleOptions). */
  maxTermRise?: number;
  id?: string;
  /** Where a Ctrl-C writes the partial report (the caller writes the final one). */
  reportDir?: string;
  log?: (line: string) => void;
}

/** The kinds this machine can run: partitions need iptables in namespaces, skews the clock helper. */
export function availableKinds(kinds: readonly CommandKind[]): CommandKind[] {
  return kinds.filter((k) => (k === 'partition' ? netnsAvailable() === true : k === 'skew-clock' ? !clockHelperUnavailable() : true));
}

const REPLAY_RE = /replayPath="([^"]*)"/;

/**
 * Property-based failure exploration: fast-check generates fault schedules (fc.commands), each
 * runs on a real cluster with a workload, and the invariants are checked after healing. A failing
 * schedule is shrunk by fast-check to a minimal one; the report gives its seed, path and replay
 * path, so `firedrill replay` runs exactly it again.
 */
export async function explore(opts: ExploreOptions): Promise<ExploreReport> {
  const log = opts.log ?? (() => {});
  const id = opts.id ?? newRunId();
  const seed = opts.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const members = opts.members ?? 3;
  const maxCommands = opts.maxCommands ?? 5;
  const reuse = opts.reuse ?? true;
  const kinds = [...(opts.kinds ?? availableKinds(DEFAULT_KINDS))];
  if (opts.includeTestFaults && !kinds.includes('delete-acked-key')) kinds.push('delete-acked-key');
  const spec = exploreClusterSpec(members, opts.version ?? '3.5', { fills: kinds.includes('fill-quota') });
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
  let clusterStarts = 0;
  const start = async (): Promise<StartedCluster> => {
    clusterStarts++;
    return startCluster(spec, { runId: `${id}-${clusterStarts}` });
  };
  let cluster = await start();
  const clusterStartMs = performance.now() - t0;
  log(`cluster ${cluster.runId} (${cluster.spec.image}, ${members} members, fast timing) ready in ${(clusterStartMs / 1000).toFixed(1)} s`);
  const names = cluster.members.map((m) => m.name);
  const results: ScheduleResult[] = [];
  const resets: number[] = [];
  const resetRepairs: string[] = [];
  let lastFailure: { result: ScheduleResult; replayPath?: string } | undefined;
  const exploring0 = performance.now();
  const build = (details?: {
    failed: boolean;
    numRuns: number;
    numShrinks: number;
    interrupted: boolean;
    counterexamplePath?: string | null;
  }): ExploreReport => {
    const exploringMs = performance.now() - exploring0;
    const firstFailure = results.find((r) => r.status === 'fail');
    const summaries: ScheduleSummary[] = results.map((r) => ({
      index: r.index,
      status: r.status,
      schedule: r.schedule,
      durationMs: r.durationMs,
      writes: r.writes,
      failures: r.failures,
      inconclusive: r.inconclusive,
      availability: r.availability,
      checks: r.checks.map((c) => ({ name: c.name, status: c.verdict.status, message: c.verdict.message.split('\n')[0]! })),
    }));
    return {
      schema: 'etcd-firedrill/explore@1',
      id,
      startedAt,
      options: {
        runs: opts.runs,
        members,
        version: spec.version!,
        maxCommands,
        kinds,
        includeTestFaults: Boolean(opts.includeTestFaults),
        allowQuorumLoss: Boolean(opts.allowQuorumLoss),
        reuse,
        timeLimitMs: opts.timeLimitMs,
        maxTermRise: opts.maxTermRise,
      },
      image: cluster.spec.image,
      seed,
      complete: details !== undefined,
      status: lastFailure ? 'fail' : results.some((r) => r.status === 'unknown') ? 'unknown' : 'pass',
      numRuns: details?.numRuns ?? results.length,
      numShrinks: details?.numShrinks ?? 0,
      interrupted: details?.interrupted ?? true,
      failure:
        lastFailure && (details === undefined || details.failed)
          ? {
              path: details?.counterexamplePath ?? undefined,
              replayPath: lastFailure.replayPath,
              schedule: lastFailure.result.schedule,
              specs: lastFailure.result.specs,
              failures: lastFailure.result.failures,
              checks: lastFailure.result.checks,
              log: lastFailure.result.log,
              firstFound: firstFailure ? { index: firstFailure.index, schedule: firstFailure.schedule } : undefined,
            }
          : undefined,
      schedules: summaries,
      speed: {
        schedules: results.length,
        exploringMs: Math.round(exploringMs),
        perMinute: results.length ? Math.round((results.length / (exploringMs / 60_000)) * 10) / 10 : 0,
        clusterStartMs: Math.round(clusterStartMs),
        clusterStarts,
        resetMeanMs: resets.length ? Math.round(resets.reduce((a, b) => a + b, 0) / resets.length) : 0,
        resetRepairs,
        loadAverageAtStart: loadAtStart,
        loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
        cpus: cpus().length,
      },
      durationMs: Math.round(performance.now() - t0),
    };
  };
  // Ctrl-C: the schedules run so far (and a failure found so far) are written before the cluster goes.
  const unregisterReport = teardownOnSignal(async () => {
    if (opts.reportDir) writeExploreReport(build(), opts.reportDir);
  }, 0);
  // A command in flight at Ctrl-C (a member being started) can create its container after the
  // cluster's own sweep: sweep the run once more a moment later.
  const unregisterSweep = teardownOnSignal(async () => {
    await cluster.stop().catch(() => {});
    await new Promise((r) => setTimeout(r, 2000));
    await reap({ runId: cluster.runId, force: true }).catch(() => {});
  }, 1);
  const unregister = (): void => {
    unregisterReport();
    unregisterSweep();
  };
  try {
    let first = true;
    const property = fc.asyncProperty(
      fc.commands(commandArbitraries(names, kinds), { maxCommands, replayPath: opts.replayPath }),
      async (cmds) => {
        if (!reuse && !first) {
          await cluster.stop();
          cluster = await start();
        }
        first = false;
        const reset = await resetCluster(cluster);
        resets.push(reset.durationMs);
        if (reset.repaired.length) resetRepairs.push(`before schedule ${results.length + 1}: ${reset.repaired.join(', ')}`);
        if (reset.problems.length) {
          // The reused cluster could not be proven clean: a fresh one, so the schedule runs on a clean slate.
          log(`  reset failed (${reset.problems.join('; ')}): starting a fresh cluster`);
          resetRepairs.push(`before schedule ${results.length + 1}: fresh cluster (${reset.problems.join('; ')})`);
          await cluster.stop();
          cluster = await start();
        }
        const result = await runSchedule(cluster, cmds, {
          index: results.length + 1,
          seed,
          allowQuorumLoss: opts.allowQuorumLoss,
          settleMs: opts.settleMs,
          maxTermRise: opts.maxTermRise,
        });
        results.push(result);
        const shown = result.schedule.length ? result.schedule.join(', ') : '(empty schedule)';
        const a = result.availability;
        const term = a.termBefore !== a.termAfter ? `, term ${a.termBefore ?? '?'}→${a.termAfter ?? '?'}` : '';
        log(
          `  #${result.index} ${result.status.padEnd(7)} ${(result.durationMs / 1000).toFixed(1)} s (gap ${a.maxWriteGapMs} ms${term})  ${shown}`,
        );
        for (const f of result.failures) log(`      ${f}`);
        for (const f of result.inconclusive) log(`      inconclusive: ${f.split('\n')[0]}`);
        if (result.status === 'fail') lastFailure = { result, replayPath: REPLAY_RE.exec(String(cmds))?.[1] };
        return result.status !== 'fail';
      },
    );
    const details = await fc.check(property, {
      numRuns: opts.runs,
      seed,
      path: opts.path,
      endOnFailure: opts.path !== undefined,
      interruptAfterTimeLimit: opts.timeLimitMs,
      markInterruptAsFailure: false,
    });
    unregister();
    return build(details);
  } finally {
    unregister();
    await cluster.stop();
  }
}
