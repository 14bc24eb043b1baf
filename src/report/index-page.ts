import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trendChart } from './charts.js';
import { escapeHtml as h } from './escape.js';
import { STYLE } from './report-style.js';
import type { RunReport } from './run-report.js';
import { runOutcome } from './run-outcome.js';

/** Run directories under `reportsDir` that hold a report.json, newest first (run ids sort by time). */
export function runDirs(reportsDir: string): string[] {
  if (!existsSync(reportsDir)) return [];
  return readdirSync(reportsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(reportsDir, d.name, 'report.json')))
    .map((d) => d.name)
    .sort()
    .reverse();
}

/**
 * The newest `max` readable reports/<run>/report.json under `reportsDir`, newest first;
 * unreadable ones (a run being written right now) are skipped.
 */
export function readReports(reportsDir: string, max = 300): RunReport[] {
  const out: RunReport[] = [];
  for (const d of runDirs(reportsDir).slice(0, max)) {
    const path = join(reportsDir, d, 'report.json');
    try {
      const r = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
      if (r.schema === 'etcd-firedrill/run-report@1') out.push(r);
    } catch {
      // A run being written right now, or a broken file: the index lists what it can read.
    }
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

const config = (r: RunReport): string =>
  `${r.scenario.id} ${r.cluster.members}×${r.cluster.version}${r.cluster.tls ? ' tls' : ''}${r.cluster.auth ? ' auth' : ''}${r.variant === 'runbook' ? '' : ` ${r.variant}`}`;

/** Timings measured in ms (metric events say the unit), per run. */
function msTimings(r: RunReport): Map<string, number> {
  const units = new Map(r.events.flatMap((e) => (e.type === 'metric' ? [[e.name, e.unit] as const] : [])));
  return new Map(Object.entries(r.timings).filter(([k]) => (units.get(k) ?? 'ms') === 'ms'));
}

/** Charts of the timings that several runs measured (election, recovery, ...), one line per scenario configuration. */
function trendsHtml(reports: RunReport[], maxCharts = 6): string {
  const byName = new Map<string, RunReport[]>();
  for (const r of reports.filter((x) => x.complete))
    for (const name of msTimings(r).keys()) byName.set(name, [...(byName.get(name) ?? []), r]);
  const names = [...byName.entries()]
    .filter(([, rs]) => rs.length >= 2)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, maxCharts);
  if (names.length === 0) return '<p class="muted">Trends appear once two runs have measured the same thing.</p>';
  return names
    .map(([name, rs]) => {
      const lines = new Map<string, Array<[string, number]>>();
      for (const r of [...rs].reverse()) lines.set(config(r), [...(lines.get(config(r)) ?? []), [r.startedAt, msTimings(r).get(name)!]]);
      const svg = trendChart(
        `${name} (ms) per run`,
        [...lines].map(([n, points]) => ({ name: n, points })),
        'ms',
      );
      return `<div class="chart">${svg}</div>`;
    })
    .join('\n');
}

/** reports/index.html: every run (newest first) with its verdict and a link, then trends across runs. */
export function buildIndexHtml(reports: RunReport[]): string {
  const rows = reports
    .map((r) => {
      const o = runOutcome(r);
      const status = r.negativeControl ? `${r.status} · ${o.label}` : o.label;
      return `<tr>
<td class="num">${h(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td>
<td><a href="${h(encodeURIComponent(r.runId))}/report.html">${h(r.scenario.id)}</a></td>
<td>${h(r.variant)}</td><td class="num">${r.cluster.members}</td><td>${h(r.cluster.version)}</td>
<td>${[r.cluster.tls ? 'TLS' : '', r.cluster.auth ? 'auth' : ''].filter(Boolean).join(', ') || '<span class="muted">-</span>'}</td>
<td><span class="badge ${o.ok ? 'ok' : r.status === 'unknown' ? 'unknown' : 'fail'}">${h(status)}</span></td>
<td class="num">${(r.durationMs / 1000).toFixed(1)} s</td>
<td><a href="${h(encodeURIComponent(r.runId))}/report.html">${h(r.runId)}</a></td></tr>`;
    })
    .join('\n');
  const ok = reports.filter((r) => runOutcome(r).ok).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>etcd-firedrill runs</title><style>${STYLE}</style></head>
<body><header><h1>etcd-firedrill runs</h1><div class="sub">${reports.length} runs, ${ok} as they should be (passed, or negative controls that failed as expected)</div></header>
<main>
<section id="runs"><h2>Runs</h2>
<table><thead><tr><th class="num">started (UTC)</th><th>scenario</th><th>variant</th><th class="num">members</th><th>etcd</th><th>TLS / auth</th><th>verdict</th><th class="num">duration</th><th>run</th></tr></thead>
<tbody>${rows || '<tr><td colspan="9" class="muted">No runs yet: <code>npx firedrill run leader-kill</code></td></tr>'}</tbody></table></section>
<section id="trends"><h2>Trends</h2>${trendsHtml(reports)}</section>
</main></body></html>
`;
}

/** Regenerates `<reportsDir>/index.html` from the reports there; returns its path. */
export function writeIndex(reportsDir: string): string {
  const path = join(reportsDir, 'index.html');
  writeFileSync(path, buildIndexHtml(readReports(reportsDir)));
  return path;
}
