import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadRunbookFile } from '../../src/runbook-file/load.js';
import { explainReport } from '../../src/vitest/scenario-test.js';
import { objectsOwnedBy } from './firedrill-process.js';

const DIR = 'examples/runbooks';
const EXAMPLES = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|ts)$/.test(f))
  .map((f) => join(DIR, f));
const BROKEN = join(DIR, 'broken/quota-exhaustion-no-disarm.yaml');

// Each seed runbook written as a file runs once, on a 3-member cluster of the version it names.
describe('runbook files against real clusters', () => {
  it.each(EXAMPLES)('%s passes', async (path) => {
    const { scenario } = await loadRunbookFile(path);
    const report = await runScenario(scenario, { members: 3, reportsDir: 'reports/test' });
    expect(report.status, explainReport(report)).toBe('pass');
    expect(
      report.steps.every((s) => !s.error),
      explainReport(report),
    ).toBe(true);
  });

  // A file's pitfall: section (the mistake it warns about) must fail on its must-fail checks. Each
  // takes about a minute (waits for members that never come back), so only in the full matrix.
  const withPitfall = process.env.FIREDRILL_MATRIX === 'full' ? EXAMPLES.filter((p) => /pitfall:/.test(readFileSync(p, 'utf8'))) : [];
  it.each(withPitfall)('%s --pitfall fails on its must-fail checks', async (path) => {
    const { scenario } = await loadRunbookFile(path);
    const report = await runScenario(scenario, { members: 3, pitfall: true, reportsDir: 'reports/test' });
    expect(report.negativeControl?.failedAsExpected, explainReport(report)).toBe(true);
    expect(report.status, explainReport(report)).toBe('fail');
  });

  it('the broken copy (no alarm disarm) fails, naming the step and the check', async () => {
    const { scenario } = await loadRunbookFile(BROKEN);
    const report = await runScenario(scenario, { members: 3, reportsDir: 'reports/test' });
    expect(report.status, explainReport(report)).toBe('fail');
    const failed = report.checks.filter((c) => c.verdict.status === 'fail').map((c) => `${c.name}: ${c.verdict.message}`);
    // The step (its place and line in the file) and the check, in one verdict.
    expect(
      failed.some((f) =>
        /^steps step 5 \(examples\/runbooks\/broken\/quota-exhaustion-no-disarm\.yaml:70:5\) "expect no-alarms": no alarms: active alarms: .*NOSPACE/.test(
          f,
        ),
      ),
      failed.join('\n'),
    ).toBe(true);
    const stopped = report.steps.find((s) => s.error);
    expect(stopped?.error).toMatch(/^expect failed at steps step 5 \(.*:70:5\) "expect no-alarms": check "no alarms": fail: active alarms/);
    // What stays broken without the disarm; the space itself did come back.
    for (const name of ['cluster accepts writes', 'no alarms', 'every member healthy'])
      expect(report.checks.find((c) => c.name === name)?.verdict.status, name).toBe('fail');
    expect(report.checks.find((c) => c.name === 'db size shrank after compact and defrag')?.verdict.status).toBe('pass');
  });

  it('firedrill validate and run: a malformed file is one line with line and column, exit 2, nothing started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-rb-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'id: bad\ntitle: t\nfault:\n  - kill: leader\nsteps:\n  - etcdctl: member remove ${member.etcd-2.uuid}\nchecks: [healthy]\n',
    );
    for (const cmd of ['validate', 'run']) {
      const r = spawnSync('node', ['bin/firedrill.mjs', cmd, bad], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        new RegExp(`^firedrill: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6:28: steps\\[0\\]\\.etcdctl: .*uuid`),
      );
      expect(await objectsOwnedBy(r.pid!)).toBe(0);
    }
    const ok = spawnSync('node', ['bin/firedrill.mjs', 'validate', ...EXAMPLES, BROKEN], { encoding: 'utf8', timeout: 60_000 });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(EXAMPLES.length + 1);
  });
});
