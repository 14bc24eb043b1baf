import { readFileSync } from 'node:fs';
import { startCluster } from '../cluster/start-cluster.js';
import { newRunId } from '../cluster/run-id.js';
import { InputError } from '../run/errors.js';
import { commandFromSpec } from './command-spec.js';
import { exploreClusterSpec } from './explore-cluster-spec.js';
import type { ExploreReport, SavedSchedule } from './explore-report.js';
import { explore } from './explorer.js';
import { runSchedule, type ScheduleResult } from './run-schedule.js';

export interface ReplayResult {
  /** The failure was seen again: every check it was found with failed again. */
  reproduced: boolean;
  /**
   * How this run compares: `same` checks failed; `part` of them (some failures are a matter of
   * timing, e.g. whether a member raises NOSPACE again); `other` checks; or `none`: it passed.
   */
  outcome: 'same' | 'part' | 'other' | 'none';
  /** Failing checks when it was found, and now. */
  expected: string[];
  got: string[];
  schedule: string[];
  /** The replay's own exploration report (replays of explore.json) or schedule result (saved schedules). */
  report?: ExploreReport;
  result?: ScheduleResult;
}

const checkName = (failure: string): string => failure.split(': ')[0]!;

/** How the failures of a replay compare with those it was found with. */
export function compareFailures(expected: string[], got: string[]): ReplayResult['outcome'] {
  if (got.length === 0) return 'none';
  // Every check it failed with failed again (others too, perhaps): that is the failure, seen again.
  if (expected.length > 0 && expected.every((e) => got.includes(e))) return 'same';
  return got.some((g) => expected.includes(g)) ? 'part' : 'other';
}

/** Reads an explore report or a saved schedule, or says in one line what the file is not. */
export function readReplayFile(file: string): ExploreReport | SavedSchedule {
  let data: { schema?: string };
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as { schema?: string };
  } catch (e) {
    throw new InputError(
      `cannot read "${file}": ${e instanceof Error ? e.message : String(e)}`,
      'pass reports/explore-<id>/explore.json or a file saved with explore --save',
    );
  }
  if (data.schema === 'etcd-firedrill/explore@1' || data.schema === 'etcd-firedrill/explore-schedule@1')
    return data as ExploreReport | SavedSchedule;
  throw new InputError(
    `"${file}" is not an exploration report or a saved schedule (schema ${String(data.schema)})`,
    'pass reports/explore-<id>/explore.json or a file saved with explore --save',
  );
}

/**
 * Runs a found failure again. From an explore report: the same options with fast-check's seed,
 * path and commands' replay path, so exactly the shrunk schedule runs (no new generation, no
 * shrinking). From a saved schedule: its commands, in order, on a fresh cluster. `version` runs it
 * on another etcd version (does 3.5 behave the same?).
 */
export async function replay(file: string, opts: { log?: (line: string) => void; version?: string } = {}): Promise<ReplayResult> {
  const data = readReplayFile(file);
  if (data.schema === 'etcd-firedrill/explore@1') {
    if (!data.failure)
      throw new InputError(`"${file}" records no failure (status ${data.status})`, 'replay the report of an exploration that failed');
    const report = await explore({
      ...data.options,
      version: opts.version ?? data.options.version,
      seed: data.seed,
      path: data.failure.path,
      replayPath: data.failure.replayPath,
      id: `${data.id}-replay-${newRunId().slice(-4)}`,
      log: opts.log,
    });
    const expected = data.failure.failures.map(checkName);
    const got = report.failure?.failures.map(checkName) ?? [];
    return {
      reproduced: compareFailures(expected, got) === 'same',
      outcome: compareFailures(expected, got),
      expected,
      got,
      schedule: report.failure?.schedule ?? report.schedules.at(-1)?.schedule ?? [],
      report,
    };
  }
  await using cluster = await startCluster(
    exploreClusterSpec(data.members, opts.version ?? data.version, { fills: data.specs.some((s) => s.type === 'fill-quota') }),
    { runId: newRunId() },
  );
  const names = cluster.members.map((m) => m.name);
  const result = await runSchedule(
    cluster,
    data.specs.map((s) => commandFromSpec(s, names)),
    { index: 1, seed: data.foundBy.seed, allowQuorumLoss: data.allowQuorumLoss, maxTermRise: data.maxTermRise },
  );
  opts.log?.(`  ${result.status} ${result.schedule.join(', ')}`);
  for (const f of result.failures) opts.log?.(`      ${f}`);
  const expected = data.failures.map(checkName);
  const got = result.failures.map(checkName);
  const outcome = compareFailures(expected, got);
  return { reproduced: outcome === 'same', outcome, expected, got, schedule: result.schedule, result };
}
