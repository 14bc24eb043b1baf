import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../run/errors.js';
import type { Scenario } from '../run/scenario.js';
import { compileRunbook } from './compile.js';
import { locateByPath, parseYamlWithPositions, type Locate } from './positions.js';
import type { RunbookFile } from './schema.js';
import { validateRunbookData } from './validate.js';

export const RUNBOOK_EXTENSIONS = ['.yaml', '.yml', '.ts'];

/** True when a `firedrill run` argument names a runbook file rather than a scenario id. */
export const isRunbookPath = (arg: string): boolean => RUNBOOK_EXTENSIONS.includes(extname(arg).toLowerCase());

/** Data (parsed YAML or a .ts export) → validated file → Scenario; every problem is one InputError line. */
export function compileRunbookData(
  data: unknown,
  file: string,
  locate: Locate = locateByPath(file),
): { runbook: RunbookFile; scenario: Scenario } {
  const runbook = validateRunbookData(data, locate);
  return { runbook, scenario: compileRunbook(runbook, file, locate) };
}

/** A YAML runbook's text → Scenario, with line and column in every error. */
export function parseRunbookYaml(text: string, file = '<runbook>'): { runbook: RunbookFile; scenario: Scenario } {
  const { data, locate } = parseYamlWithPositions(text, file);
  return compileRunbookData(data, file, locate);
}

/** Loads a .yaml/.yml runbook file, or a .ts one whose default export is the same data (see defineRunbook). */
export async function loadRunbookFile(path: string): Promise<{ runbook: RunbookFile; scenario: Scenario }> {
  const ext = extname(path).toLowerCase();
  if (!RUNBOOK_EXTENSIONS.includes(ext))
    throw new InputError(`"${path}" is not a runbook file`, `runbook files end in ${RUNBOOK_EXTENSIONS.join(', ')}`);
  if (!existsSync(path))
    throw new InputError(`runbook file "${path}" does not exist`, 'check the path (relative to the working directory)');
  if (ext !== '.ts') return parseRunbookYaml(readFileSync(path, 'utf8'), path);
  let mod: { default?: unknown; runbook?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as typeof mod;
  } catch (e) {
    throw new InputError(
      `${path}: cannot be loaded: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      'run it through tsx (firedrill does) and fix the TypeScript error',
    );
  }
  const data = mod.default ?? mod.runbook;
  if (data === undefined) throw new InputError(`${path}: exports no runbook`, 'export default defineRunbook({ ... })');
  return compileRunbookData(data, path);
}

/** Types a .ts runbook file: the same data as a YAML one, checked by the compiler as you type. */
export function defineRunbook(rb: RunbookFile): RunbookFile {
  return rb;
}
