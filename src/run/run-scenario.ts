import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { worst } from '../checks/verdict.js';
import type { CheckResult, RunReport } from '../report/run-report.js';
import type { Reporter } from '../report/reporter.js';
import { writeReportJson } from '../report/json-reporter.js';
import { outputReporters } from '../report/reporters.js';
import type { ClusterSpec } from '../cluster/cluster-spec.js';
import { newRunId } from '../cluster/run-id.js';
import { startCluster } from '../cluster/start-cluster.js';
import { teardownOnSignal } from '../cluster/teardown-on-signal.js';
import type { RunEvent, RunEventInput } from '../report/events.js';
import { watchLeader } from './leader-watch.js';
import { RunContext } from './run-context.js';
import type { Check, Phase, Scenario, Step, Variant } from './scenario.js';
import { InputError } from './errors.js';

export interface RunOptions {
  members?: number;
  version?: string;
  /** TLS everywhere (https, client and peer certificate auth); etcdctl steps pass --cacert/--cert/--key. */
  tls?: boolean;
  /** Password auth on (root, random password unless given, masked everywhere); etcdctl steps pass --user. */
  auth?: ClusterSpec['auth'];
  /** Run the pitfall (the wrong procedure) instead of the runbook: the negative control. */
  pitfall?: boolean;
  /** Run the seed's procedure as written (where it is wrong) instead of the corrected runbook. */
  asWritten?: boolean;
  seed?: number;
  runId?: string;
  /** Default: reports/ under the working directory. */
  reportsDir?: string;
  reporters?: Reporter[];
  /** Files each run writes, by reporter name (src/report/reporters.ts); default json, html, junit, summary. */
  outputs?: readonly string[];
}

/**
 * The one engine behind every front door (CLI, vitest, explorer): starts a cluster, runs prepare,
 * checks the assumptions, injects the fault, applies the runbook (or the pitfall), runs the checks,
 * and writes reports/<run-id>/ in `finally`, so a crashed or interrupted run still leaves its
 * evidence. What etcd answers is recorded, never thrown; a step that throws ends the procedure
 * there and the checks say what that left behind.
 */
