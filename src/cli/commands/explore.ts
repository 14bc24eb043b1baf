import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { ETCD_VERSIONS, isEtcdVersion } from '../../../docker/etcd-versions.js';
import { DEFAULT_KINDS, KNOWN_KINDS, type CommandKind } from '../../explore/arbitraries.js';
import { exploreCommandFor, replayCommand, saveSchedule, writeExploreReport } from '../../explore/explore-report.js';
import { explore } from '../../explore/explorer.js';
import { replay } from '../../explore/replay.js';
import { InputError } from '../../run/errors.js';
import { newRunId } from '../../cluster/run-id.js';
import { parseMembers } from './up.js';
import { exitWhenDone } from '../exit-when-done.js';

/** `5m`, `90s`, `1500ms`, `1h`; a bare number is seconds. */
export function parseDuration(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  if (!m) throw new InputError(`duration "${raw}" is not understood`, 'write it as 90s, 5m or 1h');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}

function positive(name: string): (raw: string) => number {
  return (raw) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1)
      throw new InputError(`${name} "${raw}" is not a positive whole number`, `use ${name} 1 or more`);
    return Number(raw);
  };
}

function parseVersions(raw: string): string[] {
  const vs = raw.split(',').map((s) => s.trim());
  for (const v of vs)
    if (!isEtcdVersion(v)) throw new InputError(`unknown etcd version "${v}"`, `use --version ${Object.keys(ETCD_VERSIONS).join(',')}`);
  return vs;
}

function parseKinds(raw: string): CommandKind[] {
  const ks = raw.split(',').map((s) => s.trim()) as CommandKind[];
  for (const k of ks)
    if (!KNOWN_KINDS.includes(k)) throw new InputError(`unknown fault "${k}"`, `use --faults with any of ${KNOWN_KINDS.join(',')}`);
  return ks;
}

