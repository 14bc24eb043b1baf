import type { RunContext } from '../run/run-context.js';
import type { Step } from '../run/scenario.js';
import { Workload } from '../workload/workload.js';

/**
 * Writes `<prefix><i>` = `<value><i>` for i = 1..n, one after another, each recorded in the history
 * as a v2 or v3 write; `write` is how it reaches etcd (a client, etcdctl, the v2 HTTP API).
 */
export async function recordWrites(
  ctx: RunContext,
  n: number,
  { prefix, value, api }: { prefix: string; value: string; api: 2 | 3 },
  write: (key: string, value: string) => Promise<unknown>,
): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const key = `${prefix}${i}`;
    await ctx.history.record(key, `${value}${i}`, () => write(key, `${value}${i}`), api);
  }
}

/** Writes `n` v3 keys `<prefix><i>` = `<value><i>` through the cluster, each recorded in the history. */
export function seedV3(n: number, prefix = '/name/', value = 'test'): Step {
  return {
    name: `write ${n} v3 keys ${prefix}1..${n}`,
    source: 'seed 001 §二.1 (etcdctl put /name/1 test)',
    async run(ctx) {
      const client = ctx.cluster.client();
      await recordWrites(ctx, n, { prefix, value, api: 3 }, async (key, v) => await client.put(key).value(v));
      ctx.note(`${ctx.history.count('ok', (o) => o.key.startsWith(prefix))} acknowledged`);
    },
  };
}

/** Writes `n` v2 keys with `ETCDCTL_API=2 etcdctl set` inside a member (the v2 API must be enabled). */
export function seedV2(n: number, prefix = '/name', value = 'test0'): Step {
  return {
    name: `write ${n} v2 keys with ETCDCTL_API=2 etcdctl set`,
    source: 'seed 001 §二.1 (ETCDCTL_API=2 etcdctl set /name1 test01)',
    async run(ctx) {
      const m = ctx.cluster.member(1);
      await recordWrites(ctx, n, { prefix, value, api: 2 }, async (key, v) => {
        const r = await ctx.etcdctl(m, ['set', key, v], { api: 2 });
        if (!r.ok) throw new Error(r.stderr.trim());
      });
    },
  };
}

/** Writes from here on carry `mark` in the history (e.g. `after the snapshot`). */
export function mark(name: string): Step {
  return {
    name: `mark later writes as "${name}"`,
    async run(ctx) {
      ctx.history.mark = name;
    },
  };
}

/** Starts one background writer per member, pinned to it; they run through the fault and the recovery. */
export function startWorkload(): Step {
  return {
    name: 'start background writers, one pinned to each member',
    async run(ctx) {
      const clients = ctx.cluster.members.map((m) => m.client({ callTimeoutMs: 3000 }));
      ctx.workload = new Workload(clients, ctx.history).start();
      await new Promise((r) => setTimeout(r, 500)); // let some writes be acknowledged before the fault
    },
  };
}
