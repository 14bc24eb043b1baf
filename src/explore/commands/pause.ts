import { pause } from '../../faults/pause.js';
import { Targets } from '../../targets/targets.js';
import type { CommandSpec, ExploreCommand } from '../command.js';
import { isServing, withinBudget, type ExploreModel } from '../model.js';
import type { ScheduleRun } from '../schedule-run.js';

/** `pause(etcd-2)`: freezes the member (a long GC pause, a stalled disk) until `unpause`. */
export class PauseCommand implements ExploreCommand {
  constructor(readonly member: string) {}

  get spec(): CommandSpec {
    return { type: 'pause', member: this.member };
  }

  check(m: Readonly<ExploreModel>): boolean {
    return isServing(m, this.member) && withinBudget(m, [this.member]);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.paused.add(this.member);
    await r.step(this, async () => (await r.inject(`pause:${this.member}`, pause(Targets.named(this.member)))).description);
  }

  toString(): string {
    return `pause(${this.member})`;
  }
}

/** `unpause(etcd-2)`. */
export class UnpauseCommand implements ExploreCommand {
  constructor(readonly member: string) {}

  get spec(): CommandSpec {
    return { type: 'unpause', member: this.member };
  }

  check(m: Readonly<ExploreModel>): boolean {
    return m.paused.has(this.member);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.paused.delete(this.member);
    await r.step(this, () => r.heal(`pause:${this.member}`));
  }

  toString(): string {
    return `unpause(${this.member})`;
  }
}
