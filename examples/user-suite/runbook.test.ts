// Runbooks in a user's CI: one a YAML file, one built in TypeScript from the library's vocabulary
// (Steps, Targets, Faults, Checks). Each runs on a fresh cluster through the same engine as
// `firedrill run`, and writes its report under reports/.
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { Checks, Faults, Steps, Targets, type Scenario } from 'etcd-firedrill';
import { scenarioTest } from 'etcd-firedrill/vitest';

const here = (p: string): string => relative(process.cwd(), fileURLToPath(new URL(p, import.meta.url)));

scenarioTest(here('./runbooks/restart-follower.yaml'));

const pausedFollower: Scenario = {
  id: 'paused-follower-user',
  title: 'a follower freezes (long GC pause); the cluster goes on; it catches up once thawed',
  source: { runbook: 'our runbook: etcd follower stalls', seed: 'none' },
  proves: 'writes keep working while one follower is frozen, and it has every write once unpaused',
  sizes: [3],
  versions: ['3.5'],
  prepare: [Steps.seedV3(20), Steps.startWorkload()],
  assumptions: [Checks.assumeAckedWrites(20)],
  fault: [Steps.inject(Faults.pause(Targets.followers(1)), 'frozen')],
  runbook: [Steps.sleep(2000, 'the stall lasts a while'), Steps.heal('frozen'), Steps.waitReady('thawed')],
  checks: [Checks.membersHealthy(), Checks.ackedWritesPresent(), Checks.membersAgree(), Checks.acceptsWrites()],
  pitfall: { title: 'never thaw it', source: 'ours', runbook: [], mustFail: ['every member healthy'] },
};

scenarioTest(pausedFollower);
