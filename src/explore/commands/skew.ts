import { skewClock } from '../../faults/skew-clock.js';
import { Targets } from '../../targets/targets.js';
import type { CommandSpec, ExploreCommand } from '../command.js';
import type { ExploreModel } from '../model.js';
import type { ScheduleRun } from '../schedule-run.js';

/** Running and not frozen: its clock can be patched. */
const patchable = (m: Readonly<ExploreModel>, name: string): boolean => !m.down.has(name) && !m.paused.has(name);

const signed = (ms: number): string => `${ms >= 0 ? '+' : '-'}${Math.abs(ms) >= 1000 ? `${Math.abs(ms) / 1000}s` : `${Math.abs(ms)}ms`}`;

/** `skewClock(etcd-2, +30s)`: moves the member's wall clock (not its monotonic clock) until `resetClock`. */
export class SkewClockCommand implements ExploreCommand {
  constructor(
    readonly member: string,
    readonly offsetMs: number,
  ) {}

  get spec(): CommandSpec {
    return { type: 'skew-clock', member: this.member, offsetMs: this.offsetMs };
  }

  check(m: Readonly<ExploreModel>): boolean {
    return patchable(m, this.member) && !m.skewed.has(this.member);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.skewed.add(this.member);
    await r.step(
      this,
      async () => (await r.inject(`skew:${this.member}`, skewClock(Targets.named(this.member), this.offsetMs))).description,
    );
  }

  toString(): string {
    return `skewClock(${this.member}, ${signed(this.offsetMs)})`;
  }
}

/** `resetClock(etcd-2)`: back to the host's clock. */
export class ResetClockCommand implements ExploreCommand {
  constructor(readonly member: string) {}

  get spec(): CommandSpec {
    return { type: 'reset-clock', member: this.member };
  }

  check(m: Readonly<ExploreModel>): boolean {
    return patchable(m, this.member) && m.skewed.has(this.member);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.skewed.delete(this.member);
    await r.step(this, () => r.heal(`skew:${this.member}`));
  }

  toString(): string {
    return `resetClock(${this.member})`;
  }
}
