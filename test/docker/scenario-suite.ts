import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADLINE, SCENARIOS } from '../../scenarios/index.js';
import type { RunReport } from '../../src/report/run-report.js';
import { explainReport } from '../../src/vitest/scenario-test.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { Scenario } from '../../src/run/scenario.js';

export interface Case {
  members: number;
  version: string;
  tls: boolean;
  auth?: boolean;
  pitfall: boolean;
  asWritten?: boolean;
}

// A known password, so the test can look for it in everything the run wrote: it must be nowhere.
const PASSWORD = 'Firedrill-Secret-Pa55word';

/**
 * `npm test`: the runbook on 3.4 (smallest size) and on 3.5 (largest size), the negative control
 * once, the as-written procedure once where the seed is wrong; the headline scenarios also with TLS
 * and with TLS + password auth. `npm run test:matrix` (FIREDRILL_MATRIX=full): every size × version
 * × TLS × variant. A scenario whose point needs other cases passes its own to scenarioSuite.
 */
export function casesFor(s: Scenario): Case[] {
  if (process.env.FIREDRILL_MATRIX === 'full') {
    return s.sizes.flatMap((members) =>
      s.versions.flatMap((version) =>
        [false, true].flatMap((tls) => [
          ...[false, true].map((pitfall) => ({ members, version, tls, auth: tls, pitfall })),
          ...(s.asWritten ? [{ members, version, tls, auth: tls, pitfall: false, asWritten: true }] : []),
        ]),
      ),
    );
  }
  const small = s.sizes[0] ?? 3;
  const large = s.sizes[s.sizes.length - 1] ?? small;
  return [
    { members: small, version: '3.4', tls: false, pitfall: false },
    { members: large, version: '3.5', tls: false, pitfall: false },
    ...(HEADLINE.includes(s.id)
      ? [
          { members: small, version: '3.5', tls: true, pitfall: false },
          { members: small, version: '3.4', tls: true, auth: true, pitfall: false },
        ]
      : []),
    { members: small, version: '3.5', tls: false, pitfall: true },
    ...(s.asWritten ? [{ members: small, version: '3.4', tls: false, pitfall: false, asWritten: true }] : []),
  ];
}

/** The docker test of one scenario: every runbook case passes; the pitfall fails on its mustFail checks. */
export function scenarioSuite(id: string, cases?: Case[]): void {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`scenario ${id} is not registered in scenarios/index.ts`);
  describe(id, () => {
    it.each(cases ?? casesFor(scenario))('%o', async (c) => {
      const report = await runScenario(scenario, { ...c, auth: c.auth ? { password: PASSWORD } : undefined, reportsDir: 'reports/test' });
      const why = explainReport(report, 'reports/test'); // the assertion message, should one fail
      if (c.pitfall || c.asWritten) {
        expect(report.negativeControl?.failedAsExpected, why).toBe(true);
        expect(report.status, why).toBe('fail');
      } else {
        expect(report.status, why).toBe('pass');
      }
      // The evidence: report.json with the seed, the step log (commands, outputs, exit codes), verdicts, timings, member logs.
      const path = join('reports/test', report.runId, 'report.json');
      expect(existsSync(path)).toBe(true);
      const saved = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
      expect(saved.complete).toBe(true);
      expect(saved.seed).toBe(report.seed);
      const commands = saved.steps.flatMap((s) => s.commands);
      expect(commands.length).toBeGreaterThan(0);
      expect(commands.every((cmd) => typeof cmd.command === 'string' && 'exitCode' in cmd && 'stdout' in cmd)).toBe(true);
      expect(saved.checks.length).toBeGreaterThan(0);
      expect(saved.timings['cluster ready']).toBeGreaterThan(0);
      // Every member the cluster started with has its log; members added later (new hosts) have theirs too.
      for (let i = 1; i <= c.members; i++) expect(Object.keys(saved.memberLogs)).toContain(`etcd-${i}`);
      // Secrets never reach the evidence: no password, no private key, in any file the run wrote.
      for (const file of filesUnder(join('reports/test', report.runId))) {
        const text = readFileSync(file, 'utf8');
        expect(text.includes(PASSWORD), `${file} holds the password`).toBe(false);
        expect(text.includes('PRIVATE KEY'), `${file} holds private-key material`).toBe(false);
      }
      if (c.auth) expect(commands.some((cmd) => cmd.command.includes('--user=root:****'))).toBe(true);
    });
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
