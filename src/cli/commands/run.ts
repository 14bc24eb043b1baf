import { Command } from 'commander';
import { HEADLINE, SCENARIOS } from '../../../scenarios/index.js';
import { ETCD_VERSIONS, isEtcdVersion } from '../../../docker/etcd-versions.js';
import { resolveClusterSpec } from '../../cluster/cluster-spec.js';
import { consoleReporter } from '../../report/console-reporter.js';
import { DEFAULT_OUTPUTS, REPORTERS } from '../../report/reporters.js';
import type { RunReport } from '../../report/run-report.js';
import { colorWanted } from '../../report/term-style.js';
import { printJson, summarize } from '../run-summary.js';
import { runScenario } from '../../run/run-scenario.js';
import type { Scenario } from '../../run/scenario.js';
import { InputError } from '../../run/errors.js';
import { exitWhenDone } from '../exit-when-done.js';
import { parseMembers } from './up.js';
import { isRunbookPath, loadRunbookFile } from '../../runbook-file/load.js';

/** `all`, `headline`, scenario ids, or runbook files loaded into `files`; an unknown id is one line naming it. */
export function selectScenarios(names: readonly string[], files: ReadonlyMap<string, Scenario> = new Map()): Scenario[] {
  const ids = names.flatMap((n) => (n === 'all' ? SCENARIOS.map((s) => s.id) : n === 'headline' ? HEADLINE : [n]));
  return [...new Set(ids)].map((id) => {
    const s = files.get(id) ?? SCENARIOS.find((x) => x.id === id);
    if (!s)
      throw new InputError(
        `unknown scenario "${id}"`,
        `run \`firedrill list\` for the ${SCENARIOS.length} scenarios, or use all / headline`,
      );
    return s;
  });
}

function list(raw: string, parse: (s: string) => string | number): Array<string | number> {
  return raw.split(',').map((s) => parse(s.trim()));
}

/** `--reporter html,junit`: the files each run writes (console progress is separate: --quiet, --json). */
export function parseReporters(raw: string): string[] {
  const known = Object.keys(REPORTERS).filter((n) => n !== 'console');
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!known.includes(n))
      throw new InputError(`unknown reporter "${n}"`, `use --reporter with any of ${known.join(',')} (comma-separated)`);
  // report.json is the source of truth the others are made from: it is always written.
  return [...new Set(['json', ...names])];
}

function parseVersion(v: string): string {
  if (!isEtcdVersion(v)) throw new InputError(`unknown etcd version "${v}"`, `use --version ${Object.keys(ETCD_VERSIONS).join(',')}`);
  return v;
}

/** `firedrill run`: scenarios × sizes × versions, one cluster each, one after another. */
export function runCommand(): Command {
  return new Command('run')
    .description('run scenarios (ids, `headline` or `all`) on fresh clusters; exit 0 only when every check passes')
    .argument('<scenario...>', 'scenario ids, `headline`, `all`, or runbook files (.yaml, .yml, .ts)')
    .option('-m, --members <list>', "cluster sizes, e.g. 3,5 (default: each scenario's first size)")
    .option('-v, --version <list>', "etcd versions, e.g. 3.4,3.5 (default: each scenario's first version)")
    .option('--tls', 'TLS everywhere: https, client and peer certificate auth; etcdctl gets --cacert/--cert/--key')
    .option('--auth', 'password auth on (root user, random password, masked in every report); etcdctl gets --user')
    .option('--pitfall', 'run the wrong procedure the runbook warns about (the negative control): it must fail')
    .option('--as-written', "run the seed's procedure exactly as written, where it is wrong: it must fail, and the report quotes the seed")
    .option('--seed <n>', 'seed for every random choice (replays a run)', (s) => Number(s))
    .option('--reports <dir>', 'where reports go', 'reports')
    .option('--reporter <list>', `files each run writes: any of json,html,junit,summary (report.json always)`, DEFAULT_OUTPUTS.join(','))
    .option('-q, --quiet', 'no progress: only the summary (and failures)')
    .option('--json', 'print the result as JSON on stdout (progress goes to stderr; with --quiet, none)')
    .action(
      async (
        names: string[],
        opts: {
          members?: string;
          version?: string;
          tls?: boolean;
          auth?: boolean;
          pitfall?: boolean;
          asWritten?: boolean;
          seed?: number;
          reports: string;
          reporter: string;
          quiet?: boolean;
          json?: boolean;
        },
      ) => {
        const files = new Map<string, Scenario>();
        for (const n of names.filter(isRunbookPath)) files.set(n, (await loadRunbookFile(n)).scenario);
        const scenarios = selectScenarios(names, files);
        const outputs = parseReporters(opts.reporter);
        const noPitfall = opts.pitfall ? [...files].filter(([, s]) => !s.pitfall.runbook.length).map(([n]) => n) : [];
        if (noPitfall.length)
          throw new InputError(
            `--pitfall: ${noPitfall.join(', ')} has no pitfall: section`,
            'add one (title, steps, must-fail) or drop --pitfall',
          );
        if (opts.asWritten) {
          const none = scenarios.filter((s) => !s.asWritten).map((s) => s.id);
          if (none.length)
            throw new InputError(
              `--as-written: ${none.join(', ')} ha${none.length > 1 ? 've' : 's'} no as-written variant (the seed's procedure works as written)`,
              `pick among ${
                SCENARIOS.filter((s) => s.asWritten)
                  .map((s) => s.id)
                  .join(', ') || '(none yet)'
              }, or drop --as-written`,
            );
        }
        const sizes = opts.members ? (list(opts.members, parseMembers) as number[]) : undefined;
        const versions = opts.version ? (list(opts.version, parseVersion) as string[]) : undefined;
        for (const m of sizes ?? []) resolveClusterSpec({ members: m }); // bad sizes fail before anything starts
        const reports: RunReport[] = [];
        // With --json stdout carries only the JSON: progress goes to stderr, styled for stderr.
        const stream = opts.json ? process.stderr : process.stdout;
        const progress = consoleReporter({
          write: (t) => void stream.write(t),
          live: Boolean(stream.isTTY),
          color: colorWanted(stream),
          columns: stream.isTTY ? stream.columns : 0,
        });
        for (const s of scenarios) {
          for (const members of sizes ?? [s.sizes[0] ?? 3]) {
            for (const version of versions ?? [s.versions[0] ?? '3.5']) {
              reports.push(
                await runScenario(s, {
                  members,
                  version,
                  tls: opts.tls,
                  auth: opts.auth,
                  pitfall: opts.pitfall,
                  asWritten: opts.asWritten,
                  seed: opts.seed,
                  reportsDir: opts.reports,
                  outputs,
                  reporters: opts.quiet ? [] : [progress],
                }),
              );
            }
          }
        }
        const allPassed = opts.json ? printJson(reports, opts.reports) : summarize(reports, opts.reports);
        process.exitCode = allPassed ? 0 : 1;
        exitWhenDone();
      },
    );
}

/** `firedrill list`: id, source, one line on what it proves. */
export function listCommand(): Command {
  return new Command('list').description('list the scenarios: id, runbook source, what a green run proves').action(() => {
    for (const s of SCENARIOS) {
      console.log(`${s.id.padEnd(32)} ${s.source.runbook}, ${s.source.seed}`);
      console.log(`${''.padEnd(32)} ${s.proves}`);
      console.log(`${''.padEnd(32)} sizes ${s.sizes.join(',')}, etcd ${s.versions.join(',')}; pitfall: ${s.pitfall.title}`);
      if (s.asWritten) console.log(`${''.padEnd(32)} as written (wrong): ${s.asWritten.title}`);
    }
  });
}
