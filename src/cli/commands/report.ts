import { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeReportHtml } from '../../report/html-reporter.js';
import { runDirs, writeIndex } from '../../report/index-page.js';
import { writeJunit } from '../../report/junit-reporter.js';
import type { RunReport } from '../../report/run-report.js';
import { writeSummary } from '../../report/summary-reporter.js';
import { InputError } from '../../run/errors.js';

/** A run by id, by a unique part of its id, or by its directory path; the newest when none is given. */
export function findRun(reportsDir: string, run?: string): string {
  if (run && existsSync(join(run, 'report.json'))) return resolve(run);
  const dirs = runDirs(reportsDir);
  if (dirs.length === 0)
    throw new InputError(`no runs in ${reportsDir}/`, 'run a scenario first (`firedrill run leader-kill`), or pass --reports <dir>');
  if (!run) return resolve(reportsDir, dirs[0]!);
  const exact = dirs.find((d) => d === run);
  const matches = exact ? [exact] : dirs.filter((d) => d.includes(run));
  if (matches.length === 1) return resolve(reportsDir, matches[0]!);
  throw new InputError(
    matches.length
      ? `run "${run}" matches ${matches.length} runs (${matches.slice(0, 3).join(', ')}…)`
      : `no run "${run}" in ${reportsDir}/`,
    `give more of the run id; the newest is ${dirs[0]} (\`firedrill report\` with no argument)`,
  );
}

/** A run's report.json; one line naming the file when it is unreadable or cut short (a run killed while writing it). */
function readReport(path: string): RunReport {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunReport;
  } catch (e) {
    throw new InputError(
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      'that run left no whole report.json; pick another run (`firedrill report <run>`)',
    );
  }
}

function which(cmd: string): string | undefined {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .map((d) => join(d, cmd))
    .find((p) => existsSync(p));
}

/** `firedrill report [run]`: the path of a run's report.html (built from report.json when missing); --open shows it. */
export function reportCommand(): Command {
  return new Command('report')
    .description("print the path of the newest (or the given) run's report.html; --open opens it, --index the page of all runs")
    .argument('[run]', 'run id, a unique part of it, or a run directory (default: the newest run)')
    .option('--reports <dir>', 'where reports are', 'reports')
    .option('--index', 'regenerate reports/index.html (every run, trends) and print its path instead')
    .option('--rebuild', "regenerate the run's report.html, junit.xml and summary.md from its report.json")
    .option('--open', 'open the page with xdg-open when there is one (otherwise just print the path)')
    .action((run: string | undefined, opts: { reports: string; index?: boolean; rebuild?: boolean; open?: boolean }) => {
      let path: string;
      if (opts.index) {
        if (!existsSync(opts.reports))
          throw new InputError(`no reports directory ${opts.reports}/`, 'run a scenario first, or pass --reports <dir>');
        path = writeIndex(opts.reports);
      } else {
        const dir = findRun(opts.reports, run);
        path = join(dir, 'report.html');
        if (opts.rebuild || !existsSync(path)) {
          const report = readReport(join(dir, 'report.json'));
          writeReportHtml(report, dir);
          if (opts.rebuild) {
            writeJunit(report, dir);
            writeSummary(report, dir, {}); // a rebuild must not append to a CI job summary again
          }
        }
      }
      console.log(relative(process.cwd(), path) || path);
      const opener = opts.open ? which('xdg-open') : undefined;
      if (opener) spawn(opener, [path], { detached: true, stdio: 'ignore' }).unref();
      else if (opts.open) process.stderr.write('firedrill: no xdg-open here; open the path above in a browser\n');
    });
}
