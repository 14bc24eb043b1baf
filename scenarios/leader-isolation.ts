import { Checks, fail, pass } from '../src/checks/index.js';
import { lastLine, type CommandResult } from '../src/cluster/command-result.js';
import { Faults } from '../src/faults/index.js';
import type { Scenario } from '../src/run/scenario.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';
import { BEYOND, BEYOND_SOURCE, wholeAgain } from './beyond-the-seeds.js';

// Not in runbooks.md: the seeds only kill members. A leader cut off from its peers while it and its
// clients stay up is the failure the seeds' "停止Leader" drill approximates; what differs is that
// the old leader keeps running, keeps answering its clients, and must step down by itself.
const TIMED_OUT = /context deadline exceeded|request timed out|no leader/;

export const leaderIsolation: Scenario = {
  id: 'leader-isolation',
  title: 'Cut the leader off from its peers (beyond the seeds: a network partition, not a dead member)',
  source: BEYOND_SOURCE,
  proves:
    'the isolated leader steps down after its election timeout, the majority elects a new leader and keeps writing, and after heal the old leader rejoins as a follower with no acknowledged write lost',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(20), Steps.startWorkload()],
  assumptions: [Checks.assumeAckedWrites(20)],
  fault: [
    Steps.inject(Faults.isolate(Targets.leader()), 'isolated', `${BEYOND} (iptables in the leader's network namespace)`),
    Steps.mark('during the partition'),
    Steps.waitForFailover('isolated', 'isolated leader stepped down', 'new leader elected after isolating the leader'),
    Steps.etcdctl(
      Targets.ref('isolated'),
      ['put', '/drill/isolated', 'x', '--command-timeout=3s'],
      'etcdctl put on the isolated old leader',
      {
        saveAs: 'put-isolated',
      },
    ),
    Steps.etcdctl(Targets.except('isolated'), ['put', '/drill/majority', 'ok'], 'etcdctl put through the majority', {
      saveAs: 'put-majority',
    }),
  ],
  runbook: [
    Steps.recordLeaderTerm('before heal'),
    Steps.heal('isolated', `${BEYOND} (restore the network)`),
    Steps.mark('after heal'),
    Steps.waitReady('recovery after heal'),
    Steps.recordLeaderTerm('after heal'),
  ],
  checks: [
    Checks.observed('the isolated leader steps down', 'isolated leader stepped down', (ms) =>
      pass(`it no longer called itself leader ${Math.round(ms as number)} ms after the partition`),
    ),
    Checks.observed('the majority elects a new leader', 'new leader elected after isolating the leader', (v) => {
      const { ms, leader, term } = v as { ms: number; leader: string; term: number };
      return pass(`${leader} leads term ${term}, ${Math.round(ms)} ms after the partition`);
    }),
    Checks.observed('the isolated old leader refuses writes', 'put-isolated', (r) => {
      const res = r as CommandResult;
      return !res.ok && TIMED_OUT.test(res.stderr)
        ? pass(`refused: ${lastLine(res)}`)
        : fail(`expected a timeout, got exit ${res.exitCode}: ${lastLine(res)}`);
    }),
    Checks.observed('the majority keeps writing', 'put-majority', (r, ctx) => {
      const res = r as CommandResult;
      const acked = ctx.history.ops.filter((o) => o.mark === 'during the partition' && o.outcome === 'ok').length;
      return res.ok && acked > 0
        ? pass(`etcdctl put OK; ${acked} background writes acknowledged during the partition`)
        : fail(`put exit ${res.exitCode} (${lastLine(res)}); ${acked} background writes acknowledged during the partition`);
    }),
    {
      // Read from each member directly: the write the majority acknowledged during the partition
      // must survive the heal on every member (a member that does not answer fails it too).
      name: 'the write acknowledged by the majority during the partition is on every member',
      async run(ctx) {
        const bad: string[] = [];
        for (const m of ctx.cluster.members) {
          const r = await ctx.etcdctl(m, ['get', '/drill/majority', '--consistency=s', '--print-value-only', '--command-timeout=3s']);
          if (!r.ok || r.stdout.trim() !== 'ok') bad.push(`${m.name}: ${r.ok ? `"${r.stdout.trim()}"` : lastLine(r)}`);
        }
        return bad.length ? fail(`/drill/majority missing or wrong on ${bad.join('; ')}`) : pass('/drill/majority = ok on every member');
      },
    },
    Checks.rejoinedAsFollower('isolated'),
    Checks.healDisruption({ cutOff: 'isolated' }),
    ...wholeAgain(),
  ],
  pitfall: {
    title: 'get writes going on the isolated side: restart the old leader with --force-new-cluster',
    source: `${BEYOND}; --force-new-cluster as in seed 001 §7 (ground-truth.md "--force-new-cluster left on a healthy member")`,
    runbook: [
      Steps.kill(Targets.ref('isolated'), 'isolated'),
      Steps.start(Targets.ref('isolated'), { 'force-new-cluster': true }),
      Steps.heal('isolated'),
      Steps.sleep(3000, 'give the members time to meet again'),
    ],
    mustFail: [
      'the write acknowledged by the majority during the partition is on every member',
      'the isolated old leader rejoins as a follower',
      'all members agree (revision, hashkv, member list)',
    ],
  },
};
