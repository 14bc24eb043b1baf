import type { HealthProbe } from '../runbook/health-steps.js';
import type { Check } from '../run/scenario.js';
import { fail, pass, unknown } from './verdict.js';

/** What `/health` must answer, per etcd version (`3.4`, `3.5`). */
export type HealthExpectation = Record<string, { status: number; body: Record<string, string> }>;

/** `{"health":"false"}` and `{ "health": "false" }` are the same answer. */
export function sameJson(text: string, expected: Record<string, string>): boolean {
  try {
    const got = JSON.parse(text) as Record<string, unknown>;
    const keys = new Set([...Object.keys(got), ...Object.keys(expected)]);
    return [...keys].every((k) => got[k] === expected[k]);
  } catch {
    return false;
  }
}

/**
 * Every member a probe step (probeHealth) read under `key` answered `/health` with this version's
 * expected HTTP status and body, e.g. 503 `{"health":"false","reason":"RAFT NO LEADER"}` on 3.5
 * during quorum loss. A version without an expectation is `unknown` (a custom image).
 */
export function healthAnswers(name: string, key: string, expect: HealthExpectation): Check {
  return {
    name,
    async run(ctx) {
      const probes = ctx.vars.get(key) as HealthProbe[] | undefined;
      if (!probes?.length) return unknown(`no health probe was recorded as "${key}" (did its step run?)`);
      const want = expect[ctx.cluster.spec.version];
      if (!want) return unknown(`no expected /health answer for etcd ${ctx.cluster.spec.version}`);
      const wantText = `${want.status} ${JSON.stringify(want.body)}`;
      const wrong = probes.filter((p) => p.health.status !== want.status || !sameJson(p.health.body, want.body));
      const seen = probes.map((p) => `${p.member}: ${p.health.status} ${p.health.body}`).join('; ');
      return wrong.length
        ? fail(`expected ${wantText} on ${ctx.cluster.spec.version}; ${seen}`, { probes })
        : pass(`${seen} (etcd ${ctx.cluster.spec.version})`, { probes });
    },
  };
}
