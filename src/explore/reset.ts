import { backendQuota } from '../cluster/cluster-spec.js';
import { memberClock } from '../clock/member-clock.js';
import type { StartedCluster } from '../cluster/started-cluster.js';
import { firedrillChains } from '../faults/iptables-rules.js';
import { alarms } from '../cluster/gateway.js';
import { iptablesRules, netnsAvailable } from '../faults/netns.js';

/** Where each schedule's workload writes: a fresh prefix per schedule, deleted by the next reset. */
export const EXPLORE_PREFIX = '/firedrill/explore/';

export interface ResetResult {
  /** Empty when the cluster is provably clean: ready for the next schedule. */
  problems: string[];
  /** What had to be undone (a schedule's heal should leave nothing: anything here is worth a look). */
  repaired: string[];
  durationMs: number;
}

/**
 * Brings a reused cluster back to a clean state between schedules and proves it (the assumption
 * check a reused cluster must pass, or the explorer starts a fresh one): every member running and
 * unfrozen, no FIREDRILL iptables chain in any namespace, no clock offset kept, every member healthy
 * with one leader, one revision on all, and the previous schedules' keys and leases gone.
 */
export async function resetCluster(cluster: StartedCluster, timeoutMs = 15_000): Promise<ResetResult> {
  const t0 = performance.now();
  const problems: string[] = [];
  const repaired: string[] = [];
  for (const m of cluster.members) {
    const state = await m.state();
    if (state === 'paused') {
      await m.unpause();
      repaired.push(`unpaused ${m.name}`);
    } else if (state !== 'running') {
      await m.start();
      repaired.push(`started ${m.name} (was ${state})`);
    }
    const clock = memberClock(m);
    if (clock.realtimeNs !== 0n || clock.monotonicNs !== 0n) problems.push(`${m.name} still has a clock offset`);
  }
  try {
    await cluster.waitReady({ timeoutMs });
  } catch (e) {
    problems.push(`not ready: ${e instanceof Error ? e.message : String(e)}`);
    return { problems, repaired, durationMs: performance.now() - t0 };
  }
  if (netnsAvailable() === true) {
    for (const m of cluster.members) {
      const left = firedrillChains(await iptablesRules(m));
      if (left.length) problems.push(`${m.name} still has iptables chains ${left.join(', ')}`);
    }
  }
  const client = cluster.client({ callTimeoutMs: 5000 });
  try {
    await client.delete().prefix(EXPLORE_PREFIX);
    // The KV workload's leases (long TTLs) would pile up across schedules: revoke them all.
    const { leases } = await client.leaseClient.leaseLeases();
    for (const l of leases) await client.leaseClient.leaseRevoke({ ID: l.ID });
  } catch (e) {
    problems.push(`could not delete the previous schedules' keys and leases: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    client.close();
  }
  problems.push(...(await reclaimQuotaSpace(cluster, repaired)));
  const deadline = performance.now() + 5000;
  for (;;) {
    const statuses = await cluster.statuses(1500);
    const revs = [...statuses.values()].map((s) => (s instanceof Error ? NaN : s.revision));
    if (revs.every((r) => r === revs[0] && !Number.isNaN(r))) break;
    if (performance.now() > deadline) {
      problems.push(`members do not agree on one revision: ${cluster.members.map((m, i) => `${m.name}=${revs[i]}`).join(', ')}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { problems, repaired, durationMs: performance.now() - t0 };
}

/**
 * fillQuota leaves its space in old revisions, and an explorer cluster with that command has a
 * small quota: when a member's db is past half of it, compact and defragment (housekeeping through
 * the host's clients, not the runbook under test), so the next schedule starts with room. An alarm
 * still raised is a problem: every write of the next schedule would be refused.
 */
async function reclaimQuotaSpace(cluster: StartedCluster, repaired: string[]): Promise<string[]> {
  const quota = backendQuota(cluster.spec);
  if (quota === undefined) return [];
  const problems: string[] = [];
  const statuses = await cluster.statuses(3000);
  const full = [...statuses].filter(([, s]) => !(s instanceof Error) && s.dbSize > quota / 2).map(([m]) => m);
  if (full.length) {
    const revision = Math.max(...[...statuses.values()].map((s) => (s instanceof Error ? 0 : s.revision)));
    const client = cluster.client({ callTimeoutMs: 10_000 });
    try {
      await client.kv.compact({ revision: String(revision), physical: true }).catch((e: unknown) => {
        if (!/compacted/.test(String(e))) throw e; // already compacted at or past it: nothing to free
      });
      for (const m of full) {
        const one = m.client({ callTimeoutMs: 30_000 });
        try {
          await one.maintenance.defragment();
        } finally {
          one.close();
        }
      }
      repaired.push(`compacted at ${revision} and defragmented ${full.map((m) => m.name).join(', ')} (db past half the quota)`);
      // A member may have applied the compaction only after its defrag ran: look again.
      const after = await cluster.statuses(3000);
      const still = [...after].filter(([, s]) => s instanceof Error || s.dbSize > quota / 2).map(([m]) => m.name);
      if (still.length) problems.push(`${still.join(', ')} still past half the quota after compact and defrag`);
    } catch (e) {
      problems.push(`could not reclaim the quota space: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      client.close();
    }
  }
  const raised = await alarms(cluster.members[0]!.clientUrl).catch(() => undefined);
  if (raised === undefined) problems.push('could not read the alarm list');
  else if (raised.length) problems.push(`alarms still raised: ${raised.map((a) => `${a.memberId} ${a.alarm}`).join(', ')}`);
  return problems;
}
