import { fail, type Verdict } from '../checks/verdict.js';
import type { CommandResult } from '../cluster/command-result.js';
import type { EtcdFlags } from '../cluster/cluster-spec.js';
import type { Member } from '../cluster/member.js';
import { Faults } from '../faults/index.js';
import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import { fillUntilNoSpace, recordDbSize } from '../runbook/quota-steps.js';
import { Steps } from '../runbook/steps.js';
import { judgeCommand, describeExpect, expandExpect, PATTERN_KEYS, type CommandExpectT } from './command-expect.js';
import type { CompileContext } from './compile-context.js';
import { autoFlags } from './etcdctl-argv.js';
import { checkWord, fileCheck, ms } from './file-checks.js';
import { FAILED, fileTarget } from './file-targets.js';
import { PlaceholderResolver, savedKey, withoutPlaceholders } from './placeholders.js';
import type { Path } from './positions.js';
import type { StepSpec } from './schema.js';
import { splitWords } from './words.js';

type Spec<K extends string> = Extract<StepSpec, Record<K, unknown>>;
// Offline etcdctl commands: they read a file, not a cluster, and run while etcd is stopped.
const OFFLINE = /^snapshot\s+(restore|status)\b/;

/** Where a step is shown: `steps 3 (examples/x.yaml:14:5)`. */
function label(path: Path, cc: CompileContext): string {
  const section = path.length === 3 ? `${String(path[0])}.${String(path[1])}` : String(path[0]);
  return `${section} step ${Number(path[path.length - 1]) + 1} (${cc.where(path)})`;
}

/** A failed expectation stops the procedure, as an operator stops at a step that did not do what it says. */
function enforce(v: Verdict, what: string): void {
  if (v.status !== 'pass') throw new Error(`${what}: ${v.status}: ${v.message}`);
}

/** The words an etcdctl step runs: env assignments and a leading `etcdctl` taken off, as pasted from a seed. */
function etcdctlWords(spec: Spec<'etcdctl'>, path: Path, cc: CompileContext): { env: Record<string, string>; words: string[]; api: 2 | 3 } {
  const split = splitWords(spec.etcdctl);
  if ('error' in split)
    throw cc.error([...path, 'etcdctl'], split.error, 'see the etcdctl step in schema/runbook.schema.json', split.offset);
  const env: Record<string, string> = {};
  let words = split.words;
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [k, ...v] = words[0].split('=');
    env[k!] = v.join('=');
    words = words.slice(1);
  }
  if (words[0] === 'etcdctl' || words[0]?.endsWith('/etcdctl')) words = words.slice(1);
  if (!words.length)
    throw cc.error(
      [...path, 'etcdctl'],
      'no etcdctl command left after the program name',
      'write the command, e.g. `etcdctl: member list`',
    );
  const api = spec.api ?? (env.ETCDCTL_API === '2' ? 2 : 3);
  return { env: { ...env, ETCDCTL_API: String(api) }, words, api };
}

