import type { RunEvent } from './events.js';
import type { RunReport } from './run-report.js';

/** Reporters are objects with optional hooks (vitest's shape): add one file and one registry line. */
export interface Reporter {
  onEvent?(event: RunEvent): void;
  /** Called in `finally`, also for crashed and interrupted runs (`report.complete === false`). */
  onRunEnd?(report: RunReport, dir: string): void | Promise<void>;
}
