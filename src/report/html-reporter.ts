import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildHtmlReport } from './html-report.js';
import { writeIndex } from './index-page.js';
import type { Reporter } from './reporter.js';
import type { RunReport } from './run-report.js';

/** Writes report.html next to report.json (member logs read from members/), then regenerates ../index.html. */
export function writeReportHtml(report: RunReport, dir: string): string {
  const logs: Record<string, string> = {};
  for (const [name, rel] of Object.entries(report.memberLogs)) {
    const p = join(dir, rel);
    if (existsSync(p)) logs[name] = readFileSync(p, 'utf8');
  }
  const path = join(dir, 'report.html');
  writeFileSync(path, buildHtmlReport(report, { logs }));
  writeIndex(dirname(dir));
  return path;
}

export function htmlReporter(): Reporter {
  return { onRunEnd: (report, dir) => void writeReportHtml(report, dir) };
}
