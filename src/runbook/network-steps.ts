import type { Member } from '../cluster/member.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';

/**
 * When the fault remembered under `remember` was injected (ms since the run started): the last
 * `fault-injected` event naming exactly its members. Now, when there is none.
 */
export function injectedAt(ctx: RunContext, remember: string): number {
  const names = ctx
    .ref(remember)
    .map((m) => m.name)
    .sort()
    .join(',');
  const ev = [...ctx.events].reverse().find((e) => e.type === 'fault-injected' && [...e.members].sort().join(',') === names);
  return ev?.at ?? ctx.now();
}

/**
 * Watches a leader cut off from its peers (remembered under `remember`) and the rest at once, and
 * records two times since the fault: when the old leader stopped calling itself leader (asked from
 * the harness host, which still reaches it; with CheckQuorum it steps down after an election
 * timeout without a quorum) and when the others agreed on a new leader. Both go to metrics and to
 * ctx.vars under `stepDown` and `elected`.
 */
export function waitForFailover(remember: string, stepDown = 'isolated leader stepped down', elected = 'new leader elected'): Step {
  return {
    name: `wait until the ${remember} leader steps down and the others elect a new one`,
    async run(ctx) {
      const old = ctx.ref(remember);
      const others = ctx.cluster.members.filter((m) => !old.includes(m));
      const since = injectedAt(ctx, remember);
      const deadline = ctx.now() + 20_000;
      let downAt: number | undefined;
      let found: { leader: Member; term: number; at: number } | undefined;
      while (downAt === undefined || !found) {
        const [statuses, leader] = await Promise.all([ctx.cluster.statuses(500, old), found ? undefined : ctx.cluster.leader(500, others)]);
        const now = ctx.now();
        if (downAt === undefined && [...statuses].every(([m, s]) => !(s instanceof Error) && s.leaderId !== m.id)) downAt = now;
        if (!found && leader) found = { ...leader, at: now };
        if (now > deadline) {
          throw new Error(
            downAt === undefined
              ? `${old.map((m) => m.name).join(', ')} still leader 20 s after the fault`
              : 'no new leader among the others 20 s after the fault',
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      ctx.metric(stepDown, downAt - since);
      ctx.vars.set(stepDown, downAt - since);
      ctx.metric(elected, found.at - since);
      ctx.vars.set(elected, { ms: found.at - since, leader: found.leader.name, term: found.term });
      ctx.note(
        `stepped down after ${Math.round(downAt - since)} ms; ${found.leader.name} elected (term ${found.term}) after ${Math.round(found.at - since)} ms`,
      );
    },
  };
}

/** Waits for a leader among the members not remembered under `remember`; records the time since the fault. */
export function waitForLeaderOutside(remember: string, metric: string): Step {
  return {
    name: `wait for a leader among the members outside the ${remember} side`,
    async run(ctx) {
      const gone = ctx.ref(remember);
      const among = ctx.cluster.members.filter((m) => !gone.includes(m));
      const found = await ctx.cluster.waitForLeader({ among, timeoutMs: 20_000 });
      const ms = ctx.now() - injectedAt(ctx, remember);
      ctx.metric(metric, ms);
      ctx.vars.set(metric, { ms, leader: found.leader.name, term: found.term });
      ctx.note(`leader ${found.leader.name}, term ${found.term}, ${Math.round(ms)} ms after the fault`);
    },
  };
}

/** Waits until every targeted member has lost its leader (a cut-off minority: followers time out). */
export function waitForNoLeader(target: Target, metric = 'minority lost its leader'): Step {
  return {
    name: `wait until ${target.description} report no leader`,
    async run(ctx) {
      const members = await ctx.resolve(target);
      const t0 = ctx.now();
      for (;;) {
        const statuses = await ctx.cluster.statuses(500, members);
        if ([...statuses.values()].every((s) => !(s instanceof Error) && !s.leaderId)) break;
        if (ctx.now() - t0 > 20_000) throw new Error(`${target.description} still report a leader after 20 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      ctx.metric(metric, ctx.now() - t0);
    },
  };
}

/** One `etcdctl get -w json` answer: the value read and the revision the answering member was at. */
export interface ReadAt {
  member: string;
  value?: string;
  revision: number;
}

/** Reads `key` from `m` as `etcdctl get -w json` (serializable or linearizable); undefined when it fails. */
async function readAt(ctx: RunContext, m: Member, key: string, serializable: boolean): Promise<ReadAt | undefined> {
  const r = await ctx.etcdctl(m, ['get', key, '-w', 'json', ...(serializable ? ['--consistency=s'] : []), '--command-timeout=3s']);
  if (!r.ok) return undefined;
  // Only the revision and the value are read: 64-bit IDs in this JSON would lose precision.
  const j = JSON.parse(r.stdout) as { header?: { revision?: number }; kvs?: Array<{ value?: string }> };
  const v = j.kvs?.[0]?.value;
  return {
    member: m.name,
    value: v === undefined ? undefined : Buffer.from(v, 'base64').toString(),
    revision: Number(j.header?.revision ?? 0),
  };
}

/** How stale a serializable read on the cut-off side is, against a linearizable read on the majority. */
export interface Staleness {
  minority?: ReadAt;
  majority?: ReadAt;
  /** Revisions the minority's answer is behind the majority's. */
  revisionsBehind?: number;
  /** Time since the partition began: how old the minority's view can be. */
  msSincePartition: number;
}

/**
 * Reads `key` serializably on `minority` and linearizably on `majority` and records how far behind
 * the former is (revisions, and time since the partition) under `saveAs` and as metrics.
 */
export function measureStaleness(minority: Target, majority: Target, key: string, partitioned: string, saveAs = 'staleness'): Step {
  return {
    name: `etcdctl get ${key} --consistency=s on ${minority.description} vs a linearizable get on ${majority.description}`,
    async run(ctx) {
      const [lo] = await ctx.resolve(minority);
      const [hi] = await ctx.resolve(majority);
      if (!lo || !hi) throw new Error('no member on one side of the partition');
      const out: Staleness = {
        minority: await readAt(ctx, lo, key, true),
        majority: await readAt(ctx, hi, key, false),
        msSincePartition: ctx.now() - injectedAt(ctx, partitioned),
      };
      if (out.minority && out.majority) out.revisionsBehind = out.majority.revision - out.minority.revision;
      ctx.vars.set(saveAs, out);
      if (out.revisionsBehind !== undefined) ctx.metric('serializable read staleness (revisions behind)', out.revisionsBehind, 'revisions');
      ctx.metric('serializable read staleness (time since partition)', out.msSincePartition);
      ctx.note(
        `minority ${lo.name}: ${out.minority?.value ?? '(failed)'} at revision ${out.minority?.revision ?? '-'}; majority ${hi.name}: ${
          out.majority?.value ?? '(failed)'
        } at revision ${out.majority?.revision ?? '-'}`,
      );
    },
  };
}

/** What `recordLeaderTerm` keeps under `term:<label>`. */
export interface LeaderTerm {
  leader?: string;
  /** The highest raft term any member reports. */
  term: number;
  /** Each member's raft term, by name: the higher of its status and its last campaign in its log. */
  terms: Record<string, number>;
}

export const termKey = (label: string): string => `term:${label}`;

/** Notes the agreed leader and every member's raft term, under `term:<label>`. */
export function recordLeaderTerm(label: string): Step {
  return {
    name: `note the leader and the raft terms (${label})`,
    async run(ctx) {
      const statuses = await ctx.cluster.statuses(1000);
      const terms: Record<string, number> = {};
      for (const [m, s] of statuses) if (!(s instanceof Error)) terms[m.name] = s.raftTerm;
      // The status API reports the term of the last applied entry, so a member campaigning alone
      // behind a partition shows its old term there; its log says how far its campaigns went
      // (`became candidate at term N`, the same words in 3.4's capnslog and 3.5's JSON).
      for (const m of ctx.cluster.members) {
        const log = await m.logs().catch(() => '');
        let top = 0;
        for (const match of log.matchAll(/became candidate at term (\d+)/g)) top = Math.max(top, Number(match[1]));
        if (top > (terms[m.name] ?? 0)) terms[m.name] = top;
      }
      const term = Math.max(0, ...Object.values(terms));
      const leader = (await ctx.leader())?.name;
      ctx.vars.set(termKey(label), { leader, term, terms } satisfies LeaderTerm);
      ctx.note(
        `leader ${leader ?? 'none'}; terms ${Object.entries(terms)
          .map(([n, t]) => `${n}=${t}`)
          .join(', ')}`,
      );
    },
  };
}
