import { describe, expect, it } from 'vitest';
import { HEADLINE, SCENARIOS } from '../../scenarios/index.js';
import { selectScenarios } from '../../src/cli/commands/run.js';
import { InputError } from '../../src/run/errors.js';

describe('the scenario registry', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))(
    '%s is complete: source, steps citing sources, checks, a negative control',
    (_id, s) => {
      // A scenario beyond the seeds (issue 7's network faults) says so instead of citing a runbook.
      expect(s.source.runbook).toMatch(/runbooks\.md §\d+|^beyond the seeds \(issue \d+\)$/);
      expect(s.source.seed).toMatch(/seed \d{3}|^beyond the seeds/);
      expect(s.fault.length + s.runbook.length).toBeGreaterThan(0);
      expect(s.runbook.some((step) => step.source)).toBe(true);
      expect(s.checks.length).toBeGreaterThan(0);
      expect(s.assumptions.length).toBeGreaterThan(0);
      expect(s.pitfall.runbook.length).toBeGreaterThan(0);
      expect(s.pitfall.mustFail.length).toBeGreaterThan(0);
      // A negative control can only fail on checks the scenario really runs.
      const names = s.checks.map((c) => c.name);
      for (const name of s.pitfall.mustFail) expect(names).toContain(name);
      if (s.asWritten) {
        expect(s.asWritten.quote.length).toBeGreaterThan(0);
        expect(s.asWritten.source).toMatch(/seed \d{3}/);
        expect(s.asWritten.mustFail.length).toBeGreaterThan(0);
        for (const name of s.asWritten.mustFail) expect(names).toContain(name);
      }
      expect(new Set(names).size).toBe(names.length);
    },
  );
  it('ids are unique and every headline scenario is registered', () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of HEADLINE) expect(ids).toContain(id);
  });
  it('selects all, headline, or ids, and names an unknown id in one line', () => {
    expect(selectScenarios(['all'])).toHaveLength(SCENARIOS.length);
    expect(selectScenarios(['headline']).map((s) => s.id)).toEqual(HEADLINE);
    expect(() => selectScenarios(['nope'])).toThrow(InputError);
    expect(() => selectScenarios(['nope'])).toThrow(/unknown scenario "nope"/);
  });
});
