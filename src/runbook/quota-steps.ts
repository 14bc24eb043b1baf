import { fail, pass, unknown } from '../checks/verdict.js';
import { lastLine, type CommandResult } from '../cluster/command-result.js';
import { rangePrefix } from '../cluster/gateway.js';
import type { RunContext } from '../run/run-context.js';
import type { Check, Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import type { Member } from '../cluster/member.js';
import type { WriteOp } from '../workload/history.js';

/**
 * What etcd answers at the quota. NOT proof the put was not applied: refused at admission or by
 * the capped applier (alarm already raised) it was not, but the apply that crosses the quota writes
 * first and answers this after (quotaApplierV3.Put, 3.4 and 3.5); a client cannot tell which.
 */
export const NOSPACE = /database space exceeded/;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface FillOptions {
  writers?: number;
  keysPerWriter?: number;
  valueBytes?: number;
  timeoutMs?: number;
  /** Where the writers write (default `/quota/`): `<prefix>w<writer>/k<n>`. */
  prefix?: string;
  /** The members the writers are pinned to, round-robin (default every running member). */
  members?: readonly Member[];
}

/** What a fill did: the writes it recorded, and what each writer met last. */
export interface FillResult {
  ops: WriteOp[];
  acked: number;
  /** Answered `database space exceeded` (some of them were applied all the same). */
  refused: WriteOp[];
  /** Per writer: `etcd-2: etcdserver: mvcc: database space exceeded`, or why it gave up. */
  writers: PromiseSettledResult<string>[];
  durationMs: number;
}

/**
 * Concurrent writers, one etcd3 client each, pinned round-robin to the members (so followers
 * forward too), each overwriting its OWN few keys with large values until etcd refuses with
 * `database space exceeded`. Overwriting keeps the live data small and puts the space in old
 * revisions, which compaction can free (as ground-truth.md §5 did: 10 keys of 100 KB). Own keys
 * per writer keep "the last acknowledged value" of each key well defined for the checks. Every put
 * is recorded in the run's history. Used by the scenario step below and the explorer's fillQuota().
 */
export async function fillToNoSpace(ctx: RunContext, opts: FillOptions = {}): Promise<FillResult> {
  const { writers = 4, keysPerWriter = 2, valueBytes = 100 * 1024, timeoutMs = 120_000, prefix = '/quota/' } = opts;
  // By default every running member: a writer pinned to a stopped or frozen one would only time out.
  const members = opts.members ?? (await ctx.cluster.running());
  if (members.length === 0) throw new Error('no member to fill the backend through');
  const t0 = ctx.now();
  const firstOp = ctx.history.ops.length;
  const writer = async (w: number): Promise<string> => {
    const m = members[w % members.length]!;
    const client = m.client({ callTimeoutMs: 5000 });
    try {
      for (let n = 0; ; n++) {
        const key = `${prefix}w${w}/k${n % keysPerWriter}`;
        const head = `w${w}-${n}-`; // unique per put: the checks tell versions apart by value
        const value = head + 'x'.repeat(valueBytes - head.length);
        const op = await ctx.history.record(key, value, async () => await client.put(key).value(value));
        // The history already records NOSPACE as `unknown`: etcd applies the put that crosses
        // the quota, THEN answers NOSPACE (measured: such puts are on every member after).
        if (NOSPACE.test(op.error ?? '')) return `${m.name}: ${op.error}`;
        if (ctx.now() - t0 > timeoutMs) throw new Error(`writer ${w} (${m.name}) met no "database space exceeded" in ${timeoutMs} ms`);
        if (op.outcome !== 'ok') await sleep(200); // a timeout or refusal that is not NOSPACE: back off, go on
      }
    } finally {
      client.close();
    }
  };
  // allSettled: one writer giving up must not leave the others writing behind the next steps.
  const results = await Promise.allSettled(Array.from({ length: writers }, (_, w) => writer(w)));
  const ops = ctx.history.ops.slice(firstOp);
  return {
    ops,
    acked: ops.filter((x) => x.outcome === 'ok').length,
    refused: ops.filter((x) => NOSPACE.test(x.error ?? '')),
    writers: results,
    durationMs: ctx.now() - t0,
  };
}

/** The first writer that gave up, as an Error (undefined when every writer met NOSPACE). */
export function fillError(f: FillResult): Error | undefined {
  const broken = f.writers.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!broken) return undefined;
  return broken.reason instanceof Error ? broken.reason : new Error(String(broken.reason));
}

/** The fault as a scenario step: fillToNoSpace, with metrics and notes for the report. */
export function fillUntilNoSpace(opts: FillOptions = {}): Step {
  const { writers = 4, keysPerWriter = 2, valueBytes = 100 * 1024 } = opts;
  return {
    name: `fill the backend: ${writers} concurrent writers overwrite ${keysPerWriter} keys each with ${valueBytes / 1024} KB values until "database space exceeded"`,
    source: 'runbooks.md §4 (fault); seed 002 场景二 问题现象 (PUT 报错: database space exceeded)',
    async run(ctx) {
      ctx.history.mark = 'fill';
      const f = await fillToNoSpace(ctx, opts);
      ctx.metric('fill until NOSPACE', f.durationMs);
      ctx.metric('puts acknowledged while filling', f.acked, 'puts');
      ctx.note(
        `${f.acked} puts acknowledged, ${f.refused.length} "database space exceeded", ${f.ops.length - f.acked - f.refused.length} other errors`,
      );
      const broken = fillError(f);
      if (broken) throw broken;
      ctx.note(`writer 0 refused on ${(f.writers[0] as PromiseFulfilledResult<string>).value.slice(0, 100)}`);
      // Each writer stops at its first NOSPACE, so a refused put that was applied is its key's value now.
      const { kvs } = await rangePrefix(ctx.cluster.member(1).clientUrl, opts.prefix ?? '/quota/', { timeoutMs: 10_000 });
      const now = new Map(kvs.map((kv) => [kv.key, kv.value]));
      const applied = f.refused.filter((o) => now.get(o.key) === o.value).length;
      ctx.metric('puts refused with NOSPACE but applied', applied, 'puts');
      ctx.note(`${applied} of ${f.refused.length} puts answered "database space exceeded" were applied anyway`);
    },
  };
}

