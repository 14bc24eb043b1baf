import { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { HEADLINE, SCENARIOS } from '../../../scenarios/index.js';
import { ETCD_VERSIONS, isEtcdVersion } from '../../../docker/etcd-versions.js';
import { resolveClusterSpec } from '../../cluster/cluster-spec.js';
import { consoleReporter } from '../../report/console-reporter.js';
import type { RunReport } from '../../report/run-report.js';
import { runScenario } from '../../run/run-scenario.js';
import type { Scenario } from '../../run/scenario.js';
import { InputError } from '../../run/errors.js';
import { parseMembers } from './up.js';

/** `all`, `headline`, or scenario ids; an unknown id is one line naming it. */
export function selectScenarios(names: readonly string[]): Scenario[] {
  const ids = names.flatMap((n) => (n === 'all' ? SCENARIOS.map((s) => s.id) : n === 'headline' ? HEADLINE : [n]));
  return [...new Set(ids)].map((id) => {
    const s = SCENARIOS.find((x) => x.id === id);
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

function parseVersion(v: string): string {
  if (!isEtcdVersion(v)) throw new InputError(`unknown etcd version "${v}"`, `use --version ${Object.keys(ETCD_VERSIONS).join(',')}`);
  return v;
}

/** `firedrill run`: scenarios × sizes × versions, one cluster each, one after another. */
export function runCommand(): Command {
  return new Command('run')
    .description('run scenarios (ids, `headline` or `all`) on fresh clusters; exit 0 only when every check passes')
    .argument('<scenario...>', 'scenario ids, `headline` or `all`')
    .option('-m, --members <list>', "cluster sizes, e.g. 3,5 (default: each scenario's first size)")
    .option('-v, --version <list>', "etcd versions, e.g. 3.4,3.5 (default: each scenario's first version)")
    .option('--tls', 'TLS everywhere: https, client and peer certificate auth; etcdctl gets --cacert/--cert/--key')
    .option('--auth', 'password auth on (root user, random password, masked in every report); etcdctl gets --user')
    .option('--pitfall', 'run the wrong procedure the runbook warns about (the negative control): it must fail')
    .option('--as-written', "run the seed's procedure exactly as written, where it is wrong: it must fail, and the report quotes the seed")
    .option('--seed <n>', 'seed for every random choice (replays a run)', (s) => Number(s))
    .option('--reports <dir>', 'where reports go', 'reports')
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
        },
      ) => {
        const scenarios = selectScenarios(names);
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
                  reporters: [consoleReporter()],
                }),
              );
            }
          }
        }
        process.exitCode = summarize(reports, opts.reports) ? 0 : 1;
      },
    );
}

/** One screen: a line per run, then what failed and why, then where the reports are. */
function summarize(reports: RunReport[], dir: string): boolean {
  console.log('\nsummary');
  for (const r of reports) {
    const nc = r.negativeControl
      ? r.negativeControl.failedAsExpected
        ? '  negative control: failed as expected'
        : `  negative control did NOT fail on: ${r.negativeControl.missing.join(', ')}`
      : '';
    console.log(
      `  ${r.status.toUpperCase().padEnd(7)} ${r.scenario.id.padEnd(32)} ${r.variant.padEnd(10)} ${r.cluster.members} x etcd ${r.cluster.version}${r.cluster.tls ? ' TLS' : '    '}${r.cluster.auth ? ' auth' : '     '}  ${(r.durationMs / 1000).toFixed(1).padStart(5)} s${nc}`,
    );
    for (const c of r.checks.filter((c) => c.verdict.status !== 'pass'))
      console.log(`          ${c.verdict.status}: ${c.name}: ${c.verdict.message.slice(0, 300)}`);
    if (r.error) console.log(`          error: ${r.error}`);
    console.log(`          report: ${relative(process.cwd(), resolve(dir, r.runId, 'report.json'))}`);
  }
  const total = reports.reduce((a, r) => a + r.durationMs, 0);
  const passed = reports.filter((r) => r.status === 'pass').length;
  console.log(`${passed} passed, ${reports.length - passed} failed (${(total / 1000).toFixed(0)} s)`);
  return passed === reports.length;
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
