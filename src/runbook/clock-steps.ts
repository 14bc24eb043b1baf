import { clockWarnings, type ClockWarning } from '../clock/clock-warnings.js';
import { memberClock, queryMemberClock } from '../clock/member-clock.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';

/** Where the clock-skew steps keep what they saw (read by the scenario's observed checks). */
export const CLOCK_CHANGED_AT = 'clock-changed-at';

/** Remembers when a member's clock last changed (the host's wall clock, like Docker's log timestamps). */
export function clockChanged(): Step {
  return {
    name: 'note the time of the clock change',
    async run(ctx) {
      ctx.vars.set(CLOCK_CHANGED_AT, Date.now());
    },
  };
}

export interface WarningsSeen {
  /** Member name → warnings it logged since the clock change (plus the grace period). */
  byMember: Record<string, ClockWarning[]>;
  /** Member name → hex ID, to tell which peer a warning names. */
  ids: Record<string, string>;
  waitedMs: number;
  /** From the clock change to the first warning of an `expect` member. */
  firstMs?: number;
}

/**
 * Waits for etcd's clock-difference warning: until every member of `expect` has warned about all
 * its peers (then `settleMs` more, so the others' monitors, on the same 30 s cycle, had their
 * turn), or `timeoutMs` after the change (etcd checks every 30 s: 35 s bounds it). Warnings within
 * `graceMs` of the change are ignored: after a change from one skew to another, a probe taken
 * before it still reports the old difference for a few seconds.
 */
