import type { Target } from '../targets/target.js';
import { Targets } from '../targets/targets.js';

/** The name the fault's members are remembered under, so steps can say `on: failed`. */
export const FAILED = 'failed';

/**
 * One member that answers /health ("log in to any healthy node"), preferring those the fault did
 * not hit; once every member was hit (kill: all) and restarted, any healthy one.
 */
function healthy(): Target {
  return {
    description: 'a healthy member',
    async resolve(ctx) {
      const down = ctx.refs.get(FAILED) ?? [];
      const all = ctx.cluster.members;
      const answers = await Promise.all(all.map(async (m) => (await m.health(1500).catch(() => ({ healthy: false }))).healthy));
      const ok = all.filter((_, i) => answers[i]);
      const untouched = all.filter((m) => !down.includes(m));
      // Seeded, so a replay picks the same one; with none healthy, any survivor (etcdctl will say why).
      const pools = [ok.filter((m) => !down.includes(m)), ok, untouched, all];
      const pool = pools.find((p) => p.length) ?? [];
      const m = pool[Math.floor(ctx.random() * pool.length)];
      if (!m) throw new Error('the cluster has no members');
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
