// Seed 001 §三.1 (集群一个节点宕机的恢复步骤) as a TypeScript runbook file: the same data as a YAML
// one, typed by defineRunbook, so the editor checks it as you type. `firedrill run` and
// `firedrill validate` take it like a .yaml file.
import { defineRunbook } from 'etcd-firedrill';

export default defineRunbook({
  id: 'one-member-down-file',
  title: 'one member down: remove it, re-add it, start it on an empty data dir with state existing',
  source: 'seed 001 §三.1 (集群一个节点宕机的恢复步骤)',
  cluster: { members: 3, version: '3.5' },
  prepare: [{ write: { keys: 30 } }, { workload: 'start' }],
  fault: [{ kill: 'follower', name: 'a member host goes down' }],
  steps: [
    {
      source: 'seed 001 §三.1 1) 在正常节点上查看集群状态',
      etcdctl: '${tls} --endpoints="${endpoints}" endpoint status',
      expect: { output: 'Failed to get the status of endpoint' },
    },
    {
      source: 'seed 001 §三.1 2) 摘除异常节点 (member remove <id>)',
      etcdctl: '${tls} member remove ${failed.id}',
      retry: { on: 'unhealthy cluster', timeout: '30s' },
      expect: { exit: 0, stdout: 'removed' },
    },
    { source: 'seed 001 §三.1 3) 删除新增成员的旧数据目录', wipe: 'failed' },
    {
      source: 'seed 001 §三.1 3) 将节点重新加入集群 (member add, name as in --name)',
      etcdctl: '${tls} --endpoints="${endpoints}" member add ${failed.name} --peer-urls=${failed.peer-url}',
      retry: { on: 'unhealthy cluster', timeout: '30s' },
      expect: { exit: 0, stdout: 'added' },
    },
    {
      source: 'seed 001 §三.1 3) --initial-cluster-state=existing, systemctl restart etcd',
      start: 'failed',
      flags: { 'initial-cluster-state': 'existing' },
    },
    { source: 'seed 001 §三.1 (查看集群状态，若三台都正常，集群恢复)', wait: { until: 'ready', timeout: '60s' } },
  ],
  checks: ['healthy', 'acked-writes-present', 'members-agree', 'accepts-writes'],
});
