import { describe, expect, it } from 'vitest';
import { startCluster } from '../../src/cluster/start-cluster.js';
import type { StartedCluster } from '../../src/cluster/started-cluster.js';
import { EXPLORE_QUOTA_BYTES } from '../../src/explore/explore-cluster-spec.js';
import type { CommandSpec } from '../../src/explore/command.js';
import { commandFromSpec } from '../../src/explore/command-spec.js';
import { resetCluster } from '../../src/explore/reset.js';
import { runSchedule, type ScheduleResult } from '../../src/explore/run-schedule.js';

// What exploration found with `--faults …,fill-quota` (README, "Finding: the quota runbook with a
// member down"): the quota runbook (compact, defrag, alarm disarm) run while a member is down
// leaves that member without room. When it returns it replays the fill into its own db file, and
// compaction frees space inside the file without shrinking it: its DB SIZE is at the quota.
// Whether it also raises NOSPACE again (for the whole cluster) is a matter of a few pages either
// way: reported, not asserted. Defragmenting it (and disarming) is the fix. The control: the same
// runbook with every member up leaves room everywhere. A fresh cluster each, as layouts matter.

const spec = { members: 3, version: '3.5', timing: 'fast', flags: { 'quota-backend-bytes': EXPLORE_QUOTA_BYTES } } as const;
const ROOM = "every member's db is at most 50% of the quota";
const verdict = (r: ScheduleResult, name: string) => r.checks.find((c) => c.name === name)?.verdict;

async function run(cluster: StartedCluster, specs: CommandSpec[]): Promise<ScheduleResult> {
  const names = cluster.members.map((m) => m.name);
  const r = await runSchedule(
    cluster,
    specs.map((s) => commandFromSpec(s, names)),
    { index: 1, seed: 1 },
  );
  console.log(
    [`${r.status} ${r.schedule.join(', ')}`, ...r.log.map((l) => `  ${l.command}: ${l.text}`), ...r.failures.map((f) => `  ✗ ${f}`)].join(
      '\n',
    ),
  );
  return r;
}

describe('the quota runbook in a fault schedule (3 members, 3.5, fast timing, 16 MiB quota)', () => {
  it('with every member up, fill to NOSPACE then the runbook: every invariant holds, room on every member', async () => {
    await using cluster = await startCluster(spec);
    const r = await run(cluster, [{ type: 'fill-quota' }, { type: 'recover-quota' }]);
    expect(r.log[0]!.text).toMatch(/database space exceeded/);
    expect(r.log[1]!.text).toMatch(/^compact \d+: exit 0; defrag 3 endpoints: exit 0; alarm disarm: exit 0$/);
    expect(r.failures).toEqual([]);
    expect(verdict(r, ROOM)?.status).toBe('pass');
    expect((await resetCluster(cluster)).problems).toEqual([]);
  });

  it('with a member down during the runbook, that member returns with no room under the quota; defrag it and disarm: room again', async () => {
    await using cluster = await startCluster(spec);
    const down = cluster.members.find((m) => m.name !== 'etcd-1')!;
    const r = await run(cluster, [{ type: 'kill', member: down.name }, { type: 'fill-quota' }, { type: 'recover-quota' }]);
    expect(r.log[2]!.text).toMatch(/defrag 3 endpoints: exit 1/); // the down member's defrag fails
    expect(verdict(r, ROOM)?.status).toBe('fail');
    expect(verdict(r, ROOM)?.message).toMatch(new RegExp(`^${down.name} past 50%`));
    expect(verdict(r, 'acknowledged writes present on every member')?.status).toBe('pass'); // refused, never lost
    console.log(`NOSPACE raised again: ${verdict(r, 'no alarms')?.status === 'fail' ? 'yes' : 'no'} (${verdict(r, 'no alarms')?.message})`);
    // The fix: defragment the member that was down, then disarm (harmless when nothing is raised).
    expect((await down.etcdctl(['defrag'])).ok).toBe(true);
    expect((await down.etcdctl(['alarm', 'disarm'])).ok).toBe(true);
    await cluster.waitReady({ timeoutMs: 20_000 });
    expect((await down.status(3000)).dbSize).toBeLessThan(EXPLORE_QUOTA_BYTES / 2);
    expect((await down.etcdctl(['put', '/after-fix', 'x'])).ok).toBe(true);
  });
});
