import type { Check } from '../run/scenario.js';
import { termKey, type LeaderTerm } from '../runbook/network-steps.js';
import { fail, pass, unknown } from './verdict.js';

/**
 * Whether healing a partition deposed the leader, as each version's raft settings predict: a member
 * cut off for longer than an election timeout keeps campaigning; without pre-vote (3.4's default,
 * `--pre-vote=false`) every attempt raises its term, and on its return that higher term makes the
 * leader step down (one more election, the term jumps); with pre-vote (3.5's default) its attempts
 * never raise the term and the leader stays. Compares the terms noted before and after the heal.
 */
export function healDisruption(before = 'before heal', after = 'after heal'): Check {
  return {
    name: 'on heal the cut-off side deposes the leader on 3.4 (no pre-vote), not on 3.5 (pre-vote)',
    async run(ctx) {
      const a = ctx.vars.get(termKey(before)) as LeaderTerm | undefined;
      const b = ctx.vars.get(termKey(after)) as LeaderTerm | undefined;
      if (!a || !b) return unknown(`the terms ${before} and ${after} were not both noted`);
      const flag = ctx.cluster.spec.flags['pre-vote'];
      const version = ctx.cluster.spec.version;
      const preVote = flag === undefined ? (version === 'custom' ? undefined : version !== '3.4') : flag === true || flag === 'true';
      if (preVote === undefined) return unknown(`cannot tell whether ${ctx.cluster.spec.image} runs with pre-vote`);
      const what = `${a.leader ?? 'none'} term ${a.term} → ${b.leader ?? 'none'} term ${b.term}`;
      const deposed = b.term > a.term;
      if (preVote)
        return deposed ? fail(`pre-vote on, yet a new election at heal: ${what}`) : pass(`pre-vote: no election at heal (${what})`);
      return deposed
        ? pass(`no pre-vote: the returning member's higher term forced an election (${what})`)
        : fail(`no pre-vote, yet no election at heal: ${what}`);
    },
  };
}
