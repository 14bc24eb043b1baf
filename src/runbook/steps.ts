// The one registry of operator steps: a scenario names them as Steps.<name>(...).
import { choose } from './choose-step.js';
import { clockChanged, electionsWithSkewed, recordTerm, restartMember, restartPeersOf, waitForClockWarnings } from './clock-steps.js';
import { mark, seedV2, seedV3, startWorkload } from './data-steps.js';
import { etcdctl } from './etcdctl-step.js';
import { heal, inject } from './fault-steps.js';
import { awaitLease, startLeaseTimer } from './lease-timer-steps.js';
import { measureWriteLatency, moveLeaderOff, moveLeaderTo, reportAddedLatency } from './latency-steps.js';
import { kill, sleep, start, waitForNewLeader, waitForQuorumLoss, waitReady, wipe } from './member-steps.js';
import { measureStaleness, recordLeaderTerm, waitForFailover, waitForLeaderOutside, waitForNoLeader } from './network-steps.js';
import { watchHealth, watchLog } from './watch-steps.js';

export const Steps = {
  awaitLease,
  choose,
  clockChanged,
  electionsWithSkewed,
  etcdctl,
  heal,
  inject,
  kill,
  mark,
  measureStaleness,
  measureWriteLatency,
  moveLeaderOff,
  moveLeaderTo,
  recordLeaderTerm,
  reportAddedLatency,
  recordTerm,
  restartMember,
  restartPeersOf,
  seedV2,
  seedV3,
  sleep,
  start,
  startLeaseTimer,
  startWorkload,
  waitForClockWarnings,
  waitForFailover,
  waitForLeaderOutside,
  waitForNewLeader,
  waitForNoLeader,
  waitForQuorumLoss,
  waitReady,
  watchHealth,
  watchLog,
  wipe,
};
