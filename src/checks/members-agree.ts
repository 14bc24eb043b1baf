import { memberList } from '../cluster/gateway.js';
import type { Check } from '../run/scenario.js';
import { waitConverged } from './converge.js';
import { fail, pass } from './verdict.js';

/** Same revision, same `hashkv` at that revision, and the same member list, on every member. */
export function membersAgree(): Check {
  return {
    name: 'all members agree (revision, hashkv, member list)',
    async run(ctx) {
      const members = ctx.cluster.members;
      // Members that never reach one revision do not agree: that is a failure, not an unknown.
      const converged = await waitConverged(ctx, members);
      if ('problem' in converged) return fail(converged.problem);
      const revision = converged.revision;
      const hashes = await Promise.all(
        members.map(async (m) => {
          let r = await ctx.etcdctl(m, ['endpoint', 'hashkv', `--rev=${revision}`, '-w', 'json']);
          // 3.4 refuses the compacted revision itself (`rev <= compactRev`); the members have
          // converged and nothing is being written, so the current revision is the same state.
          if (/has been compacted/.test(r.stderr)) r = await ctx.etcdctl(m, ['endpoint', 'hashkv', '--rev=0', '-w', 'json']);
          return /"hash":(\d+)/.exec(r.stdout)?.[1] ?? `error: ${r.stderr.trim()}`;
        }),
      );
      const lists = await Promise.all(
        members.map(async (m) =>
          (await memberList(m.clientUrl))
            .map((x) => `${x.id}:${x.name || '(unstarted)'}`)
            .sort()
            .join(','),
        ),
      );
      const problems: string[] = [];
      if (new Set(hashes).size !== 1)
        problems.push(`hashkv at revision ${revision} differs: ${members.map((m, i) => `${m.name}=${hashes[i]}`).join(', ')}`);
      if (new Set(lists).size !== 1)
        problems.push(`member lists differ: ${members.map((m, i) => `${m.name} sees [${lists[i]}]`).join('; ')}`);
      const listed = lists[0]?.split(',') ?? [];
      if (listed.length !== members.length || listed.some((x) => x.endsWith('(unstarted)')))
        problems.push(`member list is [${lists[0]}], expected ${members.length} started members`);
      return problems.length
        ? fail(problems.join('; '), { revision, hashes, lists })
        : pass(`revision ${revision}, hashkv ${hashes[0]}, ${members.length} members listed alike`);
    },
  };
}
