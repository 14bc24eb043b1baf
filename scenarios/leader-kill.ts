import { Checks, fail, pass } from '../src/checks/index.js';
import { lastLine, type CommandResult } from '../src/cluster/command-result.js';
import type { Scenario } from '../src/run/scenario.js';
import { probeHealth } from '../src/runbook/health-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';

// Without quorum the same failure reads `context deadline exceeded` or `etcdserver: request timed
// out[, possibly due to previous leader failure]` depending on a race (ground-truth.md point 2):
// match the meaning, not one string.
const TIMED_OUT = /context deadline exceeded|request timed out|no leader/;

export const leaderKill: Scenario = {
  id: 'leader-kill',
  title: 'Kill the leader, then lose quorum, then restart the dead members',
  source: { runbook: 'runbooks.md §1', seed: 'seed 001 §二.3 (停止Leader)' },
  proves:
    'a new leader takes over; without quorum writes fail and serializable reads still answer; restarting heals with no acknowledged write lost',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(20), Steps.startWorkload()],
  assumptions: [Checks.assumeAckedWrites(20)],
  fault: [
    Steps.kill(Targets.leader(), 'killed', 'seed 001 §二.3'),
    Steps.waitForNewLeader('killed'),
    Steps.etcdctl(Targets.except('killed'), ['put', '/drill/after-leader-kill', 'ok'], 'etcdctl put through a survivor', {
      saveAs: 'put-after-kill',
    }),
    Steps.kill(Targets.untilQuorumLost('killed'), 'killed', 'seed 001 §二.3 (stop a second member: quorum lost)'),
    Steps.waitForQuorumLoss('killed'),
    Steps.etcdctl(Targets.except('killed'), ['put', '/drill/no-quorum', 'x'], 'etcdctl put without quorum', { saveAs: 'put-no-quorum' }),
    Steps.etcdctl(
      Targets.except('killed'),
      ['get', '/name/1', '--consistency=s', '--print-value-only'],
      'etcdctl get --consistency=s without quorum',
      {
        saveAs: 'serializable-no-quorum',
      },
    ),
    probeHealth(Targets.except('killed'), 'health-no-quorum', { source: 'seed 004 (curl /health); ground-truth.md §13' }),
  ],
  runbook: [
    Steps.start(Targets.ref('killed'), undefined, 'seed 001 §二.3 (start the stopped members again)'),
    Steps.waitReady('recovery after restart'),
  ],
  checks: [
    Checks.observed('writes work after the leader dies', 'put-after-kill', (r) =>
      (r as CommandResult).ok ? pass('put through a survivor: OK') : fail(`put failed: ${lastLine(r as CommandResult)}`),
    ),
    Checks.observed('writes fail without quorum, with a timeout', 'put-no-quorum', (r) => {
      const res = r as CommandResult;
      return !res.ok && TIMED_OUT.test(res.stderr)
        ? pass(`refused: ${lastLine(res)}`)
        : fail(`expected a timeout, got exit ${res.exitCode}: ${lastLine(res)}`);
    }),
    // Measured: with password auth, `etcdctl --user` must authenticate first, and authenticating is a
    // raft proposal, so without quorum even a serializable read times out. The check asserts what
    // etcd really does in each mode, and says so.
    Checks.observed('serializable reads answer without quorum (unless password auth)', 'serializable-no-quorum', (r, ctx) => {
      const res = r as CommandResult;
      if (ctx.cluster.auth) {
        return !res.ok && TIMED_OUT.test(res.stderr)
          ? pass(
              `with password auth the read fails: etcdctl --user must authenticate, a raft proposal that needs quorum (${lastLine(res)})`,
            )
          : fail(`expected authentication to time out without quorum, got exit ${res.exitCode}: ${lastLine(res)}`);
      }
      return res.ok && res.stdout.trim() === 'test1'
        ? pass('get --consistency=s /name/1 → test1')
        : fail(`exit ${res.exitCode}: ${lastLine(res)}`);
    }),
    // ground-truth.md §1/§13: what monitoring sees on a survivor without quorum.
    Checks.healthAnswers('/health on a survivor without quorum: 503, health false (3.5: RAFT NO LEADER)', 'health-no-quorum', {
      '3.4': { status: 503, body: { health: 'false' } },
      '3.5': { status: 503, body: { health: 'false', reason: 'RAFT NO LEADER' } },
    }),
    Checks.membersHealthy(),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.noAlarms(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title: 'restart the dead members on wiped data dirs, as if "cleaning" them, without member remove/add',
    source: 'seed 004 常见问题 (ground-truth.md §6: `member ... has already been bootstrapped`, or a raft panic)',
    runbook: [Steps.wipe(Targets.ref('killed')), Steps.start(Targets.ref('killed')), Steps.sleep(3000, 'give them time to join')],
    mustFail: ['every member healthy', 'all members agree (revision, hashkv, member list)', 'cluster accepts writes'],
  },
};
