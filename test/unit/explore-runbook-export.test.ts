import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandArbitraries } from '../../src/explore/arbitraries.js';
import { initialModel } from '../../src/explore/model.js';
import { notExpressible, scheduleAsRunbook } from '../../src/explore/runbook-export.js';
import type { CommandSpec } from '../../src/explore/command.js';
import { parseRunbookYaml } from '../../src/runbook-file/load.js';

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

  it('every expressible schedule the model allows compiles as a runbook file', () => {
    const kinds = ['kill', 'stop', 'pause', 'sleep', 'delete-acked-key'] as const;
    fc.assert(
      fc.property(fc.array(fc.oneof(...commandArbitraries(names, [...kinds])), { maxLength: 6 }), (cmds) => {
        // Only what would have run: the commands whose precondition held, in order (as a schedule records them).
        const model = initialModel(names);
        const ran: CommandSpec[] = [];
        for (const c of cmds) {
          if (!c.check(model)) continue;
          ran.push(c.spec);
          const s = c.spec;
          if (s.type === 'kill' || s.type === 'stop') model.down.add(s.member);
          if (s.type === 'start') model.down.delete(s.member);
          if (s.type === 'pause') model.paused.add(s.member);
          if (s.type === 'unpause') model.paused.delete(s.member);
        }
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
