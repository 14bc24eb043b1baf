import { kill } from '../../faults/kill.js';
import { Targets } from '../../targets/targets.js';
import type { CommandSpec, ExploreCommand } from '../command.js';
import { isServing, withinBudget, type ExploreModel } from '../model.js';
import type { ScheduleRun } from '../schedule-run.js';

/** `kill(etcd-2)` (SIGKILL, a host dying) or `stop(etcd-2)` (SIGTERM): the member is down until `start`. */
export class KillCommand implements ExploreCommand {
  constructor(
    readonly member: string,
    readonly signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
  ) {}

  get spec(): CommandSpec {
    return { type: this.signal === 'SIGKILL' ? 'kill' : 'stop', member: this.member };
  }

  check(m: Readonly<ExploreModel>): boolean {
    return isServing(m, this.member) && withinBudget(m, [this.member]);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.down.add(this.member);
    await r.step(this, async () => (await r.inject(`down:${this.member}`, kill(Targets.named(this.member), this.signal))).description);
  }

  toString(): string {
    return `${this.spec.type}(${this.member})`;
  }
}

/** `start(etcd-2)`: starts a killed or stopped member again, on its own data dir. */
export class StartCommand implements ExploreCommand {
  constructor(readonly member: string) {}

  get spec(): CommandSpec {
    return { type: 'start', member: this.member };
  }

  check(m: Readonly<ExploreModel>): boolean {
    return m.down.has(this.member);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.down.delete(this.member);
    await r.step(this, () => r.heal(`down:${this.member}`));
  }

  toString(): string {
    return `start(${this.member})`;
  }
}
