import { Checks, fail, pass } from '../src/checks/index.js';
import { Faults } from '../src/faults/index.js';
import type { Scenario } from '../src/run/scenario.js';
import { latencyKey, type LatencySample } from '../src/runbook/latency-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';
import { BEYOND, BEYOND_SOURCE, wholeAgain } from './beyond-the-seeds.js';

// One way, on every raft connection of the slow member: a write that must wait for it pays at least
// a round trip, 2 × DELAY_MS. Far above a put's usual few ms, so the checks below compare against
// the injected delay, not against a tuned timing.
const DELAY_MS = 250;
const sample = (ctx: { vars: Map<string, unknown> }, label: string): LatencySample | undefined =>
  ctx.vars.get(latencyKey(label)) as LatencySample | undefined;

export const slowFollower: Scenario = {
  id: 'slow-follower',
  title: `One follower behind a slow network, ${DELAY_MS} ms each way (beyond the seeds: delay through the peer proxy)`,
  source: BEYOND_SOURCE,
  proves:
    'with one slow follower the cluster keeps serving and commits at the speed of the fastest quorum (added write latency measured); the leader stays off the slow member',
  cluster: { peerProxy: true },
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(20), Steps.startWorkload(), Steps.measureWriteLatency('before the delay')],
  assumptions: [Checks.assumeAckedWrites(20)],
  fault: [
    Steps.inject(Faults.delay(Targets.followers(1), DELAY_MS), 'slow', `${BEYOND} (peer proxy: ${DELAY_MS} ms each way)`),
    Steps.sleep(500, 'let queued peer traffic feel the delay'),
    Steps.measureWriteLatency('with a slow follower'),
    Steps.reportAddedLatency('before the delay', 'with a slow follower', DELAY_MS),
  ],
  runbook: [
    Steps.etcdctl(Targets.all(), ['endpoint', 'status', '-w', 'table'], 'etcdctl endpoint status --cluster: where is the leader?', {
      endpoints: 'all',
      source: `${BEYOND} (endpoint status, as in seed 004's health probes)`,
    }),
    Steps.moveLeaderOff('slow', `${BEYOND} (keep the leader off the slow member)`),
    Steps.measureWriteLatency('after the procedure'),
    Steps.heal('slow', `${BEYOND} (fix the network)`),
    Steps.waitReady('recovery after heal'),
  ],
  checks: [
    Checks.observed('the cluster keeps serving with a slow follower', latencyKey('with a slow follower'), (v, ctx) => {
      const s = v as LatencySample;
      const base = sample(ctx, 'before the delay');
      const msg = `${s.ok}/${s.n} puts through ${s.leader} OK, median ${s.medianMs.toFixed(1)} ms (before the delay ${base?.medianMs.toFixed(1) ?? '?'} ms; ${(s.medianMs - (base?.medianMs ?? NaN)).toFixed(1)} ms added by ${DELAY_MS} ms of delay)`;
      return s.ok === s.n ? pass(msg) : fail(msg);
    }),
    {
      name: 'the leader is not behind a slow link',
      async run(ctx) {
        const leader = await ctx.leader();
        if (!leader) return fail('no leader');
        const slow = ctx.ref('slow');
        return slow.includes(leader)
          ? fail(`the leader ${leader.name} is the slow member`)
          : pass(`leader ${leader.name}; slow: ${slow.map((m) => m.name).join(', ')}`);
      },
    },
    Checks.observed('writes through the leader do not wait for the slow link', latencyKey('after the procedure'), (v) => {
      const s = v as LatencySample;
      const msg = `median ${s.medianMs.toFixed(1)} ms through ${s.leader} while the delay was in force (a write behind the slow link waits at least ${2 * DELAY_MS} ms)`;
      return s.ok === s.n && s.medianMs < DELAY_MS ? pass(msg) : fail(msg);
    }),
    ...wholeAgain(),
  ],
  pitfall: {
    title: 'restart the healthy followers for maintenance while a follower is slow: the quorum now needs the slow one',
    source: `${BEYOND}; a rolling restart (systemctl stop etcd) of the members that look fine`,
    runbook: [
      Steps.etcdctl(Targets.all(), ['endpoint', 'health'], 'etcdctl endpoint health --cluster: every member looks fine', {
        endpoints: 'all',
      }),
      {
        name: 'systemctl stop etcd on as many healthy followers as the quorum can spare',
        async run(ctx) {
          const leader = await ctx.leader();
          const slow = ctx.ref('slow');
          const healthy = ctx.cluster.members.filter((m) => m !== leader && !slow.includes(m));
          const spare = ctx.cluster.members.length - (Math.floor(ctx.cluster.members.length / 2) + 1);
          const stopped = healthy.slice(0, spare);
          await Promise.all(stopped.map((m) => m.stop()));
          ctx.refs.set('maintenance', stopped);
          ctx.note(`stopped ${stopped.map((m) => m.name).join(', ')}`);
        },
      },
      Steps.measureWriteLatency('after the procedure'),
      Steps.start(Targets.ref('maintenance')),
      Steps.waitReady('back from maintenance'),
    ],
    mustFail: ['writes through the leader do not wait for the slow link'],
  },
};
