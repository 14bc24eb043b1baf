import type { CommandSpec, ExploreCommand } from '../command.js';
import { hasQuorum, isServing, unavailable, type ExploreModel } from '../model.js';
import type { ScheduleRun } from '../schedule-run.js';
import { KillCommand } from './kill.js';
import { PauseCommand } from './pause.js';
import { SleepCommand } from './sleep.js';

export type LeaderFaultKind = 'kill' | 'stop' | 'pause';

/**
 * `kill(leader)`, `stop(leader)`, `pause(leader)`: the fault hits whoever leads when it runs, so a
 * shrunk schedule keeps meaning "the leader" however the elections went. Like a restore, once it
 * ran it is the concrete command: it reads and saves as `kill(etcd-2)`. With no leader among the
 * members the model counts as serving after 5 s (an election still under way) it does nothing and
 * reads `sleep(0ms)`.
 */
export class LeaderFaultCommand implements ExploreCommand {
  private resolved?: ExploreCommand;

  constructor(readonly kind: LeaderFaultKind) {}

  get spec(): CommandSpec {
    if (!this.resolved) throw new Error(`${this.toString()} has not run: it names no member yet`);
    return this.resolved.spec;
  }

  /** A leader exists only with quorum, and taking it must stay within the budget. */
  check(m: Readonly<ExploreModel>): boolean {
    return hasQuorum(m) && unavailable(m).size + 1 <= m.budget;
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    // Only a member the model counts as serving can be the leader that matters: right after a kill
    // or pause the survivors still name the old leader for an election timeout, and a member cut
    // off by a partition may still call itself leader. Hitting one of those would take it twice.
    // (check() has already kept one more within the budget.)
    const name = await r.leaderName(
      5_000,
      m.members.filter((n) => isServing(m, n)),
    );
    this.resolved =
      name === undefined
        ? new SleepCommand(0)
        : this.kind === 'pause'
          ? new PauseCommand(name)
          : new KillCommand(name, this.kind === 'kill' ? 'SIGKILL' : 'SIGTERM');
    await this.resolved.run(m, r);
  }

  toString(): string {
    return this.resolved ? this.resolved.toString() : `${this.kind}(leader)`;
  }
}
