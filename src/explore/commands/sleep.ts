import type { CommandSpec, ExploreCommand } from '../command.js';
import type { ScheduleRun } from '../schedule-run.js';

/** `sleep(800ms)`: lets the cluster (and the workload) live with what is in force for a while. */
export class SleepCommand implements ExploreCommand {
  constructor(readonly ms: number) {}

  get spec(): CommandSpec {
    return { type: 'sleep', ms: this.ms };
  }

  check(): boolean {
    return true;
  }

  async run(_m: unknown, r: ScheduleRun): Promise<void> {
    await r.step(this, async () => {
      await new Promise((res) => setTimeout(res, this.ms));
      return 'slept';
    });
  }

  toString(): string {
    return `sleep(${this.ms}ms)`;
  }
}
