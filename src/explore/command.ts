import type { AsyncCommand } from 'fast-check';
import type { ExploreModel } from './model.js';
import type { ScheduleRun } from './schedule-run.js';

/** A command as plain data: what `--save` writes and `replay` reads back (command-spec.ts). */
export type CommandSpec =
  | { type: 'kill' | 'stop' | 'start' | 'pause' | 'unpause' | 'reset-clock'; member: string }
  | { type: 'partition'; side: string[] }
  | { type: 'heal-partition' }
  | { type: 'skew-clock'; member: string; offsetMs: number }
  | { type: 'sleep'; ms: number }
  | { type: 'fill-quota' | 'recover-quota' }
  | { type: 'delete-acked-key' };

/** One step of a schedule: a fast-check async command that can also say what it is as data. */
export interface ExploreCommand extends AsyncCommand<ExploreModel, ScheduleRun> {
  readonly spec: CommandSpec;
}
