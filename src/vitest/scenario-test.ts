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

/** The checks that did not pass and the run error: the assertion message a failing test prints. */
export function explainReport(r: RunReport): string {
  const bad = r.checks.filter((c) => c.verdict.status !== 'pass').map((c) => `  ${c.verdict.status} ${c.name}: ${c.verdict.message}`);
  const steps = r.steps.filter((s) => s.error).map((s) => `  step "${s.name}" (${s.source ?? ''}): ${s.error}`);
  return [
    `run ${r.runId} (${r.scenario.id} ${r.variant} ${r.cluster.members} x etcd ${r.cluster.version})`,
    ...steps,
    ...bad,
    r.error ?? '',
  ].join('\n');
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
      const report = await runScenario(s, { reportsDir: 'reports', ...run });
      if (negative) {
        expect(report.negativeControl?.failedAsExpected, explainReport(report)).toBe(true);
        expect(report.status, explainReport(report)).toBe('fail');
      } else {
        expect(report.status, explainReport(report)).toBe('pass');
      }
    },
    timeout,
  );
}
