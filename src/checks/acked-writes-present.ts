import { rangePrefix } from '../cluster/gateway.js';
import type { Check } from '../run/scenario.js';
import type { WriteOp } from '../workload/history.js';
import { converge } from './converge.js';
import { fail, pass, unknown } from './verdict.js';

/**
 * What a key may hold after its writes: the last acknowledged value, or the value of any write of
 * unknown outcome made after that acknowledgement began (it may have been applied later).
 */
export function allowedValues(ops: readonly WriteOp[]): Set<string> | undefined {
  const acked = ops.filter((o) => o.outcome === 'ok');
  const last = acked[acked.length - 1];
  if (!last) return undefined;
  return new Set([last.value, ...ops.filter((o) => o.outcome === 'unknown' && o.call >= last.call).map((o) => o.value)]);
}

/** Every acknowledged v3 write (of the given marks) is present with its value, on every member. */
export function ackedWritesPresent(opts: { marks?: string[] } = {}): Check {
  return {
    name: 'acknowledged writes present on every member',
    async run(ctx) {
      const ops = ctx.history.ops.filter((o) => o.api === 3 && (!opts.marks || opts.marks.includes(o.mark)));
      const byKey = new Map<string, WriteOp[]>();
      for (const o of ops) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
      const expected = [...byKey].flatMap(([key, kops]) => {
        const allowed = allowedValues(kops);
        return allowed ? [{ key, allowed }] : [];
      });
      if (expected.length === 0) return unknown('no acknowledged writes to look for');
      await converge(ctx, ctx.cluster.members);
      const problems: string[] = [];
      for (const m of ctx.cluster.members) {
        const { kvs } = await rangePrefix(m.clientUrl, '', { serializable: true, timeoutMs: 10_000 });
        const have = new Map(kvs.map((kv) => [kv.key, kv.value]));
        const bad = expected.filter((e) => !e.allowed.has(have.get(e.key) ?? '\0absent'));
        if (bad.length) {
          const e = bad[0]!;
          const show = (v: string | undefined): string =>
            v === undefined ? '(absent)' : v.length > 40 ? `${v.slice(0, 40)}…(${v.length} bytes)` : v;
          problems.push(
            `${m.name}: ${bad.length} of ${expected.length} missing or wrong (e.g. ${e.key} = ${show(have.get(e.key))}, expected ${[...e.allowed].map(show).join(' or ')})`,
          );
        }
      }
      const n = ctx.cluster.members.length;
      return problems.length
        ? fail(problems.join('; '), { problems })
        : pass(`${expected.length} acknowledged keys present with their values on all ${n} members`);
    },
  };
}
