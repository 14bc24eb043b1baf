import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';

/** What `measureWriteLatency` keeps under `latency:<label>`. */
export interface LatencySample {
  label: string;
  leader: string;
  n: number;
  ok: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

export const latencyKey = (label: string): string => `latency:${label}`;

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/**
 * `n` sequential puts through a client pinned to the current leader, each recorded in the write
 * history: their latency is the commit latency (a round trip from the leader to a quorum), without
 * a follower's forwarding hop. Keeps a LatencySample under `latency:<label>` and records metrics.
 */
export function measureWriteLatency(label: string, n = 10): Step {
  return {
    name: `${n} puts through the leader, timed (${label})`,
    async run(ctx) {
      const leader = await ctx.leader();
      if (!leader) throw new Error('no leader to write through');
      const client = leader.client({ callTimeoutMs: 10_000 });
      const times: number[] = [];
      let ok = 0;
      try {
        for (let i = 0; i < n; i++) {
          const key = `/drill/latency/${label.replace(/\W+/g, '-')}/${i}`;
          const t0 = performance.now();
          const op = await ctx.history.record(key, 'v', async () => await client.put(key).value('v'));
          times.push(performance.now() - t0);
          if (op.outcome === 'ok') ok++;
        }
      } finally {
        client.close();
      }
      const sorted = [...times].sort((a, b) => a - b);
      const s: LatencySample = {
        label,
        leader: leader.name,
        n,
        ok,
        medianMs: quantile(sorted, 0.5),
        p90Ms: quantile(sorted, 0.9),
        maxMs: sorted[sorted.length - 1] ?? NaN,
      };
      ctx.vars.set(latencyKey(label), s);
      ctx.metric(`write latency ${label} (median)`, s.medianMs);
      ctx.metric(`write latency ${label} (p90)`, s.p90Ms);
      ctx.note(`through ${leader.name}: ${ok}/${n} OK, median ${s.medianMs.toFixed(1)} ms, p90 ${s.p90Ms.toFixed(1)} ms`);
    },
  };
}

/**
 * Records how much write latency the fault added, per ms of injected one-way delay, as
 * `added write latency per ms of delay (<label>)` in µs per ms (metrics are whole numbers).
 */
export function reportAddedLatency(base: string, faulted: string, delayMs: number): Step {
  return {
    name: `compare write latency: ${faulted} vs ${base}`,
    async run(ctx) {
      const a = ctx.vars.get(latencyKey(base)) as LatencySample | undefined;
      const b = ctx.vars.get(latencyKey(faulted)) as LatencySample | undefined;
      if (!a || !b) throw new Error('both latency samples must be measured first');
      const added = b.medianMs - a.medianMs;
      ctx.metric(`write latency added (${faulted}, median)`, added);
      ctx.metric(`added write latency per ms of delay (${faulted})`, (added / delayMs) * 1000, 'µs/ms');
      ctx.note(`median ${a.medianMs.toFixed(1)} → ${b.medianMs.toFixed(1)} ms: ${added.toFixed(1)} ms added by ${delayMs} ms of delay`);
    },
  };
}

async function leaderOrThrow(ctx: RunContext): Promise<Member> {
  const l = await ctx.leader();
  if (!l) throw new Error('no leader');
  return l;
}

/**
 * The runbook step for a slow member: if the leader is one of the members remembered under `slow`,
 * hand leadership to a healthy member (`etcdctl move-leader`, run against the leader); otherwise
 * there is nothing to move, and the step says so.
 */
export function moveLeaderOff(slow: string, source?: string): Step {
  return {
    name: `etcdctl move-leader to a healthy member, if the leader is the ${slow} member`,
    source,
    async run(ctx) {
      const leader = await leaderOrThrow(ctx);
      const bad = ctx.ref(slow);
      if (!bad.includes(leader)) {
        ctx.note(`the leader ${leader.name} is not the ${slow} member: nothing to move`);
        return;
      }
      const to = ctx.cluster.members.find((m) => !bad.includes(m) && m.id);
      if (!to?.id) throw new Error('no healthy member to move leadership to');
      const r = await ctx.etcdctl(leader, ['move-leader', to.id]);
      if (!r.ok) throw new Error(`move-leader failed: ${r.stderr.trim()}`);
      await ctx.cluster.waitForLeader({ among: [to], timeoutMs: 10_000 });
    },
  };
}

/** The mistake: hand leadership to the member remembered under `to` (`etcdctl move-leader`, against the leader). */
export function moveLeaderTo(to: string, source?: string): Step {
  return {
    name: `etcdctl move-leader to the ${to} member`,
    source,
    async run(ctx) {
      const leader = await leaderOrThrow(ctx);
      const [target] = ctx.ref(to);
      if (!target?.id) throw new Error(`no member remembered as "${to}"`);
      if (target === leader) return;
      const r = await ctx.etcdctl(leader, ['move-leader', target.id]);
      if (!r.ok) throw new Error(`move-leader failed: ${r.stderr.trim()}`);
      await ctx.cluster.waitForLeader({ among: [target], timeoutMs: 15_000 });
    },
  };
}
