import { describeClock, restartSkewed, setMemberClock, type MemberClock } from '../clock/member-clock.js';
import { offsetNs } from '../clock/clock-offset.js';
import type { Member } from '../cluster/member.js';
import { clockHelperUnavailable } from '../setup/clock-helper.js';
import type { Target } from '../targets/target.js';
import { injection, type Fault } from './fault.js';

const available = (): true | string => clockHelperUnavailable() ?? true;

function clockFault(
  name: string,
  target: Target,
  offset: number | string,
  field: keyof MemberClock,
  apply: (m: Member, change: Partial<MemberClock>) => ReturnType<typeof setMemberClock>,
): Fault {
  const ns = offsetNs(offset); // bad input fails when the scenario is built, not mid-run
  return {
    name,
    available,
    async inject(ctx) {
      const members = await target.resolve(ctx);
      // Back to the host's clock, at once and for later restarts; a member gone meanwhile has nothing to undo.
      const reset = async (ms: readonly Member[]): Promise<void> => {
        for (const m of ms) await setMemberClock(m, { [field]: 0n }).catch(() => undefined);
      };
      const notes: string[] = [];
      for (const [i, m] of members.entries()) {
        try {
          notes.push(`${m.name} ${describeClock(ns, await apply(m, { [field]: ns }))}`);
        } catch (e) {
          // No Injection is returned, so nothing would heal the members already skewed: undo them here.
          await reset(members.slice(0, i + 1));
          throw e;
        }
      }
      return injection(name, members, () => reset(members), `${name} ${notes.join('; ')}`);
    },
  };
}

/**
 * Skews the target's wall clock (CLOCK_REALTIME, _COARSE, TAI) by `offset` (ms, or a duration such
 * as '+2h') while etcd runs: its vDSO is patched in place, etcd stops for about a millisecond. Only
 * that member's clock moves. A restart by the harness re-applies it; heal resets it.
 */
export function skewClock(target: Target, offset: number | string): Fault {
  return clockFault('skewClock', target, offset, 'realtimeNs', setMemberClock);
}

/**
 * The target runs skewed from its first instruction: it is restarted (SIGTERM) under the launcher,
 * which patches etcd at its exec, before it reads any clock; etcd stays PID 1. Heal resets the
 * running etcd at once (no restart) and its later restarts run on the host's clock.
 */
export function skewClockFromStart(target: Target, offset: number | string): Fault {
  return clockFault('skewClockFromStart', target, offset, 'realtimeNs', restartSkewed);
}

/**
 * Jumps the target's CLOCK_MONOTONIC by `offset`: etcd's timers (leases, election and heartbeat
 * ticks measured by Go's monotonic clock) see time leap forward (+) or stand still (-) once.
 * Heal resets the offset, which is the opposite jump (after -30 s, +30 s: leases the member holds
 * as leader lose 30 s, its election timer fires at once), so judge what the jump did before healing.
 */
export function jumpMonotonic(target: Target, offset: number | string): Fault {
  return clockFault('jumpMonotonic', target, offset, 'monotonicNs', setMemberClock);
}
