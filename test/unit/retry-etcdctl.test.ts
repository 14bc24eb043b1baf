import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src/cluster/command-result.js';
import type { Member } from '../../src/cluster/member.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import { RunContext } from '../../src/run/run-context.js';

const result = (ok: boolean): CommandResult => ({
  command: 'etcdctl member add',
  where: 'etcd-1',
  startedAt: '2026-12-01T00:00:00.000Z',
  exitCode: ok ? 0 : 1,
  stdout: ok ? 'Member 1 added' : '',
  stderr: ok ? '' : 'Error: etcdserver: unhealthy cluster',
  durationMs: 1,
  timedOut: false,
  ok,
});

/** A member whose etcdctl answers `unhealthy cluster` to its first `refusals` calls, then succeeds. */
function fake(refusals: number): { member: Member; calls: () => number } {
  let calls = 0;
  const member = { etcdctl: async () => result(++calls > refusals) } as unknown as Member;
  return { member, calls: () => calls };
}

const ctx = (): RunContext => new RunContext({} as StartedCluster, 1, () => {}, performance.now());
const retryOn = /unhealthy cluster/;

describe('RunContext.retryEtcdctl', () => {
  it('gives up at the deadline with the last refusal (a non-zero exit is data, not an exception)', async () => {
    const { member, calls } = fake(Infinity);
    const r = await ctx().retryEtcdctl(member, ['member', 'add'], { retryOn, timeoutMs: 0, intervalMs: 1 });
    expect(r.ok).toBe(false);
    expect(calls()).toBe(1);
  });

  it('runs unstick once, when still refused after afterMs, then tries at least once more', async () => {
    const { member, calls } = fake(1);
    let unstuck = 0;
    const r = await ctx().retryEtcdctl(member, ['member', 'add'], {
      retryOn,
      timeoutMs: 0,
      intervalMs: 1,
      unstick: { afterMs: 0, run: async () => void unstuck++ },
    });
    expect(unstuck).toBe(1);
    expect(r.ok).toBe(true);
    expect(calls()).toBe(2);
  });

  it('does not unstick before afterMs, nor twice', async () => {
    const early = fake(2);
    let unstuck = 0;
    const opts = { retryOn, timeoutMs: 50, intervalMs: 1, unstick: { afterMs: 60_000, run: async () => void unstuck++ } };
    expect((await ctx().retryEtcdctl(early.member, ['x'], opts)).ok).toBe(true);
    expect(unstuck).toBe(0);
    const stuck = fake(Infinity);
    const r = await ctx().retryEtcdctl(stuck.member, ['x'], {
      ...opts,
      timeoutMs: 20,
      unstick: { afterMs: 0, run: async () => void unstuck++ },
    });
    expect(r.ok).toBe(false);
    expect(unstuck).toBe(1);
  });

  it('returns at once on a result that is not the one to retry on', async () => {
    const member = { etcdctl: async () => ({ ...result(false), stderr: 'Error: member not found' }) } as unknown as Member;
    const r = await ctx().retryEtcdctl(member, ['x'], { retryOn, timeoutMs: 60_000, intervalMs: 1 });
    expect(r.stderr).toContain('member not found');
  });
});
