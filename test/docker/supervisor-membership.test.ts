import { describe, expect, it } from 'vitest';
import { docker } from '../../src/cluster/docker-client.js';
import { LABEL_RUN } from '../../src/cluster/labels.js';
import type { Member } from '../../src/cluster/member.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import { parseMemberList } from '../../src/runbook/member-list.js';
import { reconfigure } from './reconfigure.js';
import { sharedCluster } from './shared-cluster.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function removeMember(via: Member, m: Member): Promise<void> {
  const row = parseMemberList((await via.etcdctl(['member', 'list'])).stdout).find((r) => r.name === m.name);
  expect(row).toBeDefined();
  await reconfigure(via, ['member', 'remove', row!.id]);
}

async function waitExited(m: Member, timeoutMs = 10_000): Promise<void> {
  const t0 = performance.now();
  while ((await m.state()) !== 'exited' && performance.now() - t0 < timeoutMs) await pause(100);
}

// Ground-truth.md point 9, on real etcd: a removed member exits with code 0, so a supervisor that
// restarts only failures leaves it down, and one that restarts always brings it back to exit again.
describe.each(['3.4', '3.5'])('etcd %s: supervisors (restart policies) and membership', (version) => {
  let cluster!: StartedCluster;
  sharedCluster({ members: 3, version }, (c) => (cluster = c));

  it('a removed member exits 0: on-failure leaves it down, always restarts it and it exits 0 again', async () => {
    const [a, b, c] = [cluster.member(1), cluster.member(2), cluster.member(3)];
    await c.supervise('on-failure');
    await b.supervise('always');
    expect((await c.restarts()).policy).toBe('on-failure');

    await removeMember(a, c);
    await waitExited(c);
    await pause(1500); // time for a supervisor to act
    expect(await c.state()).toBe('exited');
    expect(await c.exitCode()).toBe(0);
    expect((await c.restarts()).count).toBe(0);

    await removeMember(a, b);
    const t0 = performance.now();
    while ((await b.restarts()).count < 2 && performance.now() - t0 < 15_000) await pause(200);
    const r = await b.restarts();
    expect(r.policy).toBe('always');
    expect(r.count).toBeGreaterThanOrEqual(2);
    // Each restart ends the same way ("permanently removed", code 0): catch it between two runs.
    const t1 = performance.now();
    while ((await b.state()) === 'running' && performance.now() - t1 < 10_000) await pause(20);
    expect(await b.exitCode()).toBe(0);
    expect((await b.logLines()).some((l) => /permanently removed/.test(l.text))).toBe(true);
  });

  it('addMember puts a new host on the next free IP, labelled with the run; retire keeps its log', async () => {
    const a = cluster.member(1);
    // Only etcd-1 is left: give the removed ones back their hosts' silence first.
    for (const m of cluster.members.filter((x) => x !== a)) {
      await m.supervise('no');
      await m.stop();
      cluster.retire(m);
    }
    // If the leader was one of the removed members, etcd-1 must elect itself first.
    await cluster.waitReady({ timeoutMs: 20_000 });
    const n = await cluster.addMember();
    expect(n.name).toBe('etcd-4');
    expect(n.ip).toBe(`${cluster.network.prefix}.14`);
    expect(n.currentFlags['initial-cluster-state']).toBe('existing');
    expect(n.currentFlags['initial-cluster']).toBe(`etcd-1=${a.peerUrl},etcd-4=${n.peerUrl}`);
    const labels = (await docker().getContainer(n.containerName).inspect()).Config.Labels;
    expect(labels[LABEL_RUN]).toBe(cluster.runId);

    expect(await reconfigure(a, ['member', 'add', n.name, `--peer-urls=${n.peerUrl}`])).toMatch(/Member +[0-9a-f]+ added/);
    await n.start();
    await cluster.waitReady({ timeoutMs: 30_000 });
    expect(cluster.members.map((m) => m.name)).toEqual(['etcd-1', 'etcd-4']);
    expect(Object.keys(await cluster.logs()).sort()).toEqual(['etcd-1', 'etcd-2', 'etcd-3', 'etcd-4']);
  });
});

describe('etcd 3.5, TLS: a new host gets a certificate for its IP', () => {
  let cluster!: StartedCluster;
  sharedCluster({ members: 1, version: '3.5', tls: true }, (c) => (cluster = c));

  it('joins over https with peer and client certificate auth', async () => {
    const a = cluster.member(1);
    const n = await cluster.addMember();
    expect(n.peerUrl).toBe(`https://${n.ip}:2380`);
    expect(await reconfigure(a, ['member', 'add', n.name, `--peer-urls=${n.peerUrl}`])).toMatch(/Member +[0-9a-f]+ added/);
    await n.start();
    await cluster.waitReady({ timeoutMs: 30_000 });
    expect((await n.health(2000)).healthy).toBe(true);
    expect((await n.etcdctl(['endpoint', 'health'])).ok).toBe(true);
  });
});
