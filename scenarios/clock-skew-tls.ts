import { Checks, fail, pass } from '../src/checks/index.js';
import type { Verdict } from '../src/checks/verdict.js';
import { lastLine, type CommandResult } from '../src/cluster/command-result.js';
import { Faults } from '../src/faults/index.js';
import type { TermSeen } from '../src/runbook/clock-steps.js';
import type { LogWatch, Reachability } from '../src/runbook/watch-steps.js';
import type { Scenario } from '../src/run/scenario.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';

const SEED = 'seed 004 故障排查 (时钟相差过大导致集群建立不起来…默认1s内时差)';
// 3.4: `published {Name:etcd-2 ...} to cluster`; 3.5: `published local member to cluster through raft`.
const PUBLISHED = /published (local member to cluster|\{Name:)/;
// A member without a leader campaigns: 3.4 `became candidate at term`, 3.5 (pre-vote) `became pre-candidate at term`.
const CAMPAIGNS = /became (pre-)?candidate at term/;
export const REJOIN_CHECK = 'the member rejoins once its clock is fixed';

function rejoined(r: Reachability): Verdict {
  return r.changedAfterMs !== undefined
    ? pass(`${r.member} healthy ${(r.changedAfterMs / 1000).toFixed(1)} s after the reset`, r)
    : fail(`${r.member} still not healthy after ${(r.watchedMs / 1000).toFixed(0)} s: ${r.lastAnswer}`, r);
}

/**
 * Peer TLS, one member's clock 2 h behind: before its certificates' notBefore (issued valid from an
 * hour ago). From start it never joins; skewed at runtime it keeps its established connections and
 * is cut off once they are made anew; after the reset it rejoins.
 */
export const clockSkewTls: Scenario = {
  id: 'clock-skew-tls',
  title: "One member's wall clock 2 h behind, peer TLS: outside its certificates' window it is cut off",
  source: { runbook: 'runbooks.md §7', seed: SEED },
  proves:
    'a member 2 h behind (before its certificates start) never joins when started so, is cut off at runtime once its connections are re-established, and rejoins after the reset; the others keep quorum',
  cluster: { tls: true },
  sizes: [3],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(10), Steps.startWorkload()],
  assumptions: [Checks.assumeAckedWrites(10)],
  fault: [
    // From start: etcd runs under the launcher, 2 h behind from its first instruction.
    Steps.inject(Faults.skewClockFromStart(Targets.followers(1), '-2h'), 'member behind', SEED),
    Steps.watchLog('member behind', PUBLISHED, 'joining the cluster (published)', 'started-behind', 10_000),
    // Isolated, it campaigned: on 3.4 (no pre-vote) each attempt raised its term.
    Steps.recordTerm('term-before'),
    Steps.heal('member behind', 'fix the clock (here: reset the offset)'),
    Steps.watchHealth('member behind', 'healthy', 'rejoin-from-start', 30_000),
    Steps.waitReady('every member healthy again after the reset', 30_000),
    Steps.recordTerm('term-after'),
    // At runtime: established connections survive; new handshakes fail once the peers restart.
    Steps.inject(Faults.skewClock(Targets.ref('member behind'), '-2h'), 'skew at runtime', SEED),
    Steps.watchLog('member behind', CAMPAIGNS, 'an election attempt (leader lost)', 'kept-connections', 3_000),
    Steps.restartPeersOf('member behind'),
    Steps.watchLog('member behind', CAMPAIGNS, 'an election attempt (leader lost)', 'cut-off', 20_000),
    Steps.etcdctl(
      Targets.except('member behind'),
      ['put', '/drill/while-cut-off', 'ok'],
      'etcdctl put through a member that is not skewed',
      {
        saveAs: 'put-while-cut-off',
      },
    ),
  ],
  runbook: [
    Steps.heal('skew at runtime', 'seed 004: fix the clock (here: reset the offset)'),
    Steps.watchHealth('member behind', 'healthy', 'rejoin', 30_000),
  ],
  checks: [
    Checks.observed("a member started 2 h behind (before its certificates' notBefore) never joins", 'started-behind', (v) => {
      const w = v as LogWatch;
      if (w.line) return fail(`${w.member} joined: ${w.line}`, w);
      return w.certErrorCount > 0
        ? pass(
            `${w.member} never published itself in ${(w.watchedMs / 1000).toFixed(0)} s; ${w.certErrorCount} certificate-time errors, e.g. ${w.certErrors[0]}`,
            w,
          )
        : fail(`${w.member} did not join, but no certificate-time error was logged: another cause`, w);
    }),
    Checks.observed('after its clock is reset the member started skewed joins', 'rejoin-from-start', (v) => rejoined(v as Reachability)),
    Checks.observed('skewed at runtime, its established connections keep working', 'kept-connections', (v) => {
      const w = v as LogWatch;
      return w.line
        ? fail(`it lost its leader at once: ${w.line}`, w)
        : pass(`no election attempt in ${(w.watchedMs / 1000).toFixed(0)} s`, w);
    }),
    Checks.observed('once its connections are re-established it is cut off (handshakes fail on its clock)', 'cut-off', (v) => {
      const w = v as LogWatch;
      if (!w.line) return fail(`it never lost its leader in ${(w.watchedMs / 1000).toFixed(0)} s`, w);
      return w.certErrorCount > 0
        ? pass(`cut off ${(w.afterMs! / 1000).toFixed(1)} s after the peers restarted (${w.line.slice(0, 80)}); e.g. ${w.certErrors[0]}`, w)
        : fail(`it lost its leader, but no certificate-time error was logged: ${w.line}`, w);
    }),
    Checks.observed('the other members keep quorum and accept writes', 'put-while-cut-off', (r) => {
      const res = r as CommandResult;
      return res.ok ? pass('put through a member that is not skewed: OK') : fail(`put failed: ${lastLine(res)}`);
    }),
    Checks.observed(REJOIN_CHECK, 'rejoin', (v) => rejoined(v as Reachability)),
    Checks.observed(
      'a member started skewed deposes the leader on its return on 3.4 (no pre-vote), not on 3.5 (pre-vote)',
      'term-after',
      (v, ctx) => {
        const before = ctx.vars.get('term-before') as TermSeen | undefined;
        const after = v as TermSeen;
        if (before?.term === undefined || after.term === undefined)
          return fail(`no leader before or after (${before?.leader}, ${after.leader})`);
        const raised = after.term > before.term;
        const text = `term ${before.term} (${before.leader}) → ${after.term} (${after.leader})`;
        if (ctx.cluster.spec.version === '3.4') return raised ? pass(`3.4: ${text}`) : fail(`3.4 without pre-vote, yet ${text}`);
        return !raised && after.leader === before.leader ? pass(`3.5: ${text}`) : fail(`3.5 has pre-vote, yet ${text}`);
      },
    ),
    Checks.membersHealthy(),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title: 'restart the cut-off member instead of fixing its clock',
    source: `${SEED}: the fix is the clock; a restart keeps the wrong clock`,
    runbook: [Steps.restartMember('member behind'), Steps.watchHealth('member behind', 'healthy', 'rejoin', 10_000)],
    mustFail: [REJOIN_CHECK, 'every member healthy'],
  },
  seedClaims: [
    {
      seed: SEED,
      claim: 'members whose clocks differ by more than 1 s cannot build (form) a cluster; clocks must agree within 1 s',
      reality:
        "true in effect only with TLS, and only when the skew moves a member outside its certificates' validity window (here 2 h behind, before notBefore): started so it never joins; skewed at runtime it keeps its established connections until they are re-established, then is cut off; the others keep quorum; after the reset it rejoins. Clocks 1-3 s apart change nothing but a warning (clock-skew).",
    },
  ],
};
