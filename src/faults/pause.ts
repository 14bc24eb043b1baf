import type { Target } from '../targets/target.js';
import { injection, type Fault } from './fault.js';

/**
 * Freezes the target's processes (`docker pause`, the cgroup freezer: SIGSTOP in effect), as a long
 * GC pause or a stalled disk does: the member keeps its sockets but answers nothing. Heal unpauses.
 */
export function pause(target: Target): Fault {
  return {
    name: 'pause',
    available: () => true,
    async inject(ctx) {
      const members = await target.resolve(ctx);
      await Promise.all(members.map((m) => m.pause()));
      return injection('pause', members, async () => {
        // A member removed or restarted meanwhile is not paused any more: nothing to undo.
        await Promise.all(members.map(async (m) => ((await m.state()) === 'paused' ? m.unpause() : undefined)));
      });
    },
  };
}
