import { Checks, fail, pass } from '../src/checks/index.js';
import { Faults } from '../src/faults/index.js';
import type { Scenario, Step } from '../src/run/scenario.js';
import { memberAdd, memberRemove, startExpectingRejection, stop } from '../src/runbook/membership-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { probeV2Index, v2WritesThrough, type V2IndexProbe } from '../src/runbook/v2-index-steps.js';
import { Targets } from '../src/targets/targets.js';

// The member that falls behind: a follower cut off from its peers (the harness still reaches its
// client port, as monitoring would), so it keeps answering v2 reads from its own, stale store.
const LAGGARD = 'laggard';
const it = Targets.ref(LAGGARD);
const SEED = 'seed 004 (modifyIndex note: 如果发现三个节点的modifyIndex有比较大差异, 说明与master不同的节点已经损坏)';
const SEED_FIX = 'seed 004 (将-initial-cluster-state设置为existing, 并删除当前节点的数据文件, 并重启etcd即可恢复)';
const LAG_WRITES = 20;

const withSource = (step: Step, source: string): Step => ({ ...step, source });

/** While it lags, the cut-off member answers the seed's curl with a lower index than the others. */
const detectedWhileLagging = Checks.observed(
  'the lagging member is seen by its v2 index while it lags',
  'index-while-lagging',
  (v, ctx) => {
    const probe = v as V2IndexProbe;
    const [lag] = ctx.ref(LAGGARD);
    const seen = Object.entries(probe)
      .map(([k, i]) => `${k}=${i}`)
      .join(', ');
    const mine = lag ? probe[lag.name] : undefined;
    const others = Object.entries(probe)
      .filter(([k]) => k !== lag?.name)
      .map(([, i]) => i);
    if (typeof mine !== 'number' || others.some((i) => typeof i !== 'number')) return fail(`not every member answered: ${seen}`, { probe });
    const top = Math.max(...(others as number[]));
    return mine < top && new Set(others).size === 1
      ? pass(`${lag!.name} answers ${mine}, the others ${top}: ${top - mine} behind (${seen})`, { probe })
      : fail(`${lag!.name} is not behind: ${seen}`, { probe });
  },
);

export const v2IndexDivergence: Scenario = {
  id: 'v2-index-divergence',
  title: 'A member falls behind on the v2 index: detect it with seed 004 curl, rebuild it (remove, add, wipe, existing)',
  source: { runbook: 'runbooks.md §12', seed: 'seed 004 (modifyIndex note, last shell block)' },
  proves:
    'GET /v2/keys/<missing key> on every member shows a member that fell behind (X-Etcd-Index lower) while v3 revision and hashkv still agree; removed, re-added, emptied and started with existing it comes back level',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(10), Steps.seedV2(5), probeV2Index('index-before')],
  assumptions: [Checks.assumeAckedWrites(15)],
  fault: [
    Steps.inject(Faults.isolate(Targets.followers(1)), LAGGARD, 'simulation: the member stops receiving raft traffic (see seedClaims)'),
    v2WritesThrough(Targets.except(LAGGARD), LAG_WRITES, '/lag/k'),
    withSource(probeV2Index('index-while-lagging', undefined, { settleExcept: LAGGARD }), SEED),
  ],
  runbook: [
    memberRemove(it, LAGGARD, 'ground-truth.md §6 / seed 000 步骤二 (member list, member remove <id>): the seed skips it'),
    stop(it, 'seed 000 步骤一 (systemctl stop etcd)'),
    Steps.heal(LAGGARD),
    memberAdd(it, LAGGARD, 'seed 000 步骤二.4 (member add <name> --peer-urls=...)'),
    Steps.wipe(it, `${SEED_FIX} (删除当前节点的数据文件)`),
    Steps.start(it, { 'initial-cluster-state': 'existing' }, `${SEED_FIX} (-initial-cluster-state existing, 重启etcd)`),
    withSource(Steps.waitReady('rebuilt member healthy', 30_000), SEED_FIX),
    withSource(probeV2Index('index-after'), SEED),
  ],
  checks: [
    detectedWhileLagging,
    Checks.v2IndexAgree(),
    Checks.membersHealthy(5000),
    Checks.ackedWritesPresent(),
    Checks.v2Keys('present'),
    Checks.membersAgree(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title: 'the member answers and v3 agrees, so leave it: skip the repair',
    source: 'seed 004 (说明与master不同的节点已经损坏, 且这种损坏是无法通过wal追写恢复的: it does not heal by itself)',
    runbook: [withSource(Steps.sleep(2000, 'look again later'), 'seed 004'), withSource(probeV2Index('index-after'), SEED)],
    // v3 revision and hashkv still agree (v2 writes do not touch them): only the v2 index and /health show it.
    mustFail: ['v2 etcd index (X-Etcd-Index of a missing key) agrees on every member', 'every member healthy'],
  },
  asWritten: {
    title: 'the seed word for word: set existing, delete the data files, restart (no member remove/add)',
    source: 'seed 004 (modifyIndex note)',
    quote: '只需要将-initial-cluster-state设置为existing，并删除当前节点的数据文件，并重启etcd即可恢复',
    runbook: [
      stop(it, 'seed 004 (重启etcd: stop it first)'),
      Steps.heal(LAGGARD),
      Steps.wipe(it, `${SEED_FIX} (删除当前节点的数据文件)`),
      startExpectingRejection(
        it,
        { 'initial-cluster-state': 'existing' },
        'seed-repair-start',
        `${SEED_FIX} (-initial-cluster-state existing)`,
        10_000,
      ),
    ],
    mustFail: ['v2 etcd index (X-Etcd-Index of a missing key) agrees on every member', 'every member healthy'],
  },
  seedClaims: [
    {
      seed: 'seed 004 (modifyIndex note)',
      claim:
        "after a v2→v3 upgrade some members' modifyIndex may never update (v2 caches the last 1000 changes; the catch-up from the WAL during the v2 conversion takes long); such a member cannot be repaired by WAL replay",
      reality:
        "NOT reproduced: this harness cannot make that corruption (it runs 3.4.23 and 3.5.16 from the start, no upgrade, and ground truth did not reproduce it either). What it simulates is a member that stops receiving raft traffic (its peers cut off by iptables in its network namespace) while it keeps answering v2 reads from its own store: the seed's curl then shows it behind, exactly as the seed describes the symptom. Unlike the seed's damage, this lag would heal by itself once the traffic flows again; the runbook repairs it anyway, as the seed says to.",
    },
    {
      seed: 'seed 004 (modifyIndex note)',
      claim:
        '只需要将-initial-cluster-state设置为existing, 并删除当前节点的数据文件, 并重启etcd即可恢复 (set existing, delete the data, restart)',
      reality:
        'without member remove + member add first, the emptied member asks the leader for entries it no longer has and panics (`tocommit(N) is out of range [lastIndex(0)]`), see the as-written run and ground-truth.md claim 6. The working repair is the one of runbooks.md §5: remove, add, wipe, start with existing.',
    },
    {
      seed: 'seed 004 (modifyIndex note)',
      claim: 'the index returned is "the current modifyIndex of the system"',
      reality:
        "it is the member's v2 store index (X-Etcd-Index): it moves with v2 writes and etcd's own membership writes, never with v3 puts (ground-truth.md §12), so on a v3-only cluster it says nothing about v3 data; v3 revision and hashkv agreed throughout the lag here.",
    },
  ],
};
