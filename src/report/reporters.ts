// The one registry of reporters: one line each.
import { consoleReporter } from './console-reporter.js';
import { jsonReporter } from './json-reporter.js';
import type { Reporter } from './reporter.js';

export const REPORTERS: Record<string, () => Reporter> = {
  console: () => consoleReporter(),
  json: () => jsonReporter(),
};
