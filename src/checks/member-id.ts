import { memberList } from '../cluster/gateway.js';
import type { Check } from '../run/scenario.js';
import { fail, pass, unknown } from './verdict.js';

/**
 * The member remembered as `ref` answers under the right member ID, and a peer lists it so:
 * `new` after remove + add (the ID `member add` registered, `<ref>-new-id`, not `<ref>-old-id`),
 * `same` after a move (its data dir carries its ID, so `<ref>-old-id` is kept; seed 003 §3.1).
 */
export function memberId(ref: string, expect: 'new' | 'same'): Check {
  return {
    name: expect === 'new' ? `the ${ref} runs under a new member ID` : `the ${ref} keeps its member ID`,
    async run(ctx) {
      const [m] = ctx.ref(ref);
      const oldId = ctx.vars.get(`${ref}-old-id`) as string | undefined;
      const newId = ctx.vars.get(`${ref}-new-id`) as string | undefined;
      if (!m || !oldId || (expect === 'new' && !newId))
        return unknown(`the steps did not record the ${ref}'s IDs (old ${oldId ?? '-'}, new ${newId ?? '-'})`);
      const own = await m.status(2000).catch((e: Error) => e);
      if (own instanceof Error)
        return fail(`${m.name} does not answer (${own.message}); it was ${oldId}${newId ? `, member add registered ${newId}` : ''}`);
      const peer = ctx.cluster.members.find((x) => x !== m);
      const listed = peer ? (await memberList(peer.clientUrl)).find((x) => x.id === own.memberId) : undefined;
      const seen = peer
        ? `${peer.name} lists ${own.memberId} ${listed ? `as ${listed.name || '(unstarted)'}` : 'nowhere'}`
        : 'no peer to ask';
      if (expect === 'same') {
        if (own.memberId !== oldId) return fail(`${m.name} runs as ${own.memberId}, it was ${oldId}; ${seen}`);
        if (peer && !listed) return fail(`${m.name} runs as ${oldId} but ${seen}`);
        return pass(`${m.name} still runs as ${oldId}; ${seen}`);
      }
      if (own.memberId === oldId) return fail(`${m.name} still runs as the removed ID ${oldId}`);
      if (own.memberId !== newId || (peer && !listed))
        return fail(`${m.name} runs as ${own.memberId}, member add registered ${newId}; ${seen}`);
      return pass(`${m.name} was ${oldId}, now ${newId} (what member add registered); ${seen}`);
    },
  };
}
