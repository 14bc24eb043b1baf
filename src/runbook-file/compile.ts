import { Checks } from '../checks/index.js';
import { fail, pass } from '../checks/verdict.js';
import type { Check, Scenario, Step } from '../run/scenario.js';
import { CompileContext } from './compile-context.js';
import { fileCheck, checkWord } from './file-checks.js';
import { compileStep } from './file-steps.js';
import type { Locate, Path } from './positions.js';
import type { RunbookFile, StepSpec } from './schema.js';

const list = <T>(v: T | T[] | undefined, dflt: T[]): T[] => (v === undefined ? dflt : Array.isArray(v) ? v : [v]);

/** Fails naming the first step of the procedure that did not complete (a step error is not a verdict by itself). */
const procedureCompleted: Check = {
  name: 'every step of the procedure ran to its end',
  async run(ctx) {
    const broken = ctx.steps.find((s) => s.error && (s.phase === 'runbook' || s.phase === 'fault'));
    if (broken) return fail(`${broken.phase} step "${broken.name}" (${broken.source ?? ''}) stopped the procedure: ${broken.error}`);
    return pass(`${ctx.steps.filter((s) => s.phase === 'runbook').length} runbook steps ran`);
  },
};

/**
 * Compiles a validated runbook file into the Scenario the one engine runs (runScenario). Checks
 * what the schema cannot: targets, placeholders and saved names against what exists by then,
 * regular expressions, and that every check has what it needs. Errors carry the file position.
 */
export function compileRunbook(rb: RunbookFile, file: string, locate: Locate): Scenario {
  const sizes = list(rb.cluster?.members, [3]);
  const versions = list(rb.cluster?.version, ['3.5']);
  const members = Array.from({ length: Math.min(...sizes) }, (_, i) => `etcd-${i + 1}`);
  const cc = new CompileContext(file, locate, members);
  const steps = (section: StepSpec[] | undefined, path: Path): Step[] => (section ?? []).map((s, i) => compileStep(s, [...path, i], cc));

  const prepareSpecs: StepSpec[] = rb.prepare ?? [{ write: { keys: 20 } }];
  const prepare = steps(rb.prepare ? prepareSpecs : undefined, ['prepare']);
  if (!rb.prepare)
    prepare.push({ ...compileStep(prepareSpecs[0]!, ['prepare', 0], cc), source: 'default prepare: write 20 keys /name/1..20' });
  const written = prepareSpecs.reduce((n, s) => n + ('write' in s ? s.write.keys : 'write-v2' in s ? s['write-v2'].keys : 0), 0);
  const fault = steps(rb.fault, ['fault']);
  // The pitfall sees what the fault left (refs, saves), not what the runbook added.
  const afterFault = { refs: new Set(cc.refs), saved: new Set(cc.saved), marks: new Set(cc.marks), noted: cc.notedDbSize };
  const runbook = steps(rb.steps, ['steps']);
  const procedureExpectations = [...cc.expectations];

  let pitfallSteps: Step[] = [];
  if (rb.pitfall) {
    const after = { refs: new Set(cc.refs), saved: new Set(cc.saved), marks: new Set(cc.marks), noted: cc.notedDbSize };
    for (const [k, set] of [
      ['refs', cc.refs],
      ['saved', cc.saved],
      ['marks', cc.marks],
    ] as const) {
      set.clear();
      for (const v of afterFault[k]) set.add(v);
    }
    cc.notedDbSize = afterFault.noted;
    pitfallSteps = steps(rb.pitfall.steps, ['pitfall', 'steps']);
    for (const [k, set] of [
      ['refs', cc.refs],
      ['saved', cc.saved],
      ['marks', cc.marks],
    ] as const)
      for (const v of after[k]) set.add(v);
    cc.notedDbSize ||= after.noted;
  }

  const checks = rb.checks.map((spec, i) => {
    if (spec === 'db-shrank' && !cc.notedDbSize)
      throw cc.error(
        ['checks', i],
        'db-shrank needs the db size from before: no note-db-size step',
        'add `- note-db-size: true` to the fault, after it fills the db',
      );
    if (typeof spec === 'object' && 'writes-lost' in spec && !cc.marks.has(spec['writes-lost']))
      throw cc.error(
        ['checks', i, 'writes-lost'],
        `no mark "${spec['writes-lost']}" was set`,
        `add \`- mark: ${spec['writes-lost']}\` before those writes`,
      );
    return fileCheck(spec);
  });
  const names = checks.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw cc.error(['checks', names.lastIndexOf(dup)], `check "${dup}" is listed twice`, 'list each check once');
  const mustFail = (rb.pitfall?.['must-fail'] ?? []).map((spec, i) => {
    const name = fileCheck(spec).name;
    if (!names.includes(name))
      throw cc.error(
        ['pitfall', 'must-fail', i],
        `"${checkWord(spec)}" is not among the checks`,
        `must-fail names checks from checks: (${rb.checks.map(checkWord).join(', ')})`,
      );
    return name;
  });

  return {
    id: rb.id,
    title: rb.title,
    source: { runbook: file, seed: rb.source ?? '(runbook file)' },
    proves: rb.proves ?? `the runbook in ${file} works: ${rb.checks.map(checkWord).join(', ')}`,
    cluster: { flags: rb.cluster?.flags, timing: rb.cluster?.timing, tls: rb.cluster?.tls, auth: rb.cluster?.auth },
    sizes,
    versions,
    prepare,
    assumptions: written > 0 ? [Checks.assumeAckedWrites(written)] : [],
    fault,
    runbook,
    // The procedure's own expectations first, in step order: a failure names its step and its check.
    // A pitfall's own expects stop it when they fail (and procedureCompleted says so) but are no checks.
    checks: [...procedureExpectations.map((e) => e.check), procedureCompleted, ...checks],
    pitfall: rb.pitfall
      ? { title: rb.pitfall.title, source: rb.pitfall.source ?? file, runbook: pitfallSteps, mustFail }
      : { title: '(none: this runbook file has no pitfall section)', source: file, runbook: [], mustFail: [] },
  };
}

/** True when a compiled file has no pitfall section to run. */
export const hasPitfall = (s: Scenario): boolean => s.pitfall.runbook.length > 0;
