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
    const kinds = ['kill', 'stop', 'pause', 'sleep', 'delete-acked-key'] as const;
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
});
