import { Checks, fail, pass } from '../src/checks/index.js';
import type { Scenario, Step } from '../src/run/scenario.js';
import { memberAdd, memberRemove } from '../src/runbook/membership-steps.js';
import { addReplacementFirst, corruptDb } from '../src/runbook/replace-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { restoreSupervisor, stopSupervisor, supervise, watchCrashLoop, type CrashLoop } from '../src/runbook/supervisor-steps.js';
import { Targets } from '../src/targets/targets.js';

// The member whose host dies: a follower, so the drill is about replacing it, not about an election.
const BROKEN = 'replaced member';
const it = Targets.ref(BROKEN);

const withSource = (step: Step, source: string): Step => ({ ...step, source });

/** Steps both the runbook and the pitfall take before they part: supervisor off, remove, add. */
const removeAndAdd: Step[] = [
  stopSupervisor(it, 'seed 000 步骤一 (mv etcd.service etcd1.service, systemctl daemon-reload, systemctl stop etcd)'),
  memberRemove(it, BROKEN, 'seed 000 步骤二.2-3, seed 001 §三.1, seed 002 场景三 §3 (member list, member remove <id>)'),
  memberAdd(it, BROKEN, 'seed 000 步骤二.4, seed 002 场景三 §4 (member add <name> --peer-urls=...)'),
];

const verify: Step[] = [
  withSource(Steps.waitReady('replaced member healthy, cluster ready'), 'seed 000 步骤三.6 (等待一会，这时候会同步数据)'),
  Steps.etcdctl(Targets.except(BROKEN), ['endpoint', 'health'], 'etcdctl endpoint health on every member', {
    source: 'seed 000 步骤四.1, 步骤四.3',
    endpoints: 'all',
  }),
  Steps.etcdctl(Targets.except(BROKEN), ['member', 'list'], 'etcdctl member list on a healthy member', { source: 'seed 000 步骤四.2' }),
];

export const memberReplace: Scenario = {
  id: 'member-replace',
  title: 'Replace a member whose host died while its supervisor keeps restarting it',
  source: { runbook: 'runbooks.md §6', seed: 'seed 000 (步骤一-六), seed 001 §三.1, seed 002 场景三' },
  proves:
    'with its supervisor stopped, a crash-looping member is removed, re-added, rebuilt on an empty data dir with existing and put back under its supervisor: new member ID, every acknowledged write on every member',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [
    withSource(
      supervise(Targets.all(), 'always'),
      'seed 000 步骤一 说明 (AppCenter health check restarts the service), seed 004 (supervise)',
    ),
    Steps.seedV3(100),
    withSource(Steps.startWorkload(), 'runbooks.md §6 (data identical on all members: writes go on throughout)'),
  ],
  assumptions: [Checks.assumeAckedWrites(100)],
  fault: [
    // The host dies (no goodbye); a SIGKILL by hand is not restarted by Docker's policy, as a dead host is not.
    Steps.kill(Targets.followers(1), BROKEN, 'seed 000 问题 (节点异常), runbooks.md §6 (host dies)'),
    corruptDb(it, 'runbooks.md §6 (the member cannot start)'),
    watchCrashLoop(it, 'crash-loop', 'seed 000 步骤一 说明 (健康检查…一直不停地启动这个服务)'),
  ],
  runbook: [
    ...removeAndAdd,
    Steps.wipe(it, 'seed 000 步骤三.2 (rm -rf the data dir)'),
    Steps.start(
      it,
      { 'initial-cluster-state': 'existing' },
      'seed 000 步骤三.4-6, seed 002 场景三 §5 (ETCD_INITIAL_CLUSTER_STATE=existing, systemctl start etcd1)',
    ),
    ...verify,
    restoreSupervisor(it, 'always', 'seed 000 步骤五 (mv etcd1.service etcd.service, systemctl start etcd)'),
  ],
  checks: [
    Checks.observed('the supervisor kept restarting the broken member', 'crash-loop', (v) => {
      const r = v as CrashLoop;
      if (r.restarts < 1) return fail(`restarted ${r.restarts} times in ${r.watchedMs} ms (policy ${r.policy}): no crash loop to stop`, r);
      return pass(`restarted ${r.restarts} times in ${r.watchedMs} ms, exit ${r.exitCode ?? '-'}: ${r.why ?? '(no fatal line)'}`, r);
    }),
    // The runbook waited for every member to be ready: a short bound keeps a failing control fast.
    Checks.membersHealthy(5000),
    Checks.memberId(BROKEN, 'new'),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.acceptsWrites(),
    Checks.supervised(BROKEN, 'always'),
  ],
  pitfall: {
    title: 'remove and re-add the member, then start it with existing without emptying its data dir',
    source: 'seed 000 步骤三.2 skipped (rm -rf the data dir), seed 004 last section (避免通过旧数据目录来恢复etcd集群)',
    runbook: [
      ...removeAndAdd,
      Steps.start(it, { 'initial-cluster-state': 'existing' }, 'seed 000 步骤三.4-6 without 步骤三.2 (the data dir is not emptied)'),
      restoreSupervisor(it, 'always', 'seed 000 步骤五'),
      withSource(Steps.sleep(3000, 'give it time to join'), 'seed 000 步骤三.6 (等待一会)'),
    ],
    // The damaged db makes etcd panic at every start, so the supervisor restarts it forever: it is
    // unhealthy, never runs under the ID member add registered, and the members never agree.
    mustFail: ['every member healthy', `the ${BROKEN} runs under a new member ID`, 'all members agree (revision, hashkv, member list)'],
  },
  asWritten: {
    title: 'add the replacement first, then remove the dead member (seed 003 §2)',
    source: 'seed 003 §2 (集群运行时更改的操作)',
    quote: '替换一个节点，需要先执行一个添加节点操作，再执行一个删除节点操作',
    runbook: [
      stopSupervisor(it, 'seed 000 步骤一'),
      // 6 s of retries: longer than strict reconfiguration's 5 s window, so a refusal is not a passing blip.
      addReplacementFirst(it, BROKEN, 'seed 003 §2 (先执行一个添加节点操作)', 6000),
      memberRemove(it, BROKEN, 'seed 003 §2 (再执行一个删除节点操作)'),
    ],
    // `member add` is refused (`unhealthy cluster`) while the dead member is still a voting member,
    // so the procedure stops there: the dead member stays down and listed.
    mustFail: ['every member healthy', 'all members agree (revision, hashkv, member list)'],
  },
  seedClaims: [
    {
      seed: 'seed 003 §2',
      claim: '替换一个节点，需要先执行一个添加节点操作，再执行一个删除节点操作 (to replace a member, add first, then remove)',
      reality:
        'with the old member dead, member add is refused with "etcdserver: unhealthy cluster" (strict reconfiguration: every voting member must have been connected for 5 s) for as long as it stays dead; remove it first',
    },
    {
      seed: 'seed 000 步骤一 说明',
      claim: 'the health check keeps starting the service; stop the process first or the node may not recover',
      reality:
        'true as far as it goes: Docker\'s restart policy "always" restarted the damaged member over and over (panic opening its db, exit 2). A removed member exits with code 0, so "on-failure" would not restart it but "always" would (ground-truth.md point 9)',
    },
  ],
};
