import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandArbitraries } from '../../src/explore/arbitraries.js';
import { initialModel } from '../../src/explore/model.js';
import { notExpressible, scheduleAsRunbook } from '../../src/explore/runbook-export.js';
import type { CommandSpec } from '../../src/explore/command.js';
import { parseRunbookYaml } from '../../src/runbook-file/load.js';
import type { ScheduleRun } from '../../src/explore/schedule-run.js';

const names = ['etcd-1', 'etcd-2', 'etcd-3'];

describe('a found schedule as a runbook file', () => {
  it('partitions and clock skews have no runbook step', () => {
    expect(notExpressible([{ type: 'kill', member: 'etcd-1' }])).toBeUndefined();
    expect(
      notExpressible([
        { type: 'partition', side: ['etcd-1'] },
        { type: 'skew-clock', member: 'etcd-2', offsetMs: 2000 },
      ]),
    ).toBe('runbook files have no step for partition, skew-clock');
  });

  it('every expressible schedule the model allows compiles as a runbook file', async () => {
    const kinds = ['kill', 'stop', 'pause', 'sleep', 'fill-quota', 'delete-acked-key'] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(...commandArbitraries(names, [...kinds])), { maxLength: 6 }), async (cmds) => {
        // Only what would have run, as a schedule records it: a fake real side that only notes
        // each command's spec (no Docker, no sleeping).
        const model = initialModel(names);
        const ran: CommandSpec[] = [];
        const real = {
          step: async (cmd: { spec: CommandSpec }) => void ran.push(cmd.spec),
          inject: async () => ({}),
          heal: async () => '',
        } as unknown as ScheduleRun;
        for (const c of cmds) if (c.check(model)) await c.run(model, real);
        const text = scheduleAsRunbook({
          id: 'found-x',
          specs: ran,
          schedule: ran.map((s) => s.type),
          members: 3,
          version: '3.5',
          foundBy: 'test',
        });
        const { scenario } = parseRunbookYaml(text, 'found.yaml');
        expect(scenario.id).toBe('found-x');
        expect(scenario.checks.length).toBeGreaterThanOrEqual(3);
      }),
      { numRuns: 200 },
    );
  });

  it('a fill left in force is recovered at the end, on a cluster with the small quota, and no alarm may stay', () => {
    const text = scheduleAsRunbook({
      id: 'found-q',
      specs: [{ type: 'kill', member: 'etcd-2' }, { type: 'fill-quota' }],
      schedule: ['kill(etcd-2)', 'fillQuota()'],
      members: 3,
      version: '3.5',
      foundBy: 'test',
    });
    expect(text).toContain('quota-backend-bytes: 16777216');
    const { scenario } = parseRunbookYaml(text, 'found.yaml');
    const names = scenario.runbook.map((s) => s.name);
    expect(names.indexOf('start every member that is down')).toBeLessThan(names.indexOf('defrag every member'));
    expect(names.at(-1)).toBe('alarm disarm');
    expect(scenario.checks.map((c) => c.name)).toContain('no alarms');
    expect(scenario.checks.map((c) => c.name)).toContain("every member's db is at most 50% of the quota");
  });

  it('a fill already recovered by the schedule is not recovered twice', () => {
    const text = scheduleAsRunbook({
      id: 'found-r',
      specs: [{ type: 'fill-quota' }, { type: 'recover-quota' }, { type: 'start', member: 'etcd-2' }],
      schedule: ['fillQuota()', 'recoverQuota()', 'start(etcd-2)'],
      members: 3,
      version: '3.5',
      foundBy: 'test',
    });
    expect(text.match(/alarm disarm/g)).toHaveLength(2); // the step and its name, once
  });
});
