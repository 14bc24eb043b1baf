import { GRPCDeadlineExceededError } from 'etcd3';
import { describe, expect, it } from 'vitest';
import { docker } from '../../src/cluster/docker-client.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import { sharedCluster } from './shared-cluster.js';

// One 3-member cluster per version; the tests run in order and the destructive ones come last.
describe.each(['3.4', '3.5'])('etcd %s, 3 members', (version) => {
  let cluster!: StartedCluster;
  sharedCluster({ members: 3, version }, (c) => (cluster = c));

  it('comes up ready: every member answers, all agree on one leader', async () => {
    const statuses = await cluster.statuses();
    const leaders = new Set([...statuses.values()].map((s) => (s instanceof Error ? s.message : s.leaderId)));
    expect(leaders.size).toBe(1);
    expect(cluster.members.every((m) => m.id && /^[0-9a-f]+$/.test(m.id))).toBe(true);
    expect((await cluster.leader())?.leader).toBeDefined();
    for (const s of statuses.values()) expect(s).not.toBeInstanceOf(Error);
  });

  it('writes and reads back a v3 key (etcdctl and host client) and a v2 key', async () => {
    const m = cluster.member(1);
    const put = await m.etcdctl(['put', '/drill/v3', 'hello']);
    expect(put).toMatchObject({ exitCode: 0, ok: true });
    expect(put.stdout.trim()).toBe('OK');
    expect((await cluster.member(2).etcdctl(['get', '/drill/v3', '--print-value-only'])).stdout.trim()).toBe('hello');
    await cluster.client().put('/drill/host').value('from-host');
    expect(await cluster.member(3).client().get('/drill/host').string()).toBe('from-host');

    const set = await m.etcdctl(['set', '/drill/v2', 'old-api'], { api: 2 });
    expect(set.exitCode).toBe(0);
    const get = await cluster.member(3).etcdctl(['get', '/drill/v2'], { api: 2 });
    expect(get.stdout.trim()).toBe('old-api');
  });

  it('reports a failing etcdctl as data, not an exception', async () => {
    const r = await cluster.member(1).etcdctl(['member', 'remove', 'deadbeef']);
    expect(r.ok).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/member not found/);
  });

  it('a paused member stops answering within a deadline and answers again after unpause', async () => {
    const leader = (await cluster.leader())?.leader;
    const follower = cluster.members.find((m) => m !== leader)!;
    await follower.pause();
    try {
      expect(await follower.state()).toBe('paused');
      await expect(follower.status(800)).rejects.toThrow();
      const client = follower.client({ callTimeoutMs: 800 });
      try {
        await expect(client.get('/drill/v3').string()).rejects.toBeInstanceOf(GRPCDeadlineExceededError);
      } finally {
        client.close();
      }
    } finally {
      await follower.unpause();
    }
    expect((await follower.status(2000)).memberId).toBe(follower.id);
  });

  it('a member restarted with new flags keeps its IP and, with its data dir, its member ID', async () => {
    const m = cluster.member(2);
    const idBefore = m.id;
    await m.stop();
    await m.start({ flags: { 'initial-cluster-state': 'existing', 'snapshot-count': 5000 } });
    await cluster.waitReady();
    const info = await docker().getContainer(m.containerName).inspect();
    expect(Object.values(info.NetworkSettings.Networks)[0]?.IPAddress).toBe(m.ip);
    expect(info.Config.Cmd).toContain('--snapshot-count=5000');
    expect(m.id).toBe(idBefore);
    expect((await m.etcdctl(['get', '/drill/v3', '--print-value-only'])).stdout.trim()).toBe('hello');
    // The logs of the container it had before the restart are kept.
    expect((await m.logs()).split('\n').length).toBeGreaterThan(20);
  });

  it('killing the leader yields a new leader (the time is recorded, not asserted)', async () => {
    const old = (await cluster.leader())!.leader;
    const t0 = performance.now();
    await old.kill();
    const next = await cluster.waitForLeader({ not: old, timeoutMs: 30_000 });
    console.log(`etcd ${version}: new leader ${next.leader.name} ${Math.round(performance.now() - t0)} ms after SIGKILL of ${old.name}`);
    expect(next.leader).not.toBe(old);
    expect(await old.state()).toBe('exited');
    const put = await next.leader.etcdctl(['put', '/drill/after-kill', 'x']);
    expect(put.ok).toBe(true);
    await old.start();
    await cluster.waitReady();
  });

  it('reads, wipes the data dir of a stopped member, and runs one-shot containers on its volume', async () => {
    const m = cluster.member(3);
    await m.stop();
    const files = (await m.readDataDir()).map((e) => e.path);
    expect(files).toContain('data/member/snap/db');
    expect(files.some((f) => f.startsWith('data/member/wal/'))).toBe(true);
    const shot = await m.oneShot(['ls', '/var/lib/etcd/data/member']);
    expect(shot.exitCode).toBe(0);
    expect(shot.stdout).toMatch(/snap/);
    await m.wipeData();
    expect(await m.readDataDir()).toEqual([]);
  });
});
