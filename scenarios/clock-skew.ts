import { Checks, fail, pass } from '../src/checks/index.js';
import type { Verdict } from '../src/checks/verdict.js';
import { Faults } from '../src/faults/index.js';
import type { ElectionsSeen, WarningsSeen } from '../src/runbook/clock-steps.js';
import type { LeaseTimer } from '../src/runbook/lease-timer-steps.js';
import type { Reachability } from '../src/runbook/watch-steps.js';
import type { RunContext } from '../src/run/run-context.js';
import type { Scenario, Step } from '../src/run/scenario.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';

const SEED = 'seed 004 故障排查 (时钟相差过大导致集群建立不起来…默认1s内时差)';
export const WARNING_CHECK = 'only the member ahead logs the clock-difference warning, about every peer';

// The observation that follows any skew: etcd's 30 s clock check has its turn, the lease granted
// before the skew expires, then elections with the skewed member.
const observe = (graceMs = 0): Step[] => [
  Steps.waitForClockWarnings(Targets.ref('member ahead'), 'warnings', { graceMs }),
  Steps.awaitLease('lease'),
  Steps.electionsWithSkewed('member ahead', 'elections'),
];

/** Who warned: the members of `ahead` about every peer, nobody else. */
export function judgeWarnings(seen: WarningsSeen, ahead: readonly string[]): Verdict {
  const names = Object.keys(seen.byMember);
  const others = names.filter((n) => !ahead.includes(n) && (seen.byMember[n]?.length ?? 0) > 0);
  const missing = ahead.filter((n) => {
    const peers = new Set((seen.byMember[n] ?? []).map((w) => w.peer));
    return peers.size < names.length - 1;
  });
  const drifts = ahead.flatMap((n) => (seen.byMember[n] ?? []).map((w) => w.drift));
  if (others.length) return fail(`members whose clock is not ahead warned too: ${others.join(', ')}`, seen);
  if (missing.length) {
    return fail(
      `${missing.join(', ')} did not warn about every peer within ${Math.round(seen.waitedMs / 1000)} s (warnings: ${drifts.length})`,
      seen,
    );
  }
  return pass(
    `${ahead.join(', ')} warned ${Math.round((seen.firstMs ?? 0) / 1000)} s after the skew (drift ${[...new Set(drifts)].slice(0, 3).join(', ')}); no other member warned`,
    seen,
  );
}

export const LEASE_CHECK = 'a 10 s lease granted on the leader just before its clock jumps 2 s ahead never expires early (on 3.5: on time)';

/**
 * A lease granted just before the leader's wall clock jumps must never expire early (a lock held
 * under it would be handed out twice). Measured here: 3.5.16 expires it on time (10.4 s after
 * +2 s, +5 s and -2 s jumps); 3.4.23 late (15.2-15.5 s after +2 s in 6 runs, 12.5 s after +5 s,
 * 12.4 s after -2 s). The direction fits their lessors: 3.4 queues expiries as wall-clock
 * nanoseconds (UnixNano) and re-queues an early wake-up 3 s later, 3.5 queues time.Time and
 * compares with Before (monotonic). That alone would predict about 11 s for +2 s, not 15 s, so
 * how late 3.4 is stays a measurement: on 3.4 (and other images) only an early expiry fails, and
 * the verdict says how late it was. 3.5 must be on time.
 */
export function judgeLeaseAfterJump(t: LeaseTimer, version: string): Verdict {
  if (t.expiredAfterMs === undefined) return fail(t.error ?? 'the lease never expired', t);
  const s = (t.expiredAfterMs / 1000).toFixed(1);
  if (t.expiredAfterMs < 9_500) return fail(`expired after ${s} s: early, before its 10 s TTL`, t);
  const onTime = t.expiredAfterMs <= 12_500;
  // A leader change renews the lease (a full TTL from the new leader's promotion): late for that
  // reason is not the clock's doing. Reported, and only "never early" is asserted.
  const newLeader = t.termAtGrant !== undefined && t.termAtExpiry !== undefined && t.termAtExpiry > t.termAtGrant;
  if (!onTime && newLeader)
    return pass(
      `expired after ${s} s: never early; late, but a new leader (term ${t.termAtGrant} → ${t.termAtExpiry}) renewed it, so on-time is not judged`,
      t,
    );
  if (version === '3.5')
    return onTime
      ? pass(`expired after ${s} s, on time (granted on ${t.grantedOn})`, t)
      : fail(`expired after ${s} s, late: 3.5.16 measured 10.4 s`, t);
  const how = onTime ? 'on time' : "late (3.4's lease queue runs on the wall clock; 3.4.23 measured 15.2-15.5 s)";
  return pass(`expired after ${s} s: never early, ${how}${version === '3.4' ? '' : ` (version ${version})`}`, t);
}

function aheadNames(ctx: RunContext): string[] {
  return ctx.ref('member ahead').map((m) => m.name);
}

