import { Checks, fail, pass } from '../src/checks/index.js';
import { lastLine, type CommandResult } from '../src/cluster/command-result.js';
import { Faults } from '../src/faults/index.js';
import type { Scenario } from '../src/run/scenario.js';
import type { Staleness } from '../src/runbook/network-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';
import { BEYOND, BEYOND_SOURCE, wholeAgain } from './beyond-the-seeds.js';

const TIMED_OUT = /context deadline exceeded|request timed out|no leader/;
// Not in the write history on purpose: it changes under the partition, and the checks compare it
// directly (the value a reader on the minority side gets, against the latest one).
const PROBE = '/drill/stale-probe';
const minority = Targets.except('majority');

export const minorityPartition: Scenario = {
  id: 'minority-partition',
  title: 'Split the cluster into a majority and a minority (beyond the seeds: a network partition)',
  source: BEYOND_SOURCE,
  proves:
    'the minority side refuses writes and linearizable reads while serializable reads there answer with stale data (measured); after heal the minority catches up and nothing acknowledged is lost',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [Steps.seedV3(20), Steps.etcdctl(Targets.all(), ['put', PROBE, 'before'], `etcdctl put ${PROBE} before`), Steps.startWorkload()],
  assumptions: [Checks.assumeAckedWrites(20)],
  fault: [
    Steps.inject(Faults.partition(Targets.majority()), 'majority', `${BEYOND} (iptables in each minority member's namespace)`),
    Steps.mark('during the partition'),
    Steps.waitForNoLeader(minority),
    Steps.etcdctl(Targets.ref('majority'), ['put', PROBE, 'after'], `etcdctl put ${PROBE} after, through the majority`, {
      saveAs: 'put-majority',
    }),
    Steps.etcdctl(minority, ['put', '/drill/minority', 'x', '--command-timeout=3s'], 'etcdctl put on the minority side', {
      saveAs: 'put-minority',
    }),
    Steps.etcdctl(minority, ['get', PROBE, '--command-timeout=3s'], 'etcdctl get (linearizable) on the minority side', {
      saveAs: 'get-minority',
    }),
    Steps.sleep(1000, 'let the majority write on for a while'),
    Steps.measureStaleness(minority, Targets.ref('majority'), PROBE, 'majority'),
  ],
  runbook: [
    Steps.recordLeaderTerm('before heal'),
    Steps.heal('majority', `${BEYOND} (restore the network)`),
    Steps.waitReady('recovery after heal'),
    Steps.recordLeaderTerm('after heal'),
    Steps.etcdctl(minority, ['get', PROBE, '--print-value-only'], `etcdctl get ${PROBE} on the former minority`, {
      saveAs: 'read-minority-after',
    }),
  ],
  checks: [
    Checks.observed('the minority refuses writes', 'put-minority', (r) => {
      const res = r as CommandResult;
      return !res.ok && TIMED_OUT.test(res.stderr) ? pass(`refused: ${lastLine(res)}`) : fail(`exit ${res.exitCode}: ${lastLine(res)}`);
    }),
    Checks.observed('the minority refuses linearizable reads', 'get-minority', (r) => {
      const res = r as CommandResult;
      return !res.ok && TIMED_OUT.test(res.stderr) ? pass(`refused: ${lastLine(res)}`) : fail(`exit ${res.exitCode}: ${lastLine(res)}`);
    }),
    Checks.observed('the majority keeps writing', 'put-majority', (r) => {
      const res = r as CommandResult;
      return res.ok ? pass('etcdctl put OK') : fail(`exit ${res.exitCode}: ${lastLine(res)}`);
    }),
    // Serializable reads are answered from the member's own state: on the minority they answer, and
    // they are stale. How stale is measured, not assumed.
    Checks.observed('serializable reads on the minority answer, stale (measured)', 'staleness', (v) => {
      const s = v as Staleness;
      if (!s.minority) return fail('the serializable read on the minority failed');
      if (!s.majority) return fail('the linearizable read on the majority failed');
      const msg = `minority read "${s.minority.value}" at revision ${s.minority.revision}, majority "${s.majority.value}" at ${s.majority.revision}: ${s.revisionsBehind} revisions and up to ${Math.round(s.msSincePartition)} ms behind`;
      return s.minority.value === 'before' && s.majority.value === 'after' && (s.revisionsBehind ?? 0) > 0 ? pass(msg) : fail(msg);
    }),
    Checks.observed('reads on the former minority return the latest value', 'read-minority-after', (r) => {
      const res = r as CommandResult;
      return res.ok && res.stdout.trim() === 'after'
        ? pass(`${PROBE} = after`)
        : fail(`got "${res.stdout.trim()}" (exit ${res.exitCode}${res.ok ? '' : `: ${lastLine(res)}`}), the latest is "after"`);
    }),
    Checks.healDisruption({ majority: 'majority' }),
    ...wholeAgain(),
  ],
  pitfall: {
    title: 'keep the minority serving: point its readers at --consistency=s instead of restoring the network',
    source: `${BEYOND}; "serializable reads still answer without quorum" (runbooks.md §1) taken as a fix`,
    runbook: [
      Steps.etcdctl(
        minority,
        ['get', PROBE, '--consistency=s', '--print-value-only'],
        `etcdctl get ${PROBE} --consistency=s on the minority`,
        {
          saveAs: 'read-minority-after',
        },
      ),
    ],
    mustFail: ['reads on the former minority return the latest value', 'every member healthy'],
  },
};
