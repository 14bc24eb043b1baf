import { Checks } from '../src/checks/index.js';
import type { Check, Scenario } from '../src/run/scenario.js';

// The network-fault and freeze drills (issue 7) have no runbook in the seeds: the seeds only stop
// or kill members. They share how they say so, and what "the cluster is whole again" means.

/** Cited by every step of these drills. */
export const BEYOND = 'beyond the seeds: issue 7';

/** Their `source`: no seed section; the nearest drill is seed 001's leader stop. */
export const BEYOND_SOURCE: Scenario['source'] = {
  runbook: 'beyond the seeds (issue 7)',
  seed: 'no seed section (the seeds only stop or kill members; nearest: seed 001 §二.3 停止Leader)',
};

/** After the fault is gone: every member healthy within 5 s, nothing acknowledged lost, one state, no alarms, writable. */
export function wholeAgain(): Check[] {
  return [Checks.membersHealthy(5_000), Checks.ackedWritesPresent(), Checks.membersAgree(), Checks.noAlarms(), Checks.acceptsWrites()];
}
