import { z } from 'zod';

// The runbook file format: one zod schema is both the validator and the published JSON Schema
// (schema/runbook.schema.json, written by scripts/runbook-schema.ts). Keys are kebab-case like
// etcd's own flags, so a seed's `--initial-cluster-state=existing` becomes `initial-cluster-state: existing`.

const DURATION = 'expected a duration such as 500ms, 30s, 2m, or a number of milliseconds';
/** `30s`, `500ms`, `2m`, or a number of milliseconds. */
export const Duration = z
  .union(
    [
      z.number({ error: DURATION }).int().nonnegative({ error: DURATION }),
      z.string({ error: DURATION }).regex(/^\d+(\.\d+)?(ms|s|m)$/, { error: DURATION }),
    ],
    { error: DURATION },
  )
  .meta({ description: '500ms, 30s, 2m, or milliseconds' });

export const TARGET_WORDS = ['leader', 'follower', 'healthy', 'failed', 'survivors', 'all'] as const;
/** Who a step acts on: a word, a member name (`etcd-2`), or a name an earlier step remembered (`as:`). */
export const Target = z
  .string({ error: `expected a target: ${TARGET_WORDS.join(', ')}, a member name such as etcd-2, or a name given with as:` })
  .min(1)
  .meta({
    description: `${TARGET_WORDS.join(' | ')} | etcd-<n> | a name an earlier step gave with as:. healthy: one member that answers /health, preferring those the fault did not hit; failed: the members the fault hit; survivors: every member but those`,
  });

const FlagValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'expected a flag value: a string, number, boolean or null',
});
/** etcd flags without their dashes; null removes a flag. */
export const Flags = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'expected an etcd flag name without dashes, e.g. initial-cluster-state' }),
  FlagValue,
);

/** What an etcdctl or sh command must have printed or returned. Strings are regular expressions. */
export const CommandExpect = z
  .strictObject({
    exit: z.union([z.number().int(), z.literal('non-zero')], { error: 'expected an exit code (a number) or "non-zero"' }).optional(),
    stdout: z.string().optional().meta({ description: 'regular expression stdout must match' }),
    stderr: z.string().optional().meta({ description: 'regular expression stderr must match' }),
    output: z.string().optional().meta({ description: 'regular expression stdout or stderr must match' }),
    'not-output': z.string().optional().meta({ description: 'regular expression neither stdout nor stderr may match' }),
  })
  .meta({
    description:
      'what the command must have returned; strings are regular expressions, in which placeholders (${failed.ip}, …) match their value literally',
  });

export const CHECK_WORDS = [
  'healthy',
  'ready',
  'leader',
  'no-leader',
  'acked-writes-present',
  'members-agree',
  'no-alarms',
  'accepts-writes',
  'db-shrank',
  'quota-room',
] as const;

/** A check by name, or with options: `healthy`, `{ accepts-writes: { bytes: 102400 } }`, `{ v2-keys: absent }`. */
export const CheckSpec = z
  .union(
    [
      z.enum(CHECK_WORDS),
      z.strictObject({ healthy: z.strictObject({ timeout: Duration.optional() }) }),
      z.strictObject({ 'accepts-writes': z.strictObject({ bytes: z.number().int().positive().max(1_500_000) }) }),
      z.strictObject({ 'acked-writes-present': z.strictObject({ marks: z.array(z.string()).min(1) }) }),
      z.strictObject({ 'v2-keys': z.enum(['present', 'absent']) }),
      z.strictObject({ 'writes-lost': z.string().min(1).meta({ description: 'the mark the lost writes carry' }) }),
    ],
    {
      error: `expected a check: ${CHECK_WORDS.join(', ')}, or one of { healthy: { timeout } }, { accepts-writes: { bytes } }, { acked-writes-present: { marks } }, { v2-keys: present|absent }, { writes-lost: <mark> }`,
    },
  )
  .meta({ description: 'a check by name, or a one-key object with its options' });

// Options every step may carry.
const common = {
  name: z.string().optional().meta({ description: 'how the step is shown in logs and reports' }),
  source: z.string().optional().meta({ description: 'where it comes from, e.g. seed 001 §二.3' }),
};
const commandOptions = {
  ...common,
  on: Target.optional().meta({ description: 'where it runs (default: healthy); a target of several members runs it on each in turn' }),
  expect: CommandExpect.optional(),
  save: z.string().min(1).optional().meta({ description: 'keep the result as ${saved.<name>} (its trimmed stdout)' }),
  timeout: Duration.optional(),
};

