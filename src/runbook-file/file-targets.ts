import type { Target } from '../targets/target.js';
import { Targets } from '../targets/targets.js';

/** The name the fault's members are remembered under, so steps can say `on: failed`. */
export const FAILED = 'failed';

/** One member that is not remembered as failed and answers /health: "log in to any healthy node". */
function healthy(): Target {
  return {
    description: 'a healthy member',
    async resolve(ctx) {
      const down = ctx.refs.get(FAILED) ?? [];
      const candidates = ctx.cluster.members.filter((m) => !down.includes(m));
      const answers = await Promise.all(candidates.map(async (m) => (await m.health(1500).catch(() => ({ healthy: false }))).healthy));
      const ok = candidates.filter((_, i) => answers[i]);
      // Seeded, so a replay picks the same one; with none healthy, any survivor (etcdctl will say why).
      const pool = ok.length ? ok : candidates;
      const m = pool[Math.floor(ctx.random() * pool.length)];
      if (!m) throw new Error('no member left that the fault did not hit');
      return [m];
    },
  };
}

/** A file's target word as a Target: the same vocabulary (Targets.*) scenarios use. */
export function fileTarget(word: string): Target {
  switch (word) {
    case 'leader':
      return Targets.leader();
    case 'follower':
      return Targets.followers(1);
    case 'healthy':
      return healthy();
    case 'all':
      return Targets.all();
    case 'survivors':
      return { ...Targets.except(FAILED), description: 'every member the fault did not hit' };
    case FAILED:
      return { ...Targets.ref(FAILED), description: 'the failed member(s)' };
    default:
      return /^etcd-\d+$/.test(word) ? Targets.named(word) : Targets.ref(word);
  }
}
