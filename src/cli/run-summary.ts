import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { RunReport } from '../report/run-report.js';
import { runOutcome } from '../report/run-outcome.js';
import { colorWanted, termStyle } from '../report/term-style.js';

const reportPath = (dir: string, r: RunReport, file: string): string => relative(process.cwd(), resolve(dir, r.runId, file));

/**
 * One screen: a line per run, then what failed and why, then where the reports are. True when
 * every check of every run passed (a negative control says so, and still exits 1: its checks
 * failed, as the README documents).
 */
export function summarize(reports: RunReport[], dir: string): boolean {
  const st = termStyle(colorWanted());
  console.log(st.bold('\nsummary'));
  for (const r of reports) {
    const o = runOutcome(r);
    const nc = r.negativeControl
      ? r.negativeControl.failedAsExpected
        ? st.green('  negative control: failed as expected')
        : st.red(`  negative control did NOT fail on: ${r.negativeControl.missing.join(', ')}`)
      : '';
    const colour = r.status === 'pass' ? st.green : r.status === 'fail' && !(r.negativeControl && o.ok) ? st.red : st.yellow;
    console.log(
      `  ${colour(r.status.toUpperCase().padEnd(7))} ${r.scenario.id.padEnd(32)} ${r.variant.padEnd(10)} ${r.cluster.members} x etcd ${r.cluster.version}${r.cluster.tls ? ' TLS' : '    '}${r.cluster.auth ? ' auth' : '     '}  ${(r.durationMs / 1000).toFixed(1).padStart(5)} s${nc}`,
    );
    for (const c of r.checks.filter((c) => c.verdict.status !== 'pass'))
      console.log(`          ${c.verdict.status}: ${c.name}: ${c.verdict.message.slice(0, 300)}`);
    if (r.error) console.log(st.red(`          error: ${r.error}`));
    const html = reportPath(dir, r, 'report.html');
    console.log(st.dim(`          report: ${existsSync(html) ? html : reportPath(dir, r, 'report.json')}`));
  }
  const total = reports.reduce((a, r) => a + r.durationMs, 0);
  const passed = reports.filter((r) => r.status === 'pass').length;
  console.log(`${passed} passed, ${reports.length - passed} failed (${(total / 1000).toFixed(0)} s)`);
  const index = resolve(dir, 'index.html');
  if (existsSync(index)) console.log(st.dim(`all runs: ${relative(process.cwd(), index)}`));
  return passed === reports.length;
}

/** What `firedrill run --json` prints for one run. */
export interface RunJson {
  runId: string;
  scenario: string;
  variant: string;
  members: number;
  version: string;
  tls: boolean;
  auth: boolean;
  seed: number;
  status: string;
  /** `pass`, `fail`, `unknown`, `incomplete`, `failed as expected`, `did not fail` */
  outcome: string;
  /** A passed run, or a negative control that failed as it must. */
  asExpected: boolean;
  negativeControl?: RunReport['negativeControl'];
  error?: string;
  durationMs: number;
  timings: Record<string, number>;
  notPassed: Array<{ name: string; status: string; message: string }>;
  /** Paths (relative to the working directory) of the files the run wrote. */
  files: Partial<Record<'json' | 'html' | 'junit' | 'summary', string>>;
}

export function runJson(r: RunReport, dir: string): RunJson {
  const o = runOutcome(r);
  const files: RunJson['files'] = {};
  for (const [k, f] of [
    ['json', 'report.json'],
    ['html', 'report.html'],
    ['junit', 'junit.xml'],
    ['summary', 'summary.md'],
  ] as const) {
    if (existsSync(resolve(dir, r.runId, f))) files[k] = reportPath(dir, r, f);
  }
  return {
    runId: r.runId,
    scenario: r.scenario.id,
    variant: r.variant,
    members: r.cluster.members,
    version: r.cluster.version,
    tls: r.cluster.tls,
    auth: r.cluster.auth,
    seed: r.seed,
    status: r.status,
    outcome: o.label,
    asExpected: o.ok,
    negativeControl: r.negativeControl,
    error: r.error,
    durationMs: r.durationMs,
    timings: r.timings,
    notPassed: r.checks
      .filter((c) => c.verdict.status !== 'pass')
      .map((c) => ({ name: c.name, status: c.verdict.status, message: c.verdict.message })),
    files,
  };
}

/** `--json`: one object on stdout, for scripts; true when every check of every run passed (the exit code). */
export function printJson(reports: RunReport[], dir: string): boolean {
  const passed = reports.every((r) => r.status === 'pass');
  process.stdout.write(`${JSON.stringify({ passed, runs: reports.map((r) => runJson(r, dir)) }, null, 2)}\n`);
  return passed;
}
