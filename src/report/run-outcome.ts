import type { RunReport } from './run-report.js';

export interface RunOutcome {
  /** Did the run show what it should: a runbook run passed, or a negative control failed on its mustFail checks. */
  ok: boolean;
  /** One or two words: `pass`, `fail`, `unknown`, `failed as expected`, `did not fail`. */
  label: string;
  /** One sentence for people. */
  why: string;
}

/**
 * What a run's verdict means for CI and people: a pitfall or as-written run that failed on its
 * mustFail checks did its job (the checks can fail), so it counts as passed; one that did not
 * fail there is the problem.
 */
export function runOutcome(r: RunReport): RunOutcome {
  if (!r.complete) return { ok: false, label: 'incomplete', why: r.error ?? 'the run did not finish: the evidence is partial' };
  const nc = r.negativeControl;
  if (nc) {
    if (nc.failedAsExpected)
      return {
        ok: true,
        label: 'failed as expected',
        why: `negative control (${r.variant}): failed on ${nc.mustFail.join(', ')}, as it must`,
      };
    return { ok: false, label: 'did not fail', why: `negative control (${r.variant}) did NOT fail on: ${nc.missing.join(', ')}` };
  }
  if (r.status === 'pass') return { ok: true, label: 'pass', why: 'every check passed' };
  const bad = r.checks.filter((c) => c.verdict.status !== 'pass').map((c) => `${c.name} (${c.verdict.status})`);
  return { ok: false, label: r.status, why: r.error ?? (bad.length ? `not passed: ${bad.join(', ')}` : 'nothing was checked') };
}
