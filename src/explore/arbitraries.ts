import fc from 'fast-check';
import type { ExploreCommand } from './command.js';
import { DeleteAckedKeyCommand } from './commands/delete-acked-key.js';
import { KillCommand } from './commands/kill.js';
import { LeaderFaultCommand, type LeaderFaultKind } from './commands/leader.js';
import { HealPartitionCommand, PartitionCommand } from './commands/partition.js';
import { PauseCommand } from './commands/pause.js';
import { FillQuotaCommand, RecoverQuotaCommand } from './commands/quota.js';
import { RestoreCommand } from './commands/restore.js';
import { ResetClockCommand, SkewClockCommand } from './commands/skew.js';
import { SleepCommand } from './commands/sleep.js';
import { tolerated } from './model.js';

/** The kinds of command a schedule may contain; `delete-acked-key` only with test faults. */
export type CommandKind = 'kill' | 'stop' | 'pause' | 'partition' | 'skew-clock' | 'sleep' | 'leader' | 'fill-quota' | 'delete-acked-key';

export const DEFAULT_KINDS: readonly CommandKind[] = ['kill', 'stop', 'pause', 'partition', 'skew-clock', 'sleep'];

/**
 * What `--faults` may name. `leader` (kill, stop or pause whoever leads) and `fill-quota` (fill the
 * backend to NOSPACE, then the quota runbook) are opt-in: adding an arbitrary changes what every
 * seed generates, and the seeds quoted in reports and the README must keep replaying. Opt-in
 * arbitraries go after the default ones for the same reason.
 */
export const KNOWN_KINDS: readonly CommandKind[] = [...DEFAULT_KINDS, 'leader', 'fill-quota'];

/** Clock offsets a skew picks from: under and over etcd's 1 s warning, and far off. */
export const SKEW_OFFSETS_MS = [-5000, 2000, 30_000, 3_600_000] as const;

/**
 * One arbitrary per command (a fault and its heal are separate commands, so a schedule can leave
 * a fault in force across others, or not heal it at all: the end of the schedule heals it). The
 * list's order and contents must not change between a run and its replay: fast-check's path
 * indexes into it.
 */
export function commandArbitraries(members: readonly string[], kinds: readonly CommandKind[]): fc.Arbitrary<ExploreCommand>[] {
  const member = fc.constantFrom(...members);
  const has = (k: CommandKind): boolean => kinds.includes(k);
  const out: fc.Arbitrary<ExploreCommand>[] = [];
  // fc.commands picks among its arbitraries evenly, and a heal whose fault is not in force is
  // skipped: with one entry each, a third of the schedules ran nothing. Faults get two entries.
  const fault = (a: fc.Arbitrary<ExploreCommand>): void => void out.push(a, a);
  if (has('kill')) fault(member.map((n) => new KillCommand(n, 'SIGKILL')));
  if (has('stop')) fault(member.map((n) => new KillCommand(n, 'SIGTERM')));
  if (has('kill') || has('stop')) out.push(fc.nat({ max: members.length - 1 }).map((k) => new RestoreCommand('start', k)));
  if (has('pause')) {
    fault(member.map((n) => new PauseCommand(n)));
    out.push(fc.nat({ max: members.length - 1 }).map((k) => new RestoreCommand('unpause', k)));
  }
  const maxSide = tolerated(members.length);
  if (has('partition') && maxSide >= 1) {
    fault(fc.subarray([...members], { minLength: 1, maxLength: maxSide }).map((side) => new PartitionCommand(side, members)));
    out.push(fc.constant(new HealPartitionCommand()));
  }
  if (has('skew-clock')) {
    out.push(
      fc.tuple(member, fc.constantFrom(...SKEW_OFFSETS_MS)).map(([n, ms]) => new SkewClockCommand(n, ms)),
      member.map((n) => new ResetClockCommand(n)),
    );
  }
  if (has('leader')) {
    fault(fc.constantFrom<LeaderFaultKind>('kill', 'stop', 'pause').map((k) => new LeaderFaultCommand(k)));
    // Its restores: start the downed, unpause the frozen (when kill/pause are off, nothing else would).
    if (!has('kill') && !has('stop')) out.push(fc.nat({ max: members.length - 1 }).map((k) => new RestoreCommand('start', k)));
    if (!has('pause')) out.push(fc.nat({ max: members.length - 1 }).map((k) => new RestoreCommand('unpause', k)));
  }
  if (has('fill-quota')) {
    fault(fc.constant(new FillQuotaCommand()));
    out.push(fc.constant(new RecoverQuotaCommand()));
  }
  if (has('sleep')) out.push(fc.integer({ min: 1, max: 15 }).map((t) => new SleepCommand(t * 100)));
  if (has('delete-acked-key')) out.push(fc.constant(new DeleteAckedKeyCommand()));
  return out;
}
