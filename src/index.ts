// The library's public surface: the cluster driver first; scenarios, faults and checks join it.
export { startCluster, ensureImage, type StartOptions } from './cluster/start-cluster.js';
export { StartedCluster, type StoppedCluster, type LeaderInfo } from './cluster/started-cluster.js';
export { Member, type MemberState, type ExecOptions, type EtcdctlOptions, type DataDirEntry } from './cluster/member.js';
export { resolveClusterSpec, TIMING_PROFILES, type ClusterSpec, type EtcdFlags, type TimingProfile } from './cluster/cluster-spec.js';
export type { CommandResult } from './cluster/command-result.js';
export type { MemberStatus } from './cluster/member-status.js';
export { etcdClient } from './cluster/etcd-client.js';
export { reap, type ReapResult } from './cluster/reaper.js';
export { parseLogLine, type LogLine } from './cluster/log-line.js';
export { FiredrillError, InputError, EnvironmentError, TimeoutError } from './run/errors.js';
