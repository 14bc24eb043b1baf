import { stringify } from 'yaml';
import { EXPLORE_QUOTA_BYTES } from './explore-cluster-spec.js';
import type { CommandSpec } from './command.js';

/** The command kinds a runbook file (src/runbook-file/schema.ts) can express. */
const EXPRESSIBLE = new Set<CommandSpec['type']>([
  'kill',
  'stop',
  'start',
  'pause',
  'unpause',
  'sleep',
  'fill-quota',
  'recover-quota',
  'delete-acked-key',
]);

/** The quota runbook as runbook-file steps: what recoverQuota() runs (src/runbook/quota-steps.ts). */
const QUOTA_RUNBOOK = [
  { etcdctl: 'compact ${revision}', name: 'compact at the current revision' },
  { etcdctl: 'defrag --endpoints=${endpoints}', name: 'defrag every member' },
  { etcdctl: 'alarm disarm', name: 'alarm disarm' },
];

/** Why a schedule cannot be a runbook file (partitions and clock skews have no step there), or undefined. */
export function notExpressible(specs: readonly CommandSpec[]): string | undefined {
  const bad = [...new Set(specs.filter((s) => !EXPRESSIBLE.has(s.type)).map((s) => s.type))];
  return bad.length ? `runbook files have no step for ${bad.join(', ')}` : undefined;
}

const FOUND_PREFIX = '/firedrill/found/';

function steps(s: CommandSpec): Record<string, unknown>[] {
  switch (s.type) {
    case 'fill-quota':
      return [{ 'fill-quota': { writers: 2 }, name: 'fill the backend to NOSPACE' }];
    case 'recover-quota':
      return QUOTA_RUNBOOK;
    default:
      return [step(s)];
  }
}

function step(s: CommandSpec): Record<string, unknown> {
  switch (s.type) {
    case 'kill':
    case 'stop':
    case 'start':
      return { [s.type]: s.member };
    case 'pause':
      return { pause: s.member, as: `paused-${s.member}` };
    case 'unpause':
      return { heal: `paused-${s.member}`, name: `unpause ${s.member}` };
    case 'sleep':
      return { sleep: `${s.ms}ms` };
    case 'delete-acked-key':
      // The prepared keys are acknowledged writes in the run's history; deleting one with etcdctl
      // is the same "behind the harness's back" as the explorer's test fault.
      return { etcdctl: `del ${FOUND_PREFIX}1`, name: 'delete an acknowledged key behind the harness (test-only fault)' };
    default:
      throw new Error(`no runbook step for ${s.type}`);
  }
}

/**
 * A found schedule as a runbook file (YAML): the workload runs, the schedule's commands are the
 * fault, then every member is started and unfrozen again, and the explorer's invariants are the
 * checks. It fails for as long as the misbehaviour it found is there: `firedrill run <file>`.
 */
export function scheduleAsRunbook(opts: {
  id: string;
  specs: readonly CommandSpec[];
  schedule: readonly string[];
  members: number;
  version: string;
  foundBy: string;
}): string {
  const why = notExpressible(opts.specs);
  if (why) throw new Error(why);
  const commands = opts.specs.flatMap(steps);
  // A fill still in force at the end is recovered after every member is back, as the explorer does.
  const lastFill = opts.specs.map((x) => x.type).lastIndexOf('fill-quota');
  const fills = lastFill >= 0;
  const recoverAtEnd = fills && !opts.specs.slice(lastFill).some((x) => x.type === 'recover-quota');
  const paused = [...new Set(opts.specs.flatMap((s) => (s.type === 'pause' ? [s.member] : [])))];
  const file = {
    id: opts.id,
    title: `found by exploration: ${opts.schedule.join(', ') || '(empty schedule)'}`,
    source: `firedrill explore (${opts.foundBy})`,
    proves: 'nothing yet: it reproduces a failure the explorer found, and fails while that failure is there',
    cluster: {
      members: opts.members,
      version: opts.version,
      timing: 'fast',
      ...(fills ? { flags: { 'quota-backend-bytes': EXPLORE_QUOTA_BYTES } } : {}),
    },
    prepare: [{ write: { keys: 5, prefix: FOUND_PREFIX, value: 'found' } }, { workload: 'start' }],
    fault: commands.length ? commands : [{ sleep: '100ms' }],
    steps: [
      ...paused.map((m) => ({ heal: `paused-${m}`, name: `unpause ${m} (if still paused)` })),
      { start: 'all', name: 'start every member that is down' },
      { wait: { until: 'ready', timeout: '30s' } },
      ...(recoverAtEnd ? QUOTA_RUNBOOK : []),
    ],
    checks: [{ healthy: { timeout: '10s' } }, 'acked-writes-present', 'members-agree', 'no-alarms', ...(fills ? ['quota-room'] : [])],
  };
  return `# yaml-language-server: $schema=../../schema/runbook.schema.json\n# Saved by \`firedrill explore --save\`: ${opts.schedule.join(', ')}\n${stringify(file)}`;
}
