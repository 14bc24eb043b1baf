import type { Check } from '../run/scenario.js';
import { fail, pass } from './verdict.js';

/** Assumption: at least `min` writes were acknowledged before the fault, so a green run is not vacuous. */
export function assumeAckedWrites(min: number): Check {
  return {
    name: `at least ${min} acknowledged writes before the fault`,
    async run(ctx) {
      const n = ctx.history.count('ok');
      return n >= min
        ? pass(`${n} writes acknowledged before the fault`)
        : fail(`only ${n} writes acknowledged before the fault (need ${min})`);
    },
  };
}
