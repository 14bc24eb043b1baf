import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { CheckResult } from '../report/run-report.js';
import type { CommandKind } from './arbitraries.js';
import type { CommandSpec } from './command.js';
import type { ScheduleLogLine } from './schedule-run.js';
import { notExpressible, scheduleAsRunbook } from './runbook-export.js';
import { InputError } from '../run/errors.js';

export interface ScheduleSummary {
  index: number;
  status: 'pass' | 'fail' | 'unknown';
  schedule: string[];
  durationMs: number;
  writes: { ok: number; fail: number; unknown: number };
  failures: string[];
  inconclusive: string[];
  availability: { maxWriteGapMs: number; termBefore?: number; termAfter?: number; leaderChanged: boolean };
  /** Each check's verdict, first line of its message. */
  checks: { name: string; status: string; message: string }[];
}

/** What `firedrill explore` writes to reports/explore-<id>/explore.json (schema etcd-firedrill/explore@1). */
export interface ExploreReport {
  schema: 'etcd-firedrill/explore@1';
  id: string;
  startedAt: string;
  /** Everything a replay needs to generate the same schedules again. */
  options: {
    runs: number;
    members: number;
    version: string;
    maxCommands: number;
    kinds: CommandKind[];
    includeTestFaults: boolean;
    allowQuorumLoss: boolean;
    reuse: boolean;
    timeLimitMs?: number;
    maxTermRise?: number;
  };
  image: string;
  seed: number;
  /** false: interrupted (Ctrl-C) before fast-check finished; what ran so far is here. */
  complete: boolean;
  status: 'pass' | 'fail' | 'unknown';
  numRuns: number;
  numShrinks: number;
  interrupted: boolean;
  /** The shrunk failing schedule (the last one that failed while shrinking), with how to replay it. */
  failure?: {
    path?: string;
    replayPath?: string;
    schedule: string[];
    specs: CommandSpec[];
    failures: string[];
    checks: CheckResult[];
    log: ScheduleLogLine[];
    /** The schedule as first found, before shrinking. */
    firstFound?: { index: number; schedule: string[] };
  };
  schedules: ScheduleSummary[];
  speed: {
    schedules: number;
    exploringMs: number;
    perMinute: number;
    clusterStartMs: number;
    clusterStarts: number;
    resetMeanMs: number;
    resetRepairs: string[];
    loadAverageAtStart: number[];
    loadAverage: number[];
    cpus: number;
  };
  durationMs: number;
}

/** A saved failing schedule: `firedrill replay <file>` runs exactly these commands on a fresh cluster. */
export interface SavedSchedule {
  schema: 'etcd-firedrill/explore-schedule@1';
  name: string;
  members: number;
  version: string;
  allowQuorumLoss: boolean;
  /** The opt-in term invariant it was found under, if any. */
  maxTermRise?: number;
  schedule: string[];
  specs: CommandSpec[];
  /** The failures it produced when found: a replay should fail the same checks. */
  failures: string[];
  foundBy: { report: string; seed: number; path?: string; replayPath?: string };
  /** What was found, in words (for files kept as regressions). */
  note?: string;
}

/** The command that replays a report's failure. */
export function replayCommand(reportFile: string): string {
  return `npx firedrill replay ${reportFile}`;
}

/** The explicit explore command equivalent to a replay (same seed, path and replay path). */
export function exploreCommandFor(r: ExploreReport): string {
  const o = r.options;
  const parts = [`npx firedrill explore --runs ${o.runs} --seed ${r.seed}`];
  if (r.failure?.path) parts.push(`--path ${r.failure.path}`);
  if (r.failure?.replayPath) parts.push(`--replay-path '${r.failure.replayPath}'`);
  parts.push(
    `--members ${o.members} --version ${o.version} --max-commands ${o.maxCommands} --faults ${o.kinds.filter((k) => k !== 'delete-acked-key').join(',')}`,
  );
  if (o.includeTestFaults) parts.push('--include-test-faults');
  if (o.allowQuorumLoss) parts.push('--allow-quorum-loss');
  if (o.maxTermRise !== undefined) parts.push(`--max-term-rise ${o.maxTermRise}`);
  return parts.join(' ');
}