export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunReport> {
  const members = opts.members ?? scenario.sizes[0] ?? 3;
  const version = opts.version ?? scenario.versions[0] ?? '3.5';
  const variant: Variant = opts.asWritten ? 'as-written' : opts.pitfall ? 'pitfall' : 'runbook';
  // The negative control this run is, if any: the procedure it applies and the checks that must fail.
  const control = variant === 'as-written' ? scenario.asWritten : variant === 'pitfall' ? scenario.pitfall : undefined;
  if (variant === 'as-written' && !control) {
    throw new InputError(
      `scenario "${scenario.id}" has no as-written variant: its seed's procedure is not wrong as written`,
      'drop --as-written, or use --pitfall for its negative control',
    );
  }
  const seed = opts.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const runId = opts.runId ?? newRunId();
  const dir = resolve(opts.reportsDir ?? 'reports', runId);
  const reporters = [...(opts.reporters ?? []), ...outputReporters(opts.outputs)];
  const t0 = performance.now();
  const events: RunEvent[] = [];
  const listen = (e: RunEvent): void => {
    for (const r of reporters) r.onEvent?.(e);
  };
  const report: RunReport = {
    schema: 'etcd-firedrill/run-report@1',
    runId,
    scenario: { id: scenario.id, title: scenario.title, source: scenario.source },
    variant,
    cluster: { members, version, tls: Boolean(opts.tls || scenario.cluster?.tls), auth: Boolean(opts.auth || scenario.cluster?.auth) },
    seed,
    startedAt: new Date().toISOString(),
    complete: false,
    status: 'unknown',
    durationMs: 0,
    timings: {},
    steps: [],
    checks: [],
    writes: { ok: 0, fail: 0, unknown: 0, ops: [] },
    events,
    seedClaims: scenario.seedClaims,
    asWritten:
      variant === 'as-written' && scenario.asWritten
        ? { seed: scenario.asWritten.source, quote: scenario.asWritten.quote, title: scenario.asWritten.title }
        : undefined,
    memberLogs: {},
  };
  const early = (e: RunEventInput): void => {
    const ev = { ...e, at: Math.round(performance.now() - t0) } as RunEvent;
    events.push(ev);
    listen(ev);
  };
  early({
    type: 'run-start',
    runId,
    scenario: scenario.id,
    variant,
    members,
    version,
    tls: Boolean(opts.tls || scenario.cluster?.tls),
    seed,
  });
  writeReportJson(report, dir); // a skeleton at once: even a SIGKILL leaves a trace

  let ctx: RunContext | undefined;
  let finished = false;
  const finish = async (): Promise<RunReport> => {
    if (finished) return report;
    finished = true;
    await collectEvidence(report, ctx, dir, t0);
    writeReportJson(report, dir);
    return report;
  };
  // Reporters run last, once, when the report is final (faults healed, run-end recorded); a
  // reporter that throws must not cost the run its other reports.
  let published = false;
  const publish = async (): Promise<void> => {
    if (published) return;
    published = true;
    for (const r of reporters) {
      await Promise.resolve()
        .then(() => r.onRunEnd?.(report, dir))
        .catch((e: unknown) => process.stderr.write(`firedrill: a reporter failed: ${e instanceof Error ? e.message : String(e)}\n`));
    }
  };
  // Ctrl-C: write the (incomplete) report and logs first (stage 0), then the cluster goes (stage 1).
  const unregister = teardownOnSignal(async () => {
    report.error ??= 'interrupted (SIGINT or SIGTERM) before the run finished';
    const still = ctx?.active() ?? [];
    if (still.length) report.error += `; faults still injected, now healed: ${still.join('; ')}`;
    await finish();
    await publish();
    await ctx?.heal().catch(() => {});
  }, 0);
  try {
    const cluster = await startCluster(
      {
        ...scenario.cluster,
        members,
        version,
        // A scenario's own TLS settings (e.g. certificates that expire: cert-expiry) win over a bare --tls.
        tls: typeof scenario.cluster?.tls === 'object' ? scenario.cluster.tls : opts.tls || scenario.cluster?.tls,
        auth: opts.auth || scenario.cluster?.auth,
      },
      { runId },
    );
    report.cluster.image = cluster.spec.image;
    ctx = new RunContext(
      cluster,
      seed,
      (e) => {
        events.push(e);
        listen(e);
      },
      t0,
    );
    const c = ctx;
    c.metric('cluster ready', performance.now() - t0);
    c.emit({ type: 'cluster-ready', elapsedMs: Math.round(performance.now() - t0), leader: (await c.leader())?.name });
    const stopWatch = watchLeader(c);
    // The cluster goes at the end of this block, after the `finally` below has healed every fault:
    // healing needs the members (and host-side pieces such as proxies must not outlive the run).
    await using _cluster = cluster;
    try {
      const procedure = control ? control.runbook : scenario.runbook;
      let ok = await runPhase(c, 'prepare', scenario.prepare);
      const assumptions = await runChecks(c, scenario.assumptions, true);
      if (!ok || assumptions.some((a) => a.verdict.status !== 'pass')) {
        report.error = ok ? 'an assumption did not hold: the run would prove nothing' : 'a prepare step failed';
        report.checks = assumptions;
        report.status = 'unknown';
      } else {
        ok = (await runPhase(c, 'fault', scenario.fault)) && (await runPhase(c, 'runbook', procedure));
        await c.workload?.stop();
        // Checks judge what the procedure left behind, so faults it did not heal stay in force for
        // them; they are healed after the checks, before teardown (see below).
        c.workload = undefined;
        const checks = await runChecks(c, scenario.checks, false);
        report.checks = [...assumptions, ...checks];
        report.status = worst(report.checks.map((x) => x.verdict.status));
        if (control) {
          const missing = control.mustFail.filter((name) => checks.find((x) => x.name === name)?.verdict.status !== 'fail');
          report.negativeControl = { mustFail: control.mustFail, failedAsExpected: missing.length === 0, missing };
        }
      }
      report.complete = true;
      await c.workload?.stop();
      await finish(); // before `await using` removes the cluster: logs are read from the containers
    } finally {
      await stopWatch();
      // Host-side pieces of faults (proxies, helpers) must not outlive the run, whatever happened.
      await c.heal().catch((e: unknown) => {
        report.error ??= `healing faults failed: ${e instanceof Error ? e.message : String(e)}`;
      });
    }
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
    report.status = 'unknown';
    await finish();
    await publish();
    unregister();
    throw e;
  }
  unregister();
  report.durationMs = Math.round(performance.now() - t0);
  early({ type: 'run-end', status: report.status, durationMs: report.durationMs });
  writeReportJson(report, dir);
  await publish();
  return report;
}

