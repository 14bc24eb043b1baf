import { describe, expect, it, vi } from 'vitest';
import type { Member } from '../../src/cluster/member.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import type { TargetContext } from '../../src/targets/target.js';
import { LEADER_LOOKUP_MS, Targets } from '../../src/targets/targets.js';

// A fake cluster: targets are pure choices over members, no Docker needed.
function fake(n: number, leaderIndex: number | undefined, seed = 1): TargetContext {
  const members = Array.from({ length: n }, (_, i) => ({ name: `etcd-${i + 1}` }) as Member);
  let s = seed;
  return {
    cluster: { members, member: (name: string) => members.find((m) => m.name === name)! } as unknown as StartedCluster,
    refs: new Map(),
    random: () => (s = (s * 16807) % 2147483647) / 2147483647,
    leader: async () => (leaderIndex === undefined ? undefined : members[leaderIndex]),
  };
}
const names = (ms: Member[]): string[] => ms.map((m) => m.name);

describe('Targets', () => {
  it('leader and followers', async () => {
    const ctx = fake(3, 1);
    expect(names(await Targets.leader().resolve(ctx))).toEqual(['etcd-2']);
    const f = await Targets.followers(2).resolve(ctx);
    expect(names(f).sort()).toEqual(['etcd-1', 'etcd-3']);
  });
  it('refuses to target a leader that does not exist, after looking again for LEADER_LOOKUP_MS', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const ctx = fake(3, undefined);
      let asked = 0;
      ctx.leader = async () => void asked++;
      const result = expect(Targets.leader().resolve(ctx)).rejects.toThrow(/no leader to target: none agreed on within 5000 ms/);
      await vi.advanceTimersByTimeAsync(LEADER_LOOKUP_MS + 500);
      await result;
      expect(asked).toBeGreaterThan(10);
    } finally {
      vi.useRealTimers();
    }
  });
  it('a leader that one round of status calls missed is found on the next', async () => {
    const ctx = fake(3, 2);
    const first = ctx.leader;
    let asked = 0;
    ctx.leader = async () => (asked++ === 0 ? undefined : first());
    expect(names(await Targets.leader().resolve(ctx))).toEqual(['etcd-3']);
    expect(asked).toBe(2);
  });
  it('majority is the leader plus enough followers to break quorum', async () => {
    for (const [n, size] of [
      [3, 2],
      [5, 3],
      [7, 4],
    ] as const) {
      const m = await Targets.majority().resolve(fake(n, 0));
      expect(m).toHaveLength(size);
      expect(m[0]!.name).toBe('etcd-1');
    }
  });
  it('untilQuorumLost takes 1 more of 3 and 2 more of 5 after one is down', async () => {
    for (const [n, more] of [
      [3, 1],
      [5, 2],
    ] as const) {
      const ctx = fake(n, 0);
      ctx.refs.set('killed', [ctx.cluster.members[0]!]);
      const picked = await Targets.untilQuorumLost('killed').resolve(ctx);
      expect(picked).toHaveLength(more);
      expect(names(picked)).not.toContain('etcd-1');
    }
  });
  it('the same seed picks the same members (a run replays from its seed)', async () => {
    const a = names(await Targets.followers(2).resolve(fake(5, 0, 42)));
    const b = names(await Targets.followers(2).resolve(fake(5, 0, 42)));
    expect(a).toEqual(b);
  });
  it('ref and except use members remembered by earlier steps', async () => {
    const ctx = fake(3, 0);
    await expect(Targets.ref('victim').resolve(ctx)).rejects.toThrow(/remember: 'victim'/);
    ctx.refs.set('victim', [ctx.cluster.members[2]!]);
    expect(names(await Targets.ref('victim').resolve(ctx))).toEqual(['etcd-3']);
    expect(names(await Targets.except('victim').resolve(ctx))).toEqual(['etcd-1', 'etcd-2']);
  });
});
