import { Checks } from '../checks/index.js';
import type { Check } from '../run/scenario.js';

/** A check run after every schedule; `strict`: an `unknown` verdict fails the schedule too. */
export interface Invariant {
  check: Check;
  strict: boolean;
}

/**
 * The linearizability check, when the checker's engineer has registered it as `Checks.linearizable`
 * (looked up at run time, so the explorer works before and after). Its `unknown` (time budget spent,
 * or a history it cannot read) does not fail a schedule; it is reported as inconclusive.
 */
export function linearizableHook(): Check | undefined {
  const factory = (Checks as Record<string, unknown>)['linearizable'];
  return typeof factory === 'function' ? (factory as () => Check)() : undefined;
}

/**
 * What must hold after a schedule once every fault is healed: every member healthy within
 * `settleMs`, every acknowledged write present with its value on every member, one revision,
 * hashkv and member list on all, no alarm raised, with a quota room under it on every member, and
 * (when available) a linearizable history.
 */
export function scheduleInvariants(settleMs: number, opts: { quotaBytes?: number } = {}): Invariant[] {
  const out: Invariant[] = [
    { check: Checks.membersHealthy(settleMs), strict: true },
    { check: Checks.ackedWritesPresent(), strict: true },
    { check: Checks.membersAgree(), strict: true },
    // An alarm left raised (NOSPACE after a quota fill) refuses every write from then on.
    { check: Checks.noAlarms(), strict: true },
  ];
  // With a quota (the fill-quota command), the quota runbook must leave every member room under it.
  if (opts.quotaBytes) out.push({ check: Checks.quotaRoom(opts.quotaBytes), strict: true });
  const lin = linearizableHook();
  if (lin) out.push({ check: lin, strict: false });
  return out;
}
