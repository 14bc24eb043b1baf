import type { Target } from '../targets/target.js';
import { injection, type Fault } from './fault.js';

/** SIGKILL (a host dying) or SIGTERM (`stop`, etcd hands leadership over first); heal starts them again. */
export function kill(target: Target, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Fault {
  const name = signal === 'SIGKILL' ? 'kill' : 'stop';
  return {
    name,
    available: () => true,
    async inject(ctx) {
      const members = await target.resolve(ctx);
      await Promise.all(members.map((m) => (signal === 'SIGKILL' ? m.kill() : m.stop())));
      return injection(name, members, async () => {
        for (const m of members) if ((await m.state()) !== 'running') await m.start();
      });
    },
  };
}

/** SIGTERM: etcd transfers leadership before it exits. */
export const stop = (target: Target): Fault => kill(target, 'SIGTERM');
