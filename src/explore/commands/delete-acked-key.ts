import type { CommandSpec, ExploreCommand } from '../command.js';
import { hasQuorum, isServing, type ExploreModel } from '../model.js';
import type { ScheduleRun } from '../schedule-run.js';

/**
 * TEST ONLY, never part of normal exploration: deletes an acknowledged key behind the harness's
 * back (`etcdctl del` inside a member, not recorded in the history), the deliberately broken
 * invariant that proves the explorer finds, shrinks and replays a failure. The oldest acknowledged
 * key is taken, so a replay deletes the same one.
 */
export class DeleteAckedKeyCommand implements ExploreCommand {
  readonly spec: CommandSpec = { type: 'delete-acked-key' };

  check(m: Readonly<ExploreModel>): boolean {
    return hasQuorum(m) && m.members.some((x) => isServing(m, x));
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    const via = m.members.find((x) => isServing(m, x))!;
    await r.step(this, async () => {
      const acked = r.ctx.history.ops.find((o) => o.api === 3 && o.outcome === 'ok');
      if (!acked) return 'no acknowledged key yet: nothing deleted';
      const res = await r.member(via).etcdctl(['del', acked.key], { timeoutMs: 5000 });
      return `etcdctl del ${acked.key} on ${via}: exit ${res.exitCode} ${res.stdout.trim()}`;
    });
  }

  toString(): string {
    return 'deleteAckedKey()';
  }
}