/** An etcdctl or sh step: placeholders resolved on each member it runs on, result judged and saved. */
function commandStep(spec: Spec<'etcdctl'> | Spec<'sh'>, path: Path, cc: CompileContext): Step {
  const isEtcdctl = 'etcdctl' in spec;
  const text = isEtcdctl ? spec.etcdctl : spec.sh;
  const on = spec.on ?? 'healthy';
  cc.target(on, [...path, 'on']);
  cc.placeholders(text, [...path, isEtcdctl ? 'etcdctl' : 'sh'], true);
  const parsed = isEtcdctl ? etcdctlWords(spec, path, cc) : undefined;
  const offline = spec.offline ?? (parsed ? OFFLINE.test(parsed.words.join(' ')) : false);
  const retry = isEtcdctl ? spec.retry : undefined;
  if (retry) cc.regex(retry.on, [...path, 'retry', 'on']);
  for (const k of PATTERN_KEYS) {
    const re = spec.expect?.[k];
    if (re === undefined) continue;
    cc.placeholders(re, [...path, 'expect', k], true);
    cc.regex(withoutPlaceholders(re), [...path, 'expect', k]);
  }
  const flat = text.replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
  const name = spec.name ?? (isEtcdctl ? `etcdctl ${flat.replace(/^(\S*\/)?etcdctl\s+/, '')} on ${on}` : `sh -c ${flat} on ${on}`);
  const where = label(path, cc);
  const exp = spec.expect ? cc.expectation(`${where} "${name}": ${describeExpect(spec.expect)}`) : undefined;
  const target = fileTarget(on);
  const timeoutMs = ms(spec.timeout, 60_000);
  if (spec.save) cc.saved.add(spec.save);

  const runOn = async (ctx: RunContext, m: Member, resolver: PlaceholderResolver): Promise<CommandResult> => {
    if (!parsed) {
      const script = await resolver.text(text);
      const display = `sh -c ${JSON.stringify(text)}`;
      return offline
        ? ctx.oneShot(m, ['sh', '-c', script], { timeoutMs, display })
        : ctx.exec(m, ['sh', '-c', script], { timeoutMs, display });
    }
    const words = (await Promise.all(parsed.words.map((w) => resolver.word(w)))).flat();
    if (offline) return ctx.oneShot(m, ['etcdctl', ...words], { env: parsed.env, timeoutMs });
    // What the operator's shell profile would hold: the member's own endpoint, the TLS flags, the user.
    const auth = ctx.cluster.auth;
    const auto = autoFlags(parsed.words, {
      clientUrl: m.clientUrl,
      tls: Boolean(ctx.cluster.spec.tls),
      user: auth && `${auth.user}:${auth.password}`,
      api: parsed.api,
    });
    return ctx.exec(m, ['etcdctl', ...auto, ...words], { env: parsed.env, timeoutMs });
  };

  return {
    name,
    source: spec.source ?? cc.where(path),
    async run(ctx) {
      const members = await ctx.resolve(target);
      if (!members.length) throw new Error(`no member for ${target.description}`);
      const verdicts: Verdict[] = [];
      for (const m of members) {
        const resolver = new PlaceholderResolver(ctx, m, parsed?.api ?? 3);
        const deadline = ctx.now() + ms(retry?.timeout, 30_000);
        let r = await runOn(ctx, m, resolver);
        while (retry && !r.ok && new RegExp(retry.on).test(r.stdout + r.stderr) && ctx.now() < deadline) {
          await new Promise((res) => setTimeout(res, 1000));
          r = await runOn(ctx, m, resolver);
        }
        // Placeholders in the patterns are looked up after the command ran, as the operator reads
        // them, but before this step's own `save:` replaces what `${saved.<name>}` means (else a
        // pattern naming it would be matched against the very output it came from).
        if (spec.expect) verdicts.push(await judgeExpanded(r, spec.expect as CommandExpectT, resolver));
        if (spec.save) ctx.vars.set(savedKey(spec.save), r);
        ctx.note(`${m.name}: exit ${r.exitCode}: ${(r.stderr.trim() || r.stdout.trim()).split('\n').pop()?.slice(0, 160) ?? ''}`);
      }
      if (exp) {
        const bad = verdicts.find((v) => v.status !== 'pass');
        const v = bad ?? verdicts[verdicts.length - 1]!;
        exp.store(ctx, bad ? fail(bad.message) : v);
        enforce(v, `expect failed at ${where} "${name}": ${describeExpect(spec.expect!)}`);
      }
    },
  };
}

