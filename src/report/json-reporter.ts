import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter } from './reporter.js';
import type { RunReport } from './run-report.js';

/** Writes report.json synchronously: it must land even while the process is being torn down. */
export function writeReportJson(report: RunReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'report.json');
  writeFileSync(path, JSON.stringify(report, null, 2));
  return path;
}

export function jsonReporter(): Reporter {
  return { onRunEnd: (report, dir) => void writeReportJson(report, dir) };
}
