import { z } from 'zod';
import { InputError } from '../run/errors.js';
import { FIX, type Locate, type Path } from './positions.js';
import { RunbookFileShape, STEP_KINDS, STEP_SCHEMAS, type RunbookFile, type StepKind } from './schema.js';

/** The value at `path` in plain data (for "got ..." in messages). */
function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** A short rendering of what the file holds there. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  const s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `a list` : typeof v === 'object' ? 'a map' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

type AnySchema = z.ZodType & { def?: { type?: string }; shape?: Record<string, z.ZodType>; element?: z.ZodType; options?: z.ZodType[] };

/** The keys an object schema at `path` allows (through optionals, arrays and unions). */
function allowedKeys(schema: z.ZodType, path: Path): string[] | undefined {
  let s = schema as AnySchema;
  const unwrap = (): void => {
    while (s.def?.type === 'optional' || s.def?.type === 'nullable' || s.def?.type === 'default')
      s = (s as unknown as { unwrap(): AnySchema }).unwrap();
  };
  for (const part of path) {
    unwrap();
    if (s.def?.type === 'array' && typeof part === 'number') s = s.element as AnySchema;
    else if (s.def?.type === 'object' && typeof part === 'string' && s.shape?.[part]) s = s.shape[part] as AnySchema;
    else if (s.def?.type === 'union') {
      const opt = s.options?.find((o) => (o as AnySchema).def?.type === 'object' && (o as AnySchema).shape?.[String(part)]);
      if (!opt) return undefined;
      s = (opt as AnySchema).shape![String(part)] as AnySchema;
    } else if (s.def?.type === 'record') return undefined;
    else return undefined;
  }
  unwrap();
  return s.def?.type === 'object' ? Object.keys(s.shape ?? {}) : undefined;
}

/** One zod issue as one line: where, what was expected, what the file holds. */
function describe(issue: z.core.$ZodIssue, schema: z.ZodType, data: unknown, base: Path, locate: Locate): InputError {
  const path = [...base, ...(issue.path as Path)];
  const got = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0]!;
      const allowed = allowedKeys(schema, issue.path as Path);
      return new InputError(
        `${locate([...path, key], undefined, true)}: unknown key "${key}"${allowed ? `; expected one of: ${allowed.join(', ')}` : ''}`,
        allowed ? `remove it or use one of those keys` : FIX,
      );
    }
    case 'invalid_type':
      if (got === undefined) {
        const key = path[path.length - 1];
        return new InputError(`${locate(path.slice(0, -1))}: missing "${String(key)}" (expected ${issue.expected})`, `add ${String(key)}:`);
      }
      break;
    case 'invalid_value':
      return new InputError(
        `${locate(path)}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${shown(got)}`,
        FIX,
      );
    default:
      break;
  }
  const msg = issue.message.replace(/^Invalid input: /, '');
  return new InputError(`${locate(path)}: ${msg}${/got /.test(msg) ? '' : `, got ${shown(got)}`}`, FIX);
}

function check<T>(schema: z.ZodType<T>, data: unknown, path: Path, locate: Locate): T {
  const r = schema.safeParse(valueAt(data, path));
  if (r.success) return r.data;
  // A misspelt key shows up as unknown and as missing: the unknown one says what to fix.
  const issue = r.error.issues.find((i) => i.code === 'unrecognized_keys') ?? r.error.issues[0]!;
  throw describe(issue, schema, data, path, locate);
}

/** One step: a map with exactly one action key, then that action's schema. */
function validateStep(data: unknown, path: Path, locate: Locate): void {
  const step = valueAt(data, path);
  if (step === null || typeof step !== 'object' || Array.isArray(step)) {
    throw new InputError(
      `${locate(path)}: expected a step (a map such as "etcdctl: member list"), got ${shown(step)}`,
      `steps are one of: ${STEP_KINDS.join(', ')}`,
    );
  }
  const keys = Object.keys(step);
  let actions = keys.filter((k): k is StepKind => (STEP_KINDS as string[]).includes(k));
  // On a command step `expect:` is its option (what the command must return), not a step of its own.
  if (actions.includes('etcdctl') || actions.includes('sh')) actions = actions.filter((a) => a !== 'expect');
  if (actions.length === 0) {
    throw new InputError(
      `${locate([...path, keys[0] ?? ''], undefined, true)}: unknown step${keys[0] ? ` "${keys[0]}"` : ''}; expected one of: ${STEP_KINDS.join(', ')}`,
      'write one action key per step, e.g. `- etcdctl: endpoint status`',
    );
  }
  if (actions.length > 1) {
    throw new InputError(
      `${locate([...path, actions[1]!], undefined, true)}: one step has two actions (${actions.join(' and ')})`,
      'split it into two steps, one action each',
    );
  }
  check(STEP_SCHEMAS[actions[0]!] as z.ZodType, data, path, locate);
}

/**
 * Validates plain data (parsed YAML, or what a .ts file exports) as a runbook file. Throws the
 * first problem as one InputError line with its position and what was expected.
 */
export function validateRunbookData(data: unknown, locate: Locate): RunbookFile {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new InputError(`${locate([])}: expected a runbook (a map with id, title, fault, steps, checks), got ${shown(data)}`, FIX);
  check(RunbookFileShape, data, [], locate);
  const d = data as RunbookFile;
  for (const section of ['prepare', 'fault', 'steps'] as const)
    (d[section] ?? []).forEach((_, i) => validateStep(data, [section, i], locate));
  d.pitfall?.steps.forEach((_, i) => validateStep(data, ['pitfall', 'steps', i], locate));
  return d;
}