/** Every step kind, by its one action key. */
export const STEP_SCHEMAS = {
  etcdctl: z
    .strictObject({
      etcdctl: z.string().min(1).meta({
        description:
          'etcdctl arguments as pasted from the runbook (a leading `etcdctl` and ETCDCTL_API=2 are understood); --endpoints (default: the member itself), TLS flags and --user are added when absent',
      }),
      ...commandOptions,
      api: z.union([z.literal(2), z.literal(3)]).optional(),
      offline: z.boolean().optional().meta({
        description: 'run in a throwaway container on the member data volume, etcd stopped (default: true for snapshot restore/status)',
      }),
      retry: z
        .strictObject({
          on: z.string().min(1).meta({ description: 'regular expression: retry while the output matches' }),
          timeout: Duration.optional(),
        })
        .optional(),
    })
    .meta({ description: 'one etcdctl command inside a member' }),
  sh: z.strictObject({
    sh: z.string().min(1).meta({ description: 'a shell script run with sh -c inside the member' }),
    ...commandOptions,
    offline: z.boolean().optional(),
  }),
  kill: z
    .strictObject({ kill: Target, as: z.string().optional(), ...common })
    .meta({ description: 'SIGKILL (a host dying); remembered as failed unless as: says otherwise' }),
  stop: z.strictObject({ stop: Target, as: z.string().optional(), ...common }).meta({ description: 'SIGTERM (systemctl stop etcd)' }),
  pause: z
    .strictObject({ pause: Target, as: z.string().optional(), ...common })
    .meta({ description: 'freeze the processes (docker pause); heal: <as> unfreezes' }),
  heal: z.strictObject({ heal: z.string().min(1), ...common }).meta({ description: 'unpause the members paused under that name' }),
  start: z
    .strictObject({ start: Target, flags: Flags.optional(), ...common })
    .meta({ description: 'start again; flags change from then on, like an edited unit file' }),
  wipe: z.strictObject({ wipe: Target, ...common }).meta({ description: 'rm -rf the data dir of a stopped member' }),
  'copy-data-dir': z.strictObject({ 'copy-data-dir': z.strictObject({ from: Target, to: Target }), ...common }),
  wait: z
    .strictObject({ wait: z.strictObject({ until: CheckSpec, timeout: Duration.optional() }), ...common })
    .meta({ description: 'poll a check until it passes (default timeout 30s)' }),
  sleep: z.strictObject({ sleep: Duration, ...common }),
  expect: z
    .strictObject({ expect: CheckSpec, ...common })
    .meta({ description: 'a check that must pass here; the procedure stops if it does not' }),
  write: z
    .strictObject({
      write: z.strictObject({ keys: z.number().int().positive().max(10_000), prefix: z.string().optional(), value: z.string().optional() }),
      ...common,
    })
    .meta({ description: 'write keys <prefix>1..<keys> = <value><i> through the cluster (v3), each recorded for the checks' }),
  'write-v2': z.strictObject({
    'write-v2': z.strictObject({
      keys: z.number().int().positive().max(1000),
      prefix: z.string().optional(),
      value: z.string().optional(),
    }),
    ...common,
  }),
  workload: z
    .strictObject({ workload: z.literal('start'), ...common })
    .meta({ description: 'background writers, one pinned to each member' }),
  mark: z.strictObject({ mark: z.string().min(1), ...common }).meta({ description: 'later writes carry this mark (for writes-lost)' }),
  'fill-quota': z
    .strictObject({
      'fill-quota': z.strictObject({
        writers: z.number().int().positive().max(16).optional(),
        'value-bytes': z.number().int().positive().max(1_500_000).optional(),
        timeout: Duration.optional(),
      }),
      ...common,
    })
    .meta({ description: 'concurrent writers until etcd answers "database space exceeded"' }),
  'note-db-size': z
    .strictObject({ 'note-db-size': z.literal(true), ...common })
    .meta({ description: 'record the db size, for the db-shrank check' }),
} as const;

