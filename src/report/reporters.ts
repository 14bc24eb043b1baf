// The one registry of reporters: one line each.
import { consoleReporter } from './console-reporter.js';
import { htmlReporter } from './html-reporter.js';
import { jsonReporter } from './json-reporter.js';
import { junitReporter } from './junit-reporter.js';
import type { Reporter } from './reporter.js';
import { summaryReporter } from './summary-reporter.js';

export const REPORTERS: Record<string, () => Reporter> = {
  console: () => consoleReporter(),
  json: () => jsonReporter(),
  html: () => htmlReporter(),
  junit: () => junitReporter(),
  summary: () => summaryReporter(),
};

/** The files every scenario run writes unless told otherwise (`--reporter`, RunOptions.outputs). */
export const DEFAULT_OUTPUTS: readonly string[] = ['json', 'html', 'junit', 'summary'];

/** Reporters by registry name; an unknown name throws (the CLI checks names before anything starts). */
export function outputReporters(names: readonly string[] = DEFAULT_OUTPUTS): Reporter[] {
  return names.map((n) => {
    const make = REPORTERS[n];
    if (!make) throw new Error(`unknown reporter "${n}" (known: ${Object.keys(REPORTERS).join(', ')})`);
    return make();
  });
}
