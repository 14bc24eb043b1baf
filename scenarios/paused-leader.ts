import { Checks, fail, pass } from '../src/checks/index.js';
import { lastLine, type CommandResult } from '../src/cluster/command-result.js';
import { Faults } from '../src/faults/index.js';
import type { Scenario } from '../src/run/scenario.js';
import { UNHEALTHY_RETRY } from '../src/runbook/peer-status.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';
import { BEYOND, BEYOND_SOURCE, wholeAgain } from './beyond-the-seeds.js';

export const pausedLeader: Scenario = {
  id: 'paused-leader',
  title: 'Freeze the leader (docker pause: a long GC pause or a stalled disk), then let it go (beyond the seeds)',
  source: BEYOND_SOURCE,
  proves:
    'while the leader is frozen the others elect a new leader and keep writing; unfrozen, the old leader notices the higher term and rejoins as a follower with no acknowledged write lost',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(20), Steps.startWorkload()],
  assumptions: [Checks.assumeAckedWrites(20)],
  fault: [
    Steps.inject(Faults.pause(Targets.leader()), 'paused', `${BEYOND} (docker pause: the cgroup freezer)`),
    Steps.mark('during the pause'),
    Steps.waitForLeaderOutside('paused', 'new leader elected while the leader is paused'),
    Steps.etcdctl(Targets.except('paused'), ['put', '/drill/during-pause', 'ok'], 'etcdctl put through the others', {
      saveAs: 'put-during-pause',
    }),
  ],
  runbook: [Steps.heal('paused', `${BEYOND} (the stall ends: docker unpause)`), Steps.waitReady('recovery after unpause')],
  checks: [
    Checks.observed('the others elect a new leader', 'new leader elected while the leader is paused', (v) => {
      const { ms, leader, term } = v as { ms: number; leader: string; term: number };
      return pass(`${leader} leads term ${term}, ${Math.round(ms)} ms after the pause`);
    }),
    Checks.observed('the others keep writing', 'put-during-pause', (r) => {
      const res = r as CommandResult;
      return res.ok ? pass('etcdctl put OK') : fail(`put exit ${res.exitCode}: ${lastLine(res)}`);
    }),
    Checks.rejoinedAsFollower('paused'),
    ...wholeAgain(),
  ],
  pitfall: {
    title: 'take the frozen leader for dead: member remove it, then let the stall end as it is',
    source: `${BEYOND}; member remove as in seed 000 (replacing a failed member), without the rest of that procedure`,
    runbook: [
      Steps.etcdctl(
        Targets.except('paused'),
        (ctx) => ['member', 'remove', ctx.ref('paused')[0]?.id ?? 'unknown'],
        'etcdctl member remove <the frozen leader> through a survivor',
        // 3.5 answers `unhealthy cluster` for a few seconds after the failover (it counts peers
        // connected for 5 s): an operator retries, as in stale-data-dir-rejoin.
        { retry: UNHEALTHY_RETRY },
      ),
      Steps.heal('paused'),
      Steps.sleep(3000, 'give the unfrozen member time to hear from its peers'),
    ],
    mustFail: ['the paused old leader rejoins as a follower', 'every member healthy'],
  },
};
