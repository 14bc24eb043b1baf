import { fail, pass, type Verdict } from '../checks/verdict.js';
import { lastLine, type CommandResult } from '../cluster/command-result.js';
import type { z } from 'zod';
import type { CommandExpect } from './schema.js';

export type CommandExpectT = z.infer<typeof CommandExpect>;

/** `exit 0, stderr /context deadline exceeded/`: how an expectation reads in check names. */
export function describeExpect(e: CommandExpectT): string {
  const parts: string[] = [];
  if (e.exit !== undefined) parts.push(`exit ${e.exit}`);
  if (e.stdout !== undefined) parts.push(`stdout /${e.stdout}/`);
  if (e.stderr !== undefined) parts.push(`stderr /${e.stderr}/`);
  if (e.output !== undefined) parts.push(`output /${e.output}/`);
  if (e['not-output'] !== undefined) parts.push(`output not /${e['not-output']}/`);
  return parts.join(', ') || 'anything';
}

export const PATTERN_KEYS = ['stdout', 'stderr', 'output', 'not-output'] as const;

/** The expectation with its patterns' placeholders expanded (by `expand`), for one member's result. */
export async function expandExpect(e: CommandExpectT, expand: (pattern: string) => Promise<string>): Promise<CommandExpectT> {
  const out: CommandExpectT = { ...e };
  for (const k of PATTERN_KEYS) if (e[k] !== undefined) out[k] = await expand(e[k]);
  return out;
}

/** Judges one command result against the expectation; the message says what it really returned. */
export function judgeCommand(r: CommandResult, e: CommandExpectT): Verdict {
  const problems: string[] = [];
  const all = `${r.stdout}\n${r.stderr}`;
  if (e.exit === 'non-zero' ? r.exitCode === 0 : e.exit !== undefined && r.exitCode !== e.exit)
    problems.push(`exit ${r.exitCode ?? '(none)'}`);
  if (e.stdout !== undefined && !new RegExp(e.stdout, 'm').test(r.stdout)) problems.push(`stdout does not match /${e.stdout}/`);
  if (e.stderr !== undefined && !new RegExp(e.stderr, 'm').test(r.stderr)) problems.push(`stderr does not match /${e.stderr}/`);
  if (e.output !== undefined && !new RegExp(e.output, 'm').test(all)) problems.push(`output does not match /${e.output}/`);
  if (e['not-output'] !== undefined && new RegExp(e['not-output'], 'm').test(all)) problems.push(`output matches /${e['not-output']}/`);
  const said = `${r.where}: exit ${r.exitCode ?? '(none)'}: ${lastLine(r).slice(0, 200) || '(no output)'}`;
  return problems.length ? fail(`${problems.join('; ')} (${said})`) : pass(said);
}
