import type { ClusterSpec } from '../cluster/cluster-spec.js';

/** The backend quota of an explorer cluster whose schedules fill it: 16 MiB fill in about a second. */
export const EXPLORE_QUOTA_BYTES = 16 * 1024 * 1024;

/**
 * The cluster every schedule runs on, for exploring and for replaying: fast timing, and a small
 * quota when the schedules may fill it (`fillQuota()` must reach NOSPACE in seconds, not fill 2 GB).
 */
export function exploreClusterSpec(members: number, version: string, opts: { fills: boolean }): ClusterSpec {
  return {
    members,
    version,
    timing: 'fast',
    ...(opts.fills ? { flags: { 'quota-backend-bytes': EXPLORE_QUOTA_BYTES } } : {}),
  };
}