/** The revisions in `endpoint status --write-out=json`, one per endpoint, as the seed greps them. */
const revisionsIn = (json: string): number[] => [...json.matchAll(/"revision":(\d+)/g)].map((x) => Number(x[1]));

/**
 * `etcdctl endpoint status --write-out=json` with every endpoint, and the revisions grepped out of
 * it as the seed does (`grep -o '"revision":[0-9]*'`): one line per endpoint. Only the revisions
 * are parsed: the member and cluster IDs in that JSON are uint64 that JSON.parse rounds. The
 * highest is kept: every member has applied at least that much before a later compact reaches it.
 */
export function readRevision(on: Target, saveAs = 'revision'): Step {
  return {
    name: `read the revision: etcdctl endpoint status --write-out=json | grep -o '"revision":[0-9]*'`,
    source: 'seed 001 §三.3 2) (获取reversion); seed 002 场景二 1 (找到当前数据版本)',
    async run(ctx) {
      const [m] = await ctx.resolve(on);
      if (!m) throw new Error(`no member for ${on.description}`);
      const r = await ctx.etcdctl(m, ['endpoint', 'status', '--write-out=json'], { endpoints: ctx.cluster.clientUrls() });
      const revs = revisionsIn(r.stdout);
      if (revs.length === 0) throw new Error(`no "revision" in endpoint status (exit ${r.exitCode}): ${r.stderr.trim()}`);
      const rev = Math.max(...revs);
      ctx.vars.set(saveAs, rev);
      ctx.vars.set(`${saveAs}-lines`, revs.length);
      ctx.note(`grep prints ${revs.length} lines (${[...new Set(revs)].map((x) => `"revision":${x}`).join(', ')}); compacting at ${rev}`);
    },
  };
}

/** Largest `dbSize` any member reports (endpoint status DB SIZE); throws when none answers. */
async function maxDbSize(ctx: RunContext): Promise<{ max: number; each: string }> {
  const statuses = [...(await ctx.cluster.statuses(3000)).entries()];
  const sizes = statuses.flatMap(([m, s]) => (s instanceof Error ? [] : [[m.name, s.dbSize] as const]));
  if (sizes.length === 0) throw new Error('no member reported its status');
  return { max: Math.max(...sizes.map(([, b]) => b)), each: sizes.map(([n, b]) => `${n}=${b}`).join(', ') };
}

/** Keeps the largest db size in ctx.vars, so a check can compare it after the recovery. */
export function recordDbSize(saveAs = 'db-size-full'): Step {
  return {
    name: 'record the db size before the recovery (endpoint status DB SIZE, largest member)',
    source: 'seed 001 §三.3 (查看集群此时各节点的状态，发现DB SIZE为2.1GB)',
    async run(ctx) {
      const { max, each } = await maxDbSize(ctx);
      ctx.vars.set(saveAs, max);
      ctx.metric('db size before recovery', max, 'bytes');
      ctx.note(`db sizes: ${each}`);
    },
  };
}

/**
 * Compact + defrag must give the space back: the largest member db is at most 1/`factor` of what
 * it was when full (ground truth: 17 MB → 930 kB with 1 MB of live data).
 */
export function dbShrank(before = 'db-size-full', factor = 2): Check {
  return {
    name: 'db size shrank after compact and defrag',
    async run(ctx) {
      const was = ctx.vars.get(before) as number | undefined;
      if (was === undefined) return unknown(`no db size was recorded as "${before}"`);
      const { max, each } = await maxDbSize(ctx);
      ctx.metric('db size after recovery', max, 'bytes');
      const msg = `largest db ${was} → ${max} bytes (${each})`;
      return max * factor <= was ? pass(msg) : fail(`${msg}: expected at most ${Math.floor(was / factor)}`);
    },
  };
}

/**
 * The quota runbook (seed 001 §三.3, seed 002 场景二) as one action, for the explorer: read the
 * newest revision from every endpoint, compact at it, defrag every member, disarm. Real etcdctl
 * inside `via`, each command recorded. A member that is down or frozen fails its defrag (recorded,
 * not thrown): that is a schedule's story, and what it leads to is for the invariants to judge.
 */
export async function recoverFromNoSpace(ctx: RunContext, via: Member): Promise<string> {
  const all = ctx.cluster.clientUrls();
  const status = await ctx.etcdctl(via, ['endpoint', 'status', '--write-out=json'], { endpoints: all });
  const revs = revisionsIn(status.stdout);
  if (revs.length === 0) throw new Error(`no "revision" in endpoint status (exit ${status.exitCode}): ${lastLine(status)}`);
  const rev = Math.max(...revs);
  const said = (what: string, r: CommandResult): string => `${what}: exit ${r.exitCode}${r.ok ? '' : ` (${lastLine(r).slice(0, 100)})`}`;
  const compact = await ctx.etcdctl(via, ['compact', String(rev)]);
  const defrag = await ctx.etcdctl(via, ['defrag'], { endpoints: all });
  const disarm = await ctx.etcdctl(via, ['alarm', 'disarm']);
  return [said(`compact ${rev}`, compact), said(`defrag ${all.length} endpoints`, defrag), said('alarm disarm', disarm)].join('; ');
}
