import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { oneMember } from './one-member.js';

export interface LeaseTimer {
  grantedOn: string;
  ttlS: number;
  /** ms from the grant's answer to the first read that no longer finds the key; undefined if it never went. */
  expiredAfterMs?: number;
  /**
   * The raft term when it was granted and when it expired. A new leader renews every lease it
   * takes over (etcd's lessor.Promote: a full TTL again, as checkpointing is off by default), so
   * a lease that outlived a leader change is late for that reason alone.
   */
  termAtGrant?: number;
  termAtExpiry?: number;
  error?: string;
}

/**
 * Grants a `ttlS` lease through the target (etcdctl), attaches a key, and watches from the host
 * (every 100 ms) for the key to go; the result lands in vars[saveAs] when it expires, while later
 * steps run. `awaitLease` waits for it. With `remember`, the member it was granted on is kept under
 * that name, so a fault that follows can be aimed at exactly that member.
 */
export function startLeaseTimer(on: Target, ttlS: number, saveAs: string, remember?: string): Step {
  return {
    name: `grant a ${ttlS} s lease through ${on.description} and time its expiry`,
    async run(ctx) {
      const m = await oneMember(ctx, on);
      if (remember) ctx.refs.set(remember, [m]);
      const termAtGrant = (await ctx.cluster.leader(1000).catch(() => undefined))?.term;
      const grant = await ctx.etcdctl(m, ['lease', 'grant', String(ttlS)]);
      const granted = performance.now();
      const id = /lease ([0-9a-f]+) granted/.exec(grant.stdout)?.[1];
      if (!grant.ok || !id) throw new Error(`lease grant failed: ${grant.stderr.trim() || grant.stdout.trim()}`);
      const key = `/drill/lease-${saveAs}`;
      const put = await ctx.etcdctl(m, ['put', key, 'v', `--lease=${id}`]);
      if (!put.ok) throw new Error(`put with lease failed: ${put.stderr.trim()}`);
      const timer: LeaseTimer = { grantedOn: m.name, ttlS, termAtGrant };
      const watch = (async () => {
        const client = ctx.cluster.members.find((x) => x !== m) ?? m;
        const deadline = granted + (ttlS + 20) * 1000;
        let absentPolls = 0;
        while (performance.now() < deadline) {
          const v = await client
            .client()
            .get(key)
            .string()
            .catch(() => 'error');
          if (v === null) {
            timer.expiredAfterMs = Math.round(performance.now() - granted);
            timer.termAtExpiry = (await ctx.cluster.leader(1000).catch(() => undefined))?.term;
            return timer;
          }
          // The run ended before the lease did (a step threw, teardown removed the containers): stop,
          // or this loop would keep opening clients to a cluster that is gone. Absent for 2 s, not
          // once: a container being recreated with new flags is absent for a moment too.
          absentPolls = v === 'error' && (await client.state()) === 'absent' ? absentPolls + 1 : 0;
          if (absentPolls >= 20) {
            timer.error = `${client.name} was gone before the lease expired`;
            return timer;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        timer.error = `the key was still there ${ttlS + 20} s after the grant`;
        return timer;
      })();
      ctx.vars.set(`${saveAs}-pending`, watch);
      ctx.note(`lease ${id} (${ttlS} s) granted on ${m.name}, key ${key}`);
    },
  };
}

/** Waits for the lease started by startLeaseTimer and records its expiry time. */
export function awaitLease(saveAs: string): Step {
  return {
    name: 'wait for the lease to expire',
    async run(ctx) {
      const pending = ctx.vars.get(`${saveAs}-pending`) as Promise<LeaseTimer> | undefined;
      if (!pending) throw new Error('no lease was started');
      const t = await pending;
      ctx.vars.set(saveAs, t);
      if (t.expiredAfterMs !== undefined) ctx.metric(`${t.ttlS} s lease expired after`, t.expiredAfterMs);
      ctx.note(t.error ?? `expired after ${t.expiredAfterMs} ms`);
    },
  };
}
