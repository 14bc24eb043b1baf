// The one registry of scenarios: one line per runbook entry (runbooks.md).
import type { Scenario } from '../src/run/scenario.js';
import { authInvalidToken } from './auth-invalid-token.js';
import { certExpiry } from './cert-expiry.js';
import { clockSkewTls } from './clock-skew-tls.js';
import { clockSkew } from './clock-skew.js';
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
  leaderKill,
  majorityLossSnapshotRestore,
  quotaExhaustion,
  staleDataDirRejoin,
  authInvalidToken,
  majorityLossNoBackup,
  v2BackupForceNewCluster,
  v2IndexDivergence,
  memberReplace,
  clockSkew,
  clockSkewTls,
  leaderIsolation,
  minorityPartition,
  pausedLeader,
  slowFollower,
  certExpiry,
  memberMigrate,
  scaleOutIn,
  singleToThree,
];

/** The headline set the main job runs. */
export const HEADLINE = ['leader-kill', 'majority-loss-snapshot-restore', 'quota-exhaustion', 'stale-data-dir-rejoin'];
