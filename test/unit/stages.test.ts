import { describe, expect, it } from 'vitest';
import { judgeJoinWindows, judgeStages } from '../../src/checks/stages.js';
import type { JoinWindow, Stage } from '../../src/runbook/scale-steps.js';

const stage = (n: number, started = n, keys = 100): Stage => ({
  label: `${n} members`,
  listed: n,
  answering: started,
  quorum: Math.floor(n / 2) + 1,
  seedKeys: Object.fromEntries(Array.from({ length: started }, (_, i) => [`etcd-${i + 1}`, keys])),
});

const window = (voting: number, running: number, putOk: boolean, listedAs = 'abc, unstarted, http://x:2380'): JoinWindow => ({
  member: `etcd-${voting}`,
  voting,
  running,
  put: { ok: putOk, ms: 5, error: putOk ? undefined : 'context deadline exceeded' },
  health: {},
  listedAs,
});

describe('judgeStages', () => {
  it('passes 3 → 4 → 5 → 4 → 3 with the seed keys everywhere', () => {
    const v = judgeStages(
      [3, 4, 5, 4, 3].map((n) => stage(n)),
      [3, 4, 5, 4, 3],
      100,
    );
    expect(v.status).toBe('pass');
    expect(v.message).toContain('5 (quorum 3)');
  });
  it('fails a stage whose members are listed but not started (hosts switched off without member remove)', () => {
    const v = judgeStages([stage(3), stage(4), stage(5), stage(5, 3)], [3, 4, 5, 3], 100);
    expect(v.status).toBe('fail');
    expect(v.message).toContain('5 listed (quorum 3), 3 answering, expected 3 (quorum 2); 0 may fail');
  });
  it('fails a member short of seed keys, and a stage never reached', () => {
    expect(judgeStages([stage(3, 3, 99)], [3], 100).status).toBe('fail');
    expect(judgeStages([stage(3)], [3, 4], 100).message).toContain('not reached');
  });
  it('is unknown when nothing was recorded', () => {
    expect(judgeStages(undefined, [3], 100).status).toBe('unknown');
  });
});

describe('judgeJoinWindows', () => {
  it('expects writes while running members keep a quorum of the voting ones, and none on 1 of 2', () => {
    expect(judgeJoinWindows([window(4, 3, true), window(5, 4, true)]).status).toBe('pass');
    expect(judgeJoinWindows([window(2, 1, false)]).status).toBe('pass');
    expect(judgeJoinWindows([window(2, 1, true)]).status).toBe('fail');
    expect(judgeJoinWindows([window(4, 3, false)]).status).toBe('fail');
  });
  it('fails when the registered member is not listed as unstarted', () => {
    expect(judgeJoinWindows([window(4, 3, true, 'abc, etcd-4, http://x:2380')]).status).toBe('fail');
  });
});
