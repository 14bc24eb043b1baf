import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { RunReport } from '../report/run-report.js';
import { runScenario, type RunOptions } from '../run/run-scenario.js';
import type { Scenario } from '../run/scenario.js';
import { loadRunbookFile } from '../runbook-file/load.js';

export interface ScenarioTestOptions extends RunOptions {
  /** Test title (default: the scenario id, the variant and the cluster). */
  title?: string;
  /** ms (default 300 000: a real cluster, a fault and a recovery). */
  timeout?: number;
}

/**
 * What a failing test prints: the checks that did not pass, the steps that failed, what the
 * negative control missed, the run error, then the step timeline and (given the reports dir) the
 * tail of each member's log. A CI log is often all there is of a failed run on another machine,
 * so it must say which step went wrong and what etcd was doing then.
 */
export function explainReport(r: RunReport, reportsDir?: string): string {
  const bad = r.checks.filter((c) => c.verdict.status !== 'pass').map((c) => `  ${c.verdict.status} ${c.name}: ${c.verdict.message}`);
  const steps = r.steps.filter((s) => s.error).map((s) => `  step "${s.name}" (${s.source ?? ''}): ${s.error}`);
  const missed = r.negativeControl?.missing.length
    ? [`  negative control: these did not fail: ${r.negativeControl.missing.join('; ')}`]
    : [];
  const timeline = r.steps.map(
    (s) =>
      `  ${(s.startedAt / 1000).toFixed(1).padStart(6)} s ${s.phase.padEnd(7)} ${String(s.durationMs).padStart(6)} ms ${s.name}${s.error ? ' [FAILED]' : ''}${s.notes.length ? `: ${s.notes.join(' | ').slice(0, 300)}` : ''}`,
  );
  return [
    `run ${r.runId} (${r.scenario.id} ${r.variant} ${r.cluster.members} x etcd ${r.cluster.version})`,
    ...steps,
    ...bad,
    ...missed,
    r.error ?? '',
    'steps:',
    ...timeline,
    ...(reportsDir ? logTails(r, join(reportsDir, r.runId)) : []),
  ].join('\n');
}

/** The last lines of each member's saved log (long lines cut). */
function logTails(r: RunReport, dir: string, lines = 12): string[] {
  return Object.entries(r.memberLogs).flatMap(([name, file]) => {
    const path = join(dir, file);
    if (!existsSync(path)) return [];
    const tail = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines);
    return [`${name} log, last ${tail.length} lines:`, ...tail.map((l) => `  ${l.slice(0, 240)}`)];
  });
}

/**
 * One vitest test that runs a scenario (or a runbook file, by path) through the engine: the
 * runbook must pass; with `pitfall` or `asWritten` it must fail on its must-fail checks.
 * Reports land in reports/ as with `firedrill run`.
 */
export function scenarioTest(scenario: Scenario | string, opts: ScenarioTestOptions = {}): void {
  const { title, timeout = 300_000, ...run } = opts;
  const negative = Boolean(run.pitfall || run.asWritten);
  const label = typeof scenario === 'string' ? scenario : scenario.id;
  const variant = run.asWritten ? 'as written' : run.pitfall ? 'pitfall' : 'runbook';
  test(
    title ?? `${label} (${variant}${run.members ? `, ${run.members} members` : ''}${run.version ? `, etcd ${run.version}` : ''})`,
    async () => {
      const s = typeof scenario === 'string' ? (await loadRunbookFile(scenario)).scenario : scenario;
      const reportsDir = run.reportsDir ?? 'reports';
      const report = await runScenario(s, { ...run, reportsDir });
      const why = explainReport(report, reportsDir); // the assertion message, should one fail
      if (negative) {
        expect(report.negativeControl?.failedAsExpected, why).toBe(true);
        expect(report.status, why).toBe('fail');
      } else {
        expect(report.status, why).toBe('pass');
      }
    },
    timeout,
  );
}
