import type { Target } from '../targets/target.js';
import { injection, type Fault } from './fault.js';
import { inNetns, memberPid, netnsAvailable } from './netns.js';
import { isNoQdisc, rateBits, tbfAddArgv, tbfDelArgv } from './tc-rules.js';

/**
 * Limits what the target sends to `rate` (tc tbf on its eth0, inside its network namespace, from
 * the host as the iptables faults do). Egress only, and for all its traffic: to its peers and to
 * the harness. Heal deletes the root qdisc; a member recreated meanwhile has none (fresh namespace).
 */
export function rateLimit(target: Target, rate: string): Fault {
  rateBits(rate); // bad input fails when the scenario is built, not mid-run
  return {
    name: 'rate-limit',
    available: () => netnsAvailable(),
    async inject(ctx) {
      const members = await target.resolve(ctx);
      const heal = async (): Promise<void> => {
        const errors: string[] = [];
        for (const m of members) {
          const pid = await memberPid(m);
          if (!pid) continue;
          const r = await inNetns(pid, m.name, tbfDelArgv());
          if (!r.ok && !isNoQdisc(r.stderr)) errors.push(`${m.name}: ${r.stderr.trim()}`);
        }
        if (errors.length) throw new Error(`could not remove the rate limit: ${errors.join('; ')}`);
      };
      for (const m of members) {
        const pid = await memberPid(m);
        const r = pid ? await inNetns(pid, m.name, tbfAddArgv(rate)) : undefined;
        if (!r?.ok) {
          await heal().catch(() => {});
          throw new Error(`cannot limit ${m.name} to ${rate}: ${r ? r.stderr.trim() : 'it is not running'}`);
        }
      }
      return injection(
        'rate-limit',
        members,
        heal,
        `limit what ${members.map((m) => m.name).join(', ')} send${members.length === 1 ? 's' : ''} to ${rate} (tbf)`,
      );
    },
  };
}
