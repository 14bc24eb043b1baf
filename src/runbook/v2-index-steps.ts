import { showIndexes, v2Indexes } from '../checks/v2-index-agree.js';
import { httpFetch } from '../cluster/http.js';
import type { Step } from '../run/scenario.js';
import type { Target } from '../targets/target.js';
import { recordWrites } from './data-steps.js';

/** What `probeV2Index` saw: each member's v2 index, or why it did not answer. */
export type V2IndexProbe = Record<string, number | string>;

/**
 * `n` v2 sets (`PUT /v2/keys/<prefix><i>`, what `ETCDCTL_API=2 etcdctl set` sends) through one member
 * of `on`, from the host: fast enough to move the index by `n` in well under a second. Each is
 * recorded in the history as a v2 write.
 */
export function v2WritesThrough(on: Target, n: number, prefix: string, value = 'lag'): Step {
  return {
    name: `write ${n} v2 keys ${prefix}1..${n} through ${on.description} (PUT /v2/keys)`,
    async run(ctx) {
      const [m] = await ctx.resolve(on);
      if (!m) throw new Error(`no member for ${on.description}`);
      await recordWrites(ctx, n, { prefix, value, api: 2 }, async (key, v) => {
        const res = await httpFetch(`${m.clientUrl}/v2/keys${key}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `value=${encodeURIComponent(v)}`,
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`PUT /v2/keys${key}: HTTP ${res.status} ${(await res.text()).trim()}`);
      });
      ctx.note(`${ctx.history.count('ok', (o) => o.key.startsWith(prefix))} of ${n} acknowledged through ${m.name}`);
    },
  };
}

/**
 * Seed 004's check on every member: `curl http://<member>:2379/v2/keys/some_key_not_exists` and its
 * index. Saved as a V2IndexProbe under `saveAs` for observed checks. With `settleExcept`, the probe
 * is repeated (up to 5 s) until every member but those remembered under that name answers the same
 * index: a write is acknowledged once the member it went to applied it, and a follower applies it
 * a moment later, so one probe right after the writes can catch a healthy member one index short.
 */
export function probeV2Index(
  saveAs: string,
  source = 'seed 004 (curl http://etcdN:2379/v2/keys/some_key_not_exists on every member)',
  opts: { settleExcept?: string } = {},
): Step {
  return {
    name: 'read the v2 index of every member (GET /v2/keys/some_key_not_exists)',
    source,
    async run(ctx) {
      const apart = opts.settleExcept === undefined ? [] : ctx.ref(opts.settleExcept);
      let indexes = await v2Indexes(ctx.cluster.members);
      for (const until = ctx.now() + 5000; ctx.now() < until;) {
        const rest = [...indexes].filter(([m]) => !apart.includes(m)).map(([, v]) => v);
        if (rest.every((v) => typeof v === 'number' && v === rest[0])) break;
        await new Promise((r) => setTimeout(r, 100));
        indexes = await v2Indexes(ctx.cluster.members);
      }
      const probe: V2IndexProbe = {};
      for (const [m, v] of indexes) probe[m.name] = v instanceof Error ? v.message : v;
      ctx.vars.set(saveAs, probe);
      ctx.note(showIndexes(indexes));
    },
  };
}
