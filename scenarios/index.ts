// The one registry of scenarios: one line per runbook entry (runbooks.md), then the drills beyond the seeds.
import type { Scenario } from '../src/run/scenario.js';
import { authInvalidToken } from './auth-invalid-token.js';
import { certExpiry } from './cert-expiry.js';
import { clockSkew } from './clock-skew.js';
import { clockSkewTls } from './clock-skew-tls.js';
import { leaderIsolation } from './leader-isolation.js';
import { leaderKill } from './leader-kill.js';
import { majorityLossNoBackup } from './majority-loss-no-backup.js';
import { majorityLossSnapshotRestore } from './majority-loss-snapshot-restore.js';
import { memberMigrate } from './member-migrate.js';
import { memberReplace } from './member-replace.js';
import { minorityPartition } from './minority-partition.js';
import { pausedLeader } from './paused-leader.js';
import { quotaExhaustion } from './quota-exhaustion.js';
import { scaleOutIn } from './scale-out-in.js';
import { singleToThree } from './single-to-three.js';
import { slowFollower } from './slow-follower.js';
import { staleDataDirRejoin } from './stale-data-dir-rejoin.js';
import { v2BackupForceNewCluster } from './v2-backup-force-new-cluster.js';
import { v2IndexDivergence } from './v2-index-divergence.js';

export const SCENARIOS: readonly Scenario[] = [
  // runbooks.md §1-§12, in its order
  leaderKill,
  majorityLossSnapshotRestore,
  majorityLossNoBackup,
  quotaExhaustion,
  staleDataDirRejoin,
  memberReplace,
  clockSkew,
  clockSkewTls,
  authInvalidToken,
  v2BackupForceNewCluster,
  memberMigrate,
  scaleOutIn,
  singleToThree,
  v2IndexDivergence,
  // beyond the seeds: the classic TLS outage, network faults and freezes
  certExpiry,
  leaderIsolation,
  minorityPartition,
  pausedLeader,
  slowFollower,
];

/** The headline set the main job runs. */
export const HEADLINE = ['leader-kill', 'majority-loss-snapshot-restore', 'quota-exhaustion', 'stale-data-dir-rejoin'];
