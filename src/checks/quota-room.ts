import { backendQuota } from '../cluster/cluster-spec.js';
import type { Check } from '../run/scenario.js';
import { fail, pass, unknown } from './verdict.js';

const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;

/**
 * Every member has room under the backend quota again: its db (DB SIZE in endpoint status, the
 * file's high-water mark that the quota counts) is at most `fraction` of `quotaBytes` (default: the
 * cluster's `--quota-backend-bytes`).
 * Compaction frees space inside the file; only defrag gives it back. A member the quota runbook's
 * defrag did not reach keeps a full file (or, if it was down, fills it again while it catches up)
 * and is one burst of writes from raising NOSPACE for the whole cluster, if it has not already.
 */
export function quotaRoom(quotaBytes?: number, fraction = 0.5): Check {
  return {
    name: `every member's db is at most ${Math.round(fraction * 100)}% of the quota`,
    async run(ctx) {
      const quota = quotaBytes ?? backendQuota(ctx.cluster.spec);
      if (quota === undefined) return unknown('the cluster runs without --quota-backend-bytes: no quota to measure room against');
      const statuses = [...(await ctx.cluster.statuses(3000))];
      const silent = statuses.filter(([, s]) => s instanceof Error).map(([m]) => m.name);
      if (silent.length) return unknown(`no status from ${silent.join(', ')}`);
      const sizes = statuses.flatMap(([m, s]) => (s instanceof Error ? [] : [{ m: m.name, size: s.dbSize, inUse: s.dbSizeInUse }]));
      const full = sizes.filter((x) => x.size > quota * fraction);
      const each = sizes.map((x) => `${x.m} ${mb(x.size)}${x.inUse !== undefined ? ` (in use ${mb(x.inUse)})` : ''}`).join(', ');
      return full.length
        ? fail(
            `${full.map((x) => x.m).join(', ')} past ${Math.round(fraction * 100)}% of the ${mb(quota)} quota, not defragmented: ${each}`,
            sizes,
          )
        : pass(`room under the ${mb(quota)} quota: ${each}`, sizes);
    },
  };
}
