import type { CommandSpec, ExploreCommand } from './command.js';
import { DeleteAckedKeyCommand } from './commands/delete-acked-key.js';
import { KillCommand, StartCommand } from './commands/kill.js';
import { HealPartitionCommand, PartitionCommand } from './commands/partition.js';
import { PauseCommand, UnpauseCommand } from './commands/pause.js';
import { FillQuotaCommand, RecoverQuotaCommand } from './commands/quota.js';
import { ResetClockCommand, SkewClockCommand } from './commands/skew.js';
import { SleepCommand } from './commands/sleep.js';

/** The command a saved schedule names (the inverse of `command.spec`). */
export function commandFromSpec(spec: CommandSpec, members: readonly string[]): ExploreCommand {
  switch (spec.type) {
    case 'kill':
      return new KillCommand(spec.member, 'SIGKILL');
    case 'stop':
      return new KillCommand(spec.member, 'SIGTERM');
    case 'start':
      return new StartCommand(spec.member);
    case 'pause':
      return new PauseCommand(spec.member);
    case 'unpause':
      return new UnpauseCommand(spec.member);
    case 'partition':
      return new PartitionCommand(spec.side, members);
    case 'heal-partition':
      return new HealPartitionCommand();
    case 'skew-clock':
      return new SkewClockCommand(spec.member, spec.offsetMs);
    case 'reset-clock':
      return new ResetClockCommand(spec.member);
    case 'sleep':
      return new SleepCommand(spec.ms);
    case 'fill-quota':
      return new FillQuotaCommand();
    case 'recover-quota':
      return new RecoverQuotaCommand();
    case 'delete-acked-key':
      return new DeleteAckedKeyCommand();
  }
}