/** `firedrill explore`: property-based fault schedules on real clusters, shrunk on failure. */
export function exploreCommand(): Command {
  return new Command('explore')
    .description(
      'generate fault schedules (fast-check), run each on a real cluster under a workload, check invariants after healing; shrink and report a failure',
    )
    .option('--runs <n>', 'schedules to generate (shrinking runs come on top)', positive('--runs'), 20)
    .option('--seed <n>', "fast-check's seed (replays the same schedules)", (s) => Number(s))
    .option('--path <path>', "fast-check's counterexample path (with --seed: run exactly that schedule)")
    .option('--replay-path <path>', "fc.commands' replay path (which commands the shrinker kept)")
    .option('--time-limit <duration>', 'stop generating and shrinking after this long (e.g. 5m)', parseDuration)
    .option('-m, --members <n>', 'cluster size', parseMembers, 3)
    .option('-v, --version <list>', 'etcd versions, one exploration each: 3.4, 3.5 or 3.4,3.5', parseVersions, ['3.5'])
    .option(
      '--max-commands <n>',
      'commands per schedule, at most (commands whose precondition fails are skipped, so fewer run)',
      positive('--max-commands'),
      8,
    )
    .option(
      '--faults <list>',
      `command kinds (default every one this machine supports: ${DEFAULT_KINDS.join(',')}; add leader for kill/stop/pause of whoever leads, fill-quota to fill the backend to NOSPACE and run the quota runbook)`,
      parseKinds,
    )
    .option('--allow-quorum-loss', 'let schedules take a majority down (invariants are still checked after healing)')
    .option(
      '--include-test-faults',
      "TEST ONLY: add a fault that deletes an acknowledged key behind etcd's back (proves the explorer finds it)",
    )
    .option(
      '--max-term-rise <n>',
      'also fail a schedule when the raft term rises by more than n (elections the faults do not explain, e.g. a 3.4 member rejoining with an inflated term)',
      (raw) => {
        if (!/^\d+$/.test(raw.trim())) throw new InputError(`--max-term-rise "${raw}" is not a whole number`, 'use --max-term-rise 3');
        return Number(raw);
      },
    )
    .option('--no-reuse', 'a fresh cluster per schedule instead of one reset between schedules')
    .option(
      '--save <file>',
      'save a found failure: .yaml = a runbook file for `firedrill run` (kill/stop/start/pause/sleep only), otherwise a JSON schedule for `firedrill replay`',
    )
    .option('--reports <dir>', 'where reports go', 'reports')
    .action(
      async (opts: {
        runs: number;
        seed?: number;
        path?: string;
        replayPath?: string;
        timeLimit?: number;
        members: number;
        version: string[];
        maxCommands: number;
        faults?: CommandKind[];
        allowQuorumLoss?: boolean;
        includeTestFaults?: boolean;
        reuse: boolean;
        maxTermRise?: number;
        save?: string;
        reports: string;
      }) => {
        if (opts.seed !== undefined && !Number.isInteger(opts.seed))
          throw new InputError(`seed "${opts.seed}" is not a whole number`, 'use --seed with the number a report printed');
        let failed = false;
        for (const version of opts.version) {
          const id = newRunId();
          const dir = resolve(opts.reports, `explore-${id}`);
          const report = await explore({
            id,
            reportDir: dir,
            runs: opts.runs,
            seed: opts.seed,
            path: opts.path,
            replayPath: opts.replayPath,
            timeLimitMs: opts.timeLimit,
            members: opts.members,
            version,
            maxCommands: opts.maxCommands,
            kinds: opts.faults,
            allowQuorumLoss: opts.allowQuorumLoss,
            includeTestFaults: opts.includeTestFaults,
            reuse: opts.reuse,
            maxTermRise: opts.maxTermRise,
            log: (l) => console.log(l),
          });
          const file = writeExploreReport(report, dir);
          const shown = relative(process.cwd(), file) || file;
          const s = report.speed;
          console.log(
            `explore ${version}: ${report.status.toUpperCase()} after ${s.schedules} schedules (seed ${report.seed}); ${s.perMinute} schedules/min, load average ${s.loadAverage.join(' ')} on ${s.cpus} CPUs`,
          );
          if (report.failure) {
            failed = true;
            console.log(`  shrunk schedule: ${report.failure.schedule.join(', ') || '(empty)'}`);
            for (const f of report.failure.failures) console.log(`  ${f}`);
            console.log(`  replay: ${replayCommand(shown)}`);
            console.log(`      or: ${exploreCommandFor(report)}`);
            if (opts.save) {
              const saved = saveSchedule(report, shown, opts.save, `explore-${report.id}`);
              console.log(
                typeof saved === 'string'
                  ? `  saved as a runbook file: ${opts.save} (run: npx firedrill run ${opts.save})`
                  : `  saved ${saved.specs.length} commands to ${opts.save} (replay: npx firedrill replay ${opts.save})`,
              );
            }
          }
          console.log(`  report: ${shown} (and explore.md)`);
        }
        process.exitCode = failed ? 1 : 0;
        exitWhenDone();
      },
    );
}

/** `firedrill replay <file>`: runs a found failure again, from its report or a saved schedule. */
export function replayCommandCli(): Command {
  return new Command('replay')
    .description(
      'run a failure found by `firedrill explore` again: from reports/explore-<id>/explore.json (seed + path) or a file saved with --save',
    )
    .argument('<file>', 'explore.json or a saved schedule')
    .option('-v, --version <v>', 'run it on this etcd version instead of the one it was found on (3.4 or 3.5)', (v) => parseVersions(v)[0]!)
    .action(async (file: string, opts: { version?: string }) => {
      const r = await replay(file, { log: (l) => console.log(l), version: opts.version });
      const said = { same: 'REPRODUCED', part: 'REPRODUCED IN PART', other: 'FAILS DIFFERENTLY', none: 'NOT REPRODUCED' }[r.outcome];
      console.log(
        `replay: ${said}: ${r.schedule.join(', ') || '(empty)'}; failed then [${r.expected.join('; ')}], now [${r.got.join('; ') || 'nothing'}]`,
      );
      // A regression check: non-zero while the schedule still fails, however it fails.
      process.exitCode = r.outcome === 'none' ? 0 : 1;
      exitWhenDone();
    });
}
