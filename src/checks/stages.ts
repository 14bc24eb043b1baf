import type { JoinWindow, Stage } from '../runbook/scale-steps.js';
import { quorumOf } from '../cluster/quorum.js';
import { fail, pass, unknown, type Verdict } from './verdict.js';

/**
 * The cluster went through the expected sizes, every listed member answering (so its quorum is what the size
 * documents: 2 of 3, 3 of 5), with all `seedKeys` seed keys on every running member at each stage.
 */
export function judgeStages(stages: readonly Stage[] | undefined, expected: readonly number[], seedKeys: number): Verdict {
  if (!stages?.length) return unknown('no stage was recorded');
  const problems: string[] = [];
  expected.forEach((n, i) => {
    const s = stages[i];
    if (!s) return problems.push(`stage ${i + 1} (${n} members) was not reached`);
    if (s.listed !== n || s.answering !== n)
      problems.push(
        `${s.label}: ${s.listed} listed (quorum ${s.quorum}), ${s.answering} answering, expected ${n} (quorum ${quorumOf(n)}); ${s.answering - s.quorum} may fail`,
      );
    const short = Object.entries(s.seedKeys).filter(([, k]) => k !== seedKeys);
    if (short.length) problems.push(`${s.label}: ${short.map(([m, k]) => `${m} has ${k}`).join(', ')} of ${seedKeys} seed keys`);
  });
  const path = stages.map((s) => `${s.listed} (quorum ${s.quorum})`).join(' → ');
  return problems.length
    ? fail(`${problems.join('; ')} [${path}]`, stages)
    : pass(`${path}, ${seedKeys} seed keys on every member at every stage`, stages);
}

/**
 * While a registered member has not started, the cluster is writable exactly when the running
 * members still make a quorum of the voting ones (ground-truth.md §11: 3 of 4 and 4 of 5 yes; 1 of 2 no).
 */
export function judgeJoinWindows(windows: readonly JoinWindow[] | undefined): Verdict {
  if (!windows?.length) return unknown('no join window was probed');
  const problems: string[] = [];
  const seen = windows.map((w) => {
    const writable = w.running >= quorumOf(w.voting);
    if (w.put.ok !== writable)
      problems.push(
        `${w.member}: ${w.running} of ${w.voting} running, put ${w.put.ok ? 'succeeded' : `failed (${w.put.error ?? '?'})`}, expected it to ${writable ? 'succeed' : 'fail'}`,
      );
    if (!w.listedAs?.includes('unstarted'))
      problems.push(`${w.member}: member list shows ${w.listedAs ?? 'nothing'}, not an unstarted member`);
    return `${w.member}: ${w.running}/${w.voting} running, put ${w.put.ok ? 'OK' : 'failed'}, /health ${Object.values(w.health).join(' ')}`;
  });
  return problems.length ? fail(problems.join('; '), windows) : pass(seen.join('; '), windows);
}
