import type { Member } from '../cluster/member.js';
import { quorumOf as quorum } from '../cluster/quorum.js';
import type { Target, TargetContext } from './target.js';

function pick<T>(items: readonly T[], n: number, random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return out;
}

/** How long a target looks for the leader before it says there is none (an operator looks twice). */
export const LEADER_LOOKUP_MS = 5000;

/**
 * The leader, asked again for up to LEADER_LOOKUP_MS: one round of status calls can miss on a
 * loaded machine (each is bounded at 1 s, and over TLS each is a handshake), which is not the
 * same as a cluster without quorum.
 */
async function requireLeader(ctx: TargetContext, lookupMs = LEADER_LOOKUP_MS): Promise<Member> {
  const until = performance.now() + lookupMs;
  for (;;) {
    const l = await ctx.leader();
    if (l) return l;
    if (performance.now() >= until) throw new Error(`no leader to target: none agreed on within ${lookupMs} ms (no quorum?)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Who a step acts on. Every choice is seeded, so a run replays from its seed. */
export const Targets = {
  leader: (): Target => ({ description: 'the leader', resolve: async (ctx) => [await requireLeader(ctx)] }),
  /** `n` random followers (default 1). */
  followers: (n = 1): Target => ({
    description: n === 1 ? 'a follower' : `${n} followers`,
    resolve: async (ctx) => {
      const l = await requireLeader(ctx);
      return pick(
        ctx.cluster.members.filter((m) => m !== l),
        n,
        ctx.random,
      );
    },
  }),
  named: (...names: string[]): Target => ({
    description: names.join(', '),
    resolve: async (ctx) => names.map((n) => ctx.cluster.member(n)),
  }),
  all: (): Target => ({ description: 'every member', resolve: async (ctx) => [...ctx.cluster.members] }),
  /** Members an earlier step remembered under `name`. */
  ref: (name: string): Target => ({
    description: `the ${name}`,
    resolve: async (ctx) => {
      const found = ctx.refs.get(name);
      if (!found) throw new Error(`no members remembered as "${name}" (a step must run with remember: '${name}' first)`);
      return found;
    },
  }),
  /** Every member except those remembered under `name`. */
  except: (name: string): Target => ({
    description: `every member but the ${name}`,
    resolve: async (ctx) => {
      const skip = ctx.refs.get(name) ?? [];
      return ctx.cluster.members.filter((m) => !skip.includes(m));
    },
  }),
  /** Enough members that the rest lose quorum: the leader first, then random followers. */
  majority: (): Target => ({
    description: 'a majority (leader first)',
    resolve: async (ctx) => {
      const l = await requireLeader(ctx);
      const n = quorum(ctx.cluster.members.length);
      return [
        l,
        ...pick(
          ctx.cluster.members.filter((m) => m !== l),
          n - 1,
          ctx.random,
        ),
      ];
    },
  }),
  /**
   * From the members still running (not remembered under `down`), as many as it takes for quorum to
   * go: 1 more of 3 after the leader died, 2 more of 5.
   */
  untilQuorumLost: (down: string): Target => ({
    description: 'enough more members to lose quorum',
    resolve: async (ctx) => {
      const gone = ctx.refs.get(down) ?? [];
      const alive = ctx.cluster.members.filter((m) => !gone.includes(m));
      const need = alive.length - (quorum(ctx.cluster.members.length) - 1);
      return pick(alive, need, ctx.random);
    },
  }),
};