/** Judges `r` against `e` with its placeholders expanded; one that cannot be looked up is the verdict. */
async function judgeExpanded(r: CommandResult, e: CommandExpectT, resolver: PlaceholderResolver): Promise<Verdict> {
  try {
    return judgeCommand(r, await expandExpect(e, (p) => resolver.pattern(p)));
  } catch (err) {
    return fail(`a placeholder in the expected pattern could not be looked up: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Resolves `${...}` in flag values on the member being started. */
async function resolveFlags(ctx: RunContext, m: Member, flags: EtcdFlags | undefined): Promise<EtcdFlags | undefined> {
  if (!flags) return undefined;
  const r = new PlaceholderResolver(ctx, m);
  const out: EtcdFlags = {};
  for (const [k, v] of Object.entries(flags)) out[k] = typeof v === 'string' ? await r.text(v) : v;
  return out;
}

/** One file step as an engine Step, reusing Steps.* and Faults.*; validated against what came before it. */
export function compileStep(spec: StepSpec, path: Path, cc: CompileContext): Step {
  const src = spec.source ?? cc.where(path);
  const named = (step: Step): Step => ({ ...step, name: spec.name ?? step.name, source: src });
  if ('etcdctl' in spec || 'sh' in spec) return commandStep(spec, path, cc);
  if ('kill' in spec || 'stop' in spec) {
    const kind = 'kill' in spec ? 'kill' : 'stop';
    const word = 'kill' in spec ? spec.kill : spec.stop;
    cc.target(word, [...path, kind]);
    const as = spec.as ?? FAILED;
    cc.refs.add(as);
    // Not a healed fault: bringing the member back is the runbook's job (start:), as on a real host.
    if (kind === 'kill') return named({ ...Steps.kill(fileTarget(word), as), name: `kill ${word} (SIGKILL), remembered as ${as}` });
    const target = fileTarget(word);
    return named({
      name: `stop ${word} (SIGTERM), remembered as ${as}`,
      async run(ctx) {
        const members = await ctx.resolve(target, as);
        await Promise.all(members.map((m) => m.stop()));
        ctx.note(`stopped ${members.map((m) => m.name).join(', ')}`);
        ctx.emit({ type: 'fault-injected', name: 'stop', members: members.map((m) => m.name) });
      },
    });
  }
  if ('pause' in spec) {
    cc.target(spec.pause, [...path, 'pause']);
    const as = spec.as ?? FAILED;
    cc.refs.add(as);
    cc.healable.add(as);
    return named({
      ...Steps.inject(Faults.pause(fileTarget(spec.pause)), as),
      name: `pause ${spec.pause} (docker pause), remembered as ${as}`,
    });
  }
  if ('heal' in spec) {
    if (!cc.healable.has(spec.heal))
      throw cc.error(
        [...path, 'heal'],
        `nothing was paused as "${spec.heal}" before this step (a killed or stopped member comes back with start:)`,
        cc.healable.size ? `use one of: ${[...cc.healable].join(', ')}` : 'pause a member first, or use start:',
      );
    return named(Steps.heal(spec.heal));
  }
  if ('start' in spec) {
    cc.target(spec.start, [...path, 'start']);
    for (const [k, v] of Object.entries(spec.flags ?? {})) if (typeof v === 'string') cc.placeholders(v, [...path, 'flags', k], true);
    const target = fileTarget(spec.start);
    const how = spec.flags
      ? ` with ${Object.entries(spec.flags)
          .map(([k, v]) => `--${k}=${String(v)}`)
          .join(' ')}`
      : '';
    return named({
      name: `start ${spec.start}${how}`,
      async run(ctx) {
        const members = await ctx.resolve(target);
        // Most recently stopped first, as an operator brings back the freshest data first.
        for (const m of [...members].reverse()) await m.start({ flags: await resolveFlags(ctx, m, spec.flags) });
        ctx.note(`started ${members.map((m) => m.name).join(', ')}`);
      },
    });
  }
  if ('wipe' in spec) {
    cc.target(spec.wipe, [...path, 'wipe']);
    return named({ ...Steps.wipe(fileTarget(spec.wipe)), name: `wipe the data dir of ${spec.wipe}` });
  }
  if ('copy-data-dir' in spec) {
    const { from, to } = spec['copy-data-dir'];
    cc.target(from, [...path, 'copy-data-dir', 'from']);
    cc.target(to, [...path, 'copy-data-dir', 'to']);
    return named({
      name: `copy the data dir of ${from} to ${to}`,
      async run(ctx) {
        const [src] = await ctx.resolve(fileTarget(from));
        if (!src) throw new Error(`no member for ${from}`);
        for (const m of await ctx.resolve(fileTarget(to))) if (m !== src) await src.copyDataDirTo(m);
      },
    });
  }
  if ('wait' in spec) {
    const check = fileCheck(spec.wait.until, true);
    const word = checkWord(spec.wait.until);
    const timeoutMs = ms(spec.wait.timeout, 30_000);
    const where = label(path, cc);
    const name = spec.name ?? `wait until ${word} (at most ${timeoutMs / 1000} s)`;
    const exp = cc.expectation(`${where} "${name}": ${check.name}`);
    return {
      name,
      source: src,
      async run(ctx) {
        const t0 = ctx.now();
        let v: Verdict;
        for (;;) {
          v = await check.run(ctx).catch((e: unknown) => fail(`check threw: ${e instanceof Error ? e.message : String(e)}`));
          if (v.status === 'pass' || ctx.now() - t0 > timeoutMs) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        ctx.metric(`wait until ${word}`, ctx.now() - t0);
        const verdict = v.status === 'pass' ? v : fail(`not after ${timeoutMs} ms: ${v.message}`);
        exp.store(ctx, verdict);
        ctx.note(verdict.message.slice(0, 200));
        enforce(verdict, `wait failed at ${where} "${name}": check "${check.name}"`);
      },
    };
  }
  if ('expect' in spec) {
    const check = fileCheck(spec.expect);
    const where = label(path, cc);
    const name = spec.name ?? `expect ${checkWord(spec.expect)}`;
    const exp = cc.expectation(`${where} "${name}": ${check.name}`);
    return {
      name,
      source: src,
      async run(ctx) {
        const v = await check.run(ctx).catch((e: unknown) => fail(`check threw: ${e instanceof Error ? e.message : String(e)}`));
        exp.store(ctx, v);
        ctx.note(v.message.slice(0, 200));
        enforce(v, `expect failed at ${where} "${name}": check "${check.name}"`);
      },
    };
  }
  if ('sleep' in spec) return named(Steps.sleep(ms(spec.sleep, 0), 'as the runbook says'));
  if ('write' in spec) return named(Steps.seedV3(spec.write.keys, spec.write.prefix ?? '/name/', spec.write.value ?? 'test'));
  if ('write-v2' in spec)
    return named(Steps.seedV2(spec['write-v2'].keys, spec['write-v2'].prefix ?? '/name', spec['write-v2'].value ?? 'test0'));
  if ('workload' in spec) return named(Steps.startWorkload());
  if ('mark' in spec) {
    cc.marks.add(spec.mark);
    return named(Steps.mark(spec.mark));
  }
  if ('fill-quota' in spec) {
    const f = spec['fill-quota'];
    return named(fillUntilNoSpace({ writers: f.writers, valueBytes: f['value-bytes'], timeoutMs: ms(f.timeout, 120_000) }));
  }
  cc.notedDbSize = true;
  return named(recordDbSize('db-size-full'));
}
