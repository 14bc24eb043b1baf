import { Checks, fail, pass, unknown } from '../src/checks/index.js';
import { BACKUP_MOUNT } from '../src/cluster/etcd-flags.js';
import type { Check, Scenario } from '../src/run/scenario.js';
import { rememberClusterId, snapshotRestore, snapshotSave } from '../src/runbook/snapshot-steps.js';
import { Steps } from '../src/runbook/steps.js';
import { Targets } from '../src/targets/targets.js';

const SNAPSHOT = `${BACKUP_MOUNT}/snapshot.db`;
// Differs from the cluster's own token (firedrill-<runId>), so the restored cluster gets new IDs.
// The seed keeps `etcd-cluster`, etcd's default: with an unchanged token the IDs would stay the same.
const NEW_TOKEN = 'firedrill-restored';
const AFTER = 'after the snapshot';

/**
 * Member and cluster IDs derive from the peer URLs and the token (ground-truth.md §2), so a restore
 * with a new token must leave every member on one new cluster ID. Members that skipped the restore
 * keep the old one: this is where "restored only some members" shows plainly.
 */
const clusterIdChanged: Check = {
  name: 'every member reports one new cluster ID (the token changed)',
  async run(ctx) {
    const before = ctx.vars.get('cluster-id-before');
    if (typeof before !== 'string') return unknown('the cluster ID before the fault was not recorded');
    const statuses = [...(await ctx.cluster.statuses(2000))];
    const seen = statuses.map(([m, s]) => `${m.name}=${s instanceof Error ? 'no answer' : s.clusterId}`).join(', ');
    const ids = statuses.flatMap(([, s]) => (s instanceof Error ? [] : [s.clusterId]));
    const problems: string[] = [];
    const silent = statuses.filter(([, s]) => s instanceof Error).map(([m]) => m.name);
    // A restored member that cannot reach quorum never publishes itself, so it serves no client requests.
    if (silent.length) problems.push(`${silent.join(', ')} did not answer`);
    const old = statuses.filter(([, s]) => !(s instanceof Error) && s.clusterId === before).map(([m]) => m.name);
    if (old.length) problems.push(`${old.join(', ')} still in the old cluster ${before}`);
    if (new Set(ids).size > 1) problems.push('members report different cluster IDs');
    if (problems.length) return fail(`${problems.join('; ')} (${seen})`);
    return pass(`cluster ID ${before} → ${ids[0]} on all ${ids.length} members`);
  },
};

export const majorityLossSnapshotRestore: Scenario = {
  id: 'majority-loss-snapshot-restore',
  title: 'Lose every member and its data, restore all from one v3 snapshot',
  source: { runbook: 'runbooks.md §2', seed: 'seed 001 §二.1-6, §三.2 (集群超过半数节点宕机的恢复步骤)' },
  proves:
    'restoring every member from one snapshot brings back every v3 key written before it, drops v2 keys and later writes (counted), and forms one healthy new cluster',
  sizes: [3, 5],
  versions: ['3.4', '3.5'],
  prepare: [
    Steps.seedV3(20, '/name/'),
    Steps.seedV2(5, '/name'),
    rememberClusterId(),
    snapshotSave(Targets.named('etcd-1'), SNAPSHOT),
    Steps.mark(AFTER),
    // Acknowledged, but not in the snapshot: the restore must lose them, and the report counts them.
    { ...Steps.seedV3(10, '/after-snapshot/'), source: 'runbooks.md §2 (writes made after the snapshot are lost too)' },
  ],
  // 20 v3 + 5 v2 before the snapshot, 10 v3 after it.
  assumptions: [Checks.assumeAckedWrites(35)],
  fault: [
    Steps.kill(Targets.all(), 'killed', 'seed 001 §二.3 / §三.2 (every member down: systemctl stop etcd)'),
    Steps.wipe(Targets.all(), 'seed 001 §二.3 (rm -rf /data/etcd/data on every host)'),
  ],
  runbook: [
    snapshotRestore(Targets.all(), SNAPSHOT, NEW_TOKEN),
    // Unchanged flags: once a WAL exists, etcd ignores the token and --initial-cluster-state.
    Steps.start(Targets.all(), undefined, 'seed 001 §二.5 / §三.2 (systemctl start etcd on every host)'),
    { ...Steps.waitReady('recovery after restore'), source: 'seed 001 §三.2 (启动ETCD服务，检查集群状态)' },
  ],
  checks: [
    Checks.membersHealthy(),
    Checks.ackedWritesPresent({ marks: ['seed'] }),
    Checks.v2Keys('absent'),
    Checks.writesLost(AFTER),
    Checks.membersAgree(),
    clusterIdChanged,
    Checks.noAlarms(),
    Checks.acceptsWrites(),
  ],
  pitfall: {
    title: 'restore on only one member; the others start on their empty data dirs with their original flags',
    source: 'runbooks.md §2 (restore every node from the same file); seed 001 §二.4 restores each of the three hosts',
    runbook: [
      snapshotRestore(Targets.named('etcd-1'), SNAPSHOT, NEW_TOKEN, { source: 'seed 001 §二.4 (only the 10.0.0.31 command)' }),
      Steps.start(Targets.all(), undefined, 'seed 001 §二.5 (systemctl start etcd on every host)'),
      { ...Steps.waitReady('recovery after restore', 15_000), source: 'seed 001 §三.2 (检查集群状态)' },
    ],
    mustFail: ['every member healthy', 'all members agree (revision, hashkv, member list)', clusterIdChanged.name],
  },
  seedClaims: [
    {
      seed: 'seed 001 §二.6',
      claim: '使用ETCDCTL_API=2 存放的数据会丢失，使用ETCDCTL_API=3存放的数据能正常恢复, etcd v2 和 v3 的数据不能混合存放',
      reality:
        'v3 keys come back and v2 keys are lost (true: a v3 snapshot holds only the v3 store). "Cannot be mixed" is loose: both stores live side by side on a running cluster; only the v3 snapshot leaves v2 out.',
    },
    {
      seed: 'seed 001 §二.4 / §7',
      claim: 'the restore makes a new cluster (恢复时会覆盖 ... member ID 和 cluster ID，所以需要启动一个新的集群)',
      reality:
        "member and cluster IDs derive from the peer URLs and --initial-cluster-token. With the seed's token `etcd-cluster` (etcd's default) and unchanged URLs, the restored cluster has the same IDs as the old one; only a new token gives new IDs (this scenario uses one and checks it).",
    },
    {
      seed: 'seed 001 §二.6',
      claim: '若使用 v2 备份数据时存在 v3 的数据则恢复失败 (a v2 backup taken while v3 data exists fails to restore)',
      reality:
        'false (ground-truth.md §4): the restore succeeds and the v3 data is silently dropped unless `backup --with-v3` is used. Not exercised by this scenario.',
    },
  ],
};
