import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { escapeMarkdownCell as md } from './escape.js';
import type { Reporter } from './reporter.js';
import type { RunReport } from './run-report.js';
import { runOutcome } from './run-outcome.js';

const ICON = { pass: '✅', fail: '❌', unknown: '⚠️' } as const;
const cut = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** summary.md: one screen per run (verdict, checks, measurements, where the evidence is), GitHub-flavoured. */
export function buildSummaryMarkdown(r: RunReport, reportPath = `${r.runId}/report.html`): string {
  const o = runOutcome(r);
  const c = r.cluster;
  const mustFail = new Set(r.negativeControl?.mustFail ?? []);
  const units = new Map(r.events.flatMap((e) => (e.type === 'metric' ? [[e.name, e.unit] as const] : [])));
  const lines = [
    `### ${o.ok ? '✅' : r.status === 'unknown' && !r.negativeControl ? '⚠️' : '❌'} ${md(r.scenario.id)} · ${r.variant} · ${c.members} × etcd ${md(c.version)}${c.tls ? ' · TLS' : ''}${c.auth ? ' · auth' : ''}: **${md(o.label)}**`,
    '',
    `${md(r.scenario.title)}. ${md(o.why)}.`,
    '',
  ];
  if (r.error) lines.push(`> **error:** ${md(cut(r.error, 1000))}`, '');
  if (r.checks.length) {
    lines.push('| | check | what it saw |', '|---|---|---|');
    for (const ch of r.checks)
      lines.push(
        `| ${ICON[ch.verdict.status]} ${ch.verdict.status} | ${md(ch.name)}${ch.assumption ? ' _(assumption)_' : ''}${mustFail.has(ch.name) ? ' _(must fail)_' : ''} | ${md(cut(ch.verdict.message))} |`,
      );
    lines.push('');
  }
  const timings = Object.entries(r.timings).map(([k, v]) => `${md(k)} ${v} ${units.get(k) ?? 'ms'}`);
  if (timings.length) lines.push(`**Measured:** ${timings.join(' · ')}`, '');
  lines.push(
    `Writes: ${r.writes.ok} acknowledged, ${r.writes.unknown} unknown, ${r.writes.fail} failed · ${(r.durationMs / 1000).toFixed(1)} s · seed \`${r.seed}\` · run \`${r.runId}\` · report: \`${reportPath}\``,
    '',
  );
  return lines.join('\n');
}

/** Writes summary.md; appends it to $GITHUB_STEP_SUMMARY when that is set (GitHub Actions' job summary). */
export function writeSummary(report: RunReport, dir: string, env: NodeJS.ProcessEnv = process.env): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'summary.md');
  const text = buildSummaryMarkdown(report, relative(process.cwd(), join(dir, 'report.html')) || 'report.html');
  writeFileSync(path, text);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${text}\n`);
  return path;
}

export function summaryReporter(): Reporter {
  return { onRunEnd: (report, dir) => void writeSummary(report, dir) };
}
