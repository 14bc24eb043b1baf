import { partition } from '../../faults/partition.js';
import { Targets } from '../../targets/targets.js';
import type { CommandSpec, ExploreCommand } from '../command.js';
import { isServing, withinBudget, type ExploreModel } from '../model.js';
import type { ScheduleRun } from '../schedule-run.js';

/**
 * `partition([etcd-1] | [etcd-2,etcd-3])`: cuts `side` off from the other members (iptables in the
 * side's namespaces). One partition at a time; the side must be running, so its rules can go in.
 */
export class PartitionCommand implements ExploreCommand {
  constructor(
    readonly side: readonly string[],
    /** Every member, to name the other side in `toString()`. */
    readonly members: readonly string[],
  ) {}

  get spec(): CommandSpec {
    return { type: 'partition', side: [...this.side] };
  }

  check(m: Readonly<ExploreModel>): boolean {
    return !m.partition && this.side.every((s) => isServing(m, s)) && withinBudget(m, this.side);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.partition = [...this.side];
    await r.step(this, async () => (await r.inject('partition', partition(Targets.named(...this.side)))).description);
  }

  toString(): string {
    const other = this.members.filter((x) => !this.side.includes(x));
    return `partition([${this.side.join(',')}] | [${other.join(',')}])`;
  }
}

/** `heal(partition)`: removes the partition's rules. */
export class HealPartitionCommand implements ExploreCommand {
  readonly spec: CommandSpec = { type: 'heal-partition' };

  check(m: Readonly<ExploreModel>): boolean {
    return m.partition !== undefined;
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.partition = undefined;
    await r.step(this, () => r.heal('partition'));
  }

  toString(): string {
    return 'heal(partition)';
  }
}
