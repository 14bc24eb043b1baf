// A platform team's own suite, written as a user writes it: the package by its name, vitest
// fixtures from `etcd-firedrill/vitest`, a real cluster per test, removed afterwards.
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { clusterTest } from 'etcd-firedrill/vitest';

describe('our service’s assumptions about etcd', () => {
  clusterTest('a write acknowledged before the leader dies is there after the election', async ({ cluster }) => {
    const client = cluster.client();
    await client.put('/app/config').value('v1');
    const { leader } = (await cluster.leader())!;
    await leader.kill();
    const next = await cluster.waitForLeader({ not: leader });
    expect(next.leader).not.toBe(leader);
    expect(await next.leader.client().get('/app/config').string()).toBe('v1');
  });

  // Property-based: whatever keys and values the app writes, a linearizable read returns the last
  // value written to each key. fast-check shrinks a failure to the smallest such history.
  clusterTest('every acknowledged put reads back (fast-check property)', async ({ cluster }) => {
    const client = cluster.client();
    const key = fc.constantFrom('/app/a', '/app/b', '/app/c');
    const value = fc.string({ minLength: 1, maxLength: 16 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 6 }), async (writes) => {
        const last = new Map<string, string>();
        for (const [k, v] of writes) {
          await client.put(k).value(v);
          last.set(k, v);
        }
        for (const [k, v] of last) expect(await client.get(k).string()).toBe(v);
      }),
      { numRuns: 15 },
    );
  });
});

describe('on etcd 3.4', () => {
  // Another cluster for this block: the fixture's spec is a fixture too.
  const test34 = clusterTest.override({ clusterSpec: { members: 3, version: '3.4' } });
  test34('member list names every member', async ({ cluster }) => {
    const r = await cluster.member(1).etcdctl(['member', 'list']);
    expect(r.ok, r.stderr).toBe(true);
    for (const m of cluster.members) expect(r.stdout).toContain(m.name);
    expect(cluster.spec.version).toBe('3.4');
  });
});
