import { Checks, fail, pass } from '../checks/index.js';
import type { Check } from '../run/scenario.js';
import { dbShrank } from '../runbook/quota-steps.js';
import { FAILED } from './file-targets.js';
import type { CheckSpecT } from './schema.js';

/** `30s` → 30000. */
export function ms(d: number | string | undefined, dflt: number): number {
  if (d === undefined) return dflt;
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(d)!;
  return Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000));
}

/** The members a fault did not hit. */
const survivors = (ctx: Parameters<Check['run']>[0]) => {
  const down = ctx.ref(FAILED);
  return ctx.cluster.members.filter((m) => !down.includes(m));
};

/** A leader is agreed among the members the fault did not hit (after a kill: a new one). */
const leaderCheck: Check = {
  name: 'a leader is agreed among the members the fault did not hit',
  async run(ctx) {
    const among = survivors(ctx);
    const l = await ctx.cluster.leader(1000, among);
    return l ? pass(`leader ${l.leader.name}, term ${l.term}`) : fail(`no leader agreed among ${among.map((m) => m.name).join(', ')}`);
  },
};

/** With quorum gone the survivors report no leader (the leader steps down after an election timeout). */
const noLeaderCheck: Check = {
  name: 'the members the fault did not hit report no leader',
  async run(ctx) {
    const statuses = [...(await ctx.cluster.statuses(500, survivors(ctx))).entries()];
    const led = statuses.filter(([, s]) => !(s instanceof Error) && s.leaderId);
    return led.length === 0
      ? pass(`no leader on ${statuses.map(([m]) => m.name).join(', ')}`)
      : fail(`${led.map(([m, s]) => `${m.name} names ${(s as { leaderId?: string }).leaderId}`).join(', ')}`);
  },
};

/** Every member healthy and one leader agreed, within `timeoutMs`. */
function readyCheck(timeoutMs: number): Check {
  return {
    name: 'every member healthy and one leader agreed',
    async run(ctx) {
      try {
        const r = await ctx.cluster.waitReady({ timeoutMs });
        return pass(`ready, leader ${r.leaderId}`);
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
    },
  };
}

/**
 * A file's check as a Check: the registry's Checks.* where one exists. `quick` is for `wait until`
 * and `expect` steps, which poll: one round each, not the checks' own patient waits.
 */
export function fileCheck(spec: CheckSpecT, quick = false): Check {
  if (typeof spec === 'string') {
    switch (spec) {
      case 'healthy':
        return Checks.membersHealthy(quick ? 0 : 20_000);
      case 'ready':
        return readyCheck(quick ? 2000 : 30_000);
      case 'leader':
        return leaderCheck;
      case 'no-leader':
        return noLeaderCheck;
      case 'acked-writes-present':
        return Checks.ackedWritesPresent();
      case 'members-agree':
        return Checks.membersAgree();
      case 'no-alarms':
        return Checks.noAlarms();
      case 'accepts-writes':
        return Checks.acceptsWrites();
      case 'db-shrank':
        return dbShrank('db-size-full');
      case 'quota-room':
        return Checks.quotaRoom();
    }
  }
  if ('healthy' in spec) return Checks.membersHealthy(ms(spec.healthy.timeout, 20_000));
  if ('accepts-writes' in spec)
    return { ...Checks.acceptsWrites(spec['accepts-writes'].bytes), name: `cluster accepts a ${spec['accepts-writes'].bytes}-byte write` };
  if ('acked-writes-present' in spec) return Checks.ackedWritesPresent({ marks: spec['acked-writes-present'].marks });
  if ('v2-keys' in spec) return Checks.v2Keys(spec['v2-keys']);
  return Checks.writesLost(spec['writes-lost']);
}

/** How a check is written in the file, for messages: `accepts-writes`, `v2-keys: absent`. */
export function checkWord(spec: CheckSpecT): string {
  if (typeof spec === 'string') return spec;
  const [k, v] = Object.entries(spec)[0]!;
  return typeof v === 'string' ? `${k}: ${v}` : k;
}