export type StepKind = keyof typeof STEP_SCHEMAS;
export const STEP_KINDS = Object.keys(STEP_SCHEMAS) as StepKind[];

export const Step = z.union(Object.values(STEP_SCHEMAS) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);

const oneOrMany = <T extends z.ZodType>(t: T, error: string) => z.union([t, z.array(t).min(1)], { error });

export const Cluster = z.strictObject({
  members: oneOrMany(
    z.number().int().min(1).max(7),
    'expected a cluster size of 1-7 members, or a list of sizes such as [3, 5]',
  ).optional(),
  version: oneOrMany(
    z.enum(['3.4', '3.5']),
    'expected an etcd version "3.4" or "3.5", or a list of them (quote it: 3.5 unquoted is a number)',
  ).optional(),
  tls: z.boolean().optional(),
  auth: z.boolean().optional(),
  flags: Flags.optional(),
  timing: z.enum(['production', 'fast']).optional(),
});

export const Pitfall = z.strictObject({
  title: z.string().min(1),
  source: z.string().optional(),
  steps: z.array(z.unknown()).min(1).meta({ description: 'steps, as in steps:' }),
  'must-fail': z.array(CheckSpec).min(1).meta({ description: 'checks (from checks:) that must fail under the pitfall' }),
});

/** The top level of a runbook file. Steps are validated one by one against STEP_SCHEMAS (better errors). */
export const RunbookFileShape = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected an id of lowercase letters, digits and dashes' }),
  title: z.string().min(1),
  source: z.string().optional().meta({ description: 'the runbook or seed section this file comes from' }),
  proves: z.string().optional(),
  cluster: Cluster.optional(),
  prepare: z.array(z.unknown()).optional().meta({ description: 'steps before the fault (default: write 20 keys)' }),
  fault: z.array(z.unknown()).min(1),
  steps: z.array(z.unknown()).min(1).meta({ description: 'the operator procedure' }),
  checks: z.array(CheckSpec).min(1).meta({ description: 'what must hold after the procedure' }),
  pitfall: Pitfall.optional(),
});

export type CheckSpecT = z.infer<typeof CheckSpec>;
export type StepSpec = { [K in StepKind]: z.infer<(typeof STEP_SCHEMAS)[K]> }[StepKind];
/** A runbook file as data: what a .yaml file holds, or what a .ts runbook file exports. */
export interface RunbookFile extends Omit<z.infer<typeof RunbookFileShape>, 'prepare' | 'fault' | 'steps' | 'pitfall'> {
  prepare?: StepSpec[];
  fault: StepSpec[];
  steps: StepSpec[];
  pitfall?: Omit<z.infer<typeof Pitfall>, 'steps'> & { steps: StepSpec[] };
}

/** The published JSON Schema: the top level with every step kind spelled out. */
export function runbookJsonSchema(): Record<string, unknown> {
  const steps = z.array(Step);
  const full = RunbookFileShape.extend({
    prepare: steps.optional(),
    fault: z.array(Step).min(1),
    steps: z.array(Step).min(1),
    pitfall: Pitfall.extend({ steps: z.array(Step).min(1) }).optional(),
  }).meta({ title: 'etcd-firedrill runbook file', description: 'a cluster, a fault, operator steps and checks' });
  // A registry of its own (not zod's global one): named $defs, and no clash when the module loads twice.
  const defs = z.registry<{ id: string; description?: string }>();
  const named = (schema: z.ZodType, id: string): void => void defs.add(schema, { ...(z.globalRegistry.get(schema) as object), id });
  for (const [kind, schema] of Object.entries(STEP_SCHEMAS)) named(schema, `step-${kind}`);
  named(Step, 'step');
  named(CheckSpec, 'check');
  named(CommandExpect, 'command-expect');
  named(Target, 'target');
  named(Duration, 'duration');
  named(Flags, 'flags');
  for (const schema of [full, Cluster, Pitfall, RunbookFileShape, steps]) {
    const meta = z.globalRegistry.get(schema);
    if (meta) defs.add(schema, meta as { id: string });
  }
  const json = z.toJSONSchema(full, { target: 'draft-2020-12', reused: 'inline', metadata: defs });
  return { $id: 'https://etcd-firedrill.dev/schema/runbook.schema.json', ...json };
}
