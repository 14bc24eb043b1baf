import { Checks, fail, pass } from '../src/checks/index.js';
import { judgeJoinWindows, judgeStages } from '../src/checks/stages.js';
import type { Scenario, Step } from '../src/run/scenario.js';
import {
  growByOne,
  recordStage,
  registerNewMember,
  restartWithOwnPeerUrl,
  updateOwnPeerUrl,
  type JoinWindow,
  type Stage,
} from '../src/runbook/scale-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';

const SEED_KEYS = 100;
const STAGES = 'stages';
const WINDOWS = 'join-windows';
const DEFAULT_PEER_URL = 'http://localhost:2380';
const single = Targets.named('etcd-1');

const withSource = (step: Step, source: string): Step => ({ ...step, source });

// Every variant starts the same way: seed 004's single node, on etcd's default peer URL, has its
// config edited and is restarted (扩展 step 1). Only what follows differs.
const step1: Step[] = [
  restartWithOwnPeerUrl(
    single,
    'peer-urls-after-restart',
    'seed 004 扩展etcd集群 step 1 (修改单节点配置并重启etcd: ETCD_INITIAL_ADVERTISE_PEER_URLS, ETCD_INITIAL_CLUSTER)',
  ),
];

export const singleToThree: Scenario = {
  id: 'single-to-three',
  title: 'Grow a single member on the default peer URL to 3 members (member update first, then one member add at a time)',
  source: { runbook: 'runbooks.md §11', seed: 'seed 004 扩展etcd集群 (steps 1-5), seed 003 §2.3 (值得注意的是…只有1个节点)' },
  proves:
    'a single member registered at http://localhost:2380 grows to 3 once member update gives it its own IP: 1 → 2 → 3, unavailable while the 2nd member is registered but not started, every acknowledged write kept',
  // Seed 004's starting point: one member on etcd's default peer URLs (the 3 peer lines of its
  // config are "新增", added later). The listen URL must be the default too: with 0.0.0.0 etcd would
  // swap localhost in the advertised URL for the detected host IP.
  cluster: {
    flags: {
      'listen-peer-urls': DEFAULT_PEER_URL,
      'initial-advertise-peer-urls': DEFAULT_PEER_URL,
      'initial-cluster': `etcd-1=${DEFAULT_PEER_URL}`,
    },
  },
  sizes: [1],
  versions: ['3.4', '3.5'],
  prepare: [
    Steps.seedV3(SEED_KEYS),
    withSource(Steps.startWorkload(), 'runbooks.md §11 (no data loss: writes go on throughout)'),
    recordStage('1 member', STAGES),
  ],
  assumptions: [Checks.assumeAckedWrites(SEED_KEYS)],
  fault: [],
  runbook: [
    ...step1,
    updateOwnPeerUrl(
      single,
      'ground-truth.md §11 C (member update before the first member add); seed 004 --force-new-cluster section (etcdctl member update ce2a822cea30bfca http://...:2380)',
    ),
    ...growByOne('2nd member', '1 → 2', STAGES, WINDOWS),
    ...growByOne('3rd member', '2 → 3', STAGES, WINDOWS),
  ],
  checks: [
    Checks.observed('restarting with new peer flags leaves the registered peer URL unchanged', 'peer-urls-after-restart', (v) => {
      const urls = v as string[];
      return urls.join(',') === DEFAULT_PEER_URL
        ? pass(`member list still shows ${DEFAULT_PEER_URL} after the restart with --initial-advertise-peer-urls=<its IP>`)
        : fail(`member list shows ${urls.join(',') || 'nothing'} after the restart, not ${DEFAULT_PEER_URL}`);
    }),
    Checks.observed('quorum size and seed data at each stage (1, 2, 3)', STAGES, (v) => judgeStages(v as Stage[], [1, 2, 3], SEED_KEYS)),
    Checks.observed('unavailable exactly while a registered member leaves no quorum (1 of 2)', WINDOWS, (v) =>
      judgeJoinWindows(v as JoinWindow[]),
    ),
    Checks.membersHealthy(5000),
    Checks.ackedWritesPresent(),
    Checks.membersAgree(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title: 'register both new members before starting either',
    source: 'seed 004 扩展 step 2 and seed 004 (注意要先添加 etcd1 成员后，再…启动这个 etcd1 成员) read as "add all, then start all"',
    runbook: [
      ...step1,
      updateOwnPeerUrl(single, 'ground-truth.md §11 C'),
      registerNewMember('2nd member', 'seed 004 扩展 step 2 (注册新节点)'),
      // 1 of 2 voting members runs: quorum is gone, and etcd refuses the next add
      // ("re-configuration failed due to not enough started members"); the procedure stops there.
      registerNewMember('3rd member', 'seed 004 扩展 step 5 (重复上面操作添加新节点) before step 3'),
    ],
    mustFail: ['every member healthy', 'cluster accepts writes', 'quorum size and seed data at each stage (1, 2, 3)'],
  },
  asWritten: {
    title: 'seed 004 扩展 as written: restart with the new peer URL flags, then member add and start',
    source: 'seed 004 扩展etcd集群 steps 1-3',
    quote:
      '1. 修改单节点配置并重启etcd … ETCD_INITIAL_ADVERTISE_PEER_URLS="http://172.17.3.20:2380" ETCD_INITIAL_CLUSTER="k8s1=http://172.17.3.20:2380" 备注后三行是新增，后重启etcd',
    runbook: [...step1, ...growByOne('2nd member', '1 → 2', STAGES, WINDOWS), ...growByOne('3rd member', '2 → 3', STAGES, WINDOWS)],
    // The 2nd member dies validating peer URLs (the cluster still says localhost), and the single
    // member, now 1 of 2 voting members, has lost quorum.
    mustFail: ['every member healthy', 'cluster accepts writes', 'quorum size and seed data at each stage (1, 2, 3)'],
  },
  seedClaims: [
    {
      seed: 'seed 004 扩展etcd集群 step 1',
      claim: 'edit ETCD_INITIAL_ADVERTISE_PEER_URLS / ETCD_INITIAL_CLUSTER of the single node and restart it (then register new members)',
      reality:
        'the restart does not change the registered peer URL (the initial-* flags are ignored once a data dir exists); the next member to join dies with "error validating peerURLs … no match found for existing member (…, [http://localhost:2380])" and the single member has lost quorum. `etcdctl member update <id> --peer-urls=<its IP>` first makes it work',
    },
    {
      seed: 'seed 004 扩展 step 2, seed 003 §2.3',
      claim: 'only registered, not started, the cluster is unhealthy (seed 004: etcdctl cluster-health → "cluster is unhealthy")',
      reality:
        'true for 1 → 2 (1 of 2 voting members: no quorum, puts time out, /health false); on 3.5 the 2nd member itself takes 7-9 s to become healthy (it asks the peers /downgrade/enabled, a linearizable read, while there is no quorum). From 3 members up, a registered-but-unstarted member leaves the cluster writable',
    },
  ],
};