export function waitForClockWarnings(
  expect: Target,
  saveAs: string,
  opts: { timeoutMs?: number; settleMs?: number; graceMs?: number } = {},
): Step {
  const { timeoutMs = 35_000, settleMs = 3_000, graceMs = 0 } = opts;
  return {
    name: `wait up to ${timeoutMs / 1000} s for the clock-difference warning from ${expect.description}`,
    async run(ctx) {
      const expected = await ctx.resolve(expect);
      const changedAt = (ctx.vars.get(CLOCK_CHANGED_AT) as number | undefined) ?? Date.now();
      const members = ctx.cluster.members;
      const ids: Record<string, string> = {};
      for (const m of members) if (m.id) ids[m.name] = m.id;
      const t0 = Date.now();
      let doneAt: number | undefined;
      let seen: WarningsSeen = { byMember: {}, ids, waitedMs: 0 };
      for (;;) {
        const byMember: Record<string, ClockWarning[]> = {};
        for (const m of members) byMember[m.name] = clockWarnings(await m.logLines(), changedAt + graceMs);
        const first = expected.flatMap((m) => byMember[m.name] ?? []).sort((a, b) => a.at - b.at)[0];
        seen = { byMember, ids, waitedMs: Date.now() - t0, firstMs: first ? first.at - changedAt : undefined };
        const allPeers = expected.every((m) => new Set((byMember[m.name] ?? []).map((w) => w.peer)).size >= members.length - 1);
        if (allPeers) doneAt ??= Date.now();
        if ((doneAt && Date.now() - doneAt >= settleMs) || Date.now() - changedAt >= timeoutMs) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      ctx.vars.set(saveAs, seen);
      if (seen.firstMs !== undefined) ctx.metric('clock warning after skew', seen.firstMs);
      const summary = Object.entries(seen.byMember).map(
        ([n, ws]) => `${n}: ${ws.length} (${[...new Set(ws.map((w) => w.drift))].slice(0, 2).join(', ')})`,
      );
      ctx.note(`after ${Math.round(seen.waitedMs / 1000)} s, warnings per member: ${summary.join('; ')}`);
    },
  };
}

export interface ElectionsSeen {
  stoppedLeader: string;
  /** The offset the harness keeps for it (ns, as a string: bigint is not JSON). */
  expectedOffset: string;
  newLeader?: string;
  electionMs?: number;
  /** The offset etcd had after the harness restarted it (ns, as a string: bigint is not JSON). */
  offsetAfterRestart?: string;
  movedBackTo?: string;
  errors: string[];
}

/**
 * Elections with a skewed member, as leader and as candidate: stop it (SIGTERM, it hands
 * leadership over), a new leader is elected; start it again (the harness re-applies its clock);
 * then `etcdctl move-leader` makes it leader again.
 */
export function electionsWithSkewed(ref: string, saveAs: string): Step {
  return {
    name: `stop the ${ref}, restart it (clock re-applied), move leadership back to it`,
    async run(ctx) {
      const [m] = ctx.ref(ref);
      if (!m) throw new Error(`no member remembered as ${ref}`);
      const seen: ElectionsSeen = { stoppedLeader: m.name, expectedOffset: String(memberClock(m).realtimeNs), errors: [] };
      ctx.vars.set(saveAs, seen);
      const t0 = ctx.now();
      await m.stop();
      const next = await ctx.cluster.waitForLeader({ among: ctx.cluster.members.filter((x) => x !== m), timeoutMs: 15_000 });
      seen.newLeader = next.leader.name;
      seen.electionMs = Math.round(ctx.now() - t0);
      ctx.metric('election after stopping the skewed leader', seen.electionMs);
      await m.start();
      await ctx.cluster.waitReady({ timeoutMs: 30_000 });
      seen.offsetAfterRestart = String((await queryMemberClock(m))?.realtimeNs ?? 'not running');
      const status = await m.status();
      const moved = await ctx.etcdctl(next.leader, ['move-leader', status.memberId]);
      if (!moved.ok) seen.errors.push(`move-leader: ${moved.stderr.trim()}`);
      const after = await ctx.cluster.waitForLeader({ among: [m], timeoutMs: 10_000 }).catch((e: unknown) => {
        seen.errors.push(String(e));
        return undefined;
      });
      seen.movedBackTo = after?.leader.name;
      ctx.note(
        `new leader ${seen.newLeader} after ${seen.electionMs} ms; ${m.name} back with offset ${seen.offsetAfterRestart} ns; leader now ${seen.movedBackTo}`,
      );
    },
  };
}

/** Restarts every member but `ref` (followers first, SIGTERM), so their connections to it are made anew. */
export function restartPeersOf(ref: string): Step {
  return {
    name: `restart every peer of the ${ref} (followers first), so connections to it are re-established`,
    async run(ctx) {
      const skewed = ctx.ref(ref);
      const leader = await ctx.leader();
      const others = ctx.cluster.members.filter((m) => !skewed.includes(m));
      const order = [...others.filter((m) => m !== leader), ...others.filter((m) => m === leader)];
      for (const m of order) {
        await m.stop();
        await m.start();
        await ctx.cluster.waitForLeader({ among: others, timeoutMs: 20_000 });
      }
      ctx.note(`restarted ${order.map((m) => m.name).join(', ')}`);
    },
  };
}

export interface TermSeen {
  leader?: string;
  term?: number;
}

/** Records the leader and raft term now (before a member returns), to see whether its return deposes the leader. */
export function recordTerm(saveAs: string): Step {
  return {
    name: 'note the leader and its raft term',
    async run(ctx: RunContext) {
      const l = await ctx.cluster.leader(1000);
      const t: TermSeen = { leader: l?.leader.name, term: l?.term };
      ctx.vars.set(saveAs, t);
      ctx.note(`leader ${t.leader ?? 'none'}, term ${t.term ?? '?'}`);
    },
  };
}

/** Restarts the member (SIGTERM, start): what an operator tries instead of fixing the clock. */
export function restartMember(ref: string): Step {
  return {
    name: `restart the ${ref} (its host's clock still wrong)`,
    async run(ctx) {
      for (const m of ctx.ref(ref)) {
        await m.stop();
        await m.start();
      }
    },
  };
}