/** The readable summary: seed, the shrunk schedule, why it failed, how to replay, speed. */
export function renderExploreMarkdown(r: ExploreReport, reportFile: string): string {
  const o = r.options;
  const lines = [
    `# Exploration ${r.id}: ${r.status.toUpperCase()}${r.complete ? '' : ' (interrupted: partial)'}`,
    '',
    `- cluster: ${o.members} members, etcd ${o.version} (${r.image}), fast timing, ${o.reuse ? 'one cluster reused across schedules' : 'a fresh cluster per schedule'}`,
    `- seed: ${r.seed}; schedules run: ${r.speed.schedules} (${r.numRuns} generated, ${r.numShrinks} shrinks)${r.interrupted ? '; stopped by the time limit' : ''}`,
    `- commands: ${o.kinds.join(', ')}; at most ${o.maxCommands} per schedule${o.includeTestFaults ? ' (test-only faults included)' : ''}${o.allowQuorumLoss ? '; quorum loss allowed' : ''}${o.maxTermRise !== undefined ? `; the raft term may rise by at most ${o.maxTermRise} per schedule` : ''}`,
    `- speed: ${r.speed.perMinute} schedules/min (load average ${r.speed.loadAverageAtStart.join(', ')} at start, ${r.speed.loadAverage.join(', ')} at end, ${r.speed.cpus} CPUs); reset ${r.speed.resetMeanMs} ms on average; ${r.speed.clusterStarts} cluster start(s)`,
    '',
  ];
  if (r.failure) {
    const f = r.failure;
    lines.push(
      '## Failure (shrunk schedule)',
      '',
      '```',
      ...(f.schedule.length ? f.schedule : ['(no command: the invariant fails on its own)']),
      '```',
      '',
    );
    lines.push(...f.failures.map((x) => `- ${x}`), '');
    if (f.firstFound) lines.push(`First found as schedule #${f.firstFound.index}: \`${f.firstFound.schedule.join(', ')}\``, '');
    lines.push('What each command did:', '', ...f.log.map((l) => `- ${l.at} ms \`${l.command}\` (${l.durationMs} ms): ${l.text}`), '');
    lines.push('Replay:', '', '```sh', replayCommand(reportFile), exploreCommandFor(r), '```', '');
    lines.push(`fast-check: seed ${r.seed}, path ${f.path ?? '-'}, replayPath ${f.replayPath ?? '-'}`, '');
  } else {
    lines.push(r.status === 'pass' ? 'No schedule broke an invariant.' : 'No schedule failed, but some were inconclusive (see below).', '');
  }
  lines.push(
    '## Schedules',
    '',
    'Longest write gap: the longest time no put was acknowledged while the commands ran (measured, not an invariant); term: raft term before → after.',
    '',
    '| # | status | s | writes ok/unknown/fail | longest write gap ms | term | schedule |',
    '| - | - | - | - | - | - | - |',
  );
  for (const s of r.schedules) {
    const a = s.availability;
    lines.push(
      `| ${s.index} | ${s.status} | ${(s.durationMs / 1000).toFixed(1)} | ${s.writes.ok}/${s.writes.unknown}/${s.writes.fail} | ${a.maxWriteGapMs} | ${a.termBefore ?? '?'} → ${a.termAfter ?? '?'}${a.leaderChanged ? ' (new leader)' : ''} | ${s.schedule.join(', ').replaceAll('|', '\\|') || '(empty)'} |`,
    );
  }
  if (r.speed.resetRepairs.length) lines.push('', 'Reset repairs:', '', ...r.speed.resetRepairs.map((x) => `- ${x}`));
  return lines.join('\n') + '\n';
}

/** Writes explore.json and explore.md under `dir`; returns the JSON file's path. */
export function writeExploreReport(r: ExploreReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'explore.json');
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(join(dir, 'explore.md'), renderExploreMarkdown(r, relative(process.cwd(), file) || file));
  return file;
}

/**
 * Saves a report's failing schedule as a regression file: `.yaml`/`.yml` a runbook file (`firedrill
 * run <file>`, when the schedule has only steps runbook files know), anything else a JSON schedule
 * that `firedrill replay <file>` runs.
 */
export function saveSchedule(r: ExploreReport, reportFile: string, file: string, name: string): SavedSchedule | string {
  if (!r.failure) throw new Error('the exploration found no failure: there is no schedule to save');
  if (/\.ya?ml$/.test(file)) {
    const why = notExpressible(r.failure.specs);
    if (why)
      throw new InputError(
        `cannot save this schedule as a runbook file: ${why}`,
        `save it as JSON instead (--save ${file.replace(/\.ya?ml$/, '.json')}), which firedrill replay runs`,
      );
    const text = scheduleAsRunbook({
      id: name,
      specs: r.failure.specs,
      schedule: r.failure.schedule,
      members: r.options.members,
      version: r.options.version,
      foundBy: `seed ${r.seed}, path ${r.failure.path ?? '-'}, ${reportFile}`,
    });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return text;
  }
  const saved: SavedSchedule = {
    schema: 'etcd-firedrill/explore-schedule@1',
    name,
    members: r.options.members,
    version: r.options.version,
    allowQuorumLoss: r.options.allowQuorumLoss,
    maxTermRise: r.options.maxTermRise,
    schedule: r.failure.schedule,
    specs: r.failure.specs,
    failures: r.failure.failures,
    foundBy: { report: reportFile, seed: r.seed, path: r.failure.path, replayPath: r.failure.replayPath },
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n');
  return saved;
}
