// Writes schema/runbook.schema.json from the zod schema (src/runbook-file/schema.ts), the one
// source of truth; a unit test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { runbookJsonSchema } from '../src/runbook-file/schema.js';

export const SCHEMA_PATH = 'schema/runbook.schema.json';
/** Formatted as prettier formats it, so `npm run lint` (prettier --check) agrees with the generated file. */
export const renderSchema = (): Promise<string> => format(JSON.stringify(runbookJsonSchema()), { parser: 'json', printWidth: 140 });

if (process.argv[1]?.endsWith('runbook-schema.ts')) {
  writeFileSync(SCHEMA_PATH, await renderSchema());
  console.log(`wrote ${SCHEMA_PATH}`);
}
