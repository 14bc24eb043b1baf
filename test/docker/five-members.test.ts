import { describe, expect, it } from 'vitest';
import { startCluster } from '../../src/cluster/start-cluster.js';

describe.each(['3.4', '3.5'])('etcd %s, 5 members', (version) => {
  it('comes up ready and survives losing two members, leader first', async () => {
    await using cluster = await startCluster({ members: 5, version });
    expect(cluster.members).toHaveLength(5);
    const old = (await cluster.leader())!.leader;
    const follower = cluster.members.find((m) => m !== old)!;
    const t0 = performance.now();
    await Promise.all([old.kill(), follower.kill()]);
    const next = await cluster.waitForLeader({ not: old, among: cluster.members.filter((m) => m !== old && m !== follower) });
    console.log(`etcd ${version} x5: new leader ${next.leader.name} ${Math.round(performance.now() - t0)} ms after killing 2 of 5`);
    expect(next.leader).not.toBe(old);
    expect((await next.leader.etcdctl(['put', '/five', 'ok'])).ok).toBe(true);
  });
});
