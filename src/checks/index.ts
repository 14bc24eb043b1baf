// The one registry of reusable checks: a scenario names them as Checks.<name>(...).
import { acceptsWrites } from './accepts-writes.js';
import { ackedWritesPresent } from './acked-writes-present.js';
import { assumeAckedWrites } from './assume-acked-writes.js';
import { healthAnswers } from './health-answers.js';
import { memberId } from './member-id.js';
import { healDisruption } from './heal-disruption.js';
import { membersAgree } from './members-agree.js';
import { membersHealthy } from './members-healthy.js';
import { noAlarms } from './no-alarms.js';
import { quotaRoom } from './quota-room.js';
import { linearizable } from './linearizable.js';
import { observed } from './observed.js';
import { rejoinedAsFollower } from './rejoined-as-follower.js';
import { supervised } from './supervised.js';
import { v2IndexAgree } from './v2-index-agree.js';
import { v2Keys } from './v2-keys.js';
import { writesLost } from './writes-lost.js';

export const Checks = {
  acceptsWrites,
  ackedWritesPresent,
  assumeAckedWrites,
  healthAnswers,
  memberId,
  healDisruption,
  membersAgree,
  membersHealthy,
  noAlarms,
  quotaRoom,
  linearizable,
  observed,
  rejoinedAsFollower,
  supervised,
  v2IndexAgree,
  v2Keys,
  writesLost,
};
export { pass, fail, unknown, worst, type Verdict, type VerdictStatus } from './verdict.js';