/**
 * Seed 004 says members whose clocks are more than 1 s apart cannot form a cluster. A member's wall
 * clock is really moved (its vDSO patched: only that etcd sees it), 2 s ahead, and what etcd does
 * is recorded. Plain HTTP; the TLS story is clock-skew-tls.
 */
export const clockSkew: Scenario = {
  id: 'clock-skew',
  title: "One member's wall clock 2 s ahead (plain HTTP): only a warning, nothing breaks",
  source: { runbook: 'runbooks.md §7', seed: SEED },
  proves:
    'only the member ahead warns, only above 1 s; a 10 s lease granted on the leader just before its clock jumps never expires early (on 3.4 it was about 5 s late, measured, not asserted); elections, writes and a member started 3 s ahead all work',
  sizes: [3],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(10), Steps.startWorkload()],
  assumptions: [Checks.assumeAckedWrites(10)],
  fault: [
    // Granted before the jump, on the member that jumps: were the leader's lessor timing it by the
    // wall clock, the lease would go 2 s early. Granted after the jump it would prove nothing.
    Steps.startLeaseTimer(Targets.leader(), 10, 'lease', 'lease holder'),
    Steps.inject(Faults.skewClock(Targets.ref('lease holder'), '+2s'), 'member ahead', SEED),
    Steps.clockChanged(),
  ],
  runbook: [
    ...observe(),
    Steps.heal('member ahead', 'seed 004: bring the clocks together (here: the offset reset)'),
    // The seed's claim is about forming: a member whose etcd starts with its clock 3 s ahead.
    Steps.inject(Faults.skewClockFromStart(Targets.followers(1), '+3s'), 'member started ahead', SEED),
    Steps.watchHealth('member started ahead', 'healthy', 'started-ahead-joined', 30_000),
    Steps.heal('member started ahead'),
  ],
  checks: [
    Checks.observed(WARNING_CHECK, 'warnings', (v, ctx) => judgeWarnings(v as WarningsSeen, aheadNames(ctx))),
    Checks.observed(LEASE_CHECK, 'lease', (v, ctx) => judgeLeaseAfterJump(v as LeaseTimer, ctx.cluster.spec.version)),
    Checks.observed(
      'elections work with the skewed member: a new leader, its clock re-applied on restart, leadership moved back',
      'elections',
      (v) => {
        const e = v as ElectionsSeen;
        const problems = [
          ...(e.newLeader && e.newLeader !== e.stoppedLeader ? [] : ['no new leader']),
          ...(e.offsetAfterRestart === e.expectedOffset
            ? []
            : [`offset after restart ${e.offsetAfterRestart} ns, wanted ${e.expectedOffset}`]),
          ...(e.movedBackTo === e.stoppedLeader ? [] : [`leadership not moved back (${e.movedBackTo ?? 'none'})`]),
          ...e.errors,
        ];
        return problems.length
          ? fail(problems.join('; '), e)
          : pass(`${e.newLeader} elected in ${e.electionMs} ms; ${e.stoppedLeader} back at ${e.offsetAfterRestart} ns and leader again`, e);
      },
    ),
    Checks.observed('a member whose etcd starts 3 s ahead joins and serves', 'started-ahead-joined', (v) => {
      const r = v as Reachability;
      return r.changedAfterMs !== undefined
        ? pass(`${r.member} healthy ${(r.changedAfterMs / 1000).toFixed(1)} s after its skewed start`, r)
        : fail(`${r.member} not healthy after ${r.watchedMs} ms: ${r.lastAnswer}`, r);
    }),
    Checks.membersHealthy(),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title:
      "count on etcd to report any skew that matters: set the member ahead to +900 ms (inside the seed's 1 s) and wait for the warning",
    source: `${SEED}; etcd warns only above 1 s (rafthttp/probing_status.go)`,
    runbook: [
      Steps.inject(Faults.skewClock(Targets.ref('member ahead'), '+900ms'), 'member ahead'),
      Steps.clockChanged(),
      ...observe(5_000),
    ],
    mustFail: [WARNING_CHECK],
  },
  seedClaims: [
    {
      seed: SEED,
      claim: 'members whose clocks differ by more than 1 s cannot build (form) a cluster; clocks must agree within 1 s',
      reality:
        "false on plain HTTP: a member 2 s ahead (at runtime) and a member started 3 s ahead both serve; the only effect is a warning logged by the member whose clock is ahead (3.4 `the clock difference against peer … is too high`, 3.5 `prober found high clock drift`), within ~30 s, only above 1 s; elections and writes are unaffected; a lease never expires early, but on 3.4 a wall-clock jump on the leader right after the grant makes it late (10 s lease gone after 15.2-15.5 s for +2 s; 3.5 on time at 10.4 s). With peer TLS a skew that moves a member outside its certificates' validity window does cut it off: see clock-skew-tls.",
    },
  ],
};