async function runPhase(ctx: RunContext, phase: Phase, steps: readonly Step[]): Promise<boolean> {
  ctx.emit({ type: 'phase', phase });
  for (const step of steps) {
    const index = ctx.steps.length;
    const entry = {
      index,
      phase,
      name: step.name,
      source: step.source,
      startedAt: Math.round(ctx.now()),
      durationMs: 0,
      commands: [],
      notes: [] as string[],
    } as RunReport['steps'][number];
    ctx.steps.push(entry);
    ctx.current = entry;
    ctx.emit({ type: 'step-start', index, phase, name: step.name, source: step.source });
    const s0 = performance.now();
    try {
      await step.run(ctx);
    } catch (e) {
      entry.error = e instanceof Error ? e.message : String(e);
    }
    entry.durationMs = Math.round(performance.now() - s0);
    ctx.current = undefined;
    ctx.emit({ type: 'step-end', index, phase, name: step.name, durationMs: entry.durationMs, error: entry.error, notes: entry.notes });
    if (entry.error) return false;
  }
  return true;
}

async function runChecks(ctx: RunContext, checks: readonly Check[], assumption: boolean): Promise<CheckResult[]> {
  if (!assumption) ctx.emit({ type: 'phase', phase: 'checks' });
  const out: CheckResult[] = [];
  for (const check of checks) {
    const c0 = performance.now();
    const verdict = await check
      .run(ctx)
      .catch((e: unknown) => ({ status: 'unknown' as const, message: `check threw: ${e instanceof Error ? e.message : String(e)}` }));
    out.push({ name: check.name, assumption, verdict, durationMs: Math.round(performance.now() - c0) });
    ctx.emit({ type: 'check', name: check.name, assumption, verdict });
  }
  return out;
}

/** Copies what the run learned into the report and saves every member's log next to it. */
async function collectEvidence(report: RunReport, ctx: RunContext | undefined, dir: string, t0: number): Promise<void> {
  report.durationMs = Math.round(performance.now() - t0);
  if (!ctx) return;
  report.steps = ctx.steps;
  report.timings = ctx.timings;
  // Values are kept whole for the checks but shortened in the report (quota fills write 100 KB each).
  const ops = ctx.history.ops.map((o) => (o.value.length > 64 ? { ...o, value: `${o.value.slice(0, 32)}…(${o.value.length} bytes)` } : o));
  report.writes = {
    ok: ops.filter((o) => o.outcome === 'ok').length,
    fail: ops.filter((o) => o.outcome === 'fail').length,
    unknown: ops.filter((o) => o.outcome === 'unknown').length,
    ops,
  };
  const logDir = join(dir, 'members');
  mkdirSync(logDir, { recursive: true });
  const logs = await ctx.cluster.logs().catch(() => ({}) as Record<string, string>);
  for (const [name, text] of Object.entries(logs)) {
    writeFileSync(join(logDir, `${name}.log`), text);
    report.memberLogs[name] = `members/${name}.log`;
  }
}
