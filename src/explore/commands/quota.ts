import { injection } from '../../faults/fault.js';
import { fillError, fillToNoSpace, recoverFromNoSpace } from '../../runbook/quota-steps.js';
import type { CommandSpec, ExploreCommand } from '../command.js';
import { hasQuorum, isServing, type ExploreModel } from '../model.js';
import { EXPLORE_PREFIX } from '../reset.js';
import { RUNBOOK_KEY_PREFIX, type ScheduleRun } from '../schedule-run.js';

/** The quota runbook heals under this key: after every fault, at the end of a schedule. */
export const QUOTA_KEY = `${RUNBOOK_KEY_PREFIX}quota`;

/** Serving members: the writers and the operator's etcdctl need a running, reachable member. */
const serving = (m: Readonly<ExploreModel>): string[] => m.members.filter((n) => isServing(m, n));

/**
 * `fillQuota()`: two writers overwrite large values until etcd answers `database space exceeded`
 * and raises NOSPACE (the explorer's clusters get a small quota when this command is on). Left in
 * force, the schedule's end runs the quota runbook once every other fault is healed.
 */
export class FillQuotaCommand implements ExploreCommand {
  readonly spec: CommandSpec = { type: 'fill-quota' };

  check(m: Readonly<ExploreModel>): boolean {
    return !m.quotaFull && hasQuorum(m);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.quotaFull = true;
    const through = serving(m);
    await r.step(this, async () => {
      // Tracked first: if the fill throws half-way, the end of the schedule still recovers.
      r.ctx.track(
        QUOTA_KEY,
        injection(
          'quota runbook',
          [],
          async () => {
            const operator = await r.operator();
            await recoverFromNoSpace(r.ctx, operator);
          },
          'NOSPACE: compact, defrag, alarm disarm',
        ),
      );
      const f = await fillToNoSpace(r.ctx, {
        writers: 2,
        prefix: `${EXPLORE_PREFIX}quota/`,
        members: through.map((n) => r.member(n)),
        timeoutMs: 60_000,
      });
      const broken = fillError(f);
      if (broken) throw broken;
      return `${f.acked} puts of 100 KB acknowledged, then "database space exceeded" (${Math.round(f.durationMs)} ms)`;
    });
  }

  toString(): string {
    return 'fillQuota()';
  }
}

/**
 * `recoverQuota()`: the quota runbook now (compact, defrag every member, alarm disarm), through a
 * serving member. Members that are down or frozen miss their defrag: what that leads to when they
 * return is what the invariants judge.
 */
export class RecoverQuotaCommand implements ExploreCommand {
  readonly spec: CommandSpec = { type: 'recover-quota' };

  check(m: Readonly<ExploreModel>): boolean {
    return m.quotaFull && hasQuorum(m);
  }

  async run(m: ExploreModel, r: ScheduleRun): Promise<void> {
    m.quotaFull = false;
    const via = serving(m)[0]!;
    await r.step(this, async () => {
      const said = await recoverFromNoSpace(r.ctx, r.member(via));
      // Only once it ran: if it threw, the end of the schedule still recovers the fill.
      r.ctx.untrack(QUOTA_KEY);
      return said;
    });
  }

  toString(): string {
    return 'recoverQuota()';
  }
}
