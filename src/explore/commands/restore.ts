import type { CommandSpec, ExploreCommand } from '../command.js';
import type { ExploreModel } from '../model.js';
import type { ScheduleRun } from '../schedule-run.js';
import { StartCommand } from './kill.js';
import { UnpauseCommand } from './pause.js';

/**
 * Brings back one member that a fault took: `start` one of the down members, or `unpause` one of
 * the frozen ones, the `k`-th of them by name. Generated this way (not as `start(etcd-2)`, which
 * runs only when etcd-2 happens to be down) a schedule undoes its faults often enough to fit
 * several into one schedule under the budget. Once it ran it is the concrete command: it reads
 * `start(etcd-2)`, and the schedule records `{ type: 'start', member: 'etcd-2' }`.
 */
export class RestoreCommand implements ExploreCommand {
  private resolved?: ExploreCommand;

  constructor(
    readonly kind: 'start' | 'unpause',
    readonly k: number,
  ) {}

  private pool(m: Readonly<ExploreModel>): string[] {
    return [...(this.kind === 'start' ? m.down : m.paused)].sort();
  }

  get spec(): CommandSpec {
    if (!this.resolved) throw new Error(`${this.toString()} has not run: it names no member yet`);
    return this.resolved.spec;
  }

  check(m: Readonly<ExploreModel>): boolean {
    return this.pool(m).length > 0;
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    const pool = this.pool(m);
    const name = pool[this.k % pool.length]!;
    this.resolved = this.kind === 'start' ? new StartCommand(name) : new UnpauseCommand(name);
    await this.resolved.run(m, r);
  }

  toString(): string {
    return this.resolved ? this.resolved.toString() : `${this.kind}(#${this.k})`;
  }
}
