import { alarms } from '../cluster/gateway.js';
import type { Check } from '../run/scenario.js';
import { fail, pass, unknown } from './verdict.js';

/** `alarm list` is empty (alarms are cluster-wide: the first member that answers is asked). */
export function noAlarms(): Check {
  return {
    name: 'no alarms',
    async run(ctx) {
      for (const m of ctx.cluster.members) {
        const found = await alarms(m.clientUrl).catch(() => undefined);
        if (!found) continue;
        return found.length
          ? fail(`active alarms: ${found.map((a) => `memberID:${a.memberId} alarm:${a.alarm}`).join(', ')}`, found)
          : pass('alarm list is empty');
      }
      return unknown('no member answered the alarm list');
    },
  };
}
