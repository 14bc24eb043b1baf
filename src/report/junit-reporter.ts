import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeXml as x } from './escape.js';
import type { Reporter } from './reporter.js';
import type { CheckResult, RunReport } from './run-report.js';
import { runOutcome } from './run-outcome.js';

const secs = (ms: number): string => (ms / 1000).toFixed(3);
const checkLine = (c: CheckResult): string =>
  `${c.verdict.status.toUpperCase()} ${c.assumption ? 'assumption' : 'check'} "${c.name}": ${c.verdict.message}`;

/** The name CI shows for a run: scenario, variant and cluster, so a matrix reads as distinct tests. */
export function testcaseName(r: RunReport): string {
  const c = r.cluster;
  return `${r.scenario.id} [${r.variant}] ${c.members} members, etcd ${c.version}${c.tls ? ', TLS' : ''}${c.auth ? ', auth' : ''}`;
}

/**
 * junit.xml for one run: one testcase. Failed checks are its <failure> (their names in the message,
 * each with what it saw in the body); a run that could not decide (unknown check, crash,
 * interruption) is an <error>. A negative control that failed on its mustFail checks passed; one
 * that did not is the failure.
 */
export function buildJunitXml(r: RunReport): string {
  const o = runOutcome(r);
  const failed = r.checks.filter((c) => c.verdict.status === 'fail');
  const undecided = r.checks.filter((c) => c.verdict.status === 'unknown');
  let verdict = '';
  if (!o.ok) {
    if (r.negativeControl && r.complete) {
      const nc = r.negativeControl;
      const body = [`negative control (${r.variant}) must fail on: ${nc.mustFail.join(', ')}`, ...r.checks.map(checkLine)].join('\n');
      verdict = `<failure type="NegativeControlDidNotFail" message="${x(o.why, true)}">${x(body)}</failure>`;
    } else if (failed.length && r.complete) {
      const message = `${failed.length} check${failed.length > 1 ? 's' : ''} failed: ${failed.map((c) => c.name).join('; ')}`;
      const body = [...failed, ...undecided].map(
        (c) => `${checkLine(c)}${c.verdict.details ? `\n  details: ${JSON.stringify(c.verdict.details).slice(0, 4000)}` : ''}`,
      );
      verdict = `<failure type="CheckFailed" message="${x(message, true)}">${x([...body, ...(r.error ? [`error: ${r.error}`] : [])].join('\n'))}</failure>`;
    } else {
      const body = [...(r.error ? [`error: ${r.error}`] : []), ...[...failed, ...undecided].map(checkLine)].join('\n');
      verdict = `<error type="${r.complete ? 'Unknown' : 'Incomplete'}" message="${x(o.why, true)}">${x(body)}</error>`;
    }
  }
  const out = [
    `${o.label}: ${o.why}`,
    ...r.checks.map(checkLine),
    ...Object.entries(r.timings).map(([k, v]) => `timing ${k}: ${v}`),
    `seed ${r.seed}; report: ${r.runId}/report.html`,
  ].join('\n');
  const props: Array<[string, string | number | boolean]> = [
    ['runId', r.runId],
    ['scenario', r.scenario.id],
    ['variant', r.variant],
    ['members', r.cluster.members],
    ['etcd', r.cluster.version],
    ['image', r.cluster.image ?? ''],
    ['tls', r.cluster.tls],
    ['auth', r.cluster.auth],
    ['seed', r.seed],
    ['status', r.status],
  ];
  const failures = verdict.startsWith('<failure') ? 1 : 0;
  const errors = verdict.startsWith('<error') ? 1 : 0;
  const counts = `tests="1" failures="${failures}" errors="${errors}" skipped="0" time="${secs(r.durationMs)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="etcd-firedrill" ${counts}>
  <testsuite name="${x(r.scenario.id, true)}" ${counts} timestamp="${x(r.startedAt.replace(/Z$/, ''), true)}">
    <properties>
${props.map(([k, v]) => `      <property name="${x(k, true)}" value="${x(v, true)}"/>`).join('\n')}
    </properties>
    <testcase classname="etcd-firedrill.${x(r.scenario.id, true)}" name="${x(testcaseName(r), true)}" time="${secs(r.durationMs)}">
${verdict ? `      ${verdict}\n` : ''}      <system-out>${x(out)}</system-out>
    </testcase>
  </testsuite>
</testsuites>
`;
}

export function writeJunit(report: RunReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'junit.xml');
  writeFileSync(path, buildJunitXml(report));
  return path;
}

export function junitReporter(): Reporter {
  return { onRunEnd: (report, dir) => void writeJunit(report, dir) };
}
